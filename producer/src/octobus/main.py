"""The application factory: `create_app` builds a gateway application from settings.

Nothing is built at import time: each call makes a new application with its own gateway,
which its lifespan starts (schemas registered, topics created, producer started) and
stops. ``uvicorn --factory octobus.main:create_app`` runs it with settings from the
environment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from octobus import __version__
from octobus.config import Settings
from octobus.handlers import asyncapi, health, install_error_handlers, topics, webhooks
from octobus.services import Gateway

__all__ = ["create_app"]

_DESCRIPTION = """\
Receives GitHub webhook deliveries, verifies their signature, and publishes each one to
Kafka as a typed Avro event registered in the Schema Registry. A `202` answer means Kafka
has the event. The topics are described at [/asyncapi](/asyncapi).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway application.

    Parameters
    ----------
    settings
        The settings; read from the environment when omitted.

    Returns
    -------
    FastAPI
        The application; its lifespan starts and stops the gateway.

    Examples
    --------
    >>> app = create_app(Settings(webhook_secrets="s3cret"))
    >>> sorted(app.openapi()["paths"])  # doctest: +NORMALIZE_WHITESPACE
    ['/asyncapi', '/asyncapi.json', '/healthz', '/readyz', '/v1/topics',
     '/webhooks/github']
    """
    gateway = Gateway(settings if settings is not None else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with gateway.running():
            yield

    app = FastAPI(
        title="Octobus gateway",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    for module in (webhooks, topics, health, asyncapi):
        app.include_router(module.router)
    install_error_handlers(app)
    return app
