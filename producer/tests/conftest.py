"""Fixtures: a gateway served over HTTP on the session's devstack (Kafka + registry)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from octobus.config import Settings
from octobus.main import create_app
from octobus_schemas.api.client import HttpxGatewayClient
from octobus_schemas.avro import SchemaRegistrySettings
from octobus_schemas.kafka import KafkaConnectionSettings

from .support.server import serve

SECRET = "It's a Secret to Everybody"
ROTATED_SECRET = "the-old-secret"


def make_settings(bootstrap_servers: str, registry_url: str, **overrides: Any) -> Settings:
    """Gateway settings on the given servers, in a topic and subject namespace of their own."""
    run = uuid.uuid4().hex[:8]
    values: dict[str, Any] = {
        "kafka": KafkaConnectionSettings(
            bootstrap_servers=bootstrap_servers, enable_idempotence=False
        ),
        "schema_registry": SchemaRegistrySettings.model_validate({"url": registry_url}),
        "webhook_secrets": f"{SECRET},{ROTATED_SECRET}",
        "topic_prefix": f"test-{run}.",
        "subject_suffix": f"-test-{run}",
        "publish_timeout": 3.0,
        "startup_timeout": 10.0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="package")
def gateway_settings(kafka_bootstrap_servers: str, schema_registry_url: str) -> Settings:
    return make_settings(kafka_bootstrap_servers, schema_registry_url)


@pytest.fixture(scope="package")
async def gateway_url(gateway_settings: Settings) -> AsyncIterator[str]:
    async with serve(create_app(gateway_settings)) as url:
        yield url


@pytest.fixture
async def gateway(gateway_url: str) -> AsyncIterator[HttpxGatewayClient]:
    async with HttpxGatewayClient(gateway_url) as client:
        yield client
