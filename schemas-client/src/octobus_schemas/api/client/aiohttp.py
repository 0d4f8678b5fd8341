"""The async gateway client on aiohttp; needs the ``aiohttp`` extra.

Install it with ``pip install 'octobus-schemas[aiohttp]'``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

try:
    import aiohttp
except ImportError as exc:  # pragma: no cover - exercised by the isolated-wheel test
    msg = (
        "octobus_schemas.api.client.aiohttp needs aiohttp: "
        "install it with pip install 'octobus-schemas[aiohttp]'"
    )
    raise ImportError(msg) from exc

from octobus_schemas.api.client._core import GatewayClient
from octobus_schemas.api.client._errors import GatewayConnectionError
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse

__all__ = ["AiohttpGatewayClient"]


class AiohttpGatewayClient(GatewayClient):
    """The async gateway client on an :class:`aiohttp.ClientSession`.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    session
        The session to send with; the caller keeps ownership of it. When omitted, one is
        created on first use and closed with this object.
    timeout
        Seconds to wait for each answer.
    """

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(base_url)
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def _session_for_sending(self) -> aiohttp.ClientSession:
        # A ClientSession must be created inside a running loop, so not in __init__.
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def _send(self, request: GatewayRequest) -> GatewayResponse:
        session = self._session_for_sending()
        try:
            async with session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body,
                timeout=self._timeout,
            ) as response:
                body = await response.read()
                return GatewayResponse(response.status, dict(response.headers), body)
        except (TimeoutError, aiohttp.ClientError) as exc:
            reason = str(exc) or "no answer within the timeout"
            detail = f"{type(exc).__name__}: {reason}"
            raise GatewayConnectionError(request, None, detail) from exc

    async def aclose(self) -> None:
        """Close the session if this object created it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
