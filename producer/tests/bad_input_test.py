"""Every bad delivery gets its own status and a message naming what is wrong.

The signature is checked before anything else that depends on the body; nothing refused is
published.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from uuid import uuid4

import httpx
import pytest
from fastapi import Request
from octobus.config import Settings
from octobus.errors import PayloadError
from octobus.handlers._body import read_limited_body
from octobus.main import create_app
from octobus_schemas.api.client import GatewayRequest, build_delivery, sign_sha256
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.events import RawGitHubEvent

from .conftest import SECRET, make_settings
from .support.deliveries import first_of
from .support.kafka import header, read_topics, records_written
from .support.server import serve

PUSH = first_of("push").payload


def signed(
    body: bytes,
    *,
    content_type: str = "application/json",
    event: str | None = "push",
    delivery: str | None = None,
    secret: str = SECRET,
) -> dict[str, str]:
    headers = {"Content-Type": content_type, "X-Hub-Signature-256": sign_sha256(body, secret)}
    if event is not None:
        headers["X-GitHub-Event"] = event
    headers["X-GitHub-Delivery"] = delivery if delivery is not None else str(uuid4())
    return headers


@pytest.fixture
async def http(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        yield client


async def send(http: httpx.AsyncClient, request: GatewayRequest) -> httpx.Response:
    return await http.request(
        request.method, request.url, headers=dict(request.headers), content=request.body
    )


def push_request(gateway_url: str, secret: str | None = SECRET) -> GatewayRequest:
    return build_delivery(gateway_url, "push", PUSH, secret)


async def refused(response: httpx.Response, status: int, detail: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": detail}


@asynccontextmanager
async def nothing_published(bootstrap_servers: str, settings: Settings) -> AsyncIterator[None]:
    """Assert that the gateway's topics hold as many records after the block as before."""
    before = await records_written(bootstrap_servers, settings.topic_prefix)
    yield
    assert await records_written(bootstrap_servers, settings.topic_prefix) == before


@pytest.fixture
def unpublished(
    kafka_bootstrap_servers: str, gateway_settings: Settings
) -> AbstractAsyncContextManager[None]:
    """``async with unpublished:`` asserts that the shared gateway published nothing."""
    return nothing_published(kafka_bootstrap_servers, gateway_settings)


