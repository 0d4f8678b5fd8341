"""Fixtures giving the machinery's tests a registry and a codec.

``in_memory`` is devstack's registry core in this process (no network); ``http_registry`` is
the session's registry over real HTTP (the devstack plugin's ``schema_registry_url``).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.testing import InMemorySchemaRegistry

from .codec_models import CATALOG


class CountingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport and counts the requests that go through it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def in_memory() -> AsyncIterator[InMemorySchemaRegistry]:
    """A fresh in-process registry with a codec over the test catalog."""
    async with InMemorySchemaRegistry(catalog=CATALOG) as registry:
        yield registry


@pytest.fixture
async def http_registry(
    schema_registry_url: str, devstack_reset: object
) -> AsyncIterator[SchemaRegistryClient]:
    """A client of the session's registry over HTTP, emptied before the test."""
    async with SchemaRegistryClient(schema_registry_url) as client:
        yield client


@pytest.fixture
def http_codec(http_registry: SchemaRegistryClient) -> AvroCodec:
    """A codec over the HTTP registry and the test catalog."""
    return AvroCodec(http_registry, catalog=CATALOG)


@pytest.fixture
def unused_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
