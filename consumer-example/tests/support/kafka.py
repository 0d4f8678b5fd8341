"""Writing test messages and reading dead-letter topics on the session's broker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition


async def read_topic(
    bootstrap_servers: str, topic: str, *, count: int, within: float = 20.0
) -> list[ConsumerRecord[Any, Any]]:
    """Read the first ``count`` records of a topic (all partitions, no group), or fail."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[Any, Any]] = []
    try:
        async with asyncio.timeout(within):
            while len(records) < count:
                batch = await consumer.getmany(timeout_ms=500)
                for partition_records in batch.values():
                    records.extend(partition_records)
    except TimeoutError:
        msg = f"read {len(records)} of {count} records from {topic!r} in {within}s"
        raise AssertionError(msg) from None
    finally:
        await consumer.stop()
    return records


async def committed_offsets(
    bootstrap_servers: str, group_id: str, partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int | None]:
    """The group's committed offset of each partition (None: nothing committed)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        return {tp: await consumer.committed(tp) for tp in partitions}
    finally:
        await consumer.stop()


async def send(
    producer: AIOKafkaProducer,
    topic: str,
    value: bytes | None,
    *,
    key: bytes | None = b"octo-org/hello-world",
    headers: list[tuple[str, bytes]] | None = None,
) -> tuple[int, int]:
    """Send one record and wait for the ack; return its (partition, offset)."""
    metadata = await producer.send_and_wait(topic, value=value, key=key, headers=headers or [])
    return metadata.partition, metadata.offset
