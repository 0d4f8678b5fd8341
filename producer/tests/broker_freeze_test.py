"""A broker that stops answering: deliveries get 503 in bounded time, and no 202 is lost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from uuid import uuid4

from octobus.handlers.errors import RETRY_AFTER_SECONDS
from octobus.main import create_app
from octobus_devstack.broker import TansuBroker
from octobus_schemas.api import DeliveryAccepted
from octobus_schemas.api.client import GatewayUnavailable, HttpxGatewayClient

from .conftest import SECRET, make_settings
from .support.deliveries import recorded_deliveries
from .support.kafka import header, read_topics
from .support.server import serve

PUBLISH_TIMEOUT = 2.0
DELIVERIES = [delivery for delivery in recorded_deliveries() if delivery.event != "ping"]


async def test_frozen_broker_gives_503_in_bounded_time_and_loses_no_accepted_delivery(
    tansu_broker_factory: Callable[..., TansuBroker], schema_registry_url: str
) -> None:
    broker = tansu_broker_factory()
    settings = make_settings(
        broker.bootstrap_servers, schema_registry_url, publish_timeout=PUBLISH_TIMEOUT
    )
    accepted: dict[str, DeliveryAccepted] = {}
    unavailable: list[GatewayUnavailable] = []

    async with serve(create_app(settings)) as url, HttpxGatewayClient(url, timeout=30) as client:

        async def deliver(index: int) -> float:
            delivery = DELIVERIES[index % len(DELIVERIES)]
            delivery_id = str(uuid4())
            started = time.monotonic()
            try:
                answer = await client.deliver(
                    delivery.event, delivery.payload, SECRET, delivery_id=delivery_id
                )
            except GatewayUnavailable as error:
                unavailable.append(error)
            else:
                accepted[delivery_id] = answer
            return time.monotonic() - started

        await asyncio.gather(*(deliver(index) for index in range(40)))
        assert len(accepted) == 40

        broker.freeze()
        try:
            waits = await asyncio.gather(*(deliver(index) for index in range(40, 60)))
            readiness = await client.ready()
        finally:
            broker.thaw()
        assert len(unavailable) == 20, "every delivery during the freeze was refused"
        for error in unavailable:
            # An answer, not a dropped connection: 503, when to retry, and what is wrong.
            assert error.status == 503, error
            assert error.retry_after == RETRY_AFTER_SECONDS, error
            assert error.detail.startswith("Kafka did not acknowledge the event for topic "), error
            assert error.detail.endswith(f"within {PUBLISH_TIMEOUT:g} s"), error
        assert max(waits) < PUBLISH_TIMEOUT + 1.5, waits
        assert readiness.status == "unavailable"
        assert readiness.dependencies["kafka"].status == "unavailable"
        assert readiness.dependencies["schema_registry"].status == "ok"

        # After the thaw the gateway accepts again, without a restart.
        deadline = time.monotonic() + 30
        before = len(accepted)
        index = 60
        while len(accepted) < before + 20 and time.monotonic() < deadline:
            await deliver(index)
            index += 1
        assert len(accepted) == before + 20
        assert (await client.ready()).ok

    topics = {answer.topic for answer in accepted.values()}
    records = await read_topics(broker.bootstrap_servers, topics, at_least=len(accepted))
    stored = {header(record, "X-GitHub-Delivery"): record for record in records}
    for delivery_id, answer in accepted.items():
        record = stored.get(delivery_id)
        assert record is not None, f"delivery {delivery_id} answered 202 is not in Kafka"
        assert (record.topic, record.partition, record.offset) == (
            answer.topic,
            answer.partition,
            answer.offset,
        )
