"""One HTTP exchange with the gateway, as plain data: what sans-I/O code builds and parses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel

__all__ = ["GatewayRequest", "GatewayResponse"]


def _lowercase_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@dataclass(frozen=True)
class GatewayRequest:
    """A request to the gateway, complete down to the body bytes.

    Attributes
    ----------
    method
        The HTTP method.
    url
        The absolute URL.
    headers
        The headers to send, in the case they are sent in.
    body
        The exact body bytes; a webhook signature covers exactly these.
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return one header's value, looked up case-insensitively.

        Parameters
        ----------
        name
            The header name, in any case.

        Returns
        -------
        str or None
            The value, or ``None`` when the request has no such header.
        """
        return _lowercase_keys(self.headers).get(name.lower())

    def payload(self) -> Any:
        """Decode the webhook payload the body carries, whichever encoding it was sent in.

        Returns
        -------
        Any
            The JSON document, read from the body itself (``application/json``) or from its
            ``payload`` form field (``application/x-www-form-urlencoded``).

        Raises
        ------
        ValueError
            If the body is neither, naming the content type.
        """
        content_type = (self.header("Content-Type") or "").split(";")[0].strip()
        if content_type == "application/json":
            return json.loads(self.body)
        if content_type == "application/x-www-form-urlencoded":
            fields = parse_qs(self.body.decode("utf-8"), strict_parsing=True)
            return json.loads(fields["payload"][0])
        msg = f"request body has content type {content_type!r}, not a webhook payload encoding"
        raise ValueError(msg)


@dataclass(frozen=True)
class GatewayResponse:
    """The gateway's answer, as the transport received it.

    Attributes
    ----------
    status
        The HTTP status code.
    headers
        The response headers; names are stored lower-cased so lookups ignore case.
    body
        The body bytes.
    """

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def __post_init__(self) -> None:
        # HTTP header names are case-insensitive; storing them one way keeps lookups simple.
        object.__setattr__(self, "headers", _lowercase_keys(self.headers))

    @classmethod
    def of(
        cls,
        status: int,
        body: BaseModel | Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> GatewayResponse:
        """Build a JSON answer, as the gateway sends it; handy for scripting a mock.

        Parameters
        ----------
        status
            The HTTP status code.
        body
            An interface model (such as :class:`~octobus_schemas.api.DeliveryAccepted`) or a
            JSON-compatible mapping.
        headers
            Extra headers, such as ``Retry-After``.

        Returns
        -------
        GatewayResponse
            The answer, with ``Content-Type: application/json``.
        """
        if isinstance(body, BaseModel):
            encoded = body.model_dump_json().encode()
        else:
            encoded = json.dumps(body).encode()
        return cls(status, {"content-type": "application/json", **(headers or {})}, encoded)
