"""Turning the gateway's errors into HTTP answers with an `ErrorBody`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from octobus_schemas.api import ErrorBody

from octobus.errors import (
    BodyTimeoutError,
    BodyTooLargeError,
    ClientDisconnectedError,
    DeliveryConflictError,
    DeliveryHeaderError,
    PayloadError,
    PublishError,
    RecordTooLargeError,
    SignatureError,
    UnsupportedMediaTypeError,
    WebhookError,
)

__all__ = ["RETRY_AFTER_SECONDS", "install_error_handlers", "status_for"]

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
"""What a 503 tells the sender to wait before trying again."""

_STATUS: list[tuple[type[WebhookError], int]] = [
    (SignatureError, status.HTTP_401_UNAUTHORIZED),
    (BodyTooLargeError, status.HTTP_413_CONTENT_TOO_LARGE),
    (RecordTooLargeError, status.HTTP_413_CONTENT_TOO_LARGE),
    (BodyTimeoutError, status.HTTP_408_REQUEST_TIMEOUT),
    (DeliveryConflictError, status.HTTP_409_CONFLICT),
    (UnsupportedMediaTypeError, status.HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    (DeliveryHeaderError, status.HTTP_400_BAD_REQUEST),
    (PayloadError, status.HTTP_400_BAD_REQUEST),
    (ClientDisconnectedError, status.HTTP_400_BAD_REQUEST),
]

# A body that did not arrive in time may never arrive: the connection is closed rather
# than left waiting for it. (A 413 leaves it open: the server drains the rest, and a client
# still sending would otherwise see its upload reset instead of reading the answer.)
_CLOSE_AFTER = (BodyTimeoutError,)


def status_for(error: WebhookError) -> int:
    """Return the HTTP status for a refused delivery.

    Parameters
    ----------
    error
        Why the delivery was refused.

    Returns
    -------
    int
        401, 408, 409, 413, 415 or 400.
    """
    for kind, code in _STATUS:
        if isinstance(error, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def _answer(code: int, error: Exception, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        ErrorBody(detail=str(error)).model_dump(mode="json"), status_code=code, headers=headers
    )


async def _refused(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, WebhookError)
    code = status_for(error)
    headers = {"Connection": "close"} if isinstance(error, _CLOSE_AFTER) else None
    logger.info(
        "refused delivery %s (%s): %d %s",
        request.headers.get("x-github-delivery", "-"),
        request.headers.get("x-github-event", "-"),
        code,
        error,
    )
    return _answer(code, error, headers)


async def _unavailable(request: Request, error: Exception) -> JSONResponse:
    logger.warning(
        "answered 503 to delivery %s: %s", request.headers.get("x-github-delivery", "-"), error
    )
    return _answer(
        status.HTTP_503_SERVICE_UNAVAILABLE, error, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


async def _failed(request: Request, error: Exception) -> JSONResponse:
    # A bug of the gateway's, not the client's: still answered in JSON like every other
    # error. Starlette re-raises the error after this answer, so the server logs it with
    # its traceback.
    detail = f"the gateway failed on this request ({type(error).__name__}); the error is in its log"
    return JSONResponse(
        ErrorBody(detail=detail).model_dump(mode="json"),
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer the gateway's errors with their status codes and an `ErrorBody`.

    Any other exception is answered ``500`` with an `ErrorBody` too (and logged by the
    server with its traceback), so no answer of the gateway is plain text.

    Parameters
    ----------
    app
        The application.
    """
    app.add_exception_handler(WebhookError, _refused)
    app.add_exception_handler(PublishError, _unavailable)
    app.add_exception_handler(Exception, _failed)
