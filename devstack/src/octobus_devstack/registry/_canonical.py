"""The identity of an Avro schema: a canonical JSON text that keeps everything that matters.

Avro's Parsing Canonical Form is too lossy to identify a registered schema: it drops
``logicalType``, defaults, ``doc``, aliases and custom properties, all of which change what a
schema means to a client. The canonical text here removes only what never changes meaning:
whitespace, key order, the spelling of names (``"name": "a.b.C"`` equals ``"namespace": "a.b",
"name": "C"``), redundant namespaces and ``{"type": "string"}`` written for ``"string"``.
Keys come in the order Avro's Java library writes them, so the text reads like the schema a
Confluent registry returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["PRIMITIVE_TYPES", "canonical_json", "canonicalise"]

PRIMITIVE_TYPES = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)
_NAMED_KEYS = ("type", "name", "namespace", "doc")
_FIELD_KEYS = ("name", "type", "doc", "default", "order", "aliases")


def canonical_json(schema: Any) -> str:
    """Return the canonical text of a schema given as parsed JSON.

    Parameters
    ----------
    schema
        The schema as ``json.loads`` returns it (already known to be a valid Avro schema).

    Returns
    -------
    str
        Compact JSON: equal for two spellings of the same schema, different otherwise.
    """
    return json.dumps(canonicalise(schema), separators=(",", ":"), ensure_ascii=False)


def canonicalise(schema: Any, namespace: str | None = None) -> Any:
    """Return the canonical JSON value of ``schema`` inside the enclosing ``namespace``.

    Parameters
    ----------
    schema
        A schema as parsed JSON: a type name, a union list or an object.
    namespace
        The namespace of the most tightly enclosing named type (``None`` at the top level).

    Returns
    -------
    Any
        The canonical JSON value.
    """
    if isinstance(schema, str):
        return schema if schema in PRIMITIVE_TYPES else _full_name(schema, namespace)
    if isinstance(schema, list):
        return [canonicalise(branch, namespace) for branch in schema]
    if not isinstance(schema, Mapping):
        return schema
    kind = schema.get("type")
    if isinstance(kind, (list, Mapping)):
        return canonicalise(kind, namespace)
    if kind in ("record", "error", "enum", "fixed"):
        return _named(schema, namespace)
    if kind == "array":
        return {"type": "array", "items": canonicalise(schema["items"], namespace)} | _props(
            schema, ("type", "items")
        )
    if kind == "map":
        return {"type": "map", "values": canonicalise(schema["values"], namespace)} | _props(
            schema, ("type", "values")
        )
    if kind in PRIMITIVE_TYPES:
        props = _props(schema, ("type",))
        return {"type": kind} | props if props else kind
    # {"type": "a.b.C"}: a reference to a named type, written as an object
    return _full_name(str(kind), namespace)


def _named(schema: Mapping[str, Any], enclosing: str | None) -> dict[str, Any]:
    full_name = _full_name(schema["name"], schema.get("namespace", enclosing))
    own_namespace, _, short_name = full_name.rpartition(".")
    result: dict[str, Any] = {"type": schema["type"], "name": short_name}
    if own_namespace and own_namespace != enclosing:
        result["namespace"] = own_namespace
    elif not own_namespace and enclosing:
        result["namespace"] = ""  # leaving a namespace for the null one must stay explicit
    if "doc" in schema:
        result["doc"] = schema["doc"]
    inner = own_namespace or None
    kind = schema["type"]
    if kind in ("record", "error"):
        result["fields"] = [_field(field, inner) for field in schema["fields"]]
    elif kind == "enum":
        result["symbols"] = list(schema["symbols"])
        if "default" in schema:
            result["default"] = schema["default"]
    else:
        result["size"] = schema["size"]
    reserved = (*_NAMED_KEYS, "fields", "symbols", "default", "size", "aliases")
    result |= _props(schema, reserved)
    if "aliases" in schema:
        aliases = _aliases(schema["aliases"], f"type '{full_name}'")
        result["aliases"] = [_full_name(alias, inner) for alias in aliases]
    return result


def _field(field: Mapping[str, Any], namespace: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"name": field["name"], "type": canonicalise(field["type"], namespace)}
    if "doc" in field:
        result["doc"] = field["doc"]
    if "default" in field:
        result["default"] = field["default"]
    if field.get("order", "ascending") != "ascending":
        result["order"] = field["order"]
    if "aliases" in field:
        result["aliases"] = _aliases(field["aliases"], f"field '{field['name']}'")
    return result | _props(field, _FIELD_KEYS)


def _aliases(value: Any, owner: str) -> list[str]:
    # the avro package does not check aliases; Java Avro refuses anything but a list of names
    if not isinstance(value, list) or not all(isinstance(alias, str) and alias for alias in value):
        msg = f"aliases of {owner} must be a list of names, got {json.dumps(value)}"
        raise ValueError(msg)
    return value


def _props(schema: Mapping[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    # custom properties (logicalType, precision, connect.name, ...) in a stable order
    return {key: schema[key] for key in sorted(schema) if key not in reserved}


def _full_name(name: str, namespace: str | None) -> str:
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"
