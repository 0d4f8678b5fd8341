"""Running uv and the shipping tools from tests as CI runs them."""

from __future__ import annotations

import os
from pathlib import Path


def uv_environment() -> dict[str, str]:
    """The environment for a uv subprocess: offline, outside this test's virtualenv.

    Offline, because everything the shipping steps install is locked and so already in uv's
    cache: a step that needed anything else fails instead of quietly downloading it.
    """
    environment = {**os.environ, "UV_OFFLINE": "1"}
    environment.pop("VIRTUAL_ENV", None)
    if "UV" in environment:  # `uv run` names its own binary, which may not be on PATH
        environment["PATH"] = f"{Path(environment['UV']).parent}{os.pathsep}{environment['PATH']}"
    return environment
