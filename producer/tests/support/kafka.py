"""Reading back what the gateway wrote, straight from Kafka."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


async def read_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    *,
    at_least: int,
    wait_up_to: float = 30.0,
    delivery_ids: set[str] | None = None,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read the records of ``topics`` from the start until ``at_least`` arrived, then one
    more poll so that anything beyond the expected count shows up too.

    With ``delivery_ids``, only records carrying one of them are kept and counted.
    """
    # No group: every partition of every topic is assigned to this consumer.
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + wait_up_to
        while len(records) < at_least and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(_wanted(batch, delivery_ids))
        for batch in (await consumer.getmany(timeout_ms=500)).values():
            records.extend(_wanted(batch, delivery_ids))
        return records
    finally:
        await consumer.stop()


def _wanted(
    batch: list[ConsumerRecord[bytes, bytes]], delivery_ids: set[str] | None
) -> list[ConsumerRecord[bytes, bytes]]:
    if delivery_ids is None:
        return batch
    return [record for record in batch if header(record, "X-GitHub-Delivery") in delivery_ids]


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers:
        if key.lower() == name.lower():
            decoded: str = value.decode("utf-8")
            return decoded
    return None


async def records_written(bootstrap_servers: str, topic_prefix: str) -> int:
    """How many records the topics named ``topic_prefix...`` hold: the sum of their end
    offsets. Unchanged across a request, it proves that the request published nothing, at
    once and without waiting for a consumer to catch up."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        topics = sorted(t for t in await consumer.topics() if t.startswith(topic_prefix))
        assert topics, f"no topic starts with {topic_prefix!r}"
        partitions = [
            TopicPartition(topic, partition)
            for topic in topics
            for partition in consumer.partitions_for_topic(topic) or ()
        ]
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()
