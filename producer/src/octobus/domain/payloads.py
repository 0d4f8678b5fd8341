"""GitHub's payload shapes, parsed leniently: GitHub's field names, extra fields ignored.

GitHub adds fields to its payloads all the time and leaves many out depending on the
event, the action and who installed the webhook. These models therefore ignore what they
do not name and accept the absence of anything not needed to route an event. The strict,
Avro-typed shape of each event is not defined here but in ``octobus_schemas.events``;
``octobus.services`` maps one to the other.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from octobus.errors import PayloadError

__all__ = [
    "GitHubAccount",
    "GitHubInstallation",
    "GitHubModel",
    "GitHubRepository",
    "PingPayload",
    "WebhookPayload",
    "parse_payload",
]


class GitHubModel(BaseModel):
    """Base of GitHub's shapes: unknown fields ignored, instances immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class GitHubAccount(GitHubModel):
    """A user, organization, bot or enterprise as GitHub sends it (``sender``, ``owner``)."""

    id: int
    login: str
    type: str | None = None
    html_url: str | None = None


class GitHubRepository(GitHubModel):
    """A repository as GitHub sends it; ``full_name`` is ``owner/name``."""

    id: int
    name: str
    full_name: str
    owner: GitHubAccount | None = None
    private: bool | None = None
    html_url: str | None = None
    default_branch: str | None = None


class GitHubInstallation(GitHubModel):
    """The GitHub App installation a delivery was sent for; only its id is always there."""

    id: int


class WebhookPayload(GitHubModel):
    """The fields every delivery may carry, whatever its event.

    Attributes
    ----------
    action
        What happened (``opened``, ``closed``...), for events that have actions.
    repository
        The repository the event happened in, if any.
    organization
        The organization, for organization-level events and repositories it owns.
    sender
        Who triggered the event.
    installation
        The GitHub App installation, for deliveries to an app.
    """

    action: str | None = None
    repository: GitHubRepository | None = None
    organization: GitHubAccount | None = None
    sender: GitHubAccount | None = None
    installation: GitHubInstallation | None = None

    @property
    def partition_key(self) -> str | None:
        """The Kafka key that keeps related events in order.

        The repository's full name, else the organization's login, else the sender's;
        None when the payload names none of them.
        """
        if self.repository is not None:
            return self.repository.full_name
        if self.organization is not None:
            return self.organization.login
        if self.sender is not None:
            return self.sender.login
        return None


class PingPayload(WebhookPayload):
    """GitHub's ``ping``, sent when a webhook is created; nothing is published for it."""

    zen: str | None = None
    hook_id: int | None = None


Model = TypeVar("Model", bound=GitHubModel)


def parse_payload(model: type[Model], payload: dict[str, Any]) -> Model:
    """Validate a payload into one of GitHub's shapes, naming the field that does not fit.

    Parameters
    ----------
    model
        The shape expected.
    payload
        The payload, a JSON object.

    Returns
    -------
    Model
        The parsed payload.

    Raises
    ------
    PayloadError
        If a field the shape needs is missing or has the wrong type; the message gives
        the field's path in the payload.

    Examples
    --------
    >>> parse_payload(WebhookPayload, {"sender": {"id": 1, "login": "octocat"}}).partition_key
    'octocat'
    >>> parse_payload(WebhookPayload, {"repository": {"id": 1}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    octobus.errors.PayloadError: payload field repository.name: Field required; ...
    """
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        problems = "; ".join(
            f"payload field {'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors(include_url=False, include_input=False)
        )
        raise PayloadError(problems) from None
