"""The ``octobus-schemas`` console script, run as a user runs it, against a registry over HTTP."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from octobus_schemas.avro import CompatibilityLevel, SchemaRegistryClient, avro_schema
from octobus_schemas.catalog import CATALOG, render_schema_text
from octobus_schemas.cli import readable_reasons
from octobus_schemas.events import PushEvent

from .support.registries import unused_port

__all__ = ["unused_port"]

SCRIPT = Path(sys.executable).with_name("octobus-schemas")
SNAPSHOTS = Path(__file__).parents[1] / "schemas"


def run(
    *arguments: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script; with ``environment``, with only that set."""
    return subprocess.run(
        [str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=None if environment is None else {"PATH": "", **environment},
    )


@pytest.fixture
def registry_url(schema_registry_url: str, devstack_reset: object) -> str:
    """The session registry, emptied for this test."""
    return schema_registry_url


def test_export_writes_every_schema_as_its_full_name(tmp_path: Path) -> None:
    result = run("export", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"{name}.avsc" for name in CATALOG)
    push = tmp_path / f"{PushEvent.get_fullname()}.avsc"
    assert push.read_text(encoding="utf-8") == render_schema_text(PushEvent)
    assert push.read_text(encoding="utf-8") == (SNAPSHOTS / push.name).read_text(encoding="utf-8")


def test_check_on_an_empty_registry_passes_every_subject(registry_url: str) -> None:
    result = run("check", "--registry-url", registry_url)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CATALOG:
        assert f"{name}: compatible" in result.stdout


def test_register_then_check_passes(registry_url: str) -> None:
    registered = run("register", "--registry-url", registry_url)
    assert registered.returncode == 0, registered.stdout + registered.stderr
    assert f"{PushEvent.get_fullname()}: schema id" in registered.stdout
    assert "(FULL_TRANSITIVE)" in registered.stdout
    again = run("register", "--registry-url", registry_url)
    assert again.stdout == registered.stdout
    checked = run("check", "--registry-url", registry_url)
    assert checked.returncode == 0
    assert checked.stdout.endswith("all subjects ok\n")


async def test_check_names_each_incompatible_field_and_exits_1(registry_url: str) -> None:
    subject = PushEvent.get_fullname()
    older = avro_schema(PushEvent)
    older["fields"].append({"name": "legacy_flag", "type": "long"})
    async with SchemaRegistryClient(registry_url) as client:
        await client.register(older, subject, compatibility=CompatibilityLevel.FULL_TRANSITIVE)
    result = await asyncio.to_thread(run, "check", "--registry-url", registry_url)
    assert result.returncode == 1
    assert f"{subject}: INCOMPATIBLE" in result.stdout
    assert "'legacy_flag'" in result.stdout
    assert result.stdout.endswith("1 subject failed\n")


async def test_register_refuses_an_incompatible_subject_with_reasons(registry_url: str) -> None:
    subject = PushEvent.get_fullname()
    older = avro_schema(PushEvent)
    older["fields"].append({"name": "legacy_flag", "type": "long"})
    async with SchemaRegistryClient(registry_url) as client:
        await client.register(older, subject)
    result = await asyncio.to_thread(
        run, "register", "--registry-url", registry_url, "--compatibility", "FORWARD"
    )
    assert result.returncode == 1
    assert f"{subject}: REFUSED (incompatible under FORWARD)" in result.stdout
    assert "'legacy_flag'" in result.stdout


def test_the_registry_url_comes_from_the_environment(registry_url: str) -> None:
    result = subprocess.run(
        [str(SCRIPT), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"SCHEMA_REGISTRY_URL": registry_url, "PATH": ""},
    )
    assert result.returncode == 0, result.stderr


def test_an_unreachable_registry_exits_2_naming_it(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}"
    result = run("check", "--registry-url", url)
    assert result.returncode == 2
    assert f"cannot reach the Schema Registry at {url}" in result.stderr


def test_an_unknown_level_is_refused_by_the_parser() -> None:
    result = run("register", "--registry-url", "http://127.0.0.1:1", "--compatibility", "LAX")
    assert result.returncode == 2
    assert "invalid CompatibilityLevel value: 'LAX'" in result.stderr


def test_a_url_that_is_not_one_exits_2_naming_the_variable() -> None:
    result = run("check", environment={"SCHEMA_REGISTRY_URL": "not-a-url"})
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: invalid Schema Registry settings: SCHEMA_REGISTRY_URL: Input should be a valid URL"
    ), result.stderr
    assert "Traceback" not in result.stderr


def test_half_a_credential_exits_2_naming_both_variables_and_never_the_password() -> None:
    environment = {
        "SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
        "SCHEMA_REGISTRY_PASSWORD": "hunter2",
    }
    result = run("check", environment=environment)
    assert result.returncode == 2
    assert result.stderr == (
        "error: invalid Schema Registry settings: "
        "set both SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, or neither\n"
    )


def test_a_suffix_starting_with_a_dash_is_given_with_equals(registry_url: str) -> None:
    result = run("check", "--registry-url", registry_url, "--subject-suffix=-staging")
    assert result.returncode == 0, result.stderr
    assert "io.octobus.github.v1.PushEvent-staging: compatible" in result.stdout


def test_export_into_a_file_exits_2_naming_the_directory(tmp_path: Path) -> None:
    occupied = tmp_path / "schemas"
    occupied.write_text("a file, not a directory")
    result = run("export", str(occupied))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot write the schemas into {occupied}: "), (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_confluent_messages_become_one_line_per_field() -> None:
    messages = [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'y' at path "
        "'/fields/1' in the new schema has no default value and is missing in the old schema', "
        "additionalInfo:'y'}",
        "{oldSchemaVersion: 1}",
        '{oldSchema: \'{"type":"record"}\'}',
        "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]
    assert readable_reasons(messages) == [
        "The field 'y' at path '/fields/1' in the new schema has no default value and is "
        "missing in the old schema (READER_FIELD_MISSING_DEFAULT_VALUE)",
        "checked against version 1",
    ]


def test_messages_of_other_registries_are_kept_as_they_are() -> None:
    assert readable_reasons(["Incompatible schema: field 'y' has no default"]) == [
        "Incompatible schema: field 'y' has no default"
    ]


@pytest.mark.parametrize("name", list(CATALOG))
def test_export_shows_exactly_the_schema_register_sends(name: str) -> None:
    # `export` writes the snapshot text, `register` sends the codec's schema (which leaves
    # out exclude=True fields): for every shipped event they must be the same schema.
    model = CATALOG[name]
    assert json.loads(render_schema_text(model)) == avro_schema(model)
