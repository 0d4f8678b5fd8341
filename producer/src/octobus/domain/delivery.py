"""A webhook delivery, parsed from its headers and raw body by pure functions.

GitHub posts each delivery either as ``application/json`` or, when the webhook is set to
``application/x-www-form-urlencoded``, as one form field ``payload`` holding the same
JSON. Both end up here as the same `Delivery`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from octobus_schemas.api import DELIVERY_HEADER, EVENT_HEADER, HOOK_ID_HEADER

from octobus.errors import DeliveryHeaderError, PayloadError, UnsupportedMediaTypeError

__all__ = ["Delivery", "parse_delivery"]

_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
# GitHub's event names are lower-case words joined by underscores; a little more is
# accepted so that a new kind of name is published raw rather than refused.
_EVENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook delivery, verified and parsed, in GitHub's own terms.

    Attributes
    ----------
    delivery_id
        The ``X-GitHub-Delivery`` GUID.
    event
        The ``X-GitHub-Event`` name.
    payload
        The payload, a JSON object.
    payload_json
        The payload's JSON text exactly as GitHub sent it, for raw events.
    received_at
        When the gateway received the delivery (UTC).
    hook_id
        The ``X-GitHub-Hook-ID``, when sent.
    """

    delivery_id: UUID
    event: str
    payload: dict[str, Any]
    payload_json: str
    received_at: datetime
    hook_id: int | None = None


def parse_delivery(headers: Mapping[str, str], body: bytes, *, received_at: datetime) -> Delivery:
    """Parse a delivery from its HTTP headers and raw body.

    Parameters
    ----------
    headers
        The request headers; looked up without regard to case.
    body
        The raw body (its signature already verified).
    received_at
        The time of receipt, timezone-aware.

    Returns
    -------
    Delivery
        The parsed delivery.

    Raises
    ------
    DeliveryHeaderError
        If ``X-GitHub-Event`` or ``X-GitHub-Delivery`` is missing or malformed.
    UnsupportedMediaTypeError
        If the ``Content-Type`` is neither JSON nor form-encoded.
    PayloadError
        If the body is not a JSON object (directly or in the ``payload`` form field).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> delivery = parse_delivery(
    ...     {
    ...         "Content-Type": "application/json",
    ...         "X-GitHub-Event": "ping",
    ...         "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    ...     },
    ...     b'{"zen": "Design for failure."}',
    ...     received_at=datetime(2026, 1, 1, tzinfo=UTC),
    ... )
    >>> delivery.event, delivery.payload["zen"]
    ('ping', 'Design for failure.')
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    event = _event_name(lowered.get(EVENT_HEADER.lower()))
    delivery_id = _delivery_id(lowered.get(DELIVERY_HEADER.lower()))
    payload_json = _payload_text(lowered.get("content-type"), body)
    payload = _json_object(payload_json)
    return Delivery(
        delivery_id=delivery_id,
        event=event,
        payload=payload,
        payload_json=payload_json,
        received_at=received_at,
        hook_id=_hook_id(lowered.get(HOOK_ID_HEADER.lower())),
    )


def _event_name(value: str | None) -> str:
    if value is None or not value.strip():
        msg = f"missing {EVENT_HEADER} header: it names the event type, such as 'push'"
        raise DeliveryHeaderError(msg)
    name = value.strip()
    if _EVENT_NAME.fullmatch(name) is None:
        msg = f"{EVENT_HEADER} header {name[:100]!r} is not an event name"
        raise DeliveryHeaderError(msg)
    return name


def _delivery_id(value: str | None) -> UUID:
    if value is None or not value.strip():
        msg = f"missing {DELIVERY_HEADER} header: it carries the delivery's GUID"
        raise DeliveryHeaderError(msg)
    try:
        return UUID(value.strip())
    except ValueError:
        msg = f"{DELIVERY_HEADER} header {value[:100]!r} is not a GUID"
        raise DeliveryHeaderError(msg) from None


def _hook_id(value: str | None) -> int | None:
    # Informational only: a malformed hook id is dropped rather than refused.
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _media_type(content_type: str | None) -> str:
    if content_type is None:
        return _JSON
    return content_type.split(";", 1)[0].strip().lower()


def _payload_text(content_type: str | None, body: bytes) -> str:
    media_type = _media_type(content_type)
    if media_type == _JSON:
        return _utf8(body, "body")
    if media_type == _FORM:
        return _form_payload(body)
    msg = (
        f"unsupported Content-Type {content_type!r}: GitHub sends {_JSON!r} "
        f"or {_FORM!r} with a 'payload' field"
    )
    raise UnsupportedMediaTypeError(msg)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"{what} is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}"
        raise PayloadError(msg) from None


def _form_payload(body: bytes) -> str:
    try:
        fields = parse_qs(_utf8(body, "form body"), keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        msg = f"form-encoded body is malformed: {error}"
        raise PayloadError(msg) from None
    values = fields.get("payload")
    if not values:
        msg = "form-encoded body has no 'payload' field"
        raise PayloadError(msg)
    if len(values) > 1:
        msg = f"form-encoded body has {len(values)} 'payload' fields, expected one"
        raise PayloadError(msg)
    return values[0]


def _json_object(text: str) -> dict[str, Any]:
    if not text.strip():
        msg = "payload is empty: expected a JSON object"
        raise PayloadError(msg)
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        msg = (
            f"payload is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno} (char {error.pos})"
        )
        raise PayloadError(msg) from None
    except RecursionError:
        msg = "payload is not valid JSON: nested too deeply"
        raise PayloadError(msg) from None
    if not isinstance(value, dict):
        msg = f"payload must be a JSON object, got {_json_type(value)}"
        raise PayloadError(msg)
    return value


def _refuse_constant(name: str) -> object:
    # Python's json reads NaN and Infinity; JSON (and GitHub) has neither.
    msg = f"payload is not valid JSON: {name} is not a JSON value"
    raise PayloadError(msg)


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
