"""The AsyncAPI document of the topics: ``/asyncapi.json`` and a viewer at ``/asyncapi``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from faststream.specification import AsyncAPI, get_asyncapi_html

from octobus import __version__
from octobus.dependencies import GatewayDependency

__all__ = ["ASYNCAPI_JSON_PATH", "ASYNCAPI_PATH", "router"]

ASYNCAPI_JSON_PATH = "/asyncapi.json"
"""The AsyncAPI 3.0 document, as JSON."""

ASYNCAPI_PATH = "/asyncapi"
"""The document rendered by the AsyncAPI web component (loaded by the browser)."""

router = APIRouter(tags=["asyncapi"])


def _specification(gateway: GatewayDependency) -> AsyncAPI:
    return AsyncAPI(
        gateway.broker,
        title="Octobus events",
        version=__version__,
        description="The Kafka topics the Octobus gateway publishes GitHub events to.",
    )


@router.get(ASYNCAPI_JSON_PATH, summary="AsyncAPI document")
async def asyncapi_document(gateway: GatewayDependency) -> dict[str, Any]:
    """Describe every topic, its message schema, key and headers (AsyncAPI 3.0)."""
    document: dict[str, Any] = _specification(gateway).to_specification().to_jsonable()
    return document


@router.get(ASYNCAPI_PATH, response_class=HTMLResponse, summary="AsyncAPI viewer")
async def asyncapi_viewer(gateway: GatewayDependency) -> HTMLResponse:
    """Render the AsyncAPI document in the browser."""
    html = get_asyncapi_html(_specification(gateway).to_specification(), try_it_out_path=None)
    return HTMLResponse(html)
