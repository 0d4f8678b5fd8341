"""Each event model holds a real delivery's values and gets them back after an Avro round trip.

One delivery per family is mapped to its model field by field, by hand (the gateway owns the
real mapping), written with raw fastavro and the model's own schema, read back with schema
resolution and validated: the result equals the model that was written.
"""

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from octobus_schemas.events import (
    Account,
    Comment,
    Commit,
    GitActor,
    GitHubEvent,
    Issue,
    IssueCommentEvent,
    IssuesEvent,
    Label,
    PullRequest,
    PullRequestEvent,
    PullRequestRef,
    PushEvent,
    RawGitHubEvent,
    Release,
    ReleaseEvent,
    Repository,
    WorkflowRun,
    WorkflowRunEvent,
)

DELIVERY = uuid.UUID("72d3162e-cc78-11e3-81ab-4c9367dc0958")
RECEIVED = dt.datetime(2026, 12, 3, 19, 30, 15, 250000, tzinfo=dt.UTC)


def account(data: dict[str, Any]) -> Account:
    return Account(
        id=data["id"],
        login=data["login"],
        node_id=data.get("node_id"),
        type=data["type"],
        html_url=data["html_url"],
        avatar_url=data["avatar_url"],
        site_admin=data["site_admin"],
    )


def repository(data: dict[str, Any]) -> Repository:
    return Repository(
        id=data["id"],
        node_id=data["node_id"],
        name=data["name"],
        full_name=data["full_name"],
        owner=account(data["owner"]),
        private=data["private"],
        html_url=data["html_url"],
        url=data["url"],
        description=data["description"],
        fork=data["fork"],
        homepage=data["homepage"],
        language=data["language"],
        default_branch=data["default_branch"],
        visibility=data.get("visibility"),
        archived=data["archived"],
        disabled=data.get("disabled", False),
        topics=data.get("topics", []),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        pushed_at=data["pushed_at"],
        size=data["size"],
        stargazers_count=data["stargazers_count"],
        watchers_count=data["watchers_count"],
        forks_count=data["forks_count"],
        open_issues_count=data["open_issues_count"],
    )


def label(data: dict[str, Any]) -> Label:
    return Label(
        id=data["id"],
        node_id=data["node_id"],
        name=data["name"],
        color=data["color"],
        description=data.get("description"),
        default=data["default"],
        url=data["url"],
    )


def git_actor(data: dict[str, Any]) -> GitActor:
    return GitActor(name=data["name"], email=data["email"], username=data.get("username"))


def commit(data: dict[str, Any]) -> Commit:
    return Commit(
        id=data["id"],
        tree_id=data["tree_id"],
        message=data["message"],
        timestamp=data["timestamp"],
        author=git_actor(data["author"]),
        committer=git_actor(data["committer"]),
        url=data.get("url"),
        distinct=data.get("distinct"),
        added=data.get("added", []),
        removed=data.get("removed", []),
        modified=data.get("modified", []),
    )


