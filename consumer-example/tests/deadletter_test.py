"""Poison messages go to ``<topic>.dlq`` with their bytes and the reason; the next one is processed.

Each case writes a good push, one poison message and another good push to the push topic,
all with the same key (so the same partition, in that order), then runs the consumer for
three messages. The poison message must come out of the dead-letter topic byte for byte with
headers naming the error and where it came from, and both good pushes must reach the handler.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import fastavro
import pytest
from aiokafka import AIOKafkaProducer
from octobus_consumer_example import (
    ConsumerSettings,
    DeadLetterHeader,
    EventHandlers,
    dead_letter_topic,
    run_consumer,
)
from octobus_schemas.avro import AvroCodec, frame, parse_frame
from octobus_schemas.events import PushEvent

from .support.events import event, push
from .support.kafka import read_topic, send
from .support.recording import Recorder

KEY = b"octo-org/hello-world"
RUN_TIMEOUT = 60.0


@dataclass(frozen=True)
class Poison:
    """How to make one kind of poison message, and what the dead-letter headers must say."""

    value: Callable[[AvroCodec], Awaitable[bytes | None]]
    error_type: str
    message_contains: str
    headers: list[tuple[str, bytes]] | None = None
    attempts: int = 0


async def _wrong_magic_byte(codec: AvroCodec) -> bytes:
    good = await codec.encode(push())
    return b"\x02" + good[1:]


async def _unknown_schema_id(codec: AvroCodec) -> bytes:
    _, body = parse_frame(await codec.encode(push()))
    return frame(2_000_000_000, bytes(body))


async def _truncated_body(codec: AvroCodec) -> bytes:
    return (await codec.encode(push()))[:-3]


async def _unknown_record(codec: AvroCodec) -> bytes:
    schema = {
        "type": "record",
        "name": "Unrelated",
        "namespace": "com.example.elsewhere",
        "fields": [{"name": "note", "type": "string"}],
    }
    subject = f"com.example.elsewhere.Unrelated-{uuid.uuid4().hex}"
    registered = await codec.registry.register(schema, subject)
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(schema), {"note": "not ours"})
    return frame(registered.id, body.getvalue())


async def _push_whose_writer_schema_does_not_resolve(codec: AvroCodec) -> bytes:
    # The catalog's record name with a field of another type: the name finds PushEvent,
    # but Avro's resolution rules cannot read an int as the model's string ``ref``.
    schema = {
        "type": "record",
        "name": "PushEvent",
        "namespace": "io.octobus.github.v1",
        "fields": [{"name": "ref", "type": "int"}],
    }
    registered = await codec.registry.register(schema, f"incompatible-{uuid.uuid4().hex}")
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(schema), {"ref": 5})
    return frame(registered.id, body.getvalue())


async def _written_with_a_string_schema(codec: AvroCodec) -> bytes:
    # A valid Avro schema, but not a record: there is no record name to look up.
    registered = await codec.registry.register({"type": "string"}, f"plain-{uuid.uuid4().hex}")
    body = io.BytesIO()
    fastavro.schemaless_writer(body, "string", "hello")
    return frame(registered.id, body.getvalue())


async def _empty(codec: AvroCodec) -> bytes:
    return b""


async def _tombstone(codec: AvroCodec) -> None:
    return None


async def _issue_on_the_push_topic(codec: AvroCodec) -> bytes:
    return await codec.encode(event("issues"))


async def _good_bytes(codec: AvroCodec) -> bytes:
    return await codec.encode(push())


POISONS = {
    "wrong magic byte": Poison(
        _wrong_magic_byte, "octobus_schemas.errors.WireFormatError", "magic byte 0x02"
    ),
    "empty value": Poison(_empty, "octobus_schemas.errors.WireFormatError", "0 bytes"),
    "unknown schema id": Poison(
        _unknown_schema_id, "octobus_schemas.errors.SchemaNotFoundError", "2000000000"
    ),
    "truncated body": Poison(
        _truncated_body, "octobus_schemas.errors.AvroDecodeError", "schema id"
    ),
    "record not in the catalog": Poison(
        _unknown_record,
        "octobus_schemas.errors.UnknownRecordError",
        "com.example.elsewhere.Unrelated",
    ),
    "writer schema that does not resolve into the model": Poison(
        _push_whose_writer_schema_does_not_resolve,
        "octobus_schemas.errors.IncompatibleSchemaError",
        "PushEvent",
    ),
    "schema that is not a record": Poison(
        _written_with_a_string_schema,
        "octobus_schemas.errors.InvalidSchemaError",
        "record",
    ),
    "header that is not UTF-8": Poison(
        _good_bytes,
        "builtins.UnicodeDecodeError",
        "utf-8",
        headers=[("trace", b"\xff\xfe\x00")],
    ),
    "tombstone": Poison(_tombstone, "octobus_consumer_example.errors.TombstoneError", "tombstone"),
    "another event class on the push topic": Poison(
        _issue_on_the_push_topic,
        "pydantic_core._pydantic_core.ValidationError",
        "PushEvent",
        attempts=1,
    ),
}


@pytest.mark.parametrize("kind", list(POISONS))
async def test_a_poison_message_is_dead_lettered_and_the_next_message_is_processed(
    kind: str,
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    poison = POISONS[kind]
    topic = f"{prefix}github.push"
    before, after = push(), push()
    poison_value = await poison.value(codec)
    await send(producer, topic, await codec.encode(before), key=KEY)
    partition, offset = await send(producer, topic, poison_value, key=KEY, headers=poison.headers)
    await send(producer, topic, await codec.encode(after), key=KEY)
    recorder = Recorder()
    settings = make_settings()

    stats = await asyncio.wait_for(
        run_consumer(
            settings,
            handlers=recorder.handlers(),
            max_messages=3,
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (2, 1)
    assert recorder.delivery_ids == [str(before.delivery_id), str(after.delivery_id)]
    (letter,) = await read_topic(
        settings.kafka.bootstrap_servers, dead_letter_topic(topic), count=1
    )
    assert letter.key == KEY
    assert letter.value == poison_value
    headers = dict(letter.headers)
    for name, value in poison.headers or []:
        assert headers[name] == value
    assert headers[DeadLetterHeader.ERROR_TYPE] == poison.error_type.encode()
    assert poison.message_contains in headers[DeadLetterHeader.ERROR_MESSAGE].decode()
    assert headers[DeadLetterHeader.ORIGINAL_TOPIC] == topic.encode()
    assert headers[DeadLetterHeader.ORIGINAL_PARTITION] == str(partition).encode()
    assert headers[DeadLetterHeader.ORIGINAL_OFFSET] == str(offset).encode()
    assert headers[DeadLetterHeader.ATTEMPTS] == str(poison.attempts).encode()
    assert headers[DeadLetterHeader.CONSUMER_GROUP] == settings.consumer_group_id.encode()


async def test_a_handler_that_keeps_failing_is_retried_then_its_message_dead_lettered(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    topic = f"{prefix}github.push"
    doomed, fine = push(), push()
    doomed_value = await codec.encode(doomed)
    _, offset = await send(producer, topic, doomed_value, key=KEY)
    await send(producer, topic, await codec.encode(fine), key=KEY)
    calls: list[str] = []

    async def fails_on_doomed(event: PushEvent) -> None:
        calls.append(str(event.delivery_id))
        if event.delivery_id == doomed.delivery_id:
            msg = f"downstream service refused delivery {event.delivery_id}"
            raise RuntimeError(msg)

    settings = make_settings(consumer_max_attempts=3)

    stats = await asyncio.wait_for(
        run_consumer(
            settings,
            handlers=EventHandlers(push=fails_on_doomed),
            max_messages=2,
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (1, 1)
    assert calls == [str(doomed.delivery_id)] * 3 + [str(fine.delivery_id)]
    (letter,) = await read_topic(
        settings.kafka.bootstrap_servers, dead_letter_topic(topic), count=1
    )
    headers = dict(letter.headers)
    assert letter.value == doomed_value
    assert headers[DeadLetterHeader.ERROR_TYPE] == b"builtins.RuntimeError"
    assert headers[DeadLetterHeader.ERROR_MESSAGE] == (
        f"downstream service refused delivery {doomed.delivery_id}".encode()
    )
    assert headers[DeadLetterHeader.ATTEMPTS] == b"3"
    assert headers[DeadLetterHeader.ORIGINAL_OFFSET] == str(offset).encode()


async def test_a_handler_that_recovers_within_its_attempts_is_not_dead_lettered(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    topic = f"{prefix}github.push"
    flaky = push()
    await send(producer, topic, await codec.encode(flaky), key=KEY)
    failures_left = [2]
    seen: list[PushEvent] = []

    async def fails_twice(event: PushEvent) -> None:
        if failures_left[0]:
            failures_left[0] -= 1
            raise ConnectionError("database restarting")
        seen.append(event)

    stats = await asyncio.wait_for(
        run_consumer(
            make_settings(consumer_max_attempts=3),
            handlers=EventHandlers(push=fails_twice),
            max_messages=1,
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (1, 0)
    assert seen == [flaky]
