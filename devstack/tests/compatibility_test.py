"""Compatibility over public vectors, for all seven levels, through the REST API.

The vectors and their sources are in ``support/devstack_compat_vectors.py``.
"""

from __future__ import annotations

import httpx
import pytest

from .support.devstack_compat_vectors import (
    HISTORIES,
    LEVELS,
    PAIRS,
    S1,
    S2,
    S3,
    HistoryVector,
    PairVector,
    expected,
)
from .support.devstack_schemas import register, registered_id


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("vector", PAIRS, ids=lambda v: v.id)
async def test_pair_vectors_decide_registration_at_every_level(
    registry: httpx.AsyncClient, vector: PairVector, level: str
) -> None:
    await registry.put("/config/s", json={"compatibility": level})
    await registered_id(registry, "s", vector.old)
    accepted = expected(vector, level)
    check = await registry.post(
        "/compatibility/subjects/s/versions/latest?verbose=true", json={"schema": vector.new}
    )
    assert check.json()["is_compatible"] is accepted, check.json()["messages"]
    response = await register(registry, "s", vector.new)
    if accepted:
        assert response.status_code == 200, response.text
        assert (await registry.get("/subjects/s/versions")).json() == [1, 2]
    else:
        assert response.status_code == 409, response.text
        assert response.json()["error_code"] == 409
        assert (await registry.get("/subjects/s/versions")).json() == [1]


@pytest.mark.parametrize("vector", HISTORIES, ids=lambda v: v.id)
async def test_transitive_levels_check_every_live_version_and_others_only_the_latest(
    registry: httpx.AsyncClient, vector: HistoryVector
) -> None:
    await registry.put("/config/s", json={"compatibility": "NONE"})
    for schema in vector.history:
        await registered_id(registry, "s", schema)
    await registry.put("/config/s", json={"compatibility": vector.level})
    check = await registry.post("/compatibility/subjects/s/versions", json={"schema": vector.new})
    assert check.json() == {"is_compatible": vector.compatible}
    response = await register(registry, "s", vector.new)
    assert response.status_code == (200 if vector.compatible else 409), response.text


async def test_soft_deleted_versions_are_not_checked(registry: httpx.AsyncClient) -> None:
    await registry.put("/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    await registered_id(registry, "s", S1)
    await registered_id(registry, "s", S2)
    assert (await register(registry, "s", S3)).status_code == 409
    await registry.delete("/subjects/s/versions/1")
    assert (await register(registry, "s", S3)).status_code == 200


async def test_checking_one_named_version_ignores_the_others(registry: httpx.AsyncClient) -> None:
    await registry.put("/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    await registered_id(registry, "s", S1)
    await registered_id(registry, "s", S2)
    against_2 = await registry.post("/compatibility/subjects/s/versions/2", json={"schema": S3})
    against_1 = await registry.post("/compatibility/subjects/s/versions/1", json={"schema": S3})
    assert (against_2.json(), against_1.json()) == (
        {"is_compatible": True},
        {"is_compatible": False},
    )


async def test_full_reports_both_directions_in_verbose_messages(
    registry: httpx.AsyncClient,
) -> None:
    await registry.put("/config/s", json={"compatibility": "FULL"})
    await registered_id(registry, "s", S1)
    enum_change = '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"int"}]}'
    response = await registry.post(
        "/compatibility/subjects/s/versions/latest?verbose=true", json={"schema": enum_change}
    )
    messages = response.json()["messages"]
    type_mismatches = [m for m in messages if m.startswith("{errorType:'TYPE_MISMATCH'")]
    assert len(type_mismatches) == 2
    assert "in the new schema does not match with the old schema" in type_mismatches[0]
    assert "in the old schema does not match with the new schema" in type_mismatches[1]
    assert "{validateFields: 'false', compatibility: 'FULL'}" in messages
