"""pytest plugin: session fixtures for a Kafka broker and a Schema Registry.

Each fixture chooses, in order: the server named by ``KAFKA_BOOTSTRAP_SERVERS`` /
``SCHEMA_REGISTRY_URL``; Confluent's images through testcontainers when a Docker engine
answers; the embedded stack (Tansu and this package's registry) otherwise. Services start
lazily, once per session, and only when a test asks for them.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from octobus_devstack.broker import TansuBroker

if TYPE_CHECKING:
    from octobus_devstack._containers import ConfluentContainers
    from octobus_devstack.registry import RegistryServer

__all__ = [
    "DevStackSession",
    "devstack_reset",
    "devstack_session",
    "kafka_bootstrap_servers",
    "schema_registry_url",
    "tansu_broker_factory",
]

KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS"
REGISTRY_ENV = "SCHEMA_REGISTRY_URL"


class DevStackSession:
    """The servers of one test session, started on first use and stopped at its end."""

    def __init__(self) -> None:
        self._bootstrap_servers = os.environ.get(KAFKA_ENV, "")
        self._registry_url = os.environ.get(REGISTRY_ENV, "").rstrip("/")
        self._broker: TansuBroker | None = None
        self._registry_server: RegistryServer | None = None
        self._containers: ConfluentContainers | None = None
        self._docker_checked = False

    @property
    def bootstrap_servers(self) -> str:
        """The broker's bootstrap servers, starting one if none is named or running."""
        if not self._bootstrap_servers:
            containers = self._started_containers()
            if containers is not None:
                self._bootstrap_servers = containers.bootstrap_servers
            else:
                self._broker = TansuBroker().start()
                self._bootstrap_servers = self._broker.bootstrap_servers
        return self._bootstrap_servers

    @property
    def registry_url(self) -> str:
        """The registry's URL, starting one if none is named or running."""
        if not self._registry_url:
            containers = self._started_containers()
            if containers is not None:
                self._registry_url = containers.registry_url
            else:
                from octobus_devstack.registry import RegistryServer

                self._registry_server = RegistryServer().start()
                self._registry_url = self._registry_server.url
        return self._registry_url

    def reset_registry(self) -> None:
        """Hard-delete every subject and restore the default config and mode."""
        server = self._registry_server
        if server is not None and server.app is not None:
            server.app.registry.reset()
            return
        _reset_over_http(self.registry_url)

    def close(self) -> None:
        """Stop every service this session started."""
        if self._registry_server is not None:
            self._registry_server.stop()
        if self._broker is not None:
            self._broker.stop()
        if self._containers is not None:
            self._containers.stop()

    def _started_containers(self) -> ConfluentContainers | None:
        # asked once per session: without a Docker engine this costs a failed connect
        if not self._docker_checked:
            self._docker_checked = True
            from octobus_devstack._containers import (
                ConfluentContainers,
                docker_engine_answers,
            )

            if docker_engine_answers():
                self._containers = ConfluentContainers().start()
        return self._containers


@pytest.fixture(scope="session")
def devstack_session() -> Iterator[DevStackSession]:
    """Hold the session's servers (started lazily by the fixtures below)."""
    session = DevStackSession()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def kafka_bootstrap_servers(devstack_session: DevStackSession) -> str:
    """``host:port`` of a Kafka-protocol broker shared by the whole session.

    Against the embedded broker, turn aiokafka's idempotence off and use a short consumer
    ``session_timeout_ms`` (see the README's Tansu limits).
    """
    return devstack_session.bootstrap_servers


@pytest.fixture(scope="session")
def schema_registry_url(devstack_session: DevStackSession) -> str:
    """``http://host:port`` of a Schema Registry shared by the whole session."""
    return devstack_session.registry_url


@pytest.fixture
def devstack_reset(devstack_session: DevStackSession) -> DevStackSession:
    """Start the test on an empty registry: no subjects, BACKWARD, READWRITE.

    Schema ids keep growing across resets, as in Confluent's registry.
    """
    devstack_session.reset_registry()
    return devstack_session


@pytest.fixture
def tansu_broker_factory(tmp_path: Path) -> Iterator[Callable[..., TansuBroker]]:
    """Start private Tansu brokers (that a test may freeze); stop them after the test.

    Calling the factory takes :class:`~octobus_devstack.broker.TansuBroker`'s arguments
    (``port``, ``log_path``) and returns the started broker; its log goes to the test's
    ``tmp_path`` unless ``log_path`` is given.
    """
    brokers: list[TansuBroker] = []

    def start(port: int = 0, log_path: Path | None = None) -> TansuBroker:
        path = log_path or tmp_path / f"tansu-{len(brokers) + 1}.log"
        broker = TansuBroker(port=port, log_path=path)
        brokers.append(broker)
        return broker.start()

    try:
        yield start
    finally:
        for broker in brokers:
            broker.stop()


def _reset_over_http(url: str) -> None:
    subjects: list[str] = _call(url, "GET", "/subjects?deleted=true")
    # referenced subjects refuse deletion until their referrers are gone: retry in rounds
    for _ in range(len(subjects) + 1):
        remaining = []
        for subject in subjects:
            quoted = urllib.parse.quote(subject, safe="")
            try:
                _call(url, "DELETE", f"/subjects/{quoted}", allow={40404})
                _call(url, "DELETE", f"/subjects/{quoted}?permanent=true")
                _call(url, "DELETE", f"/config/{quoted}", allow={40401})
            except urllib.error.HTTPError:
                remaining.append(subject)
        if not remaining:
            break
        subjects = remaining
    _call(url, "PUT", "/config", {"compatibility": "BACKWARD"})
    _call(url, "PUT", "/mode", {"mode": "READWRITE"})


def _call(
    url: str,
    method: str,
    path: str,
    body: object = None,
    allow: frozenset[int] | set[int] = frozenset(),
) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the test's own registry
        url + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        payload = json.loads(error.read() or b"{}")
        if payload.get("error_code") in allow:
            return None
        raise
