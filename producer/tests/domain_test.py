"""The pure functions of octobus.domain: signatures and delivery parsing, no I/O."""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID

import pytest
from octobus.domain import (
    WebhookPayload,
    parse_delivery,
    parse_payload,
    single_header,
    verify_signature,
)
from octobus.errors import (
    DeliveryHeaderError,
    PayloadError,
    SignatureError,
    UnsupportedMediaTypeError,
)
from octobus_schemas.api.client import sign_sha256
from starlette.datastructures import Headers

BODY = b'{"zen": "Approachable is better than simple.", "hook_id": 1}'
RECEIVED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
HEADERS = {
    "Content-Type": "application/json",
    "X-GitHub-Event": "push",
    "X-GitHub-Delivery": DELIVERY,
}


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


def test_missing_content_type_is_refused_naming_what_github_sends() -> None:
    with pytest.raises(UnsupportedMediaTypeError) as caught:
        parse_delivery(
            {"X-GitHub-Event": "ping", "X-GitHub-Delivery": DELIVERY}, BODY, received_at=RECEIVED
        )
    assert str(caught.value) == (
        "missing Content-Type header: GitHub sends 'application/json' or "
        "'application/x-www-form-urlencoded' with a 'payload' field"
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        "application/json; charset=UTF-8",
        'application/json;charset="utf-8"',
        "application/json; charset=utf8",
        "application/json; boundary=x",
    ],
)
def test_utf8_or_no_charset_is_read(content_type: str) -> None:
    headers = {**HEADERS, "Content-Type": content_type}
    assert parse_delivery(headers, BODY, received_at=RECEIVED).payload["hook_id"] == 1


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("application/json; charset=latin-1", "latin-1"),
        ("application/json; charset=ISO-8859-1", "ISO-8859-1"),
        ('application/json; charset="utf-16"', "utf-16"),
        ("application/json; charset=", ""),
    ],
)
def test_any_other_charset_is_refused_naming_it(content_type: str, charset: str) -> None:
    headers = {**HEADERS, "Content-Type": content_type}
    with pytest.raises(UnsupportedMediaTypeError) as caught:
        parse_delivery(headers, BODY, received_at=RECEIVED)
    assert str(caught.value) == (
        f"unsupported charset {charset!r} in Content-Type {content_type!r}: GitHub sends "
        "UTF-8, and the body is read as UTF-8 only"
    )


def test_the_body_digest_is_the_sha256_of_the_raw_body() -> None:
    delivery = parse_delivery(HEADERS, BODY, received_at=RECEIVED)
    assert delivery.body_digest == hashlib.sha256(BODY).digest()


@pytest.mark.parametrize("hook_id", ["\u00b2", "9" * 5000, "-1", "4 2", ""])
def test_a_hook_id_that_is_not_a_plain_number_is_dropped(hook_id: str) -> None:
    # '\u00b2' (superscript two) passes str.isdigit() and fails int(); 5000 digits fail
    # int() too. The hook id is informational: it is dropped, never a 500.
    headers = {**HEADERS, "X-GitHub-Hook-ID": hook_id}
    assert parse_delivery(headers, BODY, received_at=RECEIVED).hook_id is None


def test_a_repeated_hook_id_is_dropped() -> None:
    headers = Headers(
        raw=[
            *((name.lower().encode(), value.encode()) for name, value in HEADERS.items()),
            (b"x-github-hook-id", b"1"),
            (b"x-github-hook-id", b"2"),
        ]
    )
    assert parse_delivery(headers, BODY, received_at=RECEIVED).hook_id is None


def test_a_repeated_header_is_refused_through_starlettes_headers() -> None:
    headers = Headers(
        raw=[
            *((name.lower().encode(), value.encode()) for name, value in HEADERS.items()),
            (b"x-github-delivery", DELIVERY.encode()),
        ]
    )
    with pytest.raises(DeliveryHeaderError) as caught:
        parse_delivery(headers, BODY, received_at=RECEIVED)
    assert (
        str(caught.value) == "X-GitHub-Delivery header is repeated (2 values): GitHub sends it once"
    )


def test_event_header_is_checked_before_the_delivery_header() -> None:
    with pytest.raises(DeliveryHeaderError, match="missing X-GitHub-Event"):
        parse_delivery({}, BODY, received_at=RECEIVED)


def test_single_header_gives_the_one_value_or_none() -> None:
    headers = Headers(raw=[(b"x-hub-signature-256", b"sha256=1")])
    assert single_header(headers, "X-Hub-Signature-256") == "sha256=1"
    assert single_header(headers, "X-GitHub-Event") is None


def test_deeply_nested_payload_is_refused_not_crashed() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(PayloadError, match="payload is not valid JSON"):
        parse_delivery(HEADERS, body, received_at=RECEIVED)


def test_an_integer_too_long_is_named_even_when_nested() -> None:
    body = b'{"commits": [{"id": 1}, {"distinct": -' + b"1" * 4400 + b"}]}"
    with pytest.raises(PayloadError) as caught:
        parse_delivery(HEADERS, body, received_at=RECEIVED)
    assert str(caught.value) == (
        f"payload holds an integer of 4400 digits at commits.1.distinct: the gateway reads "
        f"integers of at most {sys.get_int_max_str_digits()} digits"
    )


def test_invalid_json_after_a_too_long_integer_is_named_as_invalid() -> None:
    body = b'{"size": ' + b"1" * 4400 + b', "ref": }'
    with pytest.raises(PayloadError, match=r"^payload is not valid JSON: Expecting value at"):
        parse_delivery(HEADERS, body, received_at=RECEIVED)


def test_a_lone_surrogate_in_a_form_encoded_payload_is_refused() -> None:
    form = urlencode({"payload": '{"sender": {"login": "a\\udbff"}}'}).encode()
    headers = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
    with pytest.raises(
        PayloadError, match=r"^payload holds a lone surrogate \(\\udbff\) at sender.login:"
    ):
        parse_delivery(headers, form, received_at=RECEIVED)


def test_an_escaped_backslash_before_u_d800_is_text_not_a_surrogate() -> None:
    body = b'{"zen": "\\\\ud800 is how JSON escapes a surrogate"}'
    delivery = parse_delivery(HEADERS, body, received_at=RECEIVED)
    assert delivery.payload["zen"] == "\\ud800 is how JSON escapes a surrogate"


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
