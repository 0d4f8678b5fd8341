"""From a parsed delivery to the strict event record that goes to Kafka.

The typed models of ``octobus_schemas.events`` use GitHub's own field names, so a payload
validates into its model as it is, with the delivery envelope (delivery id, event name,
time of receipt, installation id) set from the delivery rather than from the payload.
Every event type without a model goes to the raw topic as `RawGitHubEvent`, with the
payload's JSON text untouched.

A delivery of a modelled type whose payload does not fit the model (GitHub changed a
field the model requires, say) is not refused: GitHub would only send it again. It goes to
the raw topic too, with the reason in the ``X-Octobus-Fallback`` header, so it is kept and
visible.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from octobus_schemas.events import GitHubEvent, RawGitHubEvent
from octobus_schemas.topics import RAW_TOPIC, TopicSpec, topic_for_github_event
from pydantic import ValidationError

from octobus.domain import Delivery, WebhookPayload, parse_payload

__all__ = ["FALLBACK_HEADER", "RoutedEvent", "raw_fallbacks", "route_event"]

logger = logging.getLogger(__name__)

FALLBACK_HEADER = "X-Octobus-Fallback"
"""Set on a raw event whose typed model refused the payload; says which field and why."""


@dataclass(frozen=True, slots=True)
class RoutedEvent:
    """An event record and where it goes.

    Attributes
    ----------
    spec
        The topic's specification (name with the prefix applied, record model).
    record
        The event record to encode.
    key
        The Kafka key: repository full name, else organization login, else sender login.
    fallback_reason
        Why a modelled event went to the raw topic, or None.
    """

    spec: TopicSpec
    record: GitHubEvent
    key: str | None
    fallback_reason: str | None = None


def route_event(delivery: Delivery, *, topic_prefix: str = "") -> RoutedEvent:
    """Build the event record for a delivery and choose its topic.

    Parameters
    ----------
    delivery
        The parsed delivery.
    topic_prefix
        Prepended to every topic name.

    Returns
    -------
    RoutedEvent
        The record, its topic and its key.

    Raises
    ------
    PayloadError
        If the envelope fields (repository, organization, sender, installation) do not
        have GitHub's shape; the message names the field.
    """
    envelope = parse_payload(WebhookPayload, delivery.payload)
    spec = topic_for_github_event(delivery.event, prefix=topic_prefix)
    fields = _envelope_fields(delivery, envelope)
    key = envelope.partition_key
    if spec.model is not RawGitHubEvent:
        try:
            record = spec.model.model_validate({**delivery.payload, **fields})
        except ValidationError as error:
            reason = _describe(error)
            logger.warning(
                "delivery %s (%s) does not fit %s, published raw: %s",
                delivery.delivery_id,
                delivery.event,
                spec.model.__name__,
                reason,
            )
            return _raw_routed(delivery, fields, key, topic_prefix, reason)
        return RoutedEvent(spec, record, key)
    return RoutedEvent(spec, _raw(delivery, fields), key)


def raw_fallbacks(
    delivery: Delivery, routed: RoutedEvent, *, reason: str, topic_prefix: str = ""
) -> Iterator[RoutedEvent]:
    """Yield the raw events to try, in order, when a typed record could not be written.

    First the raw event with the typed record's envelope; then, in case the value that
    could not be written is in the envelope itself (a repository id beyond Avro's long,
    say), the raw event with only the delivery's own fields. The payload's JSON text is
    whole in both.

    Parameters
    ----------
    delivery
        The delivery.
    routed
        Its typed routing, whose record could not be written.
    reason
        Why, for the ``X-Octobus-Fallback`` header.
    topic_prefix
        Prepended to the raw topic's name.

    Yields
    ------
    RoutedEvent
        A raw event on the raw topic, with the same key.
    """
    record = routed.record
    logger.warning(
        "delivery %s (%s) cannot be written as %s, published raw: %s",
        delivery.delivery_id,
        delivery.event,
        type(record).__name__,
        reason,
    )
    fields = {name: getattr(record, name) for name in GitHubEvent.model_fields}
    yield _raw_routed(delivery, fields, routed.key, topic_prefix, reason)
    bare = {**fields, "installation_id": None, "repository": None, "sender": None}
    yield _raw_routed(delivery, bare, routed.key, topic_prefix, reason)


def _raw_routed(
    delivery: Delivery, fields: dict[str, Any], key: str | None, prefix: str, reason: str
) -> RoutedEvent:
    spec = TopicSpec(RAW_TOPIC, RawGitHubEvent, None).with_prefix(prefix)
    return RoutedEvent(spec, _raw(delivery, fields), key, reason)


def _envelope_fields(delivery: Delivery, envelope: WebhookPayload) -> dict[str, Any]:
    return {
        "delivery_id": delivery.delivery_id,
        "event": delivery.event,
        "action": envelope.action,
        "received_at": delivery.received_at,
        "installation_id": envelope.installation.id if envelope.installation else None,
        "repository": delivery.payload.get("repository"),
        "sender": delivery.payload.get("sender"),
    }


def _raw(delivery: Delivery, fields: dict[str, Any]) -> RawGitHubEvent:
    # The envelope's nested records come from the payload and may not fit the strict
    # models either; the raw event then carries them in its JSON text only.
    try:
        return RawGitHubEvent.model_validate({**fields, "payload_json": delivery.payload_json})
    except ValidationError:
        bare = {**fields, "repository": None, "sender": None}
        return RawGitHubEvent.model_validate({**bare, "payload_json": delivery.payload_json})


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
        for issue in error.errors(include_url=False, include_input=False)
    )
