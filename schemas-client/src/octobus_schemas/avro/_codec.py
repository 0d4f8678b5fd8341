"""The codec: model <-> Confluent-framed Avro, with a Schema Registry behind it.

Encoding registers (or looks up) each model's schema once per subject, then writes straight
through fastavro with the parsed schema cached per model. Decoding reads the schema id from
the frame, fetches the writer schema once (ids are immutable), picks the model class named
by the writer's record, and always reads the writer's data into that model's own schema.
After warm-up neither direction calls the registry.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import fastavro
from dataclasses_avroschema.pydantic import AvroBaseModel

from octobus_schemas.avro._decoding import DecodePlan
from octobus_schemas.avro._encoding import Converter, compile_encoder
from octobus_schemas.avro._registry import RegisteredSchema, SchemaRegistryClient
from octobus_schemas.avro._schema import cached_schema, record_classes, record_full_name
from octobus_schemas.avro._subjects import CompatibilityLevel, SubjectNameStrategy, subject_name
from octobus_schemas.avro._wire import parse_frame
from octobus_schemas.errors import (
    AvroEncodeError,
    InvalidSchemaError,
    UnknownRecordError,
    WireFormatError,
)

__all__ = ["AvroCodec", "ModelCatalog"]

ModelT = TypeVar("ModelT", bound=AvroBaseModel)

ModelCatalog = Mapping[str, type[AvroBaseModel]]
"""Record full name -> model class: the models a codec can decode into."""

_HEADER = struct.Struct(">bI")


@dataclass(frozen=True, slots=True)
class _EncodePlan:
    header: bytes
    parsed_schema: Any
    to_avro: Converter
    registered: RegisteredSchema


class AvroCodec:
    """Encode models to Confluent-framed Avro and decode them back, through a registry.

    Parameters
    ----------
    registry
        The Schema Registry client.
    catalog
        Record full name -> model class, the models ``decode`` can return. Defaults to every
        model octobus-schemas ships (`octobus_schemas.catalog.CATALOG`).
    strategy
        How subjects are named (RecordNameStrategy by default).
    subject_suffix
        Appended to every subject, for example ``"-staging"``.
    auto_register
        Register a model's schema on first encode (the default). When False, the schema
        must already be registered; encode only looks it up.

    Examples
    --------
    >>> async def roundtrip(registry, event):  # doctest: +SKIP
    ...     codec = AvroCodec(registry)
    ...     data = await codec.encode(event)
    ...     return await codec.decode(data)
    """

    def __init__(
        self,
        registry: SchemaRegistryClient,
        *,
        catalog: ModelCatalog | None = None,
        strategy: SubjectNameStrategy = SubjectNameStrategy.RECORD_NAME,
        subject_suffix: str = "",
        auto_register: bool = True,
    ) -> None:
        self.registry = registry
        self.catalog: ModelCatalog = catalog if catalog is not None else _default_catalog()
        self.strategy = strategy
        self.subject_suffix = subject_suffix
        self.auto_register = auto_register
        self._by_record = strategy is SubjectNameStrategy.RECORD_NAME
        self._encode_plans: dict[tuple[type[AvroBaseModel], str | None], _EncodePlan] = {}
        self._decode_plans: dict[int, DecodePlan[Any]] = {}
        self._typed_plans: dict[tuple[int, type[AvroBaseModel]], DecodePlan[Any]] = {}

    def subject_for(self, model: type[AvroBaseModel], topic: str | None = None) -> str:
        """Return the subject a model's schema is registered under.

        Parameters
        ----------
        model
            The model class.
        topic
            The topic (needed by the topic strategies only).

        Returns
        -------
        str
            The subject name.
        """
        return subject_name(
            self.strategy,
            topic=topic,
            record_full_name=record_full_name(cached_schema(model)),
            suffix=self.subject_suffix,
        )

    async def register_all(
        self,
        models: Iterable[type[AvroBaseModel]],
        *,
        topic_for: Callable[[type[AvroBaseModel]], str] | None = None,
        compatibility: CompatibilityLevel | None = None,
    ) -> list[RegisteredSchema]:
        """Register every model's schema (at start-up, so no message waits for it).

        Parameters
        ----------
        models
            The model classes.
        topic_for
            The topic of each model (needed by the topic strategies only).
        compatibility
            If given, set on each subject before registering.

        Returns
        -------
        list of RegisteredSchema
            One per model, in order.
        """
        registered = []
        for model in models:
            topic = topic_for(model) if topic_for is not None else None
            subject = self.subject_for(model, topic)
            result = await self.registry.register(model, subject, compatibility=compatibility)
            self._encode_plans[(model, self._topic_key(topic))] = self._encode_plan(model, result)
            registered.append(result)
        return registered

    async def encode(self, model: AvroBaseModel, *, topic: str | None = None) -> bytes:
        """Encode a model as a Confluent-framed Avro message.

        Parameters
        ----------
        model
            The model instance.
        topic
            The destination topic (needed by the topic strategies only).

        Returns
        -------
        bytes
            Magic byte, schema id, Avro body.

        Raises
        ------
        AvroEncodeError
            If a value cannot be written with the model's schema (the field is named).
        """
        plan = self._encode_plans.get((type(model), None if self._by_record else topic))
        if plan is None:
            plan = await self._prepare_encode(type(model), topic)
        return self._write(plan, model)

    def encode_cached(self, model: AvroBaseModel, *, topic: str | None = None) -> bytes | None:
        """Encode without awaiting, when the model's schema id is already known.

        Parameters
        ----------
        model
            The model instance.
        topic
            The destination topic (topic strategies only).

        Returns
        -------
        bytes or None
            The framed message, or None if the model was never encoded or registered yet
            (then use `encode`).
        """
        plan = self._encode_plans.get((type(model), self._topic_key(topic)))
        return None if plan is None else self._write(plan, model)

    async def decode(self, data: bytes | bytearray | memoryview | None) -> AvroBaseModel | None:
        """Decode a framed message into the model class its writer's record name names.

        Parameters
        ----------
        data
            The message value; None (a tombstone) decodes to None.

        Returns
        -------
        AvroBaseModel or None
            An instance of the exact catalog class, read through the writer's schema.

        Raises
        ------
        WireFormatError
            If the bytes are not Confluent-framed (the message names the byte or length).
        SchemaNotFoundError
            If the registry has no schema with the message's id.
        UnknownRecordError
            If the writer's record is not in the catalog.
        AvroDecodeError
            If the body is truncated or corrupt (names the schema id).
        RecordValidationError
            If the record does not validate into its model (carries the raw record).
        """
        if data is None:
            return None
        try:
            magic, schema_id = _HEADER.unpack_from(data)
        except (struct.error, TypeError):
            magic = -1
        if magic != 0:
            schema_id, _ = parse_frame(data)  # raises the WireFormatError naming the cause
        plan = self._decode_plans.get(schema_id)
        if plan is None:
            plan = await self._prepare_decode(schema_id)
        decoded: AvroBaseModel = plan.decode(data)
        return decoded

    async def decode_as(self, data: bytes | bytearray | memoryview, model: type[ModelT]) -> ModelT:
        """Decode a framed message into a model the caller names.

        The writer's schema is still resolved into ``model``'s schema, so a newer or older
        writer is read correctly, and a record that is not ``model``'s is refused.

        Parameters
        ----------
        data
            The message value.
        model
            The model class to read into.

        Returns
        -------
        ModelT
            The model instance.

        Raises
        ------
        WireFormatError
            If ``data`` is None (a tombstone has no record) or is not framed.
        IncompatibleSchemaError
            If the writer's record cannot be read as ``model``.
        """
        if data is None:
            raise WireFormatError(f"a tombstone (None) has no {model.__qualname__} to decode")
        schema_id, _ = parse_frame(data)
        plan = self._typed_plans.get((schema_id, model))
        if plan is None:
            writer = await self.registry.get_schema(schema_id)
            plan = DecodePlan(schema_id, writer, model, cached_schema(model), record_classes(model))
            self._typed_plans[(schema_id, model)] = plan
        return plan.decode(data)  # type: ignore[no-any-return]

    def _topic_key(self, topic: str | None) -> str | None:
        # Under RecordNameStrategy the topic does not change the subject: one plan per model.
        return None if self.strategy is SubjectNameStrategy.RECORD_NAME else topic

    async def _prepare_encode(self, model: type[AvroBaseModel], topic: str | None) -> _EncodePlan:
        subject = self.subject_for(model, topic)
        if self.auto_register:
            registered = await self.registry.register(model, subject)
        else:
            registered = await self.registry.lookup(model, subject)
        plan = self._encode_plan(model, registered)
        self._encode_plans[(model, self._topic_key(topic))] = plan
        return plan

    def _encode_plan(self, model: type[AvroBaseModel], registered: RegisteredSchema) -> _EncodePlan:
        schema = cached_schema(model)
        try:
            parsed = fastavro.parse_schema(schema)
        except Exception as error:
            raise InvalidSchemaError(f"{model.__qualname__}: {error}") from error
        return _EncodePlan(
            header=_HEADER.pack(0, registered.id),
            parsed_schema=parsed,
            to_avro=compile_encoder(schema, record_classes(model)),
            registered=registered,
        )

    @staticmethod
    def _write(plan: _EncodePlan, model: AvroBaseModel) -> bytes:
        stream = io.BytesIO()
        stream.write(plan.header)
        try:
            record = plan.to_avro(model)
            fastavro.schemaless_writer(stream, plan.parsed_schema, record)
        except AvroEncodeError as error:
            raise AvroEncodeError(f"cannot encode {type(model).__qualname__}: {error}") from None
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
            # OverflowError: an int beyond Avro's long (pydantic's int is unbounded).
            raise AvroEncodeError(
                f"cannot encode {type(model).__qualname__} with schema id "
                f"{plan.registered.id}: {_describe_write_error(plan.parsed_schema, record, error)}"
            ) from error
        return stream.getvalue()

    async def _prepare_decode(self, schema_id: int) -> DecodePlan[Any]:
        writer = await self.registry.get_schema(schema_id)
        name = record_full_name(writer)
        model = self.catalog.get(name)
        if model is None:
            raise UnknownRecordError(name, schema_id=schema_id)
        plan: DecodePlan[Any] = DecodePlan(
            schema_id, writer, model, cached_schema(model), record_classes(model)
        )
        self._decode_plans[schema_id] = plan
        return plan


def _describe_write_error(parsed_schema: Any, record: Any, error: Exception) -> str:
    """Name the field fastavro could not write, and the value it was given.

    fastavro's writer seldom names the field it failed on (an ``OverflowError`` names none);
    its validator does. It runs here, on the failure path only, never per message.
    """
    cause = f"{type(error).__name__}: {error}"
    try:
        fastavro.validation.validate(record, parsed_schema, raise_errors=True)
    except fastavro.validation.ValidationError as invalid:
        # A union reports a mismatch for the record that holds the bad value too; the leaf
        # (a value that is not a record, list or map) is the one to name.
        found = [item for item in invalid.errors if not isinstance(item.datum, dict | list | tuple)]
        details = [
            f"field {item.field} is {_short(item.datum)}, not a valid "
            f"{item.schema if isinstance(item.schema, str) else _short(item.schema)}"
            for item in found or invalid.errors
        ]
        return f"{'; '.join(details)} ({cause})"
    except Exception:  # noqa: S110 - the validator failing too says nothing more than the writer
        pass
    return cause


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _default_catalog() -> ModelCatalog:
    # Imported here, not at module level: the event models sit above the machinery, which
    # must import without them.
    from octobus_schemas.catalog import CATALOG

    return CATALOG
