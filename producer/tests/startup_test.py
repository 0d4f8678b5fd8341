"""Start-up: an unreachable registry is retried for a bounded time, then named; a late one
is waited for; an incompatible model stops the start with the registry's per-field report."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time

import pytest
from octobus.errors import StartupError
from octobus.services import Gateway
from octobus_devstack.registry import RegistryServer
from octobus_schemas.avro import SchemaRegistryClient, SchemaRegistrySettings

from .conftest import make_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_unreachable_registry_fails_start_up_saying_what_was_tried(
    kafka_bootstrap_servers: str,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = make_settings(kafka_bootstrap_servers, url, startup_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(StartupError) as caught:
        async with Gateway(settings).running():
            pass

    assert time.monotonic() - started < 3.0
    message = str(caught.value)
    pattern = (
        r"could not register io\.octobus\.github\.v1\.PushEvent under subject "
        r"'io\.octobus\.github\.v1\.PushEvent-test-\w+' at " + re.escape(url) + r": "
        r"\d+ attempts over \d\.\d s \(limit 1 s\), last error: cannot reach the Schema "
        r"Registry at " + re.escape(url)
    )
    assert re.match(pattern, message), message


async def test_registry_that_comes_up_during_the_start_up_window_is_waited_for(
    kafka_bootstrap_servers: str,
) -> None:
    port = free_port()
    settings = make_settings(
        kafka_bootstrap_servers, f"http://127.0.0.1:{port}", startup_timeout=15.0
    )
    server = RegistryServer(port=port)
    loop = asyncio.get_running_loop()
    late_start = loop.call_later(1.0, server.start)
    try:
        async with Gateway(settings).running() as gateway:
            assert [info.schema_id for info in gateway.catalog().topics] == list(range(1, 8))
    finally:
        late_start.cancel()
        server.stop()


async def test_incompatible_model_fails_start_up_with_the_per_field_report(
    kafka_bootstrap_servers: str, schema_registry_url: str
) -> None:
    settings = make_settings(kafka_bootstrap_servers, schema_registry_url)
    subject = f"io.octobus.github.v1.PushEvent{settings.subject_suffix}"
    # What an older gateway registered: a required field the current model does not have,
    # so old readers cannot read what the current model writes (FORWARD fails).
    older = {
        "type": "record",
        "name": "PushEvent",
        "namespace": "io.octobus.github.v1",
        "fields": [{"name": "legacy_checksum", "type": "string"}],
    }
    async with SchemaRegistryClient(schema_registry_url) as registry:
        await registry.register(json.dumps(older), subject)

    with pytest.raises(StartupError) as caught:
        async with Gateway(settings).running():
            pass

    message = str(caught.value)
    assert message.startswith(
        f"the io.octobus.github.v1.PushEvent model is incompatible with what subject "
        f"'{subject}' holds under FULL_TRANSITIVE: "
    ), message
    assert "legacy_checksum" in message, message


async def test_registry_credentials_never_appear_in_settings_output(
    kafka_bootstrap_servers: str,
) -> None:
    settings = make_settings(
        kafka_bootstrap_servers,
        "http://127.0.0.1:1",
        schema_registry=SchemaRegistrySettings.model_validate(
            {"url": "http://127.0.0.1:1", "username": "octobus", "password": "registry-pass"}
        ),
    )
    shown = repr(settings) + str(settings.model_dump())
    assert "registry-pass" not in shown
    assert "It's a Secret" not in shown
