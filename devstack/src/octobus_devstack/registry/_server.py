"""Serve the registry over HTTP with uvicorn, in a background thread of this process."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from os import PathLike
from types import TracebackType
from typing import Self

import uvicorn

from octobus_devstack._net import LOOPBACK
from octobus_devstack.errors import RegistryStartError
from octobus_devstack.registry._app import RegistryApp
from octobus_devstack.registry._registry import Registry

__all__ = ["RegistryServer"]


class RegistryServer:
    """The registry on ``http://127.0.0.1:PORT``, served by uvicorn in a daemon thread.

    Parameters
    ----------
    database
        A SQLite file, or ``":memory:"``.
    port
        The port to listen on; ``0`` lets the kernel choose a free one.
    startup_timeout
        Seconds to wait for uvicorn to accept connections.

    Examples
    --------
    >>> with RegistryServer() as server:
    ...     print(server.url)  # doctest: +SKIP
    http://127.0.0.1:38411
    """

    def __init__(
        self,
        database: str | PathLike[str] = ":memory:",
        port: int = 0,
        *,
        startup_timeout: float = 10.0,
    ) -> None:
        self.database = database
        self._requested_port = port
        self._port = port
        self._startup_timeout = startup_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app: RegistryApp | None = None

    @property
    def port(self) -> int:
        """The port served (known after :meth:`start` when constructed with 0)."""
        return self._port

    @property
    def url(self) -> str:
        """``"http://127.0.0.1:PORT"``, the value for ``SCHEMA_REGISTRY_URL``."""
        return f"http://{LOOPBACK}:{self._port}"

    def start(self) -> Self:
        """Open the database, bind the port and serve until :meth:`stop`.

        Returns
        -------
        RegistryServer
            This server, accepting connections.

        Raises
        ------
        RegistryStartError
            The port is taken, the database cannot be opened (the message names the file),
            or uvicorn did not start in time.
        """
        # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
        # proto says TCP; without it every response waits ~40 ms for a delayed ACK (measured:
        # 22 requests/s instead of ~900 on the asyncio loop; uvloop sets it regardless)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            listener.bind((LOOPBACK, self._requested_port))
        except OSError as error:
            listener.close()
            msg = f"cannot serve the Schema Registry on {LOOPBACK}:{self._requested_port}: {error}"
            raise RegistryStartError(msg) from error
        self._port = listener.getsockname()[1]
        try:
            registry = Registry(self.database)
        except sqlite3.Error as error:
            # sqlite's own message ("unable to open database file") does not name the file
            listener.close()
            msg = f"cannot open the Schema Registry's database {self.database}: {error}"
            raise RegistryStartError(msg) from error
        self.app = RegistryApp(registry)
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            ws="none",
            server_header=False,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [listener]},
            name=f"schema-registry-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                listener.close()
                msg = f"the Schema Registry did not start on port {self._port}"
                raise RegistryStartError(msg)
            time.sleep(0.002)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close the database and join the thread.

        Parameters
        ----------
        timeout
            Seconds to wait for open connections to finish.
        """
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        self._server = None
        self._thread = None
        self._port = self._requested_port

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
