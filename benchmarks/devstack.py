"""octobus-devstack: start-up time of ``octobus-devstack up`` and Schema Registry throughput.

Start-up is timed from launching the command to the moment a client sees both services
ready (a Kafka Metadata request answered and ``GET /`` of the registry answered), against
the issue's target of 1.5 s; Confluent's Docker stack, which this replaces in development,
needs tens of seconds and cannot run on this machine at all (no Docker engine).

Registry throughput is measured over HTTP (uvicorn, one keep-alive connection, sequential
requests, and 16 in flight) and in-process (httpx's ASGI transport). The named baseline is
the HTTP floor: ``GET /`` on the same server, a route that does no registry work, so the
ratio is the share of the floor the registry operation keeps. Read rates are the best of
three rounds, interleaved with their baseline's. With 16 requests in flight the floor is set
by httpx's async connection pool (the same holds against a registry in another process),
not by the registry.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable

import httpx
from octobus_devstack._kafka_probe import request_metadata
from octobus_devstack._net import free_port
from octobus_devstack.registry import RegistryServer, create_app

TARGET_STARTUP_SECONDS = 1.5
STARTUP_ROUNDS = 5
READS = 2000
ROUNDS = 3
CONCURRENT_READS = 500
REGISTRATIONS = 500
IN_FLIGHT = 16


def _schema(index: int) -> str:
    fields = [{"name": f"f{n}", "type": "long"} for n in range(8)]
    fields.append({"name": f"extra{index}", "type": "string", "default": ""})
    return json.dumps(
        {"type": "record", "name": "Bench", "namespace": "bench.devstack", "fields": fields}
    )


def _ready(kafka_port: int, registry_url: str) -> bool:
    try:
        request_metadata("127.0.0.1", kafka_port, timeout=0.2)
        with urllib.request.urlopen(registry_url + "/", timeout=0.2) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def startup_seconds() -> list[float]:
    """Time ``octobus-devstack up`` from launch to both services ready, several times."""
    executable = shutil.which("octobus-devstack")
    assert executable is not None, "octobus-devstack is installed with the workspace"
    times = []
    for _ in range(STARTUP_ROUNDS):
        kafka_port, registry_port = free_port(), free_port()
        registry_url = f"http://127.0.0.1:{registry_port}"
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603
            [
                executable,
                "up",
                "--kafka-port",
                str(kafka_port),
                "--registry-port",
                str(registry_port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not _ready(kafka_port, registry_url):
                if process.poll() is not None:
                    msg = f"octobus-devstack up exited with {process.returncode}"
                    raise RuntimeError(msg)
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(10)
    return times


def _rate(count: int, run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def _best_interleaved(count: int, runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    # rounds alternate between the runs, so a busy moment on the shared machine hits them
    # alike; the best round of each is the one least disturbed
    best = dict.fromkeys(runs, 0.0)
    for _ in range(ROUNDS):
        for name, run in runs.items():
            best[name] = max(best[name], _rate(count, run))
    return best


def _http_rates(url: str, schema_id: int) -> dict[str, float]:
    rates: dict[str, float] = {}
    with httpx.Client(base_url=url) as client:
        for _ in range(200):  # warm-up
            client.get(f"/schemas/ids/{schema_id}")

        def reads(path: str) -> Callable[[], None]:
            def run() -> None:
                for _ in range(READS):
                    assert client.get(path).status_code == 200

            return run

        rates |= _best_interleaved(
            READS, {"floor": reads("/"), "by-id": reads(f"/schemas/ids/{schema_id}")}
        )

        def register_new_subjects() -> None:
            for index in range(REGISTRATIONS):
                response = client.post(
                    f"/subjects/new-{index}/versions", json={"schema": _schema(index)}
                )
                assert response.status_code == 200

        def register_versions() -> None:
            # each new version is checked (BACKWARD) against the latest one
            for index in range(REGISTRATIONS):
                response = client.post(
                    "/subjects/growing/versions", json={"schema": _schema(10_000 + index)}
                )
                assert response.status_code == 200, response.text

        rates["register-new-subject"] = _rate(REGISTRATIONS, register_new_subjects)
        rates["register-new-version"] = _rate(REGISTRATIONS, register_versions)

    async def concurrent_reads(path: str) -> float:
        async with httpx.AsyncClient(
            base_url=url, limits=httpx.Limits(max_connections=IN_FLIGHT)
        ) as client:
            semaphore = asyncio.Semaphore(IN_FLIGHT)

            async def one() -> None:
                async with semaphore:
                    assert (await client.get(path)).status_code == 200

            started = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(CONCURRENT_READS)))
            return CONCURRENT_READS / (time.perf_counter() - started)

    floor_16, by_id_16 = 0.0, 0.0
    for _ in range(ROUNDS):
        floor_16 = max(floor_16, asyncio.run(concurrent_reads("/")))
        by_id_16 = max(by_id_16, asyncio.run(concurrent_reads(f"/schemas/ids/{schema_id}")))
    rates["floor-16"], rates["by-id-16"] = floor_16, by_id_16
    return rates


def _in_process_rates() -> dict[str, float]:
    async def measure() -> dict[str, float]:
        app = create_app()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            schema_id = (
                await client.post("/subjects/s/versions", json={"schema": _schema(0)})
            ).json()["id"]

            async def loop(path: str) -> float:
                started = time.perf_counter()
                for _ in range(READS):
                    await client.get(path)
                return READS / (time.perf_counter() - started)

            floor, by_id = 0.0, 0.0
            for _ in range(ROUNDS):  # interleaved, as over HTTP
                floor = max(floor, await loop("/"))
                by_id = max(by_id, await loop(f"/schemas/ids/{schema_id}"))
        app.registry.close()
        return {"floor": floor, "by-id": by_id}

    return asyncio.run(measure())


def main() -> None:
    """Measure and print the devstack table."""
    startup = startup_seconds()
    with RegistryServer() as server:
        with httpx.Client(base_url=server.url) as client:
            schema_id = client.post("/subjects/s/versions", json={"schema": _schema(0)}).json()[
                "id"
            ]
        http = _http_rates(server.url, schema_id)
    local = _in_process_rates()

    median = statistics.median(startup)
    print()
    print("## octobus-devstack")
    print()
    print("| measurement | value | baseline | ratio |")
    print("| --- | --- | --- | --- |")
    print(
        f"| `octobus-devstack up` to both ready (median of {len(startup)}; "
        f"min {min(startup):.3f} s, max {max(startup):.3f} s) | {median:.3f} s "
        f"| target {TARGET_STARTUP_SECONDS} s | {median / TARGET_STARTUP_SECONDS:.2f}x of target "
        f"({'met' if max(startup) < TARGET_STARTUP_SECONDS else 'MISSED'}) |"
    )
    rows = [
        (
            "GET /schemas/ids/{id}, HTTP, sequential",
            http["by-id"],
            http["floor"],
            "GET / (HTTP floor)",
        ),
        (
            f"GET /schemas/ids/{{id}}, HTTP, {IN_FLIGHT} in flight",
            http["by-id-16"],
            http["floor-16"],
            f"GET / with {IN_FLIGHT} in flight",
        ),
        (
            "GET /schemas/ids/{id}, in-process ASGI",
            local["by-id"],
            local["floor"],
            "GET / in-process",
        ),
        (
            "register a new schema in a new subject, HTTP",
            http["register-new-subject"],
            http["floor"],
            "GET / (HTTP floor)",
        ),
        (
            "register a new version (BACKWARD check vs latest), HTTP",
            http["register-new-version"],
            http["floor"],
            "GET / (HTTP floor)",
        ),
    ]
    for name, rate, floor, baseline in rows:
        print(
            f"| {name} | {rate:,.0f} req/s | {baseline}: {floor:,.0f} req/s | {rate / floor:.2f}x |"
        )
    print()
