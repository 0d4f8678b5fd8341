"""Encoding a model goes from its Avro form, never from pydantic's generic dump (case 13)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal

import fastavro
import pytest
from dataclasses_avroschema.pydantic import AvroBaseModel
from octobus_schemas.avro import avro_schema, parse_frame
from octobus_schemas.errors import AvroEncodeError, InvalidSchemaError
from octobus_schemas.testing import InMemorySchemaRegistry
from pydantic import Field

from .support.codec_models import (
    Address,
    Bundle,
    Carrier,
    Cart,
    OrderV1,
    Product,
    Shipment,
    shipment,
)
from .support.registries import in_memory

__all__ = ["in_memory"]


def raw_record(data: bytes, model: type[Shipment]) -> dict[str, object]:
    """Read a framed message's body with plain fastavro and the model's own schema."""
    _, body = parse_frame(data)
    schema = fastavro.parse_schema(avro_schema(model))
    record = fastavro.schemaless_reader(io.BytesIO(bytes(body)), schema, None)
    assert isinstance(record, dict)
    return record


def test_pydantic_dump_cannot_feed_fastavro_which_is_why_the_codec_does_not_use_it() -> None:
    schema = fastavro.parse_schema(avro_schema(Shipment))
    with pytest.raises(ValueError, match="not in list"):
        fastavro.schemaless_writer(io.BytesIO(), schema, shipment().model_dump())


async def test_enums_decimals_uuids_dates_and_nested_records_encode_and_round_trip(
    in_memory: InMemorySchemaRegistry,
) -> None:
    original = shipment()
    decoded = await in_memory.decode(await in_memory.frame(original))
    assert isinstance(decoded, Shipment)
    assert decoded.carrier is Carrier.COURIER
    assert decoded.id == uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert decoded.price == Decimal("12.50")
    assert str(decoded.price) == "12.50"
    assert decoded.shipped_at == dt.datetime(2026, 12, 3, 12, 30, 0, 123000, tzinfo=dt.UTC)
    assert decoded.shipped_on == dt.date(2026, 12, 3)
    assert decoded.to == Address(city="Lyon", zip_code="69001")
    assert decoded.return_to == Address(city="Paris")
    assert decoded.tags == ["fragile", "gift"]
    assert decoded.weights == {"box": 1.5}


async def test_the_avro_values_on_the_wire_are_the_standard_ones(
    in_memory: InMemorySchemaRegistry,
) -> None:
    record = raw_record(await in_memory.frame(shipment()), Shipment)
    assert record["carrier"] == "courier"
    assert record["price"] == Decimal("12.50")
    assert record["to"] == {"city": "Lyon", "zip_code": "69001"}


def test_an_excluded_field_is_not_in_the_schema() -> None:
    names = [field["name"] for field in avro_schema(Shipment)["fields"]]
    assert "api_token" not in names
    assert "tags" in names


async def test_an_excluded_field_never_reaches_the_wire(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(shipment(api_token="s3cr3t-token"))
    assert b"s3cr3t" not in data
    assert "api_token" not in raw_record(data, Shipment)
    decoded = await in_memory.decode(data)
    assert isinstance(decoded, Shipment)
    assert decoded.api_token == ""


def test_an_excluded_field_without_a_default_is_refused_naming_it() -> None:
    class Leaky(Shipment):
        secret: str = Field(exclude=True)

        class Meta:
            namespace = "shop.events"

    with pytest.raises(InvalidSchemaError, match=r"'secret' of .*Leaky is exclude=True"):
        avro_schema(Leaky)


async def test_a_naive_datetime_is_refused_naming_the_field(
    in_memory: InMemorySchemaRegistry,
) -> None:
    naive = shipment().model_copy(update={"shipped_at": dt.datetime(2026, 12, 3, 12, 30)})
    with pytest.raises(AvroEncodeError, match=r"shop\.events\.Shipment\.shipped_at: naive"):
        await in_memory.frame(naive)


async def test_a_decimal_too_precise_for_its_schema_is_an_encode_error(
    in_memory: InMemorySchemaRegistry,
) -> None:
    too_precise = shipment().model_copy(update={"price": Decimal("12.345")})
    with pytest.raises(AvroEncodeError, match="cannot encode Shipment"):
        await in_memory.frame(too_precise)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            OrderV1(id=2**63, note="n"),
            "field shop.events.Order.id is 9223372036854775808, not a valid long",
        ),
        (
            Cart(item=Bundle(id=-(2**63) - 1)),
            "field shop.items.Bundle.id is -9223372036854775809, not a valid long",
        ),
        (
            Cart(item=Product(id=1), items=[Product(id=2), Product(id=2**70)]),
            "field shop.items.Product.id is 1180591620717411303424, not a valid long",
        ),
    ],
    ids=["top-level", "in-a-union", "in-a-list"],
)
async def test_an_int_beyond_avros_long_is_an_encode_error_naming_the_field(
    in_memory: InMemorySchemaRegistry, model: AvroBaseModel, message: str
) -> None:
    # pydantic's int is unbounded; fastavro's own OverflowError names no field.
    with pytest.raises(AvroEncodeError) as raised:
        await in_memory.frame(model)
    assert message in str(raised.value)
    assert "OverflowError" in str(raised.value)


async def test_a_value_of_the_wrong_type_is_an_encode_error_naming_the_field(
    in_memory: InMemorySchemaRegistry,
) -> None:
    unvalidated = OrderV1(id=7, note="n").model_copy(update={"id": "seven"})
    with pytest.raises(AvroEncodeError, match=r"field shop\.events\.Order\.id is 'seven'"):
        await in_memory.frame(unvalidated)


async def test_encoding_leaves_the_model_untouched(in_memory: InMemorySchemaRegistry) -> None:
    original = shipment()
    before = original.model_dump()
    await in_memory.frame(original)
    assert original.model_dump() == before
    assert original.to == Address(city="Lyon", zip_code="69001")


@contextlib.contextmanager
def _in_new_york() -> Iterator[None]:
    """Set the process's local time zone to America/New_York, then put it back."""
    original = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if original is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = original
        time.tzset()


async def test_the_host_time_zone_never_changes_the_bytes_or_the_instant(
    in_memory: InMemorySchemaRegistry,
) -> None:
    # Case 11's trap: fastavro writes a naive datetime in the host's zone, so a CI in UTC
    # never sees the bug. Aware values write the same bytes under any TZ; naive ones are
    # refused.
    event = shipment()
    in_utc = await in_memory.frame(event)
    with _in_new_york():
        in_new_york = await in_memory.frame(event)
        decoded = await in_memory.decode(in_new_york)
        naive = event.model_copy(update={"shipped_at": dt.datetime(2026, 12, 3, 12, 30)})
        with pytest.raises(AvroEncodeError, match="naive"):
            await in_memory.frame(naive)
    assert in_new_york == in_utc
    assert isinstance(decoded, Shipment)
    assert decoded.shipped_at == event.shipped_at
    assert decoded.shipped_at.utcoffset() == dt.timedelta(0)


async def test_something_that_is_not_a_model_is_refused_saying_so(
    in_memory: InMemorySchemaRegistry,
) -> None:
    with pytest.raises(InvalidSchemaError, match=r"^dict is not an Avro model: give an instance"):
        await in_memory.frame({"order_id": "x"})  # type: ignore[arg-type]
    data = await in_memory.frame(shipment())
    with pytest.raises(InvalidSchemaError, match=r"^int is not an Avro model"):
        await in_memory.decode_as(data, int)  # type: ignore[type-var]
