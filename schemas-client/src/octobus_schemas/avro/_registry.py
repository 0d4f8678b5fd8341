"""The Schema Registry client: kafkit's sans-I/O `RegistryApi` over httpx, extended.

kafkit knows the protocol (URL templates, headers, error decoding); this facade adds what it
lacks: basic auth and TLS options, compatibility levels, verbose compatibility checks with
per-field reasons, typed errors naming the URL and status, and caches keyed the way the
registry itself keys things (schema ids are immutable, so a schema by id is cached forever;
a registration is cached per subject and schema text).
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
from dataclasses_avroschema.pydantic import AvroBaseModel
from kafkit.registry.errors import RegistryHttpError
from kafkit.registry.httpx import RegistryApi

from octobus_schemas.avro._schema import cached_schema, schema_text
from octobus_schemas.avro._subjects import CompatibilityLevel
from octobus_schemas.errors import (
    IncompatibleSchemaError,
    InvalidSchemaError,
    SchemaNotFoundError,
    SchemaRegistryError,
)

__all__ = ["CompatibilityReport", "RegisteredSchema", "SchemaRegistryClient", "SchemaSource"]

SchemaSource = type[AvroBaseModel] | Mapping[str, Any] | str
"""A schema given as a model class, a JSON-ready dict, or schema text."""

_JSON_CONTENT_TYPES = (
    "application/vnd.schemaregistry.v1+json",
    "application/vnd.schemaregistry+json",
    "application/json",
)


@dataclass(frozen=True, slots=True)
class RegisteredSchema:
    """A schema as registered under a subject.

    Attributes
    ----------
    subject
        The subject name.
    id
        The registry-wide schema id (what goes into the message header).
    version
        The schema's version within the subject.
    """

    subject: str
    id: int
    version: int


@dataclass(frozen=True, slots=True)
class CompatibilityReport:
    """Whether a schema may be registered under a subject, and why not.

    Attributes
    ----------
    subject
        The subject checked.
    compatible
        True when the registry would accept the schema.
    messages
        The registry's reasons, one per incompatibility (empty when compatible).
    """

    subject: str
    compatible: bool
    messages: list[str] = field(default_factory=list)


class _KafkitRegistryApi(RegistryApi):
    """kafkit's httpx transport, reading every JSON content type the registry may send."""

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Mapping[str, str], bytes]:
        status, response_headers, content = await super()._request(method, url, headers, body)
        content_type = response_headers.get("content-type", "")
        if content_type.split(";")[0].strip() in _JSON_CONTENT_TYPES:
            # kafkit decodes only two of the registry's JSON media types.
            response_headers = {**response_headers, "content-type": "application/json"}
        return status, response_headers, content


