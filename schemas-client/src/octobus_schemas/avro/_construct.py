"""Build models from decoded records without re-validating what Avro already guarantees.

After fastavro reads a record with the model's own schema, most of pydantic's validation
has nothing left to check: a ``long`` is an ``int``, a ``uuid`` string is a ``UUID``, a
``timestamp-millis`` is an aware ``datetime``. `compile_constructor` proves this field by
field, once per model, and builds the model directly (``model_construct`` without its
per-call overhead) only when *every* field is proven; one unproven field (a constraint, a
validator it cannot replay, a ``Decimal``, a ``Literal``, a config that rewrites strings...)
and the model is validated by pydantic as usual. Plain ``AfterValidator`` functions on a
proven type are replayed in order, exactly as pydantic would call them; if one raises, the
record is validated by pydantic instead, so the error is pydantic's own.
"""

from __future__ import annotations

import datetime
import inspect
import types
import typing
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any

from dataclasses_avroschema.pydantic import AvroBaseModel
from pydantic import AfterValidator, AwareDatetime, BaseModel

from octobus_schemas.avro._schema import PRIMITIVE_TYPES, qualify

__all__ = ["Constructor", "ReplayRefused", "compile_constructor"]

Constructor = Callable[[dict[str, Any]], Any]
"""Builds a model instance from the record fastavro read with the model's own schema."""

_Convert = Callable[[Any], Any]

_PRIMITIVE_PYTHON: dict[str, tuple[type[Any], ...]] = {
    "string": (str,),
    "long": (int,),
    "int": (int,),
    "double": (float,),
    "float": (float,),
    "boolean": (bool,),
    "bytes": (bytes,),
}
_LOGICAL_PYTHON: dict[str, tuple[Any, ...]] = {
    "uuid": (uuid.UUID,),
    "timestamp-millis": (datetime.datetime, AwareDatetime),
    "timestamp-micros": (datetime.datetime, AwareDatetime),
    "date": (datetime.date,),
}
# Config keys that make pydantic change or check values Avro has already typed.
_VALUE_CHANGING_CONFIG = (
    "str_strip_whitespace",
    "str_to_lower",
    "str_to_upper",
    "str_min_length",
    "str_max_length",
    "use_enum_values",
)
# pydantic keeps these four in slots of BaseModel; setting them through the slot
# descriptors is what model_construct does, minus its per-call Python overhead.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_new = object.__new__


class _Unproven(Exception):  # noqa: N818 - internal control flow, never escapes
    """Raised when a field's validation cannot be shown to be redundant."""


class ReplayRefused(Exception):  # noqa: N818 - internal control flow
    """A replayed validator refused a value: validate the record with pydantic to say why."""


def compile_constructor(
    model: type[AvroBaseModel],
    schema: dict[str, Any],
    classes: dict[str, type[AvroBaseModel]],
) -> Constructor | None:
    """Return a validation-free constructor for ``model``, if validation is provably redundant.

    Parameters
    ----------
    model
        The reader model.
    schema
        The model's own record schema (what the record was read or resolved into).
    classes
        Record full name -> model class, for every record in the schema.

    Returns
    -------
    Constructor or None
        The constructor, or None when any field needs pydantic's validation. The constructor
        raises `ReplayRefused` when a replayed validator refuses a value (it may have changed
        the record in place by then: decode the message again with pydantic).
    """
    try:
        return _Compiler(classes).record(model, schema, None)
    except _Unproven:
        return None


