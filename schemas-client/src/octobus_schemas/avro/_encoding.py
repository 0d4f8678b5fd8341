"""Model -> the dict fastavro writes, compiled once per model from its schema.

Pydantic's generic ``model_dump`` is both slow and wrong for Avro (enums fail "is not in
list", ``mode="json"`` turns decimals into strings). Instead, walking the schema once yields a
small converter per record: a record whose fields fastavro accepts as they are (str, int,
UUID, aware datetime, Decimal, lists of those, ...) is handed over as the model's own
``__dict__`` (fastavro ignores keys the schema does not name); only fields that need a change
(nested records, enums, unions of records, timestamps to check) are converted.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from dataclasses_avroschema.pydantic import AvroBaseModel

from octobus_schemas.avro._schema import PRIMITIVE_TYPES, qualify
from octobus_schemas.errors import AvroEncodeError

__all__ = ["Converter", "compile_encoder"]

Converter = Callable[[Any], Any]
"""Turns one value of a model into what fastavro writes for its schema."""

_TIMESTAMP_TYPES = frozenset({"timestamp-millis", "timestamp-micros"})


def compile_encoder(schema: dict[str, Any], classes: dict[str, type[AvroBaseModel]]) -> Converter:
    """Build the converter from a model instance to the dict fastavro writes.

    Parameters
    ----------
    schema
        The model's record schema (as `avro_schema` renders it).
    classes
        Record full name -> model class, for every record in the schema.

    Returns
    -------
    Converter
        A function of one model instance.
    """
    builder = _EncoderBuilder(classes)
    converter = builder.build(schema, None)
    if converter is None:  # pragma: no cover - a record always has a converter
        raise AvroEncodeError("the top-level schema is not a record")
    return converter


class _EncoderBuilder:
    def __init__(self, classes: dict[str, type[AvroBaseModel]]) -> None:
        self._classes = classes
        self._named: dict[str, dict[str, Any]] = {}
        # Filled after each record's converter is built; the indirection lets recursive
        # records refer to their own converter.
        self._records: dict[str, Converter] = {}

    def build(self, node: Any, namespace: str | None, hint: Any = None) -> Converter | None:
        """Return the converter for one schema node; ``hint`` is the model's annotation."""
        hint = _unwrap(hint)
        if isinstance(node, str):
            if node in PRIMITIVE_TYPES:
                return None
            converter = self._reference(qualify(node, namespace))
            return None if converter is _enum_value and _is_str_enum(hint) else converter
        if isinstance(node, list):
            return self._union(node, namespace, hint)
        kind = node["type"]
        if kind in ("record", "error"):
            return self._record(node, namespace)
        if kind == "enum":
            self._named[qualify(node["name"], node.get("namespace", namespace))] = node
            # A str enum member is the symbol string already: fastavro finds it as it is.
            return None if _is_str_enum(hint) else _enum_value
        if kind == "fixed":
            self._named[qualify(node["name"], node.get("namespace", namespace))] = node
            return None
        if kind == "array":
            items = self.build(node["items"], namespace)
            return None if items is None else _each_item(items)
        if kind == "map":
            values = self.build(node["values"], namespace)
            return None if values is None else _each_value(values)
        if isinstance(kind, dict | list):
            return self.build(kind, namespace)
        if node.get("logicalType") in _TIMESTAMP_TYPES:
            # Checked even for AwareDatetime fields: model_construct and model_copy skip
            # validation, and fastavro would silently write a naive value in local time.
            return _aware_datetime
        return None

    def _reference(self, full_name: str) -> Converter | None:
        definition = self._named.get(full_name)
        if definition is None:
            raise AvroEncodeError(f"the schema refers to {full_name!r} before defining it")
        if definition["type"] == "enum":
            return _enum_value
        if definition["type"] == "fixed":
            return None
        records = self._records
        built = records[full_name]
        if getattr(built, "pending", False):  # a recursive record: look it up when called
            return lambda value: records[full_name](value)
        return built

    def _record(self, node: dict[str, Any], namespace: str | None) -> Converter:
        full_name = qualify(node["name"], node.get("namespace", namespace))
        self._named[full_name] = node
        inner = full_name.rpartition(".")[0] or None
        self._records[full_name] = _pending(full_name)
        model = self._classes.get(full_name)
        hints = (
            {name: info.annotation for name, info in model.model_fields.items()} if model else {}
        )
        fields = [
            (field["name"], self.build(field["type"], inner, hints.get(field["name"])))
            for field in node["fields"]
        ]
        converted = tuple((name, conv) for name, conv in fields if conv is not None)
        converter = _record_converter(full_name, converted)
        self._records[full_name] = converter
        return converter

    def _union(self, branches: list[Any], namespace: str | None, hint: Any) -> Converter | None:
        by_class: dict[type[Any], tuple[str, Converter]] = {}
        others: list[Converter] = []
        # The model's annotation tells about the branch only for a plain nullable [null, X].
        branch_hint = hint if len(branches) == 2 and "null" in branches else None
        for branch in branches:
            full_name = _record_name_of(branch, namespace, self._named)
            converter = self.build(branch, namespace, branch_hint)
            if full_name is not None and converter is not None:
                model = self._classes.get(full_name)
                if model is not None:
                    by_class[model] = (full_name, converter)
                    continue
            if converter is not None:
                others.append(_guarded(branch, converter))
        if not by_class and not others:
            return None
        if not by_class and len(others) == 1:
            # A nullable value ([null, X]): X's converter alone (it passes None through).
            return others[0]
        return _union_converter(by_class, tuple(others))


