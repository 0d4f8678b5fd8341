"""The gateway's work: routing deliveries to event records and publishing them to Kafka."""

from octobus.services.gateway import Accepted, Gateway

__all__ = ["Accepted", "Gateway"]
