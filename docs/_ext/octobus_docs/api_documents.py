"""The gateway's OpenAPI and AsyncAPI documents, generated from the application itself.

Both come from `octobus.main.create_app`: the OpenAPI document from FastAPI, the AsyncAPI
document from the gateway's own ``GET /asyncapi.json`` route (FastStream describes the
topics from the broker the gateway publishes with). The app is built but not started, so
no Kafka or registry is needed, and settings come from defaults rather than the
environment, so every machine renders the same pages.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

__all__ = ["asyncapi_document", "openapi_document", "render_asyncapi"]

_ENV_PREFIXES = ("OCTOBUS_", "KAFKA_", "SCHEMA_REGISTRY_")


@contextmanager
def _default_environment() -> Iterator[None]:
    # The documents describe the defaults, not whatever the builder's shell has set.
    saved = {name: value for name, value in os.environ.items() if name.startswith(_ENV_PREFIXES)}
    for name in saved:
        del os.environ[name]
    os.environ["OCTOBUS_WEBHOOK_SECRETS"] = "documentation-only"
    try:
        yield
    finally:
        del os.environ["OCTOBUS_WEBHOOK_SECRETS"]
        os.environ.update(saved)


def _documents() -> tuple[dict[str, Any], dict[str, Any]]:
    from octobus.main import create_app

    # httpx logs every request at INFO; the build log should show only what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with _default_environment():
        app = create_app()

    async def fetch_asyncapi() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            response = await client.get("/asyncapi.json")
            response.raise_for_status()
            document: dict[str, Any] = response.json()
            return document

    return app.openapi(), asyncio.run(fetch_asyncapi())


def openapi_document() -> dict[str, Any]:
    """Return the gateway's OpenAPI document, as FastAPI serves it at ``/openapi.json``.

    Returns
    -------
    dict
        The OpenAPI 3.1 document.
    """
    return _documents()[0]


def asyncapi_document() -> dict[str, Any]:
    """Return the AsyncAPI document of the topics, as the gateway serves it.

    Returns
    -------
    dict
        The AsyncAPI 3.0 document, channels in name order.
    """
    document = _documents()[1]
    # FastStream lists channels in an order that varies between runs; sort them so the
    # generated file is the same on every build.
    document["channels"] = dict(sorted(document["channels"].items()))
    document["operations"] = dict(sorted(document.get("operations", {}).items()))
    return document


def render_asyncapi(document: dict[str, Any], event_page: dict[str, str]) -> str:
    """Render the channels of an AsyncAPI document as a Markdown table.

    Parameters
    ----------
    document
        The AsyncAPI document.
    event_page
        Schema name (``PushEvent``) to the document path of its event page.

    Returns
    -------
    str
        MyST Markdown: server, then one row per channel.
    """
    info = document["info"]
    lines = [
        "<!-- Generated from the gateway's /asyncapi.json by "
        "docs/_ext/octobus_docs/api_documents.py. -->",
        f"AsyncAPI {document['asyncapi']}, *{info['title']}* version {info['version']}: "
        f"{info.get('description', '')}",
        "",
        "| Topic | Operation | Message | Description |",
        "| --- | --- | --- | --- |",
    ]
    operations = {
        operation["channel"]["$ref"].rsplit("/", 1)[-1]: operation["action"]
        for operation in document.get("operations", {}).values()
    }
    messages = document.get("components", {}).get("messages", {})
    for name, channel in document["channels"].items():
        schema_names = []
        for reference in channel.get("messages", {}).values():
            message = messages.get(reference["$ref"].rsplit("/", 1)[-1], {})
            payload_ref = message.get("payload", {}).get("$ref", "")
            schema_names.append(payload_ref.rsplit("/", 1)[-1])
        linked = ", ".join(
            f"{{doc}}`{schema} <{event_page[schema]}>`" if schema in event_page else f"`{schema}`"
            for schema in schema_names
        )
        description = " ".join(channel.get("description", "").split()).replace("|", "\\|")
        lines.append(
            f"| `{channel['address']}` | {operations.get(name, '')} | {linked} | {description} |"
        )
    lines.append("")
    return "\n".join(lines)
