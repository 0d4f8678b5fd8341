"""Making sure every topic the gateway writes to exists, with the configured layout."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError
from octobus_schemas.kafka import KafkaConnectionSettings

from octobus.errors import StartupError
from octobus.services.retry import retry_with_backoff

__all__ = ["ensure_topics"]

logger = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36


async def ensure_topics(
    kafka: KafkaConnectionSettings,
    topics: Sequence[str],
    *,
    partitions: int,
    replication_factor: int,
    give_up_after: float,
) -> list[str]:
    """Create whichever of ``topics`` does not exist yet; leave existing ones alone.

    Parameters
    ----------
    kafka
        How to reach Kafka.
    topics
        The topic names.
    partitions
        Partitions of each topic created.
    replication_factor
        Replicas of each partition of each topic created.
    give_up_after
        Seconds to keep retrying an unreachable cluster.

    Returns
    -------
    list of str
        The topics that were created (empty when all existed).

    Raises
    ------
    StartupError
        If Kafka stays unreachable, or refuses to create a topic (the message names it).
    """

    async def create_missing() -> list[str]:
        admin = AIOKafkaAdminClient(**kafka.to_aiokafka_params(), client_id="octobus-gateway-admin")
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [name for name in topics if name not in existing]
            if missing:
                response = await admin.create_topics(
                    [NewTopic(name, partitions, replication_factor) for name in missing]
                )
                _check_created(response.topic_errors)
            return missing
        finally:
            await admin.close()

    created = await retry_with_backoff(
        create_missing,
        what=f"reach Kafka at {','.join(kafka.validated.bootstrap_servers)} to create topics",
        give_up_after=give_up_after,
        retryable=lambda error: (
            isinstance(error, KafkaConnectionError | OSError)
            or (isinstance(error, KafkaError) and error.retriable)
        ),
    )
    if created:
        logger.info("created topics %s", ", ".join(created))
    return created


def _check_created(topic_errors: Sequence[tuple[object, ...]]) -> None:
    for entry in topic_errors:
        name, code = entry[0], entry[1]
        message = entry[2] if len(entry) > 2 else None
        # Another gateway starting at the same time may have created it first.
        if code not in (0, _TOPIC_ALREADY_EXISTS):
            msg = f"Kafka refused to create topic {name!r}: error {code} {message or ''}"
            raise StartupError(msg.strip())
