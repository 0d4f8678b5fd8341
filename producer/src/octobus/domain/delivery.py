"""A webhook delivery, parsed from its headers and raw body by pure functions.

GitHub posts each delivery either as ``application/json`` or, when the webhook is set to
``application/x-www-form-urlencoded``, as one form field ``payload`` holding the same
JSON. Both end up here as the same `Delivery`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from octobus_schemas.api import DELIVERY_HEADER, EVENT_HEADER, HOOK_ID_HEADER

from octobus.errors import DeliveryHeaderError, PayloadError, UnsupportedMediaTypeError

__all__ = ["Delivery", "parse_delivery", "single_header"]

_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
_GITHUB_SENDS = f"GitHub sends {_JSON!r} or {_FORM!r} with a 'payload' field"
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
# Python's json reads a "\ud800" escape into a lone surrogate, which no UTF-8 text (the
# Kafka key, an Avro string, a JSON answer) can hold. A payload is checked for one only
# when its text has a surrogate escape (a pair, such as an escaped emoji, has two), and the
# path is searched for only when the check fails.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    body_digest
        The SHA-256 of the raw body: a redelivery resends the same body, so the same
        digest.
    hook_id
        The ``X-GitHub-Hook-ID``, when sent.
    """

    delivery_id: UUID
    event: str
    payload: dict[str, Any]
    payload_json: str
    received_at: datetime
    body_digest: bytes = b""
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
        If ``X-GitHub-Event`` or ``X-GitHub-Delivery`` is missing, repeated or malformed,
        or ``Content-Type`` is repeated.
    UnsupportedMediaTypeError
        If the ``Content-Type`` is missing, neither JSON nor form-encoded, or names a
        charset other than UTF-8.
    PayloadError
        If the body is not a JSON object (directly or in the ``payload`` form field), or
        holds what cannot be published: an integer too long to read, a lone surrogate.

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
    values: dict[str, list[str]] = {}
    for name, value in headers.items():
        values.setdefault(name.lower(), []).append(value)
    event = _event_name(_one(values, EVENT_HEADER))
    delivery_id = _delivery_id(_one(values, DELIVERY_HEADER))
    payload_json = _payload_text(_one(values, "Content-Type"), body)
    payload = _json_object(payload_json)
    # Informational only: a repeated hook id is dropped, like a malformed one.
    hook_ids = values.get(HOOK_ID_HEADER.lower(), [])
    return Delivery(
        delivery_id=delivery_id,
        event=event,
        payload=payload,
        payload_json=payload_json,
        received_at=received_at,
        body_digest=hashlib.sha256(body).digest(),
        hook_id=_hook_id(hook_ids[0]) if len(hook_ids) == 1 else None,
    )


def single_header(headers: Mapping[str, str], name: str) -> str | None:
    """Return a header's one value, refusing a header sent more than once.

    Parameters
    ----------
    headers
        The request headers; a repeated header is seen through ``items()`` (Starlette's
        headers list each occurrence there).
    name
        The header's name, in any case.

    Returns
    -------
    str or None
        The value, or None when the header is absent.

    Raises
    ------
    DeliveryHeaderError
        If the header is repeated: the gateway will not choose one of the values.

    Examples
    --------
    >>> single_header({"x-github-event": "push"}, "X-GitHub-Event")
    'push'
    """
    lowered = name.lower()
    found = [value for key, value in headers.items() if key.lower() == lowered]
    return _one({lowered: found}, name)


def _one(values: Mapping[str, list[str]], name: str) -> str | None:
    found = values.get(name.lower())
    if not found:
        return None
    if len(found) > 1:
        msg = f"{name} header is repeated ({len(found)} values): GitHub sends it once"
        raise DeliveryHeaderError(msg)
    return found[0]


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


_HOOK_ID = re.compile(r"[0-9]{1,19}")


def _hook_id(value: str) -> int | None:
    # Informational only: a malformed hook id is dropped rather than refused. ASCII digits
    # only (str.isdigit() takes '²', which int() refuses), and no more than a 64-bit id has.
    digits = value.strip()
    return int(digits) if _HOOK_ID.fullmatch(digits) else None


