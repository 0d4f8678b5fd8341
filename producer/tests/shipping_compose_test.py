"""docker-compose.yaml: every service is health-checked and started only once what it needs is."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]


def dependencies(service: dict[str, Any]) -> dict[str, str]:
    """Each dependency of a service with the condition it waits for."""
    return {name: spec["condition"] for name, spec in service.get("depends_on", {}).items()}


def one_shot_services() -> set[str]:
    return {name for name, service in SERVICES.items() if service.get("restart") == "no"}


def test_the_stack_has_kafka_the_registry_the_registration_the_gateway_and_the_consumer() -> None:
    assert set(SERVICES) == {"kafka", "schema-registry", "register-schemas", "gateway", "consumer"}
    assert one_shot_services() == {"register-schemas"}


@pytest.mark.parametrize("name", sorted(set(SERVICES) - {"register-schemas"}))
def test_every_long_running_service_has_a_health_check(name: str) -> None:
    healthcheck = SERVICES[name].get("healthcheck")
    assert healthcheck, f"{name} has no health check"
    assert not healthcheck.get("disable", False)
    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck.get("interval")
    assert healthcheck.get("retries")


def test_the_one_shot_registration_has_no_health_check_and_is_waited_for_to_complete() -> None:
    assert "healthcheck" not in SERVICES["register-schemas"]
    for name in ("gateway", "consumer"):
        conditions = dependencies(SERVICES[name])
        assert conditions["register-schemas"] == "service_completed_successfully", name


def test_dependencies_on_long_running_services_wait_until_they_are_healthy() -> None:
    for name, service in SERVICES.items():
        for dependency, condition in dependencies(service).items():
            if dependency in one_shot_services():
                assert condition == "service_completed_successfully", (name, dependency)
            else:
                assert condition == "service_healthy", (name, dependency)
                assert "healthcheck" in SERVICES[dependency]


def test_schemas_are_registered_before_anything_publishes_or_consumes() -> None:
    registration = SERVICES["register-schemas"]
    assert registration["command"] == ["octobus-schemas", "register"]
    assert dependencies(registration) == {"schema-registry": "service_healthy"}


def test_kafka_runs_in_kraft_mode_without_zookeeper() -> None:
    environment = SERVICES["kafka"]["environment"]
    assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "KAFKA_ZOOKEEPER_CONNECT" not in environment


@pytest.mark.parametrize("name", ["kafka", "schema-registry"])
def test_third_party_images_are_official_and_pinned_to_a_version(name: str) -> None:
    image = SERVICES[name]["image"]
    repository, _, tag = image.partition(":")
    assert repository in {"apache/kafka", "confluentinc/cp-schema-registry"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", tag), image


@pytest.mark.parametrize(
    ("name", "target"),
    [("register-schemas", "gateway"), ("gateway", "gateway"), ("consumer", "consumer")],
)
def test_octobus_services_are_built_from_the_root_dockerfile(name: str, target: str) -> None:
    assert SERVICES[name]["build"] == {"context": ".", "target": target}


@pytest.mark.parametrize("name", ["register-schemas", "gateway", "consumer"])
def test_octobus_services_reach_kafka_and_the_registry_by_their_service_names(name: str) -> None:
    environment = SERVICES[name]["environment"]
    kafka_host, _, kafka_port = environment["KAFKA_BOOTSTRAP_SERVERS"].partition(":")
    assert kafka_host == "kafka"
    assert f"INTERNAL://:{kafka_port}" in SERVICES["kafka"]["environment"]["KAFKA_LISTENERS"]
    registry = re.fullmatch(r"http://([\w-]+):(\d+)", environment["SCHEMA_REGISTRY_URL"])
    assert registry is not None
    assert registry.group(1) == "schema-registry"
    listeners = SERVICES["schema-registry"]["environment"]["SCHEMA_REGISTRY_LISTENERS"]
    assert listeners.endswith(f":{registry.group(2)}")


def test_the_gateway_health_check_asks_the_port_it_publishes() -> None:
    gateway = SERVICES["gateway"]
    (published,) = gateway["ports"]
    container_port = published.split(":")[-1]
    assert f"127.0.0.1:{container_port}/readyz" in gateway["healthcheck"]["test"][-1]
