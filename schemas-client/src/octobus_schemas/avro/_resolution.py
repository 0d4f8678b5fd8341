"""Avro schema resolution (writer -> reader), compiled once per pair of schemas.

fastavro resolves a writer schema into a reader schema while it reads, matching the two
schemas again for every record and every nested value, which makes decoding several times
slower than reading with the writer schema alone. Schemas evolve in a few common ways (fields
added with defaults, fields removed, numeric promotions, enum symbols added, all of it at any
depth), and for those the resolution is a fixed reshaping of what the writer schema reads:
`compile_projection` builds that reshaping once. For any other difference it returns None
and the decoder lets fastavro resolve, so the result is always what the Avro specification
says; a test compares both on every supported kind of change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from octobus_schemas.avro._schema import PRIMITIVE_TYPES, normalized

__all__ = ["Projection", "compile_projection"]

Projection = Callable[[Any], Any]
"""Turns a value read with the writer schema into the value the reader schema resolves to."""

_SHAPE_KEYS = frozenset(
    {
        "type",
        "name",
        "fields",
        "symbols",
        "items",
        "values",
        "size",
        "logicalType",
        "precision",
        "scale",
    }
)
_PROMOTIONS: dict[tuple[str, str], Projection | None] = {
    ("int", "long"): None,
    ("float", "double"): None,
    ("int", "float"): float,
    ("int", "double"): float,
    ("long", "float"): float,
    ("long", "double"): float,
    ("string", "bytes"): lambda value: value.encode(),
    ("bytes", "string"): lambda value: value.decode(),
}


class _Unsupported(Exception):  # noqa: N818 - internal control flow, never escapes
    """Raised when a difference is left to fastavro."""


def _identity(value: Any) -> Any:
    return value


def compile_projection(writer: dict[str, Any], reader: dict[str, Any]) -> Projection | None:
    """Compile the resolution of ``writer`` into ``reader``, if it is of a supported kind.

    Parameters
    ----------
    writer
        The schema the data was written with.
    reader
        The schema to read it into.

    Returns
    -------
    Projection or None
        A function from the value read with ``writer`` to the resolved value, or None when the
        pair needs fastavro's general resolution (or cannot be resolved at all).
    """
    try:
        compiled = _Compiler(normalized(writer), normalized(reader)).project(
            normalized(writer), normalized(reader)
        )
    except _Unsupported:
        return None
    return compiled or _identity


class _Compiler:
    def __init__(self, writer: Any, reader: Any) -> None:
        self._writer_named = _named_types(writer)
        self._reader_named = _named_types(reader)

    def project(self, writer: Any, reader: Any) -> Projection | None:
        """Return the projection for one pair of types (None: the value is kept as read)."""
        writer = self._resolve(writer, self._writer_named)
        reader = self._resolve(reader, self._reader_named)
        if _shape(writer, self._writer_named) == _shape(reader, self._reader_named):
            return None
        if isinstance(writer, list) and isinstance(reader, list):
            return self._union(writer, reader)
        if isinstance(writer, list) or isinstance(reader, list):
            raise _Unsupported
        writer_kind = writer if isinstance(writer, str) else writer["type"]
        reader_kind = reader if isinstance(reader, str) else reader["type"]
        if isinstance(writer, str) and isinstance(reader, str):
            if (writer_kind, reader_kind) in _PROMOTIONS:
                return _PROMOTIONS[(writer_kind, reader_kind)]
            raise _Unsupported
        if not isinstance(writer, dict) or not isinstance(reader, dict):
            raise _Unsupported
        if writer.get("logicalType") or reader.get("logicalType") or writer_kind != reader_kind:
            raise _Unsupported
        if writer_kind == "record":
            return self._record(writer, reader)
        if writer_kind == "enum":
            return self._enum(writer, reader)
        if writer_kind == "array":
            items = self.project(writer["items"], reader["items"])
            return None if items is None else (lambda values: [items(v) for v in values])
        if writer_kind == "map":
            values = self.project(writer["values"], reader["values"])
            if values is None:
                return None
            return lambda mapping: {key: values(value) for key, value in mapping.items()}
        raise _Unsupported

    def _resolve(self, node: Any, named: dict[str, Any]) -> Any:
        if isinstance(node, str) and node not in PRIMITIVE_TYPES:
            return named.get(node, node)
        if isinstance(node, dict) and isinstance(node.get("type"), str) and len(node) == 1:
            return self._resolve(node["type"], named)
        return node

    def _record(self, writer: dict[str, Any], reader: dict[str, Any]) -> Projection:
        if not _same_name(writer, reader):
            raise _Unsupported
        written = {field["name"]: field for field in writer["fields"]}
        copied: list[tuple[str, str, Projection | None]] = []
        defaults: list[tuple[str, Any]] = []
        for field in reader["fields"]:
            source = next(
                (name for name in (field["name"], *field.get("aliases", ())) if name in written),
                None,
            )
            if source is not None:
                copied.append(
                    (field["name"], source, self.project(written[source]["type"], field["type"]))
                )
            elif "default" in field:
                defaults.append((field["name"], self._default(field["type"], field["default"])))
            else:
                raise _Unsupported  # fastavro raises the resolution error, naming the field
        used = {source for _, source, _ in copied}
        dropped = tuple(name for name in written if name not in used)
        renamed = tuple((name, source) for name, source, _ in copied if name != source)
        converted = tuple((name, convert) for name, _, convert in copied if convert is not None)
        fills = tuple(defaults)
        # Models built from the dict keep its key order, which must be the reader's. The
        # usual evolution (fields appended with defaults) keeps it without reordering.
        reader_order = [field["name"] for field in reader["fields"]]
        after_in_place = [name for name in written if name not in dropped]
        for name, source in renamed:
            after_in_place.remove(source)
            after_in_place.append(name)
        after_in_place += [name for name, _ in fills]
        order = tuple(reader_order) if after_in_place != reader_order else ()

        if not (dropped or renamed or converted or order):
            # The usual evolution alone (fields added with defaults): only fill them in.
            def fill(record: dict[str, Any]) -> dict[str, Any]:
                for name, default in fills:
                    record[name] = (
                        copy.copy(default) if isinstance(default, list | dict) else default
                    )
                return record

            return fill

        # In place: the dict is fresh from fastavro and only reshaped, never shared.
        def project(record: dict[str, Any]) -> dict[str, Any]:
            for name in dropped:
                del record[name]
            for name, source in renamed:
                record[name] = record.pop(source)
            for name, convert in converted:
                record[name] = convert(record[name])
            for name, default in fills:
                # A fresh copy: a default list or dict must not be shared between records.
                record[name] = copy.copy(default) if isinstance(default, list | dict) else default
            if order:
                return {name: record[name] for name in order}
            return record

        return project

    def _union(self, writer: list[Any], reader: list[Any]) -> Projection | None:
        # Only unions whose branches correspond one to one, in order: then each value read
        # keeps its branch and only a changed record inside needs reshaping.
        if len(writer) != len(reader):
            raise _Unsupported
        records: dict[str, tuple[str, Projection | None]] = {}
        for writer_branch, reader_branch in zip(writer, reader, strict=True):
            resolved_writer = self._resolve(writer_branch, self._writer_named)
            resolved_reader = self._resolve(reader_branch, self._reader_named)
            if isinstance(resolved_writer, dict) and resolved_writer.get("type") == "map":
                raise _Unsupported  # a map and a record would both read as dicts
            same = _shape(resolved_writer, self._writer_named) == _shape(
                resolved_reader, self._reader_named
            )
            is_record = (
                isinstance(resolved_writer, dict)
                and resolved_writer.get("type") == "record"
                and isinstance(resolved_reader, dict)
                and resolved_reader.get("type") == "record"
            )
            if is_record:
                records[resolved_writer["name"]] = (
                    resolved_reader["name"],
                    None if same else self._record(resolved_writer, resolved_reader),
                )
            elif not same:
                raise _Unsupported
        if all(projection is None for _, projection in records.values()):
            return None
        single = next(iter(records.values())) if len(records) == 1 else None

        def project(value: Any) -> Any:
            if isinstance(value, tuple):
                name, projection = records[value[0]]
                return (name, value[1] if projection is None else projection(value[1]))
            if isinstance(value, dict) and single is not None and single[1] is not None:
                return single[1](value)
            return value

        return project

    def _enum(self, writer: dict[str, Any], reader: dict[str, Any]) -> Projection | None:
        if not _same_name(writer, reader):
            raise _Unsupported
        unknown = set(writer["symbols"]) - set(reader["symbols"])
        if not unknown:
            return None
        if "default" not in reader:
            raise _Unsupported
        fallback = reader["default"]
        return lambda symbol: fallback if symbol in unknown else symbol

    def _default(self, field_type: Any, default: Any) -> Any:
        # Only defaults whose JSON value is already the Python value are compiled; the rest
        # (records, bytes, logical types) are left to fastavro's own conversion.
        branch = self._resolve(
            field_type[0] if isinstance(field_type, list) else field_type, self._reader_named
        )
        if default is None or (
            isinstance(branch, str)
            and branch in ("boolean", "int", "long", "float", "double", "string")
        ):
            if branch in ("float", "double") and isinstance(default, int):
                return float(default)
            return default
        if isinstance(branch, dict) and not branch.get("logicalType"):
            if branch["type"] == "enum":
                return default
            if branch["type"] in ("array", "map") and not default:
                return default
        raise _Unsupported


def _same_name(writer: dict[str, Any], reader: dict[str, Any]) -> bool:
    return writer["name"] == reader["name"] or writer["name"] in reader.get("aliases", ())


def _named_types(schema: Any) -> dict[str, Any]:
    named: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for branch in node:
                walk(branch)
        elif isinstance(node, dict):
            kind = node.get("type")
            if kind in ("record", "error", "enum", "fixed"):
                named[node["name"]] = node
                for field in node.get("fields", ()):
                    walk(field["type"])
            elif kind == "array":
                walk(node["items"])
            elif kind == "map":
                walk(node["values"])
            elif isinstance(kind, dict | list):
                walk(kind)

    walk(schema)
    return named


def _shape(node: Any, named: dict[str, Any], seen: frozenset[str] = frozenset()) -> Any:
    """Return what decides the decoded value: names, types, symbols, logical types; not docs."""
    if isinstance(node, str):
        if node in PRIMITIVE_TYPES:
            return node
        if node in seen or node not in named:
            return ("ref", node)
        return _shape(named[node], named, seen)
    if isinstance(node, list):
        return tuple(_shape(branch, named, seen) for branch in node)
    if not isinstance(node, dict):
        return node
    inner_seen = seen | {node["name"]} if "name" in node else seen
    shaped = []
    for key in sorted(_SHAPE_KEYS & node.keys()):
        value = node[key]
        if key == "fields":
            value = tuple((f["name"], _shape(f["type"], named, inner_seen)) for f in value)
        elif key in ("items", "values", "type"):
            value = _shape(value, named, inner_seen)
        elif key == "symbols":
            value = tuple(value)
        shaped.append((key, value))
    return tuple(shaped)
