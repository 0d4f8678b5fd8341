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

    id: int = Field(
        description="Numeric id of the account, which stays the same when the login changes."
    )
    login: str = Field(description="Login of the account, e.g. octocat.")
    node_id: str | None = Field(
        default=None,
        description=(
            "GraphQL node id of the account; null when the payload omits it, as Marketplace "
            "deliveries do."
        ),
    )
    type: str = Field(description="User, Bot or Organization (GitHub may add more).")
    html_url: str = Field(description="Web page of the account, e.g. https://github.com/octocat.")
    avatar_url: str | None = Field(default=None, description="URL of the account's avatar image.")
    site_admin: bool = Field(
        default=False,
        description="Whether the account is a site administrator of the GitHub instance.",
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Account"


class GitActor(OctobusModel):
    """The author, committer or pusher of a commit as git records it (not an account)."""

    name: str = Field(description="Name as git records it, e.g. Mona Lisa.")
    email: str | None = Field(
        default=None,
        description="Email address as git records it, possibly a users.noreply.github.com address.",
    )
    username: str | None = Field(
        default=None,
        description=(
            "GitHub login matched to the email; null when GitHub matches none or sends none, as "
            "for a pusher or a workflow run's head commit."
        ),
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "GitActor"


class Repository(OctobusModel):
    """A repository, as every event that concerns one carries it."""

    id: int = Field(
        description=(
            "Numeric id of the repository, which stays the same across renames and transfers."
        )
    )
    node_id: str | None = Field(default=None, description="GraphQL node id of the repository.")
    name: str = Field(description="Name of the repository without its owner, e.g. Hello-World.")
    full_name: str = Field(description="Owner login and repository name, e.g. octocat/Hello-World.")
    owner: Account = Field(description="The user or organization that owns the repository.")
    private: bool = Field(description="Whether the repository is private.")
    html_url: str = Field(
        description="Web page of the repository, e.g. https://github.com/octocat/Hello-World."
    )
    url: str = Field(
        description=(
            "API URL of the repository, e.g. https://api.github.com/repos/octocat/Hello-World "
            "(push deliveries carry the web page URL here instead)."
        )
    )
    description: str | None = Field(
        default=None, description="Short description of the repository; null when none is set."
    )
    fork: bool = Field(
        default=False, description="Whether the repository is a fork of another one."
    )
    homepage: str | None = Field(
        default=None,
        description="Homepage URL set for the repository; null or empty when none is set.",
    )
    language: str | None = Field(
        default=None,
        description=(
            "Primary language as GitHub detects it, e.g. Python; null when none is detected."
        ),
    )
    default_branch: str = Field(description="Name of the default branch, e.g. main.")
    visibility: str | None = Field(
        default=None, description="public, private or internal; null when the payload omits it."
    )
    archived: bool = Field(
        default=False, description="Whether the repository is archived (read-only)."
    )
    disabled: bool = Field(default=False, description="Whether the repository is disabled.")
    topics: list[str] = Field(
        default_factory=list,
        description=(
            "Topics set on the repository (lowercase tags such as kafka); empty when none are set "
            "or the payload omits them."
        ),
    )
    created_at: UtcDatetime = Field(description="When the repository was created (UTC).")
    updated_at: UtcDatetime | None = Field(
        default=None, description="When the repository was last updated (UTC)."
    )
    pushed_at: UtcDatetime | None = Field(
        default=None,
        description=(
            "When a commit was last pushed to any of the repository's refs (UTC); null if never."
        ),
    )
    size: int | None = Field(
        default=None, description="Size of the repository in kilobytes, as GitHub last computed it."
    )
    stargazers_count: int = Field(default=0, description="Number of stars.")
    watchers_count: int = Field(
        default=0,
        description=(
            "Number of stars again (GitHub's legacy name for stargazers_count, not the number of "
            "watchers)."
        ),
    )
    forks_count: int = Field(default=0, description="Number of forks.")
    open_issues_count: int = Field(
        default=0, description="Number of open issues and open pull requests together."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Repository"


class Label(OctobusModel):
    """A label on an issue or pull request."""

    id: int = Field(description="Numeric id of the label.")
    node_id: str | None = Field(default=None, description="GraphQL node id of the label.")
    name: str = Field(description="Name of the label, e.g. bug.")
    color: str = Field(description="Color as six hex digits without a leading #, e.g. d73a4a.")
    description: str | None = Field(
        default=None, description="Short description of the label; null when none is set."
    )
    default: bool = Field(
        default=False,
        description="Whether the label is one of those GitHub creates in every new repository.",
    )
    url: str = Field(description="API URL of the label.")

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Label"


class Commit(OctobusModel):
    """A commit as a push or a workflow run's head commit describes it."""

    id: str = Field(description="The commit SHA.")
    tree_id: str = Field(description="SHA of the commit's tree.")
    message: str = Field(description="The full commit message.")
    timestamp: UtcDatetime = Field(description="The commit's timestamp as git records it (UTC).")
    author: GitActor = Field(description="The commit's author as git records it.")
    committer: GitActor = Field(description="The commit's committer as git records it.")
    url: str | None = Field(
        default=None, description="Web page of the commit; null in a workflow run's head commit."
    )
    distinct: bool | None = Field(
        default=None,
        description=(
            "Whether the commit is new to the repository with this push rather than already on "
            "another ref; null in a workflow run's head commit."
        ),
    )
    added: list[str] = Field(
        default_factory=list,
        description="Paths of the files the commit added; empty in a workflow run's head commit.",
    )
    removed: list[str] = Field(
        default_factory=list,
        description="Paths of the files the commit removed; empty in a workflow run's head commit.",
    )
    modified: list[str] = Field(
        default_factory=list,
        description=(
            "Paths of the files the commit modified; empty in a workflow run's head commit."
        ),
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Commit"


class PullRequestRef(OctobusModel):
    """One side of a pull request: the branch, its commit and its repository."""

    label: str = Field(description="Owner login and branch name, e.g. octocat:main.")
    ref: str = Field(description="Branch name, without refs/heads/, e.g. main.")
    sha: str = Field(
        description="SHA of the commit at the tip of the branch when the event was sent."
    )
    user: Account | None = Field(
        default=None, description="Owner of the repository the branch is in."
    )
    repo: Repository | None = Field(
        default=None, description="Null when the head repository (a fork) was deleted."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PullRequestRef"


class PullRequest(OctobusModel):
    """A pull request."""

    id: int = Field(description="Numeric id of the pull request (not its number).")
    node_id: str | None = Field(default=None, description="GraphQL node id of the pull request.")
    number: int = Field(
        description="Number of the pull request in its repository, e.g. 42 for /pull/42."
    )
    state: str = Field(description="open or closed (GitHub may add more).")
    locked: bool = Field(default=False, description="Whether the conversation is locked.")
    title: str = Field(description="Title of the pull request.")
    body: str | None = Field(
        default=None,
        description="Description of the pull request in Markdown; null when it has none.",
    )
    user: Account | None = Field(
        default=None, description="The account that opened the pull request."
    )
    html_url: str = Field(
        description=(
            "Web page of the pull request, e.g. https://github.com/octocat/Hello-World/pull/42."
        )
    )
    url: str = Field(description="API URL of the pull request.")
    draft: bool = Field(default=False, description="Whether the pull request is a draft.")
    author_association: str | None = Field(
        default=None,
        description=(
            "The author's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, "
            "NONE, ... (GitHub may add more)."
        ),
    )
    labels: list[Label] = Field(default_factory=list, description="Labels on the pull request.")
    assignees: list[Account] = Field(
        default_factory=list, description="Accounts assigned to the pull request."
    )
    requested_reviewers: list[Account] = Field(
        default_factory=list,
        description=(
            "Accounts whose review is requested and not yet given (requested teams are not listed)."
        ),
    )
    head: PullRequestRef = Field(description="The branch the changes come from.")
    base: PullRequestRef = Field(description="The branch the changes are to be merged into.")
    merged: bool | None = Field(
        default=None,
        description=(
            "Whether the pull request has been merged (closed with merged true is a merge, false a "
            "plain close)."
        ),
    )
    mergeable: bool | None = Field(
        default=None,
        description="Whether GitHub can merge it without conflicts; null while GitHub computes it.",
    )
    mergeable_state: str | None = Field(
        default=None,
        description=(
            "GitHub's merge status, e.g. clean, dirty, blocked or unknown (GitHub may add more)."
        ),
    )
    merge_commit_sha: str | None = Field(
        default=None,
        description=(
            "SHA of the merge commit once merged, or of GitHub's test merge commit before; null "
            "when there is none."
        ),
    )
    merged_by: Account | None = Field(
        default=None, description="The account that merged the pull request; null unless merged."
    )
    comments: int | None = Field(
        default=None,
        description="Number of comments on the conversation, not counting review comments.",
    )
    review_comments: int | None = Field(
        default=None, description="Number of review comments on the diff."
    )
    commits: int | None = Field(default=None, description="Number of commits in the pull request.")
    additions: int | None = Field(default=None, description="Number of lines added.")
    deletions: int | None = Field(default=None, description="Number of lines deleted.")
    changed_files: int | None = Field(default=None, description="Number of files changed.")
    created_at: UtcDatetime = Field(description="When the pull request was opened (UTC).")
    updated_at: UtcDatetime | None = Field(
        default=None, description="When the pull request was last updated (UTC)."
    )
    closed_at: UtcDatetime | None = Field(
        default=None, description="When the pull request was closed (UTC); null while open."
    )
    merged_at: UtcDatetime | None = Field(
        default=None, description="When the pull request was merged (UTC); null unless merged."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "PullRequest"


class Issue(OctobusModel):
    """An issue (or a pull request seen as an issue, as comments on one are)."""

    id: int = Field(description="Numeric id of the issue (not its number).")
    node_id: str | None = Field(
        default=None,
        description="GraphQL node id of the issue (a pull request's, when the issue is one).",
    )
    number: int = Field(description="Number of the issue in its repository, e.g. 1 for /issues/1.")
    title: str = Field(description="Title of the issue.")
    state: str | None = Field(default=None, description="open or closed (GitHub may add more).")
    state_reason: str | None = Field(
        default=None,
        description=(
            "Why the issue has its state: completed, not_planned or reopened (GitHub may add "
            "more); null when none is given."
        ),
    )
    locked: bool | None = Field(
        default=None,
        description="Whether the conversation is locked; null when the payload omits it.",
    )
    body: str | None = Field(
        default=None, description="Description of the issue in Markdown; null when it has none."
    )
    user: Account | None = Field(default=None, description="The account that opened the issue.")
    html_url: str | None = Field(
        default=None,
        description=(
            "Web page of the issue, e.g. https://github.com/octocat/Hello-World/issues/1 (a /pull/ "
            "page for a pull request)."
        ),
    )
    url: str = Field(description="API URL of the issue.")
    author_association: str | None = Field(
        default=None,
        description=(
            "The author's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, "
            "NONE, ... (GitHub may add more)."
        ),
    )
    labels: list[Label] = Field(default_factory=list, description="Labels on the issue.")
    assignees: list[Account] = Field(
        default_factory=list, description="Accounts assigned to the issue."
    )
    comments: int | None = Field(default=None, description="Number of comments on the issue.")
    draft: bool | None = Field(
        default=None,
        description="Whether the issue is a draft pull request; null when the payload omits it.",
    )
    created_at: UtcDatetime = Field(description="When the issue was opened (UTC).")
    updated_at: UtcDatetime | None = Field(
        default=None, description="When the issue was last updated (UTC)."
    )
    closed_at: UtcDatetime | None = Field(
        default=None, description="When the issue was closed (UTC); null while open."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Issue"


class Comment(OctobusModel):
    """A comment on an issue or pull request."""

    id: int = Field(description="Numeric id of the comment.")
    node_id: str | None = Field(default=None, description="GraphQL node id of the comment.")
    body: str = Field(description="Text of the comment in Markdown.")
    user: Account | None = Field(default=None, description="The account that wrote the comment.")
    html_url: str | None = Field(
        default=None,
        description=(
            "Web page of the comment, e.g. "
            "https://github.com/octocat/Hello-World/issues/1#issuecomment-492700400."
        ),
    )
    url: str = Field(description="API URL of the comment.")
    author_association: str | None = Field(
        default=None,
        description=(
            "The author's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, "
            "NONE, ... (GitHub may add more)."
        ),
    )
    created_at: UtcDatetime = Field(description="When the comment was written (UTC).")
    updated_at: UtcDatetime | None = Field(
        default=None, description="When the comment was last edited (UTC)."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Comment"


class Release(OctobusModel):
    """A release of a repository."""

    id: int = Field(description="Numeric id of the release.")
    node_id: str | None = Field(default=None, description="GraphQL node id of the release.")
    tag_name: str = Field(description="Name of the tag the release is for, e.g. v1.0.0.")
    target_commitish: str = Field(
        description=(
            "Branch or commit SHA the tag is created from if it does not exist yet, e.g. main."
        )
    )
    name: str | None = Field(
        default=None, description="Title of the release; null or empty when it has none."
    )
    body: str | None = Field(
        default=None, description="Release notes in Markdown; null or empty when there are none."
    )
    draft: bool = Field(description="Whether the release is an unpublished draft.")
    prerelease: bool = Field(description="Whether the release is marked as a pre-release.")
    author: Account | None = Field(
        default=None, description="The account that created the release."
    )
    html_url: str | None = Field(
        default=None,
        description=(
            "Web page of the release, e.g. "
            "https://github.com/octocat/Hello-World/releases/tag/v1.0.0."
        ),
    )
    url: str = Field(description="API URL of the release.")
    tarball_url: str | None = Field(
        default=None,
        description="API URL of the tagged source as a tar.gz archive; null if GitHub gives none.",
    )
    zipball_url: str | None = Field(
        default=None,
        description="API URL of the tagged source as a zip archive; null if GitHub gives none.",
    )
    created_at: UtcDatetime | None = Field(
        default=None,
        description=(
            "When the commit the release points to was created (UTC), not when the release was "
            "drafted or published."
        ),
    )
    published_at: UtcDatetime | None = Field(
        default=None, description="Null while the release is a draft."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "Release"


class WorkflowRun(OctobusModel):
    """A GitHub Actions workflow run."""

    id: int = Field(description="Numeric id of the run, as in the run's web page URL.")
    node_id: str | None = Field(default=None, description="GraphQL node id of the run.")
    name: str | None = Field(
        default=None, description="Name of the workflow, e.g. CI; may be empty."
    )
    display_title: str | None = Field(
        default=None,
        description=(
            "Title shown for the run, e.g. the head commit's message or the pull request's title."
        ),
    )
    path: str | None = Field(
        default=None,
        description="Path of the workflow file in the repository, e.g. .github/workflows/ci.yml.",
    )
    workflow_id: int = Field(description="Numeric id of the workflow the run belongs to.")
    run_number: int = Field(
        description="Sequence number of the run within its workflow (1, 2, ...); a re-run keeps it."
    )
    run_attempt: int | None = Field(
        default=None, description="Attempt number: 1 for the first attempt, higher for each re-run."
    )
    event: str = Field(description="The event that triggered the run (push, pull_request, ...).")
    status: str | None = Field(
        default=None, description="queued, in_progress, completed, ... (GitHub may add more)."
    )
    conclusion: str | None = Field(
        default=None, description="success, failure, ... once completed (GitHub may add more)."
    )
    head_branch: str | None = Field(
        default=None,
        description="Branch of the head commit, e.g. main; null when GitHub gives none.",
    )
    head_sha: str = Field(description="SHA of the commit the run is for.")
    head_commit: Commit | None = Field(
        default=None, description="The commit the run is for (without URL, file lists or distinct)."
    )
    check_suite_id: int | None = Field(
        default=None, description="Id of the check suite the run belongs to."
    )
    actor: Account | None = Field(
        default=None, description="The account that triggered the run's first attempt."
    )
    triggering_actor: Account | None = Field(
        default=None,
        description="The account that triggered this attempt; differs from actor on a re-run.",
    )
    html_url: str = Field(
        description=(
            "Web page of the run, e.g. "
            "https://github.com/octo-org/octo-repo/actions/runs/289782451."
        )
    )
    url: str = Field(description="API URL of the run.")
    created_at: UtcDatetime = Field(description="When the run was created (UTC).")
    updated_at: UtcDatetime | None = Field(
        default=None, description="When the run was last updated (UTC)."
    )
    run_started_at: UtcDatetime | None = Field(
        default=None, description="When this attempt of the run started (UTC)."
    )

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "WorkflowRun"
