"""The Confluent wire format: ``[0x00][schema id: 4 bytes, big-endian][Avro binary body]``.

Confluent clients, Karapace and Redpanda all frame Avro this way. Confluent's newer clients
can also write magic byte ``0x01`` followed by a 16-byte schema GUID; we name that framing in
the error rather than misreading it as an id.
"""

from __future__ import annotations

import struct

from octobus_schemas.errors import WireFormatError

__all__ = ["HEADER_SIZE", "MAGIC_BYTE", "frame", "parse_frame"]

MAGIC_BYTE = 0
"""The first byte of every message in the (id-based) Confluent wire format."""

HEADER_SIZE = 5
"""Magic byte plus the 4-byte schema id."""

_GUID_MAGIC_BYTE = 1
_HEADER = struct.Struct(">bI")
_MAX_SCHEMA_ID = 2**31 - 1


def frame(schema_id: int, body: bytes) -> bytes:
    r"""Put the Confluent header in front of an Avro body.

    Parameters
    ----------
    schema_id
        The writer schema's id in the Schema Registry (0 to 2**31 - 1: the registry's ids are
        Java ints).
    body
        The Avro binary encoding of one record.

    Returns
    -------
    bytes
        ``0x00``, the id as 4 big-endian bytes, then ``body``.

    Raises
    ------
    ValueError
        If ``schema_id`` is outside the range the format can carry.

    Examples
    --------
    >>> frame(1, b"\x02")
    b'\x00\x00\x00\x00\x01\x02'
    """
    if not 0 <= schema_id <= _MAX_SCHEMA_ID:
        raise ValueError(f"schema id {schema_id} is outside 0..{_MAX_SCHEMA_ID}")
    return _HEADER.pack(MAGIC_BYTE, schema_id) + body


def parse_frame(data: bytes | bytearray | memoryview) -> tuple[int, memoryview]:
    """Split a Confluent-framed message into its schema id and its Avro body.

    Parameters
    ----------
    data
        The message value as read from Kafka.

    Returns
    -------
    tuple of (int, memoryview)
        The writer schema id and a zero-copy view of the Avro body.

    Raises
    ------
    WireFormatError
        If ``data`` is not bytes, is shorter than the 5-byte header, or does not start with
        magic byte ``0x00``. The message names the length or the byte found.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise WireFormatError(f"expected the message value as bytes, got {type(data).__name__}")
    view = memoryview(data)
    if len(view) == 0:
        raise WireFormatError("payload too short: 0 bytes (empty), expected a 5-byte header")
    magic = view[0]
    if magic != MAGIC_BYTE:
        raise WireFormatError(describe_bad_magic(magic))
    if len(view) < HEADER_SIZE:
        raise WireFormatError(
            f"payload too short: {len(view)} bytes, expected at least {HEADER_SIZE} "
            "(magic byte and 4-byte schema id)"
        )
    schema_id = int.from_bytes(view[1:HEADER_SIZE], "big")
    return schema_id, view[HEADER_SIZE:]


def describe_bad_magic(magic: int) -> str:
    """Explain a first byte that is not the Confluent magic byte.

    Parameters
    ----------
    magic
        The first byte of the message.

    Returns
    -------
    str
        A message naming the byte, and what it probably means.
    """
    found = f"magic byte 0x{magic:02x}, expected 0x{MAGIC_BYTE:02x}"
    if magic == _GUID_MAGIC_BYTE:
        return (
            f"{found}: 0x01 is Confluent's newer framing with a 16-byte schema GUID, "
            "which this decoder does not read (configure the producer for schema ids)"
        )
    if magic in (ord("{"), ord("[")):
        return f"{found}: the message looks like JSON, not Confluent-framed Avro"
    return f"{found}: not a Confluent-framed Avro message (plain Avro or other bytes?)"
