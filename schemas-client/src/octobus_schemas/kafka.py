"""Kafka connection settings shared by every Octobus component.

One settings model, read from ``KAFKA_*`` environment variables, validated into one
sub-model per security mode (plaintext, TLS, SASL over plaintext or TLS). Each mode
knows how to turn itself into keyword arguments for aiokafka's clients
(`KafkaConnectionSettings.to_aiokafka_params`) and for FastStream's ``KafkaBroker``
(`KafkaConnectionSettings.to_faststream_params`).

This module imports neither aiokafka nor FastStream at import time: the client package
installs without them, and FastStream's security classes are imported only when
FastStream parameters are asked for.

Examples
--------
>>> settings = KafkaConnectionSettings(bootstrap_servers="127.0.0.1:9092")
>>> settings.to_aiokafka_params()
{'bootstrap_servers': ['127.0.0.1:9092'], 'security_protocol': 'PLAINTEXT'}
"""

from __future__ import annotations

import re
import ssl
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, NotRequired, Self, TypedDict

from pydantic import BaseModel, ConfigDict, Field, FilePath, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from faststream.security import BaseSecurity

__all__ = [
    "AIOKafkaParams",
    "FastStreamKafkaParams",
    "KafkaConnectionSettings",
    "KafkaPlaintextSettings",
    "KafkaSaslMechanism",
    "KafkaSaslSettings",
    "KafkaSecurityProtocol",
    "KafkaSslSettings",
]


class KafkaSecurityProtocol(StrEnum):
    """How the client talks to the brokers (Kafka's ``security.protocol``)."""

    PLAINTEXT = "PLAINTEXT"
    """No encryption, no authentication (local development, private networks)."""

    SSL = "SSL"
    """TLS encryption; optionally a client certificate for mutual TLS."""

    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    """SASL authentication without encryption."""

    SASL_SSL = "SASL_SSL"
    """SASL authentication over TLS."""


class KafkaSaslMechanism(StrEnum):
    """The SASL mechanisms supported with username and password."""

    PLAIN = "PLAIN"
    """Username and password sent as they are (use with ``SASL_SSL`` only)."""

    SCRAM_SHA_256 = "SCRAM-SHA-256"
    """Salted challenge-response with SHA-256."""

    SCRAM_SHA_512 = "SCRAM-SHA-512"
    """Salted challenge-response with SHA-512."""


class AIOKafkaParams(TypedDict):
    """Keyword arguments for aiokafka's producer, consumer and admin client."""

    bootstrap_servers: list[str]
    security_protocol: str
    ssl_context: NotRequired[ssl.SSLContext]
    sasl_mechanism: NotRequired[str]
    sasl_plain_username: NotRequired[str]
    sasl_plain_password: NotRequired[str]


class FastStreamKafkaParams(TypedDict):
    """Keyword arguments for FastStream's ``KafkaBroker``."""

    bootstrap_servers: list[str]
    security: BaseSecurity | None
    enable_idempotence: bool


_FASTSTREAM_MISSING = "FastStream parameters need FastStream: install 'octobus-schemas[faststream]'"


# host:port, host alone (the client adds 9092), or [IPv6]:port; no scheme.
_SERVER = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/\s\[\]]+)(?::(?P<port>[^:]*))?$")


def _split_servers(servers: str) -> list[str]:
    entries = [server.strip() for server in servers.split(",") if server.strip()]
    for entry in entries:
        if "://" in entry:
            msg = (
                f"KAFKA_BOOTSTRAP_SERVERS entry {entry!r} has a URL scheme: Kafka bootstrap "
                "servers are host:port"
            )
            raise ValueError(msg)
        match = _SERVER.match(entry)
        port = match["port"] if match else None
        if match is None or (port is not None and not (port.isdigit() and 1 <= int(port) <= 65535)):
            msg = f"KAFKA_BOOTSTRAP_SERVERS entry {entry!r} is not host:port (port 1-65535)"
            raise ValueError(msg)
    return entries