def _payload_text(content_type: str | None, body: bytes) -> str:
    if content_type is None or not content_type.strip():
        msg = f"missing Content-Type header: {_GITHUB_SENDS}"
        raise UnsupportedMediaTypeError(msg)
    media_type, *parameters = content_type.split(";")
    media_type = media_type.strip().lower()
    if media_type not in (_JSON, _FORM):
        msg = f"unsupported Content-Type {content_type!r}: {_GITHUB_SENDS}"
        raise UnsupportedMediaTypeError(msg)
    _require_utf8(content_type, parameters)
    if media_type == _JSON:
        return _utf8(body, "body")
    return _form_payload(body)


def _require_utf8(content_type: str, parameters: list[str]) -> None:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset":
            continue
        charset = value.strip().strip('"').strip()
        if charset.lower() not in _UTF8_NAMES:
            msg = (
                f"unsupported charset {charset!r} in Content-Type {content_type!r}: "
                "GitHub sends UTF-8, and the body is read as UTF-8 only"
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
        value = _loads(text)
    except ValueError:
        # Valid JSON that Python will not read: an integer longer than its int-string
        # limit (sys.set_int_max_str_digits). Read again to say where.
        raise _too_long_integer(text) from None
    if not isinstance(value, dict):
        msg = f"payload must be a JSON object, got {_json_type(value)}"
        raise PayloadError(msg)
    if _SURROGATE_ESCAPE.search(text) is not None and not _is_unicode_text(value):
        _refuse_lone_surrogates(value)
    return value


def _is_unicode_text(value: object) -> bool:
    # json's C encoder copies every key and string as it is, and encoding the result to
    # UTF-8 is where a lone surrogate fails: several times faster than walking the payload
    # in Python, which is left to say where once one is known to be there.
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    except RecursionError:
        return False  # as deep as the parser allows: the (iterative) walk decides
    return True


def _loads(text: str, **hooks: Any) -> object:
    try:
        return json.loads(text, parse_constant=_refuse_constant, **hooks)
    except json.JSONDecodeError as error:
        msg = (
            f"payload is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno} (char {error.pos})"
        )
        raise PayloadError(msg) from None
    except RecursionError:
        msg = "payload is not valid JSON: nested too deeply"
        raise PayloadError(msg) from None


class _LongInteger:
    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _too_long_integer(text: str) -> PayloadError:
    limit = sys.get_int_max_str_digits()

    def read_int(literal: str) -> int | _LongInteger:
        digits = len(literal.lstrip("-"))
        return _LongInteger(digits) if limit and digits > limit else int(literal)

    # Raises for whatever else is wrong further on (invalid JSON after the integer).
    value = _loads(text, parse_int=read_int)
    for path, found in _walk(value):
        if isinstance(found, _LongInteger):
            msg = (
                f"payload holds an integer of {found.digits} digits at {path}: the gateway "
                f"reads integers of at most {limit} digits"
            )
            return PayloadError(msg)
    # Python's json raises no other ValueError of its own; kept general all the same.
    return PayloadError("payload is not valid JSON: a number cannot be read")


def _refuse_lone_surrogates(value: object) -> None:
    for path, found in _walk(value, keys=True):
        if isinstance(found, str) and (match := _SURROGATE.search(found)) is not None:
            escape = f"\\u{ord(match.group()):04x}"
            msg = (
                f"payload holds a lone surrogate ({escape}) at {path}: JSON can escape one, "
                "but it is not Unicode text, so the delivery cannot be published"
            )
            raise PayloadError(msg)


def _walk(value: object, *, keys: bool = False) -> Iterator[tuple[str, object]]:
    """Yield every value of a JSON document with its path, depth first, in document order.

    Paths are dotted like the payload-field errors (``commits.0.id``), shortened and with
    any surrogate escaped so that they can go into an answer. With ``keys``, each object
    key is yielded too, before its value, at ``a key of <object path>``. Iterative, so a
    document as deep as the JSON parser allows is walked without recursion.
    """
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, current = stack.pop()
        yield _shown(path), current
        children: list[tuple[str, object]] = []
        if isinstance(current, dict):
            for key, child in current.items():
                if keys:
                    children.append((f"a key of {path}" if path else "a top-level key", key))
                children.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(current, list):
            children = [
                (f"{path}.{index}" if path else str(index), child)
                for index, child in enumerate(current)
            ]
        stack.extend(reversed(children))


def _shown(path: str) -> str:
    if not path:
        return "the top level"
    shown = path.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= 200 else shown[:199] + "\u2026"


def _refuse_constant(name: str) -> object:
    # Python's json reads NaN and Infinity; JSON (and GitHub) has neither.
    msg = f"payload is not valid JSON: {name} is not a JSON value"
    raise PayloadError(msg)


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
