"""Records per second read back from Kafka: raw aiokafka, plus Avro decoding, the example app.

N real push events (built from the push payloads in the test data, each with its own
delivery id, framed with `AvroCodec` against the devstack registry as the gateway frames
them) are published once to a fresh topic on the embedded devstack. Each row then reads all
N from the beginning with a fresh consumer group:

1. the baseline: a raw aiokafka consumer's ``getmany`` loop, bytes only;
2. the same loop decoding every value to a `PushEvent` with a warm `AvroCodec` (one
   registry call for the writer's schema, none after it);
3. the example consumer (``octobus-consumer-example``) end to end: FastStream, the
   at-least-once middleware committing each message after its handler, and the default
   push handler, whose summary line goes to ``os.devnull``.

The clock of a row stops at the N-th record and starts after the group join (about 1 s on
Tansu with a 1 s session timeout, shown apart): for the aiokafka rows when the partitions are
assigned (a rebalance listener), so every fetch is inside it; for the app, whose consumer
FastStream owns, after its first event was handled, which is then left out of the count
(FastStream fetches ahead, but per-message commits set its pace). CPU time is this
process's (``time.process_time``) over the same window: the broker is a process of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from octobus_consumer_example import ConsumerSettings, EventHandlers, build_consumer
from octobus_consumer_example.handlers import on_push
from octobus_devstack.stack import DevStack
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient, SchemaRegistrySettings
from octobus_schemas.events import PushEvent
from octobus_schemas.kafka import KafkaConnectionSettings
from octobus_schemas.topics import topic_for_github_event
from pydantic import AnyHttpUrl

ROOT = Path(__file__).resolve().parent.parent
# The project's copy of the real payloads (@octokit/webhooks-examples, MIT; see SOURCE.md).
RECORDINGS = ROOT / "producer" / "tests" / "data" / "api.github.com.json"
EVENTS = 20_000
PUBLISH_BATCH = 1_000
RAW_ROUNDS = 3
SESSION_TIMEOUT_MS = 1_000
RECEIVED_AT = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Run:
    """One row: how long reading took, up to the N-th record."""

    name: str
    records: int
    """Records read in the timed window."""
    seconds: float
    cpu_seconds: float
    join_seconds: float
    """From starting the consumer to the start of the window (the group join)."""

    @property
    def rate(self) -> float:
        """Records per second of wall time."""
        return self.records / self.seconds

    @property
    def cpu_ms_per_record(self) -> float:
        """CPU time of this process per record, in milliseconds."""
        return self.cpu_seconds / self.records * 1000


class _Window:
    """Wall and CPU clocks up to the last record.

    They start at `start` (the partitions were assigned), or else after the first
    processed record, which is then left out of the count.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.created = time.perf_counter()
        self.started_wall = 0.0
        self.started_cpu = 0.0
        self.first_batch = 0
        self.seen = 0
        self.ended_wall = 0.0
        self.ended_cpu = 0.0

    def start(self) -> None:
        """Start the clocks, unless they run already."""
        if not self.started_wall:
            self.started_wall = time.perf_counter()
            self.started_cpu = time.process_time()

    def received(self, count: int) -> None:
        """Count ``count`` processed records; start the clocks after them if not yet running."""
        if not self.started_wall:
            self.start()
            self.first_batch = count
        self.seen += count

    def done(self) -> bool:
        """Stop the clocks once all records were seen (and processed); say whether they were."""
        if self.seen < self.total:
            return False
        if not self.ended_wall:
            self.ended_wall = time.perf_counter()
            self.ended_cpu = time.process_time()
        return True

    def run(self, name: str) -> Run:
        """Return the row these clocks measured."""
        if self.seen != self.total or not self.ended_wall:
            msg = f"{name}: read {self.seen} of {self.total} records"
            raise RuntimeError(msg)
        return Run(
            name,
            self.total - self.first_batch,
            self.ended_wall - self.started_wall,
            self.ended_cpu - self.started_cpu,
            self.started_wall - self.created,
        )


def _push_events() -> list[PushEvent]:
    """One `PushEvent` per real push payload, as the gateway builds it."""
    families = json.loads(RECORDINGS.read_text("utf-8"))
    (push,) = [family for family in families if family["name"] == "push"]
    events = []
    for index, payload in enumerate(push["examples"]):
        envelope = {
            "delivery_id": uuid.UUID(int=index),
            "event": "push",
            "action": payload.get("action"),
            "received_at": RECEIVED_AT,
            "installation_id": (payload.get("installation") or {}).get("id"),
        }
        events.append(PushEvent.model_validate({**payload, **envelope}))
    return events


