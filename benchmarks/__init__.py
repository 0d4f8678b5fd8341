"""Throughput and latency benchmarks, one module per part (``make bench``)."""
