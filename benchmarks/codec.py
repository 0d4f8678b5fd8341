"""The Avro codec against raw fastavro, dataclasses-avroschema and confluent-kafka.

Targets (issue 3): encode model -> framed bytes at >= 0.8x raw ``fastavro.schemaless_writer``
on a prepared dict; decode framed bytes -> validated model, writer schema resolved into the
reader's, at >= 0.7x raw ``fastavro.schemaless_reader`` to a dict. Measured on the largest
event model (built from a real GitHub delivery) and on a 10-field record, all in one run so
the ratios compare like with like. Rates are records per CPU second of this process
(``time.process_time``): the best ~2 ms batch over rounds that interleave all paths, so other
load on a shared machine skews no path more than another. The registry is octobus-devstack's,
in process: after warm-up no path calls it, so where it runs does not matter.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import enum
import io
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastavro
from confluent_kafka.schema_registry import SchemaRegistryClient as ConfluentRegistry
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from dataclasses_avroschema.pydantic import AvroBaseModel
from octobus_schemas.avro import AvroCodec, avro_schema, frame
from octobus_schemas.avro._encoding import compile_encoder
from octobus_schemas.avro._schema import record_classes
from octobus_schemas.catalog import CATALOG
from octobus_schemas.testing import InMemorySchemaRegistry
from octobus_schemas.topics import topic_for_github_event
from pydantic import AwareDatetime, Field

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "schemas-client" / "tests" / "data" / "github-webhook-examples.json"
ENCODE_TARGET = 0.8
DECODE_TARGET = 0.7
ROUNDS = 25
SECONDS_PER_ROUND = 0.08
BATCH_SECONDS = 0.002


class Kind(enum.StrEnum):
    """The enum of the 10-field record."""

    CREATED = "created"
    UPDATED = "updated"


class Owner(AvroBaseModel):
    """The nested record of the 10-field record."""

    login: str
    id: int

    class Meta:
        """The record's Avro namespace."""

        namespace = "bench.octobus"


class TenFields(AvroBaseModel):
    """uuid, longs, string, enum, timestamp, optional string, nested record, list of strings."""

    id: uuid.UUID
    sequence: int
    size: int
    name: str
    kind: Kind
    at: AwareDatetime
    note: str | None = None
    owner: Owner
    tags: list[str] = Field(default_factory=list)
    count: int = 0

    class Meta:
        """The record's Avro namespace."""

        namespace = "bench.octobus"


@dataclass
class Row:
    """One measured path."""

    model: str
    direction: str
    path: str
    rate: float
    baseline: float
    target: float | None = None

    @property
    def ratio(self) -> float:
        """The rate relative to the baseline of the same direction."""
        return self.rate / self.baseline


def _round(call: Callable[[], object], batch: int) -> float:
    """Run ``call`` in batches for one round; return the best batch's rate."""
    best = 0.0
    deadline = time.process_time() + SECONDS_PER_ROUND
    while True:
        start = time.process_time()
        for _ in range(batch):
            call()
        now = time.process_time()
        best = max(best, batch / max(now - start, 1e-9))
        if now >= deadline:
            return best


async def _async_round(call: Callable[[], Awaitable[object]], batch: int) -> float:
    """Run a coroutine function like `_round` runs a function."""
    best = 0.0
    deadline = time.process_time() + SECONDS_PER_ROUND
    while True:
        start = time.process_time()
        for _ in range(batch):
            await call()
        now = time.process_time()
        best = max(best, batch / max(now - start, 1e-9))
        if now >= deadline:
            return best


@dataclass
class _Path:
    direction: str
    name: str
    call: Callable[[], Any]
    is_async: bool = False
    target: float | None = None
    baseline: int = 0
    """Index of the path this one is compared with."""


