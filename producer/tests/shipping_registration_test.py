"""The registration commands the compose file and the release workflow run really register.

They are run as written there (only the registry URL points at a private registry of the
devstack, served over HTTP) and the registry is then asked what it holds.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from octobus_devstack.registry import create_app
from octobus_schemas.catalog import CATALOG

from .support.server import serve

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture
async def registry_url() -> AsyncIterator[str]:
    async with serve(create_app()) as url:  # type: ignore[arg-type]  # any ASGI app serves
        yield url


async def run(command: list[str], registry_url: str) -> subprocess.CompletedProcess[str]:
    # The command's own environment, as the compose file or the workflow gives it.
    environment = {**os.environ, "SCHEMA_REGISTRY_URL": registry_url}
    for name in ("SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        environment.pop(name, None)
    executable = str(BIN / command[0])
    return await asyncio.to_thread(
        subprocess.run,
        [executable, *command[1:]],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def registered_subjects(registry_url: str) -> set[str]:
    async with httpx.AsyncClient(base_url=registry_url) as http:
        response = await http.get("/subjects")
    response.raise_for_status()
    subjects: list[str] = response.json()
    return set(subjects)


async def test_the_compose_one_shot_registers_every_event_schema(registry_url: str) -> None:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    result = await run(compose["services"]["register-schemas"]["command"], registry_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert await registered_subjects(registry_url) == set(CATALOG)


def release_commands() -> list[list[str]]:
    """The registration job's commands, without the ``uv run ...`` that locates the tool."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yaml").read_text())
    steps = workflow["jobs"]["register-schemas"]["steps"]
    commands = []
    for step in steps:
        if "run" in step:
            words = shlex.split(step["run"])
            # The last "octobus-schemas" is the command; an earlier one names uv's package.
            start = len(words) - 1 - words[::-1].index("octobus-schemas")
            commands.append(words[start:])
    return commands


async def test_the_release_job_checks_then_registers_every_event_schema(
    registry_url: str,
) -> None:
    check, register = release_commands()
    assert (check, register) == (["octobus-schemas", "check"], ["octobus-schemas", "register"])
    checked = await run(check, registry_url)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert await registered_subjects(registry_url) == set()  # checking registers nothing
    registered = await run(register, registry_url)
    assert registered.returncode == 0, registered.stdout + registered.stderr
    assert await registered_subjects(registry_url) == set(CATALOG)
    again = await run(check, registry_url)
    assert again.returncode == 0, again.stdout + again.stderr
