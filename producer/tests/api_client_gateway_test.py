"""The octobus-schemas gateway client against the real gateway, over real HTTP.

The same calling code drives the gateway through every transport and the mock, with no branch
on which one it is; the client's signatures verify on the server; and each way the server
refuses a request arrives as the client's typed error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from octobus.config import Settings
from octobus.main import create_app
from octobus_devstack.broker import TansuBroker
from octobus_schemas.api import DeliveryAccepted, ErrorBody, PingAnswer
from octobus_schemas.api.client import (
    BadDelivery,
    DeliveryConflict,
    GatewayClient,
    GatewayRequest,
    GatewayResponse,
    GatewayUnavailable,
    HttpxGatewayClient,
    MockGatewayClient,
    PayloadTooLarge,
    RouteNotFound,
    SignatureRejected,
    SyncHttpxGatewayClient,
    UnsupportedMediaType,
    build_delivery,
    parse_answer,
    sign_sha256,
)
from octobus_schemas.api.client.aiohttp import AiohttpGatewayClient

from .conftest import SECRET, make_settings
from .support.deliveries import first_of
from .support.server import serve


@dataclass(frozen=True)
class Outcome:
    """What one run of the scenario saw, comparable across clients."""

    live: str
    ready: str
    push_topic_listed: bool
    push: tuple[str, str]
    form_push_event: str
    ping: tuple[str | None, int | None]
    wrong_secret: str


async def scenario(client: GatewayClient) -> Outcome:
    """A caller's use of the gateway: written once, against the abstract client."""
    health = await client.health()
    readiness = await client.ready()
    catalog = await client.topics()
    push = first_of("push")
    accepted = await client.deliver("push", push.payload, SECRET)
    form = await client.deliver("push", push.payload, SECRET, content_type="form")
    ping = await client.ping(SECRET, hook_id=42, zen="Practicality beats purity.")
    try:
        await client.deliver("push", push.payload, "not the secret")
    except SignatureRejected as exc:
        rejection = exc.detail
    else:
        rejection = "accepted"
    # Topic names carry a per-run prefix; compare them without it.
    push_topic = accepted.topic.rsplit(".", 2)
    return Outcome(
        live=health.status,
        ready=readiness.status,
        push_topic_listed=any(info.topic == accepted.topic for info in catalog.topics),
        push=(accepted.event, ".".join(push_topic[-2:])),
        form_push_event=form.event,
        ping=(ping.zen, ping.hook_id),
        wrong_secret=rejection,
    )


class RecordingClient(HttpxGatewayClient):
    """An httpx client that keeps the gateway's answers, to script a mock with them."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.answers: list[GatewayResponse] = []

    async def _send(self, request: GatewayRequest) -> GatewayResponse:
        answer = await super()._send(request)
        self.answers.append(answer)
        return answer


async def test_the_same_code_drives_the_gateway_over_httpx_and_aiohttp_and_the_mock(
    gateway_url: str,
) -> None:
    async with RecordingClient(gateway_url) as over_httpx:
        from_httpx = await scenario(over_httpx)
    async with AiohttpGatewayClient(gateway_url) as over_aiohttp:
        from_aiohttp = await scenario(over_aiohttp)
    from_mock = await scenario(MockGatewayClient(over_httpx.answers))

    assert from_httpx == Outcome(
        live="ok",
        ready="ok",
        push_topic_listed=True,
        push=("push", "github.push"),
        form_push_event="push",
        ping=("Practicality beats purity.", 42),
        wrong_secret=from_httpx.wrong_secret,
    )
    assert "X-Hub-Signature-256" in from_httpx.wrong_secret
    assert from_aiohttp == from_httpx
    assert from_mock == from_httpx


async def test_the_sync_client_drives_the_gateway_too(gateway_url: str) -> None:
    def call() -> tuple[str, DeliveryAccepted, PingAnswer | DeliveryAccepted]:
        with SyncHttpxGatewayClient(gateway_url) as client:
            push = first_of("push")
            return (
                client.health().status,
                client.deliver("push", push.payload, SECRET),
                client.replay("ping", {"zen": "Z", "hook_id": 1}, SECRET),
            )

    # Blocking calls go to a thread: the gateway is served on this test's event loop.
    status, accepted, ping = await asyncio.to_thread(call)
    assert status == "ok"
    assert accepted.topic.endswith("github.push")
    assert ping == PingAnswer(delivery_id=ping.delivery_id, zen="Z", hook_id=1)


async def send(base_url: str, request: GatewayRequest) -> GatewayResponse:
    """Send a hand-altered request, bypassing the client's request building."""
    async with httpx.AsyncClient() as http:
        answer = await http.request(
            request.method, request.url, headers=dict(request.headers), content=request.body
        )
    return GatewayResponse(answer.status_code, dict(answer.headers), answer.content)


async def test_a_client_signature_verifies_and_one_byte_changed_after_signing_gets_401(
    gateway_url: str,
) -> None:
    signed = build_delivery(gateway_url, "push", first_of("push").payload, SECRET)
    accepted = parse_answer(signed, await send(gateway_url, signed), DeliveryAccepted)
    assert str(accepted.delivery_id) == signed.header("X-GitHub-Delivery")

    tampered_body = bytearray(signed.body)
    position = tampered_body.index(b'"ref"') + 1
    tampered_body[position] ^= 0x20  # "ref" -> "Ref": one byte, still valid JSON
    tampered = GatewayRequest(signed.method, signed.url, signed.headers, bytes(tampered_body))
    response = await send(gateway_url, tampered)
    assert response.status == 401
    with pytest.raises(SignatureRejected) as caught:
        parse_answer(tampered, response, DeliveryAccepted)
    assert "X-Hub-Signature-256" in caught.value.detail


