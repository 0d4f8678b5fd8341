"""Small schemas and request helpers shared by the registry tests."""

from __future__ import annotations

import json
from typing import Any

import httpx

V1_JSON = "application/vnd.schemaregistry.v1+json"


def record(name: str, *fields: dict[str, Any], namespace: str | None = "octobus.test") -> str:
    """Return the JSON text of a record schema with the given fields."""
    schema: dict[str, Any] = {"type": "record", "name": name, "fields": list(fields)}
    if namespace is not None:
        schema["namespace"] = namespace
    return json.dumps(schema)


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    """Return a field definition."""
    return {"name": name, "type": type_, **extra}


async def register(
    client: httpx.AsyncClient, subject: str, schema: str, **extra: Any
) -> httpx.Response:
    """POST a schema to ``/subjects/{subject}/versions``."""
    return await client.post(
        f"/subjects/{subject}/versions",
        json={"schema": schema, **extra},
        headers={"Content-Type": V1_JSON},
    )


async def registered_id(client: httpx.AsyncClient, subject: str, schema: str) -> int:
    """Register a schema that must be accepted and return its id."""
    response = await register(client, subject, schema)
    assert response.status_code == 200, response.text
    schema_id: int = response.json()["id"]
    return schema_id
