"""The consumer's settings: one model, read from environment variables.

Kafka and the Schema Registry are reached with the same variables as the gateway
(``KAFKA_*`` and ``SCHEMA_REGISTRY_*``); the consumer's own settings start with
``OCTOBUS_``.
"""

from __future__ import annotations

from octobus_schemas.avro import SchemaRegistrySettings
from octobus_schemas.kafka import KafkaConnectionSettings
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from octobus_consumer_example.retry import RetryPolicy

__all__ = ["ConsumerSettings"]


class ConsumerSettings(BaseSettings):
    """Everything the example consumer needs to run.

    Environment variables: ``KAFKA_*`` (see `octobus_schemas.kafka.KafkaConnectionSettings`),
    ``SCHEMA_REGISTRY_*`` (see `octobus_schemas.avro.SchemaRegistrySettings`), and the
    ``OCTOBUS_*`` variables named on each field below.

    Examples
    --------
    >>> settings = ConsumerSettings(consumer_group_id="billing", topic_prefix="staging.")
    >>> settings.retry_policy().max_attempts
    5
    """

    # hide_input_in_errors: a refused value (OCTOBUS_KAFKA as JSON, say) may hold a SASL
    # password or registry credentials, and validation errors end up on stderr and in logs.
    model_config = SettingsConfigDict(
        env_prefix="OCTOBUS_", extra="ignore", hide_input_in_errors=True
    )

    kafka: KafkaConnectionSettings = Field(
        default_factory=KafkaConnectionSettings,
        description="How to reach Kafka (``KAFKA_*``).",
    )
    schema_registry: SchemaRegistrySettings = Field(
        default_factory=SchemaRegistrySettings,
        description="How to reach the Schema Registry (``SCHEMA_REGISTRY_*``).",
    )
    consumer_group_id: str = Field(
        default="octobus-consumer-example",
        min_length=1,
        description="``OCTOBUS_CONSUMER_GROUP_ID``: the consumer group; its committed "
        "offsets are where a restarted consumer resumes.",
    )
    topic_prefix: str = Field(
        default="",
        description="``OCTOBUS_TOPIC_PREFIX``: prepended to every topic name, as on the "
        "gateway (for example ``staging.``).",
    )
    consumer_max_attempts: int = Field(
        default=5,
        ge=1,
        description="``OCTOBUS_CONSUMER_MAX_ATTEMPTS``: handler calls per message before it "
        "is dead-lettered.",
    )
    consumer_initial_backoff: float = Field(
        default=0.2,
        ge=0,
        description="``OCTOBUS_CONSUMER_INITIAL_BACKOFF``: seconds to wait after a handler's "
        "first failure; doubled after each further one.",
    )
    consumer_max_backoff: float = Field(
        default=5.0,
        ge=0,
        description="``OCTOBUS_CONSUMER_MAX_BACKOFF``: the longest wait between two attempts.",
    )
    consumer_session_timeout_ms: int = Field(
        default=10_000,
        ge=1,
        description="``OCTOBUS_CONSUMER_SESSION_TIMEOUT_MS``: the group session timeout. "
        "Lower it (to 1000) against the embedded broker, where group joins wait for it.",
    )

    def retry_policy(self) -> RetryPolicy:
        """Return the retry policy these settings describe.

        Returns
        -------
        RetryPolicy
            Attempts and backoff for failing handlers.
        """
        return RetryPolicy(
            max_attempts=self.consumer_max_attempts,
            initial_backoff=self.consumer_initial_backoff,
            max_backoff=self.consumer_max_backoff,
        )
