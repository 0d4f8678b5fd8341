"""Events built from the real GitHub payloads in ``tests/data/webhooks.json``."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

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

WEBHOOKS = Path(__file__).parent.parent / "data" / "webhooks.json"

MODELS: dict[str, type[GitHubEvent]] = {
    "push": PushEvent,
    "pull_request": PullRequestEvent,
    "issues": IssuesEvent,
    "issue_comment": IssueCommentEvent,
    "release": ReleaseEvent,
    "workflow_run": WorkflowRunEvent,
}

RECEIVED_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@cache
def _payloads() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(WEBHOOKS.read_text(encoding="utf-8"))
    return loaded


def payload(key: str) -> dict[str, Any]:
    """A deep copy of one stored payload (``push``, ``pull_request.opened``, ``star``...)."""
    copied: dict[str, Any] = json.loads(json.dumps(_payloads()[key]))
    return copied


def event(key: str, *, delivery_id: uuid.UUID | None = None) -> GitHubEvent:
    """The event the gateway would publish for a stored payload (raw for unmodelled types)."""
    body = payload(key)
    name = key.split(".", 1)[0]
    envelope: dict[str, Any] = {
        "delivery_id": delivery_id or uuid.uuid4(),
        "event": name,
        "action": body.get("action"),
        "received_at": RECEIVED_AT,
        "installation_id": (body.get("installation") or {}).get("id"),
    }
    model = MODELS.get(name)
    if model is None:
        return RawGitHubEvent.model_validate(
            {
                **envelope,
                "repository": body.get("repository"),
                "sender": body.get("sender"),
                "payload_json": json.dumps(body),
            }
        )
    return model.model_validate({**body, **envelope})


def push(*, delivery_id: uuid.UUID | None = None) -> PushEvent:
    """The stored push, typed."""
    built = event("push", delivery_id=delivery_id)
    assert isinstance(built, PushEvent)
    return built


ALL_KEYS = tuple(sorted(_payloads()))
