"""Compatibility levels, and checking a new schema against the versions before it.

The reader/writer check of one pair is the ``avro`` package's
(``avro.compatibility.ReaderWriterCompatibilityChecker``); the seven levels, the choice of
versions to check (the latest, or every live version for the transitive levels) and the
messages in Confluent's format are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import avro.schema
from avro.compatibility import (
    ReaderWriterCompatibilityChecker,
    SchemaCompatibilityType,
    SchemaIncompatibilityType,
)

from octobus_devstack.registry._errors import InvalidCompatibilityLevelError

__all__ = ["CompatibilityLevel", "PreviousSchema", "check_compatibility", "parse_level"]


class CompatibilityLevel(StrEnum):
    """The seven compatibility levels of a Confluent Schema Registry."""

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @property
    def is_transitive(self) -> bool:
        """Whether every live version is checked, not only the latest."""
        return self.value.endswith("_TRANSITIVE")

    @property
    def checks_backward(self) -> bool:
        """Whether the new schema must read data written with the old ones."""
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def checks_forward(self) -> bool:
        """Whether the old schemas must read data written with the new one."""
        return self.value.startswith(("FORWARD", "FULL"))


def parse_level(value: object) -> CompatibilityLevel:
    """Return the level named by ``value`` (case-insensitive, as Confluent accepts it).

    Parameters
    ----------
    value
        The ``compatibility`` field of a request.

    Returns
    -------
    CompatibilityLevel
        The level.

    Raises
    ------
    InvalidCompatibilityLevelError
        ``value`` names no level.
    """
    if isinstance(value, str):
        try:
            return CompatibilityLevel(value.upper())
        except ValueError:
            pass
    raise InvalidCompatibilityLevelError(value)


@dataclass(frozen=True)
class PreviousSchema:
    """A live version the new schema is checked against.

    Parameters
    ----------
    version
        The version number in the subject.
    text
        Its canonical text (quoted in the messages).
    schema
        Its parsed form.
    """

    version: int
    text: str
    schema: avro.schema.Schema


# Confluent's error type names and descriptions, keyed by the avro package's types. The
# descriptions speak of the reader and the writer as "new" and "old" schemas.
_DESCRIPTIONS = {
    SchemaIncompatibilityType.name_mismatch: (
        "NAME_MISMATCH",
        "The name of the schema has changed (path '{path}')",
    ),
    SchemaIncompatibilityType.fixed_size_mismatch: (
        "FIXED_SIZE_MISMATCH",
        "The size of FIXED type field at path '{path}' in the {reader} schema does not match "
        "with the {writer} schema",
    ),
    SchemaIncompatibilityType.missing_enum_symbols: (
        "MISSING_ENUM_SYMBOLS",
        "The {reader} schema is missing enum symbols '{info}' at path '{path}' in the "
        "{writer} schema",
    ),
    SchemaIncompatibilityType.reader_field_missing_default_value: (
        "READER_FIELD_MISSING_DEFAULT_VALUE",
        "The field '{info}' at path '{path}' in the {reader} schema has no default value and "
        "is missing in the {writer} schema",
    ),
    SchemaIncompatibilityType.type_mismatch: (
        "TYPE_MISMATCH",
        "The type (path '{path}') of a field in the {reader} schema does not match with the "
        "{writer} schema",
    ),
    SchemaIncompatibilityType.missing_union_branch: (
        "MISSING_UNION_BRANCH",
        "The {reader} schema is missing a type inside a union field at path '{path}' in the "
        "{writer} schema",
    ),
}


def check_compatibility(
    level: CompatibilityLevel,
    new: avro.schema.Schema,
    previous: Sequence[PreviousSchema],
) -> list[str]:
    """Check ``new`` against the live versions ``previous`` under ``level``.

    Parameters
    ----------
    level
        The subject's compatibility level.
    new
        The schema being registered or tested.
    previous
        The live versions, oldest first. Non-transitive levels look at the last one only.

    Returns
    -------
    list of str
        Empty when compatible; otherwise Confluent's messages for the newest incompatible
        version: one per problem, then ``{oldSchemaVersion: N}``, ``{oldSchema: '...'}`` and
        ``{validateFields: 'false', compatibility: 'LEVEL'}``.
    """
    if level is CompatibilityLevel.NONE or not previous:
        return []
    candidates = list(previous) if level.is_transitive else [previous[-1]]
    for old in reversed(candidates):
        problems: list[str] = []
        if level.checks_backward:
            problems += _pair_problems(reader=new, writer=old.schema, reader_is_new=True)
        if level.checks_forward:
            problems += _pair_problems(reader=old.schema, writer=new, reader_is_new=False)
        if problems:
            return [
                *problems,
                f"{{oldSchemaVersion: {old.version}}}",
                f"{{oldSchema: '{old.text}'}}",
                f"{{validateFields: 'false', compatibility: '{level.value}'}}",
            ]
    return []


def _pair_problems(
    *, reader: avro.schema.Schema, writer: avro.schema.Schema, reader_is_new: bool
) -> list[str]:
    checker = ReaderWriterCompatibilityChecker()  # type: ignore[no-untyped-call]
    result = checker.get_compatibility(reader, writer)
    if result.compatibility is SchemaCompatibilityType.compatible:
        return []
    names = (
        {"reader": "new", "writer": "old"} if reader_is_new else {"reader": "old", "writer": "new"}
    )
    # The avro package pools messages and locations of one result in sets, so with several
    # problems their pairing is lost: name each kind once, with every location and detail.
    path = ", ".join(sorted(result.locations))
    info = ", ".join(sorted(result.messages))
    messages = []
    for kind in dict.fromkeys(result.incompatibilities):
        error_type, description = _DESCRIPTIONS[kind]
        text = description.format(path=path, info=info, **names)
        messages.append(
            f"{{errorType:'{error_type}', description:'{text}', additionalInfo:'{info}'}}"
        )
    return messages
