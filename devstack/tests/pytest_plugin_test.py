"""The pytest plugin: choice order, lazy start, reset, and the entry point in a fresh run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from octobus_devstack import _containers
from octobus_devstack.pytest_plugin import DevStackSession
from octobus_devstack.registry import RegistryServer

from .support.devstack_schemas import field, record


def test_servers_named_in_the_environment_are_used_and_nothing_is_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", "http://registry.example:8081/")
    session = DevStackSession()
    assert session.bootstrap_servers == "kafka.example:9092"
    assert session.registry_url == "http://registry.example:8081"
    session.close()


def test_without_a_docker_engine_the_container_path_is_skipped_quickly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(_containers, "DEFAULT_DOCKER_SOCKET", tmp_path / "no-docker.sock")
    started = time.perf_counter()
    assert _containers.docker_engine_answers() is False
    assert time.perf_counter() - started < 0.1


def test_a_docker_socket_that_does_not_answer_is_no_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'missing.sock'}")
    assert _containers.docker_engine_answers(timeout=0.5) is False


def test_a_docker_host_that_does_not_answer_falls_back_to_the_embedded_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    # nothing listens on this port: the ping fails and the embedded stack starts instead
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    assert _containers.docker_engine_answers(timeout=0.5) is False
    session = DevStackSession()
    try:
        assert session.bootstrap_servers.startswith("127.0.0.1:")
        assert session.registry_url.startswith("http://127.0.0.1:")
        assert httpx.get(session.registry_url + "/").json() == {}
    finally:
        session.close()


def test_services_start_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    session = DevStackSession()
    try:
        url = session.registry_url
        assert session._broker is None  # the registry alone was asked for
        assert url == session.registry_url  # and it is started once
    finally:
        session.close()


async def test_devstack_reset_empties_the_session_registry(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> None:
    async with httpx.AsyncClient(base_url=schema_registry_url) as client:
        await client.put("/config", json={"compatibility": "NONE"})
        await client.put("/config/a", json={"compatibility": "FULL"})
        first = await client.post("/subjects/a/versions", json={"schema": '"int"'})
        devstack_reset.reset_registry()
        assert (await client.get("/subjects?deleted=true")).json() == []
        assert (await client.get("/config")).json() == {"compatibilityLevel": "BACKWARD"}
        assert (await client.get("/config/a")).json()["error_code"] == 40408
        again = await client.post("/subjects/a/versions", json={"schema": '"int"'})
        # as in Confluent's registry, ids are never reused
        assert again.json()["id"] == first.json()["id"] + 1


def test_reset_over_http_clears_a_registry_named_by_url_even_with_references(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with RegistryServer() as server:
        monkeypatch.setenv("SCHEMA_REGISTRY_URL", server.url)
        client = httpx.Client(base_url=server.url)
        base = record("Base", field("a", "int"))
        client.post("/subjects/base/versions", json={"schema": base})
        user = record("User", field("base", "octobus.test.Base"))
        reference = {"name": "octobus.test.Base", "subject": "base", "version": 1}
        response = client.post(
            "/subjects/user/versions", json={"schema": user, "references": [reference]}
        )
        assert response.status_code == 200
        client.put("/mode", json={"mode": "READONLY"})
        client.put("/mode", json={"mode": "READWRITE"})
        client.put("/config/user", json={"compatibility": "NONE"})
        session = DevStackSession()
        session.reset_registry()
        assert client.get("/subjects?deleted=true").json() == []
        assert client.get("/config/user").json()["error_code"] == 40408
        assert client.get("/mode").json() == {"mode": "READWRITE"}
        client.close()


def test_the_plugin_is_registered_as_an_entry_point_in_a_fresh_pytest_run(
    tmp_path: Path, kafka_bootstrap_servers: str, schema_registry_url: str
) -> None:
    # A fresh pytest process, with this session's servers named in the environment: the
    # entry point provides the fixtures, and the named servers win. (The README test runs
    # a fresh process without them, on the embedded stack.)
    (tmp_path / "uses_fixtures_test.py").write_text(
        "def test_fixtures(kafka_bootstrap_servers, schema_registry_url, devstack_reset):\n"
        "    print('URLS', kafka_bootstrap_servers, schema_registry_url)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "SCHEMA_"))}
    env |= {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "SCHEMA_REGISTRY_URL": schema_registry_url,
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"URLS {kafka_bootstrap_servers} {schema_registry_url}" in result.stdout
