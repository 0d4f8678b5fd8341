"""The gateway's routes and the GitHub webhook headers, named once for client and server."""

from __future__ import annotations

from typing import Final

__all__ = [
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "HEALTH_PATH",
    "HOOK_ID_HEADER",
    "READY_PATH",
    "SIGNATURE_256_HEADER",
    "SIGNATURE_HEADER",
    "TOPICS_PATH",
    "WEBHOOK_PATH",
]

WEBHOOK_PATH: Final = "/webhooks/github"
"""``POST``: one GitHub webhook delivery in, :class:`DeliveryAccepted` (202) out."""

TOPICS_PATH: Final = "/v1/topics"
"""``GET``: the :class:`TopicCatalog`."""

HEALTH_PATH: Final = "/healthz"
"""``GET``: liveness, a :class:`Health` with no dependencies."""

READY_PATH: Final = "/readyz"
"""``GET``: readiness, a :class:`Health` per dependency; 503 when one is unavailable."""

SIGNATURE_256_HEADER: Final = "X-Hub-Signature-256"
"""``sha256=`` and the hex HMAC-SHA256 of the raw body, keyed with the webhook secret."""

SIGNATURE_HEADER: Final = "X-Hub-Signature"
"""``sha1=`` and the hex HMAC-SHA1 of the raw body (GitHub's legacy signature)."""

DELIVERY_HEADER: Final = "X-GitHub-Delivery"
"""The delivery's id, a UUID; the same on a redelivery."""

EVENT_HEADER: Final = "X-GitHub-Event"
"""The event name, such as ``push`` or ``pull_request``."""

HOOK_ID_HEADER: Final = "X-GitHub-Hook-ID"
"""The id of the webhook that sent the delivery."""
