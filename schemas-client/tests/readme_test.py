"""Every example of the README's codec sections runs as written, on real components."""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from faststream.kafka import TestKafkaBroker
from octobus_schemas.avro import AvroCodec, SchemaRegistryClient
from octobus_schemas.events import GitHubEvent, PushEvent

README = Path(__file__).resolve().parents[1] / "README.md"
README_URL = "http://127.0.0.1:8081"
SCRIPT = Path(sys.executable).with_name("octobus-schemas")


def blocks(heading: str, language: str = "python") -> list[str]:
    """The fenced code blocks of one ``## heading`` section, in order."""
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


async def run_example(source: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run an example that may use top-level ``await``, as a notebook or ``python -m asyncio``."""
    code = compile(source, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if asyncio.iscoroutine(result):
        await result
    return namespace


@pytest.fixture
def push_event(
    webhook_examples: dict[str, list[dict[str, Any]]],
    from_delivery: Callable[[str, dict[str, Any]], GitHubEvent],
) -> GitHubEvent:
    """A PushEvent from a real delivery."""
    return from_delivery("push", webhook_examples["push"][0])


@pytest.fixture
async def framed_push(schema_registry_url: str, push_event: GitHubEvent) -> bytes:
    """The push event as the gateway writes it, its schema in the session registry."""
    async with SchemaRegistryClient(schema_registry_url) as registry:
        return await AvroCodec(registry).encode(push_event)


def test_the_install_section_names_every_extra() -> None:
    (install,) = blocks("Install", "console")
    assert "'octobus-schemas[faststream]'" in install
    assert "'octobus-schemas[testing]'" in install


async def test_decoding_in_three_lines(
    schema_registry_url: str,
    framed_push: bytes,
    push_event: GitHubEvent,
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = blocks("Decoding messages")[0].replace(README_URL, schema_registry_url)
    message = SimpleNamespace(value=framed_push)
    namespace = await run_example(example, {"message": message})
    await namespace["codec"].registry.aclose()
    assert namespace["event"] == push_event
    assert type(namespace["event"]) is PushEvent
    assert push_event.repository is not None
    assert capsys.readouterr().out == f"PushEvent {push_event.repository.full_name}\n"


async def test_errors_name_the_cause(schema_registry_url: str) -> None:
    async with SchemaRegistryClient(schema_registry_url) as registry:
        dead_letters: list[tuple[Any, str]] = []
        message = SimpleNamespace(value=b'{"ref": "refs/heads/main"}')
        namespace = {"codec": AvroCodec(registry), "message": message, "dead_letters": dead_letters}
        await run_example(blocks("Decoding messages")[1], namespace)
    assert "event" not in namespace
    ((kept, reason),) = dead_letters
    assert kept is message
    assert reason.startswith("magic byte 0x7b, expected 0x00")


async def test_the_faststream_handler_receives_the_typed_event(
    schema_registry_url: str,
    push_event: GitHubEvent,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", schema_registry_url)
    namespace = await run_example(blocks("FastStream")[0], {})
    async with TestKafkaBroker(namespace["broker"]) as broker:
        await broker.publish(push_event, "github.push")
    await namespace["codec"].registry.aclose()
    assert isinstance(push_event, PushEvent)
    assert push_event.repository is not None
    assert capsys.readouterr().out == f"{push_event.repository.full_name}: {push_event.ref}\n"


async def test_the_testing_examples_pass(push_event: GitHubEvent, tmp_path: Path) -> None:
    # A real file, as a consumer's test module would be: FastStream's TestKafkaBroker reads
    # its caller's source.
    source = tmp_path / "consumer_test_example.py"
    source.write_text(blocks("Testing your consumer")[0], encoding="utf-8")
    spec = importlib.util.spec_from_file_location("consumer_test_example", source)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    await module.test_a_push_message_round_trips(push_event)
    await module.test_the_handler_gets_the_event(push_event)


async def test_the_command_lines_run(
    schema_registry_url: str, devstack_reset: object, tmp_path: Path
) -> None:
    (console,) = blocks("Compatibility policy", "console")
    commands = [line.removeprefix("$ ").split() for line in console.splitlines()]
    assert [command[:2] for command in commands] == [
        ["octobus-schemas", "export"],
        ["octobus-schemas", "check"],
        ["octobus-schemas", "register"],
    ]
    for command in commands:
        arguments = [
            schema_registry_url
            if word == README_URL
            else str(tmp_path)
            if word == "schemas-client/schemas"
            else word
            for word in command[1:]
        ]
        result = await asyncio.to_thread(
            subprocess.run,
            [str(SCRIPT), *arguments],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert (tmp_path / "io.octobus.github.v1.PushEvent.avsc").exists()
