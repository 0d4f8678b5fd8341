"""FastStream 0.7 integration: publish models as Confluent-framed Avro, receive typed models.

FastStream's own default publishes a Pydantic model as JSON and hands a subscriber the raw
body to validate; framed Avro into a handler typed with a model then fails with a pydantic
error about ``input_value=0``. `ConfluentAvroCodec` plugs our `AvroCodec` into FastStream's
codec hook (``KafkaBroker(codec=...)`` or ``broker.subscriber(..., codec=...)``): publishing a
model sends ``[0x00][schema id][Avro]`` with the header ``content-type:
application/vnd.confluent.avro``, and ``async def handle(event: PushEvent)`` receives the
model decoded through the writer's schema. Install with ``pip install
octobus-schemas[faststream]``.

Examples
--------
>>> from faststream.kafka import KafkaBroker  # doctest: +SKIP
>>> broker = KafkaBroker("127.0.0.1:9092", codec=ConfluentAvroCodec(codec))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dataclasses_avroschema.pydantic import AvroBaseModel

from octobus_schemas.avro import AvroCodec, SubjectNameStrategy
from octobus_schemas.errors import AvroEncodeError, WireFormatError

try:
    import faststream  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "octobus_schemas.faststream needs FastStream: pip install 'octobus-schemas[faststream]'"
    ) from error

if TYPE_CHECKING:
    from fast_depends.library.serializer import SerializerProto
    from faststream.message import StreamMessage

__all__ = ["CONTENT_TYPE", "ConfluentAvroCodec"]

CONTENT_TYPE = "application/vnd.confluent.avro"
"""The ``content-type`` header of every message this codec publishes.

The body is Confluent's wire format (magic byte, schema id, Avro binary); readers do not need
the header (Confluent's own clients never set one) but it tells people and tools what the
bytes are.
"""


class ConfluentAvroCodec:
    """A FastStream codec (``CodecProto`` and ``BatchCodecProto``) over an `AvroCodec`.

    Parameters
    ----------
    codec
        The Avro codec (with its registry and catalog). Its subject strategy must not depend on
        the topic: FastStream's codec hook is not told the topic.

    Notes
    -----
    Publishing accepts an `AvroBaseModel` (framed Avro), ``bytes`` (sent unchanged, for
    example to forward an undecodable message to a dead-letter topic) or ``None`` (a
    tombstone). Anything else is refused with `AvroEncodeError` rather than silently sent
    as JSON.
    """

    def __init__(self, codec: AvroCodec) -> None:
        if codec.strategy is not SubjectNameStrategy.RECORD_NAME:
            raise ValueError(
                f"FastStream's codec hook is not told the topic, so the {codec.strategy.value} "
                "subject strategy cannot be used; use SubjectNameStrategy.RECORD_NAME"
            )
        self.codec = codec

    async def encode(
        self, msg: Any, serializer: SerializerProto | None = None
    ) -> tuple[bytes, str | None]:
        """Encode one outgoing body.

        Parameters
        ----------
        msg
            The body given to ``publish``.
        serializer
            FastStream's serializer (unused: Avro is the serialization).

        Returns
        -------
        tuple of (bytes, str or None)
            The message value and its content type.
        """
        if isinstance(msg, AvroBaseModel):
            return await self.codec.encode(msg), CONTENT_TYPE
        if msg is None:
            return b"", None
        if isinstance(msg, bytes | bytearray):
            return bytes(msg), None
        raise AvroEncodeError(
            f"the Confluent Avro codec publishes AvroBaseModel instances (or raw bytes), "
            f"not {type(msg).__name__}: nothing is sent as JSON by accident"
        )

    async def encode_batch(
        self, msgs: Sequence[Any], serializer: SerializerProto | None = None
    ) -> list[tuple[bytes, str | None]]:
        """Encode the bodies of a batch publish.

        Parameters
        ----------
        msgs
            The bodies.
        serializer
            Unused.

        Returns
        -------
        list of tuple of (bytes, str or None)
            One value and content type per body.
        """
        return [await self.encode(msg, serializer) for msg in msgs]

    async def decode(self, msg: StreamMessage[Any]) -> Any:
        """Decode one incoming message into its model (None for a tombstone).

        Parameters
        ----------
        msg
            FastStream's message.

        Returns
        -------
        AvroBaseModel or None
            The model, read through the writer's schema.

        Raises
        ------
        WireFormatError
            If the body is not Confluent-framed; the message names the byte and the
            ``content-type`` header the publisher set.
        """
        return await self._decode_value(_raw_value(msg.raw_message, msg.body), msg.content_type)

    async def decode_batch(self, msg: StreamMessage[Sequence[Any]]) -> list[Any]:
        """Decode every message of a batch.

        Parameters
        ----------
        msg
            FastStream's batch message.

        Returns
        -------
        list
            One model (or None) per message.
        """
        raw = msg.raw_message if isinstance(msg.raw_message, Sequence) else ()
        bodies = msg.body if isinstance(msg.body, list) else [msg.body]
        headers = msg.batch_headers or [{} for _ in bodies]
        results = []
        for index, body in enumerate(bodies):
            record = raw[index] if index < len(raw) else None
            content_type = headers[index].get("content-type") if index < len(headers) else None
            results.append(await self._decode_value(_raw_value(record, body), content_type))
        return results

    async def _decode_value(self, value: bytes | None, content_type: str | None) -> Any:
        try:
            return await self.codec.decode(value)
        except WireFormatError as error:
            if content_type and content_type != CONTENT_TYPE:
                raise WireFormatError(f"{error} (content-type: {content_type})") from error
            raise


def _raw_value(record: Any, body: Any) -> bytes | None:
    # FastStream turns a tombstone's None into b""; the Kafka record still says None.
    value = getattr(record, "value", body)
    if value is None:
        return None
    return value if isinstance(value, bytes) else bytes(body)
