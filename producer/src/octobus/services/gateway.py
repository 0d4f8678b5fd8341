"""The gateway service: everything a running gateway holds, and what it does with a delivery.

One `Gateway` per application, built from `~octobus.config.Settings` and started by the
application's lifespan with `Gateway.running`: it registers the event schemas, makes sure
the topics exist and starts the Kafka producer, and stops them again in reverse order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from faststream.kafka import KafkaBroker
from octobus_schemas.api import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    DeliveryAccepted,
    DependencyStatus,
    Health,
    PingAnswer,
    TopicCatalog,
    TopicInfo,
)
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.errors import OctobusSchemasError, SchemaRegistryError
from octobus_schemas.topics import TopicSpec, all_topics

from octobus import __version__
from octobus.config import Settings
from octobus.domain import Delivery, PingPayload, parse_payload
from octobus.errors import PayloadError, PublishError, StartupError
from octobus.services.events import FALLBACK_HEADER, RoutedEvent, raw_fallbacks, route_event
from octobus.services.publisher import PRODUCER_HEADROOM_BYTES, EventPublisher, OutgoingRecord
from octobus.services.redelivery import DeliveredContent, RecentDeliveries
from octobus.services.schemas import register_event_schemas
from octobus.services.topics import ensure_topics

__all__ = ["Accepted", "Gateway"]

logger = logging.getLogger(__name__)

_READINESS_TIMEOUT = 2.0
"""Seconds each dependency has to answer a readiness check."""

# What a record that cannot be written raises: the codec's typed error, and (as of
# octobus-schemas 0.1.0) fastavro's own for an integer beyond Avro's long.
_UNWRITABLE = (OctobusSchemasError, OverflowError, ValueError, TypeError)


class Accepted:
    """What the gateway answered to a delivery.

    Parameters
    ----------
    answer
        The answer: where the event went, or the ping's echo.
    redelivery
        Whether this is a remembered answer to an earlier delivery with the same id (and
        nothing was published this time).
    """

    __slots__ = ("answer", "redelivery")

    def __init__(self, answer: DeliveryAccepted | PingAnswer, *, redelivery: bool) -> None:
        self.answer = answer
        self.redelivery = redelivery


class Gateway:
    """The running gateway: Kafka producer, schema registry, codec and topic catalog.

    Parameters
    ----------
    settings
        The gateway's settings.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secret_keys = settings.secret_keys
        self.specs: list[TopicSpec] = all_topics(settings.topic_prefix)
        self.broker = _make_broker(settings, self.specs)
        self._publisher = EventPublisher(
            self.broker,
            timeout=settings.publish_timeout,
            max_record_bytes=settings.max_request_bytes,
        )
        self._recent: RecentDeliveries[DeliveryAccepted] = RecentDeliveries(
            settings.redelivery_window
        )
        self._registry: SchemaRegistryClient | None = None
        self._codec: AvroCodec | None = None
        self._catalog: list[TopicInfo] = []

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Gateway]:
        """Start every dependency, yield the started gateway, and stop them all after.

        Yields
        ------
        Gateway
            This gateway, ready to accept deliveries.

        Raises
        ------
        StartupError
            If the Schema Registry or Kafka stays unreachable for the start-up timeout,
            or a schema is refused; the message says what was tried.
        """
        settings = self.settings
        async with AsyncExitStack() as stack:
            registry = await stack.enter_async_context(settings.schema_registry.make_client())
            codec = AvroCodec(
                registry,
                strategy=settings.subject_strategy,
                subject_suffix=settings.subject_suffix,
            )
            self._catalog = await register_event_schemas(
                codec,
                self.specs,
                compatibility=settings.compatibility,
                give_up_after=settings.startup_timeout,
            )
            await ensure_topics(
                settings.kafka,
                [spec.name for spec in self.specs],
                partitions=settings.topic_partitions,
                replication_factor=settings.topic_replication_factor,
                give_up_after=settings.startup_timeout,
            )
            try:
                await self.broker.start()
            except Exception as error:
                msg = f"could not start the Kafka producer: {error!r}"
                raise StartupError(msg) from error
            stack.push_async_callback(self.broker.stop)
            self._registry, self._codec = registry, codec
            logger.info(
                "gateway ready: %d topics, Kafka %s, Schema Registry %s",
                len(self.specs),
                ",".join(settings.kafka.validated.bootstrap_servers),
                registry.url,
            )
            try:
                yield self
            finally:
                self._registry = None
                self._codec = None

    async def accept(self, delivery: Delivery) -> Accepted:
        """Publish a delivery's event, unless it is a ping or a recent redelivery.

        Parameters
        ----------
        delivery
            The verified, parsed delivery.

        Returns
        -------
        Accepted
            The answer, sent only after Kafka acknowledged the event.

        Raises
        ------
        PayloadError
            If the payload's envelope fields do not have GitHub's shape.
        DeliveryConflictError
            If the delivery id was accepted recently with another event or body.
        RecordTooLargeError
            If the event record is larger than the producer's limit or the topic's.
        PublishError
            If Kafka (or the Schema Registry, for a schema not yet cached) did not answer
            in time; nothing was acknowledged.
        """
        if delivery.event == "ping":
            ping = parse_payload(PingPayload, delivery.payload)
            answer = PingAnswer(
                delivery_id=delivery.delivery_id,
                zen=ping.zen,
                hook_id=ping.hook_id if ping.hook_id is not None else delivery.hook_id,
            )
            return Accepted(answer, redelivery=False)
        content = DeliveredContent(delivery.event, delivery.body_digest)
        accepted, remembered = await self._recent.once(
            delivery.delivery_id, content, lambda: self._publish(delivery)
        )
        return Accepted(accepted, redelivery=remembered)

    async def _publish(self, delivery: Delivery) -> DeliveryAccepted:
        routed = route_event(delivery, topic_prefix=self.settings.topic_prefix)
        try:
            value = await self._encode(routed)
        except _UNWRITABLE as error:
            # A value the typed schema cannot hold: kept whole on the raw topic instead.
            candidates = raw_fallbacks(
                delivery, routed, reason=str(error), topic_prefix=self.settings.topic_prefix
            )
            routed, value = await self._encode_first(candidates, error)
        headers = {DELIVERY_HEADER: str(delivery.delivery_id), EVENT_HEADER: delivery.event}
        if routed.fallback_reason is not None:
            headers[FALLBACK_HEADER] = routed.fallback_reason
        ack = await self._publisher.publish(
            OutgoingRecord(
                topic=routed.spec.name,
                key=routed.key.encode("utf-8") if routed.key is not None else None,
                value=value,
                headers=headers,
            )
        )
        return DeliveryAccepted(
            delivery_id=delivery.delivery_id,
            event=delivery.event,
            topic=ack.topic,
            partition=ack.partition,
            offset=ack.offset,
        )

    async def _encode(self, routed: RoutedEvent) -> bytes:
        try:
            return await self._require_codec().encode(routed.record, topic=routed.spec.name)
        except SchemaRegistryError as error:
            msg = f"the Schema Registry did not give a schema id for {routed.spec.name}: {error}"
            raise PublishError(msg) from error

    async def _encode_first(
        self, candidates: Iterable[RoutedEvent], first_error: Exception
    ) -> tuple[RoutedEvent, bytes]:
        for candidate in candidates:
            try:
                return candidate, await self._encode(candidate)
            except _UNWRITABLE:
                continue
        msg = f"the delivery cannot be written in any event record: {first_error}"
        raise PayloadError(msg) from first_error

    def catalog(self) -> TopicCatalog:
        """Return every topic with its record, subject, schema id and version.

        Returns
        -------
        TopicCatalog
            The topics registered at start-up.
        """
        return TopicCatalog(topics=list(self._catalog))

    async def readiness(self) -> Health:
        """Check that Kafka and the Schema Registry answer now.

        Returns
        -------
        Health
            ``ok`` when both answered within the readiness timeout.
        """
        dependencies = {
            "kafka": await self._check(self._kafka_answers),
            "schema_registry": await self._check(self._registry_answers),
        }
        healthy = all(status.status == "ok" for status in dependencies.values())
        return Health(
            status="ok" if healthy else "unavailable",
            version=__version__,
            dependencies=dependencies,
        )

    async def _kafka_answers(self) -> None:
        if not await self.broker.ping(timeout=_READINESS_TIMEOUT):
            msg = f"no answer from Kafka within {_READINESS_TIMEOUT:g} s"
            raise PublishError(msg)

    async def _registry_answers(self) -> None:
        if self._registry is None:
            msg = "the gateway is not started"
            raise PublishError(msg)
        async with asyncio.timeout(_READINESS_TIMEOUT):
            await self._registry.get_compatibility()

    @staticmethod
    async def _check(probe: Any) -> DependencyStatus:
        started = time.perf_counter()
        try:
            await probe()
        except Exception as error:
            return DependencyStatus(status="unavailable", detail=str(error) or repr(error))
        elapsed_ms = (time.perf_counter() - started) * 1000
        return DependencyStatus(status="ok", latency_ms=round(elapsed_ms, 2))

    def _require_codec(self) -> AvroCodec:
        if self._codec is None:
            msg = "the gateway is not started: no Schema Registry codec"
            raise PublishError(msg)
        return self._codec