async def _best_rates(paths: list[_Path]) -> list[float]:
    """Best rate of each path; rounds interleave the paths so load changes hit all alike.

    Each round runs a path in batches of about 2 ms of work and keeps the best batch: on a
    shared machine the best short batch is the one no other process disturbed.
    """
    batches = []
    for path in paths:
        start = time.process_time()
        await path.call() if path.is_async else path.call()
        once = max(time.process_time() - start, 1e-6)
        batches.append(max(1, int(BATCH_SECONDS / once)))
    best = [0.0] * len(paths)
    for _ in range(ROUNDS):
        for index, path in enumerate(paths):
            if path.is_async:
                rate = await _async_round(path.call, batches[index])
            else:
                rate = _round(path.call, batches[index])
            best[index] = max(best[index], rate)
    return best


def _ten_fields() -> TenFields:
    return TenFields(
        id=uuid.UUID(int=7),
        sequence=42,
        size=1_234_567,
        name="octobus/benchmark",
        kind=Kind.UPDATED,
        at=dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC),
        note="a short note",
        owner=Owner(login="octocat", id=583231),
        tags=["avro", "kafka", "pydantic"],
        count=3,
    )


def _field_count(schema: Any) -> int:
    if isinstance(schema, list):
        return sum(_field_count(branch) for branch in schema)
    if not isinstance(schema, dict):
        return 0
    if schema.get("type") == "record":
        return sum(1 + _field_count(field["type"]) for field in schema["fields"])
    if schema.get("type") == "array":
        return _field_count(schema["items"])
    if schema.get("type") == "map":
        return _field_count(schema["values"])
    return 0


def _largest_event() -> AvroBaseModel:
    """Build the catalog's largest event (most fields) from its largest real delivery."""
    examples = {e["name"]: e["examples"] for e in json.loads(EXAMPLES.read_text("utf-8"))}
    candidates = []
    for event_name in examples:
        spec = topic_for_github_event(event_name)
        if spec.github_event is not None:
            candidates.append((_field_count(avro_schema(spec.model)), event_name, spec))
    _, event_name, spec = max(candidates, key=lambda item: item[0])
    payload = max(examples[event_name], key=lambda example: len(json.dumps(example)))
    envelope = {
        "delivery_id": uuid.UUID(int=1),
        "event": event_name,
        "action": payload.get("action"),
        "received_at": dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC),
        "installation_id": (payload.get("installation") or {}).get("id"),
    }
    event: AvroBaseModel = spec.model.model_validate({**payload, **envelope})
    return event


def _older_writer_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Return the schema minus its last field with a default: an older producer's."""
    older: dict[str, Any] = json.loads(json.dumps(schema))
    for index in range(len(older["fields"]) - 1, -1, -1):
        if "default" in older["fields"][index]:
            del older["fields"][index]
            return older
    return None


