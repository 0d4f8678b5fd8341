"""The gateway protocol without I/O: building each request and parsing each answer.

Everything here is a pure function of its arguments, so it is tested without a network and
shared by every transport, sync or async.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode
from uuid import UUID, uuid4

import pydantic_core
from pydantic import BaseModel, ValidationError

from octobus_schemas.api._models import DeliveryAccepted, PingAnswer
from octobus_schemas.api._routes import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    HOOK_ID_HEADER,
    SIGNATURE_256_HEADER,
    SIGNATURE_HEADER,
    WEBHOOK_PATH,
)
from octobus_schemas.api.client._errors import UnexpectedResponse, error_for_response
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse
from octobus_schemas.api.client._signing import sign_sha1, sign_sha256

__all__ = [
    "ContentType",
    "build_delivery",
    "build_get",
    "parse_answer",
    "parse_delivery_answer",
    "user_agent",
]

ContentType = Literal["json", "form"]
"""How a delivery's payload is encoded, the two choices GitHub offers per webhook."""

_MEDIA_TYPES: dict[ContentType, str] = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
}

ModelT = TypeVar("ModelT", bound=BaseModel)


@functools.cache
def user_agent() -> str:
    """Return the ``User-Agent`` the client sends, shaped like GitHub's own.

    Returns
    -------
    str
        ``GitHub-Hookshot/octobus-<version>``: a gateway that checks the ``GitHub-Hookshot/``
        prefix accepts it, and its logs still tell the client from GitHub.
    """
    try:
        package_version = version("octobus-schemas")
    except PackageNotFoundError:  # running from a source tree that is not installed
        package_version = "unknown"
    return f"GitHub-Hookshot/octobus-{package_version}"


def _join(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _encode_payload(payload: Mapping[str, Any] | bytes, content_type: ContentType) -> bytes:
    if isinstance(payload, bytes):
        # Bytes are already the body (a recorded delivery being replayed): signing must cover
        # exactly them, so they are sent untouched.
        return payload
    document = pydantic_core.to_json(payload)
    if content_type == "json":
        return document
    return urlencode({"payload": document.decode("utf-8")}).encode("ascii")


def build_delivery(
    base_url: str,
    event: str,
    payload: Mapping[str, Any] | bytes,
    secret: str | bytes | None,
    *,
    delivery_id: UUID | str | None = None,
    content_type: ContentType = "json",
    hook_id: int | None = None,
) -> GatewayRequest:
    """Build a webhook delivery exactly as GitHub sends it.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    event
        The GitHub event name (``X-GitHub-Event``).
    payload
        The event payload as a JSON-compatible mapping, encoded per ``content_type``; or the
        exact body bytes, sent untouched (to replay a recorded delivery).
    secret
        The webhook secret the body is signed with, or ``None`` to send it unsigned.
    delivery_id
        The delivery id (``X-GitHub-Delivery``); a new UUID when omitted.
    content_type
        ``"json"`` (the body is the JSON document) or ``"form"`` (the document in a
        form-encoded ``payload`` field).
    hook_id
        The webhook id (``X-GitHub-Hook-ID``), when there is one to name.

    Returns
    -------
    GatewayRequest
        A ``POST`` to the webhook route, with ``X-Hub-Signature-256`` (and GitHub's legacy
        ``X-Hub-Signature``) computed over the exact body.
    """
    body = _encode_payload(payload, content_type)
    headers = {
        "Content-Type": _MEDIA_TYPES[content_type],
        "User-Agent": user_agent(),
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id if delivery_id is not None else uuid4()),
    }
    if hook_id is not None:
        headers[HOOK_ID_HEADER] = str(hook_id)
    if secret is not None:
        headers[SIGNATURE_HEADER] = sign_sha1(body, secret)
        headers[SIGNATURE_256_HEADER] = sign_sha256(body, secret)
    return GatewayRequest("POST", _join(base_url, WEBHOOK_PATH), headers, body)


def build_get(base_url: str, path: str) -> GatewayRequest:
    """Build a ``GET`` of one of the gateway's read-only routes.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    path
        The route, such as :data:`~octobus_schemas.api.TOPICS_PATH`.

    Returns
    -------
    GatewayRequest
        The request, asking for JSON.
    """
    headers = {"Accept": "application/json", "User-Agent": user_agent()}
    return GatewayRequest("GET", _join(base_url, path), headers)


def parse_answer(
    request: GatewayRequest,
    response: GatewayResponse,
    model: type[ModelT],
    *,
    also_on: frozenset[int] = frozenset(),
) -> ModelT:
    """Parse an answer into its interface model, or raise the typed error it stands for.

    Parameters
    ----------
    request
        The request that was sent, named in any error.
    response
        The gateway's answer.
    model
        The interface model a success carries.
    also_on
        Error statuses whose body is still that model (readiness answers 503 with a
        :class:`~octobus_schemas.api.Health`); other bodies on them raise as usual.

    Returns
    -------
    ModelT
        The parsed answer.

    Raises
    ------
    GatewayError
        The subclass for the status, naming the request and the gateway's detail; or
        :class:`UnexpectedResponse` when a success's body is not ``model``.
    """
    succeeded = 200 <= response.status < 300
    if succeeded or response.status in also_on:
        try:
            return model.model_validate_json(response.body)
        except ValidationError as exc:
            if succeeded:
                detail = f"the body is not a {model.__name__}: {exc}"
                raise UnexpectedResponse(request, response.status, detail) from exc
    raise error_for_response(request, response)


def parse_delivery_answer(
    request: GatewayRequest, response: GatewayResponse
) -> DeliveryAccepted | PingAnswer:
    """Parse the answer to a delivery of any event: a ping's answer or an acknowledgement.

    Parameters
    ----------
    request
        The delivery that was sent; its ``X-GitHub-Event`` says which answer to expect.
    response
        The gateway's answer.

    Returns
    -------
    DeliveryAccepted or PingAnswer
        :class:`~octobus_schemas.api.PingAnswer` for a ``ping``, else the acknowledgement.

    Raises
    ------
    GatewayError
        As :func:`parse_answer`.
    """
    if request.header(EVENT_HEADER) == "ping":
        return parse_answer(request, response, PingAnswer)
    return parse_answer(request, response, DeliveryAccepted)
