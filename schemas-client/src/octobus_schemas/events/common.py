"""Records shared by several events, each defined once.

Field names are GitHub's own, so a webhook payload validates into these models as it is
(unknown keys are ignored) and a consumer finds what the GitHub documentation describes.
Only what a consumer typically needs is modelled: ids, names, URLs, states, timestamps,
counts. The full payload of any delivery is kept on the raw topic
(:class:`~octobus_schemas.events.raw.RawGitHubEvent`).

Nullability follows the real deliveries (``@octokit/webhooks-examples``): a field that is
``null`` or absent in any example is optional with a default, so every delivery fits.
States, types and associations are plain strings, never enums: GitHub adds new values, and
an Avro enum would make every reader that predates a new value fail on it.
"""

from pydantic import Field

from octobus_schemas.events._base import OctobusModel, UtcDatetime

__all__ = [
    "NAMESPACE",
    "Account",
    "Comment",
    "Commit",
    "GitActor",
    "Issue",
    "Label",
    "PullRequest",
    "PullRequestRef",
    "Release",
    "Repository",
    "WorkflowRun",
]

#: The namespace of every Octobus GitHub record. It is part of every record's full name, and
#: so of every registry subject: it never changes. A breaking redesign would use ``.v2``.
NAMESPACE = "io.octobus.github.v1"


class Account(OctobusModel):
    """A GitHub user, bot or organization account."""

    id: int
    login: str
    node_id: str | None = None
    type: str = Field(description="User, Bot or Organization (GitHub may add more).")
    html_url: str
    avatar_url: str | None = None
    site_admin: bool = False

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Account"


class GitActor(OctobusModel):
    """The author, committer or pusher of a commit as git records it (not an account)."""

    name: str
    email: str | None = None
    username: str | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "GitActor"


class Repository(OctobusModel):
    """A repository, as every event that concerns one carries it."""

    id: int
    node_id: str | None = None
    name: str
    full_name: str
    owner: Account
    private: bool
    html_url: str
    url: str
    description: str | None = None
    fork: bool = False
    homepage: str | None = None
    language: str | None = None
    default_branch: str
    visibility: str | None = None
    archived: bool = False
    disabled: bool = False
    topics: list[str] = Field(default_factory=list)
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    pushed_at: UtcDatetime | None = None
    size: int | None = None
    stargazers_count: int = 0
    watchers_count: int = 0
    forks_count: int = 0
    open_issues_count: int = 0

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Repository"


class Label(OctobusModel):
    """A label on an issue or pull request."""

    id: int
    node_id: str | None = None
    name: str
    color: str
    description: str | None = None
    default: bool = False
    url: str

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Label"


class Commit(OctobusModel):
    """A commit as a push or a workflow run's head commit describes it."""

    id: str = Field(description="The commit SHA.")
    tree_id: str
    message: str
    timestamp: UtcDatetime
    author: GitActor
    committer: GitActor
    url: str | None = None
    distinct: bool | None = None
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    modified: list[str] = Field(default_factory=list)

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Commit"


class PullRequestRef(OctobusModel):
    """One side of a pull request: the branch, its commit and its repository."""

    label: str
    ref: str
    sha: str
    user: Account | None = None
    repo: Repository | None = Field(
        default=None, description="Null when the head repository (a fork) was deleted."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PullRequestRef"


class PullRequest(OctobusModel):
    """A pull request."""

    id: int
    node_id: str | None = None
    number: int
    state: str = Field(description="open or closed (GitHub may add more).")
    locked: bool = False
    title: str
    body: str | None = None
    user: Account | None = None
    html_url: str
    url: str
    draft: bool = False
    author_association: str | None = None
    labels: list[Label] = Field(default_factory=list)
    assignees: list[Account] = Field(default_factory=list)
    requested_reviewers: list[Account] = Field(default_factory=list)
    head: PullRequestRef
    base: PullRequestRef
    merged: bool | None = None
    mergeable: bool | None = None
    mergeable_state: str | None = None
    merge_commit_sha: str | None = None
    merged_by: Account | None = None
    comments: int | None = None
    review_comments: int | None = None
    commits: int | None = None
    additions: int | None = None
    deletions: int | None = None
    changed_files: int | None = None
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    merged_at: UtcDatetime | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PullRequest"


class Issue(OctobusModel):
    """An issue (or a pull request seen as an issue, as comments on one are)."""

    id: int
    node_id: str | None = None
    number: int
    title: str
    state: str | None = Field(default=None, description="open or closed (GitHub may add more).")
    state_reason: str | None = None
    locked: bool | None = None
    body: str | None = None
    user: Account | None = None
    html_url: str | None = None
    url: str
    author_association: str | None = None
    labels: list[Label] = Field(default_factory=list)
    assignees: list[Account] = Field(default_factory=list)
    comments: int | None = None
    draft: bool | None = None
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Issue"


class Comment(OctobusModel):
    """A comment on an issue or pull request."""

    id: int
    node_id: str | None = None
    body: str
    user: Account | None = None
    html_url: str | None = None
    url: str
    author_association: str | None = None
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Comment"


class Release(OctobusModel):
    """A release of a repository."""

    id: int
    node_id: str | None = None
    tag_name: str
    target_commitish: str
    name: str | None = None
    body: str | None = None
    draft: bool
    prerelease: bool
    author: Account | None = None
    html_url: str | None = None
    url: str
    tarball_url: str | None = None
    zipball_url: str | None = None
    created_at: UtcDatetime | None = None
    published_at: UtcDatetime | None = Field(
        default=None, description="Null while the release is a draft."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Release"


class WorkflowRun(OctobusModel):
    """A GitHub Actions workflow run."""

    id: int
    node_id: str | None = None
    name: str | None = None
    display_title: str | None = None
    path: str | None = None
    workflow_id: int
    run_number: int
    run_attempt: int | None = None
    event: str = Field(description="The event that triggered the run (push, pull_request, ...).")
    status: str | None = Field(
        default=None, description="queued, in_progress, completed, ... (GitHub may add more)."
    )
    conclusion: str | None = Field(
        default=None, description="success, failure, ... once completed (GitHub may add more)."
    )
    head_branch: str | None = None
    head_sha: str
    head_commit: Commit | None = None
    check_suite_id: int | None = None
    actor: Account | None = None
    triggering_actor: Account | None = None
    html_url: str
    url: str
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    run_started_at: UtcDatetime | None = None

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "WorkflowRun"
