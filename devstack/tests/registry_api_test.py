"""The registry's REST contract, spoken to in-process through httpx's ASGI transport.

Each test states one rule of Confluent's Schema Registry that a client relies on.
"""

from __future__ import annotations

import json

import httpx
import pytest

from .support.devstack_schemas import V1_JSON, field, record, register, registered_id

USER_V1 = record("User", field("id", "long"))
USER_V2 = record("User", field("id", "long"), field("name", "string", default=""))


async def test_root_answers_an_empty_object_with_the_registry_content_type(
    registry: httpx.AsyncClient,
) -> None:
    response = await registry.get("/")
    assert response.json() == {}
    assert response.headers["content-type"] == V1_JSON


async def test_a_client_asking_for_plain_json_gets_plain_json(registry: httpx.AsyncClient) -> None:
    response = await registry.get("/config", headers={"Accept": "application/json"})
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "content_type",
    [
        V1_JSON,
        "application/vnd.schemaregistry+json",
        "application/json",
        "application/octet-stream",
        "application/json; charset=utf-8",
    ],
)
async def test_every_confluent_request_content_type_is_accepted(
    registry: httpx.AsyncClient, content_type: str
) -> None:
    response = await registry.post(
        "/subjects/s/versions",
        content=json.dumps({"schema": USER_V1}),
        headers={"Content-Type": content_type},
    )
    assert response.json() == {"id": 1}


