"""The gateway client: every route, with the sending left to one method per transport.

:class:`GatewayClient` (async) and :class:`SyncGatewayClient` know the routes, build each
request and parse each answer; a subclass only implements ``_send``. That is kafkit's
``RegistryApi`` pattern: the protocol is written and tested once, and the same calling code runs
on httpx, aiohttp or :class:`~octobus_schemas.api.client.MockGatewayClient` unchanged.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from octobus_schemas.api._models import DeliveryAccepted, Health, PingAnswer, TopicCatalog
from octobus_schemas.api._routes import HEALTH_PATH, READY_PATH, TOPICS_PATH
from octobus_schemas.api.client._messages import GatewayRequest, GatewayResponse
from octobus_schemas.api.client._sansio import (
    ContentType,
    build_delivery,
    build_get,
    parse_answer,
    parse_delivery_answer,
)

__all__ = ["GatewayClient", "SyncGatewayClient"]

_READINESS_BODY_ON = frozenset({503})
"""Readiness answers 503 with a :class:`Health` naming the dependency that is down."""

DEFAULT_ZEN = "Keep it logically awesome."


def _refuse_ping(event: str) -> None:
    if event == "ping":
        # A ping is answered with a PingAnswer, not a DeliveryAccepted: one return type per
        # method keeps callers free of isinstance checks.
        msg = "deliver() does not send 'ping' events; use ping(), which returns a PingAnswer"
        raise ValueError(msg)


class _Routes:
    """What the sync and async clients share: the base URL and the request builders."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")

    @property
    def base_url(self) -> str:
        """The gateway's base URL, without a trailing slash."""
        return self._base_url

    def _delivery(
        self,
        event: str,
        payload: Mapping[str, Any] | bytes,
        secret: str | bytes | None,
        delivery_id: UUID | str | None,
        content_type: ContentType,
        hook_id: int | None,
    ) -> GatewayRequest:
        return build_delivery(
            self._base_url,
            event,
            payload,
            secret,
            delivery_id=delivery_id,
            content_type=content_type,
            hook_id=hook_id,
        )

    def _ping(
        self,
        secret: str | bytes | None,
        delivery_id: UUID | str | None,
        hook_id: int | None,
        zen: str,
    ) -> GatewayRequest:
        payload = {"zen": zen, "hook_id": hook_id}
        return self._delivery("ping", payload, secret, delivery_id, "json", hook_id)

    def _get(self, path: str) -> GatewayRequest:
        return build_get(self._base_url, path)


