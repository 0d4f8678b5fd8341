"""Reading a request body up to a limit, without reading more than the limit."""

from __future__ import annotations

from fastapi import Request

from octobus.errors import BodyTooLargeError, PayloadError

__all__ = ["read_limited_body"]


async def read_limited_body(request: Request, limit: int) -> bytes:
    """Read the whole body, refusing it as soon as it is known to be over ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before a byte is read; a
    body without one (chunked) is refused at the first chunk that crosses the limit.

    Parameters
    ----------
    request
        The request.
    limit
        The largest body accepted, in bytes.

    Returns
    -------
    bytes
        The body.

    Raises
    ------
    BodyTooLargeError
        If the body is over the limit.
    PayloadError
        If ``Content-Length`` is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            msg = f"Content-Length header {declared[:40]!r} is not a number of bytes"
            raise PayloadError(msg)
        size = int(declared)
        if size > limit:
            raise BodyTooLargeError(limit, size)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLargeError(limit)
    return bytes(body)
