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
    created: bool = Field(
        default=False, description="Whether the push created the ref (before is then all zeros)."
    )
    deleted: bool = Field(
        default=False, description="Whether the push deleted the ref (after is then all zeros)."
    )
    forced: bool = Field(default=False, description="Whether the push was a force push.")
    base_ref: str | None = Field(
        default=None,
        description=(
            "For a pushed tag, the ref of a branch at the same commit, e.g. refs/heads/main; "
            "usually null."
        ),
    )
    compare: str | None = Field(
        default=None,
        description=(
            "Web page comparing before and after, e.g. "
            "https://github.com/octocat/Hello-World/compare/6113728f27ae...76ae82c7b1a1."
        ),
    )
    commits: list[Commit] = Field(
        default_factory=list,
        description="The pushed commits, at most 2048; empty when the ref was deleted.",
    )
    head_commit: Commit | None = Field(
        default=None, description="The commit after points to; null when the ref was deleted."
    )
    pusher: GitActor | None = Field(
        default=None, description="Who pushed, as a git name and email (no username)."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PushEvent"
