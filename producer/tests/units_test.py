"""Settings, the redelivery memory and start-up retries, each on its own."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError
from octobus import config
from octobus.config import GITHUB_MAX_DELIVERY_BYTES, Compression, Settings
from octobus.errors import DeliveryConflictError, RecordTooLargeError, StartupError
from octobus.services.publisher import EventPublisher, OutgoingRecord
from octobus.services.redelivery import DeliveredContent, RecentDeliveries
from octobus.services.retry import retry_with_backoff
from pydantic import ValidationError

PUSH = DeliveredContent("push", hashlib.sha256(b"{}").digest())


@pytest.fixture(autouse=True)
def no_octobus_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OCTOBUS_WEBHOOK_SECRETS",
        "OCTOBUS_TOPIC_PREFIX",
        "OCTOBUS_MAX_BODY_BYTES",
        "OCTOBUS_BODY_READ_TIMEOUT",
        "OCTOBUS_MAX_REQUEST_BYTES",
        "OCTOBUS_COMPRESSION",
    ):
        monkeypatch.delenv(name, raising=False)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTOBUS_WEBHOOK_SECRETS", " new-secret , old-secret ")
    monkeypatch.setenv("OCTOBUS_TOPIC_PREFIX", "staging.")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")
    monkeypatch.setenv("KAFKA_ENABLE_IDEMPOTENCE", "false")
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", "http://registry:8081")

    settings = Settings()

    assert settings.secret_keys == [b"new-secret", b"old-secret"]
    assert settings.topic_prefix == "staging."
    assert settings.kafka.validated.bootstrap_servers == ["kafka-1:9092", "kafka-2:9092"]
    assert settings.kafka.enable_idempotence is False
    assert str(settings.schema_registry.url) == "http://registry:8081/"
    assert settings.compatibility == "FULL_TRANSITIVE"
    assert settings.max_body_bytes == GITHUB_MAX_DELIVERY_BYTES == 25 * 1024 * 1024


def test_idempotence_is_on_by_default() -> None:
    assert Settings.model_validate({"webhook_secrets": "s"}).kafka.enable_idempotence is True


def test_at_least_one_secret_is_required() -> None:
    with pytest.raises(ValidationError, match="OCTOBUS_WEBHOOK_SECRETS must name at least one"):
        Settings.model_validate({"webhook_secrets": " , "})


def test_secrets_never_appear_in_repr_or_errors() -> None:
    settings = Settings.model_validate({"webhook_secrets": "hunter2"})
    assert "hunter2" not in repr(settings)
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate({"webhook_secrets": "hunter2", "max_body_bytes": -1})
    assert "hunter2" not in str(caught.value)


async def test_a_remembered_delivery_is_not_published_again() -> None:
    recent: RecentDeliveries[int] = RecentDeliveries(capacity=2)
    calls: list[str] = []

    async def publish() -> int:
        calls.append("published")
        return len(calls)

    first, second = uuid.uuid4(), uuid.uuid4()
    assert await recent.once(first, PUSH, publish) == (1, False)
    assert await recent.once(first, PUSH, publish) == (1, True)
    assert await recent.once(second, PUSH, publish) == (2, False)
    assert await recent.once(uuid.uuid4(), PUSH, publish) == (3, False)
    # Capacity 2: the oldest id was forgotten.
    assert await recent.once(first, PUSH, publish) == (4, False)


async def test_concurrent_redeliveries_wait_for_the_first_attempt() -> None:
    recent: RecentDeliveries[str] = RecentDeliveries(capacity=10)
    release = asyncio.Event()
    calls = 0

    async def publish() -> str:
        nonlocal calls
        calls += 1
        await release.wait()
        return "offset 3"

    delivery_id = uuid.uuid4()
    waiting = [asyncio.create_task(recent.once(delivery_id, PUSH, publish)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*waiting)

    assert calls == 1
    assert sorted(results) == [("offset 3", False), ("offset 3", True), ("offset 3", True)]


async def test_a_failed_delivery_is_forgotten_so_its_redelivery_is_published() -> None:
    recent: RecentDeliveries[str] = RecentDeliveries(capacity=10)
    delivery_id = uuid.uuid4()

    async def fail() -> str:
        raise TimeoutError("broker")

    async def succeed() -> str:
        return "ok"

    with pytest.raises(TimeoutError):
        await recent.once(delivery_id, PUSH, fail)
    assert await recent.once(delivery_id, PUSH, succeed) == ("ok", False)


async def test_zero_capacity_turns_the_memory_off() -> None:
    recent: RecentDeliveries[int] = RecentDeliveries(capacity=0)
    delivery_id = uuid.uuid4()

    async def publish() -> int:
        return 1

    assert await recent.once(delivery_id, PUSH, publish) == (1, False)
    assert await recent.once(delivery_id, PUSH, publish) == (1, False)
    assert len(recent) == 0


async def test_a_known_id_with_another_body_or_event_is_a_conflict_not_a_redelivery() -> None:
    recent: RecentDeliveries[int] = RecentDeliveries(capacity=10)
    calls = 0

    async def publish() -> int:
        nonlocal calls
        calls += 1
        return calls

    delivery_id = uuid.uuid4()
    other_body = DeliveredContent("push", hashlib.sha256(b"[]").digest())
    other_event = DeliveredContent("create", PUSH.body_digest)
    assert await recent.once(delivery_id, PUSH, publish) == (1, False)

    with pytest.raises(DeliveryConflictError) as body_differs:
        await recent.once(delivery_id, other_body, publish)
    with pytest.raises(DeliveryConflictError) as event_differs:
        await recent.once(delivery_id, other_event, publish)

    assert calls == 1
    assert str(body_differs.value) == (
        f"delivery {delivery_id} was first received with a different body: a redelivery "
        "resends the same event and body, so this is another delivery reusing the id; "
        "nothing was published"
    )
    assert str(event_differs.value).startswith(
        f"delivery {delivery_id} was first received as a 'push' event, not 'create': "
    )
    assert await recent.once(delivery_id, PUSH, publish) == (1, True)


async def test_a_conflicting_delivery_does_not_wait_for_the_first_attempt() -> None:
    recent: RecentDeliveries[str] = RecentDeliveries(capacity=10)
    release = asyncio.Event()

    async def publish() -> str:
        await release.wait()
        return "offset 1"

    delivery_id = uuid.uuid4()
    first = asyncio.create_task(recent.once(delivery_id, PUSH, publish))
    await asyncio.sleep(0)
    other = DeliveredContent("push", b"another digest")
    with pytest.raises(DeliveryConflictError):
        await asyncio.wait_for(recent.once(delivery_id, other, publish), timeout=1)
    release.set()
    assert await first == ("offset 1", False)


def test_new_settings_have_their_documented_defaults() -> None:
    settings = Settings.model_validate({"webhook_secrets": "s"})
    assert settings.body_read_timeout == 30.0
    # Every delivery GitHub sends fits, with 64 KiB for the record's envelope.
    assert settings.max_request_bytes == 25 * 1024 * 1024 + 64 * 1024
    assert settings.compression is Compression.NONE
    assert settings.compression.aiokafka_name is None
    assert Compression.ZSTD.aiokafka_name == "zstd"


def test_new_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTOBUS_WEBHOOK_SECRETS", "s")
    monkeypatch.setenv("OCTOBUS_BODY_READ_TIMEOUT", "2.5")
    monkeypatch.setenv("OCTOBUS_MAX_REQUEST_BYTES", "5242880")
    monkeypatch.setenv("OCTOBUS_COMPRESSION", "gzip")
    settings = Settings()
    assert (settings.body_read_timeout, settings.max_request_bytes) == (2.5, 5 * 1024 * 1024)
    assert settings.compression is Compression.GZIP


def test_a_compression_whose_library_is_missing_is_refused_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(config._COMPRESSION_AVAILABLE, Compression.ZSTD, lambda: False)
    with pytest.raises(
        ValidationError,
        match=r"OCTOBUS_COMPRESSION=zstd needs its compression "
        r"library: install aiokafka\[zstd\]",
    ):
        Settings.model_validate({"webhook_secrets": "s", "compression": "zstd"})


class _RefusingBroker:
    """Stands in for FastStream's broker: sends, then the broker answers MESSAGE_TOO_LARGE."""

    async def publish(self, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        answer.set_exception(MessageSizeTooLargeError())
        return answer


async def test_a_record_the_broker_refuses_as_too_large_is_named_not_retried() -> None:
    publisher = EventPublisher(_RefusingBroker(), timeout=1, max_record_bytes=10_000)  # type: ignore[arg-type]
    record = OutgoingRecord("github.push", b"o/r", b"\0" * 5000, {"X-GitHub-Event": "push"})

    with pytest.raises(RecordTooLargeError) as caught:
        await publisher.publish(record)

    assert str(caught.value) == (
        f"Kafka refused the {record.size}-byte event record for topic 'github.push' as too "
        "large: the topic's max.message.bytes (or the broker's message.max.bytes) is smaller"
    )
    assert 5000 < record.size < 5200


async def test_a_record_over_the_limit_never_reaches_the_producer() -> None:
    publisher = EventPublisher(_RefusingBroker(), timeout=1, max_record_bytes=100)  # type: ignore[arg-type]
    record = OutgoingRecord("github.push", None, b"\0" * 100, {})
    with pytest.raises(RecordTooLargeError, match=r"over the Kafka producer's 100-byte limit"):
        await publisher.publish(record)


async def test_retry_gives_up_after_the_bound_naming_attempts_and_last_error() -> None:
    attempts = 0

    async def refused() -> None:
        nonlocal attempts
        attempts += 1
        raise ConnectionRefusedError(f"refused #{attempts}")

    with pytest.raises(StartupError) as caught:
        await retry_with_backoff(
            refused, what="reach the thing", give_up_after=0.5, retryable=lambda _: True
        )

    assert attempts >= 3
    assert str(caught.value).startswith(f"could not reach the thing: {attempts} attempts over ")
    assert str(caught.value).endswith(f"(limit 0.5 s), last error: refused #{attempts}")


async def test_retry_raises_a_non_retryable_error_at_once() -> None:
    async def invalid() -> None:
        raise ValueError("bad schema")

    with pytest.raises(ValueError, match="bad schema"):
        await retry_with_backoff(
            invalid, what="x", give_up_after=10, retryable=lambda e: isinstance(e, OSError)
        )
