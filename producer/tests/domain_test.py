"""The pure functions of octobus.domain: signatures and delivery parsing, no I/O."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID

import pytest
from octobus.domain import WebhookPayload, parse_delivery, parse_payload, verify_signature
from octobus.errors import DeliveryHeaderError, PayloadError, SignatureError
from octobus_schemas.api.client import sign_sha256

BODY = b'{"zen": "Approachable is better than simple.", "hook_id": 1}'
RECEIVED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"


def test_any_configured_secret_verifies_for_rotation() -> None:
    for secret in ("new", "old"):
        verify_signature(BODY, sign_sha256(BODY, secret), [b"new", b"old"])


def test_signature_hex_is_accepted_in_either_case() -> None:
    verify_signature(BODY, sign_sha256(BODY, "new").upper().replace("SHA256", "sha256"), [b"new"])


def test_signature_over_another_body_is_refused() -> None:
    with pytest.raises(SignatureError, match="does not match the body"):
        verify_signature(BODY + b"\n", sign_sha256(BODY, "new"), [b"new"])


def test_utf8_secret_is_keyed_as_github_keys_it() -> None:
    verify_signature(BODY, sign_sha256(BODY, "sécret"), ["sécret".encode()])


def test_json_delivery_is_parsed_with_headers_in_any_case() -> None:
    delivery = parse_delivery(
        {
            "content-type": "application/json; charset=utf-8",
            "x-github-event": "ping",
            "X-GITHUB-DELIVERY": DELIVERY,
            "X-GitHub-Hook-ID": "42",
        },
        BODY,
        received_at=RECEIVED,
    )

    assert delivery.delivery_id == UUID(DELIVERY)
    assert delivery.event == "ping"
    assert delivery.payload == json.loads(BODY)
    assert delivery.payload_json == BODY.decode()
    assert delivery.hook_id == 42
    assert delivery.received_at == RECEIVED


def test_form_encoded_delivery_carries_the_same_payload() -> None:
    form = urlencode({"payload": BODY.decode()}).encode()
    delivery = parse_delivery(
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-GitHub-Event": "ping",
            "X-GitHub-Delivery": DELIVERY,
        },
        form,
        received_at=RECEIVED,
    )

    assert delivery.payload == json.loads(BODY)
    assert delivery.payload_json == BODY.decode()


def test_missing_content_type_is_read_as_json() -> None:
    delivery = parse_delivery(
        {"X-GitHub-Event": "ping", "X-GitHub-Delivery": DELIVERY}, BODY, received_at=RECEIVED
    )
    assert delivery.payload["hook_id"] == 1


def test_event_header_is_checked_before_the_delivery_header() -> None:
    with pytest.raises(DeliveryHeaderError, match="missing X-GitHub-Event"):
        parse_delivery({}, BODY, received_at=RECEIVED)


def test_deeply_nested_payload_is_refused_not_crashed() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(PayloadError, match="payload is not valid JSON"):
        parse_delivery(
            {"X-GitHub-Event": "push", "X-GitHub-Delivery": DELIVERY}, body, received_at=RECEIVED
        )


def test_envelope_tolerates_missing_and_extra_fields() -> None:
    envelope = parse_payload(
        WebhookPayload,
        {
            "action": "created",
            "organization": {"id": 1, "login": "octo-org", "new_github_field": [1, 2]},
            "something_github_added": {"x": 1},
        },
    )

    assert envelope.repository is None
    assert envelope.sender is None
    assert envelope.partition_key == "octo-org"


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        (
            {
                "repository": {"id": 1, "name": "r", "full_name": "o/r"},
                "organization": {"id": 2, "login": "o"},
                "sender": {"id": 3, "login": "s"},
            },
            "o/r",
        ),
        ({"organization": {"id": 2, "login": "o"}, "sender": {"id": 3, "login": "s"}}, "o"),
        ({"sender": {"id": 3, "login": "s"}}, "s"),
        ({}, None),
    ],
    ids=["repository", "organization", "sender", "none"],
)
def test_partition_key_prefers_repository_then_organization_then_sender(
    payload: dict[str, object], key: str | None
) -> None:
    assert parse_payload(WebhookPayload, payload).partition_key == key