@asynccontextmanager
async def raw_request(
    url: str, head_and_body: bytes
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """Send raw HTTP/1.1 bytes to the webhook route; the connection is closed on exit.

    For what httpx will not send: a body that never comes, a malformed or repeated header.
    """
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(b"POST /webhooks/github HTTP/1.1\r\nHost: gateway\r\n" + head_and_body)
        await writer.drain()
        yield reader, writer
    finally:
        writer.close()


async def raw_post(url: str, head_and_body: bytes) -> tuple[bytes, bytes]:
    """POST raw HTTP/1.1 bytes (`raw_request`); return the status line and what follows."""
    async with raw_request(url, head_and_body) as (reader, _writer):
        status_line = await asyncio.wait_for(reader.readline(), timeout=5)
        rest = await asyncio.wait_for(reader.read(4096), timeout=5)
    return status_line, rest


# --- 401: the signature, checked before anything else ---------------------------------


async def test_unsigned_delivery_is_401(http: httpx.AsyncClient, gateway_url: str) -> None:
    response = await send(http, push_request(gateway_url, secret=None))
    await refused(response, 401, "missing X-Hub-Signature-256 header: the delivery is not signed")


async def test_delivery_signed_with_an_unknown_secret_is_401(
    http: httpx.AsyncClient, gateway_url: str
) -> None:
    response = await send(http, push_request(gateway_url, secret="not-the-secret"))
    await refused(
        response, 401, "X-Hub-Signature-256 does not match the body for any configured secret"
    )


async def test_body_changed_by_one_byte_after_signing_is_401(
    http: httpx.AsyncClient, gateway_url: str
) -> None:
    request = push_request(gateway_url)
    tampered = bytearray(request.body)
    tampered[-2] ^= 0x01
    response = await http.post(request.url, headers=dict(request.headers), content=bytes(tampered))
    await refused(
        response, 401, "X-Hub-Signature-256 does not match the body for any configured secret"
    )


@pytest.mark.parametrize("signature", ["sha1=" + "0" * 40, "sha256=abc", "sha256=" + "g" * 64, ""])
async def test_malformed_signature_is_401(http: httpx.AsyncClient, signature: str) -> None:
    body = json.dumps(PUSH).encode()
    headers = {**signed(body), "X-Hub-Signature-256": signature}
    response = await http.post("/webhooks/github", headers=headers, content=body)
    await refused(
        response, 401, "malformed X-Hub-Signature-256 header: expected 'sha256=' and 64 hex digits"
    )


async def test_signature_is_checked_before_headers_and_body(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/webhooks/github", headers={"Content-Type": "text/plain"}, content=b"\xff not json"
    )
    await refused(response, 401, "missing X-Hub-Signature-256 header: the delivery is not signed")


# --- 400: GitHub's headers ----------------------------------------------------------------


async def test_missing_event_header_is_400(http: httpx.AsyncClient) -> None:
    body = json.dumps(PUSH).encode()
    response = await http.post("/webhooks/github", headers=signed(body, event=None), content=body)
    await refused(
        response, 400, "missing X-GitHub-Event header: it names the event type, such as 'push'"
    )


async def test_malformed_event_header_is_400(http: httpx.AsyncClient) -> None:
    body = json.dumps(PUSH).encode()
    response = await http.post(
        "/webhooks/github", headers=signed(body, event="push; drop"), content=body
    )
    await refused(response, 400, "X-GitHub-Event header 'push; drop' is not an event name")


async def test_missing_delivery_header_is_400(http: httpx.AsyncClient) -> None:
    body = json.dumps(PUSH).encode()
    headers = signed(body)
    del headers["X-GitHub-Delivery"]
    response = await http.post("/webhooks/github", headers=headers, content=body)
    await refused(response, 400, "missing X-GitHub-Delivery header: it carries the delivery's GUID")


async def test_delivery_id_that_is_not_a_guid_is_400(http: httpx.AsyncClient) -> None:
    body = json.dumps(PUSH).encode()
    response = await http.post(
        "/webhooks/github", headers=signed(body, delivery="delivery-42"), content=body
    )
    await refused(response, 400, "X-GitHub-Delivery header 'delivery-42' is not a GUID")


# --- 400 / 415: the body -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "detail"),
    [
        (b"", "application/json", "payload is empty: expected a JSON object"),
        (
            b'{"ref": "refs/heads/main",',
            "application/json",
            "payload is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 1 column 27 (char 26)",
        ),
        (b"[1, 2]", "application/json", "payload must be a JSON object, got an array"),
        (
            b'{"size": NaN}',
            "application/json",
            "payload is not valid JSON: NaN is not a JSON value",
        ),
        (b'"push"', "application/json", "payload must be a JSON object, got a string"),
        (b"\xff\xfe{}", "application/json", "body is not UTF-8: byte 0xff at offset 0"),
        (
            b"zen=hello",
            "application/x-www-form-urlencoded",
            "form-encoded body has no 'payload' field",
        ),
        (
            b"payload=%7Bnot-json",
            "application/x-www-form-urlencoded",
            "payload is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 1 column 2 (char 1)",
        ),
        (
            b"payload=%7B%7D&payload=%7B%7D",
            "application/x-www-form-urlencoded",
            "form-encoded body has 2 'payload' fields, expected one",
        ),
        (
            b'{"repository": "octo-org/octo-repo"}',
            "application/json",
            "payload field repository: Input should be a valid dictionary or instance of "
            "GitHubRepository",
        ),
    ],
    ids=[
        "empty",
        "truncated-json",
        "json-array",
        "json-with-nan",
        "json-string",
        "not-utf8",
        "form-without-payload",
        "form-with-bad-json",
        "form-with-two-payloads",
        "repository-not-an-object",
    ],
)
async def test_unparseable_body_is_400_saying_why(
    http: httpx.AsyncClient, body: bytes, content_type: str, detail: str
) -> None:
    response = await http.post(
        "/webhooks/github", headers=signed(body, content_type=content_type), content=body
    )
    await refused(response, 400, detail)


