"""The Avro schema of a model, as the codec registers, writes and reads it.

One function, `avro_schema`, answers "what is this model's schema": dataclasses-avroschema's
rendering (including whatever a model's base class overrides), minus the fields a model marks
``exclude=True``. Pydantic's ``exclude=True`` means "never serialize this field"; Avro cannot
leave a field out of a record it declares, so an excluded field is left out of the *schema*,
and therefore never reaches the wire.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from dataclasses_avroschema.pydantic import AvroBaseModel

from octobus_schemas.errors import InvalidSchemaError

__all__ = [
    "avro_schema",
    "record_classes",
    "record_full_name",
    "schema_text",
]

PRIMITIVE_TYPES = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)

_schema_cache: dict[type[AvroBaseModel], dict[str, Any]] = {}
_classes_cache: dict[type[AvroBaseModel], dict[str, type[AvroBaseModel]]] = {}


def avro_schema(model: type[AvroBaseModel]) -> dict[str, Any]:
    """Return the Avro schema of a model, as a JSON-ready dict.

    Parameters
    ----------
    model
        An `AvroBaseModel` subclass.

    Returns
    -------
    dict
        A fresh copy of the schema (callers may modify it). Fields declared with
        ``Field(exclude=True)`` are not in it, at any depth.

    Raises
    ------
    InvalidSchemaError
        If the model cannot be rendered, or an excluded field has no default (no decoded
        record could then ever be valid).
    """
    return copy.deepcopy(cached_schema(model))


def cached_schema(model: type[AvroBaseModel]) -> dict[str, Any]:
    """Return the model's schema from a per-class cache; callers must not modify it.

    Parameters
    ----------
    model
        An `AvroBaseModel` subclass.

    Returns
    -------
    dict
        The shared, cached schema of `avro_schema`.
    """
    schema = _schema_cache.get(model)
    if schema is None:
        if not (isinstance(model, type) and issubclass(model, AvroBaseModel)):
            # A dict or a plain class passed where a model belongs: say so, rather than
            # which method it lacks.
            raise InvalidSchemaError(
                f"{getattr(model, '__qualname__', repr(model))} is not an Avro model: give an "
                "instance or subclass of dataclasses_avroschema.pydantic.AvroBaseModel "
                "(every event in octobus_schemas.events is one)"
            )
        try:
            rendered = model.avro_schema_to_python()
        except Exception as error:
            raise InvalidSchemaError(
                f"cannot render the Avro schema of {model.__qualname__}: {error}"
            ) from error
        # A JSON round trip drops OrderedDicts and tuples, so equality with a schema read
        # back from the registry is a plain dict comparison.
        schema = json.loads(json.dumps(rendered))
        _strip_excluded_fields(schema, record_classes(model, schema))
        _schema_cache[model] = schema
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    """Serialize a schema the way it is sent to the registry (compact JSON, order kept).

    Parameters
    ----------
    schema
        A JSON-ready Avro schema.

    Returns
    -------
    str
        The schema text.
    """
    return json.dumps(schema, separators=(",", ":"))


def record_full_name(schema: dict[str, Any] | str | list[Any]) -> str:
    """Return the full name (``namespace.Name``) of a record schema.

    Parameters
    ----------
    schema
        A record schema.

    Returns
    -------
    str
        Its full name.

    Raises
    ------
    InvalidSchemaError
        If the schema is not a named record.
    """
    if not isinstance(schema, dict) or schema.get("type") != "record" or "name" not in schema:
        raise InvalidSchemaError(f"expected a named Avro record schema, got {str(schema)[:80]}")
    return qualify(str(schema["name"]), schema.get("namespace"))


def qualify(name: str, namespace: str | None) -> str:
    """Return a name's full name, given the namespace it appears in.

    Parameters
    ----------
    name
        A short or full name.
    namespace
        The namespace in effect (the record's own, or its enclosing one).

    Returns
    -------
    str
        ``name`` if it already contains a dot, else ``namespace.name`` (or ``name``).
    """
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def normalized(schema: Any, namespace: str | None = None) -> Any:
    """Return a schema with every name fully qualified and no ``namespace`` keys.

    Two schemas that differ only in how they spell names (``"name": "a.B"`` versus
    ``"namespace": "a", "name": "B"``, or a nested record repeating its parent's namespace)
    normalize to equal values; anything else that differs (docs, defaults, logical types,
    order of fields) still differs.

    Parameters
    ----------
    schema
        Any Avro schema node.
    namespace
        The enclosing namespace.

    Returns
    -------
    Any
        The normalized copy.
    """
    if isinstance(schema, str):
        return schema if schema in PRIMITIVE_TYPES else qualify(schema, namespace)
    if isinstance(schema, list):
        return [normalized(branch, namespace) for branch in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    result = {key: value for key, value in schema.items() if key != "namespace"}
    if kind in ("record", "error", "enum", "fixed"):
        full_name = qualify(str(schema["name"]), schema.get("namespace", namespace))
        inner = full_name.rpartition(".")[0] or None
        result["name"] = full_name
        if "aliases" in schema:
            result["aliases"] = [qualify(str(alias), inner) for alias in schema["aliases"]]
        if "fields" in schema:
            result["fields"] = [
                {**field, "type": normalized(field["type"], inner)} for field in schema["fields"]
            ]
        return result
    if kind == "array":
        result["items"] = normalized(schema["items"], namespace)
    elif kind == "map":
        result["values"] = normalized(schema["values"], namespace)
    elif isinstance(kind, dict | list | str):
        result["type"] = normalized(kind, namespace)
    return result


def iter_named_types(
    schema: Any, namespace: str | None = None
) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """Walk a schema and yield every named type it defines, in definition order.

    Parameters
    ----------
    schema
        Any Avro schema node.
    namespace
        The enclosing namespace.

    Yields
    ------
    tuple of (str, dict, str or None)
        The full name, the definition, and the namespace its children inherit.
    """
    if isinstance(schema, list):
        for branch in schema:
            yield from iter_named_types(branch, namespace)
        return
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if kind in ("record", "error", "enum", "fixed"):
        full_name = qualify(str(schema["name"]), schema.get("namespace", namespace))
        inner_namespace = full_name.rpartition(".")[0] or None
        yield full_name, schema, inner_namespace
        for field in schema.get("fields", []):
            yield from iter_named_types(field["type"], inner_namespace)
    elif kind == "array":
        yield from iter_named_types(schema["items"], namespace)
    elif kind == "map":
        yield from iter_named_types(schema["values"], namespace)
    elif isinstance(kind, dict | list):
        yield from iter_named_types(kind, namespace)


def record_classes(
    model: type[AvroBaseModel], schema: dict[str, Any] | None = None
) -> dict[str, type[AvroBaseModel]]:
    """Map every record full name in a model's schema to the model class that renders it.

    Parameters
    ----------
    model
        The root model.
    schema
        Its rendered schema (rendered here when not given).

    Returns
    -------
    dict
        Record full name -> model class, for the root record and every nested record.
    """
    cached = _classes_cache.get(model)
    if cached is not None:
        return cached
    if schema is None:
        schema = cached_schema(model)
    candidates = list(_reachable_models(model))
    classes: dict[str, type[AvroBaseModel]] = {}
    for full_name, definition, _ in iter_named_types(schema):
        if definition["type"] != "record":
            continue
        namespace, _, short_name = full_name.rpartition(".")
        matches = [c for c in candidates if _record_short_name(c) == short_name]
        if len(matches) > 1:
            matches = [c for c in matches if _record_namespace(c) in (namespace, None)]
        if matches:
            classes[full_name] = matches[0]
    _classes_cache[model] = classes
    return classes


def _reachable_models(model: type[AvroBaseModel]) -> Iterator[type[AvroBaseModel]]:
    seen: set[type[AvroBaseModel]] = set()
    pending: list[type[AvroBaseModel]] = [model]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        for field in current.model_fields.values():
            pending.extend(_models_in_annotation(field.annotation))


def _models_in_annotation(annotation: Any) -> Iterator[type[AvroBaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, AvroBaseModel):
        yield annotation
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            yield from _models_in_annotation(argument)


def _record_short_name(model: type[AvroBaseModel]) -> str:
    meta = getattr(model, "Meta", None)
    return str(getattr(meta, "schema_name", None) or model.__name__)


def _record_namespace(model: type[AvroBaseModel]) -> str | None:
    meta = getattr(model, "Meta", None)
    namespace = getattr(meta, "namespace", None)
    return str(namespace) if namespace else None


def _strip_excluded_fields(schema: dict[str, Any], classes: dict[str, type[AvroBaseModel]]) -> None:
    for full_name, definition, _ in list(iter_named_types(schema)):
        model = classes.get(full_name)
        if model is None or definition["type"] != "record":
            continue
        kept = []
        for field in definition["fields"]:
            info = model.model_fields.get(field["name"])
            if info is None or not info.exclude:
                kept.append(field)
                continue
            if info.is_required():
                raise InvalidSchemaError(
                    f"field {field['name']!r} of {model.__qualname__} is exclude=True but has "
                    "no default: it is never sent, so no decoded message could fill it"
                )
        definition["fields"] = kept
