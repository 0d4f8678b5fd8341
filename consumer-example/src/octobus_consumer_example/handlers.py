"""The handlers: one typed coroutine per event class, each printing the event's summary.

FastStream decodes every message with the writer's schema into the handler's model
(through ``octobus_schemas.faststream``), so a handler receives a `PushEvent`, never bytes
or a dict. `EventHandlers` groups one handler per event class; replace any of them to
make the consumer do real work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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

from octobus_consumer_example.summaries import (
    summarize_issue_comment,
    summarize_issues,
    summarize_pull_request,
    summarize_push,
    summarize_raw,
    summarize_release,
    summarize_workflow_run,
)

__all__ = [
    "EventHandlers",
    "on_issue_comment",
    "on_issues",
    "on_pull_request",
    "on_push",
    "on_raw",
    "on_release",
    "on_workflow_run",
]


def _emit(line: str) -> None:
    # Flushed per line, so a pipe (`| head -3`, a supervisor's log) sees each event at once.
    print(line, flush=True)


async def on_push(event: PushEvent) -> None:
    """Print a push's summary line.

    Parameters
    ----------
    event
        The decoded push.
    """
    _emit(summarize_push(event))


async def on_pull_request(event: PullRequestEvent) -> None:
    """Print a pull request event's summary line.

    Parameters
    ----------
    event
        The decoded pull request event.
    """
    _emit(summarize_pull_request(event))


async def on_issues(event: IssuesEvent) -> None:
    """Print an issue event's summary line.

    Parameters
    ----------
    event
        The decoded issue event.
    """
    _emit(summarize_issues(event))


async def on_issue_comment(event: IssueCommentEvent) -> None:
    """Print an issue comment event's summary line.

    Parameters
    ----------
    event
        The decoded comment event.
    """
    _emit(summarize_issue_comment(event))


async def on_release(event: ReleaseEvent) -> None:
    """Print a release event's summary line.

    Parameters
    ----------
    event
        The decoded release event.
    """
    _emit(summarize_release(event))


async def on_workflow_run(event: WorkflowRunEvent) -> None:
    """Print a workflow run event's summary line.

    Parameters
    ----------
    event
        The decoded workflow run event.
    """
    _emit(summarize_workflow_run(event))


async def on_raw(event: RawGitHubEvent) -> None:
    """Print the summary line of an event type without a model of its own.

    Parameters
    ----------
    event
        The decoded raw event.
    """
    _emit(summarize_raw(event))


@dataclass(frozen=True, slots=True)
class EventHandlers:
    """One handler per event class; the printing ones by default.

    Parameters
    ----------
    push, pull_request, issues, issue_comment, release, workflow_run, raw
        The coroutine called with each decoded event of that class. A handler that
        raises is retried with backoff, then its message is dead-lettered.

    Examples
    --------
    >>> async def count_push(event: PushEvent) -> None: ...
    >>> handlers = EventHandlers(push=count_push)
    >>> handlers.for_model(PushEvent) is count_push
    True
    """

    push: Callable[[PushEvent], Awaitable[None]] = on_push
    pull_request: Callable[[PullRequestEvent], Awaitable[None]] = on_pull_request
    issues: Callable[[IssuesEvent], Awaitable[None]] = on_issues
    issue_comment: Callable[[IssueCommentEvent], Awaitable[None]] = on_issue_comment
    release: Callable[[ReleaseEvent], Awaitable[None]] = on_release
    workflow_run: Callable[[WorkflowRunEvent], Awaitable[None]] = on_workflow_run
    raw: Callable[[RawGitHubEvent], Awaitable[None]] = on_raw

    def for_model(self, model: type[GitHubEvent]) -> Callable[[Any], Awaitable[None]]:
        """Return the handler for an event class.

        Parameters
        ----------
        model
            An event class from `octobus_schemas.events`.

        Returns
        -------
        callable
            Its handler.

        Raises
        ------
        LookupError
            If no handler is declared for the class (a model added to the client package
            that this consumer does not know yet), naming the class.
        """
        by_model: dict[type[GitHubEvent], Callable[[Any], Awaitable[None]]] = {
            PushEvent: self.push,
            PullRequestEvent: self.pull_request,
            IssuesEvent: self.issues,
            IssueCommentEvent: self.issue_comment,
            ReleaseEvent: self.release,
            WorkflowRunEvent: self.workflow_run,
            RawGitHubEvent: self.raw,
        }
        try:
            return by_model[model]
        except KeyError:
            msg = f"no handler for {model.__qualname__}: add one to EventHandlers"
            raise LookupError(msg) from None
