"""The registry's operations, one method per REST endpoint, over the SQLite store.

Methods take already-decoded request values and return JSON-ready values; every refusal is
a :class:`~octobus_devstack.registry._errors.RegistryError` with Confluent's error code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from os import PathLike
from typing import Any

from octobus_devstack.registry._avro import ParsedSchema, parse_avro
from octobus_devstack.registry._compat import (
    CompatibilityLevel,
    PreviousSchema,
    check_compatibility,
    parse_level,
)
from octobus_devstack.registry._errors import (
    IncompatibleSchemaError,
    InvalidModeError,
    InvalidSchemaError,
    InvalidVersionError,
    OperationNotPermittedError,
    ReferenceExistsError,
    RegistryError,
    SchemaNotFoundError,
    SubjectConfigNotFoundError,
    SubjectModeNotFoundError,
    SubjectNotFoundError,
    SubjectNotSoftDeletedError,
    SubjectSoftDeletedError,
    VersionNotFoundError,
    VersionNotSoftDeletedError,
    VersionSoftDeletedError,
)
from octobus_devstack.registry._store import GLOBAL_SCOPE, Store, Transaction, VersionRow

__all__ = ["MODES", "Registry", "parse_version"]

MODES = ("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT")
_COMPATIBILITY = "compatibility"
_MODE = "mode"
_LATEST = -1
_MAX_VERSION = 2**31 - 1
_SUPPORTED_TYPES = ("AVRO",)
_KNOWN_TYPES = ("AVRO", "JSON", "PROTOBUF")


def parse_version(text: str) -> int:
    """Return the version a path segment names; ``latest`` and ``-1`` give ``-1``.

    Parameters
    ----------
    text
        The ``{version}`` path segment.

    Returns
    -------
    int
        A version in ``[1, 2^31-1]``, or ``-1`` for the latest.

    Raises
    ------
    InvalidVersionError
        Anything else.
    """
    if text == "latest":
        return _LATEST
    try:
        version = int(text)
    except ValueError:
        raise InvalidVersionError(text) from None
    if version == _LATEST or 1 <= version <= _MAX_VERSION:
        return version
    raise InvalidVersionError(text)


class Registry:
    """A Confluent-compatible Schema Registry over one SQLite database.

    Parameters
    ----------
    database
        A file path, or ``":memory:"``.
    """

    def __init__(self, database: str | PathLike[str] = ":memory:") -> None:
        self.store = Store(database)
        self._parsed: dict[int, ParsedSchema] = {}

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def reset(self) -> None:
        """Hard-delete every subject and every setting (ids keep growing, as in Confluent)."""
        with self.store.transaction(write=True) as tx:
            tx.clear()

    # schemas by id

    def schema_by_id(self, schema_id: int) -> dict[str, Any]:
        """``GET /schemas/ids/{id}``: the schema text, type and references."""
        with self.store.transaction() as tx:
            row = tx.schema(schema_id)
            if row is None:
                raise SchemaNotFoundError(schema_id)
            return _schema_body({"schema": row.canonical}, row.schema_type, row.refs)

    def versions_of_id(self, schema_id: int, *, deleted: bool) -> list[dict[str, Any]]:
        """``GET /schemas/ids/{id}/versions``: every subject version using the schema."""
        with self.store.transaction() as tx:
            if tx.schema(schema_id) is None:
                raise SchemaNotFoundError(schema_id)
            rows = tx.versions_of_schema(schema_id, include_deleted=deleted)
            return [{"subject": row.subject, "version": row.version} for row in rows]

    def subjects_of_id(self, schema_id: int, *, deleted: bool) -> list[str]:
        """``GET /schemas/ids/{id}/subjects``: the subjects using the schema."""
        versions = self.versions_of_id(schema_id, deleted=deleted)
        return sorted({entry["subject"] for entry in versions})

    # subjects and versions

    def subjects(self, *, deleted: bool, prefix: str = "") -> list[str]:
        """``GET /subjects``: subjects with a live version (or any, with ``deleted``)."""
        with self.store.transaction() as tx:
            return [s for s in tx.subjects(include_deleted=deleted) if s.startswith(prefix)]

    def versions(self, subject: str, *, deleted: bool) -> list[int]:
        """``GET /subjects/{s}/versions``."""
        with self.store.transaction() as tx:
            rows = tx.versions(subject, include_deleted=deleted)
            if not rows:
                raise SubjectNotFoundError(subject)
            return [row.version for row in rows]

    def version(self, subject: str, version: int, *, deleted: bool) -> dict[str, Any]:
        """``GET /subjects/{s}/versions/{v}``: subject, version, id and schema."""
        with self.store.transaction() as tx:
            return _version_body(tx, _find_version(tx, subject, version, deleted=deleted))

    def schemas(
        self,
        *,
        prefix: str = "",
        deleted: bool = False,
        latest_only: bool = False,
        offset: int = 0,
        limit: int = -1,
    ) -> list[dict[str, Any]]:
        """``GET /schemas``: every subject version as ``GET /subjects/{s}/versions/{v}`` gives it.

        Sorted by subject, then version; ``latest_only`` keeps each subject's newest (of
        those listed); ``offset`` and ``limit`` page the result (a ``limit`` of 0 or less
        lists all).
        """
        with self.store.transaction() as tx:
            every = tx.all_versions(include_deleted=deleted)
            rows = [row for row in every if row.subject.startswith(prefix)]
            if latest_only:
                newest = {row.subject: row for row in rows}
                rows = list(newest.values())
            page = rows[max(offset, 0) :]
            if limit > 0:
                page = page[:limit]
            return [_version_body(tx, row) for row in page]

    def referenced_by(self, subject: str, version: int) -> list[int]:
        """``GET /subjects/{s}/versions/{v}/referencedby``: ids of schemas referencing it."""
        with self.store.transaction() as tx:
            row = _find_version(tx, subject, version, deleted=False)
            return tx.schema_ids_referencing(_reference_fragment(subject, row.version))

    def register(
        self, subject: str, request: Mapping[str, Any], *, normalize: bool = False
    ) -> dict[str, Any]:
        """``POST /subjects/{s}/versions``: register a schema, returning its id.

        A schema already live in the subject returns its id without a new version or a
        compatibility check. ``normalize`` is accepted: the stored form is always canonical.
        """
        del normalize  # identity is always the canonical text
        schema_type, references = _type_and_references(request)
        with self.store.transaction(write=True) as tx:
            mode = self._mode(tx, subject)
            if mode in ("READONLY", "READONLY_OVERRIDE"):
                msg = f"Subject {subject} is in read-only mode"
                raise OperationNotPermittedError(msg)
            wanted_id = request.get("id")
            wanted_version = request.get("version")
            if mode != "IMPORT" and wanted_id is not None:
                msg = f"Subject {subject} is not in import mode; a schema id cannot be chosen"
                raise OperationNotPermittedError(msg)
            parsed = self._parse(tx, request.get("schema"), references)
            refs = _refs_json(references)
            existing = tx.version_holding(subject, parsed.canonical, refs, include_deleted=False)
            if existing is not None:
                return {"id": existing.schema_id}
            live = tx.versions(subject, include_deleted=False)
            schema_id = tx.schema_id_for(schema_type, parsed.canonical, refs)
            if mode == "IMPORT":
                schema_id = self._import_id(tx, wanted_id, schema_id, parsed, refs)
            else:
                self._require_compatible(tx, subject, parsed, live)
            if schema_id is None:
                schema_id = tx.add_schema(schema_type, parsed.canonical, refs, None)
            version = tx.next_version(subject)
            if mode == "IMPORT" and wanted_version is not None:
                version = _import_version(wanted_version)
                if any(
                    row.version == version for row in tx.versions(subject, include_deleted=True)
                ):
                    msg = f"Subject {subject} already has version {version}; it is not overwritten"
                    raise OperationNotPermittedError(msg)
            tx.add_version(subject, version, schema_id)
        # cached only once committed: a rolled-back id may be handed out again
        self._parsed[schema_id] = parsed
        return {"id": schema_id}

    def lookup(self, subject: str, request: Mapping[str, Any], *, deleted: bool) -> dict[str, Any]:
        """``POST /subjects/{s}``: the version of the subject holding this schema."""
        schema_type, references = _type_and_references(request)
        with self.store.transaction() as tx:
            parsed = self._parse(tx, request.get("schema"), references)
            refs = _refs_json(references)
            if not tx.versions(subject, include_deleted=deleted):
                raise SubjectNotFoundError(subject)
            row = tx.version_holding(subject, parsed.canonical, refs, include_deleted=deleted)
            if row is None:
                raise SchemaNotFoundError
            body = {"subject": subject, "id": row.schema_id, "version": row.version}
            return _schema_body(body | {"schema": parsed.canonical}, schema_type, refs)

    def delete_version(self, subject: str, version: int, *, permanent: bool) -> int:
        """``DELETE /subjects/{s}/versions/{v}``: soft, or hard after a soft delete."""
        with self.store.transaction(write=True) as tx:
            self._require_writable(tx, subject)
            if not tx.versions(subject, include_deleted=permanent):
                raise SubjectNotFoundError(subject)
            # "latest" names the newest live version, except for a permanent delete, which
            # only ever applies to soft-deleted versions
            row = _find_version(tx, subject, version, deleted=permanent or version != _LATEST)
            if row.deleted and not permanent:
                raise VersionSoftDeletedError(subject, row.version)
            if permanent and not row.deleted:
                raise VersionNotSoftDeletedError(subject, row.version)
            if not permanent and tx.schema_ids_referencing(
                _reference_fragment(subject, row.version)
            ):
                raise ReferenceExistsError(_referenced_message(subject, row.version))
            if permanent:
                tx.hard_delete(subject, row.version)
            else:
                tx.soft_delete(subject, row.version)
            return row.version

    def delete_subject(self, subject: str, *, permanent: bool) -> list[int]:
        """``DELETE /subjects/{s}``: soft-delete every version, or hard after a soft delete."""
        with self.store.transaction(write=True) as tx:
            self._require_writable(tx, subject)
            every = tx.versions(subject, include_deleted=True)
            if not every:
                raise SubjectNotFoundError(subject)
            live = [row for row in every if not row.deleted]
            if permanent:
                if live:
                    raise SubjectNotSoftDeletedError(subject)
                tx.hard_delete(subject)
                tx.delete_setting(subject, _COMPATIBILITY)
                tx.delete_setting(subject, _MODE)
                return [row.version for row in every]
            if not live:
                raise SubjectSoftDeletedError(subject)
            for row in live:
                if tx.schema_ids_referencing(_reference_fragment(subject, row.version)):
                    raise ReferenceExistsError(_referenced_message(subject, row.version))
            tx.soft_delete(subject)
            return [row.version for row in live]

    # compatibility

    def test_compatibility(
        self,
        subject: str,
        version: int | None,
        request: Mapping[str, Any],
        *,
        verbose: bool,
    ) -> dict[str, Any]:
        """``POST /compatibility/subjects/{s}/versions[/{v}]``: say whether it would be accepted.

        As in Confluent 7.x: ``latest`` of a subject with no live version is compatible (there
        is nothing to break), a named version that is not live is 40402 even when the subject
        is unknown, and with ``verbose`` an invalid schema is an incompatible one whose
        message says why, instead of a 42201.
        """
        _, references = _type_and_references(request)
        with self.store.transaction() as tx:
            live = tx.versions(subject, include_deleted=False)
            # a named version (latest too) is checked alone, whatever the level
            if version == _LATEST:
                live = live[-1:]
            elif version is not None:
                row = next((row for row in live if row.version == version), None)
                if row is None:
                    raise VersionNotFoundError(version)
                live = [row]
            try:
                parsed = self._parse(tx, request.get("schema"), references)
            except InvalidSchemaError as error:
                if not verbose:
                    raise
                return {"is_compatible": False, "messages": [error.message]}
            level = self._level(tx, subject)
            messages = check_compatibility(level, parsed.schema, self._previous(tx, live, level))
        body: dict[str, Any] = {"is_compatible": not messages}
        if verbose:
            body["messages"] = messages
        return body

    # config and mode

    def config(self, subject: str | None, *, default_to_global: bool) -> dict[str, str]:
        """``GET /config[/{s}]``: the compatibility level in force."""
        with self.store.transaction() as tx:
            if subject is None:
                return {"compatibilityLevel": self._level(tx, None)}
            value = tx.setting(subject, _COMPATIBILITY)
            if value is None:
                if not default_to_global:
                    raise SubjectConfigNotFoundError(subject)
                return {"compatibilityLevel": self._level(tx, None)}
            return {"compatibilityLevel": value}

    def set_config(self, subject: str | None, request: Mapping[str, Any]) -> dict[str, str]:
        """``PUT /config[/{s}]``: set the compatibility level."""
        level = parse_level(request.get("compatibility"))
        with self.store.transaction(write=True) as tx:
            tx.set_setting(subject or GLOBAL_SCOPE, _COMPATIBILITY, level.value)
        return {"compatibility": level.value}

    def delete_config(self, subject: str | None) -> dict[str, str]:
        """``DELETE /config[/{s}]``: remove a level, falling back to the global or BACKWARD."""
        with self.store.transaction(write=True) as tx:
            scope = subject or GLOBAL_SCOPE
            value = tx.setting(scope, _COMPATIBILITY)
            if subject is not None and value is None:
                raise SubjectNotFoundError(subject)
            tx.delete_setting(scope, _COMPATIBILITY)
            return {"compatibilityLevel": value or CompatibilityLevel.BACKWARD.value}

    def mode(self, subject: str | None, *, default_to_global: bool) -> dict[str, str]:
        """``GET /mode[/{s}]``."""
        with self.store.transaction() as tx:
            if subject is None:
                return {"mode": self._mode(tx, None)}
            value = tx.setting(subject, _MODE)
            if value is None:
                if not default_to_global:
                    raise SubjectModeNotFoundError(subject)
                return {"mode": self._mode(tx, None)}
            return {"mode": value}

    def set_mode(
        self, subject: str | None, request: Mapping[str, Any], *, force: bool
    ) -> dict[str, str]:
        """``PUT /mode[/{s}]``: IMPORT needs an empty scope unless ``force``."""
        mode = request.get("mode")
        if not isinstance(mode, str) or mode.upper() not in MODES:
            raise InvalidModeError(mode)
        mode = mode.upper()
        with self.store.transaction(write=True) as tx:
            if mode == "IMPORT" and not force:
                in_use = (
                    tx.versions(subject, include_deleted=True)
                    if subject
                    else tx.subjects(include_deleted=True)
                )
                if in_use:
                    msg = "Cannot import since found existing subjects"
                    raise OperationNotPermittedError(msg)
            tx.set_setting(subject or GLOBAL_SCOPE, _MODE, mode)
        return {"mode": mode}

    def delete_mode(self, subject: str) -> dict[str, str]:
        """``DELETE /mode/{s}``: remove a subject's mode."""
        with self.store.transaction(write=True) as tx:
            value = tx.setting(subject, _MODE)
            if value is None:
                raise SubjectNotFoundError(subject)
            tx.delete_setting(subject, _MODE)
            return {"mode": value}

    # helpers

    def _parse(
        self, tx: Transaction, text: object, references: list[dict[str, Any]]
    ) -> ParsedSchema:
        return parse_avro(text, self._referenced_texts(tx, references, []))

    def _referenced_texts(
        self, tx: Transaction, references: list[dict[str, Any]], seen: list[int]
    ) -> list[str]:
        # depth first, dependencies before dependents, each schema once
        texts: list[str] = []
        for reference in references:
            try:
                row = _find_version(tx, reference["subject"], reference["version"], deleted=True)
            except RegistryError:
                msg = (
                    f"Invalid schema: reference '{reference['name']}' names subject "
                    f"'{reference['subject']}' version {reference['version']}, which does not exist"
                )
                raise InvalidSchemaError(msg) from None
            if row.schema_id in seen:
                continue
            seen.append(row.schema_id)
            schema = tx.schema(row.schema_id)
            assert schema is not None
            texts += self._referenced_texts(tx, json.loads(schema.refs), seen)
            texts.append(schema.canonical)
        return texts

    def _level(self, tx: Transaction, subject: str | None) -> CompatibilityLevel:
        value = tx.setting(subject, _COMPATIBILITY) if subject else None
        value = value or tx.setting(GLOBAL_SCOPE, _COMPATIBILITY)
        return CompatibilityLevel(value) if value else CompatibilityLevel.BACKWARD

    def _mode(self, tx: Transaction, subject: str | None) -> str:
        value = tx.setting(subject, _MODE) if subject else None
        return value or tx.setting(GLOBAL_SCOPE, _MODE) or "READWRITE"

    def _require_writable(self, tx: Transaction, subject: str) -> None:
        if self._mode(tx, subject) == "READONLY":
            msg = f"Subject {subject} is in read-only mode"
            raise OperationNotPermittedError(msg)

    def _require_compatible(
        self, tx: Transaction, subject: str, parsed: ParsedSchema, live: list[VersionRow]
    ) -> None:
        level = self._level(tx, subject)
        messages = check_compatibility(level, parsed.schema, self._previous(tx, live, level))
        if messages:
            msg = (
                "Schema being registered is incompatible with an earlier schema for subject "
                f'"{subject}", details: [{", ".join(messages)}]'
            )
            raise IncompatibleSchemaError(msg)

    def _previous(
        self, tx: Transaction, rows: list[VersionRow], level: CompatibilityLevel
    ) -> list[PreviousSchema]:
        # parse only what the level will look at: nothing, the latest, or every live version
        if level is CompatibilityLevel.NONE:
            rows = []
        elif not level.is_transitive:
            rows = rows[-1:]
        previous = []
        for row in rows:
            parsed = self._parsed.get(row.schema_id)
            if parsed is None:
                schema = tx.schema(row.schema_id)
                assert schema is not None
                parsed = parse_avro(
                    schema.canonical, self._referenced_texts(tx, json.loads(schema.refs), [])
                )
                self._parsed[row.schema_id] = parsed
            previous.append(PreviousSchema(row.version, parsed.canonical, parsed.schema))
        return previous

    def _import_id(
        self,
        tx: Transaction,
        wanted_id: object,
        existing_id: int | None,
        parsed: ParsedSchema,
        refs: str,
    ) -> int | None:
        if wanted_id is None:
            return existing_id
        if isinstance(wanted_id, bool) or not isinstance(wanted_id, int) or wanted_id < 1:
            msg = f"Invalid schema id {wanted_id!r}: an id is a positive integer"
            raise InvalidSchemaError(msg)
        holder = tx.schema(wanted_id)
        if holder is not None and (holder.canonical, holder.refs) != (parsed.canonical, refs):
            msg = f"Schema id {wanted_id} is already used by a different schema"
            raise RegistryError(msg, 42207)
        if holder is None:
            tx.add_schema("AVRO", parsed.canonical, refs, wanted_id)
            self._parsed.pop(wanted_id, None)
        return wanted_id


