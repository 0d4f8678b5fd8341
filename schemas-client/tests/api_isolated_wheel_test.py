"""The client wheel alone: no server dependency, and the gateway client imports and works.

The wheel is built from this tree and installed into a fresh environment with only its own
requirements (offline, from uv's cache), as ``pip install octobus-schemas`` would.
"""

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
SERVER_SIDE = ("fastapi", "starlette", "uvicorn", "faststream", "aiokafka", "octobus")


PROBE = textwrap.dedent(
    """
    import importlib.util, sys
    from octobus_schemas.api import DeliveryAccepted
    from octobus_schemas.api.client import GatewayResponse, SyncMockGatewayClient
    answer = DeliveryAccepted(
        delivery_id="6f1ed002-ab5d-11e3-8f1b-3c2c0a7a4c7a",
        event="push", topic="github.push", partition=0, offset=7,
    )
    client = SyncMockGatewayClient([GatewayResponse.of(202, answer)])
    print(client.deliver("push", {}, "secret").offset)
    print("installed:", [name for name in sys.argv[1:] if importlib.util.find_spec(name)])
    try:
        import octobus_schemas.api.client.aiohttp
    except ImportError as exc:
        print("aiohttp:", exc)
    """
)
"""Run in the wheel's environment: the mock client works, and no server package is there."""


def uv_environment() -> dict[str, str]:
    environment = {**os.environ, "UV_OFFLINE": "1"}
    environment.pop("VIRTUAL_ENV", None)
    if "UV" in environment:  # `uv run` names its own binary, which may not be on PATH
        environment["PATH"] = f"{Path(environment['UV']).parent}{os.pathsep}{environment['PATH']}"
    return environment


def run(*command: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, env=uv_environment(), capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run("uv", "build", "--wheel", "--out-dir", str(out), str(PACKAGE))
    (built,) = out.glob("octobus_schemas-*.whl")
    return built


def requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def test_no_server_package_is_an_unconditional_requirement(wheel: Path) -> None:
    unconditional = [req for req in requirements(wheel) if "extra ==" not in req]
    assert unconditional
    for requirement in unconditional:
        name = requirement.split(";")[0].split("[")[0].split(">")[0].split("=")[0].strip()
        assert name.lower() not in SERVER_SIDE, requirement


def test_aiohttp_is_only_an_extra(wheel: Path) -> None:
    aiohttp = [req for req in requirements(wheel) if req.startswith("aiohttp")]
    assert aiohttp
    assert all("extra == 'aiohttp'" in req or 'extra == "aiohttp"' in req for req in aiohttp)


@pytest.mark.slow
def test_the_gateway_client_imports_and_works_with_the_wheels_own_requirements_only(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    run("uv", "venv", "--quiet", "--python", sys.executable, str(venv))
    python = venv / "bin" / "python"
    run("uv", "pip", "install", "--quiet", "--python", str(python), str(wheel))
    result = run(str(python), "-c", PROBE, *SERVER_SIDE)
    offset, installed, aiohttp = result.stdout.strip().splitlines()
    assert offset == "7"
    assert installed == "installed: []"
    assert aiohttp == (
        "aiohttp: octobus_schemas.api.client.aiohttp needs aiohttp: "
        "install it with pip install 'octobus-schemas[aiohttp]'"
    )