def _record_name_of(
    branch: Any, namespace: str | None, named: dict[str, dict[str, Any]]
) -> str | None:
    if isinstance(branch, dict) and branch.get("type") in ("record", "error"):
        return qualify(branch["name"], branch.get("namespace", namespace))
    if isinstance(branch, str) and branch not in PRIMITIVE_TYPES:
        full_name = qualify(branch, namespace)
        definition = named.get(full_name)
        if definition is not None and definition["type"] in ("record", "error"):
            return full_name
    return None


def _guarded(branch: Any, converter: Converter) -> Converter:
    kind = branch.get("type") if isinstance(branch, dict) else None
    if kind not in ("array", "map"):
        return converter
    accepted: type[Any] | tuple[type[Any], ...] = dict if kind == "map" else (list, tuple, set)

    def convert(value: Any) -> Any:
        return converter(value) if isinstance(value, accepted) else value

    return convert


def _pending(full_name: str) -> Converter:
    def fail(value: Any) -> Any:  # pragma: no cover - replaced before any use
        raise AvroEncodeError(f"converter for {full_name} used before it was built")

    fail.pending = True  # type: ignore[attr-defined]
    return fail


def _unwrap(hint: Any) -> Any:
    """Return the type a value of this annotation has: no Annotated, no ``| None``."""
    while True:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            hint = typing.get_args(hint)[0]
        elif origin is typing.Union or isinstance(hint, types.UnionType):
            members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
            if len(members) != 1:
                return None
            hint = members[0]
        else:
            return hint


def _is_str_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum) and issubclass(hint, str)


def _record_converter(full_name: str, converted: tuple[tuple[str, Converter], ...]) -> Converter:
    if not converted:

        def as_is(model: Any) -> Any:
            return model if isinstance(model, dict) else model.__dict__

        return as_is

    def convert(model: Any) -> dict[str, Any]:
        record = dict(model if isinstance(model, dict) else model.__dict__)
        for name, converter in converted:
            value = record.get(name)
            if value is not None:
                try:
                    record[name] = converter(value)
                except AvroEncodeError as error:
                    raise AvroEncodeError(f"{full_name}.{name}: {error}") from None
        return record

    return convert


def _union_converter(
    by_class: dict[type[Any], tuple[str, Converter]], others: tuple[Converter, ...]
) -> Converter:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        entry = by_class.get(type(value))
        if entry is None and by_class and isinstance(value, AvroBaseModel):
            # A subclass of a branch's model: the closest branch it derives from.
            entry = next(
                (item for model, item in by_class.items() if isinstance(value, model)), None
            )
        if entry is not None:
            # fastavro's tuple notation picks the union branch by record name, so two
            # branches of the same shape never get mixed up.
            name, converter = entry
            return (name, converter(value))
        for converter in others:
            value = converter(value)
        return value

    return convert


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _aware_datetime(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        # fastavro would read a naive datetime in the host's local time zone.
        raise AvroEncodeError(
            f"naive datetime {value.isoformat()} has no time zone; give it one (UTC)"
        )
    return value


def _each_item(converter: Converter) -> Converter:
    def convert(items: Any) -> list[Any]:
        return [converter(item) for item in items]

    return convert


def _each_value(converter: Converter) -> Converter:
    def convert(values: Any) -> dict[str, Any]:
        return {key: converter(value) for key, value in values.items()}

    return convert
