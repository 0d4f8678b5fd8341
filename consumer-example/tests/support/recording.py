"""Handlers that record what they receive, so a test can say what was processed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from octobus_consumer_example import EventHandlers
from octobus_consumer_example.summaries import summarize
from octobus_schemas.events import GitHubEvent


@dataclass
class Recorder:
    """Collects every event a consumer's handlers were called with, in order."""

    events: list[GitHubEvent] = field(default_factory=list)

    async def record(self, event: Any) -> None:
        assert isinstance(event, GitHubEvent), f"handler got {type(event).__name__}"
        self.events.append(event)

    def handlers(self) -> EventHandlers:
        return EventHandlers(
            push=self.record,
            pull_request=self.record,
            issues=self.record,
            issue_comment=self.record,
            release=self.record,
            workflow_run=self.record,
            raw=self.record,
        )

    @property
    def delivery_ids(self) -> list[str]:
        return [str(event.delivery_id) for event in self.events]

    @property
    def summaries(self) -> list[str]:
        return [summarize(event) for event in self.events]
