"""The shipped configuration is valid.

The env vars of the compose file and of the README's `docker run` build the gateway's and the
consumer's settings, and the README names the image the release pushes.
"""

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from octobus.config import Settings
from octobus_consumer_example.config import ConsumerSettings
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
README = (ROOT / "README.md").read_text()
SETTINGS_VARIABLE = re.compile(r"^(KAFKA|SCHEMA_REGISTRY|OCTOBUS)_")


def settings_from(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, Any], model: type[BaseSettings]
) -> BaseSettings:
    """Build ``model`` from exactly these variables, as the container would."""
    for name in [name for name in os.environ if SETTINGS_VARIABLE.match(name)]:
        monkeypatch.delenv(name)
    for name, value in environment.items():
        # Compose's ${VAR:-default} takes its default when VAR is unset.
        text = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))
        monkeypatch.setenv(name, text)
    return model()


def docker_run_command() -> list[str]:
    (line,) = [line for line in README.splitlines() if line.startswith("docker run ")]
    return shlex.split(line)


def test_the_compose_gateway_environment_makes_valid_gateway_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_from(monkeypatch, COMPOSE["services"]["gateway"]["environment"], Settings)
    assert isinstance(settings, Settings)
    assert settings.kafka.bootstrap_servers == "kafka:9092"
    assert str(settings.schema_registry.url).rstrip("/") == "http://schema-registry:8081"
    assert [secret.get_secret_value() for secret in settings.webhook_secrets] == ["change-me"]


def test_the_compose_consumer_environment_makes_valid_consumer_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment = COMPOSE["services"]["consumer"]["environment"]
    settings = settings_from(monkeypatch, environment, ConsumerSettings)
    assert isinstance(settings, ConsumerSettings)
    assert settings.consumer_group_id == environment["OCTOBUS_CONSUMER_GROUP_ID"]


def test_the_readme_docker_run_makes_valid_gateway_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = docker_run_command()
    environment = dict(
        command[index + 1].split("=", 1) for index, word in enumerate(command) if word == "-e"
    )
    assert set(environment) == {
        "KAFKA_BOOTSTRAP_SERVERS",
        "SCHEMA_REGISTRY_URL",
        "OCTOBUS_WEBHOOK_SECRETS",
    }
    assert isinstance(settings_from(monkeypatch, environment, Settings), Settings)


def test_the_readme_docker_run_publishes_the_port_the_image_serves() -> None:
    command = docker_run_command()
    published = command[command.index("-p") + 1]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"EXPOSE {published.split(':')[-1]}" in dockerfile


def test_the_readme_image_is_the_one_the_release_pushes() -> None:
    image = docker_run_command()[-1].rsplit(":", 1)[0]
    source = re.search(
        r'^Source = "https://github\.com/(.+)"$',
        (ROOT / "schemas-client/pyproject.toml").read_text(),
        re.MULTILINE,
    )
    assert source is not None
    assert image == f"ghcr.io/{source.group(1)}"
    release = (ROOT / ".github/workflows/release.yaml").read_text()
    assert "images: ghcr.io/${{ github.repository }}" in release
