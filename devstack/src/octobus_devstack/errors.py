"""The errors octobus-devstack raises, as one small hierarchy."""

from __future__ import annotations

__all__ = ["BrokerError", "BrokerStartError", "DevStackError", "RegistryStartError"]


class DevStackError(Exception):
    """Base class of every error raised by octobus-devstack."""


class BrokerError(DevStackError):
    """The embedded Tansu broker could not be used as asked (not started, already stopped)."""


class BrokerStartError(BrokerError):
    """The embedded Tansu broker did not start or did not answer a Kafka metadata request.

    The message names the binary, the port and the log file to read.
    """


class RegistryStartError(DevStackError):
    """The Schema Registry's HTTP server did not start (for example, the port is taken)."""
