"""The registry as a plain ASGI application: routing, request decoding, response encoding.

No web framework: the routes are a table of path templates matched on the *raw* path, so a
subject containing ``/`` (sent as ``%2F``) is one segment, decoded after matching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from octobus_devstack.registry._errors import RegistryError
from octobus_devstack.registry._nesting import MAX_NESTING, nesting_exceeds
from octobus_devstack.registry._registry import Registry, parse_version

__all__ = ["RegistryApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_V1_JSON = "application/vnd.schemaregistry.v1+json"
_ACCEPTED_BODY_TYPES = (
    _V1_JSON,
    "application/vnd.schemaregistry+json",
    "application/json",
    "application/octet-stream",
)
_RESPONSE_TYPES = (_V1_JSON, "application/vnd.schemaregistry+json", "application/json")
_MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass
class Request:
    """One decoded HTTP request.

    Parameters
    ----------
    params
        Path parameters, percent-decoded.
    query
        Query parameters (last value wins).
    body
        The JSON body (``None`` when empty).
    """

    params: dict[str, str]
    query: dict[str, str]
    body: Any = None

    def flag(self, name: str) -> bool:
        """Return a boolean query parameter: ``true`` in any case is true, anything else false."""
        return self.query.get(name, "").lower() == "true"

    def integer(self, name: str, default: int) -> int:
        """Return an integer query parameter, or 404 as Jersey answers one that is not."""
        text = self.query.get(name)
        if text is None:
            return default
        if not re.fullmatch(r"-?\d{1,10}", text.strip()):
            msg = f"HTTP 404 Not Found: query parameter {name}={text!r} is not an integer"
            raise RegistryError(msg, 404)
        return int(text)

    def object_body(self) -> dict[str, Any]:
        """Return the body as a JSON object, or raise 422 naming what arrived instead."""
        if not isinstance(self.body, dict):
            kind = "an empty body" if self.body is None else type(self.body).__name__
            msg = f"The request body must be a JSON object, got {kind}"
            raise RegistryError(msg, 422)
        return self.body


Handler = Callable[[Registry, Request], Any]


class RegistryApp:
    """The Confluent Schema Registry REST API as an ASGI callable.

    Parameters
    ----------
    registry
        The registry the routes operate on.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._routes = _routes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (``http`` or ``lifespan``)."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # pragma: no cover - websockets are not routed
            return
        body = await _read_body(receive)
        status, payload, content_type = self._respond(scope, body)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _respond(self, scope: Scope, body: bytes | None) -> tuple[int, bytes, str]:
        content_type = _response_type(_header(scope, b"accept"))
        try:
            if body is None:
                msg = f"Request body larger than {_MAX_BODY_BYTES} bytes"
                raise RegistryError(msg, 413)
            handler, params = self._match(scope)
            request = Request(params, _query(scope))
            if body.strip():
                _check_body_type(_header(scope, b"content-type"))
                request.body = _decode_json(body)
            result = handler(self.registry, request)
        except RegistryError as error:
            payload = {"error_code": error.error_code, "message": error.message}
            return error.http_status, _encode(payload), content_type
        except Exception as error:
            payload = {"error_code": 50001, "message": f"Error in the backend datastore: {error}"}
            return 500, _encode(payload), content_type
        if isinstance(result, RawJson):
            return 200, result.text.encode(), content_type
        return 200, _encode(result), content_type

    def _match(self, scope: Scope) -> tuple[Handler, dict[str, str]]:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        raw = raw_path.decode("latin-1").split("?", 1)[0]
        segments = [segment for segment in raw.split("/") if segment]
        method = scope["method"]
        path_matched = False
        for route in self._routes:
            params = route.match(segments)
            if params is None:
                continue
            path_matched = True
            if route.method == method:
                return route.handler, params
        if path_matched:
            msg = f"HTTP 405 Method Not Allowed: {method} {unquote(raw)}"
            raise RegistryError(msg, 405)
        msg = f"HTTP 404 Not Found: {unquote(raw)}"
        raise RegistryError(msg, 404)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.registry.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


@dataclass(frozen=True)
class RawJson:
    """A response body that is already JSON text (a schema returned as itself)."""

    text: str


@dataclass(frozen=True)
class Route:
    """A method and a path template such as ``/subjects/{subject}/versions``."""

    method: str
    template: tuple[str, ...]
    handler: Handler

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """Return the decoded path parameters when ``segments`` fit the template."""
        if len(segments) != len(self.template):
            return None
        params = {}
        for part, segment in zip(self.template, segments, strict=True):
            if part.startswith("{"):
                params[part[1:-1]] = unquote(segment)
            elif part != segment:
                return None
        return params


def _schema_id(request: Request) -> int:
    text = request.params["id"]
    if not re.fullmatch(r"-?\d{1,10}", text):
        msg = f"HTTP 404 Not Found: schema id {text!r} is not an integer"
        raise RegistryError(msg, 404)
    return int(text)


def _subject(request: Request) -> str:
    return request.params["subject"]


def _version(request: Request) -> int:
    return parse_version(request.params["version"])


