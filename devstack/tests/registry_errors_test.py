"""Every bad request gets Confluent's error code and a message naming what was wrong; none a 500."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from octobus_devstack.registry._nesting import MAX_NESTING

from .support.devstack_schemas import V1_JSON, field, record, registered_id

GOOD = record("User", field("id", "long"))


@dataclass(frozen=True)
class BadRequest:
    """A request against a registry holding subject ``s`` (version 1, id 1) and its answer."""

    id: str
    method: str
    path: str
    body: Any
    status: int
    error_code: int
    names: str  # a fragment the message must contain

    @property
    def content(self) -> bytes | None:
        if self.body is None:
            return None
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()


def schema_body(schema: Any) -> dict[str, Any]:
    return {"schema": schema if isinstance(schema, str) else json.dumps(schema)}


INVALID_DEFAULTS = [
    ("null-for-string", field("f", "string", default=None), "'f'"),
    ("union-default-not-first-branch", field("f", ["null", "string"], default="x"), "'f'"),
    ("union-default-not-first-branch-int", field("f", ["long", "null"], default=None), "'f'"),
    ("int-default-out-of-range", field("f", "int", default=2**31), "'f'"),
    ("string-for-int", field("f", "int", default="1"), "'f'"),
    ("boolean-for-long", field("f", "long", default=True), "'f'"),
    (
        "enum-default-not-a-symbol",
        field("f", {"type": "enum", "name": "E", "symbols": ["A"]}, default="B"),
        "'f'",
    ),
    (
        "fixed-default-wrong-length",
        field("f", {"type": "fixed", "name": "F", "size": 2}, default="abc"),
        "'f'",
    ),
    (
        "array-default-wrong-items",
        field("f", {"type": "array", "items": "int"}, default=["x"]),
        "'f'",
    ),
    ("map-default-not-object", field("f", {"type": "map", "values": "int"}, default=[]), "'f'"),
    (
        "record-default-missing-field",
        field("f", json.loads(record("Inner", field("a", "int"), namespace=None)), default={}),
        "'f'",
    ),
    (
        "nested-record-field-default",
        field("f", json.loads(record("Inner", field("deep", "string", default=1), namespace=None))),
        "'deep'",
    ),
]

INVALID_SCHEMAS = [
    ("not-json", "{not json", "not valid JSON"),
    ("unknown-type", json.dumps({"type": "strin"}), "strin"),
    ("record-without-fields", json.dumps({"type": "record", "name": "R"}), "Invalid schema"),
    ("bad-name", json.dumps({"type": "record", "name": "1R", "fields": []}), "1R"),
    ("unknown-named-type", record("R", field("f", "Missing")), "Missing"),
    (
        "duplicate-field",
        record("R", field("f", "int"), field("f", "int")),
        "f",
    ),
    ("empty-schema-string", "", "non-empty"),
    (
        "aliases-not-names",
        json.dumps({"type": "enum", "name": "E", "symbols": ["A"], "aliases": [1]}),
        "aliases of type 'E'",
    ),
    (
        "field-aliases-not-a-list",
        record("R", field("f", "int", aliases="g")),
        "aliases of field 'f'",
    ),
    ("schema-not-a-string", {"type": "string"}, "non-empty string"),
    ("schema-is-a-number", 42, "non-empty string"),
]

BAD_REQUESTS = [
    # malformed bodies
    BadRequest("malformed-json-body", "POST", "/subjects/s/versions", b"{oops", 400, 400, "JSON"),
    BadRequest("body-is-a-list", "POST", "/subjects/s/versions", [], 422, 422, "JSON object"),
    BadRequest("empty-register-body", "POST", "/subjects/s/versions", {}, 422, 42201, "schema"),
    BadRequest("empty-lookup-body", "POST", "/subjects/s", {}, 422, 42201, "schema"),
    BadRequest(
        "unsupported-schema-type",
        "POST",
        "/subjects/s/versions",
        {"schema": GOOD, "schemaType": "PROTOBUF"},
        422,
        42201,
        "PROTOBUF",
    ),
    BadRequest(
        "unknown-schema-type",
        "POST",
        "/subjects/s/versions",
        {"schema": GOOD, "schemaType": "XML"},
        422,
        42201,
        "XML",
    ),
    BadRequest(
        "malformed-reference",
        "POST",
        "/subjects/s/versions",
        {"schema": GOOD, "references": [{"name": "x"}]},
        422,
        42201,
        "reference 0",
    ),
    BadRequest(
        "id-outside-import-mode",
        "POST",
        "/subjects/s/versions",
        {"schema": GOOD, "id": 5},
        422,
        42205,
        "import mode",
    ),
    # versions
    *[
        BadRequest(f"bad-version-{v}-{m}", m, f"/subjects/s/versions/{v}", None, 422, 42202, v)
        for v in ("abc", "0", "-2", "2147483648", "1.5")
        for m in ("GET", "DELETE")
    ],
    BadRequest(
        "bad-version-compatibility",
        "POST",
        "/compatibility/subjects/s/versions/zero",
        schema_body(GOOD),
        422,
        42202,
        "zero",
    ),
    BadRequest("missing-version", "GET", "/subjects/s/versions/9", None, 404, 40402, "9"),
    BadRequest("missing-version-delete", "DELETE", "/subjects/s/versions/9", None, 404, 40402, "9"),
    # Confluent looks the version up without asking whether the subject exists
    BadRequest(
        "unknown-subject-version-compatibility",
        "POST",
        "/compatibility/subjects/nobody/versions/1",
        schema_body(GOOD),
        404,
        40402,
        "Version 1",
    ),
    BadRequest(
        "missing-version-compatibility",
        "POST",
        "/compatibility/subjects/s/versions/9",
        schema_body(GOOD),
        404,
        40402,
        "9",
    ),
    # unknown subjects
    *[
        BadRequest(f"unknown-subject-{i}", m, p, b, 404, 40401, "'nobody'")
        for i, (m, p, b) in enumerate(
            [
                ("GET", "/subjects/nobody/versions", None),
                ("GET", "/subjects/nobody/versions/1", None),
                ("GET", "/subjects/nobody/versions/latest", None),
                ("GET", "/subjects/nobody/versions/1/schema", None),
                ("GET", "/subjects/nobody/versions/1/referencedby", None),
                ("DELETE", "/subjects/nobody", None),
                ("DELETE", "/subjects/nobody?permanent=true", None),
                ("DELETE", "/subjects/nobody/versions/1", None),
                ("POST", "/subjects/nobody", schema_body(GOOD)),
                ("DELETE", "/config/nobody", None),
                ("DELETE", "/mode/nobody", None),
            ]
        )
    ],
    # unknown ids
    BadRequest("unknown-id", "GET", "/schemas/ids/999", None, 404, 40403, "999"),
    BadRequest("unknown-id-versions", "GET", "/schemas/ids/999/versions", None, 404, 40403, "999"),
    BadRequest("unknown-id-subjects", "GET", "/schemas/ids/999/subjects", None, 404, 40403, "999"),
    BadRequest("non-numeric-id", "GET", "/schemas/ids/abc", None, 404, 404, "abc"),
    # compatibility levels and modes
    *[
        BadRequest(f"bad-level-{name}", "PUT", path, body, 422, 42203, "compatibility level")
        for name, path, body in [
            ("global-unknown", "/config", {"compatibility": "SIDEWAYS"}),
            ("subject-unknown", "/config/s", {"compatibility": "SIDEWAYS"}),
            ("missing", "/config", {}),
            ("number", "/config/s", {"compatibility": 3}),
        ]
    ],
    BadRequest("missing-subject-config", "GET", "/config/s", None, 404, 40408, "'s'"),
    BadRequest("bad-mode", "PUT", "/mode", {"mode": "SOMETIMES"}, 422, 42204, "SOMETIMES"),
    BadRequest("missing-subject-mode", "GET", "/mode/s", None, 404, 40409, "'s'"),
    # routing
    BadRequest("unknown-path", "GET", "/nothing/here", None, 404, 404, "/nothing/here"),
    BadRequest("wrong-method", "PATCH", "/subjects", None, 405, 405, "PATCH"),
    BadRequest("non-numeric-limit", "GET", "/schemas?limit=ten", None, 404, 404, "limit"),
    BadRequest(
        "wrong-content-type",
        "POST",
        "/subjects/s/versions",
        schema_body(GOOD),
        415,
        415,
        "text/csv",
    ),
    # invalid schemas, on register, lookup and compatibility alike
    *[
        BadRequest(
            f"invalid-schema-{name}-{where}", "POST", path, {"schema": schema}, 422, 42201, names
        )
        for name, schema, names in INVALID_SCHEMAS
        for where, path in [
            ("register", "/subjects/s/versions"),
            ("lookup", "/subjects/s"),
            ("compatibility", "/compatibility/subjects/s/versions/latest"),
        ]
    ],
    *[
        BadRequest(
            f"invalid-default-{name}-{where}",
            "POST",
            path,
            schema_body(record("R", bad_field)),
            422,
            42201,
            names,
        )
        for name, bad_field, names in INVALID_DEFAULTS
        for where, path in [
            ("register", "/subjects/s/versions"),
            ("lookup", "/subjects/s"),
            ("compatibility", "/compatibility/subjects/s/versions/latest"),
        ]
    ],
]


def nested_arrays(levels: int) -> str:
    """An Avro schema of ``levels`` arrays inside one another: one JSON object per level."""
    return '{"type":"array","items":' * levels + '"string"' + "}" * levels


TOO_DEEP = [
    BadRequest(
        f"schema-nesting-{levels}-{where}",
        "POST",
        path,
        {"schema": nested_arrays(levels)},
        422,
        42201,
        f"deeper than {MAX_NESTING} levels",
    )
    for levels in (MAX_NESTING + 1, 900, 3000)
    for where, path in [
        ("register", "/subjects/s/versions"),
        ("lookup", "/subjects/s"),
        ("compatibility", "/compatibility/subjects/s/versions/latest"),
    ]
] + [
    BadRequest(
        f"body-nesting-{name}",
        "POST",
        "/subjects/s/versions",
        body,
        400,
        400,
        f"deeper than {MAX_NESTING} levels",
    )
    for name, body in [
        ("open-brackets", b"[" * 100_000),
        ("balanced-arrays", b"[" * 5000 + b"]" * 5000),
        ("objects", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ]
]


@pytest.mark.parametrize("bad", BAD_REQUESTS + TOO_DEEP, ids=lambda b: b.id)
async def test_a_bad_request_gets_its_error_code_and_a_message_naming_the_problem(
    registry: httpx.AsyncClient, bad: BadRequest
) -> None:
    await registered_id(registry, "s", GOOD)
    content_type = "text/csv" if bad.id == "wrong-content-type" else V1_JSON
    response = await registry.request(
        bad.method, bad.path, content=bad.content, headers={"Content-Type": content_type}
    )
    body = response.json()
    assert (response.status_code, body["error_code"]) == (bad.status, bad.error_code), body
    assert bad.names in body["message"]
    assert response.headers["content-type"] == V1_JSON
    # and nothing changed
    assert (await registry.get("/subjects/s/versions")).json() == [1]


@pytest.mark.parametrize("bad", BAD_REQUESTS + TOO_DEEP, ids=lambda b: b.id)
async def test_no_bad_request_is_answered_with_a_server_error(
    registry: httpx.AsyncClient, bad: BadRequest
) -> None:
    response = await registry.request(bad.method, bad.path, content=bad.content)
    assert response.status_code < 500, response.text


async def test_valid_defaults_of_every_kind_are_accepted(registry: httpx.AsyncClient) -> None:
    schema = record(
        "AllDefaults",
        field("n", "null", default=None),
        field("b", "boolean", default=False),
        field("i", "int", default=-(2**31)),
        field("l", "long", default=2**63 - 1),
        field("f", "float", default=1),
        field("d", "double", default="NaN"),
        field("s", "string", default=""),
        field("y", "bytes", default="\u00ff"),
        field("e", {"type": "enum", "name": "E", "symbols": ["A", "B"]}, default="B"),
        field("x", {"type": "fixed", "name": "F", "size": 2}, default="ab"),
        field("a", {"type": "array", "items": "int"}, default=[1, 2]),
        field("m", {"type": "map", "values": "string"}, default={"k": "v"}),
        field("u", ["null", "string"], default=None),
        field("v", ["string", "null"], default="n/a"),
        field(
            "r",
            json.loads(record("Inner", field("a", "int"), field("b", "int", default=0))),
            default={"a": 1},
        ),
        field("t", {"type": "long", "logicalType": "timestamp-millis"}, default=0),
    )
    response = await registry.post("/subjects/s/versions", json={"schema": schema})
    assert response.status_code == 200, response.text


async def test_a_schema_nested_to_the_limit_registers_and_is_checked_for_compatibility(
    registry: httpx.AsyncClient,
) -> None:
    # MAX_NESTING levels of arrays: one JSON object each, so exactly the limit
    deepest = nested_arrays(MAX_NESTING)
    assert await registered_id(registry, "deep", deepest) == 1
    changed = deepest.replace('"string"', '"int"')
    response = await registry.post(
        "/compatibility/subjects/deep/versions/latest", json={"schema": changed}
    )
    assert response.json() == {"is_compatible": False}
    # brackets inside strings do not count toward the depth
    doc = "[" * (MAX_NESTING * 2)
    response = await registry.post(
        "/subjects/doc/versions",
        json={"schema": record("D", field("f", "string", doc=doc))},
    )
    assert response.status_code == 200, response.text
