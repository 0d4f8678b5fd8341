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

from aiokafka.errors import MessageSizeTooLargeError, RecordListTooLargeError
from aiokafka.record.default_records import DefaultRecordBatchBuilder

from octobus.errors import PublishError, PublishTimeoutError, RecordTooLargeError

if TYPE_CHECKING:
    from aiokafka.structs import RecordMetadata
    from faststream.kafka import KafkaBroker

__all__ = ["PRODUCER_HEADROOM_BYTES", "Acknowledgement", "EventPublisher", "OutgoingRecord"]

PRODUCER_HEADROOM_BYTES = 1024
"""What the producer's own limit allows above the gateway's: FastStream adds a few headers
to each record (content type, correlation id) after the gateway has checked its size."""


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

    @property
    def size(self) -> int:
        """The record's size as the Kafka producer counts it against its limit.

        aiokafka's own upper estimate (record batch header, record overhead, key, value
        and headers), before compression, as Kafka's producers count ``max.request.size``.
        """
        headers = [(name, value.encode("utf-8")) for name, value in self.headers.items()]
        size: int = DefaultRecordBatchBuilder.estimate_size_in_bytes(self.key, self.value, headers)
        return size


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
        The broker, configured with ``acks="all"`` and a ``max_request_size`` of
        ``max_record_bytes`` plus `PRODUCER_HEADROOM_BYTES`.
    timeout
        Seconds to wait for an acknowledgement before giving up.
    max_record_bytes
        The largest record sent (`OutgoingRecord.size`); a larger one is refused here,
        before it reaches the producer.
    """

    def __init__(
        self, broker: KafkaBroker, *, timeout: float, max_record_bytes: int = 1024 * 1024
    ) -> None:
        self._broker = broker
        self._timeout = timeout
        self._max_record_bytes = max_record_bytes

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
        RecordTooLargeError
            If the record is over the producer's limit, or the broker refused it as too
            large; sending it again cannot succeed.
        PublishTimeoutError
            If the broker did not acknowledge within the timeout. The record may still
            reach Kafka later (the producer keeps retrying it); it was not acknowledged to
            anyone, so at worst a redelivery publishes it a second time.
        PublishError
            If the broker refused the record.
        """
        size = record.size
        if size > self._max_record_bytes:
            raise RecordTooLargeError(record.topic, size, self._max_record_bytes)
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
        except (MessageSizeTooLargeError, RecordListTooLargeError) as error:
            # The producer's own limit is above the one checked here (by the headroom
            # for FastStream's headers), so this is the broker refusing a record over
            # the topic's max.message.bytes: sending it again cannot help.
            raise RecordTooLargeError(record.topic, size, None) from error
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