class SchemaRegistryClient:
    """An async client of a Confluent-compatible Schema Registry.

    Parameters
    ----------
    url
        The registry's base URL, for example ``http://127.0.0.1:8081``.
    username
        Basic-auth user (Confluent Cloud: the API key).
    password
        Basic-auth password (Confluent Cloud: the API secret).
    ca_file
        A PEM file of CA certificates to trust for an ``https`` registry.
    timeout
        Seconds to wait for each request.
    http_client
        An httpx client to use instead of building one (for example with an
        ``httpx.ASGITransport`` in tests). It is used as given: authentication and TLS are
        then its own configuration, and it is not closed by this client.

    Examples
    --------
    >>> async def register(model):  # doctest: +SKIP
    ...     async with SchemaRegistryClient("http://127.0.0.1:8081") as registry:
    ...         return await registry.register(model, "shop.events.Paid")
    """

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | Path | None = None,
        timeout: float = 10.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        url, username, password = _credentials_out_of(url, username, password)
        if (username is None) != (password is None):
            raise ValueError("give both username and password for basic auth, or neither")
        # Kept with its path: a registry can live under one (Apicurio's /apis/ccompat/v7).
        self.url = url.rstrip("/")
        if http_client is not None:
            if username is not None or ca_file is not None:
                raise ValueError(
                    "configure auth and TLS on the http_client you pass, not on the registry"
                )
            self._http = http_client
            self._owns_http = False
        else:
            self._http = httpx.AsyncClient(
                auth=httpx.BasicAuth(username, password)
                if username is not None and password is not None
                else None,
                verify=ssl.create_default_context(cafile=str(ca_file)) if ca_file else True,
                timeout=timeout,
            )
            self._owns_http = True
        self._api = _KafkitRegistryApi(http_client=self._http, url=self.url)
        self._schemas_by_id: dict[int, dict[str, Any]] = {}
        self._registrations: dict[tuple[str, str], RegisteredSchema] = {}

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
        """Close the HTTP client, if this registry client created it."""
        if self._owns_http:
            await self._http.aclose()

    async def register(
        self,
        schema: SchemaSource,
        subject: str,
        *,
        compatibility: CompatibilityLevel | None = None,
    ) -> RegisteredSchema:
        """Register a schema under a subject (or find it, if it is already there).

        Parameters
        ----------
        schema
            A model class, a schema dict or schema text.
        subject
            The subject to register under.
        compatibility
            If given, the subject's compatibility level is set to it first.

        Returns
        -------
        RegisteredSchema
            The subject, the schema id and its version in the subject.

        Raises
        ------
        IncompatibleSchemaError
            If the subject's compatibility level refuses the schema (with the reasons).
        InvalidSchemaError
            If the schema breaks a house rule (`octobus_schemas.events.check_schema`: a
            default that does not match its type or its union's first branch, a named type
            defined twice, not valid Avro), whatever form it is given in: refused here,
            naming the subject, record and field, before the registry sees it.
        SchemaRegistryError
            If the registry cannot be reached or answers with another error.
        """
        text = _checked_text(schema, subject)
        cached = self._registrations.get((subject, text))
        if cached is not None and compatibility is None:
            return cached
        if compatibility is not None:
            await self.set_compatibility(compatibility, subject)
        await self._call(
            "POST",
            "/subjects{/subject}/versions",
            {"subject": subject},
            {"schema": text},
            subject=subject,
        )
        return await self.lookup(text, subject)

    async def lookup(self, schema: SchemaSource, subject: str) -> RegisteredSchema:
        """Find a schema among a subject's versions, without registering it.

        Parameters
        ----------
        schema
            A model class, a schema dict or schema text.
        subject
            The subject to look in.

        Returns
        -------
        RegisteredSchema
            The subject, id and version.

        Raises
        ------
        SchemaNotFoundError
            If the subject does not exist or does not hold this schema.
        """
        text = _as_text(schema)
        cached = self._registrations.get((subject, text))
        if cached is not None:
            return cached
        result = await self._call(
            "POST",
            "/subjects{/subject}",
            {"subject": subject},
            {"schema": text},
            subject=subject,
        )
        registered = RegisteredSchema(
            subject=str(result["subject"]), id=int(result["id"]), version=int(result["version"])
        )
        self._registrations[(subject, text)] = registered
        if "schema" in result:
            self._schemas_by_id.setdefault(registered.id, json.loads(result["schema"]))
        return registered

    async def get_schema(self, schema_id: int) -> dict[str, Any]:
        """Return the schema with this id (fetched once, then cached forever: ids are immutable).

        Parameters
        ----------
        schema_id
            The registry-wide schema id.

        Returns
        -------
        dict
            The schema as a JSON-ready dict (shared: do not modify it).

        Raises
        ------
        SchemaNotFoundError
            If the registry has no schema with this id ("schema id 999 not found").
        """
        cached = self._schemas_by_id.get(schema_id)
        if cached is not None:
            return cached
        result = await self._call(
            "GET", "/schemas/ids{/schema_id}", {"schema_id": str(schema_id)}, schema_id=schema_id
        )
        schema_type = result.get("schemaType", "AVRO")
        if schema_type != "AVRO":
            raise InvalidSchemaError(f"schema id {schema_id} is a {schema_type} schema, not Avro")
        schema: dict[str, Any] = json.loads(result["schema"])
        self._schemas_by_id[schema_id] = schema
        return schema

    async def check_compatibility(self, schema: SchemaSource, subject: str) -> CompatibilityReport:
        """Ask the registry whether a schema may be registered under a subject, and why not.

        The check follows the subject's compatibility level (transitive levels check every
        version). The registry's verbose messages name each incompatible field. A registry
        without the all-versions endpoint (older Confluent, some Karapace releases) is asked
        about the latest version instead.

        Parameters
        ----------
        schema
            A model class, a schema dict or schema text.
        subject
            The subject to check against.

        Returns
        -------
        CompatibilityReport
            ``compatible`` and the registry's reasons.

        Raises
        ------
        InvalidSchemaError
            If the schema breaks a house rule (as for `register`): it could never be
            registered, whatever the registry would say about compatibility.
        """
        text = _checked_text(schema, subject)
        try:
            try:
                result = await self._call(
                    "POST",
                    "/compatibility/subjects{/subject}/versions{?verbose}",
                    {"subject": subject, "verbose": "true"},
                    {"schema": text},
                    subject=subject,
                )
            except SchemaRegistryError as error:
                if error.error_code is not None or error.status_code not in (404, 405):
                    raise
                # No such route (not a registry error code): an older registry.
                result = await self._call(
                    "POST",
                    "/compatibility/subjects{/subject}/versions/latest{?verbose}",
                    {"subject": subject, "verbose": "true"},
                    {"schema": text},
                    subject=subject,
                )
        except SchemaNotFoundError:
            # Nothing registered yet: anything is compatible with nothing.
            return CompatibilityReport(subject=subject, compatible=True)
        messages = [str(message) for message in result.get("messages") or []]
        return CompatibilityReport(
            subject=subject, compatible=bool(result["is_compatible"]), messages=messages
        )

    async def get_compatibility(self, subject: str | None = None) -> CompatibilityLevel:
        """Return the compatibility level of a subject (falling back to the global level).

        Parameters
        ----------
        subject
            The subject; None for the global level.

        Returns
        -------
        CompatibilityLevel
            The level in force.
        """
        if subject is None:
            result = await self._call("GET", "/config", {})
        else:
            result = await self._call(
                "GET",
                "/config{/subject}{?defaultToGlobal}",
                {"subject": subject, "defaultToGlobal": "true"},
                subject=subject,
            )
        return CompatibilityLevel(result.get("compatibilityLevel") or result["compatibility"])

    async def set_compatibility(
        self, level: CompatibilityLevel, subject: str | None = None
    ) -> None:
        """Set the compatibility level of a subject, or the global level.

        Parameters
        ----------
        level
            The level.
        subject
            The subject; None for the global level.
        """
        level = CompatibilityLevel(level)
        body = {"compatibility": level.value}
        if subject is None:
            await self._call("PUT", "/config", {}, body)
        else:
            await self._call(
                "PUT", "/config{/subject}", {"subject": subject}, body, subject=subject
            )

    async def _call(
        self,
        method: str,
        path: str,
        url_vars: Mapping[str, str],
        body: Any = b"",
        *,
        subject: str | None = None,
        schema_id: int | None = None,
    ) -> Any:
        # kafkit joins a path to its base URL with urljoin, which would drop the base's own
        # path: give it the whole URL.
        target = f"{self.url}{path}"
        try:
            if method == "GET":
                result = await self._api.get(target, url_vars)
            elif method == "POST":
                result = await self._api.post(target, url_vars, data=body)
            elif method == "PUT":
                result = await self._api.put(target, url_vars, data=body)
            else:  # pragma: no cover - only the verbs above are used
                raise ValueError(method)
        except RegistryHttpError as error:
            raise _translate(error, self.url, subject=subject, schema_id=schema_id) from error
        except httpx.HTTPError as error:
            raise SchemaRegistryError(
                f"cannot reach the Schema Registry at {self.url}: {type(error).__name__}: {error}",
                url=self.url,
            ) from error
        if not isinstance(result, dict):
            raise SchemaRegistryError(
                f"the Schema Registry at {self.url} answered {method} {path} with "
                f"{str(result)[:80]!r}, not a JSON object",
                url=self.url,
            )
        return result