def envelope(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    installation = payload.get("installation")
    return {
        "delivery_id": DELIVERY,
        "event": name,
        "action": payload.get("action"),
        "received_at": RECEIVED,
        "installation_id": installation["id"] if installation else None,
        "repository": repository(payload["repository"]) if "repository" in payload else None,
        "sender": account(payload["sender"]) if "sender" in payload else None,
    }


def push_event(payload: dict[str, Any]) -> PushEvent:
    return PushEvent(
        **envelope("push", payload),
        ref=payload["ref"],
        before=payload["before"],
        after=payload["after"],
        created=payload["created"],
        deleted=payload["deleted"],
        forced=payload["forced"],
        base_ref=payload["base_ref"],
        compare=payload["compare"],
        commits=[commit(c) for c in payload["commits"]],
        head_commit=commit(payload["head_commit"]) if payload["head_commit"] else None,
        pusher=git_actor(payload["pusher"]),
    )


def pr_ref(data: dict[str, Any]) -> PullRequestRef:
    return PullRequestRef(
        label=data["label"],
        ref=data["ref"],
        sha=data["sha"],
        user=account(data["user"]),
        repo=repository(data["repo"]) if data["repo"] else None,
    )


def pull_request_event(payload: dict[str, Any]) -> PullRequestEvent:
    pr = payload["pull_request"]
    return PullRequestEvent(
        **envelope("pull_request", payload),
        number=payload["number"],
        pull_request=PullRequest(
            id=pr["id"],
            node_id=pr["node_id"],
            number=pr["number"],
            state=pr["state"],
            locked=pr["locked"],
            title=pr["title"],
            body=pr["body"],
            user=account(pr["user"]),
            html_url=pr["html_url"],
            url=pr["url"],
            draft=pr["draft"],
            author_association=pr["author_association"],
            labels=[label(item) for item in pr["labels"]],
            assignees=[account(item) for item in pr["assignees"]],
            requested_reviewers=[account(item) for item in pr["requested_reviewers"]],
            head=pr_ref(pr["head"]),
            base=pr_ref(pr["base"]),
            merged=pr["merged"],
            mergeable=pr["mergeable"],
            mergeable_state=pr["mergeable_state"],
            merge_commit_sha=pr["merge_commit_sha"],
            merged_by=account(pr["merged_by"]) if pr["merged_by"] else None,
            comments=pr["comments"],
            review_comments=pr["review_comments"],
            commits=pr["commits"],
            additions=pr["additions"],
            deletions=pr["deletions"],
            changed_files=pr["changed_files"],
            created_at=pr["created_at"],
            updated_at=pr["updated_at"],
            closed_at=pr["closed_at"],
            merged_at=pr["merged_at"],
        ),
        label=label(payload["label"]) if "label" in payload else None,
        assignee=account(payload["assignee"]) if "assignee" in payload else None,
        before=payload.get("before"),
        after=payload.get("after"),
    )


def issue(data: dict[str, Any]) -> Issue:
    return Issue(
        id=data["id"],
        node_id=data["node_id"],
        number=data["number"],
        title=data["title"],
        state=data.get("state"),
        state_reason=data.get("state_reason"),
        locked=data.get("locked"),
        body=data["body"],
        user=account(data["user"]),
        html_url=data.get("html_url"),
        url=data["url"],
        author_association=data["author_association"],
        labels=[label(item) for item in data.get("labels", [])],
        assignees=[account(item) for item in data["assignees"]],
        comments=data["comments"],
        draft=data.get("draft"),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        closed_at=data["closed_at"],
    )


def issues_event(payload: dict[str, Any]) -> IssuesEvent:
    return IssuesEvent(
        **envelope("issues", payload),
        issue=issue(payload["issue"]),
        label=label(payload["label"]) if "label" in payload else None,
        assignee=account(payload["assignee"]) if payload.get("assignee") else None,
    )


def issue_comment_event(payload: dict[str, Any]) -> IssueCommentEvent:
    comment = payload["comment"]
    return IssueCommentEvent(
        **envelope("issue_comment", payload),
        issue=issue(payload["issue"]),
        comment=Comment(
            id=comment["id"],
            node_id=comment["node_id"],
            body=comment["body"],
            user=account(comment["user"]),
            html_url=comment["html_url"],
            url=comment["url"],
            author_association=comment["author_association"],
            created_at=comment["created_at"],
            updated_at=comment["updated_at"],
        ),
    )


def release_event(payload: dict[str, Any]) -> ReleaseEvent:
    release = payload["release"]
    return ReleaseEvent(
        **envelope("release", payload),
        release=Release(
            id=release["id"],
            node_id=release["node_id"],
            tag_name=release["tag_name"],
            target_commitish=release["target_commitish"],
            name=release["name"],
            body=release["body"],
            draft=release["draft"],
            prerelease=release["prerelease"],
            author=account(release["author"]),
            html_url=release["html_url"],
            url=release["url"],
            tarball_url=release["tarball_url"],
            zipball_url=release["zipball_url"],
            created_at=release["created_at"],
            published_at=release["published_at"],
        ),
    )


def workflow_run_event(payload: dict[str, Any]) -> WorkflowRunEvent:
    run = payload["workflow_run"]
    return WorkflowRunEvent(
        **envelope("workflow_run", payload),
        workflow_run=WorkflowRun(
            id=run["id"],
            node_id=run["node_id"],
            name=run["name"],
            display_title=run.get("display_title"),
            path=run.get("path"),
            workflow_id=run["workflow_id"],
            run_number=run["run_number"],
            run_attempt=run["run_attempt"],
            event=run["event"],
            status=run["status"],
            conclusion=run["conclusion"],
            head_branch=run["head_branch"],
            head_sha=run["head_sha"],
            head_commit=commit(run["head_commit"]),
            check_suite_id=run["check_suite_id"],
            actor=account(run["actor"]) if "actor" in run else None,
            triggering_actor=account(run["triggering_actor"])
            if "triggering_actor" in run
            else None,
            html_url=run["html_url"],
            url=run["url"],
            created_at=run["created_at"],
            updated_at=run["updated_at"],
            run_started_at=run["run_started_at"],
        ),
    )


def raw_event(name: str, payload: dict[str, Any], text: str) -> RawGitHubEvent:
    return RawGitHubEvent(**envelope(name, payload), payload_json=text)


BUILDERS = {
    "push": push_event,
    "pull_request": pull_request_event,
    "issues": issues_event,
    "issue_comment": issue_comment_event,
    "release": release_event,
    "workflow_run": workflow_run_event,
}


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("push", 4),  # a branch push with one commit and a head commit
        ("pull_request", 0),
        ("issues", 0),
        ("issue_comment", 0),
        ("release", 0),
        ("workflow_run", 1),  # a completed run with a conclusion
    ],
)
def test_a_real_delivery_mapped_by_hand_survives_an_avro_round_trip(
    name: str,
    index: int,
    webhook_examples: dict[str, list[dict[str, Any]]],
    round_trip: Any,
) -> None:
    event = BUILDERS[name](webhook_examples[name][index])
    decoded = round_trip(event)
    assert type(decoded) is type(event)
    assert decoded == event
    assert decoded.received_at == RECEIVED
    assert decoded.delivery_id == DELIVERY


