"""Fixtures shared by the octobus-schemas tests."""

import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import fastavro
import pytest
from octobus_schemas.events import GitHubEvent, OctobusModel
from octobus_schemas.topics import topic_for_github_event

DATA = Path(__file__).parent / "data"

ModelT = TypeVar("ModelT", bound=OctobusModel)


@pytest.fixture(scope="session")
def webhook_examples() -> dict[str, list[dict[str, Any]]]:
    """Real GitHub deliveries by event name (tests/data/SOURCE.md says where they are from)."""
    catalogue = json.loads((DATA / "github-webhook-examples.json").read_text(encoding="utf-8"))
    return {entry["name"]: entry["examples"] for entry in catalogue}


def event_from_delivery(event_name: str, payload: dict[str, Any]) -> GitHubEvent:
    """Build an event model from a real payload the simplest way: GitHub's names are ours.

    The gateway owns the real mapping; this one only shows the models can hold the payload.
    """
    spec = topic_for_github_event(event_name)
    envelope: dict[str, Any] = {
        "delivery_id": uuid.UUID(int=len(json.dumps(payload))),
        "event": event_name,
        "action": payload.get("action"),
        "received_at": dt.datetime(2026, 12, 3, 19, 0, 0, 123000, tzinfo=dt.UTC),
        "installation_id": (payload.get("installation") or {}).get("id"),
    }
    if spec.github_event is None:
        envelope["payload_json"] = json.dumps(payload)
    return spec.model.model_validate({**payload, **envelope})


@pytest.fixture(scope="session")
def from_delivery() -> Callable[[str, dict[str, Any]], GitHubEvent]:
    """The function building an event model from a real payload."""
    return event_from_delivery


def avro_round_trip(model: ModelT, reader: type[ModelT] | None = None) -> ModelT:
    """Write a model with raw fastavro and its own schema, read it back into ``reader``."""
    reader = reader or type(model)
    writer_schema = fastavro.parse_schema(type(model).avro_schema_to_python())
    reader_schema = fastavro.parse_schema(reader.avro_schema_to_python())
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, writer_schema, model.asdict())
    buffer.seek(0)
    record = fastavro.schemaless_reader(buffer, writer_schema, reader_schema)
    return reader.model_validate(record)


@pytest.fixture(scope="session")
def round_trip() -> Callable[..., Any]:
    """Encode with the model's schema and decode with resolution, through raw fastavro."""
    return avro_round_trip
