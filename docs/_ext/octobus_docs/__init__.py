"""Sphinx extension that generates Octobus's reference pages from the code at build time.

On ``builder-inited`` it writes into ``docs/_generated/`` (never committed):

- ``python-api.md``: autodoc sections for every public module of ``octobus_schemas``;
- ``settings.md``: every setting of `octobus.config.Settings` with its variable and default;
- ``openapi.json``: the gateway's OpenAPI document, rendered by sphinxcontrib-openapi;
- ``asyncapi.json`` and ``asyncapi.md``: the topics' AsyncAPI document and its table;
- ``events/<Model>.md``: one page per event record with its Avro schema.

The guides include these files, so a setting, route, topic or field changed in the code
changes the docs on the next build, and a removed one breaks the build instead of lingering.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from octobus_docs.api_documents import asyncapi_document, openapi_document, render_asyncapi
from octobus_docs.events import event_pages
from octobus_docs.python_api import render_python_api
from octobus_docs.references import resolve_short_reference
from octobus_docs.settings import render_settings, setting_docs

__all__ = ["GENERATED_DIR", "generate", "setup"]

GENERATED_DIR = "_generated"
"""The folder under the docs source directory the generated files go to."""


def generate(source_dir: Path) -> list[Path]:
    """Write every generated page and document under ``source_dir / GENERATED_DIR``.

    Parameters
    ----------
    source_dir
        The docs source directory (``docs/``).

    Returns
    -------
    list of Path
        The files written.
    """
    from octobus.config import Settings

    target = source_dir / GENERATED_DIR
    # Start empty so a page for a removed event cannot survive from an older build.
    shutil.rmtree(target, ignore_errors=True)
    (target / "events").mkdir(parents=True)
    files: dict[str, str] = {
        "settings.md": render_settings(setting_docs(Settings)),
        "python-api.md": render_python_api(),
    }
    pages = event_pages()
    for stem, text in pages.items():
        files[f"events/{stem}.md"] = text
    files["openapi.json"] = json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
    asyncapi = asyncapi_document()
    files["asyncapi.json"] = json.dumps(asyncapi, indent=2) + "\n"
    links = {stem: f"/{GENERATED_DIR}/events/{stem}" for stem in pages}
    files["asyncapi.md"] = render_asyncapi(asyncapi, links)
    written = []
    for name, text in files.items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _on_builder_inited(app: Sphinx) -> None:
    generate(Path(app.srcdir))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx.

    Parameters
    ----------
    app
        The Sphinx application.

    Returns
    -------
    dict
        Extension metadata.
    """
    app.connect("builder-inited", _on_builder_inited)
    app.connect("missing-reference", resolve_short_reference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
