"""Every GitHub event name maps to one topic and one model; unknown names go to the raw topic."""

import dataclasses

import pytest
from octobus_schemas.catalog import CATALOG, Catalog
from octobus_schemas.events import (
    IssueCommentEvent,
    IssuesEvent,
    PullRequestEvent,
    PushEvent,
    RawGitHubEvent,
    ReleaseEvent,
    WorkflowRunEvent,
)
from octobus_schemas.topics import (
    RAW_TOPIC,
    TYPED_TOPICS,
    TopicSpec,
    all_topics,
    topic_for_github_event,
)


@pytest.mark.parametrize(
    ("event_name", "topic", "model"),
    [
        ("push", "github.push", PushEvent),
        ("pull_request", "github.pull_request", PullRequestEvent),
        ("issues", "github.issues", IssuesEvent),
        ("issue_comment", "github.issue_comment", IssueCommentEvent),
        ("release", "github.release", ReleaseEvent),
        ("workflow_run", "github.workflow_run", WorkflowRunEvent),
    ],
)
def test_a_modelled_event_has_its_own_topic_and_model(
    event_name: str, topic: str, model: type
) -> None:
    assert topic_for_github_event(event_name) == TopicSpec(topic, model, event_name)


@pytest.mark.parametrize("event_name", ["star", "ping", "create", "a_future_event", ""])
def test_any_other_event_name_goes_to_the_raw_topic(event_name: str) -> None:
    assert topic_for_github_event(event_name) == TopicSpec(RAW_TOPIC, RawGitHubEvent, None)
    assert RAW_TOPIC == "github.raw"


def test_a_prefix_is_put_before_every_topic_name() -> None:
    assert topic_for_github_event("push", prefix="staging.").name == "staging.github.push"
    assert topic_for_github_event("star", prefix="staging.").name == "staging.github.raw"
    assert [spec.name for spec in all_topics("dev-")] == [
        "dev-github.push",
        "dev-github.pull_request",
        "dev-github.issues",
        "dev-github.issue_comment",
        "dev-github.release",
        "dev-github.workflow_run",
        "dev-github.raw",
    ]
    # The module-level specs are never changed by a prefix.
    assert TYPED_TOPICS[0].name == "github.push"


def test_all_topics_is_the_typed_topics_then_raw_and_specs_are_immutable() -> None:
    topics = all_topics()
    assert topics[:-1] == list(TYPED_TOPICS)
    assert topics[-1].model is RawGitHubEvent
    with pytest.raises(dataclasses.FrozenInstanceError):
        topics[0].name = "elsewhere"  # type: ignore[misc]


def test_every_topic_model_is_in_the_catalog_under_its_record_name() -> None:
    for spec in all_topics():
        assert CATALOG[spec.model.get_fullname()] is spec.model
    assert len(CATALOG) == len(all_topics())


def test_the_catalog_maps_record_full_names_to_classes_in_a_fixed_order() -> None:
    assert list(CATALOG) == [
        "io.octobus.github.v1.PushEvent",
        "io.octobus.github.v1.PullRequestEvent",
        "io.octobus.github.v1.IssuesEvent",
        "io.octobus.github.v1.IssueCommentEvent",
        "io.octobus.github.v1.ReleaseEvent",
        "io.octobus.github.v1.WorkflowRunEvent",
        "io.octobus.github.v1.RawGitHubEvent",
    ]
    assert CATALOG.models()[0] is PushEvent
    assert "io.octobus.github.v1.Repository" not in CATALOG  # not a message of its own
    with pytest.raises(KeyError):
        CATALOG["io.octobus.github.v1.Nope"]


def test_a_catalog_refuses_two_models_with_one_record_name() -> None:
    with pytest.raises(ValueError, match=r"io\.octobus\.github\.v1\.PushEvent is named by both"):
        Catalog([PushEvent, PushEvent])
