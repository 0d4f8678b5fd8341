"""The gateway's REST interface models: what each route answers.

Plain Pydantic and nothing else, so a caller can parse the gateway's answers without any server
dependency. The gateway uses these classes as its FastAPI response models; where it needs
constructors from its own domain objects it subclasses them, never the other way round.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "DeliveryAccepted",
    "DependencyStatus",
    "ErrorBody",
    "Health",
    "HealthStatus",
    "PingAnswer",
    "TopicCatalog",
    "TopicInfo",
]

HealthStatus = Literal["ok", "unavailable"]
"""The state of the gateway or of one of its dependencies."""


class _InterfaceModel(BaseModel):
    """Base of every interface model: immutable, and lenient about fields added later.

    Unknown fields are ignored so that an older client keeps parsing the answers of a newer
    gateway that has added a field.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


class DeliveryAccepted(_InterfaceModel):
    """The answer to an accepted webhook delivery (HTTP 202).

    A 202 means the broker has acknowledged the event: nothing that was accepted is lost.

    Attributes
    ----------
    delivery_id
        GitHub's delivery id (the ``X-GitHub-Delivery`` header).
    event
        GitHub's event name (the ``X-GitHub-Event`` header), such as ``push``.
    topic
        The Kafka topic the event was published to.
    partition
        The partition the broker wrote the event to.
    offset
        The event's offset in that partition.
    """

    delivery_id: UUID
    event: str
    topic: str
    partition: int = Field(ge=0)
    offset: int = Field(ge=0)


class PingAnswer(_InterfaceModel):
    """The answer to GitHub's ``ping`` event (HTTP 200); nothing is published for a ping.

    Attributes
    ----------
    delivery_id
        The ping's delivery id.
    zen
        The GitHub zen line the ping carried, echoed back.
    hook_id
        The id of the webhook that was pinged, when the ping named it.
    """

    delivery_id: UUID
    zen: str | None = None
    hook_id: int | None = None


class TopicInfo(_InterfaceModel):
    """One topic of the gateway's catalog: where an event type goes and under which schema.

    Attributes
    ----------
    topic
        The Kafka topic name, including the gateway's topic prefix.
    record
        The Avro record full name of the events on that topic.
    subject
        The Schema Registry subject the record's schema is registered under.
    schema_id
        The registry's id of the schema the gateway writes with, or ``None`` when the gateway
        has not registered or looked it up yet.
    version
        The schema's version under ``subject``, or ``None`` like ``schema_id``.
    github_event
        The GitHub event name routed to this topic, or ``None`` for the raw topic, which
        carries every event that has no model of its own.
    """

    topic: str
    record: str
    subject: str
    schema_id: int | None = None
    version: int | None = None
    github_event: str | None = None


class TopicCatalog(_InterfaceModel):
    """The answer of ``GET /v1/topics``: every topic the gateway publishes to.

    Attributes
    ----------
    topics
        One entry per topic.
    """

    topics: list[TopicInfo]

    def by_topic(self, topic: str) -> TopicInfo:
        """Return the entry for one topic.

        Parameters
        ----------
        topic
            The Kafka topic name.

        Returns
        -------
        TopicInfo
            The catalog entry.

        Raises
        ------
        KeyError
            If the catalog has no such topic; the message lists the topics it has.
        """
        for info in self.topics:
            if info.topic == topic:
                return info
        known = ", ".join(info.topic for info in self.topics) or "none"
        msg = f"no topic {topic!r} in the gateway's catalog (it has: {known})"
        raise KeyError(msg)


class DependencyStatus(_InterfaceModel):
    """The state of one thing the gateway needs (Kafka, the Schema Registry).

    Attributes
    ----------
    status
        ``"ok"`` or ``"unavailable"``.
    detail
        Why the dependency is unavailable (the error it gave), or ``None`` when it is ok.
    latency_ms
        How long the check took, in milliseconds, when it was measured.
    """

    status: HealthStatus
    detail: str | None = None
    latency_ms: float | None = Field(default=None, ge=0)


class Health(_InterfaceModel):
    """The answer of the liveness (``/healthz``) and readiness (``/readyz``) routes.

    Liveness says the process serves HTTP and lists no dependencies. Readiness checks each
    dependency and is ``"unavailable"`` (HTTP 503) as soon as one of them is.

    Attributes
    ----------
    status
        ``"ok"`` or ``"unavailable"``.
    version
        The gateway's version.
    dependencies
        The state of each dependency, by name (``"kafka"``, ``"schema_registry"``).
    """

    status: HealthStatus
    version: str | None = None
    dependencies: dict[str, DependencyStatus] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the gateway reported itself ok."""
        return self.status == "ok"


class ErrorBody(_InterfaceModel):
    """The body of every error answer: FastAPI's ``{"detail": ...}`` shape.

    FastAPI's own request-validation errors (HTTP 422) carry a list of issues as ``detail``;
    they are rendered into one readable line, each issue naming its location, so ``detail``
    is always a string.

    Attributes
    ----------
    detail
        What was wrong, naming the header, field or byte concerned.
    """

    detail: str

    @field_validator("detail", mode="before")
    @classmethod
    def _render_validation_issues(cls, value: Any) -> Any:
        """Render FastAPI's list of validation issues as one line."""
        if not isinstance(value, list):
            return value
        rendered = []
        for issue in value:
            if isinstance(issue, dict):
                location = ".".join(str(part) for part in issue.get("loc", ()))
                message = str(issue.get("msg", issue))
                rendered.append(f"{location}: {message}" if location else message)
            else:
                rendered.append(str(issue))
        return "; ".join(rendered)