def _tls_context(
    ca_file: FilePath | None, cert_file: FilePath | None, key_file: FilePath | None
) -> ssl.SSLContext:
    # The system trust store unless a CA file is named: a managed Kafka's certificate
    # is usually signed by a public CA, a self-hosted one by a private CA.
    try:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except ssl.SSLError as error:
        msg = f"KAFKA_SSL_CA_FILE {str(ca_file)!r} holds no usable CA certificate: {error}"
        raise ValueError(msg) from None
    if cert_file is not None and key_file is not None:
        try:
            context.load_cert_chain(certfile=str(cert_file), keyfile=str(key_file))
        except ssl.SSLError as error:
            msg = (
                f"KAFKA_SSL_CERT_FILE {str(cert_file)!r} and KAFKA_SSL_KEY_FILE "
                f"{str(key_file)!r} are not a usable certificate and key: {error}"
            )
            raise ValueError(msg) from None
    return context


class _ModeSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    bootstrap_servers: list[str]
    enable_idempotence: bool


class KafkaPlaintextSettings(_ModeSettings):
    """The settings of a ``PLAINTEXT`` connection: servers only."""

    security_protocol: Literal[KafkaSecurityProtocol.PLAINTEXT]

    def to_aiokafka_params(self) -> AIOKafkaParams:
        """Return keyword arguments for aiokafka clients.

        Returns
        -------
        AIOKafkaParams
            Bootstrap servers and security protocol.
        """
        return {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security_protocol": self.security_protocol.value,
        }

    def to_faststream_params(self) -> FastStreamKafkaParams:
        """Return keyword arguments for FastStream's ``KafkaBroker``.

        Returns
        -------
        FastStreamKafkaParams
            Bootstrap servers, no security, and the idempotence flag.
        """
        return {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security": None,
            "enable_idempotence": self.enable_idempotence,
        }


class KafkaSslSettings(_ModeSettings):
    """The settings of an ``SSL`` connection: TLS, optionally with a client certificate."""

    security_protocol: Literal[KafkaSecurityProtocol.SSL]
    ssl_ca_file: FilePath | None = None
    ssl_cert_file: FilePath | None = None
    ssl_key_file: FilePath | None = None

    @model_validator(mode="after")
    def _cert_and_key_together(self) -> Self:
        if (self.ssl_cert_file is None) != (self.ssl_key_file is None):
            msg = (
                "KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (mutual TLS): "
                "set both or neither"
            )
            raise ValueError(msg)
        return self

    def to_ssl_context(self) -> ssl.SSLContext:
        """Build the TLS context from the CA, certificate and key files.

        Returns
        -------
        ssl.SSLContext
            A client context that verifies the brokers' certificates.
        """
        return _tls_context(self.ssl_ca_file, self.ssl_cert_file, self.ssl_key_file)

    def to_aiokafka_params(self) -> AIOKafkaParams:
        """Return keyword arguments for aiokafka clients.

        Returns
        -------
        AIOKafkaParams
            Bootstrap servers, ``SSL`` and the TLS context.
        """
        return {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security_protocol": self.security_protocol.value,
            "ssl_context": self.to_ssl_context(),
        }

    def to_faststream_params(self) -> FastStreamKafkaParams:
        """Return keyword arguments for FastStream's ``KafkaBroker``.

        Returns
        -------
        FastStreamKafkaParams
            Bootstrap servers, a TLS security object and the idempotence flag.
        """
        try:
            from faststream.security import BaseSecurity
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError(_FASTSTREAM_MISSING) from error
        return {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security": BaseSecurity(ssl_context=self.to_ssl_context()),
            "enable_idempotence": self.enable_idempotence,
        }


