"""Keys are plain UTF-8 strings, never Avro: a key keeps its partition across schema versions.

Case 16: an Avro-framed key carries its schema id, so a doc-only change to the key schema
moved the same key to another partition. The codec has no key encoding at all; producers key
by the repository's full name as UTF-8 bytes.
"""

from __future__ import annotations

import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.partitioner import DefaultPartitioner
from octobus_schemas.avro import frame, parse_frame
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import OrderV1, OrderV2
from .support.registries import in_memory

__all__ = ["in_memory"]

PARTITIONS = list(range(12))


def partition_of(key: bytes) -> int:
    """The partition the Java-compatible default partitioner (murmur2) picks for a key."""
    partition: int = DefaultPartitioner()(key, PARTITIONS, PARTITIONS)
    return partition


def test_avro_framed_keys_move_between_partitions_when_the_schema_id_changes() -> None:
    # The failure this design avoids: the same logical key, framed with two schema ids.
    keys = [f"octo/repo-{n}".encode() for n in range(20)]
    moved = [key for key in keys if partition_of(frame(1, key)) != partition_of(frame(2, key))]
    assert moved, "framing keys with the schema id moves them between partitions"


async def test_the_same_key_lands_in_the_same_partition_across_schema_versions(
    in_memory: InMemorySchemaRegistry, kafka_bootstrap_servers: str
) -> None:
    topic = f"orders-{uuid.uuid4().hex[:8]}"
    key = b"octo/hello-world"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=12, replication_factor=1)])
    finally:
        await admin.close()
    v1 = await in_memory.frame(OrderV1(id=1, note="v1"))
    v2 = await in_memory.frame(OrderV2(id=2, note="v2", channel="app"))
    assert parse_frame(v1)[0] != parse_frame(v2)[0]

    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        first = await producer.send_and_wait(topic, v1, key=key)
        second = await producer.send_and_wait(topic, v2, key=key)
    finally:
        await producer.stop()
    assert first.partition == second.partition == partition_of(key)

    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        partition = TopicPartition(topic, first.partition)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        batch = await consumer.getmany(partition, timeout_ms=5000, max_records=2)
    finally:
        await consumer.stop()
    records = batch[partition]
    assert [record.key for record in records] == [key, key]
    assert [await in_memory.decode(record.value) for record in records] == [
        OrderV2(id=1, note="v1"),
        OrderV2(id=2, note="v2", channel="app"),
    ]
