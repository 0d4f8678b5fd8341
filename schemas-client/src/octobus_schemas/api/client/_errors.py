"""The errors a gateway call raises: one class per way the gateway can refuse a request."""

from __future__ import annotations

import contextlib
import json
from http import HTTPStatus

from pydantic import ValidationError

from octobus_schemas.api._models import ErrorBody
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse
from octobus_schemas.errors import OctobusSchemasError

__all__ = [
    "BadDelivery",
    "BodyReadTimeout",
    "DeliveryConflict",
    "GatewayConnectionError",
    "GatewayError",
    "GatewayUnavailable",
    "PayloadTooLarge",
    "RouteNotFound",
    "SignatureRejected",
    "UnexpectedResponse",
    "UnsupportedMediaType",
    "error_for_response",
]

_DETAIL_LIMIT = 500
"""Characters of a non-JSON error body kept in an error message (an HTML page can be long)."""


class GatewayError(OctobusSchemasError):
    """A call to the gateway failed; the message names the request, the status and the detail.

    Parameters
    ----------
    request
        The request that failed.
    status
        The HTTP status the gateway answered, or ``None`` when no answer arrived.
    detail
        What was wrong: the gateway's ``detail``, or the transport's error.

    Attributes
    ----------
    request
        The request that failed.
    status
        The HTTP status, or ``None``.
    detail
        What was wrong.
    """

    def __init__(self, request: GatewayRequest, status: int | None, detail: str) -> None:
        self.request = request
        self.status = status
        self.detail = detail
        super().__init__(self._describe())

    def _describe(self) -> str:
        target = f"{self.request.method} {self.request.url}"
        if self.status is None:
            return f"{target} got no answer: {self.detail}"
        try:
            phrase = f" {HTTPStatus(self.status).phrase}"
        except ValueError:
            phrase = ""
        return f"{target} answered {self.status}{phrase}: {self.detail}"


class GatewayConnectionError(GatewayError):
    """No answer arrived: the connection was refused, broke, or timed out."""


class BadDelivery(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The gateway could not read the delivery (400, or 422): a header or the body is wrong."""


class SignatureRejected(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The signature is missing or does not match the body under the gateway's secret (401)."""


class BodyReadTimeout(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The body did not arrive in the gateway's read timeout (408); nothing was published.

    Usually a stalled connection or a declared ``Content-Length`` longer than the body sent;
    sending the same delivery again is safe.
    """


class DeliveryConflict(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The delivery id was already accepted with another event or body (409).

    GitHub's redeliveries resend the same body, which is answered 202 again; a different
    content under a used id is refused and nothing is published. Give it a new delivery id.
    """


class RouteNotFound(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The URL names no route of the gateway (404): the base URL is probably wrong."""


class PayloadTooLarge(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The body exceeds the gateway's size limit (413)."""


class UnsupportedMediaType(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The body is neither JSON nor a form-encoded ``payload`` (415)."""


class GatewayUnavailable(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """The gateway cannot take the request now, usually because Kafka is down (503).

    Nothing was published; sending the same delivery again later is safe.

    Attributes
    ----------
    retry_after
        Seconds the gateway asked to wait (its ``Retry-After`` header), when it said.
    """

    def __init__(
        self,
        request: GatewayRequest,
        status: int | None,
        detail: str,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(request, status, detail)


class UnexpectedResponse(GatewayError):  # noqa: N818 - named for the HTTP outcome
    """Any other answer: an unlisted status, or a success whose body is not the expected model."""


_ERROR_BY_STATUS: dict[int, type[GatewayError]] = {
    400: BadDelivery,
    401: SignatureRejected,
    404: RouteNotFound,
    408: BodyReadTimeout,
    409: DeliveryConflict,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: BadDelivery,
    503: GatewayUnavailable,
}


def _detail_of(response: GatewayResponse) -> str:
    """Read the gateway's ``detail``, falling back to the body text for non-JSON answers."""
    try:
        return ErrorBody.model_validate_json(response.body).detail
    except ValidationError:
        text = response.body.decode("utf-8", errors="replace").strip()
    if not text:
        return "(empty body)"
    with contextlib.suppress(ValueError):
        # A JSON body of another shape is still more readable re-serialised on one line.
        text = json.dumps(json.loads(text))
    if len(text) > _DETAIL_LIMIT:
        text = f"{text[:_DETAIL_LIMIT]}... ({len(response.body)} bytes)"
    return text


def _retry_after(response: GatewayResponse) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        # An HTTP-date is allowed too; the caller still gets the 503 without a delay hint.
        return None


def error_for_response(request: GatewayRequest, response: GatewayResponse) -> GatewayError:
    """Build the typed error for an error answer.

    Parameters
    ----------
    request
        The request that was sent.
    response
        The gateway's answer.

    Returns
    -------
    GatewayError
        The subclass for the status (:class:`UnexpectedResponse` for unlisted ones), carrying
        the gateway's ``detail``.
    """
    detail = _detail_of(response)
    error_class = _ERROR_BY_STATUS.get(response.status, UnexpectedResponse)
    if error_class is GatewayUnavailable:
        return GatewayUnavailable(
            request, response.status, detail, retry_after=_retry_after(response)
        )
    return error_class(request, response.status, detail)
