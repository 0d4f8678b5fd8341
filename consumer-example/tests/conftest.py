"""Fixtures: the session's devstack (embedded Tansu and registry) and per-test isolation.

Every test gets its own topic prefix and consumer group, so tests sharing the session's
broker never see each other's messages or offsets.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from octobus_consumer_example import ConsumerSettings
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient, SchemaRegistrySettings
from octobus_schemas.kafka import KafkaConnectionSettings
from pydantic import AnyHttpUrl


@pytest.fixture
def prefix() -> str:
    """A topic prefix no other test uses."""
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def make_settings(
    kafka_bootstrap_servers: str, schema_registry_url: str, prefix: str
) -> Callable[..., ConsumerSettings]:
    """Build consumer settings for the devstack: this test's prefix, a fresh group, fast retries."""
    group = f"g-{prefix.rstrip('.')}"

    def build(**overrides: Any) -> ConsumerSettings:
        values: dict[str, Any] = {
            "kafka": KafkaConnectionSettings(
                bootstrap_servers=kafka_bootstrap_servers, enable_idempotence=False
            ),
            "schema_registry": SchemaRegistrySettings(url=AnyHttpUrl(schema_registry_url)),
            "consumer_group_id": group,
            "topic_prefix": prefix,
            "consumer_max_attempts": 3,
            "consumer_initial_backoff": 0.05,
            "consumer_max_backoff": 0.2,
            "consumer_session_timeout_ms": 1000,
        }
        values.update(overrides)
        return ConsumerSettings(**values)

    return build


@pytest.fixture
async def producer(kafka_bootstrap_servers: str) -> AsyncIterator[AIOKafkaProducer]:
    """A plain aiokafka producer (idempotence off: the embedded broker cannot do it)."""
    kafka_producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap_servers, acks="all", enable_idempotence=False
    )
    await kafka_producer.start()
    yield kafka_producer
    await kafka_producer.stop()


@pytest.fixture
async def codec(schema_registry_url: str) -> AsyncIterator[AvroCodec]:
    """The client package's codec on the session's registry, to frame events like the gateway."""
    async with SchemaRegistryClient(schema_registry_url) as registry:
        yield AvroCodec(registry)
