"""``issues`` and ``issue_comment``: activity on issues and on their comments."""

from typing import ClassVar

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE, Account, Comment, Issue, Label
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["IssueCommentEvent", "IssuesEvent"]


class IssuesEvent(GitHubEvent):
    """An issue was opened, edited, closed, labeled, assigned, ..."""

    github_event: ClassVar[str | None] = "issues"

    issue: Issue = Field(description="The issue as it is after the activity.")
    label: Label | None = Field(default=None, description="The label added or removed.")
    assignee: Account | None = Field(default=None, description="The account (un)assigned.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "IssuesEvent"


class IssueCommentEvent(GitHubEvent):
    """A comment on an issue or pull request was created, edited or deleted."""

    github_event: ClassVar[str | None] = "issue_comment"

    issue: Issue = Field(description="The issue or pull request the comment is on.")
    comment: Comment = Field(description="The comment as it is after the activity.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "IssueCommentEvent"