class KafkaSaslSettings(_ModeSettings):
    """The settings of a ``SASL_PLAINTEXT`` or ``SASL_SSL`` connection."""

    security_protocol: Literal[KafkaSecurityProtocol.SASL_PLAINTEXT, KafkaSecurityProtocol.SASL_SSL]
    sasl_mechanism: KafkaSaslMechanism
    sasl_username: str = Field(min_length=1)
    sasl_password: SecretStr
    ssl_ca_file: FilePath | None = None

    @model_validator(mode="after")
    def _ca_only_with_tls(self) -> Self:
        if self.ssl_ca_file is not None and self.security_protocol is not (
            KafkaSecurityProtocol.SASL_SSL
        ):
            msg = "KAFKA_SSL_CA_FILE is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT"
            raise ValueError(msg)
        if not self.sasl_password.get_secret_value():
            # An unset CI secret often arrives as an empty string.
            msg = "KAFKA_SASL_PASSWORD is empty"
            raise ValueError(msg)
        return self

    @property
    def uses_tls(self) -> bool:
        """Whether the connection is encrypted (``SASL_SSL``)."""
        return self.security_protocol is KafkaSecurityProtocol.SASL_SSL

    def to_ssl_context(self) -> ssl.SSLContext | None:
        """Build the TLS context for ``SASL_SSL``.

        Returns
        -------
        ssl.SSLContext or None
            The context, or None for ``SASL_PLAINTEXT``.
        """
        return _tls_context(self.ssl_ca_file, None, None) if self.uses_tls else None

    def to_aiokafka_params(self) -> AIOKafkaParams:
        """Return keyword arguments for aiokafka clients.

        Returns
        -------
        AIOKafkaParams
            Bootstrap servers, protocol, mechanism, credentials and TLS context.
        """
        params: AIOKafkaParams = {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security_protocol": self.security_protocol.value,
            "sasl_mechanism": self.sasl_mechanism.value,
            "sasl_plain_username": self.sasl_username,
            "sasl_plain_password": self.sasl_password.get_secret_value(),
        }
        context = self.to_ssl_context()
        if context is not None:
            params["ssl_context"] = context
        return params

    def to_faststream_params(self) -> FastStreamKafkaParams:
        """Return keyword arguments for FastStream's ``KafkaBroker``.

        Returns
        -------
        FastStreamKafkaParams
            Bootstrap servers, a SASL security object and the idempotence flag.
        """
        try:
            from faststream.security import (
                SASLPlaintext,
                SASLScram256,
                SASLScram512,
            )
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError(_FASTSTREAM_MISSING) from error
        security_class = {
            KafkaSaslMechanism.PLAIN: SASLPlaintext,
            KafkaSaslMechanism.SCRAM_SHA_256: SASLScram256,
            KafkaSaslMechanism.SCRAM_SHA_512: SASLScram512,
        }[self.sasl_mechanism]
        security = security_class(
            username=self.sasl_username,
            password=self.sasl_password.get_secret_value(),
            ssl_context=self.to_ssl_context(),
            use_ssl=self.uses_tls,
        )
        return {
            "bootstrap_servers": list(self.bootstrap_servers),
            "security": security,
            "enable_idempotence": self.enable_idempotence,
        }


KafkaModeSettings = KafkaPlaintextSettings | KafkaSslSettings | KafkaSaslSettings


