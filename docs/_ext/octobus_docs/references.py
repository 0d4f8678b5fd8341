"""Resolve short Python references in docstrings to the one Octobus object they name.

Docstrings say `AvroCodec` where Sphinx expects ``octobus_schemas.avro.AvroCodec``: a
reader knows which one is meant, and so does this resolver when exactly one documented
Octobus object has that name. An ambiguous or unknown short name stays unresolved (and
unlinked); a *qualified* ``octobus...`` reference that does not resolve fails the build,
because nitpicky mode is on for Octobus's own names (see ``conf.py``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains.python import PythonDomain
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode

__all__ = ["resolve_short_reference"]


def resolve_short_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    """Resolve a Python reference that names one Octobus object by its last components.

    Parameters
    ----------
    app
        The Sphinx application.
    env
        The build environment.
    node
        The unresolved reference.
    contnode
        The text to link.

    Returns
    -------
    docutils.nodes.reference or None
        A link to the single match, or None to leave the reference to Sphinx.
    """
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    assert isinstance(domain, PythonDomain)
    target = str(node["reftarget"]).lstrip(".~")
    # searchmode 1 also matches objects whose full name ends in "." + target.
    matches = [
        (name, entry)
        for name, entry in domain.find_obj(env, "", "", target, None, searchmode=1)
        if name.startswith("octobus")
    ]
    if not matches and target.startswith("octobus") and "." in target:
        # A name by its defining module (octobus_schemas.events.common.Repository) that
        # is documented where its package re-exports it (octobus_schemas.events.Repository).
        module, _, short = target.rpartition(".")
        package = module.split(".")[0]
        matches = [
            (name, entry)
            for name, entry in domain.find_obj(env, "", "", short, None, searchmode=1)
            if name.startswith(package) and module.startswith(name.rpartition(".")[0])
        ]
    if len(matches) != 1:
        return None
    name, entry = matches[0]
    return make_refnode(
        app.builder, str(node["refdoc"]), entry.docname, entry.node_id, contnode, name
    )
