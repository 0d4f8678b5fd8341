"""KafkaConnectionSettings: one validated mode per security protocol, from KAFKA_* variables.

Values given as the variables give them (plain strings) go through ``model_validate``, which
runs the settings' own ``__init__`` (environment included); the typed constructor asks for
``KafkaSecurityProtocol``, ``KafkaSaslMechanism`` and ``SecretStr`` instead.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from faststream.security import SASLPlaintext, SASLScram256, SASLScram512
from octobus_schemas.kafka import (
    KafkaConnectionSettings,
    KafkaPlaintextSettings,
    KafkaSaslSettings,
    KafkaSecurityProtocol,
    KafkaSslSettings,
)
from pydantic import ValidationError

KAFKA_VARIABLES = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SSL_CA_FILE",
    "KAFKA_SSL_CERT_FILE",
    "KAFKA_SSL_KEY_FILE",
    "KAFKA_ENABLE_IDEMPOTENCE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KAFKA_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_plaintext_is_the_default_and_splits_the_server_list() -> None:
    settings = KafkaConnectionSettings(bootstrap_servers="kafka-1:9092, kafka-2:9092")

    assert isinstance(settings.validated, KafkaPlaintextSettings)
    assert settings.to_aiokafka_params() == {
        "bootstrap_servers": ["kafka-1:9092", "kafka-2:9092"],
        "security_protocol": "PLAINTEXT",
    }
    assert settings.to_faststream_params() == {
        "bootstrap_servers": ["kafka-1:9092", "kafka-2:9092"],
        "security": None,
        "enable_idempotence": True,
    }


def test_reads_the_kafka_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9094")
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "octobus")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "hunter2")
    monkeypatch.setenv("KAFKA_ENABLE_IDEMPOTENCE", "false")

    settings = KafkaConnectionSettings()

    assert isinstance(settings.validated, KafkaSaslSettings)
    assert settings.to_aiokafka_params() == {
        "bootstrap_servers": ["broker:9094"],
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "octobus",
        "sasl_plain_password": "hunter2",
    }
    params = settings.to_faststream_params()
    assert params["enable_idempotence"] is False
    assert isinstance(params["security"], SASLScram256)
    assert params["security"].use_ssl is False


@pytest.mark.parametrize(
    ("mechanism", "security_class"),
    [("PLAIN", SASLPlaintext), ("SCRAM-SHA-256", SASLScram256), ("SCRAM-SHA-512", SASLScram512)],
)
def test_sasl_ssl_gives_faststream_the_mechanism_over_tls(
    mechanism: str, security_class: type[object]
) -> None:
    settings = KafkaConnectionSettings.model_validate(
        {
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": mechanism,
            "sasl_username": "octobus",
            "sasl_password": "hunter2",
        }
    )

    params = settings.to_faststream_params()
    assert type(params["security"]) is security_class
    assert isinstance(settings.to_aiokafka_params()["ssl_context"], ssl.SSLContext)


def test_a_sasl_mode_names_every_missing_variable() -> None:
    with pytest.raises(ValidationError) as caught:
        KafkaConnectionSettings.model_validate(
            {"security_protocol": "SASL_SSL", "sasl_username": "octobus"}
        )

    message = str(caught.value)
    assert "KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_MECHANISM, KAFKA_SASL_PASSWORD" in (
        message
    )


def test_credentials_for_another_mode_are_refused_not_ignored() -> None:
    with pytest.raises(ValidationError, match=r"KAFKA_SASL_PASSWORD set but .* is PLAINTEXT"):
        KafkaConnectionSettings.model_validate({"sasl_password": "hunter2"})


def test_errors_never_echo_the_password() -> None:
    with pytest.raises(ValidationError) as caught:
        KafkaConnectionSettings.model_validate(
            {"security_protocol": "SSL", "sasl_password": "hunter2"}
        )

    assert "hunter2" not in str(caught.value)
    assert "hunter2" not in repr(caught.value)


def test_the_password_is_a_secret_in_repr() -> None:
    settings = KafkaConnectionSettings.model_validate(
        {
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "PLAIN",
            "sasl_username": "octobus",
            "sasl_password": "hunter2",
        }
    )

    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(settings.validated)


def test_an_empty_server_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="KAFKA_BOOTSTRAP_SERVERS is empty"):
        KafkaConnectionSettings(bootstrap_servers=" , ")


def test_mutual_tls_needs_both_certificate_and_key(tmp_path: Path) -> None:
    certificate = tmp_path / "client.pem"
    certificate.write_text("not read until a context is built")

    with pytest.raises(ValidationError, match="KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE"):
        KafkaConnectionSettings.model_validate(
            {"security_protocol": "SSL", "ssl_cert_file": certificate}
        )


def test_ssl_with_a_missing_ca_file_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ssl_ca_file"):
        KafkaConnectionSettings.model_validate(
            {"security_protocol": "SSL", "ssl_ca_file": tmp_path / "absent.pem"}
        )


def test_ssl_uses_the_system_trust_store_without_a_ca_file() -> None:
    settings = KafkaConnectionSettings.model_validate({"security_protocol": "SSL"})

    assert isinstance(settings.validated, KafkaSslSettings)
    context = settings.to_aiokafka_params()["ssl_context"]
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname is True


@pytest.mark.parametrize(
    ("servers", "message"),
    [
        ("kafka:notaport", "KAFKA_BOOTSTRAP_SERVERS entry 'kafka:notaport' is not host:port"),
        ("kafka:70000", "KAFKA_BOOTSTRAP_SERVERS entry 'kafka:70000' is not host:port"),
        ("kafka:", "KAFKA_BOOTSTRAP_SERVERS entry 'kafka:' is not host:port"),
        (
            "kafka-1:9092,http://kafka-2:9092",
            "KAFKA_BOOTSTRAP_SERVERS entry 'http://kafka-2:9092' has a URL scheme",
        ),
    ],
)
def test_a_bootstrap_server_that_is_not_host_port_is_refused_naming_it(
    servers: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        KafkaConnectionSettings.model_validate({"bootstrap_servers": servers})


def test_bootstrap_servers_may_be_a_host_alone_or_ipv6() -> None:
    settings = KafkaConnectionSettings.model_validate(
        {"bootstrap_servers": "kafka-1, kafka-2:9093, [::1]:9092"}
    )
    assert settings.validated.bootstrap_servers == ["kafka-1", "kafka-2:9093", "[::1]:9092"]


def test_a_ca_file_without_a_certificate_is_refused_when_read_naming_it(tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("not a certificate")
    with pytest.raises(ValidationError, match=f"KAFKA_SSL_CA_FILE '{ca_file}' holds no usable CA"):
        KafkaConnectionSettings.model_validate(
            {"security_protocol": "SSL", "ssl_ca_file": str(ca_file)}
        )


def test_an_empty_sasl_password_is_refused() -> None:
    with pytest.raises(ValidationError, match="KAFKA_SASL_PASSWORD is empty"):
        KafkaConnectionSettings.model_validate(
            {
                "security_protocol": "SASL_SSL",
                "sasl_mechanism": "PLAIN",
                "sasl_username": "octobus",
                "sasl_password": "",
            }
        )


def test_the_tls_files_are_read_once_when_validated_and_once_per_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # validated is a property that rebuilds the mode's model on every call: reading the
    # certificate files there would repeat the I/O on every to_aiokafka_params() too.
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("read by the counting stand-in, never parsed")
    reads: list[object] = []

    def counting_context(*files: object) -> ssl.SSLContext:
        reads.append(files)
        return ssl.create_default_context()

    monkeypatch.setattr("octobus_schemas.kafka._tls_context", counting_context)
    # the typed constructor: model_validate on a BaseSettings runs the validators twice
    settings = KafkaConnectionSettings(
        security_protocol=KafkaSecurityProtocol.SSL, ssl_ca_file=ca_file
    )
    assert len(reads) == 1
    for _ in range(3):
        assert isinstance(settings.validated, KafkaSslSettings)
    assert len(reads) == 1
    settings.to_aiokafka_params()
    assert len(reads) == 2
