"""Unit-test support for consumers: frame and decode messages with no network.

The registry here is not a mock: it is octobus-devstack's Schema Registry core (the same code
that serves the registry over HTTP in development) running in this process behind
``httpx.ASGITransport``. Ids, versions and compatibility rules behave as they do for real,
and the project keeps one implementation of registry semantics. Install with
``pip install octobus-schemas[testing]``.

Examples
--------
>>> async def test_handler_sees_the_event(event):  # doctest: +SKIP
...     async with InMemorySchemaRegistry() as registry:
...         message = await registry.frame(event)
...         assert await registry.decode(message) == event
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from dataclasses_avroschema.pydantic import AvroBaseModel

from octobus_schemas.avro import (
    AvroCodec,
    ModelCatalog,
    SchemaRegistryClient,
    SubjectNameStrategy,
)

__all__ = ["InMemorySchemaRegistry", "decode", "frame", "reset_default_registry"]

ModelT = TypeVar("ModelT", bound=AvroBaseModel)

_URL = "http://in-memory-registry.invalid"


class InMemorySchemaRegistry:
    """A Schema Registry living in this process, with a codec wired to it.

    Parameters
    ----------
    catalog
        The models ``decode`` may return (defaults to every model octobus-schemas ships).
    strategy
        The subject naming strategy of the codec.
    subject_suffix
        Appended to every subject.

    Attributes
    ----------
    client
        A `SchemaRegistryClient` talking to the in-process registry (use it to register
        schemas or set compatibility levels).
    codec
        An `AvroCodec` over ``client``, e.g. to pass to the FastStream codec in tests.
    """

    def __init__(
        self,
        *,
        catalog: ModelCatalog | None = None,
        strategy: SubjectNameStrategy = SubjectNameStrategy.RECORD_NAME,
        subject_suffix: str = "",
    ) -> None:
        try:
            from octobus_devstack.registry import create_app
        except ImportError as error:  # pragma: no cover - depends on the installed extras
            raise ImportError(
                "octobus_schemas.testing needs the registry of octobus-devstack: "
                "pip install 'octobus-schemas[testing]'"
            ) from error
        self.app: Any = create_app(":memory:")
        self._http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=_URL)
        self.client = SchemaRegistryClient(_URL, http_client=self._http)
        self.codec = AvroCodec(
            self.client, catalog=catalog, strategy=strategy, subject_suffix=subject_suffix
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Release the in-process HTTP client and close the registry's database."""
        await self._http.aclose()
        # The ASGI transport never runs the app's lifespan, so its shutdown, which would
        # close the SQLite connection, never happens: close it here.
        self.app.registry.close()

    async def frame(self, model: AvroBaseModel, *, topic: str | None = None) -> bytes:
        """Encode a model exactly as a producer would: registered schema id + Avro body.

        Parameters
        ----------
        model
            The event.
        topic
            The topic (topic subject strategies only).

        Returns
        -------
        bytes
            The Confluent-framed message value.
        """
        return await self.codec.encode(model, topic=topic)

    async def decode(self, data: bytes | None) -> AvroBaseModel | None:
        """Decode a framed message into its catalog model (None for a tombstone).

        Parameters
        ----------
        data
            The message value.

        Returns
        -------
        AvroBaseModel or None
            The model the writer's record names.
        """
        return await self.codec.decode(data)

    async def decode_as(self, data: bytes, model: type[ModelT]) -> ModelT:
        """Decode a framed message into a given model (the writer schema still resolved).

        Parameters
        ----------
        data
            The message value.
        model
            The model class.

        Returns
        -------
        ModelT
            The model.
        """
        return await self.codec.decode_as(data, model)


_default: InMemorySchemaRegistry | None = None


def _default_registry() -> InMemorySchemaRegistry:
    global _default  # one shared registry, like a process-wide mock
    if _default is None:
        _default = InMemorySchemaRegistry()
    return _default


def reset_default_registry() -> None:
    """Forget the registry `frame` and `decode` share, so the next call starts empty."""
    global _default
    if _default is not None:
        # Its HTTP client is in-process (no socket to release); its database is not.
        _default.app.registry.close()
    _default = None


async def frame(model: AvroBaseModel, *, topic: str | None = None) -> bytes:
    """Frame a model into a message value, through a process-wide in-memory registry.

    Parameters
    ----------
    model
        The event (any model of the default catalog, or any model at all: encoding needs
        no catalog).
    topic
        The topic (topic subject strategies only).

    Returns
    -------
    bytes
        The Confluent-framed message value.
    """
    return await _default_registry().frame(model, topic=topic)


async def decode(data: bytes | None) -> AvroBaseModel | None:
    """Decode a message value framed by `frame`, through the same in-memory registry.

    Parameters
    ----------
    data
        The message value.

    Returns
    -------
    AvroBaseModel or None
        The shipped model the writer's record names (None for a tombstone).
    """
    return await _default_registry().decode(data)
