"""The running `~octobus.services.gateway.Gateway`, for handlers."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from octobus.services.gateway import Gateway

__all__ = ["GatewayDependency", "get_gateway"]


async def get_gateway(request: Request) -> Gateway:
    """Return the gateway of the application serving ``request``.

    Parameters
    ----------
    request
        The current request.

    Returns
    -------
    Gateway
        The gateway `octobus.main.create_app` attached and its lifespan started.

    Notes
    -----
    A coroutine on purpose: FastAPI runs a plain function dependency in a worker thread,
    a thread hop on every delivery.
    """
    return cast("Gateway", request.app.state.gateway)


GatewayDependency = Annotated[Gateway, Depends(get_gateway)]
"""A handler parameter that receives the running gateway."""