def _find_version(tx: Transaction, subject: str, version: int, *, deleted: bool) -> VersionRow:
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidVersionError(str(version))
    rows = tx.versions(subject, include_deleted=deleted)
    if not rows:
        raise SubjectNotFoundError(subject)
    if version == _LATEST:
        return rows[-1]
    for row in rows:
        if row.version == version:
            return row
    raise VersionNotFoundError(version)


def _version_body(tx: Transaction, row: VersionRow) -> dict[str, Any]:
    schema = tx.schema(row.schema_id)
    assert schema is not None
    body = {"subject": row.subject, "version": row.version, "id": row.schema_id}
    return _schema_body(body | {"schema": schema.canonical}, schema.schema_type, schema.refs)


def _type_and_references(request: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    schema_type = request.get("schemaType") or "AVRO"
    if schema_type not in _SUPPORTED_TYPES:
        detail = (
            "this registry stores AVRO schemas only"
            if schema_type in _KNOWN_TYPES
            else "valid types are AVRO, JSON and PROTOBUF"
        )
        msg = f"Invalid schema type {schema_type!r}: {detail}"
        raise InvalidSchemaError(msg)
    references = request.get("references") or []
    if not isinstance(references, list):
        msg = "Invalid schema: 'references' must be a list of {name, subject, version}"
        raise InvalidSchemaError(msg)
    checked = []
    for index, reference in enumerate(references):
        if not (
            isinstance(reference, dict)
            and isinstance(reference.get("name"), str)
            and isinstance(reference.get("subject"), str)
            and isinstance(reference.get("version"), int)
            and not isinstance(reference.get("version"), bool)
        ):
            msg = (
                f"Invalid schema: reference {index} must be an object with a string 'name', "
                f"a string 'subject' and an integer 'version', got {reference!r}"
            )
            raise InvalidSchemaError(msg)
        checked.append(
            {
                "name": reference["name"],
                "subject": reference["subject"],
                "version": reference["version"],
            }
        )
    return schema_type, checked


def _refs_json(references: list[dict[str, Any]]) -> str:
    return json.dumps(references, separators=(",", ":"), ensure_ascii=False)


def _reference_fragment(subject: str, version: int) -> str:
    # references are stored as compact JSON with keys in the order name, subject, version
    fragment = {"subject": subject, "version": version}
    return json.dumps(fragment, separators=(",", ":"), ensure_ascii=False)[1:]


def _referenced_message(subject: str, version: int) -> str:
    return f"One or more references exist to the schema {{subject={subject}, version={version}}}"


def _schema_body(body: dict[str, Any], schema_type: str, refs: str) -> dict[str, Any]:
    if schema_type != "AVRO":
        body["schemaType"] = schema_type
    references = json.loads(refs)
    if references:
        body["references"] = references
    return body


def _import_version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_VERSION:
        raise InvalidVersionError(str(value))
    return value