async def test_unsupported_content_type_is_415(http: httpx.AsyncClient) -> None:
    body = b"<push/>"
    response = await http.post(
        "/webhooks/github", headers=signed(body, content_type="application/xml"), content=body
    )
    await refused(
        response,
        415,
        "unsupported Content-Type 'application/xml': GitHub sends 'application/json' or "
        "'application/x-www-form-urlencoded' with a 'payload' field",
    )


async def test_form_encoded_delivery_is_accepted(http: httpx.AsyncClient, gateway_url: str) -> None:
    request = build_delivery(gateway_url, "push", PUSH, SECRET, content_type="form")
    response = await send(http, request)
    assert response.status_code == 202, response.text
    assert response.json()["topic"].endswith("github.push")


# --- 413: too large, refused without reading it ------------------------------------------


@pytest.fixture(scope="module")
def small_limit_settings(kafka_bootstrap_servers: str, schema_registry_url: str) -> Settings:
    return make_settings(kafka_bootstrap_servers, schema_registry_url, max_body_bytes=1024)


@pytest.fixture(scope="module")
async def small_limit_url(small_limit_settings: Settings) -> AsyncIterator[str]:
    async with serve(create_app(small_limit_settings)) as url:
        yield url


async def test_declared_oversize_body_is_413_before_a_byte_is_read(small_limit_url: str) -> None:
    # Only the headers are sent: an answer proves the gateway did not wait for the body.
    status_line, rest = await raw_post(
        small_limit_url, b"Content-Type: application/json\r\nContent-Length: 26214400\r\n\r\n"
    )
    assert status_line.startswith(b"HTTP/1.1 413"), status_line
    assert b'{"detail":"body is over the 1024-byte limit (26214400 bytes)"}' in rest


async def test_streamed_oversize_body_is_413(small_limit_url: str) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 512

    async with httpx.AsyncClient(base_url=small_limit_url) as http:
        response = await http.post(
            "/webhooks/github", headers={"Content-Type": "application/json"}, content=chunks()
        )
    await refused(response, 413, "body is over the 1024-byte limit (more than that)")


# --- what is accepted, and what is published -------------------------------------------------


async def test_ping_is_200_and_publishes_nothing(
    http: httpx.AsyncClient,
    gateway_url: str,
    gateway_settings: Settings,
    kafka_bootstrap_servers: str,
) -> None:
    ping = first_of("ping").payload
    delivery_id = str(uuid4())
    request = build_delivery(gateway_url, "ping", ping, SECRET, delivery_id=delivery_id)
    response = await send(http, request)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "delivery_id": delivery_id,
        "zen": ping["zen"],
        "hook_id": ping["hook_id"],
    }
    raw_topic = f"{gateway_settings.topic_prefix}github.raw"
    records = await read_topics(kafka_bootstrap_servers, [raw_topic], at_least=10**9, wait_up_to=2)
    assert delivery_id not in {header(record, "X-GitHub-Delivery") for record in records}


async def test_redelivery_is_answered_again_but_published_once(
    http: httpx.AsyncClient, gateway_url: str, kafka_bootstrap_servers: str
) -> None:
    delivery_id = str(uuid4())
    request = build_delivery(gateway_url, "push", PUSH, SECRET, delivery_id=delivery_id)
    first, again, concurrent = (
        await send(http, request),
        *await asyncio.gather(send(http, request), send(http, request)),
    )
    assert first.status_code == again.status_code == concurrent.status_code == 202
    assert first.json() == again.json() == concurrent.json()
    assert "X-Octobus-Redelivery" not in first.headers
    assert again.headers["X-Octobus-Redelivery"] == "true"
    records = await read_topics(
        kafka_bootstrap_servers, [first.json()["topic"]], at_least=10**9, wait_up_to=2
    )
    copies = [r for r in records if header(r, "X-GitHub-Delivery") == delivery_id]
    assert len(copies) == 1


async def test_payload_that_no_longer_fits_its_model_is_kept_on_the_raw_topic(
    http: httpx.AsyncClient, gateway_url: str, kafka_bootstrap_servers: str
) -> None:
    # As if GitHub dropped a field the push model requires: the delivery is not refused
    # (GitHub would only send it again) but published raw, with the reason in a header.
    changed = {key: value for key, value in PUSH.items() if key != "ref"}
    delivery_id = str(uuid4())
    request = build_delivery(gateway_url, "push", changed, SECRET, delivery_id=delivery_id)

    response = await send(http, request)

    assert response.status_code == 202, response.text
    assert response.json()["topic"].endswith(".github.raw")
    [record] = await read_topics(
        kafka_bootstrap_servers,
        [response.json()["topic"]],
        at_least=1,
        delivery_ids={delivery_id},
    )
    assert header(record, "X-Octobus-Fallback") == "ref: Field required"
    assert header(record, "X-GitHub-Event") == "push"
    assert record.key == PUSH["repository"]["full_name"].encode()


