"""``release``: activity on a release."""

from typing import ClassVar

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE, Release
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["ReleaseEvent"]


class ReleaseEvent(GitHubEvent):
    """A release was created, published, edited, deleted, ..."""

    github_event: ClassVar[str | None] = "release"

    release: Release = Field(description="The release as it is after the activity.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "ReleaseEvent"
