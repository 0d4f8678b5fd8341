"""The ``octobus-consumer-example`` command: scriptable, one line per event, clean stops."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from octobus_consumer_example import ConsumerSettings
from octobus_consumer_example.summaries import summarize
from octobus_schemas.avro import AvroCodec
from octobus_schemas.topics import topic_for_github_event

from .support.events import ALL_KEYS, event, push
from .support.kafka import send

COMMAND = str(Path(sys.executable).parent / "octobus-consumer-example")
RUN_TIMEOUT = 60.0


def _environment(settings: ConsumerSettings) -> dict[str, str]:
    """The environment a deployment would set: the same variables as the gateway's."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "KAFKA_ENABLE_IDEMPOTENCE": "false",
        "SCHEMA_REGISTRY_URL": str(settings.schema_registry.url),
        "OCTOBUS_CONSUMER_GROUP_ID": settings.consumer_group_id,
        "OCTOBUS_TOPIC_PREFIX": settings.topic_prefix,
        "OCTOBUS_CONSUMER_SESSION_TIMEOUT_MS": "1000",
    }


async def _start(*arguments: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        COMMAND,
        *arguments,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_it_prints_one_summary_line_per_event_and_exits_0_after_max_messages(
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    sent = [event(key) for key in ALL_KEYS]
    for published in sent:
        topic = topic_for_github_event(published.event, prefix=prefix).name
        await send(producer, topic, await codec.encode(published))

    process = await _start(
        "--from-beginning",
        "--max-messages",
        str(len(sent)),
        env=_environment(make_settings()),
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)

    assert process.returncode == 0, stderr.decode()
    lines = stdout.decode().splitlines()
    assert sorted(lines) == sorted(summarize(published) for published in sent)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_it_cleanly_with_exit_code_0(
    stop_signal: signal.Signals,
    make_settings: Callable[..., ConsumerSettings],
    producer: AIOKafkaProducer,
    codec: AvroCodec,
    prefix: str,
) -> None:
    first = push()
    await send(producer, f"{prefix}github.push", await codec.encode(first))
    process = await _start("--from-beginning", env=_environment(make_settings()))
    assert process.stdout is not None

    line = await asyncio.wait_for(process.stdout.readline(), RUN_TIMEOUT)
    process.send_signal(stop_signal)
    rest, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)

    assert process.returncode == 0, stderr.decode()
    assert line.decode().rstrip("\n") == summarize(first)
    assert rest == b""
    assert b"Traceback" not in stderr


async def test_invalid_settings_exit_2_naming_the_variable(
    make_settings: Callable[..., ConsumerSettings],
) -> None:
    env = _environment(make_settings()) | {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}
    process = await _start("--max-messages", "1", env=env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)

    assert process.returncode == 2
    assert stdout == b""
    assert b"KAFKA_SASL_MECHANISM" in stderr


@pytest.mark.parametrize("value", ["0", "-3", "many"])
async def test_max_messages_must_be_a_positive_number(
    value: str, make_settings: Callable[..., ConsumerSettings]
) -> None:
    process = await _start("--max-messages", value, env=_environment(make_settings()))
    _, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)

    assert process.returncode == 2
    assert b"--max-messages" in stderr
    assert value.encode() in stderr


async def test_unreachable_kafka_is_one_error_naming_the_servers_and_exit_2() -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",  # nothing listens on port 1
        "KAFKA_ENABLE_IDEMPOTENCE": "false",
    }
    process = await _start(env=environment)
    stdout, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)

    errors = stderr.decode()
    assert process.returncode == 2
    assert stdout == b""
    assert (
        "octobus-consumer-example: cannot reach Kafka at KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1"
        in errors
    )
    assert "Traceback" not in errors
    assert "Unclosed" not in errors  # the dead-letter producer was closed
