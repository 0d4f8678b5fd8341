"""Shared test setup for octobus-devstack: in-process registry clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from octobus_devstack.registry import RegistryApp, create_app


@pytest.fixture
def registry_app() -> RegistryApp:
    """A fresh in-memory registry application."""
    return create_app()


@pytest.fixture
async def registry(registry_app: RegistryApp) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to a fresh in-memory registry in-process."""
    transport = httpx.ASGITransport(app=registry_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
        yield client
    registry_app.registry.close()
