"""The gateway client over httpx, async and sync."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import httpx

from octobus_schemas.api.client._core import GatewayClient, SyncGatewayClient
from octobus_schemas.api.client._errors import GatewayConnectionError
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse

__all__ = ["HttpxGatewayClient", "SyncHttpxGatewayClient"]


def _answer(response: httpx.Response) -> GatewayResponse:
    return GatewayResponse(response.status_code, dict(response.headers), response.content)


def _no_answer(request: GatewayRequest, exc: httpx.TransportError) -> GatewayConnectionError:
    reason = str(exc) or type(exc).__name__
    return GatewayConnectionError(request, None, f"{type(exc).__name__}: {reason}")


class HttpxGatewayClient(GatewayClient):
    """The async gateway client on an :class:`httpx.AsyncClient`.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    http_client
        The client to send with, for connection pooling, TLS settings or an in-process
        transport (``httpx.ASGITransport``); the caller keeps ownership of it. When omitted,
        one is created and closed with this object.
    timeout
        Seconds to wait for each answer, for a client created here.
    """

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(base_url)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

    async def _send(self, request: GatewayRequest) -> GatewayResponse:
        try:
            response = await self._http.request(
                request.method, request.url, headers=dict(request.headers), content=request.body
            )
        except httpx.TransportError as exc:
            raise _no_answer(request, exc) from exc
        return _answer(response)

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class SyncHttpxGatewayClient(SyncGatewayClient):
    """The blocking gateway client on an :class:`httpx.Client`.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    http_client
        The client to send with (Starlette's ``TestClient`` is one); the caller keeps
        ownership of it. When omitted, one is created and closed with this object.
    timeout
        Seconds to wait for each answer, for a client created here.
    """

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.Client | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(base_url)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def _send(self, request: GatewayRequest) -> GatewayResponse:
        try:
            response = self._http.request(
                request.method, request.url, headers=dict(request.headers), content=request.body
            )
        except httpx.TransportError as exc:
            raise _no_answer(request, exc) from exc
        return _answer(response)

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
