"""Producer and consumer on different model versions: both directions, through the registry.

The previous release of ``PushEvent`` lacked the optional ``compare`` field. Each message
carries its writer's schema id; the consumer fetches that schema from the registry and
resolves it into its own model, so an old message read by the current consumer gets the
default, and a new message read by a consumer still on the previous release drops the field
it does not know. Nothing is decoded with the reader's schema alone.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from aiokafka import AIOKafkaProducer
from octobus_consumer_example import ConsumerSettings, EventHandlers, run_consumer
from octobus_schemas.avro import (
    AvroCodec,
    CompatibilityLevel,
    SchemaRegistryClient,
    parse_frame,
)
from octobus_schemas.events import GitHubEvent, PushEvent

from .support import previous_release
from .support.events import push
from .support.kafka import send
from .support.recording import Recorder

RUN_TIMEOUT = 60.0


@pytest.fixture
async def writer(schema_registry_url: str) -> AsyncIterator[AvroCodec]:
    """A producer's codec on a subject of this test's own, held to FULL_TRANSITIVE."""
    suffix = f"-skew-{uuid.uuid4().hex[:8]}"
    async with SchemaRegistryClient(schema_registry_url) as registry:
        codec = AvroCodec(registry, subject_suffix=suffix)
        await registry.set_compatibility(
            CompatibilityLevel.FULL_TRANSITIVE, codec.subject_for(PushEvent)
        )
        yield codec


async def _write_old_then_new(
    writer: AvroCodec, producer: AIOKafkaProducer, topic: str
) -> tuple[previous_release.PushEvent, PushEvent]:
    """Publish one push from the previous release, then one from the current one."""
    current = push()
    assert current.compare is not None
    old = previous_release.PushEvent.model_validate(
        push().model_dump(exclude={previous_release.DROPPED_FIELD})
    )
    old_bytes, new_bytes = await writer.encode(old), await writer.encode(current)
    old_id, _ = parse_frame(old_bytes)
    new_id, _ = parse_frame(new_bytes)
    assert old_id != new_id, "the two releases must be two registered schema versions"
    await send(producer, topic, old_bytes)
    await send(producer, topic, new_bytes)
    return old, current


async def test_the_current_consumer_reads_messages_from_the_previous_and_current_release(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    writer: AvroCodec,
    prefix: str,
) -> None:
    old, current = await _write_old_then_new(writer, producer, f"{prefix}github.push")
    recorder = Recorder()

    stats = await asyncio.wait_for(
        run_consumer(
            make_settings(),
            handlers=recorder.handlers(),
            max_messages=2,
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (2, 0)
    from_old, from_current = recorder.events
    assert type(from_old) is PushEvent
    assert from_old == PushEvent.model_validate({**old.model_dump(), "compare": None})
    assert from_current == current


async def test_a_consumer_on_the_previous_release_reads_messages_from_the_current_release(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    writer: AvroCodec,
    prefix: str,
) -> None:
    old, current = await _write_old_then_new(writer, producer, f"{prefix}github.push")
    received: list[GitHubEvent] = []

    # Typed for any event, so it fits the current release's push slot; what arrives is
    # whatever the previous release's catalog decodes, checked below.
    async def on_push(event: GitHubEvent) -> None:
        received.append(event)

    stats = await asyncio.wait_for(
        run_consumer(
            make_settings(),
            handlers=EventHandlers(push=on_push),
            max_messages=2,
            from_beginning=True,
            catalog=previous_release.CATALOG_OF_PREVIOUS_RELEASE,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )

    assert (stats.processed, stats.dead_lettered) == (2, 0)
    from_old, from_current = received
    assert type(from_current) is previous_release.PushEvent
    assert from_old == old
    assert from_current.model_dump() == current.model_dump(exclude={previous_release.DROPPED_FIELD})