class GatewayClient(_Routes, ABC):
    """An async client of the gateway's REST API, independent of the HTTP library.

    Subclasses implement :meth:`_send`; use
    :class:`~octobus_schemas.api.client.HttpxGatewayClient`,
    :class:`~octobus_schemas.api.client.aiohttp.AiohttpGatewayClient` or
    :class:`~octobus_schemas.api.client.MockGatewayClient`.

    Parameters
    ----------
    base_url
        The gateway's base URL, such as ``https://octobus.example.com``.
    """

    @abstractmethod
    async def _send(self, request: GatewayRequest) -> GatewayResponse:
        """Send one request and return the answer, whatever its status.

        Raises
        ------
        GatewayConnectionError
            When no answer arrives.
        """

    async def deliver(
        self,
        event: str,
        payload: Mapping[str, Any] | bytes,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        content_type: ContentType = "json",
        hook_id: int | None = None,
    ) -> DeliveryAccepted:
        """Deliver one webhook event, signed exactly as GitHub signs it.

        Parameters
        ----------
        event
            The GitHub event name, such as ``"push"``.
        payload
            The payload as a JSON-compatible mapping, or the exact body bytes to replay.
        secret
            The webhook secret, or ``None`` to send the delivery unsigned.
        delivery_id
            The delivery id; a new UUID when omitted. Reuse the original id on a redelivery.
        content_type
            ``"json"`` or ``"form"``, as configured on a GitHub webhook.
        hook_id
            The webhook id, sent as ``X-GitHub-Hook-ID`` when given.

        Returns
        -------
        DeliveryAccepted
            Where the broker stored the event.

        Raises
        ------
        ValueError
            For ``event="ping"``; use :meth:`ping`.
        GatewayError
            The subclass for the refusal: :class:`SignatureRejected`, :class:`BadDelivery`,
            :class:`PayloadTooLarge`, :class:`GatewayUnavailable`, ...
        """
        _refuse_ping(event)
        request = self._delivery(event, payload, secret, delivery_id, content_type, hook_id)
        return parse_answer(request, await self._send(request), DeliveryAccepted)

    async def replay(
        self,
        event: str,
        payload: Mapping[str, Any] | bytes,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        content_type: ContentType = "json",
        hook_id: int | None = None,
    ) -> DeliveryAccepted | PingAnswer:
        """Deliver a recorded delivery of any event, ``ping`` included.

        For tools that resend what GitHub sent (``octobus replay``) and so cannot know the
        event in advance; code that sends one known event should call :meth:`deliver` or
        :meth:`ping`, whose answers need no narrowing. The parameters are :meth:`deliver`'s.

        Parameters
        ----------
        event
            The GitHub event name.
        payload
            The payload mapping, or the exact recorded body bytes.
        secret
            The webhook secret, or ``None``.
        delivery_id
            The original delivery id, so the gateway recognises a redelivery.
        content_type
            ``"json"`` or ``"form"``.
        hook_id
            The webhook id, when given.

        Returns
        -------
        DeliveryAccepted or PingAnswer
            :class:`PingAnswer` for a ping, else where the broker stored the event.
        """
        request = self._delivery(event, payload, secret, delivery_id, content_type, hook_id)
        return parse_delivery_answer(request, await self._send(request))

    async def ping(
        self,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        hook_id: int | None = None,
        zen: str = DEFAULT_ZEN,
    ) -> PingAnswer:
        """Send GitHub's ``ping`` event, as GitHub does when a webhook is created.

        Parameters
        ----------
        secret
            The webhook secret, or ``None`` to send it unsigned.
        delivery_id
            The delivery id; a new UUID when omitted.
        hook_id
            The webhook id the ping names.
        zen
            The zen line the ping carries.

        Returns
        -------
        PingAnswer
            The gateway's answer; nothing is published for a ping.
        """
        request = self._ping(secret, delivery_id, hook_id, zen)
        return parse_answer(request, await self._send(request), PingAnswer)

    async def topics(self) -> TopicCatalog:
        """Fetch the gateway's topic catalog.

        Returns
        -------
        TopicCatalog
            Every topic the gateway publishes to, with its record, subject and schema id.
        """
        request = self._get(TOPICS_PATH)
        return parse_answer(request, await self._send(request), TopicCatalog)

    async def health(self) -> Health:
        """Ask whether the gateway is alive (liveness).

        Returns
        -------
        Health
            ``status="ok"`` with no dependencies while the process serves HTTP.
        """
        request = self._get(HEALTH_PATH)
        return parse_answer(request, await self._send(request), Health)

    async def ready(self) -> Health:
        """Ask whether the gateway can take deliveries (readiness).

        Returns
        -------
        Health
            The state of each dependency. A gateway that is not ready answers 503 with this
            body, which is returned rather than raised: check :attr:`Health.ok`.
        """
        request = self._get(READY_PATH)
        response = await self._send(request)
        return parse_answer(request, response, Health, also_on=_READINESS_BODY_ON)


