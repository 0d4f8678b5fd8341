"""FastAPI dependencies: how a handler reaches the services the lifespan started."""

from octobus.dependencies.gateway import GatewayDependency, get_gateway

__all__ = ["GatewayDependency", "get_gateway"]
