"""The gateway's errors: one small hierarchy, each message naming what was wrong.

The webhook errors describe a bad delivery without knowing HTTP; the handlers turn each
kind into its status code (`SignatureError` 401, `DeliveryHeaderError` and `PayloadError`
400, `UnsupportedMediaTypeError` 415, `BodyTooLargeError` 413, `PublishError` 503).
"""

from __future__ import annotations

__all__ = [
    "BodyTooLargeError",
    "DeliveryHeaderError",
    "OctobusError",
    "PayloadError",
    "PublishError",
    "PublishTimeoutError",
    "SignatureError",
    "StartupError",
    "UnsupportedMediaTypeError",
    "WebhookError",
]


class OctobusError(Exception):
    """Base of every error the gateway raises on purpose."""


class WebhookError(OctobusError):
    """A delivery that cannot be accepted as it is; sending it again will not help."""


class SignatureError(WebhookError):
    """The ``X-Hub-Signature-256`` header is missing, malformed or matches no secret."""


class DeliveryHeaderError(WebhookError):
    """A required GitHub header (event name, delivery id) is missing or malformed."""


class PayloadError(WebhookError):
    """The body cannot be read as a GitHub payload; the message says why."""


class UnsupportedMediaTypeError(WebhookError):
    """The body's ``Content-Type`` is neither of the two GitHub sends."""


class BodyTooLargeError(WebhookError):
    """The body is over the configured size limit.

    Parameters
    ----------
    limit
        The limit in bytes.
    size
        The declared or observed size in bytes, when known.
    """

    def __init__(self, limit: int, size: int | None = None) -> None:
        self.limit = limit
        self.size = size
        seen = f"{size} bytes" if size is not None else "more than that"
        super().__init__(f"body is over the {limit}-byte limit ({seen})")


class PublishError(OctobusError):
    """The broker did not acknowledge an event; nothing was acknowledged to the sender."""


class PublishTimeoutError(PublishError):
    """The broker did not acknowledge within the publish timeout."""


class StartupError(OctobusError):
    """The gateway cannot start: a dependency is unreachable or a schema is refused."""
