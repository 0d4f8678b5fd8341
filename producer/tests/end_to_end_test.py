"""End to end: real deliveries posted to the gateway come out of the consumer example as
typed events, one summary line each.

Both sides run as their users run them: the gateway serves HTTP on the devstack, the
deliveries are posted signed through the public `HttpxGatewayClient`, and the consumer is
the ``octobus-consumer-example`` console script in a process of its own, configured only
by environment variables. Neither package's code imports the other's; the expected
summary lines are spelled out here from the payloads.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaConsumer
from octobus.main import create_app
from octobus_schemas.api import DeliveryAccepted, PingAnswer
from octobus_schemas.api.client import HttpxGatewayClient
from octobus_schemas.topics import TYPED_TOPICS

from .conftest import SECRET, make_settings
from .support.deliveries import RecordedDelivery, recorded_deliveries
from .support.processes import running
from .support.server import serve

CONSUMER = str(Path(sys.executable).parent / "octobus-consumer-example")
CONSUMER_TIMEOUT_SECONDS = 120.0
MODELLED_EVENTS = frozenset(spec.github_event for spec in TYPED_TOPICS)

# The summary line of one delivery of each modelled family (and of a few variants within
# a family), as a reader of the consumer's output sees it, from the payload's own values.
EXPECTED_LINES = {
    "push[0]": "Codertocat/Hello-World: Codertocat created tag simple-tag",
    "push[1]": "Codertocat/Hello-World: Codertocat deleted tag simple-tag",
    "push[4]": "Codertocat/Hello-World: Codertocat pushed 1 commit to master",
    "pull_request[0]": (
        "Codertocat/Hello-World: Codertocat opened pull request #2 "
        '"Update the README with new information."'
    ),
    "issues[0]": (
        'Codertocat/Hello-World: Codertocat edited issue #1 "Spelling error in the README file"'
    ),
    "issues[9]": (
        "Codertocat/Hello-World: Codertocat labeled issue #1 "
        '"Spelling error in the README file" "bug"'
    ),
    "issue_comment[0]": (
        "Codertocat/Hello-World: Codertocat commented on issue #1 "
        '"Spelling error in the README file"'
    ),
    "release[0]": "Codertocat/Hello-World: Codertocat published release 0.0.1",
    "release[8]": "Codertocat/Hello-World: Codertocat prereleased pre-release 0.0.1",
    "workflow_run[0]": (
        'Codertocat/Hello-World: workflow "Manually triggered workflow" run #36 on main completed'
    ),
}


def raw_line(payload: dict[str, Any], event: str) -> str:
    """The summary of an unmodelled event: repository, event name, action, sender."""
    repository = (payload.get("repository") or {}).get("full_name", "(no repository)")
    action = f" {payload['action']}" if payload.get("action") else ""
    sender = (payload.get("sender") or {}).get("login", "someone")
    return f"{repository}: {event}{action} by {sender}"


def repository_of(payload: dict[str, Any]) -> str:
    return str((payload.get("repository") or {}).get("full_name", "(no repository)"))


async def topic_names(bootstrap_servers: str) -> set[str]:
    """Every topic the broker has (a metadata request; it creates nothing)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers)
    await consumer.start()
    try:
        return set(await consumer.topics())
    finally:
        await consumer.stop()


async def test_every_real_delivery_comes_out_of_the_consumer_as_one_summary_line(
    kafka_bootstrap_servers: str, schema_registry_url: str
) -> None:
    # A gateway of this test's own: its topic prefix is where the consumer reads.
    settings = make_settings(kafka_bootstrap_servers, schema_registry_url)
    prefix = settings.topic_prefix
    deliveries = recorded_deliveries()
    limit = asyncio.Semaphore(8)

    async with serve(create_app(settings)) as url, HttpxGatewayClient(url) as gateway:

        async def post(delivery: RecordedDelivery) -> DeliveryAccepted | PingAnswer:
            async with limit:
                return await gateway.replay(
                    delivery.event, delivery.payload, SECRET, delivery_id=uuid4()
                )

        answers = await asyncio.gather(*(post(delivery) for delivery in deliveries))

    accepted = [
        delivery
        for delivery, answer in zip(deliveries, answers, strict=True)
        if isinstance(answer, DeliveryAccepted)
    ]
    pings = [answer for answer in answers if isinstance(answer, PingAnswer)]
    assert (len(accepted), len(pings)) == (325, 4)
    assert {delivery.event for delivery in accepted} >= MODELLED_EVENTS
    unmodelled = [delivery for delivery in accepted if delivery.event not in MODELLED_EVENTS]
    assert len({delivery.event for delivery in unmodelled}) >= 2

    environment = {
        "PATH": os.environ.get("PATH", ""),
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "KAFKA_ENABLE_IDEMPOTENCE": "false",  # the embedded broker cannot do it
        "SCHEMA_REGISTRY_URL": schema_registry_url,
        "OCTOBUS_TOPIC_PREFIX": prefix,
        "OCTOBUS_CONSUMER_GROUP_ID": f"end-to-end-{uuid4().hex[:8]}",
        "OCTOBUS_CONSUMER_SESSION_TIMEOUT_MS": "1000",
    }
    command = (CONSUMER, "--from-beginning", "--max-messages", str(len(accepted)))
    async with running(*command, "--log-level", "INFO", env=environment) as consumer:
        stdout, stderr = await asyncio.wait_for(consumer.communicate(), CONSUMER_TIMEOUT_SECONDS)
    log = stderr.decode()

    assert consumer.returncode == 0, log
    assert f"stopped: {len(accepted)} processed, 0 dead-lettered" in log, log
    lines = Counter(stdout.decode().splitlines())
    # One line per accepted delivery, none for the pings ...
    assert lines.total() == len(accepted)
    # ... each the summary of its own delivery: spelled out for one of each modelled
    # family, computed from the payload for every unmodelled one (the raw topic) ...
    by_name = {delivery.name: delivery for delivery in accepted}
    expected = Counter(EXPECTED_LINES.values())
    expected.update(raw_line(delivery.payload, delivery.event) for delivery in unmodelled)
    assert expected.total() == len(EXPECTED_LINES) + len(unmodelled)
    assert set(EXPECTED_LINES) <= set(by_name)
    missing = expected - lines
    assert not missing, f"summary lines not printed: {sorted(missing.elements())}"
    # ... and every line names the repository of a delivery, as often as they were posted.
    assert Counter(line.split(": ", 1)[0] for line in lines.elements()) == Counter(
        repository_of(delivery.payload) for delivery in accepted
    )

    # A dead-lettered message would have created its `<topic>.dlq` on the broker.
    topics = await topic_names(kafka_bootstrap_servers)
    assert f"{prefix}github.push" in topics  # the listing does see this test's topics
    dead_letter_topics = {
        topic for topic in topics if topic.startswith(prefix) and topic.endswith(".dlq")
    }
    assert not dead_letter_topics, f"the consumer dead-lettered into {dead_letter_topics}"
