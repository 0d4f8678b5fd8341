"""Which Kafka topic each GitHub event goes to, and which model it carries.

Every modelled event type has its own topic (``github.push``, ...); every other event type
goes to :data:`RAW_TOPIC` as a :class:`~octobus_schemas.events.RawGitHubEvent`. A prefix
(e.g. ``staging.``) lets several environments share one cluster.

Examples
--------
>>> topic_for_github_event("push").name
'github.push'
>>> topic_for_github_event("star", prefix="staging.").name
'staging.github.raw'
"""

import dataclasses

from octobus_schemas.events import (
    GitHubEvent,
    IssueCommentEvent,
    IssuesEvent,
    PullRequestEvent,
    PushEvent,
    RawGitHubEvent,
    ReleaseEvent,
    WorkflowRunEvent,
)

__all__ = [
    "RAW_TOPIC",
    "TYPED_TOPICS",
    "TopicSpec",
    "all_topics",
    "topic_for_github_event",
]

#: The topic for every event type that has no model of its own.
RAW_TOPIC = "github.raw"


@dataclasses.dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic and the event model its messages carry.

    Attributes
    ----------
    name
        The topic name, prefix included.
    model
        The record class every message on the topic is encoded with.
    github_event
        The ``X-GitHub-Event`` name the topic is for; ``None`` for the raw topic, which
        carries every event type without a model.
    """

    name: str
    model: type[GitHubEvent]
    github_event: str | None

    def with_prefix(self, prefix: str) -> "TopicSpec":
        """Return the same spec with ``prefix`` put before the topic name.

        Parameters
        ----------
        prefix
            Put verbatim before the name (include any separator, e.g. ``"staging."``).

        Returns
        -------
        TopicSpec
            A new spec; this one is unchanged.
        """
        return dataclasses.replace(self, name=prefix + self.name)


def _typed(model: type[GitHubEvent]) -> TopicSpec:
    event = model.github_event
    if event is None:
        raise TypeError(f"{model.__qualname__} names no GitHub event: it cannot have a topic")
    return TopicSpec(name=f"github.{event}", model=model, github_event=event)


#: One topic per modelled event type, in a fixed order.
TYPED_TOPICS: tuple[TopicSpec, ...] = tuple(
    _typed(model)
    for model in (
        PushEvent,
        PullRequestEvent,
        IssuesEvent,
        IssueCommentEvent,
        ReleaseEvent,
        WorkflowRunEvent,
    )
)

_RAW_SPEC = TopicSpec(name=RAW_TOPIC, model=RawGitHubEvent, github_event=None)
_BY_EVENT = {spec.github_event: spec for spec in TYPED_TOPICS}


def topic_for_github_event(event_name: str, prefix: str = "") -> TopicSpec:
    """Return the topic for a delivery's ``X-GitHub-Event`` name.

    Parameters
    ----------
    event_name
        GitHub's event name, e.g. ``push``. Any name is accepted: one without a model
        of its own (including names GitHub adds in future) maps to the raw topic.
    prefix
        Put before the topic name.

    Returns
    -------
    TopicSpec
        The typed topic for a modelled event, else the raw topic.
    """
    return _BY_EVENT.get(event_name, _RAW_SPEC).with_prefix(prefix)


def all_topics(prefix: str = "") -> list[TopicSpec]:
    """Return every topic Octobus writes to: the typed topics, then the raw topic.

    Parameters
    ----------
    prefix
        Put before every topic name.

    Returns
    -------
    list of TopicSpec
        In a fixed order.
    """
    return [spec.with_prefix(prefix) for spec in (*TYPED_TOPICS, _RAW_SPEC)]
