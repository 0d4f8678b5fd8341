"""Schema Registry settings from the environment (``SCHEMA_REGISTRY_*``)."""

from __future__ import annotations

from typing import Self

import httpx
from pydantic import AnyHttpUrl, Field, FilePath, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from octobus_schemas.avro._registry import SchemaRegistryClient, _credentials_out_of

__all__ = ["SchemaRegistrySettings"]


class SchemaRegistrySettings(BaseSettings):
    """Where the Schema Registry is and how to authenticate to it.

    Every field reads an environment variable: ``SCHEMA_REGISTRY_URL``,
    ``SCHEMA_REGISTRY_USERNAME``, ``SCHEMA_REGISTRY_PASSWORD``, ``SCHEMA_REGISTRY_CA_FILE``,
    ``SCHEMA_REGISTRY_TIMEOUT``.

    Examples
    --------
    >>> settings = SchemaRegistrySettings(url="http://127.0.0.1:8081")
    >>> str(settings.url)
    'http://127.0.0.1:8081/'
    """

    # Inputs stay out of validation errors: they hold the password.
    model_config = SettingsConfigDict(
        env_prefix="SCHEMA_REGISTRY_", extra="ignore", hide_input_in_errors=True
    )

    url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8081")
    """The registry's base URL."""

    username: str | None = None
    """Basic-auth user (Confluent Cloud: the API key)."""

    password: SecretStr | None = None
    """Basic-auth password (Confluent Cloud: the API secret)."""

    ca_file: FilePath | None = None
    """PEM file of CA certificates to trust for an https registry."""

    timeout: float = Field(default=10.0, gt=0)
    """Seconds to wait for each registry request."""

    @model_validator(mode="after")
    def _credentials_come_in_pairs(self) -> Self:
        # Confluent's clients take https://key:secret@host too. Moved out of the URL by the
        # client's own rule, the secret stays a SecretStr and out of every message and repr
        # that shows the URL.
        secret = self.password.get_secret_value() if self.password is not None else None
        try:
            url, self.username, secret = _credentials_out_of(str(self.url), self.username, secret)
        except ValueError:
            raise ValueError(
                "give the credentials in SCHEMA_REGISTRY_URL or in "
                "SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, not both"
            ) from None
        self.url = AnyHttpUrl(url)
        self.password = SecretStr(secret) if secret is not None else None
        if (self.username is None) != (self.password is None):
            raise ValueError(
                "set both SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, or neither"
            )
        return self

    def make_client(self, *, http_client: httpx.AsyncClient | None = None) -> SchemaRegistryClient:
        """Build the registry client these settings describe.

        Parameters
        ----------
        http_client
            An httpx client to use instead (tests); auth and TLS settings then do not apply.

        Returns
        -------
        SchemaRegistryClient
            A client; use it as an async context manager, or call ``aclose()``.
        """
        if http_client is not None:
            return SchemaRegistryClient(str(self.url), http_client=http_client)
        return SchemaRegistryClient(
            str(self.url),
            username=self.username,
            password=self.password.get_secret_value() if self.password else None,
            ca_file=self.ca_file,
            timeout=self.timeout,
        )
