"""The gateway's REST interface: response models and route names.

The models are plain Pydantic with no server dependency. The gateway uses them as its FastAPI
response models; callers parse its answers with them, usually through
:mod:`octobus_schemas.api.client`.
"""

from octobus_schemas.api._models import (
    DeliveryAccepted,
    DependencyStatus,
    ErrorBody,
    Health,
    HealthStatus,
    PingAnswer,
    TopicCatalog,
    TopicInfo,
)
from octobus_schemas.api._routes import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    HEALTH_PATH,
    HOOK_ID_HEADER,
    READY_PATH,
    SIGNATURE_256_HEADER,
    SIGNATURE_HEADER,
    TOPICS_PATH,
    WEBHOOK_PATH,
)

__all__ = [
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "HEALTH_PATH",
    "HOOK_ID_HEADER",
    "READY_PATH",
    "SIGNATURE_256_HEADER",
    "SIGNATURE_HEADER",
    "TOPICS_PATH",
    "WEBHOOK_PATH",
    "DeliveryAccepted",
    "DependencyStatus",
    "ErrorBody",
    "Health",
    "HealthStatus",
    "PingAnswer",
    "TopicCatalog",
    "TopicInfo",
]
