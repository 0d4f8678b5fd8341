"""Compiled resolution gives exactly what fastavro's resolution gives, for each kind it covers.

The decoder resolves common schema changes with a projection compiled once per schema pair
(octobus_schemas.avro._resolution) instead of fastavro's per-message matching. Each case
below writes a record with one schema, then compares our projection of the writer-schema
read with fastavro resolving the same bytes into the reader schema.
"""

from __future__ import annotations

import io
from typing import Any

import fastavro
import pytest
from octobus_schemas.avro._resolution import compile_projection


def record(fields: list[dict[str, Any]], name: str = "Thing") -> dict[str, Any]:
    """A record schema in namespace ``t``."""
    return {"type": "record", "name": name, "namespace": "t", "fields": fields}


INNER_V1 = record([{"name": "a", "type": "long"}], "Inner")
INNER_V2 = record(
    [{"name": "a", "type": "long"}, {"name": "b", "type": "string", "default": "x"}], "Inner"
)
OTHER = record([{"name": "a", "type": "long"}], "Other")

SUPPORTED: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "field-added-with-default",
        record([{"name": "id", "type": "long"}]),
        record(
            [
                {"name": "id", "type": "long"},
                {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
                {"name": "note", "type": ["null", "string"], "default": None},
                {"name": "n", "type": "double", "default": 1},
            ]
        ),
        {"id": 1},
    ),
    (
        "field-removed",
        record([{"name": "id", "type": "long"}, {"name": "gone", "type": "string"}]),
        record([{"name": "id", "type": "long"}]),
        {"id": 1, "gone": "bye"},
    ),
    (
        "promotions",
        record(
            [
                {"name": "i", "type": "int"},
                {"name": "f", "type": "float"},
                {"name": "s", "type": "string"},
                {"name": "l", "type": "long"},
            ]
        ),
        record(
            [
                {"name": "i", "type": "double"},
                {"name": "f", "type": "double"},
                {"name": "s", "type": "bytes"},
                {"name": "l", "type": "float"},
            ]
        ),
        {"i": 3, "f": 1.5, "s": "txt", "l": 7},
    ),
    (
        "enum-symbol-added",
        record([{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}]),
        record([{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}}]),
        {"e": "B"},
    ),
    (
        "enum-symbol-removed-with-default",
        record(
            [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "NEW"]}}]
        ),
        record(
            [
                {
                    "name": "e",
                    "type": {"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "A"},
                }
            ]
        ),
        {"e": "NEW"},
    ),
    (
        "nested-record-changed",
        record([{"name": "inner", "type": INNER_V1}]),
        record([{"name": "inner", "type": INNER_V2}]),
        {"inner": {"a": 5}},
    ),
    (
        "optional-nested-record-changed",
        record([{"name": "inner", "type": ["null", INNER_V1], "default": None}]),
        record([{"name": "inner", "type": ["null", INNER_V2], "default": None}]),
        {"inner": {"a": 5}},
    ),
    (
        "list-and-map-of-changed-records",
        record(
            [
                {"name": "xs", "type": {"type": "array", "items": INNER_V1}},
                {"name": "m", "type": {"type": "map", "values": "t.Inner"}},
            ]
        ),
        record(
            [
                {"name": "xs", "type": {"type": "array", "items": INNER_V2}},
                {"name": "m", "type": {"type": "map", "values": "t.Inner"}},
            ]
        ),
        {"xs": [{"a": 1}, {"a": 2}], "m": {"k": {"a": 3}}},
    ),
    (
        "union-of-two-records-one-changed",
        record([{"name": "u", "type": [INNER_V1, OTHER]}]),
        record([{"name": "u", "type": [INNER_V2, OTHER]}]),
        {"u": ("t.Inner", {"a": 9})},
    ),
    (
        "doc-and-namespace-spelling-only",
        record([{"name": "id", "type": "long", "doc": "old doc"}]),
        {
            "type": "record",
            "name": "t.Thing",
            "doc": "new",
            "fields": [{"name": "id", "type": "long"}],
        },
        {"id": 4},
    ),
    (
        "renamed-field-through-alias",
        record([{"name": "old_name", "type": "string"}]),
        record([{"name": "new_name", "type": "string", "aliases": ["old_name"]}]),
        {"old_name": "v"},
    ),
]


def write(schema: dict[str, Any], value: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    fastavro.schemaless_writer(stream, fastavro.parse_schema(schema), value)
    return stream.getvalue()


def read(data: bytes, writer: dict[str, Any], reader: dict[str, Any] | None) -> Any:
    return fastavro.schemaless_reader(
        io.BytesIO(data),
        fastavro.parse_schema(writer),
        None if reader is None else fastavro.parse_schema(reader),
        return_record_name=True,
        return_record_name_override=True,
    )


@pytest.mark.parametrize(
    ("writer", "reader", "value"),
    [case[1:] for case in SUPPORTED],
    ids=[case[0] for case in SUPPORTED],
)
def test_the_compiled_projection_equals_fastavro_resolution(
    writer: dict[str, Any], reader: dict[str, Any], value: dict[str, Any]
) -> None:
    data = write(writer, value)
    projection = compile_projection(writer, reader)
    assert projection is not None, "this kind of change is meant to be compiled"
    ours, theirs = projection(read(data, writer, None)), read(data, writer, reader)
    assert ours == theirs
    assert list(ours) == list(theirs), "keys in the reader's field order"


def test_default_containers_are_fresh_for_every_record() -> None:
    writer = record([{"name": "id", "type": "long"}])
    reader = record(
        [
            {"name": "id", "type": "long"},
            {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
        ]
    )
    projection = compile_projection(writer, reader)
    assert projection is not None
    first, second = projection({"id": 1}), projection({"id": 2})
    first["tags"].append("mutated")
    assert second["tags"] == []


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        (  # a record default needs fastavro's conversion
            record([{"name": "id", "type": "long"}]),
            record(
                [
                    {"name": "id", "type": "long"},
                    {"name": "inner", "type": INNER_V1, "default": {"a": 1}},
                ]
            ),
        ),
        (  # a logical type changed
            record([{"name": "at", "type": "long"}]),
            record([{"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]),
        ),
        (  # union branches reordered
            record([{"name": "u", "type": ["null", "string"]}]),
            record([{"name": "u", "type": ["string", "null"]}]),
        ),
        (  # a field without default missing from the writer: fastavro names it in its error
            record([{"name": "id", "type": "long"}]),
            record([{"name": "id", "type": "long"}, {"name": "due", "type": "long"}]),
        ),
    ],
    ids=["record-default", "logical-type-added", "union-reordered", "missing-without-default"],
)
def test_other_changes_are_left_to_fastavro(writer: dict[str, Any], reader: dict[str, Any]) -> None:
    assert compile_projection(writer, reader) is None
