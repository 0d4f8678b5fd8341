"""Subject naming strategies and compatibility levels of the Confluent Schema Registry."""

from __future__ import annotations

from enum import StrEnum

from octobus_schemas.errors import InvalidSchemaError

__all__ = ["CompatibilityLevel", "SubjectNameStrategy", "subject_name"]


class SubjectNameStrategy(StrEnum):
    """How a subject name is derived from a topic and a record (Confluent's three strategies).

    Octobus uses `RECORD_NAME` by default: one subject per record type, so several event types
    can share a topic and a record's history does not depend on which topic carries it.
    """

    TOPIC_NAME = "topic_name"
    """``<topic>-value`` (or ``<topic>-key``): one schema lineage per topic."""

    RECORD_NAME = "record_name"
    """``<record full name>``: one lineage per record type, whatever the topic."""

    TOPIC_RECORD_NAME = "topic_record_name"
    """``<topic>-<record full name>``: one lineage per record type and topic."""


class CompatibilityLevel(StrEnum):
    """The Schema Registry's compatibility levels.

    ``BACKWARD`` means new readers read old data; ``FORWARD`` means old readers read new data;
    ``FULL`` means both. ``*_TRANSITIVE`` checks every registered version, not only the latest.
    Octobus recommends `FULL_TRANSITIVE`: consumers upgrade late and replay old data.
    """

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"


def subject_name(
    strategy: SubjectNameStrategy,
    *,
    topic: str | None,
    record_full_name: str,
    suffix: str = "",
    is_key: bool = False,
) -> str:
    """Name the subject a schema is registered under.

    Parameters
    ----------
    strategy
        The naming strategy.
    topic
        The Kafka topic; required by the two topic strategies, ignored by `RECORD_NAME`.
    record_full_name
        The record's full name (``namespace.Name``).
    suffix
        Appended to the subject, for example ``"-staging"`` to keep a staging lineage apart.
    is_key
        Whether the schema is for message keys (only `TOPIC_NAME` distinguishes keys).

    Returns
    -------
    str
        The subject name.

    Raises
    ------
    InvalidSchemaError
        If a record strategy is given a record without a namespace: its subject would collide
        with any other record of the same short name.
    ValueError
        If a topic strategy is given no topic.

    Examples
    --------
    >>> subject_name(
    ...     SubjectNameStrategy.TOPIC_NAME, topic="orders", record_full_name="shop.events.Paid"
    ... )
    'orders-value'
    >>> subject_name(
    ...     SubjectNameStrategy.RECORD_NAME, topic="orders", record_full_name="shop.events.Paid"
    ... )
    'shop.events.Paid'
    """
    if strategy is not SubjectNameStrategy.TOPIC_NAME and "." not in record_full_name:
        raise InvalidSchemaError(
            f"record {record_full_name!r} has no namespace: the {strategy.value} strategy "
            "needs a namespaced full name (give the record a Meta.namespace)"
        )
    if strategy is SubjectNameStrategy.RECORD_NAME:
        return f"{record_full_name}{suffix}"
    if not topic:
        raise ValueError(f"the {strategy.value} subject strategy needs a topic")
    if strategy is SubjectNameStrategy.TOPIC_NAME:
        return f"{topic}-{'key' if is_key else 'value'}{suffix}"
    return f"{topic}-{record_full_name}{suffix}"
