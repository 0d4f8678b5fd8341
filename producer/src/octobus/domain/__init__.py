"""GitHub's side of a delivery: signature, headers, body and payload, as pure functions.

Nothing here knows HTTP frameworks, Kafka or Avro: the handlers pass bytes and headers in,
the services map what comes out to the strict event models.
"""

from octobus.domain.delivery import Delivery, parse_delivery, single_header
from octobus.domain.payloads import (
    GitHubAccount,
    GitHubInstallation,
    GitHubModel,
    GitHubRepository,
    PingPayload,
    WebhookPayload,
    parse_payload,
)
from octobus.domain.signature import verify_signature

__all__ = [
    "Delivery",
    "GitHubAccount",
    "GitHubInstallation",
    "GitHubModel",
    "GitHubRepository",
    "PingPayload",
    "WebhookPayload",
    "parse_delivery",
    "parse_payload",
    "single_header",
    "verify_signature",
]
