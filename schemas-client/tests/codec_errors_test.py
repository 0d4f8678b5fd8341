"""Records the consumer cannot accept: typed errors, nothing received is lost (case 12)."""

from __future__ import annotations

import pytest
from octobus_schemas.avro import AvroCodec
from octobus_schemas.errors import RecordValidationError, UnknownRecordError
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import CATALOG, Paid, Reading, StrictReading
from .support.registries import in_memory

__all__ = ["in_memory"]


async def test_a_record_not_in_the_catalog_is_an_unknown_record_naming_it(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(Paid.model_validate({"order_id": "1", "at": "2026-12-03T12:00Z"}))
    without_paid = {name: model for name, model in CATALOG.items() if model is not Paid}
    codec = AvroCodec(in_memory.client, catalog=without_paid)
    with pytest.raises(UnknownRecordError) as raised:
        await codec.decode(data)
    assert raised.value.record_name == "shop.events.Paid"
    assert "record 'shop.events.Paid' (schema id 1) is not in the catalog" in str(raised.value)


async def test_a_record_failing_validation_carries_the_raw_record(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(Reading(sensor="s-1", value=-5))
    with pytest.raises(RecordValidationError) as raised:
        await in_memory.decode(data)
    error = raised.value
    assert error.record == {"sensor": "s-1", "value": -5}
    assert error.schema_id == 1
    assert error.model_name == StrictReading.__qualname__
    assert "value: Input should be greater than or equal to 0" in str(error)


async def test_a_valid_record_of_the_same_schema_still_decodes(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(Reading(sensor="s-1", value=5))
    assert await in_memory.decode(data) == StrictReading(sensor="s-1", value=5)
