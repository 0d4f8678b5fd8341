"""Publishing encoded events to Kafka, answering only once the broker acknowledged.

Each call waits for the broker's acknowledgement (``acks=all``) but never longer than the
publish timeout. Concurrent calls are not serialised: aiokafka appends each record to its
accumulator and sends whatever has accumulated in one request per partition leader, so
many deliveries in flight share one round trip to the broker.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from octobus.errors import PublishError, PublishTimeoutError

if TYPE_CHECKING:
    from aiokafka.structs import RecordMetadata
    from faststream.kafka import KafkaBroker

__all__ = ["Acknowledgement", "EventPublisher", "OutgoingRecord"]


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    """One Kafka record, ready to send.

    Attributes
    ----------
    topic
        The topic, prefix included.
    key
        The record key (UTF-8 encoded), or None for no key.
    value
        The Confluent-framed Avro value.
    headers
        Record headers (text values).
    """

    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """Where the broker wrote a record.

    Attributes
    ----------
    topic
        The topic.
    partition
        The partition.
    offset
        The record's offset in the partition.
    """

    topic: str
    partition: int
    offset: int


class EventPublisher:
    """Sends records through a started FastStream `~faststream.kafka.KafkaBroker`.

    Parameters
    ----------
    broker
        The broker, configured with ``acks="all"``.
    timeout
        Seconds to wait for an acknowledgement before giving up.
    """

    def __init__(self, broker: KafkaBroker, *, timeout: float) -> None:
        self._broker = broker
        self._timeout = timeout

    async def publish(self, record: OutgoingRecord) -> Acknowledgement:
        """Send one record and wait for the broker to acknowledge it.

        Parameters
        ----------
        record
            The record.

        Returns
        -------
        Acknowledgement
            The topic, partition and offset the broker assigned.

        Raises
        ------
        PublishTimeoutError
            If the broker did not acknowledge within the timeout. The record may still
            reach Kafka later (the producer keeps retrying it); it was not acknowledged to
            anyone, so at worst a redelivery publishes it a second time.
        PublishError
            If the broker refused the record.
        """
        try:
            async with asyncio.timeout(self._timeout):
                pending = await self._broker.publish(
                    record.value,
                    record.topic,
                    key=record.key,
                    headers=record.headers,
                    no_confirm=True,
                )
                pending.add_done_callback(_observe)
                # shield: on timeout the producer still owns the record's future.
                metadata: RecordMetadata = await asyncio.shield(pending)
        except TimeoutError:
            msg = (
                f"Kafka did not acknowledge the event for topic {record.topic!r} "
                f"within {self._timeout:g} s"
            )
            raise PublishTimeoutError(msg) from None
        except PublishError:
            raise
        except Exception as error:
            msg = f"Kafka refused the event for topic {record.topic!r}: {error!r}"
            raise PublishError(msg) from error
        return Acknowledgement(
            topic=metadata.topic, partition=metadata.partition, offset=metadata.offset
        )


def _observe(future: asyncio.Future[RecordMetadata]) -> None:
    # A record abandoned on timeout may fail later with nobody awaiting it; reading the
    # outcome here keeps asyncio from reporting it as a lost exception.
    if not future.cancelled():
        future.exception()
