"""What a dead-lettered message carries: its original bytes, and why and where it failed."""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord
from octobus_consumer_example.deadletter import (
    MAX_ERROR_MESSAGE_BYTES,
    DeadLetterHeader,
    dead_letter_headers,
    dead_letter_topic,
    describe_error,
)
from octobus_schemas.errors import WireFormatError


def _record(headers: list[tuple[str, bytes]]) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(
        topic="github.push",
        partition=2,
        offset=41,
        timestamp=1_700_000_000_123,
        timestamp_type=0,
        key=b"octo-org/hello-world",
        value=b"\x02garbage",
        checksum=None,
        serialized_key_size=20,
        serialized_value_size=8,
        headers=headers,
    )


def test_the_dead_letter_topic_is_the_topic_with_dlq_appended() -> None:
    assert dead_letter_topic("github.push") == "github.push.dlq"
    assert dead_letter_topic("staging.github.raw") == "staging.github.raw.dlq"


def test_headers_keep_the_originals_byte_for_byte_then_name_the_error_and_origin() -> None:
    original = [("delivery-id", b"72d3162e"), ("binary", b"\xff\xfe"), ("delivery-id", b"dup")]
    error = WireFormatError("magic byte 0x02, expected 0x00")

    headers = dead_letter_headers(_record(original), error, attempts=0, group_id="billing")

    assert headers[:3] == original
    assert dict(headers[3:]) == {
        DeadLetterHeader.ERROR_TYPE: b"octobus_schemas.errors.WireFormatError",
        DeadLetterHeader.ERROR_MESSAGE: b"magic byte 0x02, expected 0x00",
        DeadLetterHeader.ORIGINAL_TOPIC: b"github.push",
        DeadLetterHeader.ORIGINAL_PARTITION: b"2",
        DeadLetterHeader.ORIGINAL_OFFSET: b"41",
        DeadLetterHeader.ORIGINAL_TIMESTAMP: b"1700000000123",
        DeadLetterHeader.ATTEMPTS: b"0",
        DeadLetterHeader.CONSUMER_GROUP: b"billing",
    }


def test_a_second_trip_through_a_dead_letter_topic_replaces_the_old_error_headers() -> None:
    earlier = [
        ("delivery-id", b"72d3162e"),
        (DeadLetterHeader.ERROR_TYPE.value, b"builtins.RuntimeError"),
        (DeadLetterHeader.ORIGINAL_OFFSET.value, b"7"),
    ]

    headers = dead_letter_headers(_record(earlier), KeyError("x"), attempts=5, group_id="g")

    names = [name for name, _ in headers]
    assert names.count(DeadLetterHeader.ERROR_TYPE) == 1
    assert dict(headers)[DeadLetterHeader.ERROR_TYPE] == b"builtins.KeyError"
    assert dict(headers)[DeadLetterHeader.ORIGINAL_OFFSET] == b"41"
    assert headers[0] == ("delivery-id", b"72d3162e")


def test_an_error_without_a_message_is_described_by_its_repr() -> None:
    assert describe_error(RuntimeError()) == ("builtins.RuntimeError", "RuntimeError()")


def test_a_huge_error_message_is_cut_to_a_bounded_valid_utf8_header() -> None:
    name, message = describe_error(ValueError("é" * 10_000))

    assert name == "builtins.ValueError"
    encoded = message.encode("utf-8")
    assert len(encoded) <= MAX_ERROR_MESSAGE_BYTES
    assert message.endswith("...")
