"""Every real delivery in the test data fits its model and comes back without loss.

``tests/data/github-webhook-examples.json`` holds every example of the modelled event types
from ``@octokit/webhooks-examples`` (and a few unmodelled ones, which go to the raw event).
Each is validated into its model, written with raw fastavro, read back with schema resolution,
and every modelled value is compared with the payload's own.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from octobus_schemas.events import GitHubEvent, OctobusModel, RawGitHubEvent
from octobus_schemas.topics import TYPED_TOPICS, topic_for_github_event

# Every typed topic names its event (TopicSpec refuses one that does not), and the count
# test below lists each by name, so the filter only tells the type checker what holds.
MODELLED = [spec.github_event for spec in TYPED_TOPICS if spec.github_event is not None]
UNMODELLED = ["create", "ping", "star"]
ENVELOPE_ONLY = {"delivery_id", "event", "received_at", "installation_id", "payload_json"}


def assert_holds(model: OctobusModel, payload: dict[str, Any], path: str) -> int:
    """Compare every modelled field with the payload's value; return how many were compared."""
    compared = 0
    for name in type(model).model_fields:
        if name in ENVELOPE_ONLY or name not in payload:
            continue
        value, expected = getattr(model, name), payload[name]
        where = f"{path}.{name}"
        if isinstance(value, OctobusModel):
            compared += assert_holds(value, expected, where)
        elif isinstance(value, list) and value and isinstance(value[0], OctobusModel):
            assert len(value) == len(expected), where
            for index, (item, raw) in enumerate(zip(value, expected, strict=True)):
                compared += assert_holds(item, raw, f"{where}[{index}]")
        elif isinstance(value, dt.datetime):
            instant = (
                dt.datetime.fromtimestamp(expected, tz=dt.UTC)
                if isinstance(expected, int)
                else dt.datetime.fromisoformat(expected)
            )
            assert value == instant, where
            compared += 1
        else:
            assert value == expected, where
            compared += 1
    return compared


def deliveries(names: list[str]) -> list[tuple[str, int]]:
    data = Path(__file__).parent / "data" / "github-webhook-examples.json"
    catalogue = json.loads(data.read_text(encoding="utf-8"))
    counts = {entry["name"]: len(entry["examples"]) for entry in catalogue}
    return [(name, index) for name in names for index in range(counts[name])]


@pytest.mark.parametrize(("name", "index"), deliveries(MODELLED), ids=lambda v: str(v))
def test_every_modelled_delivery_fits_its_model_and_round_trips_without_loss(
    name: str,
    index: int,
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Any,
    round_trip: Any,
) -> None:
    payload = webhook_examples[name][index]
    event: GitHubEvent = from_delivery(name, payload)
    assert type(event) is topic_for_github_event(name).model
    decoded = round_trip(event)
    assert decoded == event
    assert decoded.action == payload.get("action")
    assert assert_holds(decoded, payload, name) >= 10


@pytest.mark.parametrize(("name", "index"), deliveries(UNMODELLED), ids=lambda v: str(v))
def test_every_unmodelled_delivery_fits_the_raw_event_with_its_whole_payload(
    name: str,
    index: int,
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Any,
    round_trip: Any,
) -> None:
    payload = webhook_examples[name][index]
    event: RawGitHubEvent = from_delivery(name, payload)
    assert type(event) is RawGitHubEvent
    decoded: RawGitHubEvent = round_trip(event)
    assert decoded == event
    assert decoded.payload() == payload
    assert decoded.event == name


def test_the_test_data_has_every_example_of_every_modelled_event(
    webhook_examples: dict[str, list[dict[str, Any]]],
) -> None:
    # The upstream file (tests/data/SOURCE.md) has these many examples of each.
    assert {name: len(webhook_examples[name]) for name in MODELLED} == {
        "push": 7,
        "pull_request": 29,
        "issues": 29,
        "issue_comment": 9,
        "release": 13,
        "workflow_run": 5,
    }