async def test_value_beyond_avro_long_is_kept_on_the_raw_topic(
    http: httpx.AsyncClient,
    gateway_url: str,
    kafka_bootstrap_servers: str,
    schema_registry_url: str,
) -> None:
    # The repository id fits neither the typed record nor the raw record's envelope: the
    # raw record then carries the delivery's own fields, and the whole payload as JSON.
    changed = {**PUSH, "repository": {**PUSH["repository"], "id": 2**70}}
    delivery_id = str(uuid4())
    request = build_delivery(gateway_url, "push", changed, SECRET, delivery_id=delivery_id)

    response = await send(http, request)

    assert response.status_code == 202, response.text
    assert response.json()["topic"].endswith(".github.raw")
    [record] = await read_topics(
        kafka_bootstrap_servers,
        [response.json()["topic"]],
        at_least=1,
        delivery_ids={delivery_id},
    )
    assert header(record, "X-Octobus-Fallback")  # the codec's reason, whatever its words
    async with SchemaRegistryClient(schema_registry_url) as registry:
        event = await AvroCodec(registry).decode(record.value)
    assert isinstance(event, RawGitHubEvent)
    assert event.repository is None
    assert json.loads(event.payload_json) == changed


# --- 400: a Content-Length that is not a number ------------------------------------------


async def test_non_numeric_content_length_is_400_from_the_http_server(gateway_url: str) -> None:
    # uvicorn's HTTP parser refuses the framing before the app sees the request, so the
    # delivery never reaches the signature check or Kafka.
    status_line, _ = await raw_post(
        gateway_url, b"Content-Type: application/json\r\nContent-Length: twelve\r\n\r\n{}"
    )
    assert status_line.startswith(b"HTTP/1.1 400"), status_line


async def test_non_numeric_content_length_is_named_when_a_server_passes_it_on() -> None:
    # An ASGI server with a laxer parser than uvicorn's would hand the header to the app;
    # the body reader then names it instead of failing on int().
    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/webhooks/github",
        "headers": [(b"content-length", b"twelve")],
    }
    with pytest.raises(PayloadError, match="Content-Length header 'twelve' is not a number"):
        await read_limited_body(Request(scope, receive), limit=1024)


# --- 400: valid JSON whose content cannot be read or published ---------------------------


async def test_integer_longer_than_pythons_digit_limit_is_400(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None]
) -> None:
    body = b'{"ref": "refs/heads/main", "size": ' + b"9" * 5000 + b"}"
    async with unpublished:
        response = await http.post("/webhooks/github", headers=signed(body), content=body)
    await refused(
        response,
        400,
        f"payload holds an integer of 5000 digits at size: the gateway reads integers of at "
        f"most {sys.get_int_max_str_digits()} digits",
    )


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (
            {**PUSH, "repository": {**PUSH["repository"], "full_name": "\ud800/\udfff"}},
            "payload holds a lone surrogate (\\ud800) at repository.full_name",
        ),
        (
            {**PUSH, "commits": [{"id": "1", "message": "fix \udfff"}]},
            "payload holds a lone surrogate (\\udfff) at commits.0.message",
        ),
        (
            {**PUSH, "sender": {**PUSH["sender"], "\udc00": 1}},
            "payload holds a lone surrogate (\\udc00) at a key of sender",
        ),
    ],
    ids=["kafka-key", "in-a-list", "object-key"],
)
async def test_lone_surrogate_escape_is_400_naming_where(
    http: httpx.AsyncClient,
    unpublished: AbstractAsyncContextManager[None],
    payload: dict[str, object],
    detail: str,
) -> None:
    # JSON text may escape a lone surrogate ("\ud800"); no UTF-8 text can hold one, so
    # neither the Kafka key nor an Avro string could be written.
    body = json.dumps(payload).encode()
    assert b"\\ud" in body  # the escape itself, in otherwise valid UTF-8
    async with unpublished:
        response = await http.post("/webhooks/github", headers=signed(body), content=body)
    await refused(
        response,
        400,
        f"{detail}: JSON can escape one, but it is not Unicode text, so the delivery cannot "
        "be published",
    )


