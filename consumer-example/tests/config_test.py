"""One settings model, read from the same variables as the gateway plus OCTOBUS_*."""

from __future__ import annotations

import pytest
from octobus_consumer_example import ConsumerSettings, RetryPolicy
from pydantic import ValidationError


def test_settings_come_from_the_gateway_variables_and_the_consumer_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093,kafka-2:9093")
    monkeypatch.setenv("KAFKA_ENABLE_IDEMPOTENCE", "false")
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", "https://registry.example:8081")
    monkeypatch.setenv("OCTOBUS_CONSUMER_GROUP_ID", "billing")
    monkeypatch.setenv("OCTOBUS_TOPIC_PREFIX", "staging.")
    monkeypatch.setenv("OCTOBUS_CONSUMER_MAX_ATTEMPTS", "7")
    monkeypatch.setenv("OCTOBUS_CONSUMER_INITIAL_BACKOFF", "0.5")
    monkeypatch.setenv("OCTOBUS_CONSUMER_MAX_BACKOFF", "30")
    monkeypatch.setenv("OCTOBUS_CONSUMER_SESSION_TIMEOUT_MS", "1000")

    settings = ConsumerSettings()

    assert settings.kafka.to_aiokafka_params()["bootstrap_servers"] == [
        "kafka-1:9093",
        "kafka-2:9093",
    ]
    assert settings.kafka.enable_idempotence is False
    assert str(settings.schema_registry.url) == "https://registry.example:8081/"
    assert settings.consumer_group_id == "billing"
    assert settings.topic_prefix == "staging."
    assert settings.consumer_session_timeout_ms == 1000
    assert settings.retry_policy() == RetryPolicy(
        max_attempts=7, initial_backoff=0.5, max_backoff=30.0
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OCTOBUS_CONSUMER_MAX_ATTEMPTS", "0"),
        ("OCTOBUS_CONSUMER_GROUP_ID", ""),
        ("OCTOBUS_CONSUMER_MAX_BACKOFF", "-1"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_naming_it(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError, match=variable.removeprefix("OCTOBUS_").lower()):
        ConsumerSettings()


def test_a_refused_value_is_not_echoed_so_a_password_in_it_does_not_leak(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "OCTOBUS_KAFKA", '{"security_protocol":"SASL_SSL","sasl_password":"hunter2SECRET"}'
    )

    with pytest.raises(ValidationError) as refused:
        ConsumerSettings()

    assert "SASL" in str(refused.value)  # still says what is wrong
    assert "hunter2SECRET" not in str(refused.value)
