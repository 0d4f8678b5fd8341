"""The FastStream application: one consumer group, one typed handler per event class.

Nothing is built at import time: `create_app` (for ``faststream run --factory``) and
`run_consumer` (for the command line and for tests) build the broker, the Schema
Registry client and the dead-letter producer from a `ConsumerSettings`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from faststream import FastStream
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from octobus_schemas.avro import AvroCodec, ModelCatalog
from octobus_schemas.faststream import ConfluentAvroCodec
from octobus_schemas.topics import all_topics

from octobus_consumer_example.config import ConsumerSettings
from octobus_consumer_example.deadletter import DeadLetterPublisher
from octobus_consumer_example.handlers import EventHandlers
from octobus_consumer_example.processing import ProcessingStats, ReliableProcessing

__all__ = ["Consumer", "build_consumer", "create_app", "run_consumer"]

logger = logging.getLogger("octobus_consumer_example")

CLIENT_ID = "octobus-consumer-example"

# Long enough for a handler in its last backoff to finish; after that the message in
# hand is abandoned uncommitted and read again by the next consumer.
GRACEFUL_TIMEOUT_SECONDS = 15.0


class Consumer:
    """A built consumer: the FastStream app, its broker and its processing statistics.

    Parameters
    ----------
    app
        The FastStream application (``faststream run`` can run it too).
    broker
        Its Kafka broker, with the one subscriber.
    processing
        The at-least-once middleware, which counts what was settled.
    stop_requested
        Set to stop `run`; also set when ``max_messages`` is reached.
    """

    def __init__(
        self,
        app: FastStream,
        broker: KafkaBroker,
        processing: ReliableProcessing,
        stop_requested: asyncio.Event,
    ) -> None:
        self.app = app
        self.broker = broker
        self.processing = processing
        self._stop_requested = stop_requested

    @property
    def stats(self) -> ProcessingStats:
        """What has been processed and dead-lettered so far."""
        return self.processing.stats

    def stop(self) -> None:
        """Ask the consumer to stop; `run` returns once the message in hand is settled."""
        self._stop_requested.set()
        self.app.exit()

    async def run(self, *, handle_signals: bool = True) -> ProcessingStats:
        """Consume until `stop` is called, a signal arrives or ``max_messages`` is reached.

        Parameters
        ----------
        handle_signals
            Stop on SIGINT and SIGTERM (turn off when something else owns the signals).

        Returns
        -------
        ProcessingStats
            What was processed and dead-lettered.
        """
        loop = asyncio.get_running_loop()
        signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
        for signal_number in signals:
            loop.add_signal_handler(signal_number, self.stop)
        try:
            try:
                await self.app.start()
                await self._stop_requested.wait()
            finally:
                # Also after a failed start: whatever did open is closed again.
                await self.app.stop()
        finally:
            for signal_number in signals:
                loop.remove_signal_handler(signal_number)
        return self.stats


def build_consumer(
    settings: ConsumerSettings | None = None,
    *,
    handlers: EventHandlers | None = None,
    max_messages: int | None = None,
    from_beginning: bool = False,
    catalog: ModelCatalog | None = None,
    dead_letters: DeadLetterPublisher | None = None,
) -> Consumer:
    """Build the consumer: broker, subscriber, handlers, codec and dead-letter producer.

    Parameters
    ----------
    settings
        Where Kafka and the registry are, the group, the topic prefix, the retry policy;
        read from the environment when None.
    handlers
        One handler per event class; the printing ones (`EventHandlers`) when None.
    max_messages
        Stop after this many messages were processed or dead-lettered (None: never).
    from_beginning
        With no committed offset for the group yet, start at the oldest message instead
        of the newest. Committed offsets always win.
    catalog
        The models messages decode into, by record full name; every model of the
        installed octobus-schemas when None. A consumer pinned to other model versions
        passes its own (the handlers' parameter types must match).
    dead_letters
        Where undeliverable messages go; a `DeadLetterPublisher` on the same Kafka
        connection when None. The consumer starts and stops it.

    Returns
    -------
    Consumer
        Not started; call `Consumer.run`.
    """
    settings = settings if settings is not None else ConsumerSettings()
    handlers = handlers if handlers is not None else EventHandlers()
    resources = AsyncExitStack()
    registry = settings.schema_registry.make_client()
    codec = ConfluentAvroCodec(AvroCodec(registry, catalog=catalog))
    publisher = dead_letters or DeadLetterPublisher(
        settings.kafka, group_id=settings.consumer_group_id, client_id=f"{CLIENT_ID}-dlq"
    )
    stop_requested = asyncio.Event()

    def on_limit() -> None:
        stop_requested.set()
        app.exit()

    processing = ReliableProcessing(
        retry=settings.retry_policy(),
        dead_letters=publisher,
        max_messages=max_messages,
        on_limit=on_limit,
    )
    broker = KafkaBroker(
        **settings.kafka.to_faststream_params(),
        client_id=CLIENT_ID,
        middlewares=[processing],
        graceful_timeout=GRACEFUL_TIMEOUT_SECONDS,
        # FastStream's own logger writes to standard output, which belongs to the
        # summaries; ours goes wherever logging is configured (stderr for the CLI).
        logger=logger,
        # One line per message at INFO would drown everything else; DEBUG shows them.
        log_level=logging.DEBUG,
    )
    specs = all_topics(settings.topic_prefix)
    session_timeout_ms = settings.consumer_session_timeout_ms
    subscriber = broker.subscriber(
        *(spec.name for spec in specs),
        group_id=settings.consumer_group_id,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest" if from_beginning else "latest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(session_timeout_ms // 3, 1),
        codec=codec,
    )
    for spec in specs:
        subscriber(handlers.for_model(spec.model), filter=_topic_is(spec.name))

    async def open_resources() -> None:
        await resources.enter_async_context(registry)
        await publisher.start()
        resources.push_async_callback(publisher.stop)

    async def close_resources() -> None:
        await resources.aclose()

    app = FastStream(
        broker, logger=logger, on_startup=[open_resources], after_shutdown=[close_resources]
    )
    return Consumer(app, broker, processing, stop_requested)


def create_app(
    settings: ConsumerSettings | None = None,
    *,
    handlers: EventHandlers | None = None,
    max_messages: int | None = None,
    from_beginning: bool = False,
    catalog: ModelCatalog | None = None,
) -> FastStream:
    """Build the FastStream application (``faststream run module:create_app --factory``).

    Parameters
    ----------
    settings, handlers, max_messages, from_beginning, catalog
        As for `build_consumer`.

    Returns
    -------
    faststream.FastStream
        The application, not started.
    """
    return build_consumer(
        settings,
        handlers=handlers,
        max_messages=max_messages,
        from_beginning=from_beginning,
        catalog=catalog,
    ).app


async def run_consumer(
    settings: ConsumerSettings | None = None,
    *,
    handlers: EventHandlers | None = None,
    max_messages: int | None = None,
    from_beginning: bool = False,
    catalog: ModelCatalog | None = None,
    handle_signals: bool = True,
) -> ProcessingStats:
    """Build the consumer and run it until it is stopped.

    Parameters
    ----------
    settings, handlers, max_messages, from_beginning, catalog
        As for `build_consumer`.
    handle_signals
        Stop on SIGINT and SIGTERM.

    Returns
    -------
    ProcessingStats
        What was processed and dead-lettered.
    """
    consumer = build_consumer(
        settings,
        handlers=handlers,
        max_messages=max_messages,
        from_beginning=from_beginning,
        catalog=catalog,
    )
    return await consumer.run(handle_signals=handle_signals)


def _topic_is(topic: str) -> Callable[[Any], Awaitable[bool]]:
    async def matches(message: Any) -> bool:
        return bool(message.raw_message.topic == topic)

    return matches
