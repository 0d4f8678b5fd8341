"""Helpers to watch the processes a test started."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def processes_for_port(port: int) -> dict[int, str]:
    """Return ``{pid: argv[0]}`` of every process whose command line names ``127.0.0.1:port``.

    The broker and its /bin/sh watchdog both name the listener URL.
    """
    needle = f"tcp://127.0.0.1:{port}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            found[int(entry.name)] = cmdline.split(b"\0")[0].decode()
    return found


def pids_listening_on(port: int) -> list[int]:
    """Return the ids of Tansu processes started for ``127.0.0.1:port``."""
    return [
        pid
        for pid, program in processes_for_port(port).items()
        if Path(program).name.startswith("tansu")
    ]


def process_exists(pid: int) -> bool:
    """Say whether ``pid`` is a live (not reaped) process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` until it returns true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
