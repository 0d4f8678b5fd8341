"""octobus-devstack: Docker-free Kafka (Tansu) and a Confluent-compatible Schema Registry.

The registry lives in :mod:`octobus_devstack.registry` (imported on demand, so that the
pytest plugin and the broker stay light).
"""

from __future__ import annotations

from octobus_devstack.broker import TansuBroker
from octobus_devstack.errors import (
    BrokerError,
    BrokerStartError,
    DevStackError,
    RegistryStartError,
)
from octobus_devstack.stack import DevStack

__all__ = [
    "BrokerError",
    "BrokerStartError",
    "DevStack",
    "DevStackError",
    "RegistryStartError",
    "TansuBroker",
]
