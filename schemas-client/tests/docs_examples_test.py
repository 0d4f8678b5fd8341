"""The Python examples of the client-side docs pages run, and print what the pages say.

Each page's ```python blocks run in order in one namespace (see
``docs/_ext/octobus_docs/examples.py``), against the session Schema Registry and a private
Kafka-protocol broker holding what the gateway would have written.
"""

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from octobus_devstack.broker import TansuBroker
from octobus_devstack.registry import RegistryServer
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient, avro_schema
from octobus_schemas.events import GitHubEvent, PushEvent

DOCS_EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext"
CONSUMER_GUIDE = "guides/consuming-events.md"
SCHEMAS_GUIDE = "guides/schemas-in-ci.md"


@pytest.fixture
def examples(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The docs' example runner (``docs/_ext/octobus_docs/examples.py``)."""
    monkeypatch.syspath_prepend(str(DOCS_EXT))
    return importlib.import_module("octobus_docs.examples")


async def _publish_as_gateway(
    bootstrap_servers: str, registry_url: str, event: GitHubEvent
) -> None:
    async with SchemaRegistryClient(registry_url) as registry:
        value = await AvroCodec(registry).encode(event)
    # Idempotence off: the embedded broker cannot do it with aiokafka (PLATFORM.md).
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        assert event.repository is not None
        await producer.send_and_wait(
            "github.push",
            value,
            key=event.repository.full_name.encode(),
            headers=[
                ("X-GitHub-Delivery", str(event.delivery_id).encode()),
                ("X-GitHub-Event", b"push"),
            ],
        )
    finally:
        await producer.stop()


def test_the_consumer_guide_decodes_a_push_event_written_like_the_gateway_does(
    examples: ModuleType,
    tansu_broker_factory: Callable[..., TansuBroker],
    schema_registry_url: str,
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Callable[[str, dict[str, Any]], GitHubEvent],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = tansu_broker_factory()  # an empty broker: the guide reads the first push event
    payload = next(example for example in webhook_examples["push"] if example["commits"])
    asyncio.run(
        _publish_as_gateway(
            broker.bootstrap_servers, schema_registry_url, from_delivery("push", payload)
        )
    )
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", schema_registry_url)

    examples.run_page(CONSUMER_GUIDE)
    # The script commits nothing, so a second run reads the same push instead of waiting.
    examples.run_page(CONSUMER_GUIDE)


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A registry of its own, empty, so schema ids start at 1 as on the page."""
    with RegistryServer() as server:
        monkeypatch.setenv("SCHEMA_REGISTRY_URL", server.url)
        yield server.url


def _run_cli(command: Any) -> str:
    # The installed console script's module, run as a user would run the command.
    result = subprocess.run(
        [sys.executable, "-m", "octobus_schemas.cli", *command.argv[1:]],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result.stdout


def test_the_schemas_guide_shows_what_register_and_check_print_on_a_fresh_registry(
    examples: ModuleType, fresh_registry: str
) -> None:
    commands = [
        c for c in examples.console_commands(SCHEMAS_GUIDE, "octobus-schemas") if c.block == 0
    ]
    assert [c.argv for c in commands] == [
        ["octobus-schemas", "register"],
        ["octobus-schemas", "check"],
    ]
    for command in commands:
        assert _run_cli(command) == command.expected_output, f"{SCHEMAS_GUIDE}, line {command.line}"


def test_the_schemas_guide_shows_what_check_prints_when_a_required_field_is_removed(
    examples: ModuleType, fresh_registry: str
) -> None:
    # The registry holds the released PushEvent, which had distinct_size: int and no default.
    released = avro_schema(PushEvent)
    released["fields"].append({"name": "distinct_size", "type": "int"})
    subject = "io.octobus.github.v1.PushEvent"
    httpx.put(
        f"{fresh_registry}/config/{subject}", json={"compatibility": "FULL_TRANSITIVE"}
    ).raise_for_status()
    httpx.post(
        f"{fresh_registry}/subjects/{subject}/versions", json={"schema": json.dumps(released)}
    ).raise_for_status()

    commands = [
        c for c in examples.console_commands(SCHEMAS_GUIDE, "octobus-schemas") if c.block == 1
    ]
    assert [c.argv for c in commands] == [["octobus-schemas", "check"]]
    assert _run_cli(commands[0]) == commands[0].expected_output


def test_every_octobus_schemas_command_on_the_schemas_guide_is_run_above(
    examples: ModuleType,
) -> None:
    blocks = {
        command.block for command in examples.console_commands(SCHEMAS_GUIDE, "octobus-schemas")
    }
    assert blocks == {0, 1}


def test_the_schemas_guide_python_examples_run_and_print_what_the_page_shows(
    examples: ModuleType,
) -> None:
    examples.run_page(SCHEMAS_GUIDE)
