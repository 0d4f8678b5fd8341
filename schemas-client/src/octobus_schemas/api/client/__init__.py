"""A sans-I/O client of the gateway's REST API, with httpx, aiohttp and mock transports.

:class:`GatewayClient` builds every request and parses every answer into the interface models
of :mod:`octobus_schemas.api` or a typed :class:`GatewayError`; a transport only sends bytes.
:class:`HttpxGatewayClient` (async) and :class:`SyncHttpxGatewayClient` come with the package;
``octobus_schemas.api.client.aiohttp.AiohttpGatewayClient`` needs the ``aiohttp`` extra.
"""

from octobus_schemas.api.client._core import GatewayClient, SyncGatewayClient
from octobus_schemas.api.client._errors import (
    BadDelivery,
    BodyReadTimeout,
    DeliveryConflict,
    GatewayConnectionError,
    GatewayError,
    GatewayUnavailable,
    PayloadTooLarge,
    RouteNotFound,
    SignatureRejected,
    UnexpectedResponse,
    UnsupportedMediaType,
)
from octobus_schemas.api.client._httpx import HttpxGatewayClient, SyncHttpxGatewayClient
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse
from octobus_schemas.api.client._mock import (
    MockAnswer,
    MockGatewayClient,
    MockScriptExhausted,
    SyncMockGatewayClient,
    no_answer,
)
from octobus_schemas.api.client._sansio import (
    ContentType,
    build_delivery,
    build_get,
    parse_answer,
    parse_delivery_answer,
)
from octobus_schemas.api.client._signing import sign_sha1, sign_sha256

__all__ = [
    "BadDelivery",
    "BodyReadTimeout",
    "ContentType",
    "DeliveryConflict",
    "GatewayClient",
    "GatewayConnectionError",
    "GatewayError",
    "GatewayRequest",
    "GatewayResponse",
    "GatewayUnavailable",
    "HttpxGatewayClient",
    "MockAnswer",
    "MockGatewayClient",
    "MockScriptExhausted",
    "PayloadTooLarge",
    "RouteNotFound",
    "SignatureRejected",
    "SyncGatewayClient",
    "SyncHttpxGatewayClient",
    "SyncMockGatewayClient",
    "UnexpectedResponse",
    "UnsupportedMediaType",
    "build_delivery",
    "build_get",
    "no_answer",
    "parse_answer",
    "parse_delivery_answer",
    "sign_sha1",
    "sign_sha256",
]
