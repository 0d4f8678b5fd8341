"""The dead-letter topic: where a message goes when it cannot be processed.

A dead-lettered message keeps its original key, value and headers byte for byte, so it
can be inspected or replayed as it was; the consumer adds headers (`DeadLetterHeader`)
naming the error and where the message came from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from octobus_consumer_example.errors import DeadLetterError

if TYPE_CHECKING:
    from aiokafka import ConsumerRecord
    from octobus_schemas.kafka import KafkaConnectionSettings

__all__ = [
    "DEAD_LETTER_SUFFIX",
    "DeadLetter",
    "DeadLetterHeader",
    "DeadLetterPublisher",
    "dead_letter_headers",
    "dead_letter_topic",
    "describe_error",
]

DEAD_LETTER_SUFFIX = ".dlq"
"""Appended to a topic's name to name its dead-letter topic."""

MAX_ERROR_MESSAGE_BYTES = 4096
"""Longer error messages are cut: a header is metadata, not a log file."""


class DeadLetterHeader(StrEnum):
    """The headers a dead-lettered message carries besides its original ones."""

    ERROR_TYPE = "octobus.dlq.error.type"
    """Fully qualified class name of the error, e.g. ``octobus_schemas.errors.WireFormatError``."""

    ERROR_MESSAGE = "octobus.dlq.error.message"
    """The error's message (UTF-8, at most 4 KiB)."""

    ORIGINAL_TOPIC = "octobus.dlq.original.topic"
    """The topic the message was read from."""

    ORIGINAL_PARTITION = "octobus.dlq.original.partition"
    """Its partition, in decimal."""

    ORIGINAL_OFFSET = "octobus.dlq.original.offset"
    """Its offset, in decimal."""

    ORIGINAL_TIMESTAMP = "octobus.dlq.original.timestamp"
    """Its timestamp, milliseconds since the epoch, in decimal."""

    ATTEMPTS = "octobus.dlq.attempts"
    """How many times the handler was called (0 when the message could not be decoded)."""

    CONSUMER_GROUP = "octobus.dlq.consumer.group"
    """The consumer group that gave up on the message."""


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """Where a dead-lettered message was written.

    Parameters
    ----------
    topic
        The dead-letter topic.
    partition, offset
        The position of the copy in the dead-letter topic.
    """

    topic: str
    partition: int
    offset: int


def dead_letter_topic(topic: str) -> str:
    """Name the dead-letter topic of a topic.

    Parameters
    ----------
    topic
        The topic the message was read from (with its prefix, if any).

    Returns
    -------
    str
        ``<topic>.dlq``.

    Examples
    --------
    >>> dead_letter_topic("staging.github.push")
    'staging.github.push.dlq'
    """
    return f"{topic}{DEAD_LETTER_SUFFIX}"


def describe_error(error: BaseException) -> tuple[str, str]:
    """Return an error's fully qualified type name and its (bounded) message.

    Parameters
    ----------
    error
        The error that made the message undeliverable.

    Returns
    -------
    tuple of str
        ``(type name, message)``; an error with an empty message is described by its
        ``repr`` so the header is never empty.
    """
    error_type = type(error)
    name = f"{error_type.__module__}.{error_type.__qualname__}"
    message = str(error) or repr(error)
    encoded = message.encode("utf-8", errors="replace")
    if len(encoded) > MAX_ERROR_MESSAGE_BYTES:
        message = encoded[: MAX_ERROR_MESSAGE_BYTES - 3].decode("utf-8", errors="ignore") + "..."
    return name, message