async def test_surrogate_pair_escape_is_text_and_accepted(http: httpx.AsyncClient) -> None:
    payload = {**PUSH, "head_commit": {**PUSH["head_commit"], "message": "ship it \U0001f680"}}
    body = json.dumps(payload).encode()
    assert b"\\ud83d\\ude80" in body
    response = await http.post("/webhooks/github", headers=signed(body), content=body)
    assert response.status_code == 202, response.text


async def test_date_beyond_datetimes_range_in_utc_is_kept_on_the_raw_topic(
    http: httpx.AsyncClient, kafka_bootstrap_servers: str
) -> None:
    # Valid ISO 8601, but a year-9999 time west of UTC is year 10000 in UTC, which the
    # typed model refuses naming the field. The delivery is kept raw, like any payload
    # that does not fit its model.
    head_commit = {**PUSH["head_commit"], "timestamp": "9999-12-31T23:59:59-23:59"}
    delivery_id = str(uuid4())
    body = json.dumps({**PUSH, "head_commit": head_commit}).encode()

    response = await http.post(
        "/webhooks/github", headers=signed(body, delivery=delivery_id), content=body
    )

    assert response.status_code == 202, response.text
    assert response.json()["topic"].endswith(".github.raw")
    [record] = await read_topics(
        kafka_bootstrap_servers, [response.json()["topic"]], at_least=1, delivery_ids={delivery_id}
    )
    assert header(record, "X-Octobus-Fallback") == (
        "head_commit.timestamp: Value error, 9999-12-31T23:59:59-23:59 is outside the years "
        "1-9999 once converted to UTC"
    )


async def test_an_unexpected_error_is_a_json_500_not_plain_text() -> None:
    # No path of the gateway should get here from a client's input; if a bug does, the
    # answer is still an ErrorBody (and the server logs the traceback).
    app = create_app(Settings.model_validate({"webhook_secrets": "s3cret"}))

    async def broken(delivery: object) -> object:
        raise RuntimeError("a bug")

    app.state.gateway.accept = broken
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    body = json.dumps(PUSH).encode()
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post(
            "/webhooks/github", headers=signed(body, secret="s3cret"), content=body
        )
    await refused(
        response, 500, "the gateway failed on this request (RuntimeError); the error is in its log"
    )


# --- 409: a delivery id reused for another delivery ------------------------------------


async def test_same_delivery_id_with_another_body_is_409_and_not_published(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None]
) -> None:
    delivery_id = str(uuid4())
    first = json.dumps(PUSH).encode()
    other = json.dumps({**PUSH, "ref": "refs/heads/other"}).encode()
    accepted = await http.post(
        "/webhooks/github", headers=signed(first, delivery=delivery_id), content=first
    )
    assert accepted.status_code == 202, accepted.text

    async with unpublished:
        response = await http.post(
            "/webhooks/github", headers=signed(other, delivery=delivery_id), content=other
        )
        again = await http.post(
            "/webhooks/github", headers=signed(first, delivery=delivery_id), content=first
        )

    await refused(
        response,
        409,
        f"delivery {delivery_id} was first received with a different body: a redelivery "
        "resends the same event and body, so this is another delivery reusing the id; "
        "nothing was published",
    )
    # The first delivery is still remembered: its real redelivery is answered as before.
    assert again.status_code == 202
    assert again.json() == accepted.json()
    assert again.headers["X-Octobus-Redelivery"] == "true"


async def test_same_delivery_id_with_another_event_is_409(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None]
) -> None:
    delivery_id = str(uuid4())
    body = json.dumps(PUSH).encode()
    accepted = await http.post(
        "/webhooks/github", headers=signed(body, delivery=delivery_id), content=body
    )
    assert accepted.status_code == 202, accepted.text

    async with unpublished:
        response = await http.post(
            "/webhooks/github",
            headers=signed(body, event="create", delivery=delivery_id),
            content=body,
        )

    await refused(
        response,
        409,
        f"delivery {delivery_id} was first received as a 'push' event, not 'create': a "
        "redelivery resends the same event and body, so this is another delivery reusing "
        "the id; nothing was published",
    )