def test_the_hand_mapped_push_carries_the_real_values(
    webhook_examples: dict[str, list[dict[str, Any]]], round_trip: Any
) -> None:
    payload = webhook_examples["push"][4]
    event: PushEvent = round_trip(push_event(payload))
    assert event.ref == "refs/heads/master"
    assert event.repository is not None
    assert event.repository.full_name == payload["repository"]["full_name"]
    # GitHub sends a push's repository timestamps as Unix seconds; they are instants in UTC.
    assert event.repository.created_at == dt.datetime.fromtimestamp(
        payload["repository"]["created_at"], tz=dt.UTC
    )
    (only,) = event.commits
    assert only.id == payload["commits"][0]["id"]
    # A commit time with an offset (-05:00) is the same instant, kept in UTC.
    assert only.timestamp == dt.datetime.fromisoformat(payload["commits"][0]["timestamp"])
    assert only.timestamp.tzinfo is dt.UTC


def test_a_raw_event_keeps_the_whole_payload_text(
    webhook_examples: dict[str, list[dict[str, Any]]], round_trip: Any
) -> None:
    payload = webhook_examples["star"][0]
    text = json.dumps(payload)
    decoded: RawGitHubEvent = round_trip(raw_event("star", payload, text))
    assert decoded.event == "star"
    assert decoded.payload_json == text
    assert decoded.payload() == payload


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_action_github_has_not_invented_yet_is_just_a_string(
    name: str, webhook_examples: dict[str, list[dict[str, Any]]], round_trip: Any
) -> None:
    event: GitHubEvent = BUILDERS[name](webhook_examples[name][0])
    future = event.model_copy(update={"action": "teleported"})
    assert round_trip(future).action == "teleported"


def test_states_and_conclusions_github_may_add_are_kept(
    webhook_examples: dict[str, list[dict[str, Any]]], round_trip: Any
) -> None:
    run_event = workflow_run_event(webhook_examples["workflow_run"][1])
    run = run_event.workflow_run.model_copy(
        update={"status": "waiting_for_the_moon", "conclusion": "startup_failure"}
    )
    decoded: WorkflowRunEvent = round_trip(run_event.model_copy(update={"workflow_run": run}))
    assert decoded.workflow_run.status == "waiting_for_the_moon"
    assert decoded.workflow_run.conclusion == "startup_failure"
