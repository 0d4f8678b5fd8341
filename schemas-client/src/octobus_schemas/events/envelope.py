"""The delivery envelope every GitHub event carries."""

import uuid
from typing import ClassVar

from pydantic import Field

from octobus_schemas.events._base import OctobusModel, UtcDatetime
from octobus_schemas.events.common import Account, Repository

__all__ = ["GitHubEvent"]


class GitHubEvent(OctobusModel):
    """Base of every GitHub event record: the delivery envelope, then the event's own fields.

    Not a record itself (it has no ``Meta``): each event subclass is one, with the envelope
    fields first in the order below.

    Attributes
    ----------
    delivery_id
        GitHub's delivery id (``X-GitHub-Delivery``): unique per delivery, the same on a
        redelivery, so consumers can deduplicate.
    event
        GitHub's event name (``X-GitHub-Event``), e.g. ``push``.
    action
        The payload's ``action`` (``opened``, ``completed``, ...), if the event has one.
        A plain string: GitHub adds actions, and an unknown one must reach every consumer.
    received_at
        When the gateway received the delivery (UTC, millisecond precision).
    installation_id
        The GitHub App installation the delivery is for, if any.
    repository
        The repository the event concerns, if any.
    sender
        The account that caused the event, if GitHub names one.
    """

    #: The ``X-GitHub-Event`` name this model is for; ``None`` on the raw fallback.
    github_event: ClassVar[str | None] = None

    delivery_id: uuid.UUID = Field(description="GitHub's X-GitHub-Delivery id.")
    event: str = Field(description="GitHub's X-GitHub-Event name.")
    action: str | None = Field(
        default=None,
        description=(
            "The payload's action, e.g. opened or completed (GitHub may add more); null for events "
            "without one, such as push."
        ),
    )
    received_at: UtcDatetime = Field(description="When the gateway received the delivery.")
    installation_id: int | None = Field(
        default=None,
        description=(
            "Id of the GitHub App installation the delivery is for; null for a repository or "
            "organization webhook."
        ),
    )
    repository: Repository | None = Field(
        default=None,
        description=(
            "The repository the event concerns; null for events about no single repository, e.g. "
            "an organization's."
        ),
    )
    sender: Account | None = Field(
        default=None,
        description="The account whose action caused the event; null when GitHub names none.",
    )