# --- 400: a header the gateway reads, sent twice -------------------------------------------


@pytest.mark.parametrize("name", ["X-GitHub-Event", "X-GitHub-Delivery", "Content-Type"])
async def test_repeated_github_header_is_400_naming_it(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None], name: str
) -> None:
    body = json.dumps(PUSH).encode()
    headers = list(signed(body).items())
    value = dict(headers)[name]
    async with unpublished:
        response = await http.post(
            "/webhooks/github", headers=[*headers, (name, value)], content=body
        )
    await refused(response, 400, f"{name} header is repeated (2 values): GitHub sends it once")


async def test_repeated_signature_is_400_before_the_body_is_read(gateway_url: str) -> None:
    # Only the headers are sent: an answer proves the gateway did not wait for the body.
    good = sign_sha256(b"{}", SECRET)
    status_line, rest = await raw_post(
        gateway_url,
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n"
        + f"X-Hub-Signature-256: {good}\r\nX-Hub-Signature-256: {good}\r\n\r\n".encode(),
    )
    assert status_line.startswith(b"HTTP/1.1 400"), status_line
    assert (
        b'{"detail":"X-Hub-Signature-256 header is repeated (2 values): GitHub sends it once"}'
        in rest
    )


async def test_repeated_signature_that_does_not_match_is_still_a_repeat(
    http: httpx.AsyncClient,
) -> None:
    body = json.dumps(PUSH).encode()
    headers = [*signed(body).items(), ("X-Hub-Signature-256", "sha256=" + "0" * 64)]
    response = await http.post("/webhooks/github", headers=headers, content=body)
    await refused(
        response, 400, "X-Hub-Signature-256 header is repeated (2 values): GitHub sends it once"
    )


# --- 415: the Content-Type GitHub sends, and only UTF-8 ----------------------------------


async def test_missing_content_type_is_415(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None]
) -> None:
    body = json.dumps(PUSH).encode()
    headers = signed(body)
    del headers["Content-Type"]
    async with unpublished:
        response = await http.post("/webhooks/github", headers=headers, content=body)
    await refused(
        response,
        415,
        "missing Content-Type header: GitHub sends 'application/json' or "
        "'application/x-www-form-urlencoded' with a 'payload' field",
    )


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=latin-1", "application/x-www-form-urlencoded; charset=UTF-16"],
)
async def test_charset_other_than_utf8_is_415_naming_it(
    http: httpx.AsyncClient, unpublished: AbstractAsyncContextManager[None], content_type: str
) -> None:
    body = json.dumps(PUSH).encode()
    charset = content_type.rsplit("=", 1)[1]
    async with unpublished:
        response = await http.post(
            "/webhooks/github", headers=signed(body, content_type=content_type), content=body
        )
    await refused(
        response,
        415,
        f"unsupported charset {charset!r} in Content-Type {content_type!r}: GitHub sends "
        "UTF-8, and the body is read as UTF-8 only",
    )


async def test_utf8_charset_in_any_case_is_accepted(http: httpx.AsyncClient) -> None:
    body = json.dumps(PUSH).encode()
    headers = signed(body, content_type='application/json; charset="UTF-8"')
    response = await http.post("/webhooks/github", headers=headers, content=body)
    assert response.status_code == 202, response.text


# --- the trailing slash -----------------------------------------------------------------


async def test_trailing_slash_is_the_same_endpoint_not_a_redirect(
    http: httpx.AsyncClient, gateway_url: str
) -> None:
    # GitHub does not follow redirects: a webhook URL typed with a trailing slash must work.
    request = push_request(gateway_url)
    response = await http.post(
        request.url + "/", headers=dict(request.headers), content=request.body
    )
    assert response.status_code == 202, response.text
    assert response.json()["topic"].endswith(".github.push")


# --- a body that does not arrive: 408, and a client that goes away -------------------------


@pytest.fixture(scope="module")
def slow_body_settings(kafka_bootstrap_servers: str, schema_registry_url: str) -> Settings:
    return make_settings(kafka_bootstrap_servers, schema_registry_url, body_read_timeout=0.5)


