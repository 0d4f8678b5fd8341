"""The gateway's errors: one small hierarchy, each message naming what was wrong.

The webhook errors describe a bad delivery without knowing HTTP; the handlers turn each
kind into its status code (`SignatureError` 401, `DeliveryHeaderError`, `PayloadError` and
`ClientDisconnectedError` 400, `BodyTimeoutError` 408, `DeliveryConflictError` 409,
`BodyTooLargeError` and `RecordTooLargeError` 413, `UnsupportedMediaTypeError` 415,
`PublishError` 503).
"""

from __future__ import annotations

__all__ = [
    "BodyTimeoutError",
    "BodyTooLargeError",
    "ClientDisconnectedError",
    "DeliveryConflictError",
    "DeliveryHeaderError",
    "OctobusError",
    "PayloadError",
    "PublishError",
    "PublishTimeoutError",
    "RecordTooLargeError",
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


class BodyTimeoutError(WebhookError):
    """The body did not arrive in full within the body-read timeout.

    Parameters
    ----------
    timeout
        The timeout in seconds.
    received
        How many bytes had arrived.
    declared
        The ``Content-Length``, when the request declared one.
    """

    def __init__(self, timeout: float, received: int, declared: int | None) -> None:
        self.timeout = timeout
        of = f" of the {declared} declared" if declared is not None else ""
        super().__init__(
            f"the body did not arrive within the {timeout:g} s body-read timeout "
            f"(OCTOBUS_BODY_READ_TIMEOUT): {received}{of} bytes were received"
        )


class ClientDisconnectedError(WebhookError):
    """The client went away before sending the whole body; nobody reads the answer.

    Parameters
    ----------
    received
        How many bytes had arrived.
    declared
        The ``Content-Length``, when the request declared one.
    """

    def __init__(self, received: int, declared: int | None) -> None:
        of = f" of the {declared} declared" if declared is not None else ""
        super().__init__(
            f"the client disconnected before sending the whole body ({received}{of} bytes)"
        )


class DeliveryConflictError(WebhookError):
    """A delivery id seen recently came again with another event or body.

    GitHub's redeliveries resend the same event and body, so this is not one: it is a
    different delivery reusing an id, and publishing or dropping it would both be wrong.
    """


class RecordTooLargeError(WebhookError):
    """The encoded event record is larger than Kafka takes.

    Parameters
    ----------
    topic
        The record's topic.
    size
        The record's encoded size in bytes, as the Kafka producer counts it.
    limit
        The producer's limit in bytes, or None when the broker refused the record.
    """

    def __init__(self, topic: str, size: int, limit: int | None) -> None:
        self.topic, self.size, self.limit = topic, size, limit
        if limit is not None:
            message = (
                f"the event record for topic {topic!r} is {size} bytes encoded, over the "
                f"Kafka producer's {limit}-byte limit (OCTOBUS_MAX_REQUEST_BYTES)"
            )
        else:
            message = (
                f"Kafka refused the {size}-byte event record for topic {topic!r} as too "
                "large: the topic's max.message.bytes (or the broker's message.max.bytes) "
                "is smaller"
            )
        super().__init__(message)


class PublishError(OctobusError):
    """The broker did not acknowledge an event; nothing was acknowledged to the sender."""


class PublishTimeoutError(PublishError):
    """The broker did not acknowledge within the publish timeout."""


class StartupError(OctobusError):
    """The gateway cannot start: a dependency is unreachable or a schema is refused."""