async def _measure(model: AvroBaseModel, label: str, registry: InMemorySchemaRegistry) -> list[Row]:
    model_class = type(model)
    catalog = {**CATALOG, model_class.get_fullname(): model_class}
    codec = AvroCodec(registry.client, catalog=catalog)
    schema = avro_schema(model_class)
    parsed = fastavro.parse_schema(schema)

    framed = await codec.encode(model)
    assert await codec.decode(framed) == model
    # The baseline's dict is the best one fastavro can be given: what our converter hands it
    # (union branches named, so fastavro need not search them), as plain data.
    prepared = copy.deepcopy(compile_encoder(schema, record_classes(model_class))(model))
    plain = fastavro.schemaless_reader(io.BytesIO(framed[5:]), parsed, None)

    def raw_write() -> bytes:
        stream = io.BytesIO()
        fastavro.schemaless_writer(stream, parsed, prepared)
        return stream.getvalue()

    def raw_write_plain() -> bytes:
        stream = io.BytesIO()
        fastavro.schemaless_writer(stream, parsed, plain)
        return stream.getvalue()

    body = raw_write()

    confluent = ConfluentRegistry.new_client({"url": "mock://octobus-bench"})
    context = SerializationContext("bench", MessageField.VALUE)
    serializer = AvroSerializer(
        confluent,
        json.dumps(schema),
        to_dict=lambda value, ctx: value,
        conf={"auto.register.schemas": True},
    )
    confluent_framed = serializer(plain, context)
    deserializer = AvroDeserializer(confluent)

    encode = [
        _Path("encode", "raw fastavro.schemaless_writer, prepared dict", raw_write),
        _Path(
            "encode",
            "octobus AvroCodec.encode, model -> framed",
            lambda: codec.encode(model),
            is_async=True,
            target=ENCODE_TARGET,
        ),
        _Path("encode", "raw fastavro, plain dict (fastavro searches unions)", raw_write_plain),
        _Path("encode", "dataclasses-avroschema serialize()", model.serialize),
        _Path(
            "encode",
            "confluent AvroSerializer (mock://), plain dict",
            lambda: serializer(plain, context),
        ),
    ]
    decode = [
        _Path(
            "decode",
            "raw fastavro.schemaless_reader -> dict",
            lambda: fastavro.schemaless_reader(io.BytesIO(body), parsed, None),
        ),
        _Path(
            "decode",
            "octobus AvroCodec.decode, same writer version",
            lambda: codec.decode(framed),
            is_async=True,
            target=DECODE_TARGET,
        ),
    ]
    older = _older_writer_schema(schema)
    if older is not None:
        older_id = (await registry.client.register(older, f"bench-older-{label}")).id
        stream = io.BytesIO()
        fastavro.schemaless_writer(stream, fastavro.parse_schema(older), prepared)
        older_framed = frame(older_id, stream.getvalue())
        older_body = older_framed[5:]
        older_parsed = fastavro.parse_schema(older)
        assert type(await codec.decode(older_framed)) is model_class
        decode += [
            _Path(
                "decode",
                "raw fastavro.schemaless_reader, older bytes -> dict",
                lambda: fastavro.schemaless_reader(io.BytesIO(older_body), older_parsed, None),
            ),
            _Path(
                "decode",
                "octobus AvroCodec.decode, older writer (resolved)",
                lambda: codec.decode(older_framed),
                is_async=True,
                target=DECODE_TARGET,
                baseline=len(decode),
            ),
        ]
    decode += [
        _Path(
            "decode",
            "dataclasses-avroschema deserialize()",
            lambda: model_class.deserialize(body),
        ),
        _Path(
            "decode",
            "confluent AvroDeserializer (mock://) -> dict",
            lambda: deserializer(confluent_framed, context),
        ),
    ]
    rows = []
    for paths in (encode, decode):
        rates = await _best_rates(paths)
        rows += [
            Row(label, path.direction, path.name, rate, rates[path.baseline], path.target)
            for path, rate in zip(paths, rates, strict=True)
        ]
    return rows


def _print(rows: list[Row]) -> bool:
    header = f"{'record':<28} {'dir':<6} {'path':<52} {'rec/s':>10} {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    ok = True
    for row in rows:
        verdict = ""
        if row.target is not None:
            passed = row.ratio >= row.target
            ok &= passed
            verdict = f">= {row.target:.1f}x {'PASS' if passed else 'FAIL'}"
        print(
            f"{row.model:<28} {row.direction:<6} {row.path:<52} {row.rate:>10,.0f} "
            f"{row.ratio:>6.2f}x  {verdict}"
        )
    return ok


async def _run() -> bool:
    async with InMemorySchemaRegistry() as registry:
        largest = _largest_event()
        rows = await _measure(largest, type(largest).__name__, registry)
        rows += await _measure(_ten_fields(), "10-field record", registry)
    print(
        f"\nAvro codec: records per CPU second (best 2 ms batch, {ROUNDS} interleaved rounds);"
        "\nratio = rate / the raw fastavro row of its direction (older writer: same bytes)"
    )
    return _print(rows)


def main() -> None:
    """Run the codec benchmark and print its table."""
    ok = asyncio.run(_run())
    print("codec targets met" if ok else "codec targets NOT met")
