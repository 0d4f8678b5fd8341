"""One human line per event: ``octo-org/hello-world: alice pushed 3 commits to main``.

Each summary is a pure function of its event, so it is tested without Kafka. Every text
that comes from GitHub (titles, names, refs) is reduced to one line and a bounded length:
a pull request titled with a newline must not turn one summary into two lines.
"""

from __future__ import annotations

from collections.abc import Callable
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

__all__ = [
    "MAX_TITLE_LENGTH",
    "summarize",
    "summarize_issue_comment",
    "summarize_issues",
    "summarize_pull_request",
    "summarize_push",
    "summarize_raw",
    "summarize_release",
    "summarize_workflow_run",
]

MAX_TITLE_LENGTH = 80
"""Titles and names longer than this are cut, with an ellipsis."""

NO_REPOSITORY = "(no repository)"
"""Shown in place of the repository for events that concern none (an installation, say)."""

SOMEONE = "someone"
"""Shown in place of the sender when GitHub names none."""


def one_line(text: str, *, limit: int = MAX_TITLE_LENGTH) -> str:
    r"""Reduce text from GitHub to one printable line of at most ``limit`` characters.

    Parameters
    ----------
    text
        A title, name or ref as GitHub sent it.
    limit
        The longest result, ellipsis included.

    Returns
    -------
    str
        The text with every run of whitespace or control characters turned into one
        space, stripped, and cut with ``…`` when longer than ``limit``.

    Examples
    --------
    >>> one_line("Fix\r\nthe\tbuild\x1b[31m")
    'Fix the build [31m'
    """
    words = "".join(ch if ch.isprintable() else " " for ch in text).split()
    flat = " ".join(words)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _quoted(title: str) -> str:
    return f'"{one_line(title)}"'


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _prefix(event: GitHubEvent) -> str:
    repository = one_line(event.repository.full_name) if event.repository else NO_REPOSITORY
    return f"{repository}:"


def _sender(event: GitHubEvent) -> str:
    return one_line(event.sender.login) if event.sender else SOMEONE


def _action(event: GitHubEvent) -> str:
    return one_line(event.action) if event.action else "changed"


def _short_ref(ref: str) -> tuple[str, str]:
    """Split ``refs/heads/main`` into ("branch", "main"), ``refs/tags/v1`` into ("tag", "v1")."""
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if ref.startswith(prefix):
            return kind, one_line(ref.removeprefix(prefix))
    return "ref", one_line(ref)


def summarize_push(event: PushEvent) -> str:
    """Summarize a push: commits pushed, or a branch or tag created or deleted.

    Parameters
    ----------
    event
        The push.

    Returns
    -------
    str
        For example ``octo-org/hello-world: alice pushed 3 commits to main``.
    """
    kind, name = _short_ref(event.ref)
    who = f"{_prefix(event)} {_sender(event)}"
    if event.deleted:
        return f"{who} deleted {kind} {name}"
    if event.created and not event.commits:
        return f"{who} created {kind} {name}"
    verb = "force-pushed" if event.forced else "pushed"
    if kind == "tag":
        return f"{who} {verb} tag {name}"
    return f"{who} {verb} {_plural(len(event.commits), 'commit')} to {name}"


def summarize_pull_request(event: PullRequestEvent) -> str:
    """Summarize pull request activity; a closed pull request that was merged says so.

    Parameters
    ----------
    event
        The pull request event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: alice opened pull request #42 "Add a README"``.
    """
    action = _action(event)
    if action == "closed" and event.pull_request.merged:
        action = "merged"
    title = _quoted(event.pull_request.title)
    return f"{_prefix(event)} {_sender(event)} {action} pull request #{event.number} {title}"


def summarize_issues(event: IssuesEvent) -> str:
    """Summarize issue activity.

    Parameters
    ----------
    event
        The issue event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: alice opened issue #7 "Crash on start"``.
    """
    issue = event.issue
    labelled = event.label is not None and event.action in ("labeled", "unlabeled")
    detail = f" {_quoted(event.label.name)}" if labelled and event.label else ""
    return (
        f"{_prefix(event)} {_sender(event)} {_action(event)} issue #{issue.number} "
        f"{_quoted(issue.title)}{detail}"
    )


def summarize_issue_comment(event: IssueCommentEvent) -> str:
    """Summarize a comment created, edited or deleted on an issue or pull request.

    Parameters
    ----------
    event
        The comment event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: alice commented on issue #7 "Crash on start"``.
    """
    verbs = {
        "created": "commented on",
        "edited": "edited a comment on",
        "deleted": "deleted a comment on",
    }
    verb = verbs.get(event.action or "", f"{_action(event)} a comment on")
    issue = event.issue
    # GitHub delivers comments on pull requests as issue comments too; a pull request
    # is an issue whose html_url points at /pull/.
    noun = "pull request" if issue.html_url and "/pull/" in issue.html_url else "issue"
    return f"{_prefix(event)} {_sender(event)} {verb} {noun} #{issue.number} {_quoted(issue.title)}"


def summarize_release(event: ReleaseEvent) -> str:
    """Summarize release activity.

    Parameters
    ----------
    event
        The release event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: alice published release v1.0.0 "First"``.
    """
    release = event.release
    name = f" {_quoted(release.name)}" if release.name and release.name != release.tag_name else ""
    kind = "pre-release" if release.prerelease else "release"
    return (
        f"{_prefix(event)} {_sender(event)} {_action(event)} {kind} "
        f"{one_line(release.tag_name)}{name}"
    )


def summarize_workflow_run(event: WorkflowRunEvent) -> str:
    """Summarize a workflow run being requested, in progress or completed.

    Parameters
    ----------
    event
        The workflow run event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: workflow "CI" run #12 on main completed: success``.
    """
    run = event.workflow_run
    name = _quoted(run.name or run.display_title or str(run.workflow_id))
    branch = f" on {one_line(run.head_branch)}" if run.head_branch else ""
    outcome = f": {one_line(run.conclusion)}" if run.conclusion else ""
    return (
        f"{_prefix(event)} workflow {name} run #{run.run_number}{branch} {_action(event)}{outcome}"
    )


def summarize_raw(event: RawGitHubEvent) -> str:
    """Summarize an event type that has no model of its own.

    Parameters
    ----------
    event
        The raw event.

    Returns
    -------
    str
        For example ``octo-org/hello-world: star created by alice``.
    """
    return _any_event(event)


def _any_event(event: GitHubEvent) -> str:
    action = f" {one_line(event.action)}" if event.action else ""
    return f"{_prefix(event)} {one_line(event.event)}{action} by {_sender(event)}"


_SUMMARIES: dict[type[GitHubEvent], Callable[[Any], str]] = {
    PushEvent: summarize_push,
    PullRequestEvent: summarize_pull_request,
    IssuesEvent: summarize_issues,
    IssueCommentEvent: summarize_issue_comment,
    ReleaseEvent: summarize_release,
    WorkflowRunEvent: summarize_workflow_run,
    RawGitHubEvent: summarize_raw,
}


def summarize(event: GitHubEvent) -> str:
    """Summarize any event in one line.

    Parameters
    ----------
    event
        An event of any class in `octobus_schemas.events`.

    Returns
    -------
    str
        The event class's summary; for a class without one, the raw form (repository,
        sender, event name and action).
    """
    for event_class in type(event).__mro__:
        summary = _SUMMARIES.get(event_class)
        if summary is not None:
            return summary(event)
    return _any_event(event)