def _delivery_id(index: int) -> uuid.UUID:
    return uuid.UUID(int=(1 << 64) + index)


async def _publish(bootstrap: str, registry_url: str, topic: str) -> tuple[float, float]:
    """Publish `EVENTS` framed push events; return seconds taken and mean value size."""
    templates = _push_events()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=False,  # the embedded broker cannot do it with aiokafka
        linger_ms=5,
        max_batch_size=1 << 20,
    )
    size = 0
    started = time.perf_counter()
    async with SchemaRegistryClient(registry_url) as registry:
        codec = AvroCodec(registry)
        await producer.start()
        try:
            for first in range(0, EVENTS, PUBLISH_BATCH):
                sent = []
                for index in range(first, min(first + PUBLISH_BATCH, EVENTS)):
                    event = templates[index % len(templates)].model_copy(
                        update={"delivery_id": _delivery_id(index)}
                    )
                    value = await codec.encode(event)
                    size += len(value)
                    # Unkeyed, so the records spread over the topic's partitions (the
                    # gateway keys by repository, and every push example is one repository).
                    sent.append(await producer.send(topic, value))
                await asyncio.gather(*sent)
        finally:
            await producer.stop()
    return time.perf_counter() - started, size / EVENTS


class _OnAssigned(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka has no types
    """Starts a window's clocks when the group gives the consumer its partitions."""

    def __init__(self, window: _Window) -> None:
        self.window = window

    async def on_partitions_revoked(self, revoked: object) -> None:
        """Nothing to do: the benchmark commits nothing."""

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        """Start the clocks: fetching begins now."""
        if assigned:
            self.window.start()


@contextlib.asynccontextmanager
async def _raw_consumer(
    bootstrap: str, topic: str, window: _Window
) -> AsyncIterator[AIOKafkaConsumer]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid.uuid4().hex[:12]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=SESSION_TIMEOUT_MS,
        heartbeat_interval_ms=SESSION_TIMEOUT_MS // 3,
    )
    consumer.subscribe([topic], listener=_OnAssigned(window))
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def _read_bytes(bootstrap: str, topic: str) -> Run:
    window = _Window(EVENTS)
    size = 0
    async with _raw_consumer(bootstrap, topic, window) as consumer:
        while not window.done():
            batches = await consumer.getmany(timeout_ms=1000)
            count = 0
            for records in batches.values():
                count += len(records)
                for record in records:
                    size += len(record.value or b"")
            if count:
                window.received(count)
    assert size > 0
    return window.run("raw aiokafka getmany, bytes")


async def _read_decoded(bootstrap: str, topic: str, registry_url: str) -> tuple[Run, int]:
    """Read and decode every record; return the run and how many registry calls it made."""
    calls = 0

    async def count_call(request: httpx.Request) -> None:
        nonlocal calls
        calls += 1

    window = _Window(EVENTS)
    ids: set[uuid.UUID] = set()
    async with (
        httpx.AsyncClient(event_hooks={"request": [count_call]}) as http,
        _raw_consumer(bootstrap, topic, window) as consumer,
    ):
        codec = AvroCodec(SchemaRegistryClient(registry_url, http_client=http))
        while not window.done():
            batches = await consumer.getmany(timeout_ms=1000)
            count = 0
            for records in batches.values():
                count += len(records)
                for record in records:
                    event = await codec.decode(record.value)
                    assert isinstance(event, PushEvent)
                    ids.add(event.delivery_id)
            if count:
                window.received(count)
    if len(ids) != EVENTS:
        msg = f"decoded {len(ids)} distinct deliveries of {EVENTS}"
        raise RuntimeError(msg)
    return window.run("aiokafka + AvroCodec.decode"), calls


