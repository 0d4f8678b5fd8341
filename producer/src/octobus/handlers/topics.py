"""``GET /v1/topics``: every topic the gateway writes to, with its schema."""

from __future__ import annotations

from fastapi import APIRouter
from octobus_schemas.api import TOPICS_PATH, TopicCatalog

from octobus.dependencies import GatewayDependency

__all__ = ["router"]

router = APIRouter(tags=["topics"])


@router.get(TOPICS_PATH, response_model=TopicCatalog, summary="Topic catalog")
async def list_topics(gateway: GatewayDependency) -> TopicCatalog:
    """List each topic with its record, subject, schema id and version."""
    return gateway.catalog()
