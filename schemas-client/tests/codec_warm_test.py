"""After warm-up the codec never calls the registry, in either direction."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from octobus_devstack.registry import RegistryApp, create_app
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient

from .support.codec_models import CATALOG, OrderV1, OrderV2, Paid, shipment
from .support.registries import CountingTransport


@pytest.fixture
def registry_app() -> Iterator[RegistryApp]:
    """devstack's registry in this process, its database closed after the test.

    The ASGI transport never runs the app's lifespan, whose shutdown would close it.
    """
    app = create_app(":memory:")
    yield app
    app.registry.close()


async def test_zero_registry_calls_per_message_after_warm_up(registry_app: RegistryApp) -> None:
    transport = CountingTransport(httpx.ASGITransport(app=registry_app))
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
        codec = AvroCodec(
            SchemaRegistryClient("http://registry", http_client=http), catalog=CATALOG
        )
        events = [shipment(), OrderV1(id=1, note="a"), OrderV2(id=2, note="b")]
        warm = [await codec.encode(event) for event in events]
        for data in warm:
            await codec.decode(data)
        await codec.decode_as(warm[1], OrderV1)
        calls_during_warm_up = len(transport.requests)
        assert calls_during_warm_up > 0

        for _ in range(50):
            for event in events:
                await codec.decode(await codec.encode(event))
            await codec.decode_as(warm[1], OrderV1)
        assert transport.requests[calls_during_warm_up:] == []


async def test_register_all_warms_the_encoder_up_front(registry_app: RegistryApp) -> None:
    transport = CountingTransport(httpx.ASGITransport(app=registry_app))
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
        codec = AvroCodec(
            SchemaRegistryClient("http://registry", http_client=http), catalog=CATALOG
        )
        registered = await codec.register_all([Paid, OrderV2])
        assert [(r.subject, r.version) for r in registered] == [
            ("shop.events.Paid", 1),
            ("shop.events.Order", 1),
        ]
        before = len(transport.requests)
        await codec.encode(OrderV2(id=1, note="x"))
        assert codec.encode_cached(OrderV2(id=1, note="x")) is not None
        assert len(transport.requests) == before


async def test_a_schema_id_is_fetched_once_by_every_codec_sharing_a_client(
    registry_app: RegistryApp,
) -> None:
    app = registry_app
    producer_http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r")
    transport = CountingTransport(httpx.ASGITransport(app=app))
    async with producer_http, httpx.AsyncClient(transport=transport, base_url="http://r") as http:
        producer = AvroCodec(SchemaRegistryClient("http://r", http_client=producer_http))
        data = await producer.encode(OrderV1(id=1, note="a"))
        consumer_client = SchemaRegistryClient("http://r", http_client=http)
        for _ in range(3):
            await AvroCodec(consumer_client, catalog=CATALOG).decode(data)
        assert transport.requests == ["GET /schemas/ids/1"]
