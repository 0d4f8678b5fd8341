"""octobus_schemas.testing: frame and decode real event models with no network."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from octobus_devstack.registry import RegistryError
from octobus_schemas import testing
from octobus_schemas.avro import CompatibilityLevel, parse_frame
from octobus_schemas.catalog import CATALOG
from octobus_schemas.errors import IncompatibleSchemaError, SchemaNotFoundError
from octobus_schemas.events import GitHubEvent, PushEvent

from .support.codec_models import OrderV1


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the testing helpers opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def push_event(
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Callable[[str, dict[str, Any]], GitHubEvent],
) -> GitHubEvent:
    """A PushEvent built from a real GitHub delivery."""
    return from_delivery("push", webhook_examples["push"][0])


async def test_frame_then_decode_returns_the_event_with_no_network(
    push_event: GitHubEvent, no_network: None
) -> None:
    testing.reset_default_registry()
    data = await testing.frame(push_event)
    assert parse_frame(data)[0] >= 1
    decoded = await testing.decode(data)
    assert type(decoded) is PushEvent
    assert decoded == push_event


async def test_every_shipped_event_is_in_the_default_catalog(push_event: GitHubEvent) -> None:
    assert CATALOG[type(push_event).get_fullname()] is PushEvent


async def test_the_in_memory_registry_enforces_compatibility_like_the_real_one() -> None:
    breaking = {
        "type": "record",
        "name": "Order",
        "namespace": "shop.events",
        "fields": [{"name": "id", "type": "long"}, {"name": "due", "type": "long"}],
    }
    async with testing.InMemorySchemaRegistry(catalog={}) as registry:
        await registry.client.register(
            OrderV1, "shop.events.Order", compatibility=CompatibilityLevel.FULL_TRANSITIVE
        )
        with pytest.raises(IncompatibleSchemaError):
            await registry.client.register(breaking, "shop.events.Order")


async def test_each_in_memory_registry_starts_empty() -> None:
    async with testing.InMemorySchemaRegistry(catalog={}) as first:
        await first.frame(OrderV1(id=1, note="a"))
    async with testing.InMemorySchemaRegistry(catalog={}) as second:
        with pytest.raises(SchemaNotFoundError, match="schema id 1 not found"):
            await second.client.get_schema(1)


async def test_leaving_an_in_memory_registry_closes_its_database() -> None:
    # Its HTTP transport never runs the app's lifespan, whose shutdown would close it;
    # an unclosed SQLite connection is a ResourceWarning (an error in tests) on Python 3.13.
    async with testing.InMemorySchemaRegistry(catalog={}) as registry:
        await registry.frame(OrderV1(id=1, note="a"))
    with pytest.raises(RegistryError, match="Cannot operate on a closed database"):
        registry.app.registry.reset()


async def test_resetting_the_shared_registry_closes_its_database(push_event: GitHubEvent) -> None:
    await testing.frame(push_event)
    shared = testing._default
    assert shared is not None
    testing.reset_default_registry()
    with pytest.raises(RegistryError, match="Cannot operate on a closed database"):
        shared.app.registry.reset()
    assert testing._default is None
