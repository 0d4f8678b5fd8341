"""``pull_request``: activity on a pull request."""

from typing import ClassVar

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE, Account, Label, PullRequest
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["PullRequestEvent"]


class PullRequestEvent(GitHubEvent):
    """A pull request was opened, edited, synchronized, closed, labeled, ...

    ``action`` says which; ``pull_request.merged`` tells a merge from a plain close.
    """

    github_event: ClassVar[str | None] = "pull_request"

    number: int = Field(description="The pull request number.")
    pull_request: PullRequest = Field(description="The pull request as it is after the activity.")
    label: Label | None = Field(default=None, description="The label added or removed.")
    assignee: Account | None = Field(default=None, description="The account (un)assigned.")
    before: str | None = Field(default=None, description="Head SHA before a synchronize.")
    after: str | None = Field(default=None, description="Head SHA after a synchronize.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PullRequestEvent"
