"""The client builds each request exactly as GitHub and the gateway's routes expect."""

import hashlib
import hmac
import json
from urllib.parse import parse_qs
from uuid import UUID

import pytest
from octobus_schemas.api import TOPICS_PATH
from octobus_schemas.api.client import (
    GatewayRequest,
    GatewayResponse,
    SyncMockGatewayClient,
    build_delivery,
    build_get,
)

BASE_URL = "https://octobus.example.com/"
SECRET = "It's a Secret to Everybody"
PAYLOAD = {"ref": "refs/heads/main", "repository": {"full_name": "octo/cat"}, "n": "é"}
DELIVERY_ID = UUID("72d3162e-cc78-11e3-81ab-4c9367dc0958")


def github_signature(body: bytes, secret: str) -> str:
    """The check GitHub documents for receivers, written independently of the client."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_delivery_is_a_post_to_the_webhook_route_with_githubs_headers() -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, SECRET, delivery_id=DELIVERY_ID)
    assert request.method == "POST"
    assert request.url == "https://octobus.example.com/webhooks/github"
    assert request.header("x-github-event") == "push"
    assert request.header("X-GitHub-Delivery") == str(DELIVERY_ID)
    assert request.header("Content-Type") == "application/json"
    assert (request.header("User-Agent") or "").startswith("GitHub-Hookshot/")
    assert json.loads(request.body) == PAYLOAD


def test_the_signature_verifies_with_hmac_over_the_raw_body() -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, SECRET)
    signature = request.header("X-Hub-Signature-256")
    assert signature == github_signature(request.body, SECRET)
    legacy = "sha1=" + hmac.new(SECRET.encode(), request.body, hashlib.sha1).hexdigest()
    assert request.header("X-Hub-Signature") == legacy


@pytest.mark.parametrize("position", [0, 17, -1])
def test_one_byte_changed_after_signing_fails_verification(position: int) -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, SECRET)
    tampered = bytearray(request.body)
    tampered[position] ^= 0x01
    signature = request.header("X-Hub-Signature-256") or ""
    assert not hmac.compare_digest(signature, github_signature(bytes(tampered), SECRET))


def test_the_github_documentation_example_signature_is_reproduced() -> None:
    # From GitHub's "Validating webhook deliveries" page: secret and body as documented there.
    request = build_delivery(BASE_URL, "push", b"Hello, World!", "It's a Secret to Everybody")
    assert request.header("X-Hub-Signature-256") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


def test_bytes_are_replayed_untouched_and_signed_as_they_are() -> None:
    recorded = b'{"zen":  "spaces and order kept",\n "a": 1}'
    request = build_delivery(BASE_URL, "issues", recorded, b"raw-bytes-secret")
    assert request.body == recorded
    expected = hmac.new(b"raw-bytes-secret", recorded, hashlib.sha256).hexdigest()
    assert request.header("X-Hub-Signature-256") == f"sha256={expected}"


def test_a_form_delivery_carries_the_json_document_in_the_payload_field() -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, SECRET, content_type="form")
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    fields = parse_qs(request.body.decode("ascii"), strict_parsing=True)
    assert list(fields) == ["payload"]
    assert json.loads(fields["payload"][0]) == PAYLOAD
    assert request.payload() == PAYLOAD
    assert request.header("X-Hub-Signature-256") == github_signature(request.body, SECRET)


def test_without_a_secret_the_delivery_is_unsigned() -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, None)
    assert request.header("X-Hub-Signature-256") is None
    assert request.header("X-Hub-Signature") is None


def test_each_delivery_gets_a_fresh_uuid_unless_one_is_given() -> None:
    first = build_delivery(BASE_URL, "push", PAYLOAD, SECRET)
    second = build_delivery(BASE_URL, "push", PAYLOAD, SECRET)
    assert UUID(first.header("X-GitHub-Delivery") or "") != UUID(
        second.header("X-GitHub-Delivery") or ""
    )


def test_the_hook_id_header_is_sent_when_given() -> None:
    request = build_delivery(BASE_URL, "push", PAYLOAD, SECRET, hook_id=42)
    assert request.header("X-GitHub-Hook-ID") == "42"


def test_read_routes_are_gets_asking_for_json() -> None:
    request = build_get(BASE_URL, TOPICS_PATH)
    assert (request.method, request.url, request.body) == (
        "GET",
        "https://octobus.example.com/v1/topics",
        b"",
    )
    assert request.header("Accept") == "application/json"


def test_a_body_that_is_no_webhook_encoding_is_named_when_decoded() -> None:
    request = GatewayRequest("POST", "http://x", {"Content-Type": "text/plain"}, b"hi")
    with pytest.raises(ValueError, match="'text/plain'"):
        request.payload()


def test_every_route_of_the_client_is_addressed_under_its_base_url() -> None:
    ok = GatewayResponse.of(200, {"status": "ok"})
    client = SyncMockGatewayClient([ok, ok, GatewayResponse.of(200, {"topics": []})])
    client.health()
    client.ready()
    client.topics()
    assert [(r.method, r.url) for r in client.requests] == [
        ("GET", "http://gateway.test/healthz"),
        ("GET", "http://gateway.test/readyz"),
        ("GET", "http://gateway.test/v1/topics"),
    ]


def test_a_ping_is_sent_by_ping_and_refused_by_deliver() -> None:
    client = SyncMockGatewayClient(
        [GatewayResponse.of(200, {"delivery_id": str(DELIVERY_ID), "zen": "Z", "hook_id": 7})]
    )
    answer = client.ping(SECRET, delivery_id=DELIVERY_ID, hook_id=7, zen="Z")
    assert (answer.delivery_id, answer.zen, answer.hook_id) == (DELIVERY_ID, "Z", 7)
    sent = client.requests[0]
    assert sent.header("X-GitHub-Event") == "ping"
    assert sent.payload() == {"zen": "Z", "hook_id": 7}
    with pytest.raises(ValueError, match=r"use ping\(\)"):
        client.deliver("ping", {}, SECRET)
