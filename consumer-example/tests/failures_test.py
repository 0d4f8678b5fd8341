"""When the infrastructure fails rather than the message: wait, rewind, lose nothing.

A Schema Registry that cannot be reached is not a reason to dead-letter anything, and a
dead-letter topic that cannot be written is not a reason to skip a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer, ConsumerRecord
from octobus_consumer_example import (
    ConsumerSettings,
    DeadLetter,
    DeadLetterError,
    DeadLetterPublisher,
    build_consumer,
    dead_letter_topic,
)
from octobus_devstack.registry import RegistryServer
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient, SchemaRegistrySettings
from pydantic import AnyHttpUrl

from .support.events import push
from .support.kafka import read_topic, send
from .support.recording import Recorder

RUN_TIMEOUT = 60.0


async def test_while_the_registry_is_down_messages_wait_and_none_is_dead_lettered(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    prefix: str,
    tmp_path: Path,
) -> None:
    database = tmp_path / "registry.sqlite"
    registry = RegistryServer(database).start()
    port, url = registry.port, registry.url
    pushes = [push(), push()]
    try:
        async with SchemaRegistryClient(url) as client:
            writer = AvroCodec(client)
            for published in pushes:
                await send(producer, f"{prefix}github.push", await writer.encode(published))
    finally:
        registry.stop()
    recorder = Recorder()
    consumer = build_consumer(
        make_settings(schema_registry=SchemaRegistrySettings(url=AnyHttpUrl(url))),
        handlers=recorder.handlers(),
        max_messages=len(pushes),
        from_beginning=True,
    )
    running = asyncio.create_task(consumer.run(handle_signals=False))

    await asyncio.sleep(3.0)  # several attempts, each failing to reach the registry
    assert (consumer.stats.processed, consumer.stats.dead_lettered) == (0, 0)
    assert not running.done()

    with RegistryServer(database, port=port):
        stats = await asyncio.wait_for(running, RUN_TIMEOUT)

    assert (stats.processed, stats.dead_lettered) == (2, 0)
    assert recorder.events == pushes


class RefusesFirstWrites(DeadLetterPublisher):
    """A dead-letter producer whose first writes fail, as during a broker outage."""

    def __init__(self, failures: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures = failures
        self.calls = 0

    async def publish(
        self, record: ConsumerRecord[Any, Any], error: BaseException, *, attempts: int
    ) -> DeadLetter:
        self.calls += 1
        if self.calls <= self.failures:
            raise DeadLetterError(
                dead_letter_topic(record.topic),
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
            )
        return await super().publish(record, error, attempts=attempts)


async def test_a_message_whose_dead_letter_write_fails_is_read_again_not_skipped(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    topic = f"{prefix}github.push"
    poison = b"\x02not avro"
    after = push()
    await send(producer, topic, poison)
    await send(producer, topic, await codec.encode(after))
    settings = make_settings()
    dead_letters = RefusesFirstWrites(2, settings.kafka, group_id=settings.consumer_group_id)
    recorder = Recorder()

    stats = await asyncio.wait_for(
        build_consumer(
            settings,
            handlers=recorder.handlers(),
            max_messages=2,
            from_beginning=True,
            dead_letters=dead_letters,
        ).run(handle_signals=False),
        RUN_TIMEOUT,
    )

    assert dead_letters.calls == 3
    assert (stats.processed, stats.dead_lettered) == (1, 1)
    assert recorder.events == [after]
    (letter,) = await read_topic(settings.kafka.bootstrap_servers, f"{topic}.dlq", count=1)
    assert letter.value == poison
