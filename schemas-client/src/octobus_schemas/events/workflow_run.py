"""``workflow_run``: a GitHub Actions workflow run was requested, started or completed."""

from typing import ClassVar

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE, WorkflowRun
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["WorkflowRunEvent"]


class WorkflowRunEvent(GitHubEvent):
    """A workflow run was requested, is in progress or completed."""

    github_event: ClassVar[str | None] = "workflow_run"

    workflow_run: WorkflowRun = Field(description="The workflow run as it is after the activity.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "WorkflowRunEvent"