class SyncGatewayClient(_Routes, ABC):
    """A blocking client of the gateway's REST API; the twin of :class:`GatewayClient`.

    Subclasses implement :meth:`_send`; use
    :class:`~octobus_schemas.api.client.SyncHttpxGatewayClient` or
    :class:`~octobus_schemas.api.client.SyncMockGatewayClient`.

    Parameters
    ----------
    base_url
        The gateway's base URL.
    """

    @abstractmethod
    def _send(self, request: GatewayRequest) -> GatewayResponse:
        """Send one request and return the answer, whatever its status.

        Raises
        ------
        GatewayConnectionError
            When no answer arrives.
        """

    def deliver(
        self,
        event: str,
        payload: Mapping[str, Any] | bytes,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        content_type: ContentType = "json",
        hook_id: int | None = None,
    ) -> DeliveryAccepted:
        """Deliver one webhook event; see :meth:`GatewayClient.deliver`.

        Parameters
        ----------
        event
            The GitHub event name.
        payload
            The payload mapping, or the exact body bytes to replay.
        secret
            The webhook secret, or ``None``.
        delivery_id
            The delivery id; a new UUID when omitted.
        content_type
            ``"json"`` or ``"form"``.
        hook_id
            The webhook id, when given.

        Returns
        -------
        DeliveryAccepted
            Where the broker stored the event.
        """
        _refuse_ping(event)
        request = self._delivery(event, payload, secret, delivery_id, content_type, hook_id)
        return parse_answer(request, self._send(request), DeliveryAccepted)

    def replay(
        self,
        event: str,
        payload: Mapping[str, Any] | bytes,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        content_type: ContentType = "json",
        hook_id: int | None = None,
    ) -> DeliveryAccepted | PingAnswer:
        """Deliver a recorded delivery of any event, ``ping`` included.

        For tools that resend what GitHub sent (``octobus replay``) and so cannot know the
        event in advance; code that sends one known event should call :meth:`deliver` or
        :meth:`ping`, whose answers need no narrowing. The parameters are :meth:`deliver`'s.

        Parameters
        ----------
        event
            The GitHub event name.
        payload
            The payload mapping, or the exact recorded body bytes.
        secret
            The webhook secret, or ``None``.
        delivery_id
            The original delivery id, so the gateway recognises a redelivery.
        content_type
            ``"json"`` or ``"form"``.
        hook_id
            The webhook id, when given.

        Returns
        -------
        DeliveryAccepted or PingAnswer
            :class:`PingAnswer` for a ping, else where the broker stored the event.
        """
        request = self._delivery(event, payload, secret, delivery_id, content_type, hook_id)
        return parse_delivery_answer(request, self._send(request))

    def ping(
        self,
        secret: str | bytes | None,
        *,
        delivery_id: UUID | str | None = None,
        hook_id: int | None = None,
        zen: str = DEFAULT_ZEN,
    ) -> PingAnswer:
        """Send GitHub's ``ping`` event; see :meth:`GatewayClient.ping`.

        Parameters
        ----------
        secret
            The webhook secret, or ``None``.
        delivery_id
            The delivery id; a new UUID when omitted.
        hook_id
            The webhook id the ping names.
        zen
            The zen line the ping carries.

        Returns
        -------
        PingAnswer
            The gateway's answer.
        """
        request = self._ping(secret, delivery_id, hook_id, zen)
        return parse_answer(request, self._send(request), PingAnswer)

    def topics(self) -> TopicCatalog:
        """Fetch the gateway's topic catalog; see :meth:`GatewayClient.topics`.

        Returns
        -------
        TopicCatalog
            Every topic the gateway publishes to.
        """
        request = self._get(TOPICS_PATH)
        return parse_answer(request, self._send(request), TopicCatalog)

    def health(self) -> Health:
        """Ask whether the gateway is alive; see :meth:`GatewayClient.health`.

        Returns
        -------
        Health
            Liveness.
        """
        request = self._get(HEALTH_PATH)
        return parse_answer(request, self._send(request), Health)

    def ready(self) -> Health:
        """Ask whether the gateway can take deliveries; see :meth:`GatewayClient.ready`.

        Returns
        -------
        Health
            Readiness, returned for a 503 too.
        """
        request = self._get(READY_PATH)
        return parse_answer(request, self._send(request), Health, also_on=_READINESS_BODY_ON)
