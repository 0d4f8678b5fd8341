"""The gateway's interface models parse what the gateway answers, and nothing looser."""

from uuid import UUID

import pytest
from octobus_schemas.api import (
    DeliveryAccepted,
    ErrorBody,
    Health,
    PingAnswer,
    TopicCatalog,
    TopicInfo,
)
from pydantic import ValidationError

DELIVERY_ID = "72d3162e-cc78-11e3-81ab-4c9367dc0958"


def test_a_delivery_acknowledgement_names_topic_partition_and_offset() -> None:
    accepted = DeliveryAccepted.model_validate_json(
        f'{{"delivery_id": "{DELIVERY_ID}", "event": "push",'
        ' "topic": "github.push", "partition": 3, "offset": 41}'
    )
    assert accepted == DeliveryAccepted(
        delivery_id=UUID(DELIVERY_ID), event="push", topic="github.push", partition=3, offset=41
    )


def test_a_negative_offset_is_rejected_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="offset"):
        DeliveryAccepted(
            delivery_id=UUID(DELIVERY_ID), event="push", topic="t", partition=0, offset=-1
        )


def test_fields_a_newer_gateway_adds_are_ignored() -> None:
    ping = PingAnswer.model_validate(
        {"delivery_id": DELIVERY_ID, "zen": "Keep it logically awesome.", "new_field": 1}
    )
    assert ping.zen == "Keep it logically awesome."
    assert ping.hook_id is None


def test_models_are_immutable() -> None:
    ping = PingAnswer(delivery_id=UUID(DELIVERY_ID))
    with pytest.raises(ValidationError, match="frozen"):
        ping.zen = "changed"  # type: ignore[misc]


def test_the_catalog_finds_a_topic_and_names_the_known_ones_when_asked_for_another() -> None:
    push = TopicInfo(
        topic="github.push",
        record="octobus.events.PushEvent",
        subject="octobus.events.PushEvent",
        schema_id=1,
        version=1,
        github_event="push",
    )
    catalog = TopicCatalog(topics=[push])
    assert catalog.by_topic("github.push") is push
    with pytest.raises(KeyError, match=r"'github\.nope'.*github\.push"):
        catalog.by_topic("github.nope")


def test_readiness_lists_each_dependency_and_is_ok_only_when_the_gateway_says_so() -> None:
    health = Health.model_validate(
        {
            "status": "unavailable",
            "version": "1.2.0",
            "dependencies": {
                "kafka": {"status": "ok", "latency_ms": 1.5},
                "schema_registry": {"status": "unavailable", "detail": "connection refused"},
            },
        }
    )
    assert not health.ok
    assert health.dependencies["kafka"].status == "ok"
    assert health.dependencies["schema_registry"].detail == "connection refused"
    assert Health(status="ok").ok


def test_an_unknown_health_status_is_rejected() -> None:
    with pytest.raises(ValidationError, match="status"):
        Health.model_validate({"status": "fine"})


def test_an_error_body_keeps_a_string_detail() -> None:
    body = ErrorBody.model_validate({"detail": "X-Hub-Signature-256 does not match the body"})
    assert body.detail == "X-Hub-Signature-256 does not match the body"


def test_fastapi_validation_issues_become_one_line_naming_each_location() -> None:
    body = ErrorBody.model_validate(
        {
            "detail": [
                {"loc": ["header", "x-github-event"], "msg": "Field required", "type": "missing"},
                {"loc": [], "msg": "Body is empty"},
                "bare issue",
            ]
        }
    )
    assert body.detail == "header.x-github-event: Field required; Body is empty; bare issue"
