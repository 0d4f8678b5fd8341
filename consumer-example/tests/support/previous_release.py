"""``PushEvent`` as the previous release of octobus-schemas shipped it: without ``compare``.

Same record full name (``io.octobus.github.v1.PushEvent``), one optional field less. A
producer or consumer still running the previous release writes and reads with this model.
"""

from __future__ import annotations

from typing import ClassVar

from octobus_schemas.avro import ModelCatalog
from octobus_schemas.catalog import CATALOG
from octobus_schemas.events import NAMESPACE, Commit, GitActor, GitHubEvent
from octobus_schemas.events import PushEvent as CurrentPushEvent
from pydantic import Field


class PushEvent(GitHubEvent):
    """One or more commits were pushed to a branch or tag, or a ref was created or deleted."""

    github_event: ClassVar[str | None] = "push"

    ref: str = Field(description="The full ref pushed to, e.g. refs/heads/main.")
    before: str = Field(description="The SHA the ref pointed to before the push.")
    after: str = Field(description="The SHA the ref points to after the push.")
    created: bool = False
    deleted: bool = False
    forced: bool = False
    base_ref: str | None = None
    commits: list[Commit] = Field(default_factory=list)
    head_commit: Commit | None = None
    pusher: GitActor | None = None

    class Meta:
        """Avro record name: the same as the current release's."""

        namespace = NAMESPACE
        schema_name = "PushEvent"


DROPPED_FIELD = "compare"
"""The field the current release added."""

assert set(CurrentPushEvent.model_fields) - set(PushEvent.model_fields) == {DROPPED_FIELD}
assert PushEvent.get_fullname() == CurrentPushEvent.get_fullname()

CATALOG_OF_PREVIOUS_RELEASE: ModelCatalog = {**CATALOG, PushEvent.get_fullname(): PushEvent}
"""What a consumer on the previous release decodes into."""
