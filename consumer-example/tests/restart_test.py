"""Stopped and restarted in the same group, the consumer processes every message exactly once.

No message is lost between two runs and none is read again once committed: the second run
starts exactly where the first one's last commit left off.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from aiokafka import AIOKafkaProducer, TopicPartition
from octobus_consumer_example import ConsumerSettings, EventHandlers, build_consumer, run_consumer
from octobus_schemas.avro import AvroCodec
from octobus_schemas.events import GitHubEvent, PushEvent
from octobus_schemas.topics import topic_for_github_event

from .support.events import event
from .support.kafka import committed_offsets, send
from .support.recording import Recorder

RUN_TIMEOUT = 60.0
KINDS = ("push", "issues", "star")


async def _publish_many(
    producer: AIOKafkaProducer, codec: AvroCodec, prefix: str, count: int
) -> tuple[list[GitHubEvent], dict[TopicPartition, int]]:
    """Publish ``count`` events over three topics and many keys; return them and the end offsets."""
    sent: list[GitHubEvent] = []
    ends: dict[TopicPartition, int] = {}
    for index in range(count):
        published = event(KINDS[index % len(KINDS)])
        topic = topic_for_github_event(published.event, prefix=prefix).name
        key = f"octo-org/repo-{index % 7}".encode()
        partition, offset = await send(producer, topic, await codec.encode(published), key=key)
        sent.append(published)
        tp = TopicPartition(topic, partition)
        ends[tp] = max(ends.get(tp, 0), offset + 1)
    return sent, ends


async def test_two_runs_limited_by_max_messages_share_the_work_exactly_once(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    sent, ends = await _publish_many(producer, codec, prefix, 30)
    settings = make_settings()
    first, second = Recorder(), Recorder()

    for recorder, limit in ((first, 12), (second, 18)):
        stats = await asyncio.wait_for(
            run_consumer(
                settings,
                handlers=recorder.handlers(),
                max_messages=limit,
                from_beginning=True,
                handle_signals=False,
            ),
            RUN_TIMEOUT,
        )
        assert stats.processed == limit

    assert len(first.events) == 12
    assert len(second.events) == 18
    assert not set(first.delivery_ids) & set(second.delivery_ids)
    assert sorted(first.delivery_ids + second.delivery_ids) == sorted(
        str(item.delivery_id) for item in sent
    )
    committed = await committed_offsets(
        settings.kafka.bootstrap_servers, settings.consumer_group_id, list(ends)
    )
    assert committed == ends


async def test_a_consumer_stopped_mid_stream_finishes_its_message_and_the_next_run_resumes(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    pushes = [event("push") for _ in range(12)]
    topic = f"{prefix}github.push"
    for published in pushes:
        await send(producer, topic, await codec.encode(published))
    settings = make_settings()
    first_run: list[str] = []
    enough = asyncio.Event()

    async def slow_push(event: PushEvent) -> None:
        # Slow enough that the stop request arrives while a message is in hand.
        await asyncio.sleep(0.1)
        first_run.append(str(event.delivery_id))
        if len(first_run) == 5:
            enough.set()

    consumer = build_consumer(settings, handlers=EventHandlers(push=slow_push), from_beginning=True)
    running = asyncio.create_task(consumer.run(handle_signals=False))
    await asyncio.wait_for(enough.wait(), RUN_TIMEOUT)
    consumer.stop()  # what SIGTERM and Ctrl-C do
    first_stats = await asyncio.wait_for(running, RUN_TIMEOUT)

    assert first_stats.processed == len(first_run)
    second = Recorder()
    await asyncio.wait_for(
        run_consumer(
            settings,
            handlers=second.handlers(),
            max_messages=len(pushes) - len(first_run),
            from_beginning=True,
            handle_signals=False,
        ),
        RUN_TIMEOUT,
    )
    counts = Counter(first_run + second.delivery_ids)
    assert counts == Counter(str(item.delivery_id) for item in pushes)
