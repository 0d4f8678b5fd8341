"""The house rules for Avro schema text, applied to every schema we render or register.

Two entry points, both pure functions of a schema as parsed JSON:

- :func:`normalise_schema` rewrites what dataclasses-avroschema renders into the one form we
  register: nullable unions null-first whatever the Python spelling, union branches ordered so
  a default matches the first one, no library-specific keys, no ``name`` on arrays and maps,
  ``Literal`` enums named after their record, record keys in one fixed order.
- :func:`check_schema` refuses a schema that breaks a rule the Java Schema Registry enforces
  and the Python libraries do not (a default that does not match its type or its union's first
  branch), or that defines a named type twice, naming the record and field that is wrong.
  It never rewrites anything, so it also guards schemas written by hand.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import fastavro

from octobus_schemas.events._errors import SchemaRuleError

__all__ = ["check_schema", "normalise_schema", "snapshot_text"]

#: Keys dataclasses-avroschema adds that are not Avro. ``pydantic-class`` names the Python
#: annotation (UUID4 vs UUID, AwareDatetime vs datetime): it would turn a Python-only edit
#: into a new registered version while the bytes on the wire stay the same, and no other
#: language reads it. So it never reaches the registry.
_NON_AVRO_KEYS = frozenset({"pydantic-class"})

#: Fixed key order for records and fields, so schema text never depends on rendering details.
_RECORD_KEY_ORDER = ("type", "name", "namespace", "doc", "aliases", "fields")
_FIELD_KEY_ORDER = ("name", "type", "doc", "default", "aliases", "order")
_ENUM_KEY_ORDER = ("type", "name", "namespace", "doc", "aliases", "symbols", "default")

_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})


def snapshot_text(schema: dict[str, Any]) -> str:
    """Render a schema as the text we keep in snapshots: 2-space JSON and a final newline.

    Parameters
    ----------
    schema
        A schema as parsed JSON (already normalised).

    Returns
    -------
    str
        The same text in every process on every machine for the same schema.
    """
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def normalise_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the house form of a rendered record schema (the argument is not modified).

    Parameters
    ----------
    schema
        A record schema as dataclasses-avroschema renders it.

    Returns
    -------
    dict
        The schema with every house rule applied; :func:`check_schema` accepts it.

    Raises
    ------
    SchemaRuleError
        If a union has a default that matches none of its branches.
    """
    result = copy.deepcopy(schema)
    _normalise_type(result, record=None, field=None, namespace=None)
    return result


def check_schema(schema: dict[str, Any]) -> None:
    """Refuse a schema that a strict registry would refuse, naming the record and field.

    Parameters
    ----------
    schema
        A schema as parsed JSON.

    Raises
    ------
    SchemaRuleError
        If a named type is defined twice, a reference names no defined type, a field default
        does not match its type (for a union: its *first* branch, as Avro requires), or
        fastavro cannot parse the schema.
    """
    named: dict[str, Any] = {}
    _collect_named(schema, namespace=None, named=named)
    for record_name, record_namespace, field in _fields(schema, namespace=None):
        if "default" in field:
            where = f"field {field['name']!r} of record {record_name}"
            branch = field["type"][0] if isinstance(field["type"], list) else field["type"]
            if not _default_matches(field["default"], branch, record_namespace, named):
                mismatch = f"{where}: default {field['default']!r} does not match"
                if not isinstance(field["type"], list):
                    raise SchemaRuleError(f"{mismatch} its type {_describe(branch)}")
                raise SchemaRuleError(
                    f"{mismatch} the union's first branch {_describe(branch)}; Avro requires "
                    "a union default to match the first branch, so list that branch first"
                )
    try:
        fastavro.parse_schema(copy.deepcopy(schema))
    except Exception as exc:  # fastavro raises several unrelated types for bad schemas
        raise SchemaRuleError(f"fastavro refuses the schema: {exc}") from exc


def _normalise_type(
    avro_type: Any, *, record: str | None, field: dict[str, Any] | None, namespace: str | None
) -> Any:
    """Normalise one type in place (dicts and lists) and return it (for strings)."""
    if isinstance(avro_type, list):
        for index, branch in enumerate(avro_type):
            avro_type[index] = _normalise_type(
                branch, record=record, field=field, namespace=namespace
            )
        return avro_type
    if _is_reference(avro_type):
        # The library refers to records by full name but to an enum without a namespace of
        # its own by short name; one form for every reference: the full name.
        return _full_name(avro_type, namespace)
    if not isinstance(avro_type, dict):
        return avro_type
    if avro_type.get("pydantic-class") == "NaiveDatetime":
        # A naive datetime is wall-clock time with no zone: Avro's local-timestamp, which
        # fastavro reads and writes without consulting the host's time zone (a timestamp-millis
        # would be shifted by the producer's TZ).
        avro_type["logicalType"] = "local-timestamp-millis"
    for key in sorted(_NON_AVRO_KEYS & avro_type.keys()):
        del avro_type[key]
    kind = avro_type.get("type")
    if kind in ("array", "map"):
        # The library names containers after their field; Avro arrays and maps have no name.
        avro_type.pop("name", None)
        inner = "items" if kind == "array" else "values"
        avro_type[inner] = _normalise_type(
            avro_type[inner], record=record, field=field, namespace=namespace
        )
    elif kind == "enum" and field is not None and record is not None:
        if avro_type.get("name") == field["name"]:
            # A Literal enum is named after its field, so two records with a ``color``
            # Literal would define ``color`` twice in one schema; name it after its record.
            avro_type["name"] = record.rsplit(".", 1)[-1] + _pascal(field["name"])
        _reorder(avro_type, _ENUM_KEY_ORDER)
    elif kind == "record":
        record_namespace = avro_type.get("namespace", namespace)
        full_name = _full_name(avro_type["name"], record_namespace)
        for record_field in avro_type["fields"]:
            record_field["type"] = _normalise_type(
                record_field["type"],
                record=full_name,
                field=record_field,
                namespace=record_namespace,
            )
            _order_union(record_field, full_name)
            if "aliases" in record_field:
                # Built from a set by the library: sorted, so the text never varies.
                record_field["aliases"] = sorted(record_field["aliases"])
            _reorder(record_field, _FIELD_KEY_ORDER)
        _reorder(avro_type, _RECORD_KEY_ORDER)
    return avro_type


