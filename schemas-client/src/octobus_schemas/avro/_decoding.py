"""Framed bytes -> model, through a plan built once per (writer schema id, reader model).

A plan decides everything that does not depend on the message, once:

- **Resolution**, the cheapest correct way: none when the writer and reader schemas are the
  same (names normalized), a projection compiled once for the common evolutions
  (`octobus_schemas.avro._resolution`), or fastavro resolving as it reads for the rest. The
  reader schema alone is never used to read a writer's bytes.
- **Branches**: unions of several records are read as ``(record name, fields)`` and built as
  exactly that class, so two records of the same shape are never confused.
- **Validation**: a model whose every field is proven to need no re-validation is built
  directly (`octobus_schemas.avro._construct`); any other model goes through pydantic, and a
  failure is a `RecordValidationError` carrying the decoded record.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import fastavro
from dataclasses_avroschema.pydantic import AvroBaseModel
from fastavro.read import SchemaResolutionError
from pydantic import ValidationError

from octobus_schemas.avro._construct import ReplayRefused, compile_constructor
from octobus_schemas.avro._resolution import compile_projection
from octobus_schemas.avro._schema import PRIMITIVE_TYPES, normalized, qualify
from octobus_schemas.avro._wire import HEADER_SIZE
from octobus_schemas.errors import (
    AvroDecodeError,
    IncompatibleSchemaError,
    RecordValidationError,
)

__all__ = ["DecodePlan"]

ModelT = TypeVar("ModelT", bound=AvroBaseModel)

_Converter = Callable[[Any], Any]

_TRUNCATION_PADDING = 1 << 16
_NEGATIVE_LENGTH = re.compile(r"Expected (?P<length>-\d+) bytes")


class DecodePlan(Generic[ModelT]):
    """Everything needed to decode one writer schema into one model class.

    Parameters
    ----------
    schema_id
        The writer schema's registry id.
    writer_schema
        The writer schema, as the registry returned it.
    model
        The reader model class.
    reader_schema
        The model's own schema.
    classes
        Record full name -> model class for every record of the reader schema.
    """

    def __init__(
        self,
        schema_id: int,
        writer_schema: dict[str, Any],
        model: type[ModelT],
        reader_schema: dict[str, Any],
        classes: Mapping[str, type[AvroBaseModel]],
    ) -> None:
        self.schema_id = schema_id
        self.model = model
        self.identical = normalized(writer_schema) == normalized(reader_schema)
        self._writer = fastavro.parse_schema(writer_schema)
        # fastavro's record-name option slows every union down; only unions of several
        # records need it (to tell same-shape branches apart).
        self._names_branches = _has_record_unions(writer_schema) or _has_record_unions(
            reader_schema
        )
        # Resolution, cheapest correct way first: none needed (identical schemas), our
        # compiled projection (common evolutions), or fastavro resolving as it reads.
        self._project = None if self.identical else compile_projection(writer_schema, reader_schema)
        self._reader = (
            None
            if self.identical or self._project is not None
            else fastavro.parse_schema(reader_schema)
        )
        self._convert = _DecoderBuilder(classes).build(reader_schema, None)
        # Built without validation only where every field is proven to need none.
        self._construct = compile_constructor(model, reader_schema, dict(classes))
        self._validate = model.__pydantic_validator__.validate_python
        if not self.identical:
            self._check_resolvable(writer_schema, reader_schema)

    def decode(self, data: bytes | bytearray | memoryview) -> ModelT:
        """Decode one framed message (header already checked) into the model.

        Parameters
        ----------
        data
            The whole framed message.

        Returns
        -------
        ModelT
            The validated model.

        Raises
        ------
        AvroDecodeError
            If the body is truncated, corrupt or followed by stray bytes.
        RecordValidationError
            If the decoded record does not validate into the model (carries the record).
        """
        stream = io.BytesIO(data)
        stream.seek(HEADER_SIZE)
        record = self._read(stream)
        left = len(data) - stream.tell()
        if left:
            raise AvroDecodeError(
                f"{left} stray bytes after the Avro body for schema id {self.schema_id}: "
                "the message was not written with this schema",
                schema_id=self.schema_id,
            )
        if self._project is not None:
            record = self._project(record)
        if self._construct is not None:
            try:
                return self._construct(record)  # type: ignore[no-any-return]
            except ReplayRefused:
                stream.seek(HEADER_SIZE)
                record = self._read(stream)
                if self._project is not None:
                    record = self._project(record)
        try:
            if self._convert is not None:
                converted = self._convert(record)
                return self._validate(converted, by_name=True)  # type: ignore[no-any-return]
            return self._validate(record, by_name=True)  # type: ignore[no-any-return]
        except ValidationError as error:
            raise RecordValidationError(
                f"record from schema id {self.schema_id} does not validate into "
                f"{self.model.__qualname__}: {_describe(error)}",
                record=record,
                schema_id=self.schema_id,
                model_name=self.model.__qualname__,
            ) from error

    def _read(self, stream: io.BytesIO) -> dict[str, Any]:
        try:
            record: dict[str, Any] = fastavro.schemaless_reader(  # type: ignore[assignment]
                stream,
                self._writer,
                self._reader,
                return_record_name=self._names_branches,
                return_record_name_override=self._names_branches,
            )
        except SchemaResolutionError as error:
            raise IncompatibleSchemaError.for_reader(
                self.schema_id, self.model.__qualname__, [str(error)]
            ) from error
        except Exception as error:
            negative = _NEGATIVE_LENGTH.match(str(error))
            if negative:
                # fastavro reads a negative length prefix as a request for that many bytes
                # and then reports it as missing: no cut body has one, a corrupt one does.
                raise AvroDecodeError(
                    f"corrupt Avro body for schema id {self.schema_id}: a length prefix of "
                    f"{negative['length']} bytes",
                    schema_id=self.schema_id,
                ) from None
            if len(stream.getbuffer()) == HEADER_SIZE:
                raise AvroDecodeError(
                    f"Avro body missing for schema id {self.schema_id}: the message ends "
                    f"after its {HEADER_SIZE}-byte header",
                    schema_id=self.schema_id,
                ) from None
            if self._looks_truncated(stream.getbuffer()):
                raise AvroDecodeError(
                    f"Avro body truncated for schema id {self.schema_id}",
                    schema_id=self.schema_id,
                ) from None
            if isinstance(error, EOFError):
                # The body ended inside a value: too long a cut for the padding to cover, or
                # zeros that are no valid value (a uuid). fastavro says how much was missing.
                raise AvroDecodeError(
                    f"Avro body truncated for schema id {self.schema_id}: {error}",
                    schema_id=self.schema_id,
                ) from None
            raise AvroDecodeError(
                f"corrupt Avro body for schema id {self.schema_id}: "
                f"{type(error).__name__}: {error}",
                schema_id=self.schema_id,
            ) from error
        return record

    def _looks_truncated(self, data: memoryview) -> bool:
        # fastavro reports a short body as EOFError, IndexError or worse, depending on where
        # it ran out. A body that reads cleanly once zero bytes are appended was cut short.
        padded = io.BytesIO(bytes(data[HEADER_SIZE:]) + bytes(_TRUNCATION_PADDING))
        try:
            fastavro.schemaless_reader(padded, self._writer, self._reader)
        except Exception:
            return False
        return True

    def _check_resolvable(self, writer: dict[str, Any], reader: dict[str, Any]) -> None:
        # fastavro only notices an unresolvable pair while reading a message; checking the
        # names up front gives a clear error before any message is touched.
        writer_name = qualify(str(writer.get("name")), writer.get("namespace"))
        reader_name = qualify(str(reader.get("name")), reader.get("namespace"))
        if writer_name.rpartition(".")[2] != reader_name.rpartition(".")[2]:
            namespace = reader.get("namespace")
            aliases = {qualify(alias, namespace) for alias in reader.get("aliases", [])}
            if writer_name not in aliases:
                raise IncompatibleSchemaError.for_reader(
                    self.schema_id,
                    self.model.__qualname__,
                    [f"writer record {writer_name!r} cannot be read as {reader_name!r}"],
                )


def _has_record_unions(schema: Any) -> bool:
    named: dict[str, Any] = {}

    def is_record(branch: Any, namespace: str | None) -> bool:
        if isinstance(branch, str) and branch not in PRIMITIVE_TYPES:
            branch = named.get(qualify(branch, namespace), branch)
        return isinstance(branch, dict) and branch.get("type") in ("record", "error")

    def walk(node: Any, namespace: str | None) -> bool:
        if isinstance(node, list):
            if sum(is_record(branch, namespace) for branch in node) > 1:
                return True
            return any(walk(branch, namespace) for branch in node)
        if not isinstance(node, dict):
            return False
        kind = node.get("type")
        if kind in ("record", "error", "enum", "fixed"):
            full_name = qualify(node["name"], node.get("namespace", namespace))
            named[full_name] = node
            inner = full_name.rpartition(".")[0] or None
            return any(walk(field["type"], inner) for field in node.get("fields", ()))
        if kind == "array":
            return walk(node["items"], namespace)
        if kind == "map":
            return walk(node["values"], namespace)
        return isinstance(kind, dict | list) and walk(kind, namespace)

    return walk(schema, None)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "(record)"
        parts.append(f"{location}: {item['msg']}")
    return "; ".join(parts)


class _DecoderBuilder:
    """Builds the converter for unions of several records; None when nothing needs it."""

    def __init__(self, classes: Mapping[str, type[AvroBaseModel]]) -> None:
        self._classes = classes
        self._named: dict[str, dict[str, Any]] = {}
        self._records: dict[str, _Converter | None] = {}

    def build(self, node: Any, namespace: str | None) -> _Converter | None:
        if isinstance(node, str):
            if node in PRIMITIVE_TYPES:
                return None
            full_name = qualify(node, namespace)
            if self._records.get(full_name) is None:
                return None
            records = self._records
            return lambda value: records[full_name](value)  # type: ignore[misc]
        if isinstance(node, list):
            return self._union(node, namespace)
        kind = node["type"]
        if kind in ("record", "error"):
            return self._record(node, namespace)
        if kind in ("enum", "fixed"):
            return None
        if kind == "array":
            items = self.build(node["items"], namespace)
            return None if items is None else (lambda values: [items(v) for v in values])
        if kind == "map":
            values = self.build(node["values"], namespace)
            if values is None:
                return None
            return lambda mapping: {k: values(v) for k, v in mapping.items()}
        if isinstance(kind, dict | list):
            return self.build(kind, namespace)
        return None

    def _record(self, node: dict[str, Any], namespace: str | None) -> _Converter | None:
        full_name = qualify(node["name"], node.get("namespace", namespace))
        inner = full_name.rpartition(".")[0] or None
        self._records[full_name] = None
        fields = [(field["name"], self.build(field["type"], inner)) for field in node["fields"]]
        converted = tuple((name, conv) for name, conv in fields if conv is not None)
        if not converted:
            return None

        def convert(record: dict[str, Any]) -> dict[str, Any]:
            for name, converter in converted:
                value = record.get(name)
                if value is not None:
                    record[name] = converter(value)
            return record

        self._records[full_name] = convert
        return convert

    def _union(self, branches: list[Any], namespace: str | None) -> _Converter | None:
        records: dict[str, tuple[type[AvroBaseModel], _Converter | None]] = {}
        for branch in branches:
            converter = self.build(branch, namespace)
            if isinstance(branch, dict) and branch.get("type") in ("record", "error"):
                full_name = qualify(branch["name"], branch.get("namespace", namespace))
            elif isinstance(branch, str) and branch not in PRIMITIVE_TYPES:
                full_name = qualify(branch, namespace)
            else:
                continue
            model = self._classes.get(full_name)
            if model is not None:
                records[full_name] = (model, converter)
        if len(records) < 2:
            single = next(iter(records.values()), None)
            return None if single is None else single[1]

        def convert(value: Any) -> Any:
            if isinstance(value, tuple):
                # fastavro names the branch it read: build exactly that class.
                name, record = value
                model, converter = records[name]
                if converter is not None:
                    record = converter(record)
                return model.__pydantic_validator__.validate_python(record, by_name=True)
            return value

        return convert
