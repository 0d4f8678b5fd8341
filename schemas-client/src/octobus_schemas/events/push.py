"""``push``: commits pushed to a branch or tag (also branch and tag creation and deletion)."""

from typing import ClassVar

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE, Commit, GitActor
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["PushEvent"]


class PushEvent(GitHubEvent):
    """One or more commits were pushed to a branch or tag, or a ref was created or deleted."""

    github_event: ClassVar[str | None] = "push"

    ref: str = Field(description="The full ref pushed to, e.g. refs/heads/main.")
    before: str = Field(description="The SHA the ref pointed to before the push.")
    after: str = Field(description="The SHA the ref points to after the push.")
    created: bool = False
    deleted: bool = False
    forced: bool = False
    base_ref: str | None = None
    compare: str | None = None
    commits: list[Commit] = Field(default_factory=list)
    head_commit: Commit | None = None
    pusher: GitActor | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PushEvent"
