"""The registry client against the session's Schema Registry, over real HTTP."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from octobus_schemas.avro import (
    CompatibilityLevel,
    SchemaRegistryClient,
    SchemaRegistrySettings,
    avro_schema,
)
from octobus_schemas.errors import (
    IncompatibleSchemaError,
    InvalidSchemaError,
    SchemaNotFoundError,
    SchemaRegistryError,
)
from octobus_schemas.events import SchemaRuleError
from pydantic import ValidationError

from .support.codec_models import OrderV1, OrderV2, Paid
from .support.registries import http_registry, unused_port

__all__ = ["http_registry", "unused_port"]

SUBJECT = "shop.events.Order"


BREAKING_ORDER: dict[str, object] = {
    "type": "record",
    "name": "Order",
    "namespace": "shop.events",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "note", "type": "string"},
        {"name": "priority", "type": "int"},
    ],
}
"""A V3 of Order that adds a field with no default: not backward compatible."""


async def test_register_returns_subject_id_and_version(http_registry: SchemaRegistryClient) -> None:
    first = await http_registry.register(OrderV1, SUBJECT)
    second = await http_registry.register(OrderV2, SUBJECT)
    assert (first.subject, first.version) == (SUBJECT, 1)
    assert (second.subject, second.version) == (SUBJECT, 2)
    assert second.id != first.id
    assert await http_registry.register(OrderV1, SUBJECT) == first


async def test_the_same_schema_under_two_subjects_has_one_id(
    http_registry: SchemaRegistryClient,
) -> None:
    one = await http_registry.register(Paid, "shop.events.Paid")
    two = await http_registry.register(Paid, "shop.events.Paid-staging")
    assert one.id == two.id


async def test_get_schema_by_id_returns_the_registered_schema(
    schema_registry_url: str, http_registry: SchemaRegistryClient
) -> None:
    registered = await http_registry.register(Paid, "shop.events.Paid")
    async with SchemaRegistryClient(schema_registry_url) as fresh:
        assert await fresh.get_schema(registered.id) == avro_schema(Paid)


async def test_an_unknown_id_is_schema_not_found_naming_it(
    http_registry: SchemaRegistryClient,
) -> None:
    with pytest.raises(SchemaNotFoundError, match=r"schema id 999 not found") as raised:
        await http_registry.get_schema(999)
    assert raised.value.schema_id == 999


async def test_lookup_of_an_unregistered_subject_is_schema_not_found_naming_it(
    http_registry: SchemaRegistryClient,
) -> None:
    with pytest.raises(SchemaNotFoundError, match=r"'nobody\.Home'"):
        await http_registry.lookup(Paid, "nobody.Home")


async def test_compatibility_reports_each_incompatible_field(
    http_registry: SchemaRegistryClient,
) -> None:
    await http_registry.register(OrderV1, SUBJECT, compatibility=CompatibilityLevel.BACKWARD)
    assert (await http_registry.check_compatibility(OrderV2, SUBJECT)).compatible
    report = await http_registry.check_compatibility(BREAKING_ORDER, SUBJECT)
    assert not report.compatible
    assert report.subject == SUBJECT
    assert any("'priority'" in message for message in report.messages)


async def test_an_unregistered_subject_is_compatible_with_anything(
    http_registry: SchemaRegistryClient,
) -> None:
    report = await http_registry.check_compatibility(OrderV1, "shop.events.New")
    assert report.compatible
    assert report.messages == []


async def test_registering_an_incompatible_schema_is_refused_with_the_reason(
    http_registry: SchemaRegistryClient,
) -> None:
    await http_registry.register(OrderV1, SUBJECT, compatibility=CompatibilityLevel.FULL)
    with pytest.raises(IncompatibleSchemaError) as raised:
        await http_registry.register(BREAKING_ORDER, SUBJECT)
    assert raised.value.subject == SUBJECT
    assert "shop.events.Order" in str(raised.value)


async def test_compatibility_levels_are_set_and_read_per_subject_and_globally(
    http_registry: SchemaRegistryClient,
) -> None:
    await http_registry.register(OrderV1, SUBJECT)
    await http_registry.set_compatibility(CompatibilityLevel.FULL_TRANSITIVE, SUBJECT)
    assert await http_registry.get_compatibility(SUBJECT) is CompatibilityLevel.FULL_TRANSITIVE
    await http_registry.set_compatibility(CompatibilityLevel.FORWARD)
    assert await http_registry.get_compatibility() is CompatibilityLevel.FORWARD


BAD_DEFAULT: dict[str, object] = {
    "type": "record",
    "name": "Bad",
    "namespace": "shop.events",
    "fields": [{"name": "x", "type": ["null", "long"], "default": 0}],
}
"""A union default on the wrong branch: fastavro accepts it, a Java registry refuses it."""


@pytest.mark.parametrize(
    "schema", [BAD_DEFAULT, json.dumps(BAD_DEFAULT)], ids=["dict", "schema-text"]
)
async def test_a_schema_breaking_a_house_rule_is_refused_before_the_registry_sees_it(
    http_registry: SchemaRegistryClient, schema: dict[str, object] | str
) -> None:
    subject = "shop.events.Bad"
    with pytest.raises(SchemaRuleError) as raised:
        await http_registry.register(schema, subject)
    message = str(raised.value)
    assert "schema for subject 'shop.events.Bad' refused before registering" in message
    assert "field 'x' of record shop.events.Bad: default 0 does not match" in message
    assert isinstance(raised.value, InvalidSchemaError)
    with pytest.raises(SchemaRuleError, match=r"field 'x' of record shop\.events\.Bad"):
        await http_registry.check_compatibility(schema, subject)
    with pytest.raises(SchemaNotFoundError):
        await http_registry.lookup(OrderV1, subject)


async def test_schema_text_that_is_not_json_is_refused_naming_the_subject(
    http_registry: SchemaRegistryClient,
) -> None:
    with pytest.raises(
        InvalidSchemaError, match=r"schema for subject 'shop\.events\.Bad' is not JSON"
    ):
        await http_registry.register("{not json", "shop.events.Bad")


async def test_an_unreachable_registry_is_an_error_naming_its_url(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}"
    async with SchemaRegistryClient(url, timeout=2.0) as client:
        with pytest.raises(SchemaRegistryError, match=f"cannot reach the Schema Registry at {url}"):
            await client.get_schema(1)


async def test_basic_auth_credentials_are_sent_and_a_refusal_names_url_and_status() -> None:
    seen: list[str] = []

    def registry(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(
            401,
            json={"error_code": 40101, "message": "Unauthorized"},
            headers={"content-type": "application/vnd.schemaregistry.v1+json"},
        )

    client = SchemaRegistryClient("https://registry.example", username="key", password="secret")
    # Swap only the transport, keeping the auth the client configured itself.
    client._http._transport = httpx.MockTransport(registry)
    async with client:
        with pytest.raises(SchemaRegistryError) as raised:
            await client.get_schema(1)
    assert seen == ["Basic " + base64.b64encode(b"key:secret").decode()]
    assert raised.value.status_code == 401
    assert "https://registry.example answered HTTP 401 (40101: Unauthorized)" in str(raised.value)


async def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_shown() -> None:
    seen: list[str] = []

    def registry(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(404, text="<html>Not Found</html>")

    client = SchemaRegistryClient("https://key:s%40cret@registry.example/apis/ccompat/v7")
    client._http._transport = httpx.MockTransport(registry)
    async with client:
        with pytest.raises(SchemaRegistryError) as raised:
            await client.get_schema(1)
    assert seen == ["Basic " + base64.b64encode(b"key:s@cret").decode()]
    assert client.url == "https://registry.example/apis/ccompat/v7"
    assert "cret" not in str(raised.value)


async def test_the_base_urls_path_is_kept_in_every_request() -> None:
    # A registry can live under a path (Apicurio serves Confluent's API at /apis/ccompat/v7).
    paths: list[str] = []
    schema = {"type": "record", "name": "Paid", "fields": []}

    def registry(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return httpx.Response(200, json={"schema": json.dumps(schema)})

    async with httpx.AsyncClient(transport=httpx.MockTransport(registry)) as http:
        client = SchemaRegistryClient("http://registry.example/apis/ccompat/v7/", http_client=http)
        assert await client.get_schema(1) == schema
    assert paths == ["/apis/ccompat/v7/schemas/ids/1"]


async def test_a_404_without_the_registrys_error_code_is_a_fault_not_a_missing_schema() -> None:
    # A wrong path or a server that is no registry: a consumer must not conclude the schema
    # is gone (and dead-letter the message) from a page that says nothing about schemas.
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda _: httpx.Response(404, text="Not Found"))
    ) as http:
        client = SchemaRegistryClient("http://registry.example/wrong", http_client=http)
        with pytest.raises(SchemaRegistryError) as raised:
            await client.get_schema(1)
    assert type(raised.value) is SchemaRegistryError
    assert (
        str(raised.value)
        == "the Schema Registry at http://registry.example/wrong answered HTTP 404"
    )


def test_settings_move_credentials_out_of_the_url() -> None:
    settings = SchemaRegistrySettings.model_validate(
        {"url": "https://key:hunter2@registry.example:8081"}
    )
    assert str(settings.url) == "https://registry.example:8081/"
    assert settings.username == "key"
    assert settings.password is not None
    assert settings.password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings)


def test_settings_refuse_credentials_in_the_url_and_the_variables() -> None:
    with pytest.raises(ValidationError, match="not both") as caught:
        SchemaRegistrySettings.model_validate(
            {"url": "https://key:hunter2@registry.example", "username": "k", "password": "p"}
        )
    assert "hunter2" not in str(caught.value)


def test_settings_refuse_a_timeout_that_is_not_positive() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        SchemaRegistrySettings.model_validate({"timeout": 0})


def test_credentials_come_in_pairs() -> None:
    with pytest.raises(ValueError, match="both username and password"):
        SchemaRegistryClient("http://127.0.0.1:8081", username="only-me")


def test_a_ca_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SchemaRegistryClient("https://registry.example", ca_file=tmp_path / "missing.pem")


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not read until a TLS connection is made")
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", "https://registry.example:8081")
    monkeypatch.setenv("SCHEMA_REGISTRY_USERNAME", "key")
    monkeypatch.setenv("SCHEMA_REGISTRY_PASSWORD", "secret")
    monkeypatch.setenv("SCHEMA_REGISTRY_CA_FILE", str(ca))
    settings = SchemaRegistrySettings()
    assert str(settings.url) == "https://registry.example:8081/"
    assert settings.password is not None
    assert settings.password.get_secret_value() == "secret"
    assert "secret" not in repr(settings)
    assert settings.ca_file == ca


def test_settings_refuse_half_a_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMA_REGISTRY_USERNAME", "key")
    with pytest.raises(ValueError, match="SCHEMA_REGISTRY_PASSWORD"):
        SchemaRegistrySettings()


def test_settings_errors_never_echo_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMA_REGISTRY_PASSWORD", "hunter2")
    with pytest.raises(ValidationError, match="SCHEMA_REGISTRY_USERNAME") as caught:
        SchemaRegistrySettings()
    assert "hunter2" not in str(caught.value)


async def test_settings_make_a_working_client(
    schema_registry_url: str, http_registry: SchemaRegistryClient
) -> None:
    registered = await http_registry.register(Paid, "shop.events.Paid")
    settings = SchemaRegistrySettings.model_validate({"url": schema_registry_url})
    async with settings.make_client() as client:
        schema = await client.get_schema(registered.id)
    assert schema == avro_schema(Paid)


async def test_a_registry_without_the_all_versions_check_is_asked_about_the_latest() -> None:
    paths: list[str] = []

    def older_registry(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith("/versions"):
            return httpx.Response(404, text="Not Found")  # no route, no registry error code
        return httpx.Response(
            200,
            json={"is_compatible": False, "messages": ["field 'due' has no default"]},
            headers={"content-type": "application/vnd.schemaregistry.v1+json"},
        )

    http = httpx.AsyncClient(transport=httpx.MockTransport(older_registry))
    async with http, SchemaRegistryClient("http://registry", http_client=http) as client:
        report = await client.check_compatibility(OrderV1, SUBJECT)
    assert paths == [
        "/compatibility/subjects/shop.events.Order/versions",
        "/compatibility/subjects/shop.events.Order/versions/latest",
    ]
    assert not report.compatible
    assert report.messages == ["field 'due' has no default"]