def _credentials_out_of(
    url: str, username: str | None, password: str | None
) -> tuple[str, str | None, str | None]:
    """Move credentials written into the URL (``https://key:secret@host``) to basic auth.

    Confluent's clients accept them there; kept in the URL, they would appear in every error
    message and log line that names the registry.
    """
    parsed = httpx.URL(url)
    if not parsed.userinfo:
        return url, username, password
    if username is not None or password is not None:
        raise ValueError(
            "give the registry's credentials in its URL or as username and password, not both"
        )
    return str(parsed.copy_with(username=None, password=None)), parsed.username, parsed.password


def _as_text(schema: SchemaSource) -> str:
    if isinstance(schema, str):
        return schema
    if isinstance(schema, type):
        return schema_text(cached_schema(schema))
    return schema_text(dict(schema))


def _checked_text(schema: SchemaSource, subject: str) -> str:
    """Return the schema text, once the house rules accept it.

    A model's schema and a dict or text written by hand go through the same check: fastavro
    and Python's ``avro`` accept a union default on the wrong branch, which a Java registry
    (or any Java reader) refuses later; it must be refused before anything is registered.
    """
    text = _as_text(schema)
    if text in _checked_texts:
        return text
    # Imported here: the rules live with the event models, which sit above the machinery
    # (the machinery imports without them), as for the codec's default catalog.
    from octobus_schemas.events import SchemaRuleError, check_schema

    try:
        parsed = json.loads(text)
    except ValueError as error:
        raise InvalidSchemaError(
            f"schema for subject {subject!r} is not JSON: {error} (in {text[:80]!r})"
        ) from None
    try:
        check_schema(parsed)
    except SchemaRuleError as error:
        raise SchemaRuleError(
            f"schema for subject {subject!r} refused before registering: {error}"
        ) from error
    _checked_texts.add(text)
    return text


# Texts that passed the house rules: checking is pure, so each text is checked once.
_checked_texts: set[str] = set()


def _translate(
    error: RegistryHttpError, url: str, *, subject: str | None, schema_id: int | None
) -> Exception:
    code = error.error_code
    message = error.message or ""
    # Only the registry's own error code says a schema is missing. A bare 404 is a URL that
    # is not a registry (a wrong path, a proxy's page): a fault to report, not an answer.
    if code == 40403:
        if schema_id is not None:
            return SchemaNotFoundError(f"schema id {schema_id} not found", schema_id=schema_id)
        return SchemaNotFoundError(
            f"schema not found under subject {subject!r}: {message}", subject=subject
        )
    if code in (40401, 40402, 40408):
        return SchemaNotFoundError(
            f"subject {subject!r} not found at {url}: {message}", subject=subject
        )
    if code == 409 or error.status_code == 409:
        return IncompatibleSchemaError(subject or "?", [message] if message else [])
    if code in (42201, 42202):
        return InvalidSchemaError(f"the registry refused the schema for {subject!r}: {message}")
    detail = f" ({code}: {message})" if code is not None else ""
    return SchemaRegistryError(
        f"the Schema Registry at {url} answered HTTP {error.status_code}{detail}",
        url=url,
        status_code=error.status_code,
        error_code=code,
    )
