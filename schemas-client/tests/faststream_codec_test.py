"""FastStream 0.7 through our codec: models go out as framed Avro and come in typed (case 17)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from faststream.kafka import KafkaBroker, KafkaMessage, TestKafkaBroker
from octobus_schemas.avro import AvroCodec, SubjectNameStrategy, parse_frame
from octobus_schemas.errors import AvroEncodeError, WireFormatError
from octobus_schemas.faststream import CONTENT_TYPE, ConfluentAvroCodec
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import CATALOG, Bundle, Cart, OrderV1, OrderV2
from .support.registries import in_memory

__all__ = ["in_memory"]


@pytest.fixture
def avro(in_memory: InMemorySchemaRegistry) -> ConfluentAvroCodec:
    """The FastStream codec over the in-memory registry."""
    return ConfluentAvroCodec(in_memory.codec)


async def test_without_our_codec_faststream_sends_a_model_as_json() -> None:
    # The failure case 17 describes, kept as a contrast.
    broker = KafkaBroker()
    seen: list[KafkaMessage] = []

    @broker.subscriber("orders")
    async def handle(event: OrderV2, message: KafkaMessage) -> None:
        seen.append(message)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(OrderV2(id=1, note="n"), "orders")
    assert seen[0].content_type == "application/json"


async def test_a_typed_handler_receives_the_model_decoded_with_the_writer_schema(
    avro: ConfluentAvroCodec, in_memory: InMemorySchemaRegistry
) -> None:
    broker = KafkaBroker(codec=avro)
    received: list[OrderV2] = []
    headers: list[str | None] = []

    @broker.subscriber("orders")
    async def handle(event: OrderV2, message: KafkaMessage) -> None:
        received.append(event)
        headers.append(message.content_type)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(OrderV1(id=1, note="old writer"), "orders")
        await test_broker.publish(OrderV2(id=2, note="new", channel="app"), "orders")
    assert received == [OrderV2(id=1, note="old writer"), OrderV2(id=2, note="new", channel="app")]
    assert headers == [CONTENT_TYPE, CONTENT_TYPE]


async def test_publishing_a_model_sends_confluent_framed_avro(avro: ConfluentAvroCodec) -> None:
    body, content_type = await avro.encode(OrderV2(id=1, note="n"))
    schema_id, _ = parse_frame(body)
    assert content_type == CONTENT_TYPE
    assert schema_id >= 1


async def test_an_unframed_payload_is_our_error_naming_the_magic_byte(
    avro: ConfluentAvroCodec,
) -> None:
    broker = KafkaBroker(codec=avro)
    errors: list[BaseException] = []

    @broker.subscriber("orders")
    async def handle(event: OrderV2) -> None:
        raise AssertionError("never reached")

    async with TestKafkaBroker(broker) as test_broker:
        # Bytes pass through our codec unchanged: this is JSON someone else published.
        with pytest.raises(WireFormatError, match=r"magic byte 0x7b, expected 0x00") as raised:
            await test_broker.publish(b'{"id": 1, "note": "json"}', "orders")
        errors.append(raised.value)
    assert "looks like JSON" in str(errors[0])


async def test_same_shape_union_branches_survive_faststream(avro: ConfluentAvroCodec) -> None:
    broker = KafkaBroker(codec=avro)
    received: list[Cart] = []

    @broker.subscriber("carts")
    async def handle(cart: Cart) -> None:
        received.append(cart)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(Cart(item=Bundle(id=1)), "carts")
    assert type(received[0].item) is Bundle


async def test_a_tombstone_reaches_a_handler_that_accepts_none(avro: ConfluentAvroCodec) -> None:
    broker = KafkaBroker(codec=avro)
    received: list[OrderV2 | None] = []

    @broker.subscriber("orders")
    async def handle(event: OrderV2 | None) -> None:
        received.append(event)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(None, "orders", key=b"octo/hello")
        await test_broker.publish(OrderV2(id=1, note="n"), "orders", key=b"octo/hello")
    assert received == [None, OrderV2(id=1, note="n")]


async def test_a_batch_subscriber_receives_a_list_of_models(avro: ConfluentAvroCodec) -> None:
    broker = KafkaBroker(codec=avro)
    received: list[list[OrderV2]] = []

    @broker.subscriber("orders", batch=True)
    async def handle(events: list[OrderV2]) -> None:
        received.append(events)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish_batch(
            OrderV1(id=1, note="a"), OrderV2(id=2, note="b"), topic="orders"
        )
    assert received == [[OrderV2(id=1, note="a"), OrderV2(id=2, note="b")]]


async def test_anything_but_a_model_or_bytes_is_refused_rather_than_sent_as_json(
    avro: ConfluentAvroCodec,
) -> None:
    with pytest.raises(AvroEncodeError, match="not dict"):
        await avro.encode({"id": 1})


async def test_a_topic_subject_strategy_is_refused_with_the_reason(
    in_memory: InMemorySchemaRegistry,
) -> None:
    codec = AvroCodec(in_memory.client, catalog=CATALOG, strategy=SubjectNameStrategy.TOPIC_NAME)
    with pytest.raises(ValueError, match="not told the topic"):
        ConfluentAvroCodec(codec)


@pytest.fixture
async def http_avro(schema_registry_url: str) -> AsyncIterator[ConfluentAvroCodec]:
    """The FastStream codec over the session's registry, over HTTP."""
    from octobus_schemas.avro import SchemaRegistryClient

    async with SchemaRegistryClient(schema_registry_url) as client:
        yield ConfluentAvroCodec(AvroCodec(client, catalog=CATALOG))


async def test_a_real_broker_carries_framed_avro_to_a_typed_subscriber(
    kafka_bootstrap_servers: str, http_avro: ConfluentAvroCodec
) -> None:
    topic = f"orders-{uuid.uuid4().hex[:8]}"
    broker = KafkaBroker(kafka_bootstrap_servers, codec=http_avro, enable_idempotence=False)
    received: asyncio.Queue[tuple[OrderV2, bytes, str | None]] = asyncio.Queue()

    @broker.subscriber(
        topic, group_id=f"g-{topic}", auto_offset_reset="earliest", session_timeout_ms=1000
    )
    async def handle(event: OrderV2, message: KafkaMessage) -> None:
        await received.put((event, message.body, message.content_type))

    async with broker:
        await broker.start()
        await broker.publish(OrderV1(id=1, note="v1"), topic, key=b"octo/hello")
        await broker.publish(OrderV2(id=2, note="v2", channel="app"), topic, key=b"octo/hello")
        first = await asyncio.wait_for(received.get(), timeout=30)
        second = await asyncio.wait_for(received.get(), timeout=30)
    assert first[0] == OrderV2(id=1, note="v1")
    assert first[1][0] == 0
    assert first[2] == CONTENT_TYPE
    assert second[0] == OrderV2(id=2, note="v2", channel="app")
