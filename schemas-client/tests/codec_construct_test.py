"""Models built without re-validation are exactly what pydantic's validation would build.

The decoder skips pydantic only for models whose every field is proven to need no check
(octobus_schemas.avro._construct); these tests compare that path with ``model_validate`` on
the same decoded record, for the test models and for every real event example.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Annotated, Any

import fastavro
import pytest
from dataclasses_avroschema.pydantic import AvroBaseModel
from octobus_schemas.avro import avro_schema
from octobus_schemas.avro._construct import compile_constructor
from octobus_schemas.avro._decoding import DecodePlan
from octobus_schemas.avro._encoding import compile_encoder
from octobus_schemas.avro._schema import record_classes
from octobus_schemas.catalog import CATALOG
from octobus_schemas.errors import RecordValidationError
from octobus_schemas.events import GitHubEvent
from octobus_schemas.testing import InMemorySchemaRegistry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .support.codec_models import (
    Bundle,
    Cart,
    OrderV1,
    OrderV2,
    Paid,
    Product,
    Shipment,
    StrictReading,
)


def structure(value: Any) -> Any:
    """Every value with its exact type, all the way down, and dict keys in order."""
    if isinstance(value, BaseModel):
        return (
            type(value),
            [(name, structure(item)) for name, item in value.__dict__.items()],
            sorted(value.model_fields_set),
        )
    if isinstance(value, list):
        return [structure(item) for item in value]
    if isinstance(value, dict):
        return [(key, structure(item)) for key, item in value.items()]
    return (type(value), value)


def decode_both(model: AvroBaseModel) -> tuple[Any, Any]:
    """Decode ``model``'s bytes through its plan, and through plain validation."""
    model_class = type(model)
    schema = avro_schema(model_class)
    parsed = fastavro.parse_schema(schema)
    stream = io.BytesIO()
    fastavro.schemaless_writer(stream, parsed, _avro_dict(model))
    data = b"\x00\x00\x00\x00\x01" + stream.getvalue()
    plan = DecodePlan(1, schema, model_class, schema, record_classes(model_class))
    fast = plan.decode(data)
    record = fastavro.schemaless_reader(
        io.BytesIO(data[5:]),
        parsed,
        None,
        return_record_name=True,
        return_record_name_override=True,
    )
    validated = model_class.model_validate(_named_branches(record, model_class), by_name=True)
    return fast, validated


def _avro_dict(model: AvroBaseModel) -> Any:
    return compile_encoder(avro_schema(type(model)), record_classes(type(model)))(model)


def _named_branches(record: Any, model_class: type[AvroBaseModel]) -> Any:
    classes = record_classes(model_class)
    if isinstance(record, tuple):
        name, fields = record
        return classes[name].model_validate(_named_branches(fields, model_class), by_name=True)
    if isinstance(record, dict):
        return {key: _named_branches(value, model_class) for key, value in record.items()}
    if isinstance(record, list):
        return [_named_branches(item, model_class) for item in record]
    return record


@pytest.mark.parametrize(
    "model",
    [
        OrderV2(id=1, note="n"),
        Paid.model_validate({"order_id": "o", "at": "2026-12-03T12:00:00.123Z"}),
        Cart(item=Bundle(id=1), items=[Product(id=2), Bundle(id=3)], maybe=Product(id=4)),
        Cart(item=Product(id=1)),
    ],
    ids=["order", "paid", "cart-full", "cart-minimal"],
)
def test_a_constructed_model_equals_the_validated_one_to_the_last_type(
    model: AvroBaseModel,
) -> None:
    assert compile_constructor(type(model), avro_schema(type(model)), record_classes(type(model)))
    fast, validated = decode_both(model)
    assert fast == validated == model
    assert structure(fast) == structure(validated)
    assert fast.model_dump() == validated.model_dump()
    assert list(fast.model_dump()) == list(validated.model_dump())


@pytest.mark.parametrize(
    "model",
    [Shipment, StrictReading],
    ids=["decimal-and-excluded-field", "constrained-int"],
)
def test_a_model_with_anything_unproven_is_validated(model: type[AvroBaseModel]) -> None:
    assert compile_constructor(model, avro_schema(model), record_classes(model)) is None


def test_validators_and_config_that_change_values_keep_pydantic_in_charge() -> None:
    class Shouting(AvroBaseModel):
        name: str
        model_config = ConfigDict(str_to_upper=True)

        class Meta:
            namespace = "t"

    class Checked(AvroBaseModel):
        name: Annotated[str, Field(max_length=3)]

        class Meta:
            namespace = "t"

    for model in (Shouting, Checked):
        assert compile_constructor(model, avro_schema(model), record_classes(model)) is None


async def test_a_replayed_validator_that_refuses_gives_pydantics_own_error() -> None:
    def not_empty(value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value.strip()

    class Named(AvroBaseModel):
        name: Annotated[str, AfterValidator(not_empty)]

        class Meta:
            namespace = "t"

    assert compile_constructor(Named, avro_schema(Named), record_classes(Named)) is not None
    async with InMemorySchemaRegistry(catalog={"t.Named": Named}) as registry:
        padded = Named.model_construct(name="  octo  ")
        assert await registry.decode(await registry.frame(padded)) == Named(name="octo")
        empty = Named.model_construct(name="")
        with pytest.raises(RecordValidationError, match="must not be empty") as raised:
            await registry.decode(await registry.frame(empty))
        assert raised.value.record == {"name": ""}


async def test_an_older_writer_resolved_into_a_constructed_model_keeps_field_order() -> None:
    async with InMemorySchemaRegistry(catalog={"shop.events.Order": OrderV2}) as registry:
        decoded = await registry.decode(await registry.frame(OrderV1(id=1, note="n")))
        assert decoded is not None
        assert list(decoded.model_dump()) == list(OrderV2.model_fields)
        assert decoded.model_fields_set == {"id", "note", "channel"}


async def test_every_real_event_decodes_exactly_as_validation_would(
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Callable[[str, dict[str, Any]], GitHubEvent],
) -> None:
    async with InMemorySchemaRegistry() as registry:
        for name, examples in webhook_examples.items():
            for payload in examples:
                event = from_delivery(name, payload)
                data = await registry.frame(event)
                decoded = await registry.decode(data)
                record = fastavro.schemaless_reader(
                    io.BytesIO(data[5:]),
                    fastavro.parse_schema(avro_schema(type(event))),
                    None,
                    return_record_name=True,
                    return_record_name_override=True,
                )
                validated = type(event).model_validate(record)
                assert decoded == validated == event, name
                assert structure(decoded) == structure(validated), name


def test_the_catalog_events_are_built_without_revalidation() -> None:
    proven = [
        model.__name__
        for model in CATALOG.values()
        if compile_constructor(model, avro_schema(model), record_classes(model)) is not None
    ]
    # A validator the codec cannot replay would send every event through pydantic again,
    # several times slower (see `make bench`): this test says so when it happens.
    assert proven == [model.__name__ for model in CATALOG.values()]


def test_timestamps_come_back_utc() -> None:
    fast, _ = decode_both(Paid.model_validate({"order_id": "o", "at": "2026-12-03T13:00+01:00"}))
    assert fast.at == dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    assert fast.at.utcoffset() == dt.timedelta(0)
