"""The registry over HTTP on SQLite: concurrent registrations and restarts keep ids exact."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
from octobus_devstack.registry import Registry, RegistryServer

from .support.devstack_schemas import field, record

DISTINCT = [record(f"Event{n}", field("n", "long")) for n in range(10)]


async def test_fifty_concurrent_registrations_of_ten_schemas_give_exactly_ids_one_to_ten(
    tmp_path: Path,
) -> None:
    with RegistryServer(tmp_path / "registry.sqlite3") as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            responses = await asyncio.gather(
                *(
                    client.post(
                        f"/subjects/subject-{index % 10}/versions",
                        json={"schema": DISTINCT[index % 10]},
                    )
                    for index in range(50)
                )
            )
            ids = {response.json()["id"] for response in responses}
            assert ids == set(range(1, 11))
            for n in range(10):
                versions = (await client.get(f"/subjects/subject-{n}/versions")).json()
                assert versions == [1]


def test_two_registries_sharing_one_file_never_duplicate_or_skip_an_id(tmp_path: Path) -> None:
    database = tmp_path / "shared.sqlite3"
    registries = [Registry(database), Registry(database)]
    results: list[int] = []
    lock = threading.Lock()

    def register_all(registry: Registry, offset: int) -> None:
        for n in range(25):
            schema = record(f"Shared{(n + offset) % 25}", field("n", "long"))
            schema_id = registry.register(f"subject-{(n + offset) % 25}", {"schema": schema})["id"]
            with lock:
                results.append(schema_id)

    threads = [
        threading.Thread(target=register_all, args=(registry, offset))
        for offset, registry in zip((0, 12), registries, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for registry in registries:
        registry.close()
    assert sorted(set(results)) == list(range(1, 26))
    assert len(results) == 50


async def test_a_restart_on_the_same_file_keeps_every_id_version_and_config(
    tmp_path: Path,
) -> None:
    database = tmp_path / "registry.sqlite3"
    v1 = record("User", field("id", "long"))
    v2 = record("User", field("id", "long"), field("name", "string", default=""))
    with RegistryServer(database) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            await client.put("/config", json={"compatibility": "FULL"})
            await client.put("/config/users", json={"compatibility": "NONE"})
            await client.put("/mode/frozen", json={"mode": "READONLY"})
            await client.post("/subjects/other/versions", json={"schema": '"string"'})
            await client.post("/subjects/users/versions", json={"schema": v1})
            await client.post("/subjects/users/versions", json={"schema": v2})
            await client.delete("/subjects/users/versions/1")
            before = {
                path: (await client.get(path)).json()
                for path in (
                    "/config",
                    "/config/users",
                    "/mode/frozen",
                    "/subjects",
                    "/subjects/users/versions?deleted=true",
                    "/subjects/users/versions/2",
                    "/subjects/users/versions/1?deleted=true",
                    "/schemas/ids/1",
                    "/schemas/ids/2",
                    "/schemas/ids/3",
                )
            }
    with RegistryServer(database) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            after = {path: (await client.get(path)).json() for path in before}
            assert after == before
            next_id = await client.post(
                "/subjects/users/versions", json={"schema": record("Next", field("x", "int"))}
            )
            assert next_id.json() == {"id": 4}
            assert (await client.get("/subjects/users/versions")).json() == [2, 3]
