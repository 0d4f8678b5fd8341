"""``DevStack`` and the ``octobus-devstack`` command: ports, eval-able output, clean stops."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from octobus_devstack import DevStack
from octobus_devstack._kafka_probe import request_metadata
from octobus_devstack._net import free_port, port_accepts
from octobus_devstack.cli import build_parser

from .support.devstack_processes import (
    pids_listening_on,
    process_exists,
    processes_for_port,
    wait_until,
)


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def post_json(url: str, body: object) -> object:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


class RunningCli:
    """An ``octobus-devstack`` process and the KEY=value lines it printed."""

    def __init__(self, *args: str) -> None:
        executable = shutil.which("octobus-devstack")
        assert executable is not None, "the console script is installed with the package"
        self.process = subprocess.Popen(
            [executable, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.env: dict[str, str] = {}

    def read_env(self, count: int) -> dict[str, str]:
        assert self.process.stdout is not None
        for _ in range(count):
            line = self.process.stdout.readline().strip()
            assert "=" in line, f"expected KEY=value, got {line!r}; stderr: {self.stderr()}"
            name, value = line.split("=", 1)
            self.env[name] = value
        return self.env

    def stop(self, *signals: signal.Signals) -> int:
        # several are sent back to back, no pause: the second arrives while the first
        # handler may still be running, which is how `uv run` (forwarding a SIGTERM the
        # child also got) hung Event.set()
        for sig in signals or (signal.SIGTERM,):
            self.process.send_signal(sig)
        return self.process.wait(10)

    def stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read()


@pytest.fixture
def cli() -> Iterator[list[RunningCli]]:
    started: list[RunningCli] = []
    yield started
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
        for stream in (running.process.stdout, running.process.stderr):
            if stream is not None:
                stream.close()


def test_devstack_starts_both_and_exports_their_addresses(tmp_path: Path) -> None:
    with DevStack(data_dir=tmp_path / "data") as stack:
        env = stack.env()
        assert env == {
            "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
            "SCHEMA_REGISTRY_URL": stack.registry_url,
        }
        host, port = stack.bootstrap_servers.split(":")
        assert request_metadata(host, int(port))
        assert get_json(stack.registry_url + "/") == {}
        broker_pid = stack.broker.pid
    assert not process_exists(broker_pid)
    assert (tmp_path / "data" / "schema-registry.sqlite3").exists()
    assert (tmp_path / "data" / "tansu.log").exists()


def test_devstack_stops_the_broker_when_the_registry_cannot_start() -> None:
    taken = DevStack()
    with taken:
        stack = DevStack(registry_port=taken.registry.port)
        with pytest.raises(Exception, match=f"{taken.registry.port}"):
            stack.start()
        assert not stack.broker.is_running


def test_the_cli_defaults_are_kafkas_and_the_registrys_usual_ports() -> None:
    options = build_parser().parse_args(["up"])
    assert (options.kafka_port, options.registry_port, options.data_dir) == (9092, 8081, None)


def test_up_prints_eval_able_lines_serves_both_and_stops_both_on_sigterm(
    cli: list[RunningCli], tmp_path: Path
) -> None:
    kafka_port, registry_port = free_port(), free_port()
    running = RunningCli(
        "up",
        "--kafka-port",
        str(kafka_port),
        "--registry-port",
        str(registry_port),
        "--data-dir",
        str(tmp_path),
    )
    cli.append(running)
    env = running.read_env(2)
    assert env == {
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka_port}",
        "SCHEMA_REGISTRY_URL": f"http://127.0.0.1:{registry_port}",
    }
    # a shell can eval the output: every line is NAME=value with nothing to quote
    assert all(
        value.replace(":", "").replace("/", "").replace(".", "").isalnum() for value in env.values()
    )
    assert request_metadata("127.0.0.1", kafka_port)
    assert get_json(env["SCHEMA_REGISTRY_URL"] + "/config") == {"compatibilityLevel": "BACKWARD"}
    [broker_pid] = pids_listening_on(kafka_port)
    assert running.stop(signal.SIGTERM) == 0
    assert not process_exists(broker_pid)
    assert not port_accepts(kafka_port)
    assert not port_accepts(registry_port)
    assert "stopped" in running.stderr()


def start_up(cli: list[RunningCli]) -> tuple[RunningCli, int, int, int]:
    """Run ``up`` on free ports until it is ready: the process, both ports, the broker's pid."""
    kafka_port, registry_port = free_port(), free_port()
    running = RunningCli(
        "up", "--kafka-port", str(kafka_port), "--registry-port", str(registry_port)
    )
    cli.append(running)
    running.read_env(2)
    [broker_pid] = pids_listening_on(kafka_port)
    return running, kafka_port, registry_port, broker_pid


def test_ctrl_c_stops_both_too(cli: list[RunningCli]) -> None:
    running, _, _, broker_pid = start_up(cli)
    assert running.stop(signal.SIGINT) == 0
    assert wait_until(lambda: not process_exists(broker_pid))


