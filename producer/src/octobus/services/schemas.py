"""Registering every event schema with the Schema Registry when the gateway starts."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from octobus_schemas.api import TopicInfo
from octobus_schemas.avro import AvroCodec, CompatibilityLevel
from octobus_schemas.errors import IncompatibleSchemaError, SchemaRegistryError
from octobus_schemas.topics import TopicSpec

from octobus.errors import StartupError
from octobus.services.retry import retry_with_backoff

__all__ = ["register_event_schemas"]

logger = logging.getLogger(__name__)


async def register_event_schemas(
    codec: AvroCodec,
    specs: Sequence[TopicSpec],
    *,
    compatibility: CompatibilityLevel,
    give_up_after: float,
) -> list[TopicInfo]:
    """Register each topic's record schema under its subject, with a compatibility level.

    A registry that cannot be reached (or answers with a server error) is retried with
    backoff for ``give_up_after`` seconds; a schema the registry refuses stops the
    start-up at once, an incompatible one with the registry's per-field report. Once
    registered, the codec encodes these models without asking the registry again.

    Parameters
    ----------
    codec
        The codec, with its registry client and subject naming.
    specs
        The topics, each with its record model.
    compatibility
        Set on every subject before its schema is registered.
    give_up_after
        Seconds to keep retrying an unreachable registry.

    Returns
    -------
    list of TopicInfo
        One entry per topic, with its subject, schema id and version.

    Raises
    ------
    StartupError
        If the registry stays unreachable, or refuses a schema (incompatible or invalid).
    """
    catalog: list[TopicInfo] = []
    for spec in specs:
        record = spec.model.get_fullname()
        subject = codec.subject_for(spec.model, spec.name)

        async def register(spec: TopicSpec = spec) -> TopicInfo:
            [registered] = await codec.register_all(
                [spec.model], topic_for=lambda _: spec.name, compatibility=compatibility
            )
            return TopicInfo(
                topic=spec.name,
                record=spec.model.get_fullname(),
                subject=registered.subject,
                schema_id=registered.id,
                version=registered.version,
                github_event=spec.github_event,
            )

        try:
            info = await retry_with_backoff(
                register,
                what=f"register {record} under subject {subject!r} at {codec.registry.url}",
                give_up_after=give_up_after,
                retryable=_unreachable,
            )
        except IncompatibleSchemaError as error:
            report = await codec.registry.check_compatibility(spec.model, subject)
            reasons = report.messages or error.messages or [str(error)]
            msg = (
                f"the {record} model is incompatible with what subject {subject!r} holds "
                f"under {compatibility.value}: {'; '.join(reasons)}"
            )
            raise StartupError(msg) from error
        except StartupError:
            raise
        except Exception as error:
            msg = f"the Schema Registry refused {record} under subject {subject!r}: {error}"
            raise StartupError(msg) from error
        logger.info(
            "schema %s registered under %s: id %s, version %s",
            record,
            subject,
            info.schema_id,
            info.version,
        )
        catalog.append(info)
    return catalog


def _unreachable(error: Exception) -> bool:
    # No answer at all, or a server-side failure: worth waiting for. A 4xx is an answer.
    return (
        isinstance(error, SchemaRegistryError)
        and not isinstance(error, IncompatibleSchemaError)
        and (error.status_code is None or error.status_code >= 500)
    )
