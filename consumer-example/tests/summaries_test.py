"""One human line per event, built from real GitHub payloads."""

from __future__ import annotations

import pytest
from octobus_consumer_example.summaries import (
    MAX_TITLE_LENGTH,
    one_line,
    summarize,
    summarize_pull_request,
    summarize_push,
)
from octobus_schemas.events import PullRequestEvent, PushEvent

from .support.events import ALL_KEYS, event, push


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("push", "Codertocat/Hello-World: Codertocat pushed 1 commit to master"),
        (
            "pull_request.opened",
            'Codertocat/Hello-World: Codertocat opened pull request #2 "Update the README with '
            'new information."',
        ),
        (
            "pull_request.closed",
            'Codertocat/Hello-World: Codertocat closed pull request #2 "Update the README with '
            'new information."',
        ),
        (
            "issues",
            "Codertocat/Hello-World: Codertocat opened issue #1 "
            '"Spelling error in the README file"',
        ),
        (
            "issue_comment",
            'Codertocat/Hello-World: Codertocat commented on issue #1 "Spelling error in the '
            'README file"',
        ),
        ("release", "Codertocat/Hello-World: Codertocat published release 0.0.1"),
        (
            "workflow_run",
            'Codertocat/Hello-World: workflow "Manually triggered workflow" run #36 on main '
            "completed",
        ),
        ("star", "Codertocat/Hello-World: star created by Codertocat"),
    ],
)
def test_each_real_delivery_has_its_summary(key: str, expected: str) -> None:
    assert summarize(event(key)) == expected


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_summary_is_one_line(key: str) -> None:
    summary = summarize(event(key))
    assert "\n" not in summary
    assert summary.isprintable()


def _push(**changes: object) -> PushEvent:
    return push().model_copy(update=changes)


def test_a_push_names_how_many_commits_and_the_branch() -> None:
    commit = push().commits[0]
    assert summarize_push(_push(commits=[commit] * 3, ref="refs/heads/main")) == (
        "Codertocat/Hello-World: Codertocat pushed 3 commits to main"
    )


def test_a_force_push_a_new_branch_a_deleted_branch_and_a_tag_are_told_apart() -> None:
    assert summarize_push(_push(forced=True)).endswith("force-pushed 1 commit to master")
    assert summarize_push(_push(created=True, commits=[], ref="refs/heads/topic")).endswith(
        "Codertocat created branch topic"
    )
    assert summarize_push(_push(deleted=True, commits=[], ref="refs/heads/topic")).endswith(
        "Codertocat deleted branch topic"
    )
    assert summarize_push(_push(ref="refs/tags/v1.2.0")).endswith("Codertocat pushed tag v1.2.0")


def test_a_merged_pull_request_says_merged_not_closed() -> None:
    closed = event("pull_request.closed")
    assert isinstance(closed, PullRequestEvent)
    merged = closed.model_copy(
        update={"pull_request": closed.pull_request.model_copy(update={"merged": True})}
    )
    assert "Codertocat merged pull request #2" in summarize_pull_request(merged)


def test_a_title_with_newlines_and_escape_codes_stays_on_one_line() -> None:
    opened = event("pull_request.opened")
    assert isinstance(opened, PullRequestEvent)
    hostile = opened.model_copy(
        update={
            "pull_request": opened.pull_request.model_copy(
                update={"title": "Fix\r\ninjected: line\x1b[2J"}
            )
        }
    )
    summary = summarize_pull_request(hostile)
    assert summary.endswith('"Fix injected: line [2J"')
    assert summary.isprintable()


def test_long_titles_are_cut_with_an_ellipsis() -> None:
    cut = one_line("x" * 500)
    assert len(cut) == MAX_TITLE_LENGTH
    assert cut.endswith("…")


def test_an_event_without_repository_or_sender_still_gets_a_line() -> None:
    star = event("star").model_copy(update={"repository": None, "sender": None})
    assert summarize(star) == "(no repository): star created by someone"