def dead_letter_headers(
    record: ConsumerRecord[Any, Any], error: BaseException, *, attempts: int, group_id: str
) -> list[tuple[str, bytes]]:
    """Build the headers of a message's dead-letter copy.

    Parameters
    ----------
    record
        The message as it was read (aiokafka ``ConsumerRecord``).
    error
        Why it is dead-lettered.
    attempts
        How many times the handler was called.
    group_id
        The consumer group giving up on it.

    Returns
    -------
    list of (str, bytes)
        The original headers, in order and byte for byte, followed by the
        `DeadLetterHeader` ones. Dead-letter headers from an earlier trip through a
        dead-letter topic are replaced, not repeated.
    """
    error_type, error_message = describe_error(error)
    ours = {
        DeadLetterHeader.ERROR_TYPE: error_type,
        DeadLetterHeader.ERROR_MESSAGE: error_message,
        DeadLetterHeader.ORIGINAL_TOPIC: record.topic,
        DeadLetterHeader.ORIGINAL_PARTITION: str(record.partition),
        DeadLetterHeader.ORIGINAL_OFFSET: str(record.offset),
        DeadLetterHeader.ORIGINAL_TIMESTAMP: str(record.timestamp),
        DeadLetterHeader.ATTEMPTS: str(attempts),
        DeadLetterHeader.CONSUMER_GROUP: group_id,
    }
    kept = [
        (name, bytes(value or b""))
        for name, value in record.headers
        if name not in DeadLetterHeader._value2member_map_
    ]
    return kept + [(name.value, value.encode("utf-8")) for name, value in ours.items()]


class DeadLetterPublisher:
    """Writes undeliverable messages to their dead-letter topics.

    It has its own producer, separate from FastStream's, because a dead-letter copy must
    keep the original headers byte for byte (FastStream's publisher takes text headers
    only) and must be acknowledged by every in-sync replica before the original
    message's offset is committed.

    Parameters
    ----------
    kafka
        The connection settings shared with the rest of the consumer.
    group_id
        The consumer group, recorded in every dead-letter copy.
    client_id
        The Kafka client id of the producer.
    """

    def __init__(
        self,
        kafka: KafkaConnectionSettings,
        *,
        group_id: str,
        client_id: str = "octobus-consumer-example-dlq",
    ) -> None:
        self._kafka = kafka
        self._group_id = group_id
        self._client_id = client_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Connect the producer."""
        producer = AIOKafkaProducer(
            **self._kafka.to_aiokafka_params(),
            client_id=self._client_id,
            acks="all",
            enable_idempotence=self._kafka.enable_idempotence,
        )
        try:
            await producer.start()
        except BaseException:
            # A failed start (no broker at the bootstrap servers) leaves the client open.
            await producer.stop()
            raise
        self._producer = producer

    async def stop(self) -> None:
        """Flush and close the producer; a no-op when it was never started."""
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    async def publish(
        self, record: ConsumerRecord[Any, Any], error: BaseException, *, attempts: int
    ) -> DeadLetter:
        """Write a message to its dead-letter topic and wait for the broker's ack.

        Parameters
        ----------
        record
            The message as it was read.
        error
            Why it could not be processed.
        attempts
            How many times the handler was called.

        Returns
        -------
        DeadLetter
            Where the copy was written.

        Raises
        ------
        DeadLetterError
            If the producer is not started or the broker did not take the copy.
        """
        topic = dead_letter_topic(record.topic)
        if self._producer is None:
            raise DeadLetterError(
                topic, topic=record.topic, partition=record.partition, offset=record.offset
            )
        # Kafka refuses a record with neither key nor value; an empty value is the
        # closest faithful copy of such a message.
        value = b"" if record.value is None and record.key is None else record.value
        try:
            metadata = await self._producer.send_and_wait(
                topic,
                value=value,
                key=record.key,
                headers=dead_letter_headers(
                    record, error, attempts=attempts, group_id=self._group_id
                ),
                timestamp_ms=int(time.time() * 1000),
            )
        except KafkaError as kafka_error:
            raise DeadLetterError(
                topic, topic=record.topic, partition=record.partition, offset=record.offset
            ) from kafka_error
        return DeadLetter(topic=topic, partition=metadata.partition, offset=metadata.offset)
