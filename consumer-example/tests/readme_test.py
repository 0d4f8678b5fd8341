"""Every Python example in the README runs, as written, in these tests."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from octobus_devstack.broker import TansuBroker
from octobus_schemas.avro import AvroCodec
from octobus_schemas.events import PushEvent

from .support.events import push

README = Path(__file__).parent.parent / "README.md"
RUN_TIMEOUT = 60.0


def _examples() -> dict[str, str]:
    """The README's Python blocks, by the file name on their first line."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    named = {block.splitlines()[0].removeprefix("# "): block for block in blocks}
    assert set(named) == {"my_service/app.py", "tests/test_app.py"}, "README examples changed"
    return named


@pytest.fixture
def my_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The README's files written out as files, ``my_service.app`` importable.

    Real files, not ``exec``: FastStream's test broker reads its caller's source.
    """
    for name, source in _examples().items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    (tmp_path / "my_service" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for cached in ("my_service", "my_service.app"):
        monkeypatch.delitem(sys.modules, cached, raising=False)
    return importlib.import_module("my_service.app")


def _readme_test_module(tmp_path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_tests_test_app", tmp_path / "tests" / "test_app.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_readme_handler_unit_test_passes(
    my_service: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme_tests = _readme_test_module(tmp_path)

    await readme_tests.test_on_push_prints_one_line(push(), capsys)


async def test_the_readme_consumer_decodes_pushes_from_a_real_broker_and_registry(
    my_service: types.ModuleType,
    tansu_broker_factory: Callable[..., TansuBroker],
    schema_registry_url: str,
    codec: AvroCodec,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A private broker: the README reads the unprefixed github.push topic.
    broker = tansu_broker_factory()
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
    monkeypatch.setenv("KAFKA_ENABLE_IDEMPOTENCE", "false")
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", schema_registry_url)
    event: PushEvent = push()
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait("github.push", await codec.encode(event))
    finally:
        await producer.stop()
    expected = f"{event.ref}: {len(event.commits)} commits\n"

    app = my_service.create_app()
    await app.start()
    try:
        async with asyncio.timeout(RUN_TIMEOUT):
            output = ""
            while expected not in output:
                await asyncio.sleep(0.1)
                output += capsys.readouterr().out
    finally:
        await app.stop()
