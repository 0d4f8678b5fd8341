"""The ``octobus`` command: ``replay`` through the real gateway, ``serve`` as a process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from octobus.cli import main
from octobus.config import Settings
from octobus.replay import load_recordings

from .conftest import SECRET
from .support.deliveries import DATA, first_of


async def octobus(*arguments: str) -> int:
    # In a thread: the gateway under test serves on this test's event loop.
    return await asyncio.to_thread(main, list(arguments))


async def test_replay_of_the_whole_fixture_prints_a_status_summary(
    gateway_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = await octobus("replay", str(DATA), "--url", gateway_url, "--secret", SECRET)

    output = capsys.readouterr().out
    assert status == 0
    assert "329 deliveries to " in output
    assert "│ 200    │          4 │" in output
    assert "│ 202    │        325 │" in output


async def test_replay_of_a_directory_in_both_file_shapes(
    gateway_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "push.json").write_text(json.dumps(first_of("push").payload))
    (tmp_path / "b-delivery.json").write_text(
        json.dumps({"event": "star", "payload": first_of("star").payload})
    )
    (tmp_path / "notes.txt").write_text("not a recording")

    recordings = load_recordings([tmp_path])
    status = await octobus("replay", str(tmp_path), "--url", gateway_url, "--secret", SECRET)

    assert [(r.event, Path(r.source).name) for r in recordings] == [
        ("star", "b-delivery.json"),
        ("push", "push.json"),
    ]
    assert status == 0
    assert "│ 202    │          2 │" in capsys.readouterr().out


async def test_replay_with_the_wrong_secret_reports_every_401(
    gateway_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = await octobus(
        "replay", str(DATA), "--url", gateway_url, "--secret", "wrong", "--limit", "3"
    )

    captured = capsys.readouterr()
    assert status == 1
    assert "│ 401    │          3 │" in captured.out
    assert "X-Hub-Signature-256 does not match the body" in captured.err


def test_replay_refuses_a_file_that_is_not_a_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("[1, 2, 3]")

    status = main(["replay", str(bad), "--url", "http://127.0.0.1:9", "--secret", "s"])

    assert status == 2
    assert f"{bad}: a list, but not of {{'name', 'examples'}} families" in capsys.readouterr().err


def test_serve_runs_the_gateway_from_environment_settings(gateway_settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": ",".join(gateway_settings.kafka.validated.bootstrap_servers),
        "KAFKA_ENABLE_IDEMPOTENCE": "false",
        "SCHEMA_REGISTRY_URL": str(gateway_settings.schema_registry.url),
        "OCTOBUS_WEBHOOK_SECRETS": SECRET,
        "OCTOBUS_TOPIC_PREFIX": gateway_settings.topic_prefix,
        "OCTOBUS_SUBJECT_SUFFIX": gateway_settings.subject_suffix,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "octobus.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert ready is not None
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ok"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0


def test_serve_with_bad_settings_says_which(capsys: pytest.CaptureFixture[str]) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OCTOBUS_")}
    result = subprocess.run(
        [sys.executable, "-m", "octobus.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "octobus: invalid settings" in result.stderr
    assert "webhook_secrets" in result.stderr
