"""A Confluent-compatible Schema Registry: plain Python and SQLite, served as an ASGI app.

``create_app()`` returns an ASGI callable usable in-process (for example through
``httpx.ASGITransport``) or served over HTTP by uvicorn (:class:`RegistryServer`).
"""

from __future__ import annotations

from os import PathLike

from octobus_devstack.registry._app import RegistryApp
from octobus_devstack.registry._compat import CompatibilityLevel
from octobus_devstack.registry._errors import RegistryError
from octobus_devstack.registry._registry import Registry
from octobus_devstack.registry._server import RegistryServer

__all__ = [
    "CompatibilityLevel",
    "Registry",
    "RegistryApp",
    "RegistryError",
    "RegistryServer",
    "create_app",
]


def create_app(database: str | PathLike[str] = ":memory:") -> RegistryApp:
    """Create the registry's ASGI application over a SQLite database.

    Parameters
    ----------
    database
        A file path (created when missing; ids, versions and config survive restarts), or
        ``":memory:"`` for a registry that lives as long as the application.

    Returns
    -------
    RegistryApp
        A plain ASGI callable. Its ``registry`` attribute holds the store; the ASGI lifespan
        shutdown (or ``app.registry.close()``) closes the database.

    Examples
    --------
    >>> import httpx
    >>> app = create_app()
    >>> client = httpx.AsyncClient(
    ...     transport=httpx.ASGITransport(app=app), base_url="http://registry"
    ... )
    """
    return RegistryApp(Registry(database))