def _make_broker(settings: Settings, specs: list[TopicSpec]) -> KafkaBroker:
    broker = KafkaBroker(
        **settings.kafka.to_faststream_params(),
        acks="all",
        linger_ms=settings.linger_ms,
        max_batch_size=settings.batch_bytes,
        max_request_size=settings.max_request_bytes + PRODUCER_HEADROOM_BYTES,
        compression_type=settings.compression.aiokafka_name,
        client_id="octobus-gateway",
        description="The Octobus gateway: GitHub webhook deliveries as typed Avro events.",
    )
    for spec in specs:
        # Declared for the AsyncAPI document; records are sent through the broker.
        broker.publisher(
            spec.name,
            title=spec.name,
            description=_describe_topic(spec),
            schema=spec.model,
        )
    return broker


def _describe_topic(spec: TopicSpec) -> str:
    what = (
        f"Every `{spec.github_event}` delivery"
        if spec.github_event is not None
        else "Every delivery of an event type without a model of its own (whole payload as "
        "JSON text), and any delivery whose payload does not fit its typed model"
    )
    return (
        f"{what}, as a `{spec.model.get_fullname()}` record: Confluent-framed Avro "
        "(magic byte 0, 4-byte schema id, Avro body; schema in the Schema Registry). "
        f"Key: repository full name, else organization login, else sender login. "
        f"Headers: {DELIVERY_HEADER}, {EVENT_HEADER}."
    )
