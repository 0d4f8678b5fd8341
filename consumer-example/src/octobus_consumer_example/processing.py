"""At-least-once processing: commit after success or dead-lettering, retry with backoff.

`ReliableProcessing` is a FastStream broker middleware. The subscriber runs with
``AckPolicy.MANUAL``, so FastStream commits nothing on its own; for every message this
middleware

1. decodes it eagerly (FastStream caches the result for the handler). A message that
   cannot be decoded (`PERMANENT_ERRORS`) goes straight to its dead-letter topic, since no
   retry can fix its bytes; a registry that cannot be reached (`TRANSIENT_ERRORS`) is
   waited for with growing pauses, because the message is not at fault (every few tries
   the partition is rewound to the message, so the consumer keeps polling and keeps its
   place in the group); any other exception is retried with the handler's backoff and the
   message dead-lettered after the last attempt;
2. calls the handler, retrying a failure with exponential backoff (`RetryPolicy`), and
   dead-letters the message when the last attempt fails;
3. commits the message's offset only after the handler succeeded or the dead-letter copy
   was acknowledged by the broker. When even the dead-letter topic cannot be written, it
   rewinds the partition to the message instead, so nothing after it is committed and
   nothing is lost.

Whatever else goes wrong while a message is in hand, the partition is rewound to it: an
exception never lets the next message's commit skip one that was neither handled nor
dead-lettered.

Messages are processed one at a time, in offset order per partition, so committing a
message's own offset + 1 never skips one that is still in flight.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pydantic
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from faststream import BaseMiddleware
from octobus_schemas.errors import (
    AvroDecodeError,
    IncompatibleSchemaError,
    InvalidSchemaError,
    RecordValidationError,
    SchemaNotFoundError,
    SchemaRegistryError,
    UnknownRecordError,
    WireFormatError,
)

from octobus_consumer_example.errors import DeadLetterError, TombstoneError

if TYPE_CHECKING:
    from types import TracebackType

    from aiokafka import AIOKafkaConsumer, ConsumerRecord
    from faststream._internal.basic_types import AsyncFuncAny
    from faststream._internal.context.repository import ContextRepo
    from faststream.message import StreamMessage

    from octobus_consumer_example.deadletter import DeadLetterPublisher
    from octobus_consumer_example.retry import RetryPolicy

__all__ = ["PERMANENT_ERRORS", "TRANSIENT_ERRORS", "ProcessingStats", "ReliableProcessing"]

logger = logging.getLogger("octobus_consumer_example")

PERMANENT_ERRORS: tuple[type[Exception], ...] = (
    # Every way octobus-schemas can refuse a message's content. Only SchemaRegistryError
    # (the registry unreachable or failing) is about the infrastructure, not the message.
    WireFormatError,  # not Confluent-framed Avro: wrong magic byte, too short, empty
    SchemaNotFoundError,  # the schema id in the header names no schema
    AvroDecodeError,  # truncated or corrupt body, stray bytes after it
    UnknownRecordError,  # the writer's record is not in the catalog
    IncompatibleSchemaError,  # the writer's record cannot be resolved into the model
    InvalidSchemaError,  # the writer's schema is not an Avro record (or not Avro at all)
    RecordValidationError,  # the decoded record does not validate into the model
    TombstoneError,
    # The decoded event does not fit the handler's parameter (a pull request on the push
    # topic, say): validation gives the same answer on every attempt.
    pydantic.ValidationError,
)
"""Errors no retry can fix: the message is dead-lettered at the first one."""

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (SchemaRegistryError,)
"""Errors of the infrastructure, not the message: waited out, never dead-lettered."""


@dataclass(slots=True)
class ProcessingStats:
    """What a consumer has settled so far.

    Parameters
    ----------
    processed
        Messages whose handler succeeded (and whose offsets were committed).
    dead_lettered
        Messages written to a dead-letter topic (and whose offsets were committed).
    """

    processed: int = 0
    dead_lettered: int = 0

    @property
    def settled(self) -> int:
        """Messages that are done with, one way or the other."""
        return self.processed + self.dead_lettered


class ReliableProcessing:
    """The middleware factory to pass to ``KafkaBroker(middlewares=[...])``.

    Parameters
    ----------
    retry
        How often and how patiently a failing handler is retried.
    dead_letters
        Where undeliverable messages go.
    max_messages
        Stop settling messages after this many (None: never); ``on_limit`` is called
        once when the limit is reached. Messages read after that are left uncommitted
        for the next consumer in the group.
    on_limit
        Called when ``max_messages`` messages have been settled.
    """

    def __init__(
        self,
        *,
        retry: RetryPolicy,
        dead_letters: DeadLetterPublisher,
        max_messages: int | None = None,
        on_limit: Callable[[], None] | None = None,
    ) -> None:
        if max_messages is not None and max_messages < 1:
            msg = f"max_messages must be at least 1, got {max_messages}"
            raise ValueError(msg)
        self.retry = retry
        self.dead_letters = dead_letters
        self.max_messages = max_messages
        self.on_limit = on_limit
        self.stats = ProcessingStats()
        # Tries per message while the registry is unreachable, kept across rewinds.
        self._unavailable: dict[tuple[str, int, int], int] = {}

    @property
    def limit_reached(self) -> bool:
        """Whether ``max_messages`` messages have been settled."""
        return self.max_messages is not None and self.stats.settled >= self.max_messages

    def __call__(self, msg: Any, /, *, context: ContextRepo) -> _MessageScope:
        """Build the middleware for one message (FastStream's middleware protocol).

        Parameters
        ----------
        msg
            The raw aiokafka record.
        context
            FastStream's context repository.

        Returns
        -------
        BaseMiddleware
            The per-message middleware.
        """
        return _MessageScope(msg, context=context, owner=self)

    def _settled(self, *, dead_lettered: bool) -> None:
        if dead_lettered:
            self.stats.dead_lettered += 1
        else:
            self.stats.processed += 1
        if self.max_messages is not None and self.stats.settled == self.max_messages:
            logger.info("settled %d messages, stopping", self.stats.settled)
            if self.on_limit is not None:
                self.on_limit()


class _MessageScope(BaseMiddleware):
    """One message's way through decoding, the handler, the commit or the DLQ."""

    def __init__(self, msg: Any, /, *, context: ContextRepo, owner: ReliableProcessing) -> None:
        super().__init__(msg, context=context)
        self._owner = owner
        self._reached_handler = False

    async def consume_scope(self, call_next: AsyncFuncAny, msg: StreamMessage[Any]) -> Any:
        self._reached_handler = True
        record: ConsumerRecord[Any, Any] = msg.raw_message
        consumer: AIOKafkaConsumer = getattr(msg, "consumer", None) or self._consumer()
        if self._owner.limit_reached:
            # Left for the next run: not processed, not committed.
            _rewind(consumer, record)
            return None
        try:
            if not await self._decode(consumer, record, msg):
                return None
            return await self._handle(consumer, record, msg, call_next)
        except Exception:
            # A fault outside the message and its handler (committing, say). Committing the
            # next message would skip this one: read it again instead, after a pause, so a
            # fault that persists shows as a stall rather than a loss or a busy loop.
            delay = self._owner.retry.max_backoff
            logger.exception("unexpected failure on %s; rewinding to it", _where(record))
            _rewind(consumer, record)
            await asyncio.sleep(delay)
            return None
        except BaseException:
            # Cancelled (a shutdown) or interrupted mid-message: leave it to be read again.
            _rewind(consumer, record)
            raise

    async def _decode(
        self, consumer: AIOKafkaConsumer, record: ConsumerRecord[Any, Any], msg: StreamMessage[Any]
    ) -> bool:
        """Decode the message (FastStream caches it for the handler); False if set aside."""
        owner = self._owner
        failures = 0
        while True:
            try:
                if await msg.decode() is None:
                    raise TombstoneError(
                        topic=record.topic, partition=record.partition, offset=record.offset
                    )
            except PERMANENT_ERRORS as error:
                owner._unavailable.pop(_position(record), None)
                await self._dead_letter(consumer, record, error, attempts=0)
                return False
            except TRANSIENT_ERRORS as error:
                # Counted per message across rewinds, so the wait keeps growing (to its
                # cap) however long the outage lasts.
                waits = owner._unavailable[_position(record)] = (
                    owner._unavailable.get(_position(record), 0) + 1
                )
                delay = owner.retry.delay_after(waits)
                logger.warning(
                    "cannot decode %s yet (try %d), waiting %.2fs: %s",
                    _where(record),
                    waits,
                    delay,
                    error,
                )
                await asyncio.sleep(delay)
                if waits % owner.retry.max_attempts == 0:
                    # Hand the partition back to the fetch loop now and then: the consumer
                    # keeps polling (and so keeps its group membership) during a long outage.
                    _rewind(consumer, record)
                    return False
                continue
            except Exception as error:
                # Not a failure the client package names: maybe passing (a bug in a custom
                # model's validator that depends on the clock, say), maybe not. Retried like
                # a failing handler, then set aside; FastStream does not cache the failure.
                owner._unavailable.pop(_position(record), None)
                failures += 1
                if failures >= owner.retry.max_attempts:
                    await self._dead_letter(consumer, record, error, attempts=0)
                    return False
                delay = owner.retry.delay_after(failures)
                logger.warning(
                    "unexpected error decoding %s (try %d of %d), retrying in %.2fs: %r",
                    _where(record),
                    failures,
                    owner.retry.max_attempts,
                    delay,
                    error,
                )
                await asyncio.sleep(delay)
                continue
            owner._unavailable.pop(_position(record), None)
            return True

    async def _handle(
        self,
        consumer: AIOKafkaConsumer,
        record: ConsumerRecord[Any, Any],
        msg: StreamMessage[Any],
        call_next: AsyncFuncAny,
    ) -> Any:
        """Call the handler, retrying with backoff; commit or dead-letter the message."""
        retry = self._owner.retry
        for attempt in range(1, retry.max_attempts + 1):
            try:
                result = await call_next(msg)
            except PERMANENT_ERRORS as error:
                await self._dead_letter(consumer, record, error, attempts=attempt)
                return None
            except Exception as error:
                if attempt == retry.max_attempts:
                    await self._dead_letter(consumer, record, error, attempts=attempt)
                    return None
                delay = retry.delay_after(attempt)
                logger.warning(
                    "handler failed on %s (attempt %d of %d), retrying in %.2fs: %r",
                    _where(record),
                    attempt,
                    retry.max_attempts,
                    delay,
                    error,
                )
                await asyncio.sleep(delay)
            else:
                await _commit(consumer, record)
                self._owner._settled(dead_lettered=False)
                return result
        return None  # pragma: no cover - the loop always returns (max_attempts >= 1)

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool:
        if exc_val is None or self._reached_handler or not isinstance(exc_val, Exception):
            return False
        # FastStream failed before any handler ran: the record could not even be parsed
        # (a header that is not UTF-8, say). Set it aside like any undecodable message
        # rather than let the next commit skip it silently.
        record: ConsumerRecord[Any, Any] = self.msg
        consumer = self._consumer()
        if self._owner.limit_reached:
            _rewind(consumer, record)
        else:
            await self._dead_letter(consumer, record, exc_val, attempts=0)
        return True

    def _consumer(self) -> AIOKafkaConsumer:
        subscriber = self.context.get_local("handler_")
        consumer: AIOKafkaConsumer | None = getattr(subscriber, "consumer", None)
        if consumer is None:  # pragma: no cover - FastStream always sets its subscriber
            msg = "no Kafka consumer in FastStream's context"
            raise RuntimeError(msg)
        return consumer

    async def _dead_letter(
        self,
        consumer: AIOKafkaConsumer,
        record: ConsumerRecord[Any, Any],
        error: BaseException,
        *,
        attempts: int,
    ) -> None:
        owner = self._owner
        try:
            letter = await owner.dead_letters.publish(record, error, attempts=attempts)
        except Exception as dlq_error:
            # Whatever went wrong, the message is not safe anywhere yet: committing past
            # it would lose it, so it is read again (a stall is visible, a loss is not).
            delay = owner.retry.max_backoff
            cause = dlq_error.__cause__ if isinstance(dlq_error, DeadLetterError) else None
            logger.error(
                "%s; rewinding to it and trying again in %.2fs (cause: %r)",
                dlq_error,
                delay,
                cause,
            )
            await asyncio.sleep(delay)
            _rewind(consumer, record)
            return
        logger.warning(
            "dead-lettered %s to %s[%d]@%d: %s",
            _where(record),
            letter.topic,
            letter.partition,
            letter.offset,
            error,
        )
        await _commit(consumer, record)
        owner._settled(dead_lettered=True)


def _position(record: ConsumerRecord[Any, Any]) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset


def _where(record: ConsumerRecord[Any, Any]) -> str:
    return f"{record.topic}[{record.partition}]@{record.offset}"


def _rewind(consumer: AIOKafkaConsumer, record: ConsumerRecord[Any, Any]) -> None:
    try:
        consumer.seek(TopicPartition(record.topic, record.partition), record.offset)
    except KafkaError as error:
        # The partition was revoked meanwhile: its next owner starts from the last
        # committed offset, which is still before this message.
        logger.info("could not rewind to %s: %r", _where(record), error)


async def _commit(consumer: AIOKafkaConsumer, record: ConsumerRecord[Any, Any]) -> None:
    try:
        await consumer.commit({TopicPartition(record.topic, record.partition): record.offset + 1})
    except KafkaError as error:
        # Typically a rebalance took the partition away: its new owner reads the message
        # again from the last committed offset (at-least-once, never lost).
        logger.warning("could not commit %s: %r", _where(record), error)
