"""Signed deliveries per second through a running gateway, broker acknowledgements included.

The gateway runs as its own process (``octobus serve``) on the embedded devstack, as in
``make run``. A load generator posts real payloads from the test data (every non-ping
example, cycled, each with a fresh delivery id), signed as GitHub signs them, with a fixed
number of requests in flight; every answer must be 202, which the gateway sends only after
Kafka acknowledged the event. The baseline is the same gateway taking one delivery at a
time (what a gateway that awaits each publish alone would do at best).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from octobus_devstack.stack import DevStack
from octobus_schemas.api.client import GatewayRequest, build_delivery

from tools.run_local import stop_process, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "producer" / "tests" / "data" / "api.github.com.json"
SECRET = "benchmark-secret"  # noqa: S105 - a throwaway secret for a local benchmark
TARGET_PER_SECOND = 500.0
CONCURRENCY = 64
MEASURED = 4000
BASELINE_MEASURED = 500
WARM_UP = 300


@dataclass(frozen=True)
class Run:
    """One measured run."""

    name: str
    concurrency: int
    deliveries: int
    seconds: float
    latencies: list[float]
    gateway_cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Deliveries answered 202 per second."""
        return self.deliveries / self.seconds

    @property
    def cpu_ms_per_delivery(self) -> float:
        """The gateway's own CPU time per delivery, in milliseconds."""
        return self.gateway_cpu_seconds / self.deliveries * 1000

    def percentile(self, fraction: float) -> float:
        """Latency at ``fraction`` (0.5 = median), in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _payloads() -> list[tuple[str, dict[str, object]]]:
    families = json.loads(RECORDINGS.read_text("utf-8"))
    return [
        (family["name"], example)
        for family in families
        if family["name"] != "ping"
        for example in family["examples"]
    ]


def _requests(base_url: str, count: int) -> list[GatewayRequest]:
    payloads = _payloads()
    return [
        build_delivery(base_url, *payloads[index % len(payloads)], SECRET) for index in range(count)
    ]


async def _load(name: str, requests: list[GatewayRequest], concurrency: int) -> Run:
    latencies: list[float] = []
    queue = iter(requests)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            for request in queue:
                started = time.perf_counter()
                async with session.post(
                    request.url, data=request.body, headers=dict(request.headers)
                ) as answer:
                    await answer.read()
                    if answer.status != 202:
                        msg = f"{request.header('X-GitHub-Event')}: HTTP {answer.status}"
                        raise RuntimeError(msg)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Run(name, concurrency, len(requests), elapsed, latencies)


def _cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(times.get(pid, 0.0) for pid in family)


async def _measured(
    name: str, requests: list[GatewayRequest], concurrency: int, gateway: int
) -> Run:
    before = _cpu_seconds(gateway)
    run = await _load(name, requests, concurrency)
    return Run(
        run.name,
        run.concurrency,
        run.deliveries,
        run.seconds,
        run.latencies,
        _cpu_seconds(gateway) - before,
    )


def _run_gateway(stack: DevStack, workers: int) -> tuple[str, subprocess.Popen[bytes]]:
    port = _free_port()
    env = {
        **os.environ,
        **stack.env(),
        "KAFKA_ENABLE_IDEMPOTENCE": "false",
        "OCTOBUS_WEBHOOK_SECRETS": SECRET,
    }
    command = [
        sys.executable,
        "-m",
        "octobus.cli",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    gateway = subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter
    base_url = f"http://127.0.0.1:{port}"
    wait_until_ready(f"{base_url}/readyz", gateway, within=60)
    return base_url, gateway


def main() -> None:
    """Run the benchmark and print its table."""
    runs: list[Run] = []
    with DevStack() as stack:
        for workers in (1, 2):
            base_url, gateway = _run_gateway(stack, workers)
            try:
                asyncio.run(_load("warm-up", _requests(base_url, WARM_UP), CONCURRENCY))
                if workers == 1:
                    runs.append(
                        asyncio.run(
                            _measured(
                                "one at a time",
                                _requests(base_url, BASELINE_MEASURED),
                                1,
                                gateway.pid,
                            )
                        )
                    )
                runs.append(
                    asyncio.run(
                        _measured(
                            f"{CONCURRENCY} in flight, {workers} worker{'s' * (workers > 1)}",
                            _requests(base_url, MEASURED),
                            CONCURRENCY,
                            gateway.pid,
                        )
                    )
                )
            finally:
                stop_process(gateway, "gateway")
    _print(runs, runs[0])


def _print(runs: list[Run], baseline: Run) -> None:
    load = os.getloadavg()[0]
    print()
    print("gateway: signed real deliveries through `octobus serve` (202 = Kafka acked)")
    print(
        f"  cores: {os.cpu_count()}, load average at the end: {load:.1f}, "
        f"target: >= {TARGET_PER_SECOND:g} deliveries/s"
    )
    header = (
        f"  {'run':<26}{'deliveries':>11}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms':>8}{'x baseline':>12}{'x target':>10}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for run in runs:
        print(
            f"  {run.name:<26}{run.deliveries:>11}{run.rate:>8.0f}"
            f"{run.percentile(0.50):>9.2f}{run.percentile(0.99):>9.2f}"
            f"{run.cpu_ms_per_delivery:>8.2f}"
            f"{run.rate / baseline.rate:>12.2f}{run.rate / TARGET_PER_SECOND:>10.2f}"
        )
    print("  baseline: the same gateway, one delivery at a time")
    print(
        "  CPU ms: the gateway's own CPU time per delivery (all its processes); "
        "1000 / CPU ms is what one free core sustains"
    )


if __name__ == "__main__":
    main()
