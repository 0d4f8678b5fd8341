"""``POST /webhooks/github``: one GitHub delivery in, one acknowledged Kafka event out.

The handler only speaks HTTP: it reads the body within the size limit, hands bytes and
headers to the pure functions of `octobus.domain`, and the parsed delivery to the
gateway service. Errors are turned into status codes by `octobus.handlers.errors`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response, status
from octobus_schemas.api import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    HOOK_ID_HEADER,
    SIGNATURE_256_HEADER,
    WEBHOOK_PATH,
    DeliveryAccepted,
    ErrorBody,
    PingAnswer,
)

from octobus.dependencies import get_gateway
from octobus.domain import parse_delivery, single_header, verify_signature
from octobus.handlers._body import read_limited_body

__all__ = ["REDELIVERY_HEADER", "router"]

REDELIVERY_HEADER = "X-Octobus-Redelivery"
"""Set to ``true`` on the answer to a redelivery that was not published again."""

router = APIRouter(tags=["webhooks"])

_HEADERS: list[dict[str, Any]] = [
    {
        "name": SIGNATURE_256_HEADER,
        "in": "header",
        "required": True,
        "description": "`sha256=` and the hex HMAC-SHA256 of the raw body under the secret.",
        "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
    },
    {
        "name": EVENT_HEADER,
        "in": "header",
        "required": True,
        "description": "The event name, such as `push`.",
        "schema": {"type": "string"},
    },
    {
        "name": DELIVERY_HEADER,
        "in": "header",
        "required": True,
        "description": "The delivery's GUID; the same on a redelivery.",
        "schema": {"type": "string", "format": "uuid"},
    },
    {
        "name": HOOK_ID_HEADER,
        "in": "header",
        "required": False,
        "description": "The id of the webhook that sent the delivery.",
        "schema": {"type": "integer"},
    },
]

_OPENAPI: dict[str, Any] = {
    "parameters": _HEADERS,
    "requestBody": {
        "required": True,
        "description": "The payload, exactly as GitHub sent it (the signature covers it).",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"payload": {"type": "string"}},
                    "required": ["payload"],
                }
            },
        },
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# GitHub does not follow redirects, so the path with a trailing slash (a common way to
# type the URL in the webhook's settings) is served as the same endpoint, not redirected.
@router.post(WEBHOOK_PATH + "/", include_in_schema=False)
@router.post(
    WEBHOOK_PATH,
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryAccepted,
    summary="Receive a GitHub webhook delivery",
    responses={
        200: {"model": PingAnswer, "description": "A `ping`: answered, nothing published."},
        400: _error(
            "A GitHub header is missing, repeated or malformed, or the body is not a payload."
        ),
        401: _error("The signature is missing or matches no configured secret."),
        408: _error("The body did not arrive within the body-read timeout."),
        409: _error(
            "The delivery id was accepted recently with another event or body; "
            "nothing was published."
        ),
        413: _error(
            "The body is over the size limit (it was not read), or its event record is "
            "larger than Kafka takes."
        ),
        415: _error("The Content-Type is missing, neither JSON nor form-encoded, or not UTF-8."),
        503: _error("Kafka did not acknowledge in time; nothing was accepted. Retry later."),
    },
    openapi_extra=_OPENAPI,
)
async def receive_delivery(request: Request) -> Response:
    """Verify, parse and publish one delivery; answer 202 once Kafka has it.

    The signature is checked before anything else that depends on the body. A redelivery
    of a delivery accepted recently gets the first answer again and publishes nothing.
    """
    # The hot path: the gateway is looked up directly rather than through FastAPI's
    # dependency resolution, which costs more per request than the lookup itself.
    gateway = await get_gateway(request)
    settings = gateway.settings
    # Two signatures cannot both be checked: refused before the body is read.
    signature = single_header(request.headers, SIGNATURE_256_HEADER)
    body = await read_limited_body(
        request, settings.max_body_bytes, time_limit=settings.body_read_timeout
    )
    verify_signature(body, signature, gateway.secret_keys)
    delivery = parse_delivery(request.headers, body, received_at=datetime.now(UTC))
    accepted = await gateway.accept(delivery)
    answer = accepted.answer
    code = status.HTTP_200_OK if isinstance(answer, PingAnswer) else status.HTTP_202_ACCEPTED
    headers = {REDELIVERY_HEADER: "true"} if accepted.redelivery else None
    # Serialised here rather than by FastAPI, which would validate the model a second time.
    return Response(
        answer.model_dump_json(),
        status_code=code,
        media_type="application/json",
        headers=headers,
    )
