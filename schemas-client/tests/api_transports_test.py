"""Every transport sends the exact request over real HTTP and hands back the exact answer.

The server here is a recording HTTP server on 127.0.0.1 (aiohttp's), not the gateway: these
tests pin down the transports' byte handling. The gateway itself is driven by the same clients
in ``api_gateway_test.py``.
"""

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from octobus_schemas.api import DeliveryAccepted, ErrorBody
from octobus_schemas.api.client import (
    GatewayClient,
    GatewayConnectionError,
    GatewayResponse,
    GatewayUnavailable,
    HttpxGatewayClient,
    SyncHttpxGatewayClient,
    build_delivery,
)
from octobus_schemas.api.client.aiohttp import AiohttpGatewayClient

SECRET = "transport-secret"
PAYLOAD = {"zen": "Non-blocking is better than blocking.", "emoji": "🐙"}


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingServer:
    """Records each request and answers the next scripted response."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[GatewayResponse] = field(default_factory=list)


@pytest.fixture
async def recording_server() -> AsyncIterator[RecordingServer]:
    state = RecordingServer(url="")

    async def record(request: web.Request) -> web.Response:
        state.received.append(
            Received(request.method, request.path, dict(request.headers), await request.read())
        )
        answer = state.answers.pop(0)
        return web.Response(status=answer.status, headers=answer.headers, body=answer.body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    state.url = str(server.make_url("/"))
    yield state
    await server.close()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


AsyncClientFactory = Callable[[str], GatewayClient]
ASYNC_TRANSPORTS: dict[str, AsyncClientFactory] = {
    "httpx": lambda url: HttpxGatewayClient(url, timeout=5.0),
    "aiohttp": lambda url: AiohttpGatewayClient(url, timeout=5.0),
}


async def close(client: GatewayClient) -> None:
    assert isinstance(client, HttpxGatewayClient | AiohttpGatewayClient)
    await client.aclose()


@pytest.mark.parametrize("transport", sorted(ASYNC_TRANSPORTS))
async def test_async_transports_send_the_signed_body_byte_for_byte(
    transport: str, recording_server: RecordingServer
) -> None:
    accepted = DeliveryAccepted.model_validate(
        {
            "delivery_id": "6f1ed002-ab5d-11e3-8f1b-3c2c0a7a4c7a",
            "event": "push",
            "topic": "github.push",
            "partition": 1,
            "offset": 12,
        }
    )
    recording_server.answers.append(GatewayResponse.of(202, accepted))
    client = ASYNC_TRANSPORTS[transport](recording_server.url)
    try:
        answer = await client.deliver(
            "push", PAYLOAD, SECRET, delivery_id=accepted.delivery_id, content_type="form"
        )
    finally:
        await close(client)
    assert answer == accepted
    expected = build_delivery(
        "http://x", "push", PAYLOAD, SECRET, delivery_id=accepted.delivery_id, content_type="form"
    )
    (received,) = recording_server.received
    assert (received.method, received.path, received.body) == (
        "POST",
        "/webhooks/github",
        expected.body,
    )
    sent_headers = {name.lower(): value for name, value in received.headers.items()}
    for name, value in expected.headers.items():
        assert sent_headers[name.lower()] == value


@pytest.mark.parametrize("transport", sorted(ASYNC_TRANSPORTS))
async def test_async_transports_hand_back_status_headers_and_body(
    transport: str, recording_server: RecordingServer
) -> None:
    recording_server.answers.append(
        GatewayResponse.of(503, ErrorBody(detail="kafka: broker down"), {"Retry-After": "2"})
    )
    client = ASYNC_TRANSPORTS[transport](recording_server.url)
    try:
        with pytest.raises(GatewayUnavailable) as caught:
            await client.deliver("push", PAYLOAD, SECRET)
    finally:
        await close(client)
    assert (caught.value.detail, caught.value.retry_after) == ("kafka: broker down", 2.0)


@pytest.mark.parametrize("transport", sorted(ASYNC_TRANSPORTS))
async def test_async_transports_report_a_refused_connection_as_no_answer(transport: str) -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    client = ASYNC_TRANSPORTS[transport](url)
    try:
        with pytest.raises(GatewayConnectionError) as caught:
            await client.health()
    finally:
        await close(client)
    assert caught.value.status is None
    assert str(caught.value).startswith(f"GET {url}/healthz got no answer: ")


async def test_the_sync_httpx_transport_sends_and_parses_the_same(
    recording_server: RecordingServer,
) -> None:
    recording_server.answers.append(GatewayResponse.of(200, {"status": "ok", "version": "1"}))

    def call() -> Any:
        with SyncHttpxGatewayClient(recording_server.url, timeout=5.0) as client:
            return client.health()

    # The blocking client runs in a thread so the server keeps running on this loop.
    health = await asyncio.to_thread(call)
    assert (health.status, health.version) == ("ok", "1")
    assert recording_server.received[0].path == "/healthz"


def test_the_sync_httpx_transport_reports_a_refused_connection() -> None:
    with (
        SyncHttpxGatewayClient(f"http://127.0.0.1:{unused_port()}") as client,
        pytest.raises(GatewayConnectionError, match="got no answer: ConnectError"),
    ):
        client.topics()


async def test_a_caller_supplied_httpx_client_is_used_and_left_open(
    recording_server: RecordingServer,
) -> None:
    recording_server.answers.append(GatewayResponse.of(200, {"topics": []}))
    async with httpx.AsyncClient(headers={"X-Trace": "abc"}) as http_client:
        async with HttpxGatewayClient(recording_server.url, http_client=http_client) as client:
            assert (await client.topics()).topics == []
        assert not http_client.is_closed
    assert recording_server.received[0].headers["X-Trace"] == "abc"
