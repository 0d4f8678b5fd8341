"""The fallback for every event type without a model of its own."""

import json

from pydantic import Field

from octobus_schemas.events.common import NAMESPACE
from octobus_schemas.events.envelope import GitHubEvent

__all__ = ["RawGitHubEvent"]


class RawGitHubEvent(GitHubEvent):
    """Any GitHub event, with the whole payload kept as JSON text.

    Every delivery of an unmodelled event type is published as this record, so nothing
    GitHub sends is lost; ``event`` says which type it is.
    """

    payload_json: str = Field(description="The delivery's JSON body, as GitHub sent it.")

    def payload(self) -> object:
        """Parse :attr:`payload_json`.

        Returns
        -------
        object
            The payload as Python data (normally a ``dict``).
        """
        return json.loads(self.payload_json)

    class Meta:
        """Avro record name (the full name is the registry subject)."""

        namespace = NAMESPACE
        schema_name = "RawGitHubEvent"
