"""Reading a request body up to a limit and within a time, without reading more than the limit."""

from __future__ import annotations

import asyncio
import re

from fastapi import Request
from starlette.requests import ClientDisconnect

from octobus.errors import (
    BodyTimeoutError,
    BodyTooLargeError,
    ClientDisconnectedError,
    PayloadError,
)

__all__ = ["read_limited_body"]

# ASCII digits only: str.isdigit() also takes '²', which int() then refuses.
_DECIMAL = re.compile(r"[0-9]+")
# More digits than this cannot be a size anyone sends, and int() of a few thousand
# digits raises; such a header is over any limit without being converted.
_MAX_SIZE_DIGITS = 18


async def read_limited_body(request: Request, limit: int, *, time_limit: float = 30.0) -> bytes:
    """Read the whole body, refusing it as soon as it is known to be over ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before a byte is read; a
    body without one (chunked) is refused at the first chunk that crosses the limit.

    Parameters
    ----------
    request
        The request.
    limit
        The largest body accepted, in bytes.
    time_limit
        Seconds the whole body has to arrive in.

    Returns
    -------
    bytes
        The body.

    Raises
    ------
    BodyTooLargeError
        If the body is over the limit.
    BodyTimeoutError
        If the body did not arrive in full within ``time_limit``.
    ClientDisconnectedError
        If the client disconnected before the end of the body.
    PayloadError
        If ``Content-Length`` is not a number.
    """
    header = request.headers.get("content-length")
    declared: int | None = None
    if header is not None:
        digits = header.strip()
        if _DECIMAL.fullmatch(digits) is None:
            msg = f"Content-Length header {header[:40]!r} is not a number of bytes"
            raise PayloadError(msg)
        if len(digits.lstrip("0")) > _MAX_SIZE_DIGITS:
            raise BodyTooLargeError(limit)
        declared = int(digits)
        if declared > limit:
            raise BodyTooLargeError(limit, declared)
    body = bytearray()
    try:
        async with asyncio.timeout(time_limit):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyTooLargeError(limit)
    except TimeoutError:
        raise BodyTimeoutError(time_limit, len(body), declared) from None
    except ClientDisconnect:
        raise ClientDisconnectedError(len(body), declared) from None
    return bytes(body)
