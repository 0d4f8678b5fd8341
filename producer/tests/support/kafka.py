"""Reading back what the gateway wrote, straight from Kafka."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord


async def read_topics(
    bootstrap_servers: str, topics: Iterable[str], *, at_least: int, wait_up_to: float = 30.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read the records of ``topics`` from the start until ``at_least`` arrived, then one
    more poll so that anything beyond the expected count shows up too."""
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
                records.extend(batch)
        for batch in (await consumer.getmany(timeout_ms=500)).values():
            records.extend(batch)
        return records
    finally:
        await consumer.stop()


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers:
        if key.lower() == name.lower():
            return value.decode("utf-8")
    return None