async def _run_example_app(bootstrap: str, registry_url: str, prefix: str, null: TextIO) -> Run:
    settings = ConsumerSettings(
        kafka=KafkaConnectionSettings(bootstrap_servers=bootstrap, enable_idempotence=False),
        schema_registry=SchemaRegistrySettings(url=AnyHttpUrl(registry_url)),
        consumer_group_id=f"bench-app-{uuid.uuid4().hex[:12]}",
        topic_prefix=prefix,
        consumer_session_timeout_ms=SESSION_TIMEOUT_MS,
    )
    window = _Window(EVENTS)
    ids: set[uuid.UUID] = set()

    async def timed_push(event: PushEvent) -> None:
        ids.add(event.delivery_id)
        await on_push(event)  # the app's own handler: summary line, printed
        window.received(1)
        window.done()

    consumer = build_consumer(
        settings,
        handlers=EventHandlers(push=timed_push),
        max_messages=EVENTS,
        from_beginning=True,
    )
    with contextlib.redirect_stdout(null):
        stats = await consumer.run(handle_signals=False)
    if stats.processed != EVENTS or stats.dead_lettered or len(ids) != EVENTS:
        msg = (
            f"example app: {stats.processed} processed, {stats.dead_lettered} dead-lettered, "
            f"{len(ids)} distinct deliveries of {EVENTS}"
        )
        raise RuntimeError(msg)
    return window.run("example app (FastStream), end to end")


def _best(runs: list[Run]) -> Run:
    return max(runs, key=lambda run: run.rate)


async def _measure(stack: DevStack, null: TextIO) -> tuple[list[Run], dict[str, Any]]:
    prefix = f"bench{uuid.uuid4().hex[:10]}."
    topic = topic_for_github_event("push", prefix).name
    bootstrap, registry_url = stack.bootstrap_servers, stack.registry_url
    publish_seconds, mean_size = await _publish(bootstrap, registry_url, topic)
    raw: list[Run] = []
    decoded: list[Run] = []
    calls: list[int] = []
    # Rounds alternate between the two cheap rows, so a busy moment hits both alike.
    for _ in range(RAW_ROUNDS):
        raw.append(await _read_bytes(bootstrap, topic))
        run, registry_calls = await _read_decoded(bootstrap, topic, registry_url)
        decoded.append(run)
        calls.append(registry_calls)
    app = await _run_example_app(bootstrap, registry_url, prefix, null)
    facts = {"publish_seconds": publish_seconds, "mean_size": mean_size, "calls": calls}
    return [_best(raw), _best(decoded), app], facts


def main() -> None:
    """Publish N real push events to the devstack, read them back three ways, print a table.

    The rows are a raw aiokafka consumer (bytes only; the baseline), the same consumer
    decoding each record to a `PushEvent` with `AvroCodec`, and the example consumer app
    end to end (commit after each handler). Each reads all N from the beginning with a
    fresh consumer group. No throughput target is set.

    Raises
    ------
    RuntimeError
        If a row did not read every published event exactly as published.
    """
    with DevStack() as stack, Path(os.devnull).open("w") as null:
        runs, facts = asyncio.run(_measure(stack, null))
    _print(runs, facts)


def _print(runs: list[Run], facts: dict[str, Any]) -> None:
    baseline = runs[0]
    load = os.getloadavg()[0]
    print()
    print(f"consumer: {EVENTS:,} real push events read back from Kafka, fresh group per row")
    print(f"  cores: {os.cpu_count()}, load average at the end: {load:.1f}, target: no target set")
    header = (
        f"  {'row':<38}{'records':>9}{'rec/s':>10}{'CPU ms/rec':>12}{'join s':>8}{'x baseline':>12}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for run in runs:
        print(
            f"  {run.name:<38}{run.records:>9}{run.rate:>10,.0f}{run.cpu_ms_per_record:>12.3f}"
            f"{run.join_seconds:>8.2f}{run.rate / baseline.rate:>12.3f}"
        )
    print(f"  baseline: {baseline.name} (best of {RAW_ROUNDS}, as is the decode row)")
    print(
        f"  N = {EVENTS:,} PushEvents from the real push payloads, {facts['mean_size']:,.0f} B "
        f"each as framed Avro, published unkeyed in {facts['publish_seconds']:.1f} s"
    )
    print(
        "  broker: Tansu (octobus-devstack, embedded, memory storage) on 127.0.0.1; "
        "registry: octobus-devstack's, in this process, over HTTP"
    )
    print(
        "  clock: from partitions assigned (aiokafka rows) or the first handled event "
        "(app; not counted) to the N-th record; join s: consumer start to the clock's start"
    )
    print(
        "  CPU ms/rec: this process (client side; the broker's CPU is not counted); "
        f"registry calls of the decode row per round: {facts['calls']}"
    )
    print(
        "  example app: one handler call and one commit per event; its summary line is "
        "printed to os.devnull"
    )
    print("  for comparison, PLATFORM notes raw aiokafka consumer at 223-245k msg/s here")


if __name__ == "__main__":
    main()
