"""Parse and validate Avro schemas the way Confluent's registry does before storing them.

The ``avro`` package parses names, types and references; it does not check default values,
so this module does (as Java Avro does with ``validateDefaults``): a field's default must be a
valid JSON encoding of its type, and a union's default must match the union's *first* branch.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import avro.errors
import avro.name
import avro.schema

from octobus_devstack.registry._canonical import canonical_json
from octobus_devstack.registry._errors import InvalidSchemaError
from octobus_devstack.registry._nesting import MAX_NESTING, nesting_exceeds

__all__ = ["ParsedSchema", "parse_avro"]

_INT_RANGE = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class ParsedSchema:
    """A valid Avro schema.

    Parameters
    ----------
    canonical
        The canonical text: the schema's identity and the text the registry returns.
    schema
        The parsed schema, for compatibility checks.
    """

    canonical: str
    schema: avro.schema.Schema


def parse_avro(text: object, referenced: Sequence[str] = ()) -> ParsedSchema:
    """Parse a schema text, check it (defaults included) and compute its canonical text.

    Parameters
    ----------
    text
        The ``schema`` string of a request.
    referenced
        Canonical texts of the schemas it references (transitively), dependencies first.

    Returns
    -------
    ParsedSchema
        The canonical text and the parsed schema.

    Raises
    ------
    InvalidSchemaError
        Not a string, not JSON, not a valid Avro schema, or an invalid default value.
    """
    if not isinstance(text, str) or not text.strip():
        msg = f"Invalid schema {text!r}: the schema must be a non-empty string of JSON"
        raise InvalidSchemaError(msg)
    if nesting_exceeds(text):
        msg = (
            f"Invalid schema {_excerpt(text)}, details: it nests arrays and objects deeper "
            f"than {MAX_NESTING} levels, the most this registry checks"
        )
        raise InvalidSchemaError(msg)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"Invalid schema {text}, details: not valid JSON: {error}"
        raise InvalidSchemaError(msg) from error
    schema = _parse(text, document, referenced)
    problem = _first_invalid_default(schema, set())
    if problem is not None:
        msg = f"Invalid schema {text}, details: {problem}"
        raise InvalidSchemaError(msg)
    try:
        canonical = canonical_json(document)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        # shapes the avro package lets through (it does not look at every attribute)
        msg = f"Invalid schema {text}, details: {error}"
        raise InvalidSchemaError(msg) from error
    if canonical != text:
        # Compatibility checks compare this schema with stored ones, which are parsed from
        # their canonical text; parse this one the same way, so that both sides spell names
        # and aliases alike (the avro package compares aliases as written, unqualified).
        schema = _parse(text, json.loads(canonical), referenced)
    return ParsedSchema(canonical=canonical, schema=schema)


def _excerpt(text: str, length: int = 200) -> str:
    # a schema refused for its size is not echoed whole into the answer
    return text if len(text) <= length else f"{text[:length]}... ({len(text)} characters)"


def _parse(text: str, document: Any, referenced: Sequence[str]) -> avro.schema.Schema:
    names = avro.name.Names()
    # the avro package warns (rather than fails) on ignored logical types; a registry
    # request is not the place for a process-wide warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for dependency in referenced:
                avro.schema.make_avsc_object(json.loads(dependency), names)
            return avro.schema.make_avsc_object(document, names)
        except (avro.errors.AvroException, TypeError, ValueError, KeyError) as error:
            msg = f"Invalid schema {text}, details: {error}"
            raise InvalidSchemaError(msg) from error


def _first_invalid_default(schema: avro.schema.Schema, seen: set[int]) -> str | None:
    """Return a message naming the first field whose default is invalid, else ``None``."""
    if id(schema) in seen:
        return None
    seen.add(id(schema))
    if isinstance(schema, avro.schema.RecordSchema):
        for field in schema.fields:
            if field.has_default and not is_valid_default(field.type, field.default):
                return (
                    f"Invalid default for field '{field.name}' of record '{schema.fullname}': "
                    f"{json.dumps(field.default)} is not a valid "
                    f"{_describe(field.type)}"
                )
            problem = _first_invalid_default(field.type, seen)
            if problem is not None:
                return problem
        return None
    if isinstance(schema, avro.schema.EnumSchema):
        default = schema.props.get("default")
        if default is not None and default not in schema.symbols:
            return f"Invalid default for enum '{schema.fullname}': {default!r} is not a symbol"
        return None
    children: list[avro.schema.Schema] = []
    if isinstance(schema, avro.schema.UnionSchema):
        children = list(schema.schemas)
    elif isinstance(schema, avro.schema.ArraySchema):
        children = [schema.items]
    elif isinstance(schema, avro.schema.MapSchema):
        children = [schema.values]
    for child in children:
        problem = _first_invalid_default(child, seen)
        if problem is not None:
            return problem
    return None


def is_valid_default(schema: avro.schema.Schema, value: Any) -> bool:
    """Say whether ``value`` is a valid JSON default for ``schema`` (Avro specification).

    Parameters
    ----------
    schema
        The field's type.
    value
        The default, as parsed JSON.

    Returns
    -------
    bool
        ``True`` when a reader can use the value.
    """
    kind = schema.type
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in _INT_RANGE:
        low, high = _INT_RANGE[kind]
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if kind in ("float", "double"):
        if isinstance(value, str):
            return value in ("NaN", "Infinity", "-Infinity")
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "bytes":
        return isinstance(value, str) and all(ord(char) < 256 for char in value)
    if kind == "fixed":
        assert isinstance(schema, avro.schema.FixedSchema)
        return (
            isinstance(value, str)
            and len(value) == schema.size
            and all(ord(char) < 256 for char in value)
        )
    if kind == "enum":
        assert isinstance(schema, avro.schema.EnumSchema)
        return isinstance(value, str) and value in schema.symbols
    if kind == "array":
        assert isinstance(schema, avro.schema.ArraySchema)
        return isinstance(value, list) and all(is_valid_default(schema.items, v) for v in value)
    if kind == "map":
        assert isinstance(schema, avro.schema.MapSchema)
        return isinstance(value, dict) and all(
            is_valid_default(schema.values, v) for v in value.values()
        )
    if kind == "union":
        assert isinstance(schema, avro.schema.UnionSchema)
        # the Avro specification: a union's default matches its first branch
        return bool(schema.schemas) and is_valid_default(schema.schemas[0], value)
    if kind in ("record", "error"):
        assert isinstance(schema, avro.schema.RecordSchema)
        if not isinstance(value, dict):
            return False
        return all(
            is_valid_default(field.type, value[field.name])
            if field.name in value
            else field.has_default
            for field in schema.fields
        )
    return False


def _describe(schema: avro.schema.Schema) -> str:
    if isinstance(schema, avro.schema.UnionSchema) and schema.schemas:
        first = schema.schemas[0]
        return f"union whose first branch is {_describe(first)}"
    if isinstance(schema, avro.schema.NamedSchema):
        return f'"{schema.type}" {schema.fullname}'
    return f'"{schema.type}"'