async def test_an_unknown_request_content_type_is_refused_with_415(
    registry: httpx.AsyncClient,
) -> None:
    response = await registry.post(
        "/subjects/s/versions",
        content=json.dumps({"schema": USER_V1}),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json()["error_code"] == 415


async def test_ids_start_at_one_and_grow_by_one(registry: httpx.AsyncClient) -> None:
    first = await registered_id(registry, "a", USER_V1)
    second = await registered_id(registry, "b", record("Other", field("x", "int")))
    assert (first, second) == (1, 2)


async def test_the_same_schema_under_two_subjects_has_one_id(registry: httpx.AsyncClient) -> None:
    assert await registered_id(registry, "a", USER_V1) == await registered_id(
        registry, "b", USER_V1
    )


@pytest.mark.parametrize(
    "spelling",
    [
        # whitespace and key order
        '{ "fields": [ {"type": "long", "name": "id"} ], "name": "User",'
        ' "namespace": "octobus.test", "type": "record" }',
        # the full name in "name" instead of a namespace
        '{"type": "record", "name": "octobus.test.User",'
        ' "fields": [{"name": "id", "type": "long"}]}',
        # a primitive written as an object
        '{"type": "record", "name": "User", "namespace": "octobus.test",'
        ' "fields": [{"name": "id", "type": {"type": "long"}}]}',
    ],
)
async def test_spelling_never_changes_a_schemas_identity(
    registry: httpx.AsyncClient, spelling: str
) -> None:
    first = await registered_id(registry, "s", USER_V1)
    assert await registered_id(registry, "s", spelling) == first
    assert (await registry.get("/subjects/s/versions")).json() == [1]


@pytest.mark.parametrize(
    "different",
    [
        record("User", field("id", {"type": "long", "logicalType": "timestamp-millis"})),
        record("User", field("id", "long", default=0)),
        record("User", field("id", "long", doc="the user id")),
        record("User", field("id", "long"), namespace="octobus.other"),
    ],
    ids=["logicalType", "default", "doc", "namespace"],
)
async def test_what_parsing_canonical_form_drops_still_makes_a_new_schema(
    registry: httpx.AsyncClient, different: str
) -> None:
    await registry.put("/config/s", json={"compatibility": "NONE"})
    first = await registered_id(registry, "s", USER_V1)
    assert await registered_id(registry, "s", different) == first + 1


async def test_registering_a_live_schema_again_returns_its_id_without_a_new_version(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    assert await registered_id(registry, "s", USER_V1) == 1
    assert (await registry.get("/subjects/s/versions")).json() == [1, 2]


async def test_get_by_id_returns_the_schema_without_schema_type_for_avro(
    registry: httpx.AsyncClient,
) -> None:
    schema_id = await registered_id(registry, "s", USER_V1)
    body = (await registry.get(f"/schemas/ids/{schema_id}")).json()
    assert body == {
        "schema": '{"type":"record","name":"User","namespace":"octobus.test",'
        '"fields":[{"name":"id","type":"long"}]}'
    }
    assert json.loads(body["schema"]) == json.loads(USER_V1)


async def test_schema_type_avro_may_be_sent_explicitly(registry: httpx.AsyncClient) -> None:
    response = await register(registry, "s", USER_V1, schemaType="AVRO")
    assert response.json() == {"id": 1}


async def test_versions_endpoints_describe_the_subject(registry: httpx.AsyncClient) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    latest = (await registry.get("/subjects/s/versions/latest")).json()
    assert latest == {
        "subject": "s",
        "version": 2,
        "id": 2,
        "schema": latest["schema"],
    }
    assert (await registry.get("/subjects/s/versions/-1")).json() == latest
    assert (await registry.get("/subjects/s/versions/1")).json()["id"] == 1
    raw = await registry.get("/subjects/s/versions/1/schema")
    assert raw.json() == json.loads(USER_V1)
    assert (await registry.get("/schemas/ids/2/versions")).json() == [
        {"subject": "s", "version": 2}
    ]
    assert (await registry.get("/schemas/ids/2/subjects")).json() == ["s"]
    assert (await registry.get("/schemas/types")).json() == ["AVRO"]
    assert (await registry.get("/subjects")).json() == ["s"]


async def test_schemas_lists_every_subject_version_filtered_and_paged(
    registry: httpx.AsyncClient,
) -> None:
    first = await registered_id(registry, "orders", USER_V1)
    second = await registered_id(registry, "orders", USER_V2)
    other = await registered_id(registry, "payments", '"string"')
    await registered_id(registry, "gone", '"int"')
    await registry.delete("/subjects/gone")
    listed = (await registry.get("/schemas")).json()
    assert [(s["subject"], s["version"], s["id"]) for s in listed] == [
        ("orders", 1, first),
        ("orders", 2, second),
        ("payments", 1, other),
    ]
    # each entry is what GET /subjects/{s}/versions/{v} answers
    assert listed[1] == (await registry.get("/subjects/orders/versions/2")).json()
    latest = (await registry.get("/schemas?latestOnly=true")).json()
    assert [(s["subject"], s["version"]) for s in latest] == [("orders", 2), ("payments", 1)]
    prefixed = (await registry.get("/schemas?subjectPrefix=pay")).json()
    assert [s["subject"] for s in prefixed] == ["payments"]
    with_deleted = (await registry.get("/schemas?deleted=true")).json()
    assert [s["subject"] for s in with_deleted] == ["gone", "orders", "orders", "payments"]
    page = (await registry.get("/schemas?offset=1&limit=1")).json()
    assert [(s["subject"], s["version"]) for s in page] == [("orders", 2)]


async def test_lookup_finds_the_version_holding_a_schema(registry: httpx.AsyncClient) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    response = await registry.post("/subjects/s", json={"schema": USER_V2})
    body = response.json()
    assert (body["subject"], body["id"], body["version"]) == ("s", 2, 2)
    missing = await registry.post(
        "/subjects/s", json={"schema": record("Other", field("x", "int"))}
    )
    assert (missing.status_code, missing.json()["error_code"]) == (404, 40403)
    unknown = await registry.post("/subjects/nobody", json={"schema": USER_V1})
    assert (unknown.status_code, unknown.json()["error_code"]) == (404, 40401)


async def test_a_subject_with_a_slash_is_routed_on_the_raw_path(
    registry: httpx.AsyncClient,
) -> None:
    assert await registered_id(registry, "team%2Fusers-value", USER_V1) == 1
    assert (await registry.get("/subjects")).json() == ["team/users-value"]
    version = (await registry.get("/subjects/team%2Fusers-value/versions/1")).json()
    assert version["subject"] == "team/users-value"


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE"])
async def test_boolean_query_parameters_accept_any_case_of_true(
    registry: httpx.AsyncClient, spelling: str
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registry.delete("/subjects/s")
    response = await registry.get(f"/subjects?deleted={spelling}")
    assert response.json() == ["s"]
    assert (await registry.get("/subjects?deleted=False")).json() == []


async def test_soft_delete_hides_a_version_keeps_its_id_readable_and_never_reuses_its_number(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    assert (await registry.delete("/subjects/s/versions/2")).json() == 2
    assert (await registry.get("/subjects/s/versions")).json() == [1]
    assert (await registry.get("/subjects/s/versions?deleted=true")).json() == [1, 2]
    assert (await registry.get("/schemas/ids/2")).status_code == 200
    gone = await registry.get("/subjects/s/versions/2")
    assert gone.json()["error_code"] == 40402
    assert (await registry.get("/subjects/s/versions/2?deleted=true")).json()["id"] == 2
    user_v3 = record("User", field("id", "long"), field("n", "int", default=1))
    await registered_id(registry, "s", user_v3)
    assert (await registry.get("/subjects/s/versions")).json() == [1, 3]


async def test_soft_deleting_twice_and_hard_deleting_first_are_refused(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    hard_first = await registry.delete("/subjects/s/versions/1?permanent=true")
    assert (hard_first.status_code, hard_first.json()["error_code"]) == (404, 40407)
    await registry.delete("/subjects/s/versions/1")
    again = await registry.delete("/subjects/s/versions/1")
    assert (again.status_code, again.json()["error_code"]) == (404, 40401)
    await registered_id(registry, "t", USER_V1)
    await registered_id(registry, "t", USER_V2)
    await registry.delete("/subjects/t/versions/2")
    twice = await registry.delete("/subjects/t/versions/2")
    assert (twice.status_code, twice.json()["error_code"]) == (404, 40406)


async def test_subject_delete_soft_then_hard(registry: httpx.AsyncClient) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    hard_first = await registry.delete("/subjects/s?permanent=true")
    assert (hard_first.status_code, hard_first.json()["error_code"]) == (404, 40405)
    assert (await registry.delete("/subjects/s")).json() == [1, 2]
    again = await registry.delete("/subjects/s")
    assert (again.status_code, again.json()["error_code"]) == (404, 40404)
    assert (await registry.get("/subjects/s/versions")).json()["error_code"] == 40401
    assert (await registry.get("/schemas/ids/1")).status_code == 200
    assert (await registry.delete("/subjects/s?permanent=true")).json() == [1, 2]
    assert (await registry.get("/schemas/ids/1")).json()["error_code"] == 40403
    assert (await registry.get("/subjects?deleted=true")).json() == []


async def test_registering_into_a_soft_deleted_subject_continues_its_versions(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registry.delete("/subjects/s")
    assert await registered_id(registry, "s", USER_V1) == 1
    assert (await registry.get("/subjects/s/versions")).json() == [2]


async def test_a_schema_whose_every_use_was_hard_deleted_gets_a_new_id(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registry.delete("/subjects/s")
    await registry.delete("/subjects/s?permanent=true")
    assert await registered_id(registry, "s", USER_V1) == 2
    assert (await registry.get("/subjects/s/versions")).json() == [1]


async def test_hard_deleting_the_newest_versions_frees_their_numbers(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    await registry.delete("/subjects/s/versions/2")
    await registry.delete("/subjects/s/versions/2?permanent=true")
    user_v3 = record("User", field("id", "long"), field("n", "int", default=1))
    await registered_id(registry, "s", user_v3)
    assert (await registry.get("/subjects/s/versions")).json() == [1, 2]


async def test_config_global_and_per_subject(registry: httpx.AsyncClient) -> None:
    assert (await registry.get("/config")).json() == {"compatibilityLevel": "BACKWARD"}
    put = await registry.put("/config", json={"compatibility": "full_transitive"})
    assert put.json() == {"compatibility": "FULL_TRANSITIVE"}
    assert (await registry.get("/config")).json() == {"compatibilityLevel": "FULL_TRANSITIVE"}
    missing = await registry.get("/config/s")
    assert (missing.status_code, missing.json()["error_code"]) == (404, 40408)
    fallback = await registry.get("/config/s?defaultToGlobal=true")
    assert fallback.json() == {"compatibilityLevel": "FULL_TRANSITIVE"}
    await registry.put("/config/s", json={"compatibility": "NONE"})
    assert (await registry.get("/config/s")).json() == {"compatibilityLevel": "NONE"}
    assert (await registry.delete("/config/s")).json() == {"compatibilityLevel": "NONE"}
    again = await registry.delete("/config/s")
    assert (again.status_code, again.json()["error_code"]) == (404, 40401)


async def test_a_subject_level_config_overrides_the_global_one(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    incompatible = record("User", field("id", "string"))
    assert (await register(registry, "s", incompatible)).status_code == 409
    await registry.put("/config/s", json={"compatibility": "NONE"})
    assert (await register(registry, "s", incompatible)).status_code == 200


async def test_an_incompatible_schema_is_refused_with_409_naming_the_field(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    response = await register(registry, "s", record("User", field("id", "long"), field("x", "int")))
    assert response.status_code == 409
    body = response.json()
    assert body["error_code"] == 409
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in body["message"]
    assert "'x'" in body["message"]


async def test_compatibility_endpoint_with_and_without_verbose(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    bad = {"schema": record("User", field("id", "string"))}
    quiet = await registry.post("/compatibility/subjects/s/versions/latest", json=bad)
    assert quiet.json() == {"is_compatible": False}
    verbose = await registry.post(
        "/compatibility/subjects/s/versions/latest?verbose=true", json=bad
    )
    messages = verbose.json()["messages"]
    assert verbose.json()["is_compatible"] is False
    assert messages[0].startswith("{errorType:'TYPE_MISMATCH'")
    assert "{oldSchemaVersion: 1}" in messages
    assert "{validateFields: 'false', compatibility: 'BACKWARD'}" in messages
    good = await registry.post(
        "/compatibility/subjects/s/versions?verbose=true", json={"schema": USER_V2}
    )
    assert good.json() == {"is_compatible": True, "messages": []}
    fresh = await registry.post("/compatibility/subjects/new/versions", json={"schema": USER_V2})
    assert fresh.json() == {"is_compatible": True}


async def test_compatibility_against_latest_of_a_subject_without_live_versions_is_true(
    registry: httpx.AsyncClient,
) -> None:
    # Confluent 7.x checks against an empty list then (confluentinc/schema-registry#2624)
    unknown = await registry.post(
        "/compatibility/subjects/new/versions/latest?verbose=true", json={"schema": USER_V2}
    )
    assert unknown.json() == {"is_compatible": True, "messages": []}
    await registered_id(registry, "s", USER_V1)
    await registry.delete("/subjects/s")
    emptied = await registry.post(
        "/compatibility/subjects/s/versions/latest", json={"schema": USER_V2}
    )
    assert emptied.json() == {"is_compatible": True}
    soft_deleted = await registry.post(
        "/compatibility/subjects/s/versions/1", json={"schema": USER_V2}
    )
    assert (soft_deleted.status_code, soft_deleted.json()["error_code"]) == (404, 40402)


async def test_latest_is_checked_alone_even_at_a_transitive_level(
    registry: httpx.AsyncClient,
) -> None:
    await registry.put("/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    await registered_id(registry, "s", USER_V1)
    await registered_id(registry, "s", USER_V2)
    # reads v2's data but not v1's: "latest" names one version, "/versions" all of them
    needs_name = {"schema": record("User", field("id", "long"), field("name", "string"))}
    latest = await registry.post("/compatibility/subjects/s/versions/latest", json=needs_name)
    every = await registry.post("/compatibility/subjects/s/versions", json=needs_name)
    assert (latest.json(), every.json()) == ({"is_compatible": True}, {"is_compatible": False})


async def test_verbose_compatibility_answers_an_invalid_schema_with_its_reason(
    registry: httpx.AsyncClient,
) -> None:
    # Confluent turns the parse error into the verbose messages; without verbose it is 42201
    await registered_id(registry, "s", USER_V1)
    invalid = {"schema": record("User", field("id", "string", default=None))}
    verbose = await registry.post(
        "/compatibility/subjects/s/versions/latest?verbose=true", json=invalid
    )
    assert verbose.status_code == 200
    assert verbose.json()["is_compatible"] is False
    assert "'id'" in verbose.json()["messages"][0]
    quiet = await registry.post("/compatibility/subjects/s/versions/latest", json=invalid)
    assert (quiet.status_code, quiet.json()["error_code"]) == (422, 42201)


async def test_mode_readonly_refuses_registration_with_42205(registry: httpx.AsyncClient) -> None:
    assert (await registry.get("/mode")).json() == {"mode": "READWRITE"}
    await registry.put("/mode/s", json={"mode": "READONLY"})
    assert (await registry.get("/mode/s")).json() == {"mode": "READONLY"}
    refused = await register(registry, "s", USER_V1)
    assert (refused.status_code, refused.json()["error_code"]) == (422, 42205)
    assert (await register(registry, "other", USER_V1)).status_code == 200
    assert (await registry.delete("/mode/s")).json() == {"mode": "READONLY"}
    missing = await registry.get("/mode/s")
    assert missing.json()["error_code"] == 40409
    assert (await registry.get("/mode/s?defaultToGlobal=true")).json() == {"mode": "READWRITE"}


async def test_import_mode_keeps_the_ids_and_versions_it_is_given(
    registry: httpx.AsyncClient,
) -> None:
    assert (await registry.put("/mode", json={"mode": "IMPORT"})).json() == {"mode": "IMPORT"}
    response = await register(registry, "s", USER_V1, id=42, version=7)
    assert response.json() == {"id": 42}
    assert (await registry.get("/subjects/s/versions")).json() == [7]
    clash = await register(registry, "t", USER_V2, id=42)
    assert (clash.status_code, clash.json()["error_code"]) == (422, 42207)
    taken = await register(registry, "s", USER_V2, id=50, version=7)
    assert (taken.status_code, taken.json()["error_code"]) == (422, 42205)
    assert "version 7" in taken.json()["message"]
    await registry.put("/mode", json={"mode": "READWRITE"})
    assert await registered_id(registry, "u", record("Next", field("x", "int"))) == 43


async def test_import_mode_needs_an_empty_registry_unless_forced(
    registry: httpx.AsyncClient,
) -> None:
    await registered_id(registry, "s", USER_V1)
    refused = await registry.put("/mode", json={"mode": "IMPORT"})
    assert refused.json()["error_code"] == 42205
    assert (await registry.put("/mode?force=true", json={"mode": "IMPORT"})).status_code == 200


async def test_references_are_stored_resolved_and_block_deletion(
    registry: httpx.AsyncClient,
) -> None:
    address = record("Address", field("street", "string"))
    await registered_id(registry, "octobus.test.Address", address)
    customer = record("Customer", field("address", "octobus.test.Address"))
    reference = {"name": "octobus.test.Address", "subject": "octobus.test.Address", "version": 1}
    response = await register(registry, "customer", customer, references=[reference])
    assert response.json() == {"id": 2}
    body = (await registry.get("/schemas/ids/2")).json()
    assert body["references"] == [reference]
    assert (await registry.get("/subjects/customer/versions/1")).json()["references"] == [reference]
    by = await registry.get("/subjects/octobus.test.Address/versions/1/referencedby")
    assert by.json() == [2]
    blocked = await registry.delete("/subjects/octobus.test.Address/versions/1")
    assert (blocked.status_code, blocked.json()["error_code"]) == (422, 42206)
    without = await register(registry, "other", customer)
    assert without.json()["error_code"] == 42201
    dangling = await register(registry, "other", customer, references=[{**reference, "version": 9}])
    assert dangling.json()["error_code"] == 42201
    assert "version 9" in dangling.json()["message"]


async def test_deleting_latest_deletes_the_newest_live_version(
    registry: httpx.AsyncClient,
) -> None:
    await registry.put("/config/s", json={"compatibility": "NONE"})
    for schema in (USER_V1, USER_V2, record("Third", field("x", "int"))):
        await registered_id(registry, "s", schema)
    assert (await registry.delete("/subjects/s/versions/latest")).json() == 3
    assert (await registry.delete("/subjects/s/versions/-1")).json() == 2
    assert (await registry.get("/subjects/s/versions")).json() == [1]
    assert (await registry.delete("/subjects/s/versions/latest?permanent=true")).json() == 3
    assert (await registry.get("/subjects/s/versions?deleted=true")).json() == [1, 2]
