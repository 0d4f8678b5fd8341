"""Third-party Schema Registry clients against the embedded registry, over HTTP.

confluent-kafka's ``SchemaRegistryClient`` with ``AvroSerializer``/``AvroDeserializer``,
python-schema-registry-client and kafkit's ``RegistryApi`` each register, look up, get by id,
list versions, test compatibility, set config and delete (soft, then hard), and see the
results and error codes Confluent's registry gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from confluent_kafka.schema_registry import (
    Schema,
    SchemaReference,
    SchemaRegistryClient,
    SchemaRegistryError,
)
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from kafkit.registry import RegistryBadRequestError
from kafkit.registry.httpx import RegistryApi
from octobus_devstack.pytest_plugin import DevStackSession
from schema_registry.client import AsyncSchemaRegistryClient as PsrcAsyncClient
from schema_registry.client import SchemaRegistryClient as PsrcClient
from schema_registry.client import schema as psrc_schema
from schema_registry.client.errors import ClientError as PsrcClientError

from .support.devstack_schemas import field, record

ORDER_V1 = record("Order", field("id", "long"), field("total", "double"))
ORDER_V2 = record(
    "Order", field("id", "long"), field("total", "double"), field("note", "string", default="")
)
ORDER_BAD = record("Order", field("id", "string"), field("total", "double"))


@pytest.fixture
def confluent(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> Iterator[SchemaRegistryClient]:
    client = SchemaRegistryClient({"url": schema_registry_url})
    yield client
    client.close()


def test_confluent_client_full_lifecycle(confluent: SchemaRegistryClient) -> None:
    first = confluent.register_schema("orders-value", Schema(ORDER_V1, "AVRO"))
    second = confluent.register_schema("orders-value", Schema(ORDER_V2, "AVRO"))
    assert second == first + 1
    assert confluent.get_subjects() == ["orders-value"]
    assert confluent.get_versions("orders-value") == [1, 2]
    latest = confluent.get_latest_version("orders-value")
    assert (latest.schema_id, latest.version, latest.subject) == (second, 2, "orders-value")
    assert json.loads(confluent.get_schema(first).schema_str or "") == json.loads(ORDER_V1)
    assert confluent.get_schema(first).schema_type == "AVRO"
    found = confluent.lookup_schema("orders-value", Schema(ORDER_V1, "AVRO"))
    assert (found.schema_id, found.version) == (first, 1)
    assert confluent.get_version("orders-value", 1).schema_id == first
    assert confluent.test_compatibility("orders-value", Schema(ORDER_V2, "AVRO"), verbose=True)
    assert not confluent.test_compatibility("orders-value", Schema(ORDER_BAD, "AVRO"))
    assert confluent.test_compatibility_all_versions("orders-value", Schema(ORDER_V2, "AVRO"))
    # the client hands back the response body, as against Confluent
    answer: object = confluent.set_compatibility("orders-value", "FULL_TRANSITIVE")
    assert answer == {"compatibility": "FULL_TRANSITIVE"}
    assert confluent.get_compatibility("orders-value") == "FULL_TRANSITIVE"
    assert confluent.get_compatibility() == "BACKWARD"
    assert confluent.delete_version("orders-value", 2) == 2
    assert confluent.get_versions("orders-value") == [1]
    assert confluent.delete_subject("orders-value") == [1]
    assert confluent.delete_subject("orders-value", permanent=True) == [1, 2]
    assert confluent.get_subjects() == []


def test_confluent_client_sees_confluents_error_codes(confluent: SchemaRegistryClient) -> None:
    confluent.register_schema("orders-value", Schema(ORDER_V1, "AVRO"))
    cases: list[tuple[Callable[[], object], int, int]] = [
        (lambda: confluent.register_schema("orders-value", Schema(ORDER_BAD, "AVRO")), 409, 409),
        (lambda: confluent.get_schema(999), 404, 40403),
        (lambda: confluent.get_versions("missing"), 404, 40401),
        (lambda: confluent.get_version("orders-value", 7), 404, 40402),
        (
            lambda: confluent.register_schema(
                "x", Schema('{"type":"record","name":"R","fields":[{"name":"f","type":"strin"}]}')
            ),
            422,
            42201,
        ),
        (lambda: confluent.set_compatibility("orders-value", "SIDEWAYS"), 422, 42203),
        (lambda: confluent.delete_subject("orders-value", permanent=True), 404, 40405),
    ]
    for call, status, error_code in cases:
        with pytest.raises(SchemaRegistryError) as raised:
            call()
        assert (raised.value.http_status_code, raised.value.error_code) == (status, error_code)


def test_confluent_avro_serializer_round_trips_through_the_registry(
    confluent: SchemaRegistryClient, schema_registry_url: str
) -> None:
    serializer = AvroSerializer(confluent, ORDER_V2, conf={"auto.register.schemas": True})
    deserializer = AvroDeserializer(confluent)
    context = SerializationContext("orders", MessageField.VALUE)
    payload = serializer({"id": 7, "total": 12.5, "note": "gift"}, context)
    assert payload is not None
    schema_id = int.from_bytes(payload[1:5], "big")
    assert payload[0] == 0
    assert confluent.get_versions("orders-value") == [1]
    assert confluent.get_latest_version("orders-value").schema_id == schema_id
    # a reader with a fresh client fetches the writer schema by id over HTTP
    fresh_client = SchemaRegistryClient({"url": schema_registry_url})
    try:
        reader = AvroDeserializer(fresh_client)
        assert reader(payload, context) == {"id": 7, "total": 12.5, "note": "gift"}
    finally:
        fresh_client.close()
    assert deserializer(payload, context) == {"id": 7, "total": 12.5, "note": "gift"}


def test_python_schema_registry_client_full_lifecycle(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> None:
    client = PsrcClient(url=schema_registry_url)
    v1 = psrc_schema.AvroSchema(json.loads(ORDER_V1))
    v2 = psrc_schema.AvroSchema(json.loads(ORDER_V2))
    first = client.register("orders-value", v1)
    assert client.register("orders-value", v1) == first
    second = client.register("orders-value", v2)
    assert second == first + 1
    fetched = client.get_by_id(first)
    assert fetched is not None
    assert fetched.raw_schema == json.loads(ORDER_V1)
    assert client.get_versions("orders-value") == [1, 2]
    version = client.get_schema("orders-value", "latest")
    assert version is not None
    assert (version.schema_id, version.version) == (second, 2)
    checked = client.check_version("orders-value", v1)
    assert checked is not None
    assert (checked.schema_id, checked.version) == (first, 1)
    verbose = client.test_compatibility("orders-value", json.loads(ORDER_BAD), verbose=True)
    assert isinstance(verbose, dict)
    assert verbose["is_compatible"] is False
    assert any("TYPE_MISMATCH" in message for message in verbose["messages"])
    assert client.test_compatibility("orders-value", json.loads(ORDER_V2)) is True
    assert client.update_compatibility("NONE", "orders-value")
    assert client.get_compatibility("orders-value") == "NONE"
    uses = client.get_schema_subject_versions(first)
    assert uses is not None
    assert [(use.subject, use.version) for use in uses] == [("orders-value", 1)]
    assert client.delete_version("orders-value", 1) == 1
    assert client.delete_subject("orders-value") == [2]
    assert client.get_subjects() == []
    assert client.get_by_id(999) is None
    # the client has no permanent flag: its own request() sends the hard delete
    url, method = client.url_manager.url_for("delete_subject", subject="orders-value")
    hard = client.request(url, method=method, params={"permanent": "true"})
    assert (hard.status_code, hard.json()) == (200, [1, 2])
    # (a fresh client: this one caches schemas by id)
    assert PsrcClient(url=schema_registry_url).get_by_id(first) is None
    # and a subject that is gone is a 404 the client turns into "nothing deleted"
    assert client.delete_subject("orders-value") == []


def test_python_schema_registry_client_sees_confluents_error_codes(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> None:
    client = PsrcClient(url=schema_registry_url)
    client.register("orders-value", psrc_schema.AvroSchema(json.loads(ORDER_V1)))
    with pytest.raises(PsrcClientError) as incompatible:
        client.register("orders-value", psrc_schema.AvroSchema(json.loads(ORDER_BAD)))
    assert incompatible.value.http_code == 409
    assert incompatible.value.server_traceback["error_code"] == 409  # type: ignore[index]
    with pytest.raises(PsrcClientError) as no_subject_level:
        client.get_compatibility("orders-value")
    assert no_subject_level.value.http_code == 404
    assert no_subject_level.value.server_traceback["error_code"] == 40408  # type: ignore[index]
    url, method = client.url_manager.url_for("delete_subject", subject="orders-value")
    live = client.request(url, method=method, params={"permanent": "true"})
    assert (live.status_code, live.json()["error_code"]) == (404, 40405)
    # the client maps 404s (40402, 40401, 40403) to False and None
    assert client.test_compatibility("orders-value", json.loads(ORDER_V2), version=9) is False
    assert client.get_schema("missing", "latest") is None
    assert client.get_by_id(999) is None


async def test_python_schema_registry_async_client_registers_and_reads(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> None:
    client = PsrcAsyncClient(url=schema_registry_url)
    schema_id = await client.register("orders-value", psrc_schema.AvroSchema(json.loads(ORDER_V1)))
    fetched = await client.get_by_id(schema_id)
    assert fetched is not None
    assert fetched.raw_schema == json.loads(ORDER_V1)


async def test_kafkit_registry_api_full_lifecycle(
    schema_registry_url: str, devstack_reset: DevStackSession
) -> None:
    async with httpx.AsyncClient() as http:
        api = RegistryApi(http_client=http, url=schema_registry_url)
        first = await api.register_schema(json.loads(ORDER_V1), subject="orders-value")
        second = await api.register_schema(json.loads(ORDER_V2), subject="orders-value")
        assert second == first + 1
        fresh = RegistryApi(http_client=http, url=schema_registry_url)
        assert (await fresh.get_schema_by_id(first))["name"] == "octobus.test.Order"
        latest = await fresh.get_schema_by_subject("orders-value")
        assert (latest["id"], latest["version"]) == (second, 2)
        assert await api.get("/subjects{/s}/versions", url_vars={"s": "orders-value"}) == [1, 2]
        lookup = await api.post(
            "/subjects{/s}", url_vars={"s": "orders-value"}, data={"schema": ORDER_V1}
        )
        assert (lookup["id"], lookup["version"]) == (first, 1)
        verdict = await api.post(
            "/compatibility/subjects{/s}/versions/latest?verbose=true",
            url_vars={"s": "orders-value"},
            data={"schema": ORDER_BAD},
        )
        assert verdict["is_compatible"] is False
        assert verdict["messages"]
        assert await api.put(
            "/config{/s}", url_vars={"s": "orders-value"}, data={"compatibility": "FULL"}
        ) == {"compatibility": "FULL"}
        assert await api.get("/config{/s}", url_vars={"s": "orders-value"}) == {
            "compatibilityLevel": "FULL"
        }
        with pytest.raises(RegistryBadRequestError) as raised:
            await api.post(
                "/subjects{/s}/versions", url_vars={"s": "orders-value"}, data={"schema": ORDER_BAD}
            )
        assert (raised.value.status_code, raised.value.error_code) == (409, 409)
        with pytest.raises(RegistryBadRequestError) as missing:
            await fresh.get_schema_by_id(999)
        assert (missing.value.status_code, missing.value.error_code) == (404, 40403)
        assert await api.delete("/subjects{/s}", url_vars={"s": "orders-value"}) == [1, 2]
        assert await api.delete("/subjects{/s}?permanent=true", url_vars={"s": "orders-value"}) == [
            1,
            2,
        ]
        assert await api.get("/subjects") == []


def test_confluent_serializer_resolves_schema_references(
    confluent: SchemaRegistryClient, schema_registry_url: str
) -> None:
    address = record("Address", field("street", "string"))
    confluent.register_schema("octobus.test.Address", Schema(address, "AVRO"))
    customer = record("Customer", field("name", "string"), field("address", "octobus.test.Address"))
    reference = SchemaReference("octobus.test.Address", "octobus.test.Address", 1)
    schema_id = confluent.register_schema("customers-value", Schema(customer, "AVRO", [reference]))
    fetched = confluent.get_schema(schema_id)
    assert [(r.name, r.subject, r.version) for r in fetched.references or []] == [
        ("octobus.test.Address", "octobus.test.Address", 1)
    ]
    serializer = AvroSerializer(
        confluent,
        Schema(customer, "AVRO", [reference]),
        conf={"auto.register.schemas": False, "use.latest.version": True},
    )
    context = SerializationContext("customers", MessageField.VALUE)
    value = {"name": "Ada", "address": {"street": "1 Loop Road"}}
    payload = serializer(value, context)
    assert payload is not None
    assert int.from_bytes(payload[1:5], "big") == schema_id
    reader_client = SchemaRegistryClient({"url": schema_registry_url})
    try:
        assert AvroDeserializer(reader_client)(payload, context) == value
    finally:
        reader_client.close()
