"""The read-only routes: topic catalog, liveness, readiness, OpenAPI and AsyncAPI."""

from __future__ import annotations

import httpx
from octobus.config import Settings
from octobus_schemas.api.client import HttpxGatewayClient
from octobus_schemas.avro import SchemaRegistryClient
from octobus_schemas.topics import all_topics


async def test_topic_catalog_names_every_topic_with_its_registered_schema(
    gateway: HttpxGatewayClient, gateway_settings: Settings, schema_registry_url: str
) -> None:
    catalog = await gateway.topics()

    specs = all_topics(gateway_settings.topic_prefix)
    assert [info.topic for info in catalog.topics] == [spec.name for spec in specs]
    async with SchemaRegistryClient(schema_registry_url) as registry:
        for info, spec in zip(catalog.topics, specs, strict=True):
            assert info.record == spec.model.get_fullname()
            assert info.subject == f"{info.record}{gateway_settings.subject_suffix}"
            assert info.github_event == spec.github_event
            registered = await registry.lookup(spec.model, info.subject)
            assert (info.schema_id, info.version) == (registered.id, registered.version)
            assert await registry.get_compatibility(info.subject) == "FULL_TRANSITIVE"


async def test_liveness_and_readiness(gateway: HttpxGatewayClient) -> None:
    alive = await gateway.health()
    ready = await gateway.ready()

    assert alive.ok
    assert alive.dependencies == {}
    assert ready.ok
    assert set(ready.dependencies) == {"kafka", "schema_registry"}
    assert all(status.status == "ok" for status in ready.dependencies.values())


async def test_openapi_documents_the_webhook_route(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        document = (await http.get("/openapi.json")).json()
        docs_page = await http.get("/docs")

    assert docs_page.status_code == 200
    webhook = document["paths"]["/webhooks/github"]["post"]
    assert set(webhook["responses"]) == {
        *("200", "202", "400", "401", "408", "409", "413", "415", "503")
    }
    # The trailing-slash form is served, not documented as a second endpoint.
    assert "/webhooks/github/" not in document["paths"]
    assert {parameter["name"] for parameter in webhook["parameters"]} == {
        "X-Hub-Signature-256",
        "X-GitHub-Event",
        "X-GitHub-Delivery",
        "X-GitHub-Hook-ID",
    }
    assert set(webhook["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
    }


async def test_asyncapi_document_describes_every_topic(
    gateway_url: str, gateway_settings: Settings
) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        document = (await http.get("/asyncapi.json")).json()
        viewer = await http.get("/asyncapi")

    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {spec.name for spec in all_topics(gateway_settings.topic_prefix)}
    schemas = document["components"]["schemas"]
    assert "PushEvent" in schemas
    assert "payload_json" in schemas["RawGitHubEvent"]["properties"]
    assert viewer.status_code == 200
    assert "AsyncApiStandalone" in viewer.text
