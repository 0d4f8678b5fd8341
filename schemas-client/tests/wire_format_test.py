"""The Confluent wire format, and every way a message can be badly framed (case 15).

Each bad input is a typed error whose message names the cause; none decodes to a model.
"""

from __future__ import annotations

import datetime as dt
import io

import fastavro
import pytest
from octobus_schemas.avro import avro_schema, frame, parse_frame
from octobus_schemas.errors import (
    AvroDecodeError,
    OctobusSchemasError,
    SchemaNotFoundError,
    WireFormatError,
)
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import Empty, Paid, Shipment, shipment
from .support.registries import in_memory

__all__ = ["in_memory"]

PAID = Paid(order_id="order-42", at=dt.datetime(2026, 12, 3, 12, 30, tzinfo=dt.UTC))


def plain_avro(model: Paid) -> bytes:
    """The record as plain Avro, with no Confluent header."""
    stream = io.BytesIO()
    fastavro.schemaless_writer(stream, fastavro.parse_schema(avro_schema(Paid)), model.asdict())
    return stream.getvalue()


def test_frame_is_magic_byte_then_big_endian_id_then_body() -> None:
    assert frame(1, b"body") == b"\x00\x00\x00\x00\x01body"
    assert frame(2**31 - 1, b"") == b"\x00\x7f\xff\xff\xff"


def test_parse_frame_returns_the_id_and_a_view_of_the_body() -> None:
    schema_id, body = parse_frame(b"\x00\x00\x00\x01\x00abc")
    assert schema_id == 256
    assert bytes(body) == b"abc"


def test_frame_refuses_an_id_the_format_cannot_carry() -> None:
    with pytest.raises(ValueError, match="schema id -1"):
        frame(-1, b"")


async def test_a_framed_message_decodes(in_memory: InMemorySchemaRegistry) -> None:
    data = await in_memory.frame(PAID)
    assert data[0] == 0
    assert await in_memory.decode(data) == PAID


@pytest.mark.parametrize(
    ("mangle", "error", "message"),
    [
        (lambda data: b"\x02" + data[1:], WireFormatError, "magic byte 0x02, expected 0x00"),
        (
            lambda data: b"\x01" + bytes(16) + data[5:],
            WireFormatError,
            "magic byte 0x01, expected 0x00: 0x01 is Confluent's newer framing with a 16-byte "
            "schema GUID",
        ),
        (lambda data: plain_avro(PAID), WireFormatError, "magic byte 0x10, expected 0x00"),
        (lambda data: frame(999, data[5:]), SchemaNotFoundError, "schema id 999 not found"),
        (lambda data: data[:3], WireFormatError, "payload too short: 3 bytes"),
        (
            lambda data: data[:5],
            AvroDecodeError,
            "Avro body missing for schema id 1: the message ends after its 5-byte header",
        ),
        (lambda data: data[:-3], AvroDecodeError, "Avro body truncated for schema id 1"),
        (lambda data: b"", WireFormatError, "payload too short: 0 bytes"),
        (lambda data: data + b"\x00", AvroDecodeError, "1 stray bytes after the Avro body"),
        (lambda data: b'{"order_id": "x"}', WireFormatError, "looks like JSON"),
        (
            # 0x49 is the zig-zag varint of -37: the string's length prefix is negative.
            lambda data: data[:5] + b"\x49abc",
            AvroDecodeError,
            "corrupt Avro body for schema id 1: a length prefix of -37 bytes",
        ),
    ],
    ids=[
        "first-byte-2",
        "first-byte-1-guid",
        "plain-avro",
        "unknown-id",
        "three-bytes",
        "header-only",
        "last-3-bytes-cut",
        "empty",
        "trailing-byte",
        "json",
        "negative-length",
    ],
)
async def test_a_badly_framed_message_is_a_typed_error_naming_the_cause(
    in_memory: InMemorySchemaRegistry,
    mangle: object,
    error: type[OctobusSchemasError],
    message: str,
) -> None:
    data = await in_memory.frame(PAID)
    assert callable(mangle)
    with pytest.raises(error) as raised:
        await in_memory.decode(mangle(data))
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("message", "cut"),
    [
        (Paid(order_id="x" * 200_000, at=PAID.at), 100_000),
        (shipment(), 10),
    ],
    ids=["cut-inside-a-string-longer-than-64k", "cut-inside-a-uuid"],
)
async def test_a_body_cut_anywhere_is_named_truncated(
    in_memory: InMemorySchemaRegistry, message: Paid | Shipment, cut: int
) -> None:
    data = await in_memory.frame(message)
    with pytest.raises(AvroDecodeError) as raised:
        await in_memory.decode(data[:cut])
    assert "Avro body truncated for schema id 1" in str(raised.value)


async def test_an_unknown_schema_id_is_named_on_the_error(
    in_memory: InMemorySchemaRegistry,
) -> None:
    with pytest.raises(SchemaNotFoundError) as raised:
        await in_memory.decode(frame(999, b"\x02"))
    assert raised.value.schema_id == 999


async def test_plain_avro_never_decodes_to_a_model_through_any_entry_point(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = plain_avro(PAID)
    with pytest.raises(WireFormatError):
        await in_memory.decode(data)
    with pytest.raises(WireFormatError):
        await in_memory.decode_as(data, Paid)


async def test_a_record_with_no_fields_is_a_valid_five_byte_message(
    in_memory: InMemorySchemaRegistry,
) -> None:
    data = await in_memory.frame(Empty())
    assert len(data) == 5
    assert await in_memory.decode(data) == Empty()


async def test_a_tombstone_decodes_to_none(in_memory: InMemorySchemaRegistry) -> None:
    assert await in_memory.decode(None) is None


async def test_decode_as_refuses_a_tombstone_naming_the_model(
    in_memory: InMemorySchemaRegistry,
) -> None:
    with pytest.raises(WireFormatError, match="tombstone"):
        await in_memory.decode_as(None, Paid)  # type: ignore[arg-type]


async def test_a_value_that_is_not_bytes_is_refused_naming_its_type(
    in_memory: InMemorySchemaRegistry,
) -> None:
    with pytest.raises(WireFormatError, match="got str"):
        await in_memory.decode("not bytes")  # type: ignore[arg-type]