def _order_union(field: dict[str, Any], record: str) -> None:
    """Put ``null`` first in a nullable union, or the default's branch first if it has one."""
    branches = field["type"]
    if not isinstance(branches, list):
        return
    default_is_null = field.get("default") is None
    if default_is_null and "null" in branches:
        branches.remove("null")
        branches.insert(0, "null")
        return
    if "default" not in field:
        return
    default = field["default"]
    # Primitive and inline branches first: a named reference is only known to be a record,
    # enum or fixed once the whole schema has been read (check_schema does that exactly).
    candidates = sorted(range(len(branches)), key=lambda i: _is_reference(branches[i]))
    for index in candidates:
        if _default_matches(default, branches[index], None, None):
            branches.insert(0, branches.pop(index))
            return
    raise SchemaRuleError(
        f"field {field['name']!r} of record {record}: default {default!r} matches none of the "
        f"union's branches {[_describe(b) for b in branches]}"
    )


def _default_matches(
    default: Any, avro_type: Any, namespace: str | None, named: dict[str, Any] | None
) -> bool:
    """Whether a JSON default is valid for one (non-union) Avro type."""
    if _is_reference(avro_type):
        if named is None:
            return isinstance(default, dict | str)
        definition = named.get(avro_type) or named.get(_full_name(avro_type, namespace))
        if definition is None:
            return False
        return _default_matches(default, definition, namespace, named)
    if isinstance(avro_type, list):
        return bool(avro_type) and _default_matches(default, avro_type[0], namespace, named)
    kind = avro_type["type"] if isinstance(avro_type, dict) else avro_type
    if isinstance(kind, dict | list):
        return _default_matches(default, kind, namespace, named)
    checks: dict[str, bool] = {
        "null": default is None,
        "boolean": isinstance(default, bool),
        "int": isinstance(default, int) and not isinstance(default, bool),
        "long": isinstance(default, int) and not isinstance(default, bool),
        "float": isinstance(default, int | float) and not isinstance(default, bool),
        "double": isinstance(default, int | float) and not isinstance(default, bool),
        "bytes": isinstance(default, str),
        "string": isinstance(default, str),
        "fixed": isinstance(default, str),
        "array": isinstance(default, list),
        "map": isinstance(default, dict),
        "record": isinstance(default, dict),
        "enum": isinstance(default, str)
        and isinstance(avro_type, dict)
        and default in avro_type.get("symbols", []),
    }
    return checks.get(kind, False)


def _collect_named(avro_type: Any, *, namespace: str | None, named: dict[str, Any]) -> None:
    """Record every named type by full name; a second definition of a name is an error."""
    if isinstance(avro_type, list):
        for branch in avro_type:
            _collect_named(branch, namespace=namespace, named=named)
        return
    if not isinstance(avro_type, dict):
        return
    kind = avro_type.get("type")
    if kind in ("record", "enum", "fixed", "error"):
        own_namespace = avro_type.get("namespace", namespace)
        full_name = _full_name(avro_type["name"], own_namespace)
        if full_name in named:
            raise SchemaRuleError(
                f"named type {full_name} is defined twice in one schema; define it once and "
                "refer to it by name after"
            )
        named[full_name] = avro_type
        for field in avro_type.get("fields", []):
            _collect_named(field["type"], namespace=own_namespace, named=named)
    elif kind == "array":
        _collect_named(avro_type["items"], namespace=namespace, named=named)
    elif kind == "map":
        _collect_named(avro_type["values"], namespace=namespace, named=named)
    elif isinstance(kind, dict | list):
        _collect_named(kind, namespace=namespace, named=named)


def _fields(
    avro_type: Any, *, namespace: str | None
) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """Yield (record full name, record namespace, field) for every field of every record."""
    if isinstance(avro_type, list):
        for branch in avro_type:
            yield from _fields(branch, namespace=namespace)
        return
    if not isinstance(avro_type, dict):
        return
    kind = avro_type.get("type")
    if kind in ("record", "error"):
        own_namespace = avro_type.get("namespace", namespace)
        full_name = _full_name(avro_type["name"], own_namespace)
        for field in avro_type.get("fields", []):
            yield full_name, own_namespace, field
            yield from _fields(field["type"], namespace=own_namespace)
    elif kind == "array":
        yield from _fields(avro_type["items"], namespace=namespace)
    elif kind == "map":
        yield from _fields(avro_type["values"], namespace=namespace)


def _is_reference(avro_type: Any) -> bool:
    return isinstance(avro_type, str) and avro_type not in _PRIMITIVES


def _full_name(name: str, namespace: str | None) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _describe(avro_type: Any) -> str:
    if isinstance(avro_type, dict):
        return str(avro_type.get("logicalType") or avro_type.get("name") or avro_type["type"])
    return str(avro_type)


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _reorder(mapping: dict[str, Any], order: tuple[str, ...]) -> None:
    """Reorder keys in place: known keys in ``order`` first, unknown keys after, sorted."""
    items = dict(mapping)
    mapping.clear()
    for key in order:
        if key in items:
            mapping[key] = items.pop(key)
    for key in sorted(items):
        mapping[key] = items[key]
