"""Run the benchmarks: ``python -m benchmarks [NAME...]`` (all of them by default).

Each part registers its module in `BENCHMARKS`; a module exposes ``main() -> None``, which
prints its table (rates, latencies, and ratios to a named baseline).
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS: dict[str, str] = {
    "codec": "benchmarks.codec",
    "gateway": "benchmarks.gateway",
    "devstack": "benchmarks.devstack",
    "consumer": "benchmarks.consumer",
}


def main(names: list[str]) -> int:
    """Run the named benchmarks, or all of them.

    Parameters
    ----------
    names
        Benchmark names; empty for all.

    Returns
    -------
    int
        The exit status.
    """
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names or list(BENCHMARKS):
        importlib.import_module(BENCHMARKS[name]).main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
