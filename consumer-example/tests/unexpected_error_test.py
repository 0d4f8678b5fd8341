"""An exception the client package does not name is retried, then dead-lettered, never skipped.

A model in the consumer's catalog whose validator raises a plain ``RuntimeError`` (pydantic
only wraps ``ValueError`` and ``AssertionError``) makes decoding fail with an exception that
is neither a known permanent error nor a registry outage. The message must be tried again
with the handler's backoff, then go to the dead-letter topic, and the message after it must
still be processed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Self

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from octobus_consumer_example import (
    ConsumerSettings,
    DeadLetterHeader,
    dead_letter_topic,
    run_consumer,
)
from octobus_schemas.avro import AvroCodec, ModelCatalog
from octobus_schemas.catalog import CATALOG
from octobus_schemas.events import NAMESPACE, PushEvent
from pydantic import model_validator

from .support.events import push
from .support.kafka import read_topic, send
from .support.recording import Recorder

KEY = b"octo-org/hello-world"
BROKEN_REF = "refs/heads/breaks-the-validator"
VALIDATOR_CALLS: list[str] = []


class _PushEventWithABuggyValidator(PushEvent):
    """The current ``PushEvent`` (same record name) with a validator that crashes on one ref."""

    class Meta:
        """Avro record name: the same as the catalog's."""

        namespace = NAMESPACE
        schema_name = "PushEvent"

    @model_validator(mode="after")
    def _crash_on_one_ref(self) -> Self:
        VALIDATOR_CALLS.append(self.ref)
        if self.ref == BROKEN_REF:
            msg = f"bug in a validator: cannot handle {self.ref}"
            raise RuntimeError(msg)
        return self


CATALOG_WITH_A_BUGGY_VALIDATOR: ModelCatalog = {
    **CATALOG,
    _PushEventWithABuggyValidator.get_fullname(): _PushEventWithABuggyValidator,
}


async def test_an_unexpected_decode_error_is_retried_then_dead_lettered_and_not_skipped(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    topic = f"{prefix}github.push"
    broken = push().model_copy(update={"ref": BROKEN_REF})
    after = push()
    broken_value = await codec.encode(broken)
    partition, offset = await send(producer, topic, broken_value, key=KEY)
    await send(producer, topic, await codec.encode(after), key=KEY)
    recorder = Recorder()
    settings = make_settings(consumer_max_attempts=3)
    VALIDATOR_CALLS.clear()

    stats = await asyncio.wait_for(
        run_consumer(
            settings,
            handlers=recorder.handlers(),
            catalog=CATALOG_WITH_A_BUGGY_VALIDATOR,
            max_messages=2,
            from_beginning=True,
            handle_signals=False,
        ),
        60.0,
    )

    assert (stats.processed, stats.dead_lettered) == (1, 1)
    assert recorder.delivery_ids == [str(after.delivery_id)]
    assert VALIDATOR_CALLS.count(BROKEN_REF) == 3  # tried max_attempts times, no more
    (letter,) = await read_topic(
        settings.kafka.bootstrap_servers, dead_letter_topic(topic), count=1
    )
    assert letter.value == broken_value
    headers = dict(letter.headers)
    assert headers[DeadLetterHeader.ERROR_TYPE] == b"builtins.RuntimeError"
    assert BROKEN_REF in headers[DeadLetterHeader.ERROR_MESSAGE].decode()
    assert headers[DeadLetterHeader.ORIGINAL_PARTITION] == str(partition).encode()
    assert headers[DeadLetterHeader.ORIGINAL_OFFSET] == str(offset).encode()
    assert headers[DeadLetterHeader.ATTEMPTS] == b"0"


async def test_a_fault_after_the_handler_rewinds_to_the_message_instead_of_skipping_it(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    prefix: str,
    codec: AvroCodec,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not a KafkaError (which _commit logs as a lost partition): a fault the middleware does
    # not know. Committing the next message would skip this one, so it is read again.
    topic = f"{prefix}github.push"
    first, second = push(), push()
    for event in (first, second):
        await send(producer, topic, await codec.encode(event), key=KEY)
    real_commit = AIOKafkaConsumer.commit
    failures: list[object] = []

    async def commit_failing_once(self: AIOKafkaConsumer, offsets: object = None) -> None:
        if not failures:
            failures.append(offsets)
            raise RuntimeError("the commit went wrong once")
        await real_commit(self, offsets)

    monkeypatch.setattr(AIOKafkaConsumer, "commit", commit_failing_once)
    recorder = Recorder()

    await asyncio.wait_for(
        run_consumer(
            make_settings(),
            handlers=recorder.handlers(),
            max_messages=2,  # settled messages: a failed commit settles nothing
            from_beginning=True,
            handle_signals=False,
        ),
        60.0,
    )

    assert len(failures) == 1
    # At least once: the first message is handled again after the failed commit, and the
    # second is not skipped.
    assert recorder.delivery_ids == [
        str(first.delivery_id),
        str(first.delivery_id),
        str(second.delivery_id),
    ]