class _Compiler:
    def __init__(self, classes: dict[str, type[AvroBaseModel]]) -> None:
        self._classes = classes
        self._named: dict[str, dict[str, Any]] = {}
        self._records: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self._building: set[str] = set()

    def record(
        self, model: type[AvroBaseModel], schema: dict[str, Any], namespace: str | None
    ) -> Callable[[dict[str, Any]], Any]:
        full_name = qualify(schema["name"], schema.get("namespace", namespace))
        if full_name in self._records:
            return self._records[full_name]
        if full_name in self._building:
            raise _Unproven  # a recursive record: left to pydantic
        self._building.add(full_name)
        self._named[full_name] = schema
        _check_model(model)
        inner = full_name.rpartition(".")[0] or None
        fields = model.model_fields
        if [field["name"] for field in schema["fields"]] != list(fields):
            raise _Unproven  # excluded fields or a different order: let pydantic fill them
        converters = []
        for field in schema["fields"]:
            info = fields[field["name"]]
            replays = _replayable(info.metadata)
            convert = self._value(field["type"], info.annotation, inner)
            if replays:
                convert = _with_replays(convert, replays)
            if convert is not None:
                converters.append((field["name"], convert))
        names = frozenset(fields)
        steps = tuple(converters)

        def build(record: dict[str, Any]) -> Any:
            for name, convert in steps:
                value = record[name]
                if value is not None:
                    record[name] = convert(value)
            instance = _new(model)
            _set_dict(instance, record)
            _set_fields_set(instance, set(names))
            _set_extra(instance, None)
            _set_private(instance, None)
            return instance

        self._records[full_name] = build
        return build

    def _value(self, node: Any, annotation: Any, namespace: str | None) -> _Convert | None:
        if typing.get_origin(annotation) is typing.Annotated:
            inner, *metadata = typing.get_args(annotation)
            replays = _replayable(metadata)
            convert = self._value(node, inner, namespace)
            return _with_replays(convert, replays) if replays else convert
        if isinstance(node, str):
            if node in PRIMITIVE_TYPES:
                return _primitive(node, annotation)
            node = self._named.get(qualify(node, namespace), node)
            if isinstance(node, str):
                raise _Unproven
        if isinstance(node, list):
            return self._union(node, annotation, namespace)
        kind = node["type"]
        logical = node.get("logicalType")
        if logical is not None:
            if annotation in _LOGICAL_PYTHON.get(logical, ()):
                return None
            raise _Unproven
        if kind in ("record", "error"):
            return self._nested(node, annotation, namespace)
        if kind == "enum":
            return self._enum(node, annotation, namespace)
        if kind == "array" and typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation) or (Any,)
            items = self._value(node["items"], item, namespace)
            return None if items is None else (lambda values: [items(v) for v in values])
        if kind == "map" and typing.get_origin(annotation) is dict:
            key, value = typing.get_args(annotation) or (Any, Any)
            if key is not str:
                raise _Unproven
            values = self._value(node["values"], value, namespace)
            if values is None:
                return None
            return lambda mapping: {k: values(v) for k, v in mapping.items()}
        if isinstance(kind, str) and kind in PRIMITIVE_TYPES and len(node) == 1:
            return _primitive(kind, annotation)
        raise _Unproven

    def _nested(self, node: dict[str, Any], annotation: Any, namespace: str | None) -> _Convert:
        full_name = qualify(node["name"], node.get("namespace", namespace))
        model = self._classes.get(full_name)
        if model is None or annotation is not model:
            raise _Unproven
        return self.record(model, node, namespace)

    def _enum(self, node: dict[str, Any], annotation: Any, namespace: str | None) -> _Convert:
        self._named[qualify(node["name"], node.get("namespace", namespace))] = node
        if not (isinstance(annotation, type) and issubclass(annotation, Enum)):
            raise _Unproven
        members = {member.value: member for member in annotation}
        if not set(node["symbols"]) <= members.keys():
            raise _Unproven
        return members.__getitem__

    def _union(
        self, branches: list[Any], annotation: Any, namespace: str | None
    ) -> _Convert | None:
        options = _union_members(annotation)
        non_null = [branch for branch in branches if branch != "null"]
        if "null" in branches:
            if type(None) not in options:
                raise _Unproven
            options = [option for option in options if option is not type(None)]
        if len(non_null) == 1 and len(options) == 1:
            return self._value(non_null[0], options[0], namespace)
        # Several branches: only unions of records, which fastavro names as (name, record).
        builders: dict[str, _Convert] = {}
        for branch in non_null:
            resolved = (
                self._named.get(qualify(branch, namespace), branch)
                if isinstance(branch, str)
                else branch
            )
            if not isinstance(resolved, dict) or resolved.get("type") not in ("record", "error"):
                raise _Unproven
            full_name = qualify(resolved["name"], resolved.get("namespace", namespace))
            model = self._classes.get(full_name)
            if model is None or model not in options:
                raise _Unproven
            builders[full_name] = self._nested(resolved, model, namespace)
        if len(builders) != len(options):
            raise _Unproven

        def convert(value: Any) -> Any:
            name, record = value
            return builders[name](record)

        return convert


def _check_model(model: type[AvroBaseModel]) -> None:
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or decorators.model_validators
        or model.__pydantic_post_init__ is not None
        or model.__private_attributes__
        or model.model_config.get("extra") == "allow"
        or any(model.model_config.get(key) for key in _VALUE_CHANGING_CONFIG)
    ):
        raise _Unproven


def _primitive(kind: str, annotation: Any) -> _Convert | None:
    if annotation in _PRIMITIVE_PYTHON[kind]:
        return None
    raise _Unproven


def _union_members(annotation: Any) -> list[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return list(typing.get_args(annotation))
    return [annotation]


def _replayable(metadata: list[Any]) -> list[Callable[[Any], Any]]:
    """Return the after-validators to replay; refuse any other metadata (constraints...)."""
    replays = []
    for item in metadata:
        if not isinstance(item, AfterValidator):
            raise _Unproven
        try:
            parameters = inspect.signature(item.func).parameters.values()
        except (TypeError, ValueError):
            raise _Unproven from None
        required = [p for p in parameters if p.default is inspect.Parameter.empty]
        if len(required) != 1:
            raise _Unproven  # takes a ValidationInfo: only pydantic can call it
        replays.append(typing.cast("Callable[[Any], Any]", item.func))
    return replays


def _with_replays(convert: _Convert | None, replays: list[Callable[[Any], Any]]) -> _Convert:
    if convert is None and len(replays) == 1:
        (only,) = replays

        def replay_one(value: Any) -> Any:
            try:
                return only(value)
            except (ValueError, AssertionError) as error:
                raise ReplayRefused from error

        return replay_one

    def replay(value: Any) -> Any:
        if convert is not None:
            value = convert(value)
        try:
            for validator in replays:
                value = validator(value)
        except (ValueError, AssertionError) as error:
            raise ReplayRefused from error
        return value

    return replay
