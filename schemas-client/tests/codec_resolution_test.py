"""Decoding always resolves the writer's schema into the reader's own schema (case 14)."""

from __future__ import annotations

import io

import fastavro
import pytest
from octobus_schemas.avro import AvroCodec, avro_schema, frame, parse_frame
from octobus_schemas.errors import IncompatibleSchemaError
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import CATALOG, OrderV1, OrderV2, Paid
from .support.registries import in_memory

__all__ = ["in_memory"]


def reader_schema_only(data: bytes, model: type[OrderV1] | type[OrderV2]) -> object:
    """What a decoder that ignores the writer schema would return (the bug, for contrast)."""
    _, body = parse_frame(data)
    schema = fastavro.parse_schema(avro_schema(model))
    return fastavro.schemaless_reader(io.BytesIO(bytes(body)), schema, None)


async def test_a_new_reader_fills_defaults_for_fields_an_old_writer_did_not_have(
    in_memory: InMemorySchemaRegistry,
) -> None:
    old_bytes = await in_memory.frame(OrderV1(id=7, note="old"))
    assert await in_memory.decode(old_bytes) == OrderV2(id=7, note="old", channel="web")
    assert await in_memory.decode_as(old_bytes, OrderV2) == OrderV2(id=7, note="old")


async def test_an_old_reader_drops_fields_a_new_writer_added(
    in_memory: InMemorySchemaRegistry,
) -> None:
    new_bytes = await in_memory.frame(OrderV2(id=8, note="new", channel="app"))
    decoded = await in_memory.decode_as(new_bytes, OrderV1)
    assert decoded == OrderV1(id=8, note="new")
    assert not hasattr(decoded, "channel")


async def test_the_reader_schema_alone_would_misread_both_directions(
    in_memory: InMemorySchemaRegistry,
) -> None:
    # The contrast that makes resolution necessary: new reader on old bytes runs out of data,
    # old reader on new bytes leaves the new field unread.
    old_bytes = await in_memory.frame(OrderV1(id=7, note="old"))
    with pytest.raises(EOFError):
        reader_schema_only(old_bytes, OrderV2)
    new_bytes = await in_memory.frame(OrderV2(id=8, note="new", channel="app"))
    assert reader_schema_only(new_bytes, OrderV1) == {"id": 8, "note": "new"}
    # ... and our decoder gets both right, and refuses leftovers instead of ignoring them.
    assert (await in_memory.decode_as(new_bytes, OrderV1)).note == "new"


async def test_two_writer_versions_get_two_ids_and_both_decode(
    in_memory: InMemorySchemaRegistry,
) -> None:
    old_bytes = await in_memory.frame(OrderV1(id=1, note="a"))
    new_bytes = await in_memory.frame(OrderV2(id=2, note="b", channel="app"))
    assert parse_frame(old_bytes)[0] != parse_frame(new_bytes)[0]
    assert [await in_memory.decode(data) for data in (old_bytes, new_bytes)] == [
        OrderV2(id=1, note="a"),
        OrderV2(id=2, note="b", channel="app"),
    ]


async def test_decode_as_a_different_record_is_an_incompatibility_naming_both(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(OrderV1(id=1, note="a"))
    with pytest.raises(IncompatibleSchemaError) as raised:
        await in_memory.decode_as(data, Paid)
    assert str(raised.value) == (
        "the writer schema id 1 cannot be read as Paid: "
        "writer record 'shop.events.Order' cannot be read as 'shop.events.Paid'"
    )
    assert raised.value.subject == "schema id 1 -> Paid"


async def test_an_old_reader_catalog_reads_what_a_newer_producer_wrote(
    in_memory: InMemorySchemaRegistry,
) -> None:
    old_consumer = AvroCodec(in_memory.client, catalog={**CATALOG, "shop.events.Order": OrderV1})
    new_bytes = await in_memory.frame(OrderV2(id=3, note="n", channel="app"))
    assert await old_consumer.decode(new_bytes) == OrderV1(id=3, note="n")


async def test_a_change_the_projection_does_not_cover_is_resolved_by_fastavro(
    in_memory: InMemorySchemaRegistry,
) -> None:
    # The writer put its union branches in the other order: still one record, resolved.
    writer = avro_schema(OrderV2)
    writer["fields"][2] = {"name": "channel", "type": ["string", "null"], "default": "web"}
    schema_id = (await in_memory.client.register(writer, "legacy-order")).id
    stream = io.BytesIO()
    fastavro.schemaless_writer(
        stream, fastavro.parse_schema(writer), {"id": 5, "note": "x", "channel": "fax"}
    )
    assert await in_memory.decode(frame(schema_id, stream.getvalue())) == OrderV2(
        id=5, note="x", channel="fax"
    )
