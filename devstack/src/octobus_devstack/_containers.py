"""The testcontainers path: Confluent's Kafka and Schema Registry images, when Docker answers.

Used by the pytest plugin only when no server is named in the environment and a Docker engine
answers a ping; otherwise the embedded stack is used and nothing here is imported.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CONFLUENT_VERSION",
    "DEFAULT_DOCKER_SOCKET",
    "ConfluentContainers",
    "docker_engine_answers",
]

#: The Confluent Platform images the container path starts.
CONFLUENT_VERSION = "7.6.1"
#: Where a local Docker engine listens when ``DOCKER_HOST`` is not set.
DEFAULT_DOCKER_SOCKET = Path("/var/run/docker.sock")


def docker_engine_answers(timeout: float = 1.0) -> bool:
    """Say whether a Docker engine answers a ping, without waiting long when there is none.

    Parameters
    ----------
    timeout
        Seconds allowed for connecting and for the ping.

    Returns
    -------
    bool
        ``True`` when ``DOCKER_HOST`` (or the default socket) accepts a connection, the
        ``docker`` extra (testcontainers) is installed, and the engine answers a ping.
    """
    host = os.environ.get("DOCKER_HOST", "")
    # a plain connection first: cheap, and it spares the docker client's retries and
    # half-closed sockets when nothing is there
    if not _accepts_connections(host, timeout):
        return False
    try:
        import testcontainers  # noqa: F401

        import docker
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=timeout)  # type: ignore[attr-defined]
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _accepts_connections(docker_host: str, timeout: float) -> bool:
    parsed = urlsplit(docker_host or f"unix://{DEFAULT_DOCKER_SOCKET}")
    if parsed.scheme in ("unix", "npipe"):
        family, address = socket.AF_UNIX, parsed.path
        if not Path(address).exists():
            return False
        target: str | tuple[str, int] = address
    elif parsed.scheme in ("tcp", "http", "https") and parsed.hostname:
        family = socket.AF_INET6 if ":" in parsed.hostname else socket.AF_INET
        target = (parsed.hostname, parsed.port or 2375)
    else:
        return False
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(timeout)
        try:
            probe.connect(target)
        except OSError:
            return False
    return True


class ConfluentContainers:
    """Confluent's Kafka and Schema Registry images on one Docker network."""

    def __init__(self) -> None:
        self._network: Any = None
        self._kafka: Any = None
        self._registry: Any = None
        self.bootstrap_servers = ""
        self.registry_url = ""

    def start(self) -> ConfluentContainers:
        """Start Kafka, then the registry storing its schemas in that Kafka.

        Returns
        -------
        ConfluentContainers
            Started; ``bootstrap_servers`` and ``registry_url`` are set.
        """
        # the community module: testcontainers.kafka is a deprecated alias of it
        from testcontainers.community.kafka import KafkaContainer
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.network import Network
        from testcontainers.core.wait_strategies import LogMessageWaitStrategy

        self._network = Network().create()
        self._kafka = (
            KafkaContainer(f"confluentinc/cp-kafka:{CONFLUENT_VERSION}")
            .with_network(self._network)
            .with_network_aliases("kafka")
        )
        self._kafka.start()
        self.bootstrap_servers = self._kafka.get_bootstrap_server()
        self._registry = (
            DockerContainer(f"confluentinc/cp-schema-registry:{CONFLUENT_VERSION}")
            .with_network(self._network)
            .with_env("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .with_env("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .with_env("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:9092")
            .with_exposed_ports(8081)
            .waiting_for(
                LogMessageWaitStrategy(
                    "Server started, listening for requests"
                ).with_startup_timeout(120)
            )
        )
        self._registry.start()
        host = self._registry.get_container_host_ip()
        self.registry_url = f"http://{host}:{self._registry.get_exposed_port(8081)}"
        return self

    def stop(self) -> None:
        """Stop both containers and remove the network."""
        for container in (self._registry, self._kafka):
            if container is not None:
                container.stop()
        if self._network is not None:
            self._network.remove()
        self._registry = self._kafka = self._network = None