class KafkaConnectionSettings(BaseSettings):
    """How to reach Kafka, from ``KAFKA_*`` environment variables.

    Every combination is checked when the settings are built: a SASL mode needs a
    mechanism, a username and a password; settings that belong to another mode (a
    SASL password with ``PLAINTEXT``, say) are refused rather than silently ignored,
    and each error names the environment variable to fix.

    Examples
    --------
    >>> settings = KafkaConnectionSettings(
    ...     bootstrap_servers="kafka-1:9093,kafka-2:9093",
    ...     security_protocol="SASL_SSL",
    ...     sasl_mechanism="SCRAM-SHA-512",
    ...     sasl_username="octobus",
    ...     sasl_password="s3cret",
    ... )
    >>> type(settings.validated).__name__
    'KafkaSaslSettings'
    >>> settings.sasl_password
    SecretStr('**********')
    """

    # Errors must not echo the input: it may hold the SASL password.
    model_config = SettingsConfigDict(
        env_prefix="KAFKA_", extra="ignore", hide_input_in_errors=True
    )

    bootstrap_servers: str = Field(
        default="localhost:9092",
        description="Comma-separated ``host:port`` list of brokers to bootstrap from.",
        examples=["kafka-1:9092,kafka-2:9092"],
    )
    security_protocol: KafkaSecurityProtocol = Field(
        default=KafkaSecurityProtocol.PLAINTEXT,
        description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
    )
    sasl_mechanism: KafkaSaslMechanism | None = Field(
        default=None, description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (SASL modes only)."
    )
    sasl_username: str | None = Field(default=None, description="SASL username.")
    sasl_password: SecretStr | None = Field(default=None, description="SASL password.")
    ssl_ca_file: FilePath | None = Field(
        default=None,
        description="PEM CA bundle that signed the brokers' certificates (TLS modes only; "
        "the system trust store when unset).",
    )
    ssl_cert_file: FilePath | None = Field(
        default=None, description="PEM client certificate for mutual TLS (SSL only)."
    )
    ssl_key_file: FilePath | None = Field(
        default=None, description="PEM private key of the client certificate (SSL only)."
    )
    enable_idempotence: bool = Field(
        default=True,
        description="Idempotent producer (no duplicates on retry). Turn off against brokers "
        "that cannot do it with aiokafka, such as the embedded Tansu broker.",
    )

    @model_validator(mode="after")
    def _validate_mode(self) -> Self:
        # Validating here makes a wrong combination fail when the settings are read,
        # not later when the first client connects.
        mode = self.validated
        if isinstance(mode, KafkaSslSettings | KafkaSaslSettings) and (
            self.ssl_ca_file is not None or self.ssl_cert_file is not None
        ):
            # Read the files once, here, so that a wrong one is named when the settings are
            # read rather than as a bare SSLError at the first connection. Not in the mode
            # models' own validators: ``validated`` rebuilds one on every call, and
            # ``to_aiokafka_params`` would then read the files twice each time.
            mode.to_ssl_context()
        return self

    @property
    def validated(self) -> KafkaModeSettings:
        """The settings of the chosen security mode, checked.

        Returns
        -------
        KafkaPlaintextSettings or KafkaSslSettings or KafkaSaslSettings
            The sub-model for ``security_protocol``.

        Raises
        ------
        ValueError
            If the settings do not fit the chosen mode; the message names the variable.
        """
        servers = _split_servers(self.bootstrap_servers)
        if not servers:
            msg = "KAFKA_BOOTSTRAP_SERVERS is empty: name at least one host:port"
            raise ValueError(msg)
        protocol = self.security_protocol
        idempotence = self.enable_idempotence
        sasl_values: dict[str, object] = {
            "KAFKA_SASL_MECHANISM": self.sasl_mechanism,
            "KAFKA_SASL_USERNAME": self.sasl_username,
            "KAFKA_SASL_PASSWORD": self.sasl_password,
        }
        client_cert_values: dict[str, object] = {
            "KAFKA_SSL_CERT_FILE": self.ssl_cert_file,
            "KAFKA_SSL_KEY_FILE": self.ssl_key_file,
        }
        if protocol is KafkaSecurityProtocol.PLAINTEXT:
            _refuse_unused(
                protocol,
                {**sasl_values, "KAFKA_SSL_CA_FILE": self.ssl_ca_file, **client_cert_values},
            )
            return KafkaPlaintextSettings(
                bootstrap_servers=servers,
                enable_idempotence=idempotence,
                security_protocol=protocol,
            )
        if protocol is KafkaSecurityProtocol.SSL:
            _refuse_unused(protocol, sasl_values)
            return KafkaSslSettings(
                bootstrap_servers=servers,
                enable_idempotence=idempotence,
                security_protocol=protocol,
                ssl_ca_file=self.ssl_ca_file,
                ssl_cert_file=self.ssl_cert_file,
                ssl_key_file=self.ssl_key_file,
            )
        _refuse_unused(protocol, client_cert_values)
        mechanism, username, password = self.sasl_mechanism, self.sasl_username, self.sasl_password
        if mechanism is None or username is None or password is None:
            missing = [name for name, value in sasl_values.items() if value is None]
            msg = f"KAFKA_SECURITY_PROTOCOL={protocol.value} needs {', '.join(missing)}"
            raise ValueError(msg)
        return KafkaSaslSettings(
            bootstrap_servers=servers,
            enable_idempotence=idempotence,
            security_protocol=protocol,
            sasl_mechanism=mechanism,
            sasl_username=username,
            sasl_password=password,
            ssl_ca_file=self.ssl_ca_file,
        )

    def to_aiokafka_params(self) -> AIOKafkaParams:
        """Return keyword arguments for aiokafka's producer, consumer or admin client.

        Returns
        -------
        AIOKafkaParams
            Connection arguments only; producer options such as idempotence are the
            caller's (``enable_idempotence`` is not accepted by consumers).
        """
        return self.validated.to_aiokafka_params()

    def to_faststream_params(self) -> FastStreamKafkaParams:
        """Return keyword arguments for FastStream's ``KafkaBroker``.

        Returns
        -------
        FastStreamKafkaParams
            Bootstrap servers, the security object and ``enable_idempotence``.

        Raises
        ------
        ImportError
            If FastStream is not installed (``octobus-schemas[faststream]``).
        """
        return self.validated.to_faststream_params()


def _refuse_unused(protocol: KafkaSecurityProtocol, values: dict[str, object]) -> None:
    extra = [name for name, value in values.items() if value is not None]
    if extra:
        msg = (
            f"{', '.join(extra)} set but KAFKA_SECURITY_PROTOCOL is {protocol.value}, "
            "which does not use it"
        )
        raise ValueError(msg)
