"""Avro compatibility vectors, as (old schema, new schema, backward?, forward?) facts.

The cases are re-expressed (not copied) from two public suites, and each expectation was
worked out by hand from the Avro specification's schema-resolution rules:

- Confluent's ``AvroCompatibilityTest``
  (confluentinc/schema-registry, core/src/test/java/io/confluent/kafka/schemaregistry/avro/
  AvroCompatibilityTest.java): schemas 1, 2, 3, 4, 6, 7 and 8 and their transitive histories;
- the ``avro`` package's own tests (apache/avro, lang/py/avro/test/test_compatibility.py,
  mirrored from the Java ``TestSchemaCompatibility``): primitive promotions, arrays, maps,
  enums (with and without defaults), fixed, unions, records, aliases and namespaces.

``backward`` says whether the new schema reads data written with the old one; ``forward``
whether the old one reads data written with the new one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


def _text(schema: Any) -> str:
    return json.dumps(schema)


def _record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def _field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


# Confluent's AvroCompatibilityTest schemas (record "myrecord")
S1 = _text(_record("myrecord", _field("f1", "string")))
S2 = _text(_record("myrecord", _field("f1", "string"), _field("f2", "string", default="foo")))
S3 = _text(_record("myrecord", _field("f1", "string"), _field("f2", "string")))
S4 = _text(_record("myrecord", _field("f1_new", "string", aliases=["f1"])))
S6 = _text(_record("myrecord", _field("f1", ["null", "string"], doc="doc of f1")))
S7 = _text(_record("myrecord", _field("f1", ["null", "string", "int"], doc="doc of f1")))
S8 = _text(
    _record(
        "myrecord",
        _field("f1", "string"),
        _field("f2", "string", default="foo"),
        _field("f3", "string", default="bar"),
    )
)


def _enum(name: str, symbols: list[str], **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": symbols, **extra}


def _inner(*fields: dict[str, Any], namespace: str | None = None) -> dict[str, Any]:
    extra = {"namespace": namespace} if namespace else {}
    return _record("Inner", *fields, **extra)


@dataclass(frozen=True)
class PairVector:
    """One schema change and whether it is backward and forward compatible."""

    id: str
    old: str
    new: str
    backward: bool
    forward: bool


PAIRS = [
    # Confluent's AvroCompatibilityTest
    PairVector("add-field-with-default", S1, S2, backward=True, forward=True),
    PairVector("add-field-without-default", S1, S3, backward=False, forward=True),
    PairVector("rename-field-with-alias", S1, S4, backward=True, forward=False),
    PairVector("field-type-to-union", S1, S6, backward=True, forward=False),
    PairVector("remove-type-from-union", S6, S1, backward=False, forward=True),
    PairVector("add-type-to-union", S6, S7, backward=True, forward=False),
    PairVector("remove-type-from-bigger-union", S7, S6, backward=False, forward=True),
    # the avro package's reader/writer cases: primitives and promotions
    PairVector("int-to-long", _text("int"), _text("long"), backward=True, forward=False),
    PairVector("int-to-float", _text("int"), _text("float"), backward=True, forward=False),
    PairVector("long-to-double", _text("long"), _text("double"), backward=True, forward=False),
    PairVector("float-to-double", _text("float"), _text("double"), backward=True, forward=False),
    PairVector("string-to-bytes", _text("string"), _text("bytes"), backward=True, forward=True),
    PairVector("int-to-string", _text("int"), _text("string"), backward=False, forward=False),
    PairVector("boolean-to-int", _text("boolean"), _text("int"), backward=False, forward=False),
    # arrays and maps recurse into items and values
    PairVector(
        "array-items-int-to-long",
        _text({"type": "array", "items": "int"}),
        _text({"type": "array", "items": "long"}),
        backward=True,
        forward=False,
    ),
    PairVector(
        "map-values-int-to-long",
        _text({"type": "map", "values": "int"}),
        _text({"type": "map", "values": "long"}),
        backward=True,
        forward=False,
    ),
    PairVector(
        "array-to-map",
        _text({"type": "array", "items": "string"}),
        _text({"type": "map", "values": "string"}),
        backward=False,
        forward=False,
    ),
    # enums
    PairVector(
        "enum-add-symbol-without-default",
        _text(_enum("Enum1", ["A", "B"])),
        _text(_enum("Enum1", ["A", "B", "C"])),
        backward=True,
        forward=False,
    ),
    PairVector(
        "enum-add-symbol-with-reader-default",
        _text(_enum("Enum1", ["A", "B"], default="A")),
        _text(_enum("Enum1", ["A", "B", "C"], default="A")),
        backward=True,
        forward=True,
    ),
    PairVector(
        "enum-remove-symbol",
        _text(_enum("Enum1", ["A", "B", "C"])),
        _text(_enum("Enum1", ["B", "C"])),
        backward=False,
        forward=True,
    ),
    PairVector(
        "enum-renamed",
        _text(_enum("Enum1", ["A", "B"])),
        _text(_enum("Enum2", ["A", "B"])),
        backward=False,
        forward=False,
    ),
    PairVector(
        "enum-field-new-symbol-reader-default",
        _text(_record("Record", _field("Field", _enum("Enum", ["A", "B"], default="A")))),
        _text(_record("Record", _field("Field", _enum("Enum", ["A", "B", "C"], default="A")))),
        backward=True,
        forward=True,
    ),
    # fixed
    PairVector(
        "fixed-size-4-to-8",
        _text({"type": "fixed", "name": "Fixed", "size": 4}),
        _text({"type": "fixed", "name": "Fixed", "size": 8}),
        backward=False,
        forward=False,
    ),
    PairVector(
        "fixed-renamed",
        _text({"type": "fixed", "name": "Fixed", "size": 4}),
        _text({"type": "fixed", "name": "AnotherName", "size": 4}),
        backward=False,
        forward=False,
    ),
    # unions
    PairVector(
        "union-reordered",
        _text(["int", "string"]),
        _text(["string", "int"]),
        backward=True,
        forward=True,
    ),
    PairVector("int-to-singleton-union", _text("int"), _text(["int"]), backward=True, forward=True),
    PairVector(
        "union-record-branch-renamed",
        _text(["int", _record("Record1", _field("field1", "int"))]),
        _text(["int", _record("Record2", _field("field1", "int"))]),
        backward=False,
        forward=False,
    ),
    PairVector(
        "nullable-field-from-required",
        _text(_record("R", _field("a", "int"))),
        _text(_record("R", _field("a", ["null", "int"], default=None))),
        backward=True,
        forward=False,
    ),
    # records
    PairVector(
        "record-renamed",
        _text(_record("Record1", _field("a", "int"))),
        _text(_record("Record2", _field("a", "int"))),
        backward=False,
        forward=False,
    ),
    PairVector(
        "record-renamed-with-alias",
        _text(_record("foo", _field("f1", "int"), _field("f2", "string"))),
        _text(_record("other", _field("f1", "int"), aliases=["foo"])),
        backward=True,
        forward=False,
    ),
    PairVector(
        "namespaced-record-renamed-with-relative-alias",
        _text(_record("foo", _field("f1", "int"), namespace="ns")),
        _text(_record("other", _field("f1", "int"), namespace="ns", aliases=["foo"])),
        backward=True,
        forward=False,
    ),
    PairVector(
        "record-field-int-to-long",
        _text(_record("Record1", _field("a", "int"))),
        _text(_record("Record1", _field("a", "long"))),
        backward=True,
        forward=False,
    ),
    PairVector(
        "remove-field-without-default",
        _text(_record("Record1", _field("a", "int"), _field("b", "int"))),
        _text(_record("Record1", _field("a", "int"))),
        backward=True,
        forward=False,
    ),
    PairVector(
        "remove-field-with-default",
        _text(_record("Record1", _field("a", "int"), _field("b", "int", default=0))),
        _text(_record("Record1", _field("a", "int"))),
        backward=True,
        forward=True,
    ),
    # nesting: records inside arrays, maps and unions
    PairVector(
        "nested-record-in-array-gains-defaulted-field",
        _text(
            _record("R", _field("items", {"type": "array", "items": _inner(_field("a", "int"))}))
        ),
        _text(
            _record(
                "R",
                _field(
                    "items",
                    {
                        "type": "array",
                        "items": _inner(_field("a", "int"), _field("b", "int", default=0)),
                    },
                ),
            )
        ),
        backward=True,
        forward=True,
    ),
    PairVector(
        "nested-record-in-map-gains-required-field",
        _text(_record("R", _field("byKey", {"type": "map", "values": _inner(_field("a", "int"))}))),
        _text(
            _record(
                "R",
                _field(
                    "byKey",
                    {"type": "map", "values": _inner(_field("a", "int"), _field("b", "int"))},
                ),
            )
        ),
        backward=False,
        forward=True,
    ),
    PairVector(
        "nested-record-in-union-changes-type",
        _text(_record("R", _field("x", ["null", _inner(_field("a", "int"))], default=None))),
        _text(_record("R", _field("x", ["null", _inner(_field("a", "string"))], default=None))),
        backward=False,
        forward=False,
    ),
    # namespaces: records and enums match on their unqualified names
    PairVector(
        "namespace-added",
        _text(_record("Record", _field("f1", "int"))),
        _text(_record("ns.Record", _field("f1", "int"))),
        backward=True,
        forward=True,
    ),
    PairVector(
        "nested-namespace-changed",
        _text(
            _record(
                "Record1",
                _field(
                    "f1",
                    [
                        "null",
                        {"type": "array", "items": _inner(_field("a", "int"), namespace="ns1")},
                    ],
                ),
            )
        ),
        _text(
            _record(
                "Record1",
                _field(
                    "f1",
                    [
                        "null",
                        {"type": "array", "items": _inner(_field("a", "int"), namespace="ns2")},
                    ],
                ),
            )
        ),
        backward=True,
        forward=True,
    ),
]


@dataclass(frozen=True)
class HistoryVector:
    """A subject history (oldest first), a new schema, a level and the verdict."""

    id: str
    level: str
    history: tuple[str, ...]
    new: str
    compatible: bool


# Confluent's AvroCompatibilityTest histories: non-transitive levels check only the latest
HISTORIES = [
    HistoryVector("backward-checks-latest-only", "BACKWARD", (S1, S2), S3, compatible=True),
    HistoryVector("backward-transitive-all-defaulted", "BACKWARD_TRANSITIVE", (S1, S2), S8, True),
    HistoryVector("backward-transitive-checks-all", "BACKWARD_TRANSITIVE", (S1, S2), S3, False),
    HistoryVector("forward-checks-latest-only", "FORWARD", (S3, S2), S1, compatible=True),
    HistoryVector("forward-transitive-all-defaulted", "FORWARD_TRANSITIVE", (S8, S2), S1, True),
    HistoryVector("forward-transitive-checks-all", "FORWARD_TRANSITIVE", (S3, S2), S1, False),
    HistoryVector("full-checks-latest-only", "FULL", (S1, S2), S3, compatible=True),
    HistoryVector("full-checks-latest-only-removal", "FULL", (S3, S2), S1, compatible=True),
    HistoryVector("full-transitive-adding-defaults", "FULL_TRANSITIVE", (S1, S2), S8, True),
    HistoryVector("full-transitive-removing-defaults", "FULL_TRANSITIVE", (S8, S2), S1, True),
    HistoryVector("full-transitive-adds-required", "FULL_TRANSITIVE", (S1, S2), S3, False),
    HistoryVector("full-transitive-removes-required", "FULL_TRANSITIVE", (S3, S2), S1, False),
    HistoryVector("none-accepts-anything", "NONE", (S1, S2), _text("int"), compatible=True),
]

LEVELS = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
    "NONE",
)


def expected(vector: PairVector, level: str) -> bool:
    """Return whether ``vector.new`` is accepted after ``vector.old`` under ``level``."""
    if level == "NONE":
        return True
    backward = vector.backward or not level.startswith(("BACKWARD", "FULL"))
    forward = vector.forward or not level.startswith(("FORWARD", "FULL"))
    return backward and forward
