"""Handlers that record what they receive, so a test can say what was processed."""

from __future__ import annotations

from dataclasses import dataclass, field

from octobus_consumer_example import EventHandlers
from octobus_consumer_example.summaries import summarize
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


@dataclass
class Recorder:
    """Collects every event a consumer's handlers were called with, in order.

    Each handler is typed with its event class, like a real one, so FastStream validates
    the decoded event against it.
    """

    events: list[GitHubEvent] = field(default_factory=list)

    def handlers(self) -> EventHandlers:
        events = self.events

        async def push(event: PushEvent) -> None:
            events.append(event)

        async def pull_request(event: PullRequestEvent) -> None:
            events.append(event)

        async def issues(event: IssuesEvent) -> None:
            events.append(event)

        async def issue_comment(event: IssueCommentEvent) -> None:
            events.append(event)

        async def release(event: ReleaseEvent) -> None:
            events.append(event)

        async def workflow_run(event: WorkflowRunEvent) -> None:
            events.append(event)

        async def raw(event: RawGitHubEvent) -> None:
            events.append(event)

        return EventHandlers(
            push=push,
            pull_request=pull_request,
            issues=issues,
            issue_comment=issue_comment,
            release=release,
            workflow_run=workflow_run,
            raw=raw,
        )

    @property
    def delivery_ids(self) -> list[str]:
        return [str(event.delivery_id) for event in self.events]

    @property
    def summaries(self) -> list[str]:
        return [summarize(event) for event in self.events]
