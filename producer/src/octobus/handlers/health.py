"""``GET /healthz`` (liveness) and ``GET /readyz`` (readiness: Kafka and the registry)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from octobus_schemas.api import HEALTH_PATH, READY_PATH, Health

from octobus import __version__
from octobus.dependencies import GatewayDependency

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get(HEALTH_PATH, response_model=Health, summary="Liveness")
async def liveness() -> Health:
    """Answer ``ok`` while the process serves HTTP; checks no dependency."""
    return Health(status="ok", version=__version__)


@router.get(
    READY_PATH,
    response_model=Health,
    summary="Readiness",
    responses={503: {"model": Health, "description": "Kafka or the registry is unavailable."}},
)
async def readiness(gateway: GatewayDependency, response: Response) -> Health:
    """Check that Kafka and the Schema Registry answer; 503 naming the one that does not."""
    health = await gateway.readiness()
    if not health.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return health