async def test_an_unsigned_delivery_is_rejected_naming_the_missing_header(
    gateway: HttpxGatewayClient,
) -> None:
    with pytest.raises(SignatureRejected, match="X-Hub-Signature-256"):
        await gateway.deliver("push", first_of("push").payload, None)


async def test_a_body_that_is_not_json_is_a_bad_delivery(gateway: HttpxGatewayClient) -> None:
    with pytest.raises(BadDelivery) as caught:
        await gateway.deliver("push", b"{not json", SECRET)
    assert caught.value.status == 400
    assert caught.value.detail


async def test_a_body_of_another_media_type_is_refused_as_such(gateway_url: str) -> None:
    body = b"ref=refs/heads/main"
    request = GatewayRequest(
        "POST",
        f"{gateway_url}/webhooks/github",
        {
            "Content-Type": "text/plain",
            "X-GitHub-Event": "push",
            "X-GitHub-Delivery": "6f1ed002-ab5d-11e3-8f1b-3c2c0a7a4c7a",
            "X-Hub-Signature-256": sign_sha256(body, SECRET),
        },
        body,
    )
    with pytest.raises(UnsupportedMediaType, match="text/plain"):
        parse_answer(request, await send(gateway_url, request), DeliveryAccepted)


async def test_a_used_delivery_id_with_another_event_is_a_delivery_conflict(
    gateway: HttpxGatewayClient,
) -> None:
    delivery_id = uuid4()
    first = await gateway.deliver("push", first_of("push").payload, SECRET, delivery_id=delivery_id)
    assert first.delivery_id == delivery_id
    again = await gateway.deliver("push", first_of("push").payload, SECRET, delivery_id=delivery_id)
    assert again == first  # GitHub's redelivery: the same answer, published once
    with pytest.raises(DeliveryConflict) as caught:
        await gateway.deliver("issues", first_of("issues").payload, SECRET, delivery_id=delivery_id)
    assert caught.value.status == 409
    assert str(delivery_id) in caught.value.detail


async def test_a_wrong_base_url_is_named_as_route_not_found(gateway_url: str) -> None:
    async with HttpxGatewayClient(f"{gateway_url}/not-the-gateway") as client:
        with pytest.raises(RouteNotFound) as caught:
            await client.health()
    assert caught.value.request.url == f"{gateway_url}/not-the-gateway/healthz"


@pytest.fixture
async def serve_gateway(
    kafka_bootstrap_servers: str, schema_registry_url: str
) -> AsyncIterator[Callable[..., Any]]:
    """Start gateways with their own settings; each is stopped when the test ends."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(bootstrap_servers: str | None = None, **overrides: Any) -> str:
            settings: Settings = make_settings(
                bootstrap_servers or kafka_bootstrap_servers, schema_registry_url, **overrides
            )
            return await stack.enter_async_context(serve(create_app(settings)))

        yield start


async def test_a_body_over_the_limit_is_payload_too_large(
    serve_gateway: Callable[..., Any],
) -> None:
    url = await serve_gateway(max_body_bytes=2048)
    async with HttpxGatewayClient(url) as client:
        with pytest.raises(PayloadTooLarge) as caught:
            await client.deliver("push", {"padding": "x" * 4096}, SECRET)
    assert caught.value.status == 413
    assert "2048" in caught.value.detail


async def test_a_frozen_broker_makes_the_gateway_unavailable_and_not_ready(
    tansu_broker_factory: Callable[..., TansuBroker],
    serve_gateway: Callable[..., Any],
) -> None:
    # The broker fixture comes first so it is torn down last, after the gateway has stopped.
    broker = tansu_broker_factory()
    url = await serve_gateway(broker.bootstrap_servers, publish_timeout=1.5)
    async with HttpxGatewayClient(url, timeout=20.0) as client:
        assert (await client.ready()).ok
        broker.freeze()
        try:
            with pytest.raises(GatewayUnavailable) as caught:
                await client.deliver("push", first_of("push").payload, SECRET)
            readiness = await client.ready()
        finally:
            broker.thaw()
    assert caught.value.status == 503
    assert ErrorBody(detail=caught.value.detail).detail
    assert not readiness.ok
    assert readiness.dependencies["kafka"].status == "unavailable"


def readme_example() -> str:
    """The Python block of the client README's "Calling the gateway" section."""
    readme = (Path(__file__).resolve().parents[2] / "schemas-client" / "README.md").read_text()
    section = readme.split("## Calling the gateway", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


async def test_the_client_readme_example_runs_against_the_gateway(
    gateway_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    example = readme_example()
    assert len(example.strip().splitlines()) == 5
    assert f'secret="{SECRET}"' in example
    code = compile(example.replace("http://localhost:8080", gateway_url), "README.md", "exec")
    namespace = {"payload": first_of("issues").payload}
    await asyncio.to_thread(exec, code, namespace)
    topic, partition, offset = capsys.readouterr().out.split()
    assert topic.endswith("github.issues")
    assert int(partition) >= 0
    assert int(offset) >= 0
