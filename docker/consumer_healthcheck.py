"""Docker health check of the consumer example: healthy while its consumer group is Stable.

The consumer serves no HTTP, so its health is asked of Kafka: the group coordinator reports the
group ``Stable`` only while the consumer is a joined, heartbeating member. Exit status 0 is
healthy, 1 unhealthy (the reason on stderr).
"""

from __future__ import annotations

import asyncio
import os
import sys

from aiokafka.admin import AIOKafkaAdminClient

GROUP_STATE_INDEX = 2
"""Position of the state in a DescribeGroups group entry (error, id, state, ...)."""


async def group_state(bootstrap_servers: str, group_id: str) -> str:
    """Ask Kafka for the state of one consumer group."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
    await admin.start()
    try:
        responses = await admin.describe_consumer_groups([group_id])
    finally:
        await admin.close()
    for response in responses:
        for group in response.groups:
            return str(group[GROUP_STATE_INDEX])
    return "Dead"


def main() -> int:
    """Print why the consumer is unhealthy, if it is, and return the exit status."""
    group_id = os.environ.get("OCTOBUS_CONSUMER_GROUP_ID", "octobus-consumer-example")
    try:
        state = asyncio.run(group_state(os.environ["KAFKA_BOOTSTRAP_SERVERS"], group_id))
    except Exception as exc:  # any failure to ask means "not healthy"
        print(f"cannot ask Kafka about group {group_id!r}: {exc}", file=sys.stderr)
        return 1
    if state != "Stable":
        print(f"consumer group {group_id!r} is {state}, not Stable", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
