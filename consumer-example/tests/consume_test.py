"""Typed events in, one typed handler call per event out (embedded Tansu + registry)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from octobus_consumer_example import ConsumerSettings, EventHandlers, create_app, run_consumer
from octobus_schemas.avro import AvroCodec
from octobus_schemas.events import ReleaseEvent
from octobus_schemas.topics import topic_for_github_event

from .support.events import ALL_KEYS, event
from .support.kafka import send
from .support.recording import Recorder

RUN_TIMEOUT = 60.0


async def test_each_event_class_reaches_its_handler_decoded_and_equal_to_what_was_sent(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    sent = [event(key) for key in ALL_KEYS]
    for published in sent:
        topic = topic_for_github_event(published.event, prefix=prefix).name
        await send(producer, topic, await codec.encode(published))
    recorder = Recorder()

    stats = await asyncio.wait_for(
        run_consumer(
            make_settings(),
            handlers=recorder.handlers(),
            max_messages=len(sent),
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (len(sent), 0)
    received = {str(item.delivery_id): item for item in recorder.events}
    assert received == {str(item.delivery_id): item for item in sent}
    assert {type(item) for item in recorder.events} == {type(item) for item in sent}


async def test_create_app_gives_a_faststream_app_that_opens_and_closes_its_own_clients(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    sent = event("release")
    await send(producer, f"{prefix}github.release", await codec.encode(sent))
    received: list[ReleaseEvent] = []
    arrived = asyncio.Event()

    async def on_release(event: ReleaseEvent) -> None:
        received.append(event)
        arrived.set()

    app = create_app(
        make_settings(), handlers=EventHandlers(release=on_release), from_beginning=True
    )

    await app.start()  # what `faststream run ... --factory` does, minus the signal handling
    try:
        await asyncio.wait_for(arrived.wait(), RUN_TIMEOUT)
    finally:
        await app.stop()

    assert received == [sent]
