"""Octobus, the gateway: GitHub webhook deliveries in, typed Avro events on Kafka out.

Build the application with `octobus.main.create_app`, configured by
`octobus.config.Settings`; run it with ``octobus serve``.
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("octobus")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0.0.0"
