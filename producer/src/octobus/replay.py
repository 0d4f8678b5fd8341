"""Replaying recorded deliveries against a gateway, signed as GitHub signs them.

Recordings are read from JSON files in one of three shapes:

- the ``@octokit/webhooks-examples`` fixture: a list of ``{"name": EVENT, "examples":
  [PAYLOAD, ...]}``;
- one delivery: ``{"event": EVENT, "payload": PAYLOAD}`` (optionally ``"delivery_id"``);
- a bare payload, whose event name is the file name up to its first dot
  (``push.json``, ``pull_request.opened.json``).

A directory stands for every ``*.json`` file in it, in name order.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from octobus_schemas.api import PingAnswer
from octobus_schemas.api.client import ContentType, GatewayClient, GatewayError

__all__ = ["Recording", "ReplaySummary", "load_recordings", "replay"]


@dataclass(frozen=True, slots=True)
class Recording:
    """One recorded delivery.

    Attributes
    ----------
    event
        The ``X-GitHub-Event`` name.
    payload
        The payload.
    source
        Where it was read from (file, and index in a fixture).
    delivery_id
        The recorded delivery id, if the recording has one.
    """

    event: str
    payload: dict[str, Any]
    source: str
    delivery_id: UUID | None = None


@dataclass
class ReplaySummary:
    """How a replay went.

    Attributes
    ----------
    statuses
        How many answers of each HTTP status (``None``: no answer at all).
    failures
        ``(source, error message)`` for each delivery that was not accepted.
    """

    statuses: Counter[int | None] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every delivery was accepted."""
        return not self.failures


def load_recordings(paths: Iterable[Path]) -> list[Recording]:
    """Read the recordings in files and directories.

    Parameters
    ----------
    paths
        JSON files, or directories of them.

    Returns
    -------
    list of Recording
        In the order given (a directory's files by name).

    Raises
    ------
    ValueError
        If a file is not JSON or not one of the three shapes; the message names the file.
    """
    recordings: list[Recording] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            recordings.extend(_read(file))
    return recordings


def _read(file: Path) -> list[Recording]:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"{file}: not a readable JSON file: {error}"
        raise ValueError(msg) from error
    if isinstance(document, list):
        return [
            Recording(family["name"], example, f"{file}:{family['name']}[{index}]")
            for family in document
            if isinstance(family, dict) and isinstance(family.get("examples"), list)
            for index, example in enumerate(family["examples"])
        ] or _refuse(file, "a list, but not of {'name', 'examples'} families")
    if not isinstance(document, dict):
        return _refuse(file, f"a JSON {type(document).__name__}")
    if isinstance(document.get("event"), str) and isinstance(document.get("payload"), dict):
        recorded_id = document.get("delivery_id")
        return [
            Recording(
                document["event"],
                document["payload"],
                str(file),
                UUID(recorded_id) if isinstance(recorded_id, str) else None,
            )
        ]
    return [Recording(file.name.split(".", 1)[0], document, str(file))]


def _refuse(file: Path, what: str) -> list[Recording]:
    msg = (
        f"{file}: {what}; expected the webhooks-examples fixture, "
        "{'event': ..., 'payload': ...}, or a payload named EVENT[.anything].json"
    )
    raise ValueError(msg)


async def replay(
    client: GatewayClient,
    recordings: Sequence[Recording],
    *,
    secret: str,
    concurrency: int = 8,
    content_type: ContentType = "json",
    on_answer: Callable[[Recording], None] | None = None,
) -> ReplaySummary:
    """Deliver each recording through ``client``, a few at a time.

    Parameters
    ----------
    client
        The gateway client (any transport).
    recordings
        What to deliver.
    secret
        The webhook secret to sign with.
    concurrency
        How many deliveries are in flight at once.
    content_type
        ``"json"`` or ``"form"``.
    on_answer
        Called after each answer (for a progress bar).

    Returns
    -------
    ReplaySummary
        The status counts and the failures.
    """
    summary = ReplaySummary()
    limit = asyncio.Semaphore(concurrency)

    async def deliver(recording: Recording) -> None:
        async with limit:
            try:
                answer = await client.replay(
                    recording.event,
                    recording.payload,
                    secret,
                    delivery_id=recording.delivery_id,
                    content_type=content_type,
                    hook_id=_hook_id(recording.payload),
                )
                summary.statuses[200 if isinstance(answer, PingAnswer) else 202] += 1
            except GatewayError as error:
                summary.statuses[error.status] += 1
                summary.failures.append((recording.source, str(error)))
            finally:
                if on_answer is not None:
                    on_answer(recording)

    await asyncio.gather(*(deliver(recording) for recording in recordings))
    return summary


def _hook_id(payload: dict[str, Any]) -> int | None:
    # GitHub names the webhook in X-GitHub-Hook-ID; a recording keeps it only in the
    # payloads that carry it (a ping's ``hook_id``).
    hook_id = payload.get("hook_id")
    return hook_id if isinstance(hook_id, int) and not isinstance(hook_id, bool) else None
