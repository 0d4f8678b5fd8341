"""Typed GitHub webhook events: pydantic models whose Avro schemas follow the house rules.

Every event carries the delivery envelope (:class:`GitHubEvent`) and is one record in the
``io.octobus.github.v1`` namespace; its full name is its registry subject.
"""

from octobus_schemas.events._base import OctobusModel, UtcDatetime
from octobus_schemas.events._errors import SchemaRuleError
from octobus_schemas.events._rules import check_schema
from octobus_schemas.events.common import (
    NAMESPACE,
    Account,
    Comment,
    Commit,
    GitActor,
    Issue,
    Label,
    PullRequest,
    PullRequestRef,
    Release,
    Repository,
    WorkflowRun,
)
from octobus_schemas.events.envelope import GitHubEvent
from octobus_schemas.events.issues import IssueCommentEvent, IssuesEvent
from octobus_schemas.events.pull_request import PullRequestEvent
from octobus_schemas.events.push import PushEvent
from octobus_schemas.events.raw import RawGitHubEvent
from octobus_schemas.events.release import ReleaseEvent
from octobus_schemas.events.workflow_run import WorkflowRunEvent

__all__ = [
    "NAMESPACE",
    "Account",
    "Comment",
    "Commit",
    "GitActor",
    "GitHubEvent",
    "Issue",
    "IssueCommentEvent",
    "IssuesEvent",
    "Label",
    "OctobusModel",
    "PullRequest",
    "PullRequestEvent",
    "PullRequestRef",
    "PushEvent",
    "RawGitHubEvent",
    "Release",
    "ReleaseEvent",
    "Repository",
    "SchemaRuleError",
    "UtcDatetime",
    "WorkflowRun",
    "WorkflowRunEvent",
    "check_schema",
]
