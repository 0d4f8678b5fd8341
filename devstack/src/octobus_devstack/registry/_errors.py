"""Registry errors, each carrying the Confluent error code a client expects.

The HTTP status is the first three digits of the error code, as in Confluent's registry.
"""

from __future__ import annotations

__all__ = [
    "COMPATIBILITY_LEVELS_HINT",
    "IncompatibleSchemaError",
    "InvalidCompatibilityLevelError",
    "InvalidModeError",
    "InvalidSchemaError",
    "InvalidVersionError",
    "OperationNotPermittedError",
    "ReferenceExistsError",
    "RegistryError",
    "SchemaNotFoundError",
    "StoreError",
    "SubjectConfigNotFoundError",
    "SubjectModeNotFoundError",
    "SubjectNotFoundError",
    "SubjectNotSoftDeletedError",
    "SubjectSoftDeletedError",
    "VersionNotFoundError",
    "VersionNotSoftDeletedError",
    "VersionSoftDeletedError",
]

COMPATIBILITY_LEVELS_HINT = (
    "Valid values are none, backward, forward, full, backward_transitive, "
    "forward_transitive, and full_transitive"
)


class RegistryError(Exception):
    """An error the registry answers with ``{"error_code": ..., "message": ...}``.

    Parameters
    ----------
    message
        What was wrong, naming the subject, version, id or field.
    error_code
        Confluent's error code; its first three digits are the HTTP status.
    """

    error_code: int = 50001

    def __init__(self, message: str, error_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if error_code is not None:
            self.error_code = error_code

    @property
    def http_status(self) -> int:
        """The HTTP status: the first three digits of the error code."""
        return int(str(self.error_code)[:3])


class SubjectNotFoundError(RegistryError):
    """40401: the subject has no live version (or does not exist)."""

    error_code = 40401

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' not found.")


class VersionNotFoundError(RegistryError):
    """40402: the subject has no such version."""

    error_code = 40402

    def __init__(self, version: int | str) -> None:
        super().__init__(f"Version {version} not found.")


class SchemaNotFoundError(RegistryError):
    """40403: no schema with this id, or the schema is not registered under the subject."""

    error_code = 40403

    def __init__(self, schema_id: int | None = None) -> None:
        super().__init__(
            "Schema not found" if schema_id is None else f"Schema {schema_id} not found"
        )


class SubjectSoftDeletedError(RegistryError):
    """40404: the subject was already soft-deleted."""

    error_code = 40404

    def __init__(self, subject: str) -> None:
        super().__init__(
            f"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently"
        )


class SubjectNotSoftDeletedError(RegistryError):
    """40405: a permanent delete of a subject that was not soft-deleted first."""

    error_code = 40405

    def __init__(self, subject: str) -> None:
        super().__init__(
            f"Subject '{subject}' was not deleted first before being permanently deleted"
        )


class VersionSoftDeletedError(RegistryError):
    """40406: the version was already soft-deleted."""

    error_code = 40406

    def __init__(self, subject: str, version: int) -> None:
        super().__init__(
            f"Subject '{subject}' Version {version} was soft deleted."
            "Set permanent=true to delete permanently"
        )


class VersionNotSoftDeletedError(RegistryError):
    """40407: a permanent delete of a version that was not soft-deleted first."""

    error_code = 40407

    def __init__(self, subject: str, version: int) -> None:
        super().__init__(
            f"Subject '{subject}' Version {version} was not deleted first before being "
            "permanently deleted"
        )


class SubjectConfigNotFoundError(RegistryError):
    """40408: the subject has no subject-level compatibility."""

    error_code = 40408

    def __init__(self, subject: str) -> None:
        super().__init__(
            f"Subject '{subject}' does not have subject-level compatibility configured"
        )


class SubjectModeNotFoundError(RegistryError):
    """40409: the subject has no subject-level mode."""

    error_code = 40409

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' does not have subject-level mode configured")


class IncompatibleSchemaError(RegistryError):
    """409: the schema breaks the subject's compatibility level."""

    error_code = 409


class InvalidSchemaError(RegistryError):
    """42201: the schema does not parse, has an invalid default, or a bad reference."""

    error_code = 42201


class InvalidVersionError(RegistryError):
    """42202: a version that is neither ``latest``, ``-1`` nor a positive 32-bit integer."""

    error_code = 42202

    def __init__(self, version: str) -> None:
        super().__init__(
            f"The specified version '{version}' is not a valid version id. Allowed values are "
            'between [1, 2^31-1] and the string "latest"'
        )


class InvalidCompatibilityLevelError(RegistryError):
    """42203: a compatibility level that is not one of the seven."""

    error_code = 42203

    def __init__(self, level: object) -> None:
        super().__init__(f"Invalid compatibility level {level!r}. {COMPATIBILITY_LEVELS_HINT}")


class InvalidModeError(RegistryError):
    """42204: a mode that is not READWRITE, READONLY, READONLY_OVERRIDE or IMPORT."""

    error_code = 42204

    def __init__(self, mode: object) -> None:
        super().__init__(
            f"Invalid mode {mode!r}. Valid values are READWRITE, READONLY, "
            "READONLY_OVERRIDE and IMPORT"
        )


class OperationNotPermittedError(RegistryError):
    """42205: the operation is refused by the subject's mode."""

    error_code = 42205


class ReferenceExistsError(RegistryError):
    """42206: the version is referenced by another schema and cannot be deleted."""

    error_code = 42206


class StoreError(RegistryError):
    """50001: the SQLite store failed."""

    error_code = 50001