def _routes() -> list[Route]:
    def route(method: str, path: str, handler: Handler) -> Route:
        return Route(method, tuple(part for part in path.split("/") if part), handler)

    return [
        route("GET", "/", lambda r, q: {}),
        route(
            "GET",
            "/schemas",
            lambda r, q: r.schemas(
                prefix=q.query.get("subjectPrefix", ""),
                deleted=q.flag("deleted"),
                latest_only=q.flag("latestOnly"),
                offset=q.integer("offset", 0),
                limit=q.integer("limit", -1),
            ),
        ),
        route("GET", "/schemas/types", lambda r, q: ["AVRO"]),
        route("GET", "/schemas/ids/{id}", lambda r, q: r.schema_by_id(_schema_id(q))),
        route(
            "GET",
            "/schemas/ids/{id}/schema",
            lambda r, q: RawJson(r.schema_by_id(_schema_id(q))["schema"]),
        ),
        route(
            "GET",
            "/schemas/ids/{id}/versions",
            lambda r, q: r.versions_of_id(_schema_id(q), deleted=q.flag("deleted")),
        ),
        route(
            "GET",
            "/schemas/ids/{id}/subjects",
            lambda r, q: r.subjects_of_id(_schema_id(q), deleted=q.flag("deleted")),
        ),
        route(
            "GET",
            "/subjects",
            lambda r, q: r.subjects(
                deleted=q.flag("deleted"), prefix=q.query.get("subjectPrefix", "")
            ),
        ),
        route(
            "POST",
            "/subjects/{subject}",
            lambda r, q: r.lookup(_subject(q), q.object_body(), deleted=q.flag("deleted")),
        ),
        route(
            "DELETE",
            "/subjects/{subject}",
            lambda r, q: r.delete_subject(_subject(q), permanent=q.flag("permanent")),
        ),
        route(
            "GET",
            "/subjects/{subject}/versions",
            lambda r, q: r.versions(_subject(q), deleted=q.flag("deleted")),
        ),
        route(
            "POST",
            "/subjects/{subject}/versions",
            lambda r, q: r.register(_subject(q), q.object_body(), normalize=q.flag("normalize")),
        ),
        route(
            "GET",
            "/subjects/{subject}/versions/{version}",
            lambda r, q: r.version(_subject(q), _version(q), deleted=q.flag("deleted")),
        ),
        route(
            "DELETE",
            "/subjects/{subject}/versions/{version}",
            lambda r, q: r.delete_version(_subject(q), _version(q), permanent=q.flag("permanent")),
        ),
        route(
            "GET",
            "/subjects/{subject}/versions/{version}/schema",
            lambda r, q: RawJson(
                r.version(_subject(q), _version(q), deleted=q.flag("deleted"))["schema"]
            ),
        ),
        route(
            "GET",
            "/subjects/{subject}/versions/{version}/referencedby",
            lambda r, q: r.referenced_by(_subject(q), _version(q)),
        ),
        route(
            "POST",
            "/compatibility/subjects/{subject}/versions/{version}",
            lambda r, q: r.test_compatibility(
                _subject(q), _version(q), q.object_body(), verbose=q.flag("verbose")
            ),
        ),
        route(
            "POST",
            "/compatibility/subjects/{subject}/versions",
            lambda r, q: r.test_compatibility(
                _subject(q), None, q.object_body(), verbose=q.flag("verbose")
            ),
        ),
        route("GET", "/config", lambda r, q: r.config(None, default_to_global=True)),
        route("PUT", "/config", lambda r, q: r.set_config(None, q.object_body())),
        route("DELETE", "/config", lambda r, q: r.delete_config(None)),
        route(
            "GET",
            "/config/{subject}",
            lambda r, q: r.config(_subject(q), default_to_global=q.flag("defaultToGlobal")),
        ),
        route("PUT", "/config/{subject}", lambda r, q: r.set_config(_subject(q), q.object_body())),
        route("DELETE", "/config/{subject}", lambda r, q: r.delete_config(_subject(q))),
        route("GET", "/mode", lambda r, q: r.mode(None, default_to_global=True)),
        route(
            "PUT", "/mode", lambda r, q: r.set_mode(None, q.object_body(), force=q.flag("force"))
        ),
        route(
            "GET",
            "/mode/{subject}",
            lambda r, q: r.mode(_subject(q), default_to_global=q.flag("defaultToGlobal")),
        ),
        route(
            "PUT",
            "/mode/{subject}",
            lambda r, q: r.set_mode(_subject(q), q.object_body(), force=q.flag("force")),
        ),
        route("DELETE", "/mode/{subject}", lambda r, q: r.delete_mode(_subject(q))),
    ]


async def _read_body(receive: Receive) -> bytes | None:
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks += message.get("body", b"")
        if len(chunks) > _MAX_BODY_BYTES:
            return None
        if not message.get("more_body", False):
            break
    return bytes(chunks)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _query(scope: Scope) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def _check_body_type(content_type: str) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in _ACCEPTED_BODY_TYPES:
        msg = (
            f"HTTP 415 Unsupported Media Type: {media_type!r}; send "
            f"{', '.join(_ACCEPTED_BODY_TYPES)}"
        )
        raise RegistryError(msg, 415)


def _decode_json(body: bytes) -> Any:
    if nesting_exceeds(body):
        msg = (
            f"Unparseable JSON request body: it nests arrays and objects deeper than "
            f"{MAX_NESTING} levels"
        )
        raise RegistryError(msg, 400)
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        msg = f"Unparseable JSON request body: {error}"
        raise RegistryError(msg, 400) from error


def _response_type(accept: str) -> str:
    for media_range in accept.split(","):
        media_type = media_range.split(";", 1)[0].strip().lower()
        if media_type in _RESPONSE_TYPES:
            return media_type
    return _V1_JSON


def _encode(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
