"""The embedded Tansu broker: start, readiness, freeze/thaw, clean stop, real clients."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from confluent_kafka import Consumer, Producer
from octobus_devstack import BrokerError, BrokerStartError, TansuBroker
from octobus_devstack._kafka_probe import request_metadata

from .support.devstack_processes import process_exists, processes_for_port, wait_until


def test_start_answers_a_metadata_request_advertising_its_loopback_port(tmp_path: Path) -> None:
    with TansuBroker(log_path=tmp_path / "tansu.log") as broker:
        host, port = broker.bootstrap_servers.split(":")
        assert host == "127.0.0.1"
        brokers = request_metadata(host, int(port))
        assert [(b.host, b.port) for b in brokers] == [("127.0.0.1", int(port))]
        assert "tansu" in (tmp_path / "tansu.log").read_text()


def test_stop_leaves_no_process_and_removes_its_temporary_log() -> None:
    broker = TansuBroker().start()
    pid, log_path, port = broker.pid, broker.log_path, broker.port
    assert process_exists(pid)
    assert log_path is not None
    assert log_path.exists()
    broker.stop()
    assert not process_exists(pid)
    assert processes_for_port(port) == {}  # nor its watchdog
    assert not log_path.exists()
    assert not broker.is_running
    broker.stop()  # stopping twice is harmless


def test_a_frozen_broker_answers_nothing_until_thawed_and_keeps_its_data(
    tansu_broker_factory: Callable[..., TansuBroker],
) -> None:
    broker = tansu_broker_factory()
    host, port = broker.bootstrap_servers.split(":")
    broker.freeze()
    with pytest.raises(OSError, match="timed out"):
        request_metadata(host, int(port), timeout=0.3)
    broker.thaw()
    assert request_metadata(host, int(port))


@pytest.mark.parametrize("frozen", [False, True], ids=["running", "frozen"])
def test_a_killed_owner_leaves_no_broker_behind(tmp_path: Path, frozen: bool) -> None:
    # SIGKILL runs no atexit handler and no fixture teardown: the watchdog still stops
    # the broker when its owner's pipe closes
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from octobus_devstack import TansuBroker\n"
            f"broker = TansuBroker(log_path=Path({str(tmp_path / 'tansu.log')!r})).start()\n"
            f"{'broker.freeze()' if frozen else ''}\n"
            "print(broker.pid, broker.port, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    pid, port = (int(word) for word in owner.stdout.readline().split())
    assert process_exists(pid)
    owner.kill()
    owner.wait()
    owner.stdout.close()
    assert wait_until(lambda: processes_for_port(port) == {}), processes_for_port(port)
    assert not process_exists(pid)


def test_a_frozen_broker_still_stops_cleanly(
    tansu_broker_factory: Callable[..., TansuBroker],
) -> None:
    broker = tansu_broker_factory()
    pid = broker.pid
    broker.freeze()
    broker.stop()
    assert not process_exists(pid)


def test_a_taken_port_is_refused_with_the_port_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        broker = TansuBroker(port=port)
        with pytest.raises(BrokerStartError, match=f"port {port}"):
            broker.start()
    # refused before a temporary log was made, so none is left behind in /tmp
    assert broker.log_path is None


def test_a_fixed_port_is_used_as_given(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with TansuBroker(port=port, log_path=tmp_path / "t.log") as broker:
        assert broker.bootstrap_servers == f"127.0.0.1:{port}"


def test_a_broker_that_is_not_running_says_so() -> None:
    broker = TansuBroker()
    with pytest.raises(BrokerError, match="not running"):
        broker.freeze()
    with pytest.raises(BrokerError, match="not running"):
        _ = broker.pid


def test_starting_twice_is_refused(tansu_broker_factory: Callable[..., TansuBroker]) -> None:
    broker = tansu_broker_factory()
    with pytest.raises(BrokerError, match="already started"):
        broker.start()


def test_a_missing_binary_names_the_log_file(tmp_path: Path) -> None:
    fake = tmp_path / "tansu"
    fake.write_text("#!/bin/sh\necho cannot start >&2\nexit 3\n")
    fake.chmod(0o755)
    broker = TansuBroker(log_path=tmp_path / "t.log", binary=fake)
    with pytest.raises(BrokerStartError, match=r"exited with status 3.*t\.log"):
        broker.start()
    assert "cannot start" in (tmp_path / "t.log").read_text()


def test_the_factory_stops_its_brokers_after_the_test(
    tansu_broker_factory: Callable[..., TansuBroker], tmp_path: Path
) -> None:
    first = tansu_broker_factory()
    second = tansu_broker_factory(log_path=tmp_path / "second.log")
    assert first.bootstrap_servers != second.bootstrap_servers
    assert second.log_path == tmp_path / "second.log"


async def test_aiokafka_produces_and_consumes_through_the_embedded_broker(
    kafka_bootstrap_servers: str,
) -> None:
    topic = f"aiokafka-{uuid.uuid4().hex[:8]}"
    # Tansu refuses aiokafka's idempotent producer (InitProducerId v0): idempotence stays off
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap_servers, enable_idempotence=False, acks="all"
    )
    await producer.start()
    try:
        for index in range(5):
            await producer.send_and_wait(
                topic, f"value-{index}".encode(), key=b"k", headers=[("n", str(index).encode())]
            )
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap_servers,
        group_id=f"g-{topic}",
        auto_offset_reset="earliest",
        session_timeout_ms=1000,
        heartbeat_interval_ms=300,
    )
    await consumer.start()
    try:
        received: list[Any] = []
        async with asyncio.timeout(20):
            while len(received) < 5:
                batch = await consumer.getmany(timeout_ms=500)
                received += [record for records in batch.values() for record in records]
    finally:
        await consumer.stop()
    assert [record.value for record in received] == [f"value-{i}".encode() for i in range(5)]
    assert {record.key for record in received} == {b"k"}
    assert [dict(record.headers)["n"] for record in received] == [b"0", b"1", b"2", b"3", b"4"]


def test_confluent_kafka_produces_and_consumes_through_the_embedded_broker(
    kafka_bootstrap_servers: str,
) -> None:
    topic = f"confluent-{uuid.uuid4().hex[:8]}"
    producer = Producer(
        {"bootstrap.servers": kafka_bootstrap_servers, "enable.idempotence": True, "acks": "all"}
    )
    for index in range(5):
        producer.produce(topic, value=f"value-{index}".encode(), key=b"k")
    assert producer.flush(10) == 0
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap_servers,
            "group.id": f"g-{topic}",
            "auto.offset.reset": "earliest",
            # a new group waits about half the session timeout on Tansu: keep it short
            "session.timeout.ms": 1000,
            "heartbeat.interval.ms": 300,
        }
    )
    consumer.subscribe([topic])
    received: list[bytes | None] = []
    try:
        for _ in range(200):
            message = consumer.poll(0.1)
            if message is not None and message.error() is None:
                received.append(message.value())
            if len(received) == 5:
                break
    finally:
        consumer.close()
    assert received == [f"value-{i}".encode() for i in range(5)]
