"""Helpers to watch the processes a test started."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def pids_listening_on(port: int) -> list[int]:
    """Return the ids of Tansu processes started for ``127.0.0.1:port`` (from /proc)."""
    needle = f"tcp://127.0.0.1:{port}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline and b"broker" in cmdline:
            found.append(int(entry.name))
    return found


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
