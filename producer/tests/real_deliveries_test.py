"""Every real delivery in tests/data is accepted, published once, and decodes back intact."""

from __future__ import annotations

import asyncio
import json
from typing import Literal
from uuid import UUID, uuid4

from octobus.config import Settings
from octobus_schemas.api import DeliveryAccepted, PingAnswer
from octobus_schemas.api.client import GatewayError, HttpxGatewayClient
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.events import GitHubEvent, RawGitHubEvent
from octobus_schemas.topics import topic_for_github_event

from .conftest import ROTATED_SECRET, SECRET
from .support.compare import assert_matches
from .support.deliveries import RecordedDelivery, recorded_deliveries
from .support.kafka import header, read_topics

ENVELOPE = frozenset(GitHubEvent.model_fields) - {"repository", "sender"}


def expected_key(payload: dict[str, object]) -> bytes | None:
    for field, name in (
        ("repository", "full_name"),
        ("organization", "login"),
        ("sender", "login"),
    ):
        value = payload.get(field)
        if isinstance(value, dict):
            return str(value[name]).encode()
    return None


async def post(
    gateway: HttpxGatewayClient, delivery: RecordedDelivery, delivery_id: UUID
) -> DeliveryAccepted | PingAnswer:
    # Alternate secrets and content types: both are what GitHub sends.
    secret = SECRET if delivery.index % 2 == 0 else ROTATED_SECRET
    content_type: Literal["json", "form"] = "json" if delivery.index % 3 else "form"
    try:
        return await gateway.replay(
            delivery.event,
            delivery.payload,
            secret,
            delivery_id=delivery_id,
            content_type=content_type,
        )
    except GatewayError as error:
        raise AssertionError(f"{delivery.name} was refused: {error}") from error


async def test_every_real_delivery_is_published_and_decodes_to_its_payload(
    gateway_url: str,
    gateway_settings: Settings,
    kafka_bootstrap_servers: str,
    schema_registry_url: str,
) -> None:
    deliveries = recorded_deliveries()
    assert len(deliveries) == 329
    ids = {delivery.name: uuid4() for delivery in deliveries}
    limit = asyncio.Semaphore(16)

    async with HttpxGatewayClient(gateway_url, timeout=30) as gateway:

        async def send(delivery: RecordedDelivery) -> DeliveryAccepted | PingAnswer:
            async with limit:
                return await post(gateway, delivery, ids[delivery.name])

        answers = await asyncio.gather(*(send(delivery) for delivery in deliveries))

    published = {
        delivery.name: answer
        for delivery, answer in zip(deliveries, answers, strict=True)
        if isinstance(answer, DeliveryAccepted)
    }
    pings = [answer for answer in answers if isinstance(answer, PingAnswer)]
    assert len(pings) == 4
    assert len(published) == 325
    prefix = gateway_settings.topic_prefix
    for delivery in deliveries:
        if delivery.event != "ping":
            answer = published[delivery.name]
            assert answer.topic == topic_for_github_event(delivery.event, prefix).name
            assert (answer.delivery_id, answer.event) == (ids[delivery.name], delivery.event)

    topics = {answer.topic for answer in published.values()}
    # Other tests share these topics: only this test's delivery ids are counted.
    sent = {str(ids[name]) for name in published}
    records = await read_topics(
        kafka_bootstrap_servers, topics, at_least=len(published), delivery_ids=sent
    )
    by_id = {}
    for record in records:
        delivery_id = header(record, "X-GitHub-Delivery")
        if delivery_id not in sent:
            continue
        assert delivery_id not in by_id, f"delivery {delivery_id} published twice"
        by_id[delivery_id] = record
    assert len(by_id) == len(published)

    compared = 0
    async with SchemaRegistryClient(schema_registry_url) as registry:
        codec = AvroCodec(registry)
        for delivery in deliveries:
            if delivery.event == "ping":
                continue
            answer = published[delivery.name]
            record = by_id[str(ids[delivery.name])]
            assert (record.topic, record.partition, record.offset) == (
                answer.topic,
                answer.partition,
                answer.offset,
            )
            assert header(record, "X-GitHub-Event") == delivery.event
            assert record.key == expected_key(delivery.payload), delivery.name
            event = await codec.decode(record.value)
            spec = topic_for_github_event(delivery.event, prefix)
            assert type(event) is spec.model, delivery.name
            assert isinstance(event, GitHubEvent)
            assert event.delivery_id == ids[delivery.name]
            assert event.event == delivery.event
            assert event.action == delivery.payload.get("action")
            installation = delivery.payload.get("installation")
            assert event.installation_id == (installation or {}).get("id")
            assert event.received_at.tzinfo is not None
            if isinstance(event, RawGitHubEvent):
                assert json.loads(event.payload_json) == delivery.payload
                for name in ("repository", "sender"):
                    if name in delivery.payload:
                        compared += assert_matches(
                            getattr(event, name), delivery.payload[name], f"{delivery.name}.{name}"
                        )
                continue
            # Every other field, nested records included, has the payload's value.
            compared += assert_matches(event, delivery.payload, delivery.name, skip=ENVELOPE)
    # Thousands of leaf values compared, not a handful.
    print(f"{compared} modelled values compared")
    assert compared > 5000, compared


async def test_a_multi_megabyte_delivery_is_published_whole(
    gateway: HttpxGatewayClient, kafka_bootstrap_servers: str, schema_registry_url: str
) -> None:
    # GitHub caps deliveries at 25 MB; a large one must not hit the producer's 1 MB default.
    payload = dict(next(d for d in recorded_deliveries() if d.event == "gollum").payload)
    payload["padding"] = "x" * (3 * 1024 * 1024)
    delivery_id = uuid4()

    answer = await gateway.deliver("gollum", payload, SECRET, delivery_id=delivery_id)

    [record] = await read_topics(
        kafka_bootstrap_servers, [answer.topic], at_least=1, delivery_ids={str(delivery_id)}
    )
    async with SchemaRegistryClient(schema_registry_url) as registry:
        event = await AvroCodec(registry).decode(record.value)
    assert isinstance(event, RawGitHubEvent)
    assert json.loads(event.payload_json) == payload
