"""Neutral models for the Avro machinery's tests (shop orders, not GitHub events).

The machinery must work for any AvroBaseModel, so its tests use models of their own.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Annotated

from dataclasses_avroschema.pydantic import AvroBaseModel
from octobus_schemas.avro import ModelCatalog
from pydantic import AwareDatetime, Field


class Paid(AvroBaseModel):
    """The record of case 15."""

    order_id: str
    at: AwareDatetime

    class Meta:
        namespace = "shop.events"


class Empty(AvroBaseModel):
    """A record with no fields: its Avro body is zero bytes."""

    class Meta:
        namespace = "shop.events"


class OrderV1(AvroBaseModel):
    """Version 1 of shop.events.Order."""

    id: int
    note: str

    class Meta:
        namespace = "shop.events"
        schema_name = "Order"


class OrderV2(AvroBaseModel):
    """Version 2 of shop.events.Order: a new field with a default."""

    id: int
    note: str
    channel: str = "web"

    class Meta:
        namespace = "shop.events"
        schema_name = "Order"


class Product(AvroBaseModel):
    """One branch of a same-shape union."""

    id: int

    class Meta:
        namespace = "shop.items"


class Bundle(AvroBaseModel):
    """The other branch: same fields as Product."""

    id: int

    class Meta:
        namespace = "shop.items"


class Cart(AvroBaseModel):
    """Unions of two records of the same shape, alone and in a list."""

    item: Product | Bundle
    items: list[Product | Bundle] = Field(default_factory=list)
    maybe: Product | Bundle | None = None

    class Meta:
        namespace = "shop.events"


class Carrier(enum.Enum):
    """A plain (not str) enum: model_dump() cannot feed it to fastavro."""

    POST = "post"
    COURIER = "courier"


class Address(AvroBaseModel):
    """A nested record."""

    city: str
    zip_code: str | None = None

    class Meta:
        namespace = "shop.events"


class Shipment(AvroBaseModel):
    """Case 13: enum, decimal, uuid, datetime, nested and optional records, a hidden token."""

    id: uuid.UUID
    carrier: Carrier
    price: Annotated[Decimal, Field(max_digits=9, decimal_places=2)]
    shipped_at: AwareDatetime
    shipped_on: dt.date
    to: Address
    return_to: Address | None = None
    tags: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    api_token: str = Field(default="", exclude=True)

    class Meta:
        namespace = "shop.events"


class Reading(AvroBaseModel):
    """A record whose reader refuses some values the writer could send."""

    sensor: str
    value: int

    class Meta:
        namespace = "shop.events"


class StrictReading(AvroBaseModel):
    """The same record name, read with a constraint (value >= 0)."""

    sensor: str
    value: int = Field(ge=0)

    class Meta:
        namespace = "shop.events"
        schema_name = "Reading"


class NoNamespace(AvroBaseModel):
    """A record without a namespace: refused by the record subject strategies."""

    x: int


def shipment(**changes: object) -> Shipment:
    """A valid Shipment, with fields overridden by ``changes``."""
    values: dict[str, object] = {
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "carrier": Carrier.COURIER,
        "price": Decimal("12.5"),
        "shipped_at": dt.datetime(2026, 12, 3, 12, 30, 0, 123000, tzinfo=dt.UTC),
        "shipped_on": dt.date(2026, 12, 3),
        "to": Address(city="Lyon", zip_code="69001"),
        "return_to": Address(city="Paris"),
        "tags": ["fragile", "gift"],
        "weights": {"box": 1.5},
        "api_token": "s3cr3t-token",
    }
    values.update(changes)
    return Shipment.model_validate(values)


CATALOG: ModelCatalog = {
    "shop.events.Paid": Paid,
    "shop.events.Empty": Empty,
    "shop.events.Order": OrderV2,
    "shop.events.Cart": Cart,
    "shop.events.Shipment": Shipment,
    "shop.events.Reading": StrictReading,
}
"""The test catalog: record full name -> the model a consumer reads it into."""
