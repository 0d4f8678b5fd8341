"""Running uv and the shipping tools from tests as CI runs them."""

from __future__ import annotations

import os
from pathlib import Path


def uv_environment(*, offline: bool) -> dict[str, str]:
    """The environment for a uv subprocess, outside this test's virtualenv.

    Parameters
    ----------
    offline
        Forbid downloads. Right for ``uv sync --frozen`` steps: everything they install is
        locked and so already in uv's cache, and a step that needed anything else fails instead
        of quietly downloading it. Wrong for ``uv lock``, which reads the index pages of every
        locked package (a fresh CI cache holds only the wheels), as the release job does online.
    """
    environment = dict(os.environ)
    if offline:
        environment["UV_OFFLINE"] = "1"
    environment.pop("VIRTUAL_ENV", None)
    if "UV" in environment:  # `uv run` names its own binary, which may not be on PATH
        environment["PATH"] = f"{Path(environment['UV']).parent}{os.pathsep}{environment['PATH']}"
    return environment
