"""The gateway's settings: one pydantic-settings model, read from environment variables.

Kafka's connection comes from ``KAFKA_*`` variables and the Schema Registry's from
``SCHEMA_REGISTRY_*`` (both shared with every Octobus component); the gateway's own
settings are ``OCTOBUS_*``. Secrets are `~pydantic.SecretStr`: they never appear in a
``repr``, a log line or a validation error.

Examples
--------
>>> settings = Settings(webhook_secrets="new-secret,old-secret")
>>> settings.webhook_secrets
[SecretStr('**********'), SecretStr('**********')]
>>> settings.compatibility.value
'FULL_TRANSITIVE'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from aiokafka.codec import has_gzip, has_lz4, has_snappy, has_zstd
from octobus_schemas.avro import CompatibilityLevel, SchemaRegistrySettings, SubjectNameStrategy
from octobus_schemas.kafka import KafkaConnectionSettings
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = [
    "DEFAULT_MAX_RECORD_BYTES",
    "GITHUB_MAX_DELIVERY_BYTES",
    "Compression",
    "Settings",
]

GITHUB_MAX_DELIVERY_BYTES = 25 * 1024 * 1024
"""GitHub caps webhook payloads at 25 MB and does not deliver larger ones."""

DEFAULT_MAX_RECORD_BYTES = GITHUB_MAX_DELIVERY_BYTES + 64 * 1024
"""The producer's default record limit: the largest delivery GitHub sends, and room for the
event record's envelope around it. Kafka's own default (1 MiB) would refuse deliveries that
a broker configured for them takes."""


class Compression(StrEnum):
    """How the Kafka producer compresses record batches (Kafka's ``compression.type``)."""

    NONE = "none"
    """No compression."""

    GZIP = "gzip"
    """gzip: always available (Python's zlib)."""

    SNAPPY = "snappy"
    """Snappy: needs ``aiokafka[snappy]``."""

    LZ4 = "lz4"
    """LZ4: needs ``aiokafka[lz4]``."""

    ZSTD = "zstd"
    """Zstandard: needs ``aiokafka[zstd]``."""

    @property
    def aiokafka_name(self) -> Literal["gzip", "snappy", "lz4", "zstd"] | None:
        """The ``compression_type`` aiokafka takes: the name, or None for no compression."""
        return _AIOKAFKA_NAMES[self]


_AIOKAFKA_NAMES: dict[Compression, Literal["gzip", "snappy", "lz4", "zstd"] | None] = {
    Compression.NONE: None,
    Compression.GZIP: "gzip",
    Compression.SNAPPY: "snappy",
    Compression.LZ4: "lz4",
    Compression.ZSTD: "zstd",
}
_COMPRESSION_AVAILABLE = {
    Compression.NONE: lambda: True,
    Compression.GZIP: has_gzip,
    Compression.SNAPPY: has_snappy,
    Compression.LZ4: has_lz4,
    Compression.ZSTD: has_zstd,
}


class Settings(BaseSettings):
    """Everything the gateway needs to run, from environment variables.

    The gateway's own settings are ``OCTOBUS_*``; Kafka's are ``KAFKA_*`` and the Schema
    Registry's ``SCHEMA_REGISTRY_*``, as every Octobus component reads them.

    Attributes
    ----------
    kafka
        How to reach Kafka (``KAFKA_BOOTSTRAP_SERVERS``, ``KAFKA_SECURITY_PROTOCOL``...).
    schema_registry
        How to reach the Schema Registry (``SCHEMA_REGISTRY_URL``...).
    webhook_secrets
        ``OCTOBUS_WEBHOOK_SECRETS``: comma-separated; a delivery signed with any of them
        is accepted, so a secret can be rotated without refusing deliveries.
    """

    # Errors must not echo the input: it holds the webhook secrets.
    model_config = SettingsConfigDict(
        env_prefix="OCTOBUS_", extra="ignore", hide_input_in_errors=True
    )

    kafka: KafkaConnectionSettings = Field(default_factory=KafkaConnectionSettings)
    schema_registry: SchemaRegistrySettings = Field(default_factory=SchemaRegistrySettings)
    webhook_secrets: Annotated[list[SecretStr], NoDecode] = Field(
        description="Comma-separated webhook secrets; any of them verifies a delivery.",
    )
    topic_prefix: str = Field(
        default="",
        description="Prepended to every topic name, e.g. 'staging.' gives 'staging.github.push'.",
        pattern=r"^[A-Za-z0-9._-]*$",
    )
    subject_suffix: str = Field(
        default="", description="Appended to every Schema Registry subject, e.g. '-staging'."
    )
    subject_strategy: SubjectNameStrategy = Field(
        default=SubjectNameStrategy.RECORD_NAME,
        description="How subjects are named: record name (default), topic, or topic+record.",
    )
    compatibility: CompatibilityLevel = Field(
        default=CompatibilityLevel.FULL_TRANSITIVE,
        description="Compatibility level set on every subject the gateway registers.",
    )
    max_body_bytes: int = Field(
        default=GITHUB_MAX_DELIVERY_BYTES,
        gt=0,
        description="Larger bodies are refused with 413 before they are read.",
    )
    body_read_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a client has to send the whole body; a body still incomplete "
        "then is refused with 408 and the connection closed (GitHub itself gives up on a "
        "delivery after 10 s).",
    )
    publish_timeout: float = Field(
        default=5.0,
        gt=0,
        description="Seconds to wait for the broker's acknowledgement before answering 503.",
    )
    startup_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds to keep retrying an unreachable Kafka or Schema Registry at start.",
    )
    redelivery_window: int = Field(
        default=10_000,
        ge=0,
        description="How many recent delivery ids are remembered, so a redelivery is not "
        "published twice (0 turns this off).",
    )
    topic_partitions: int = Field(
        default=4, gt=0, description="Partitions of each topic the gateway creates."
    )
    topic_replication_factor: int = Field(
        default=1, gt=0, description="Replication factor of each topic the gateway creates."
    )
    linger_ms: int = Field(
        default=5,
        ge=0,
        description="How long the producer waits to batch concurrent deliveries together.",
    )
    batch_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest batch of records the producer sends to one partition at once; "
        "webhook payloads are large (10 KB is typical), so Kafka's 16 KB default would "
        "send them one by one.",
    )
    max_request_bytes: int = Field(
        default=DEFAULT_MAX_RECORD_BYTES,
        gt=0,
        description="Largest event record the Kafka producer sends (its max.request.size, "
        "counted before compression); a delivery whose record is larger is refused with 413. "
        "The default takes any delivery GitHub sends; the topics' max.message.bytes must "
        "allow as much (Kafka's default is 1 MB), or set this to their limit.",
    )
    compression: Compression = Field(
        default=Compression.NONE,
        description="How the Kafka producer compresses record batches: none, gzip, snappy, "
        "lz4 or zstd (the last three need aiokafka's extra of that name). A topic's "
        "max.message.bytes applies to the compressed batch.",
    )

    @field_validator("compression")
    @classmethod
    def _compression_installed(cls, value: Compression) -> Compression:
        # Checked here so that a missing library stops start-up naming the variable,
        # not later when the producer starts.
        if not _COMPRESSION_AVAILABLE[value]():
            msg = (
                f"OCTOBUS_COMPRESSION={value.value} needs its compression library: "
                f"install aiokafka[{value.value}]"
            )
            raise ValueError(msg)
        return value

    @field_validator("webhook_secrets", mode="before")
    @classmethod
    def _split_secrets(cls, value: object) -> object:
        # One variable for several secrets: GitHub's secrets are printable ASCII without
        # commas, so the comma is a safe separator.
        if isinstance(value, str):
            return [secret.strip() for secret in value.split(",") if secret.strip()]
        return value

    @field_validator("webhook_secrets")
    @classmethod
    def _secrets_not_empty(cls, value: list[SecretStr]) -> list[SecretStr]:
        if not value:
            msg = "OCTOBUS_WEBHOOK_SECRETS must name at least one webhook secret"
            raise ValueError(msg)
        return value

    @property
    def secret_keys(self) -> list[bytes]:
        """The webhook secrets as HMAC keys (UTF-8 bytes, as GitHub keys them)."""
        return [secret.get_secret_value().encode("utf-8") for secret in self.webhook_secrets]
