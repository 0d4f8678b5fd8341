"""The published wheel works alone: built, installed into a fresh venv, decoding a message.

The wheel must declare every runtime dependency and none of the server's (no FastAPI, no
FastStream, no aiokafka outside the extras): consumers install it on its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
import zipfile
from pathlib import Path

import pytest
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.events import PushEvent

ROOT = Path(__file__).resolve().parents[2]
SERVER_PACKAGES = ("fastapi", "faststream", "aiokafka", "uvicorn", "octobus-devstack")
SERVER_MODULES = ("fastapi", "starlette", "uvicorn", "faststream", "aiokafka", "octobus")

PUSH = PushEvent.model_validate(
    {
        "delivery_id": uuid.UUID(int=3),
        "event": "push",
        "received_at": dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC),
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": "1" * 40,
    }
)

LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m; "
    "print(' '.join(sorted(d.metadata['Name'].lower() for d in m.distributions())))"
)

DECODE = textwrap.dedent(
    """
    import asyncio, json, sys
    from importlib.metadata import requires
    from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
    from octobus_schemas.catalog import CATALOG

    async def main(url, data):
        async with SchemaRegistryClient(url) as registry:
            event = await AvroCodec(registry, catalog=CATALOG).decode(data)
        return type(event).__name__, event.model_dump(mode="json")

    name, fields = asyncio.run(main(sys.argv[1], bytes.fromhex(sys.argv[2])))
    print(json.dumps({"model": name, "fields": fields, "requires": requires("octobus-schemas")}))
    """
)


GATEWAY_CLIENT_PROBE = textwrap.dedent(
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
    print("importable:", [name for name in sys.argv[1:] if importlib.util.find_spec(name)])
    try:
        import octobus_schemas.api.client.aiohttp
    except ImportError as exc:
        print("aiohttp:", exc)
    """
)


def uv() -> str:
    """The uv running this session (``uv run`` names itself in $UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    assert found, "uv is needed to build the wheel"
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The octobus-schemas wheel, built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [uv(), "build", "--package", "octobus-schemas", "--wheel", "--out-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("octobus_schemas-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding the wheel and what it declares, nothing else."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    subprocess.run(
        [uv(), "venv", "--python", sys.executable, str(venv)],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [uv(), "pip", "install", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    return python


def test_the_fresh_environment_holds_no_server_package(fresh_python: Path) -> None:
    listing = subprocess.run(
        [str(fresh_python), "-c", LIST_DISTRIBUTIONS],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    installed = set(listing.stdout.split())
    assert "octobus-schemas" in installed
    assert {"fastavro", "pydantic-settings", "kafkit", "httpx"} <= installed
    assert not installed & set(SERVER_PACKAGES)


async def test_the_wheel_alone_decodes_a_framed_message(
    fresh_python: Path, schema_registry_url: str
) -> None:
    async with SchemaRegistryClient(schema_registry_url) as registry:
        data = await AvroCodec(registry).encode(PUSH)
    result = await asyncio.to_thread(
        subprocess.run,
        [str(fresh_python), "-c", DECODE, schema_registry_url, data.hex()],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    assert decoded["model"] == "PushEvent"
    assert decoded["fields"]["ref"] == "refs/heads/main"
    requirements = [r for r in decoded["requires"] if "extra ==" not in r]
    assert not [r for r in requirements if r.split()[0].lower().startswith(SERVER_PACKAGES)]
    assert any(r.startswith("pydantic-settings") for r in requirements)


def test_the_wheel_ships_the_type_marker(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "octobus_schemas/py.typed" in names
    assert "octobus_schemas/avro/_codec.py" in names
    assert not [name for name in names if "/tests/" in name]


def requirements(wheel: Path) -> list[str]:
    """The wheel's ``Requires-Dist`` lines, read from its METADATA."""
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
        assert name.lower() not in SERVER_MODULES, requirement


def test_aiohttp_is_only_an_extra(wheel: Path) -> None:
    aiohttp = [req for req in requirements(wheel) if req.startswith("aiohttp")]
    assert aiohttp
    assert all("extra == 'aiohttp'" in req or 'extra == "aiohttp"' in req for req in aiohttp)


def test_the_gateway_client_works_with_the_wheels_own_requirements_only(
    fresh_python: Path,
) -> None:
    result = subprocess.run(
        [str(fresh_python), "-c", GATEWAY_CLIENT_PROBE, *SERVER_MODULES],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    offset, importable, aiohttp = result.stdout.strip().splitlines()
    assert offset == "7"
    assert importable == "importable: []"
    assert aiohttp == (
        "aiohttp: octobus_schemas.api.client.aiohttp needs aiohttp: "
        "install it with pip install 'octobus-schemas[aiohttp]'"
    )
