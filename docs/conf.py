"""Sphinx configuration of the Octobus documentation (``make docs``).

Why Sphinx rather than MkDocs: the public API is documented by numpydoc docstrings, and
Sphinx's autodoc with napoleon renders those as they are written, with cross-references
that fail the build when they break (``-W``). MyST lets the guides be Markdown like the
READMEs, and sphinxcontrib-openapi renders the OpenAPI document as plain HTML at build
time, so the build needs no network and the pages load no JavaScript from a CDN.
"""

from __future__ import annotations

import sys
from importlib.metadata import version as distribution_version
from pathlib import Path

# The generators (settings, OpenAPI, AsyncAPI, event pages) live beside this file.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "Octobus"
author = "Octobus developers"
copyright = "Octobus developers"
release = distribution_version("octobus-schemas")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinxcontrib.httpdomain",
    "sphinxcontrib.openapi",
    "octobus_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
# The generated Markdown fragments are included by the guides, not pages of their own.
exclude_patterns = ["_build", "_ext", "README.md", "_generated/*.md"]

# A broken reference (page, heading, include, or an `octobus...` Python name) is a warning,
# and `make docs` turns warnings into errors. Names from other libraries cannot resolve
# offline (no intersphinx downloads), and private bases and type variables are not
# documented: those are left unlinked.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(?!octobus).*"),
    (r"py:.*", r"octobus[\w.]*\._\w+.*"),
    (r"py:.*", r".*\.ModelT"),
]
default_role = "py:obj"
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_default_options = {
    "members": True,
    # re-exported constants keep their docs in the private module; list them anyway
    "undoc-members": True,
    "imported-members": True,
    "show-inheritance": True,
    "member-order": "bysource",
    # pydantic's and dataclasses-avroschema's plumbing, the same on every model
    "exclude-members": "Meta, model_config, model_fields, model_computed_fields",
}
autodoc_typehints = "description"
autodoc_class_signature = "separated"
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# "Attributes" sections as fields, so they do not clash with the members autodoc lists
napoleon_use_ivar = True

html_theme = "furo"
html_title = f"Octobus {release}"
html_static_path: list[str] = []
