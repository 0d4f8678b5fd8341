"""One reference page per event record, generated from the catalog at build time.

Each page names the record, its topic and the GitHub event it carries, lists the
top-level fields with their Avro types, and shows the full schema exactly as
``octobus-schemas export`` writes it (and as ``schemas-client/schemas/`` holds it).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from octobus_schemas.catalog import CATALOG, render_schema_text
from octobus_schemas.events import OctobusModel
from octobus_schemas.topics import all_topics

from octobus_docs.settings import public_name

__all__ = ["event_pages", "render_event_page"]


def event_pages() -> dict[str, str]:
    """Render a page for every record in the catalog.

    Returns
    -------
    dict of str to str
        Page file stem (the model's class name) to MyST Markdown, in catalog order.
    """
    return {model.__name__: render_event_page(model) for model in CATALOG.models()}


def render_event_page(model: type[OctobusModel]) -> str:
    """Render the reference page of one event record.

    Parameters
    ----------
    model
        An event class from the catalog.

    Returns
    -------
    str
        MyST Markdown.
    """
    full_name = model.get_fullname()
    text = render_schema_text(model)
    schema: dict[str, Any] = json.loads(text)
    topics = [spec for spec in all_topics() if spec.model is model]
    lines = [
        f"<!-- Generated from {full_name} by docs/_ext/octobus_docs/events.py. -->",
        f"# {model.__name__}",
        "",
        f"Record `{full_name}`, class {{py:class}}`{public_name(model)}`.",
        "",
    ]
    summary = (model.__doc__ or "").strip().split("\n\n")[0]
    if summary:
        lines += [" ".join(summary.split()), ""]
    for spec in topics:
        carries = (
            f"every `{spec.github_event}` delivery"
            if spec.github_event
            else "every delivery whose event type has no model of its own"
        )
        lines.append(f"Topic `{spec.name}` (before any topic prefix) carries {carries}.")
    lines += [
        "",
        f"Subject under the default RecordNameStrategy: `{full_name}`.",
        "",
        "## Fields",
        "",
        "| Field | Avro type | Default | Description |",
        "| --- | --- | --- | --- |",
    ]
    attribute_docs = _attribute_docs(model)
    for field in schema["fields"]:
        default = f"`{json.dumps(field['default'])}`" if "default" in field else "required"
        described = field.get("doc") or attribute_docs.get(field["name"], "")
        doc = " ".join(str(described).split()).replace("|", "\\|")
        lines.append(f"| `{field['name']}` | {_type_text(field['type'])} | {default} | {doc} |")
    lines += [
        "",
        "## Schema",
        "",
        f"The registered schema, byte for byte (`schemas-client/schemas/{full_name}.avsc`):",
        "",
        "```json",
        text.rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(lines)


def _attribute_docs(model: type) -> dict[str, str]:
    # Fields without a schema "doc" may be described in a numpydoc "Attributes" section of
    # the model or one of its bases (the delivery envelope is): use that text.
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        lines = inspect.cleandoc(cls.__dict__.get("__doc__") or "").splitlines()
        if "Attributes" not in lines:
            continue
        start = lines.index("Attributes") + 2
        name = None
        for line in lines[start:]:
            if line and not line.startswith(" "):
                if line.endswith(("---", "===")) or not line.isidentifier():
                    break
                name = line
                found[name] = ""
            elif name is not None and line.strip():
                found[name] = f"{found[name]} {line.strip()}".strip()
    return found


def _type_text(avro_type: Any) -> str:
    return f"`{_type_name(avro_type)}`".replace("|", "\\|")


def _type_name(avro_type: Any) -> str:
    if isinstance(avro_type, str):
        # A named type declared earlier in the schema: its short name, as where it is declared.
        return avro_type.rsplit(".", 1)[-1]
    if isinstance(avro_type, list):
        return " | ".join(_type_name(member) for member in avro_type)
    if isinstance(avro_type, dict):
        kind = avro_type.get("type")
        if "logicalType" in avro_type:
            return f"{kind} ({avro_type['logicalType']})"
        if kind in ("record", "enum", "fixed"):
            return str(avro_type.get("name"))
        if kind == "array":
            return f"array<{_type_name(avro_type['items'])}>"
        if kind == "map":
            return f"map<{_type_name(avro_type['values'])}>"
        return _type_name(kind)
    return str(avro_type)
