"""Running a command as its users do, inside the test's event loop, and stopping it by PID."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

STOP_GRACE_SECONDS = 10.0
"""How long a process has to exit after SIGINT before it is killed."""


async def stop(process: asyncio.subprocess.Process) -> None:
    """Stop a process this test started, by its PID: SIGINT, then SIGKILL after a grace time."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), STOP_GRACE_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()


@asynccontextmanager
async def running(
    *command: str, env: Mapping[str, str]
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Start ``command`` with its output piped; stop it on the way out if it still runs."""
    process = await asyncio.create_subprocess_exec(
        *command,
        env=dict(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        await stop(process)