@pytest.fixture(scope="module")
async def slow_body_url(slow_body_settings: Settings) -> AsyncIterator[str]:
    async with serve(create_app(slow_body_settings)) as url:
        yield url


async def test_body_shorter_than_declared_is_408_after_the_timeout_and_closed(
    slow_body_url: str,
) -> None:
    async with raw_request(
        slow_body_url,
        b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"zen": 1,',
    ) as (reader, _writer):
        # Everything the server sends, up to its closing the connection.
        answer = await asyncio.wait_for(reader.read(), timeout=5)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), head
    assert b"\r\nconnection: close" in head.lower()
    assert json.loads(body) == {
        "detail": "the body did not arrive within the 0.5 s body-read timeout "
        "(OCTOBUS_BODY_READ_TIMEOUT): 10 of the 100 declared bytes were received"
    }


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_client_that_disconnects_mid_body_is_logged_in_one_line_without_traceback(
    slow_body_url: str,
) -> None:
    # uvicorn's loggers do not propagate to the root logger: listen on them directly.
    seen = _Records()
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "octobus")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(seen)
        logger.setLevel(logging.INFO)
    try:
        async with raw_request(
            slow_body_url,
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"zen": 1,',
        ) as (_reader, writer):
            await asyncio.sleep(0.1)  # the body's first bytes are read before the disconnect
            writer.close()
            await writer.wait_closed()
        for _ in range(100):
            if any("disconnected" in record.getMessage() for record in seen.records):
                break
            await asyncio.sleep(0.05)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(seen)
            logger.setLevel(level)

    assert [(record.levelname, record.getMessage()) for record in seen.records] == [
        (
            "INFO",
            "refused delivery - (-): 400 the client disconnected before sending the whole "
            "body (10 of the 1000 declared bytes)",
        )
    ]
    assert all(record.exc_info is None for record in seen.records)


# --- 413: an event record larger than Kafka takes --------------------------------------


@pytest.fixture(scope="module")
def small_record_settings(kafka_bootstrap_servers: str, schema_registry_url: str) -> Settings:
    return make_settings(
        kafka_bootstrap_servers, schema_registry_url, max_request_bytes=16384, compression="gzip"
    )


@pytest.fixture(scope="module")
async def small_record_url(small_record_settings: Settings) -> AsyncIterator[str]:
    async with serve(create_app(small_record_settings)) as url:
        yield url


async def test_record_over_the_producers_limit_is_413_naming_size_and_limit(
    small_record_url: str, small_record_settings: Settings, kafka_bootstrap_servers: str
) -> None:
    # A body well under the body limit whose encoded record is over the producer's.
    payload = {**PUSH, "head_commit": {**PUSH["head_commit"], "message": "x" * 20000}}
    body = json.dumps(payload).encode()
    topic = f"{small_record_settings.topic_prefix}github.push"
    async with (
        httpx.AsyncClient(base_url=small_record_url) as http,
        nothing_published(kafka_bootstrap_servers, small_record_settings),
    ):
        response = await http.post("/webhooks/github", headers=signed(body), content=body)

    assert response.status_code == 413, response.text
    detail = response.json()["detail"]
    match = re.fullmatch(
        rf"the event record for topic '{re.escape(topic)}' is (\d+) bytes encoded, over the "
        r"Kafka producer's 16384-byte limit \(OCTOBUS_MAX_REQUEST_BYTES\)",
        detail,
    )
    assert match is not None, detail
    # The record holds the 20000-byte message, and less than the whole body.
    assert 20000 < int(match.group(1)) < len(body)


async def test_record_under_the_limit_is_published_compressed(
    small_record_url: str, kafka_bootstrap_servers: str
) -> None:
    star = first_of("star").payload
    delivery_id = str(uuid4())
    request = build_delivery(small_record_url, "star", star, SECRET, delivery_id=delivery_id)
    async with httpx.AsyncClient() as http:
        response = await send(http, request)
    assert response.status_code == 202, response.text
    [record] = await read_topics(
        kafka_bootstrap_servers, [response.json()["topic"]], at_least=1, delivery_ids={delivery_id}
    )
    assert header(record, "X-GitHub-Event") == "star"