def test_registry_alone_keeps_its_data_dir_across_restarts(
    cli: list[RunningCli], tmp_path: Path
) -> None:
    port = free_port()
    first = RunningCli("registry", "--registry-port", str(port), "--data-dir", str(tmp_path))
    cli.append(first)
    assert first.read_env(1) == {"SCHEMA_REGISTRY_URL": f"http://127.0.0.1:{port}"}
    url = first.env["SCHEMA_REGISTRY_URL"]
    assert post_json(url + "/subjects/s/versions", {"schema": '"string"'}) == {"id": 1}
    assert first.stop() == 0
    second = RunningCli("registry", "--registry-port", str(port), "--data-dir", str(tmp_path))
    cli.append(second)
    second.read_env(1)
    assert get_json(url + "/subjects/s/versions/1") == {
        "subject": "s",
        "version": 1,
        "id": 1,
        "schema": '"string"',
    }
    assert second.stop() == 0


def test_broker_alone_prints_only_the_bootstrap_servers_and_logs_to_the_data_dir(
    cli: list[RunningCli], tmp_path: Path
) -> None:
    port = free_port()
    data_dir = tmp_path / "not-yet-there"
    running = RunningCli("broker", "--kafka-port", str(port), "--data-dir", str(data_dir))
    cli.append(running)
    assert running.read_env(1) == {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}"}
    assert running.stop() == 0
    assert pids_listening_on(port) == []
    assert f"tcp://127.0.0.1:{port}" in (data_dir / "tansu.log").read_text()


def test_a_taken_port_fails_with_exit_status_one_naming_the_port(cli: list[RunningCli]) -> None:
    with DevStack() as taken:
        port = taken.broker.port
        running = RunningCli("broker", "--kafka-port", str(port))
        cli.append(running)
        assert running.process.wait(10) == 1
        assert f"port {port}" in running.stderr()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "octobus_devstack.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


def test_the_module_runs_as_a_script_too() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "octobus_devstack.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "up" in result.stdout
    assert "registry" in result.stdout


def test_an_unusable_data_dir_fails_with_exit_status_one_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run_cli("registry", "--data-dir", str(blocker))
    assert result.returncode == 1
    assert "a-file" in result.stderr
    assert result.stdout == ""


def _gone(pid: int) -> bool:
    return not process_exists(pid)


def _nothing_for_port(port: int) -> bool:
    return processes_for_port(port) == {}


@pytest.mark.parametrize(
    "signals",
    [
        (signal.SIGTERM, signal.SIGTERM, signal.SIGTERM, signal.SIGTERM),
        (signal.SIGINT, signal.SIGTERM),
        (signal.SIGTERM, signal.SIGINT, signal.SIGTERM, signal.SIGINT),
    ],
    ids=["sigterm-x4", "sigint-sigterm", "mixed-x4"],
)
def test_up_stops_cleanly_under_repeated_signals_every_time(
    cli: list[RunningCli], signals: tuple[signal.Signals, ...]
) -> None:
    for _ in range(10):
        running, kafka_port, registry_port, broker_pid = start_up(cli)
        assert running.stop(*signals) == 0, running.stderr()
        assert wait_until(partial(_gone, broker_pid))
        assert processes_for_port(kafka_port) == {}
        assert not port_accepts(registry_port)
        assert running.stderr().count("stopped") == 1


@pytest.mark.parametrize("command", ["registry", "broker"])
def test_registry_and_broker_alone_stop_cleanly_under_repeated_signals(
    cli: list[RunningCli], command: str
) -> None:
    for round_ in range(10):
        port = free_port()
        option = "--registry-port" if command == "registry" else "--kafka-port"
        running = RunningCli(command, option, str(port))
        cli.append(running)
        running.read_env(1)
        signals = (signal.SIGTERM,) * 3 if round_ % 2 else (signal.SIGINT, signal.SIGTERM)
        assert running.stop(*signals) == 0, running.stderr()
        assert wait_until(partial(_nothing_for_port, port))
        assert not port_accepts(port)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["registry", "--registry-port", "99999"], "argument --registry-port: 99999"),
        (["up", "--kafka-port", "-1"], "argument --kafka-port: -1"),
        (["broker", "--kafka-port", "70000"], "argument --kafka-port: 70000"),
        (["up", "--registry-port", "http"], "argument --registry-port: 'http'"),
    ],
)
def test_a_port_out_of_range_is_a_usage_error_naming_the_option(
    args: list[str], named: str
) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert named in result.stderr
    assert "0..65535" in result.stderr or "not a port number" in result.stderr
    assert "Traceback" not in result.stderr
    assert "stopped" not in result.stderr
    assert result.stdout == ""


def test_a_data_dir_sqlite_cannot_open_fails_with_one_line_naming_the_file() -> None:
    result = run_cli("registry", "--registry-port", "0", "--data-dir", "/proc")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "octobus-devstack: error: cannot open the Schema Registry's database "
        "/proc/schema-registry.sqlite3: unable to open database file"
    ]


def test_a_corrupt_registry_database_fails_with_one_line_naming_the_file(tmp_path: Path) -> None:
    database = tmp_path / "schema-registry.sqlite3"
    database.write_bytes(b"not a database " * 200)
    result = run_cli("registry", "--registry-port", "0", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("octobus-devstack: error: ")
    assert str(database) in line
    assert "file is not a database" in line
    assert "stopped" not in result.stderr
