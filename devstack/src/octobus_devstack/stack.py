"""The whole local stack: the Tansu broker and the Schema Registry, started and stopped together."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from octobus_devstack.broker import TansuBroker

if TYPE_CHECKING:
    from octobus_devstack.registry import RegistryServer

__all__ = ["REGISTRY_DATABASE_NAME", "TANSU_LOG_NAME", "DevStack"]

#: The registry's SQLite file inside ``data_dir``.
REGISTRY_DATABASE_NAME = "schema-registry.sqlite3"
#: The broker's log file inside ``data_dir``.
TANSU_LOG_NAME = "tansu.log"


class DevStack:
    """A Kafka-protocol broker and a Schema Registry on ``127.0.0.1``.

    Parameters
    ----------
    kafka_port
        The broker's port; ``0`` picks a free one.
    registry_port
        The registry's HTTP port; ``0`` picks a free one.
    data_dir
        Where the registry keeps its SQLite file (schemas, ids and config survive restarts)
        and the broker writes its log. ``None`` keeps the registry in memory. The broker
        always uses memory storage: its messages never survive a restart.

    Examples
    --------
    >>> with DevStack() as stack:
    ...     stack.env()  # doctest: +SKIP
    {'KAFKA_BOOTSTRAP_SERVERS': '127.0.0.1:41123', 'SCHEMA_REGISTRY_URL': 'http://127.0.0.1:41125'}
    """

    def __init__(
        self,
        kafka_port: int = 0,
        registry_port: int = 0,
        data_dir: Path | None = None,
    ) -> None:
        self.data_dir = data_dir
        log_path = None
        database = ":memory:"
        if data_dir is not None:
            log_path = data_dir / TANSU_LOG_NAME
            database = str(data_dir / REGISTRY_DATABASE_NAME)
        # the registry (uvicorn, avro) is imported here, not at module import, so that the
        # pytest plugin, loaded by every test run, stays cheap to import
        from octobus_devstack.registry import RegistryServer

        self.broker = TansuBroker(port=kafka_port, log_path=log_path)
        self.registry: RegistryServer = RegistryServer(database=database, port=registry_port)

    @property
    def bootstrap_servers(self) -> str:
        """The broker's ``"127.0.0.1:PORT"``."""
        return self.broker.bootstrap_servers

    @property
    def registry_url(self) -> str:
        """The registry's ``"http://127.0.0.1:PORT"``."""
        return self.registry.url

    def env(self) -> dict[str, str]:
        """Return the environment variables that point clients at this stack.

        Returns
        -------
        dict of str to str
            ``KAFKA_BOOTSTRAP_SERVERS`` and ``SCHEMA_REGISTRY_URL``.
        """
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "SCHEMA_REGISTRY_URL": self.registry_url,
        }

    def start(self) -> Self:
        """Start the broker, then the registry; on failure stop whatever started.

        Returns
        -------
        DevStack
            This stack, both services ready.

        Raises
        ------
        octobus_devstack.errors.DevStackError
            A service did not start; the message names which and why.
        """
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        self.broker.start()
        try:
            self.registry.start()
        except BaseException:
            self.broker.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the registry, then the broker."""
        try:
            self.registry.stop()
        finally:
            self.broker.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
