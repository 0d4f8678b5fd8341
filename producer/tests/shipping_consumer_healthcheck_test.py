"""The consumer image's health check: healthy exactly while its consumer group is Stable."""

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

HEALTHCHECK = Path(__file__).resolve().parents[2] / "docker" / "consumer_healthcheck.py"


async def check(bootstrap_servers: str, group_id: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "OCTOBUS_CONSUMER_GROUP_ID": group_id,
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(HEALTHCHECK)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_healthy_while_a_consumer_is_a_member_of_its_group(
    kafka_bootstrap_servers: str,
) -> None:
    topic = f"healthcheck-{uuid.uuid4().hex[:8]}"
    group_id = f"{topic}-group"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"event")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap_servers,
        group_id=group_id,
        auto_offset_reset="earliest",
        session_timeout_ms=1000,
        heartbeat_interval_ms=300,
    )
    await consumer.start()
    try:
        await consumer.getone()  # returns once the group is joined and a partition assigned
        healthy = await check(kafka_bootstrap_servers, group_id)
    finally:
        await consumer.stop()
    assert healthy.returncode == 0, healthy.stderr


async def test_unhealthy_when_no_consumer_is_in_the_group(kafka_bootstrap_servers: str) -> None:
    group_id = f"nobody-{uuid.uuid4().hex[:8]}"
    result = await check(kafka_bootstrap_servers, group_id)
    assert result.returncode == 1
    assert f"consumer group {group_id!r} is" in result.stderr
    assert "not Stable" in result.stderr


async def test_unhealthy_when_kafka_does_not_answer() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await check(f"127.0.0.1:{port}", "octobus-consumer-example")
    assert result.returncode == 1
    assert "cannot ask Kafka about group 'octobus-consumer-example'" in result.stderr
