"""The errors octobus-schemas raises: one small hierarchy, each message naming what was wrong.

Every error derives from `OctobusSchemasError`, so a consumer can catch the whole family
(for example to dead-letter a message) or one kind of failure precisely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AvroDecodeError",
    "AvroEncodeError",
    "IncompatibleSchemaError",
    "InvalidSchemaError",
    "OctobusSchemasError",
    "RecordValidationError",
    "SchemaNotFoundError",
    "SchemaRegistryError",
    "UnknownRecordError",
    "WireFormatError",
]


class OctobusSchemasError(Exception):
    """Base class of every error raised by octobus-schemas."""


class WireFormatError(OctobusSchemasError):
    """The bytes are not a Confluent-framed Avro message.

    Raised for a wrong magic byte, a payload shorter than the 5-byte header, or a value
    that is not bytes at all. The message names the byte or the length that was wrong.
    """


class SchemaNotFoundError(OctobusSchemasError):
    """The Schema Registry has no schema with this id, or none under this subject.

    Parameters
    ----------
    message
        What was looked up and not found.
    schema_id
        The schema id that was not found, if the lookup was by id.
    subject
        The subject that was not found, if the lookup was by subject.
    """

    def __init__(
        self, message: str, *, schema_id: int | None = None, subject: str | None = None
    ) -> None:
        super().__init__(message)
        self.schema_id = schema_id
        self.subject = subject


class AvroDecodeError(OctobusSchemasError):
    """The Avro body after the header cannot be read with the writer's schema.

    Parameters
    ----------
    message
        What was wrong (truncated body, trailing bytes, corrupt value).
    schema_id
        The writer schema id named in the message header.
    """

    def __init__(self, message: str, *, schema_id: int) -> None:
        super().__init__(message)
        self.schema_id = schema_id


class AvroEncodeError(OctobusSchemasError):
    """A model instance cannot be written with its own Avro schema.

    For example a naive datetime (fastavro would silently read it in the host's time zone),
    or a decimal with more digits than its schema allows. The message names the field.
    """


class UnknownRecordError(OctobusSchemasError):
    """The writer's record full name is not a model this catalog knows.

    Parameters
    ----------
    record_name
        The full name of the record the message was written with.
    schema_id
        The writer schema id, when the record came from a message.
    """

    def __init__(self, record_name: str, *, schema_id: int | None = None) -> None:
        where = f" (schema id {schema_id})" if schema_id is not None else ""
        super().__init__(
            f"record {record_name!r}{where} is not in the catalog: no model to decode it into"
        )
        self.record_name = record_name
        self.schema_id = schema_id


class RecordValidationError(OctobusSchemasError):
    """A decoded record does not validate into its model.

    The raw record (the dict read from Avro, after schema resolution) is kept on the error so
    nothing that was received is lost: a consumer can dead-letter it or inspect it.

    Parameters
    ----------
    message
        Which model rejected which fields.
    record
        The record as decoded from Avro.
    schema_id
        The writer schema id.
    model_name
        The qualified name of the model class that rejected the record.
    """

    def __init__(
        self, message: str, *, record: Mapping[str, Any], schema_id: int, model_name: str
    ) -> None:
        super().__init__(message)
        self.record = record
        self.schema_id = schema_id
        self.model_name = model_name


class IncompatibleSchemaError(OctobusSchemasError):
    """A schema is not compatible with what is registered (or with the reader's schema).

    Parameters
    ----------
    subject
        The subject (or, for a reader/writer pair, a description of the pair).
    messages
        One reason per incompatible field, as reported by the registry.
    summary
        What the message says before the reasons; by default, that the schema is
        incompatible with ``subject``.
    """

    def __init__(
        self, subject: str, messages: Sequence[str], *, summary: str | None = None
    ) -> None:
        reasons = "; ".join(messages) if messages else "no reason given"
        if summary is None:
            summary = f"schema is incompatible with subject {subject!r}"
        super().__init__(f"{summary}: {reasons}")
        self.subject = subject
        self.messages = list(messages)

    @classmethod
    def for_reader(
        cls, schema_id: int, model_name: str, messages: Sequence[str]
    ) -> IncompatibleSchemaError:
        """Build the error for a writer schema that cannot be read into a reader's model.

        Parameters
        ----------
        schema_id
            The writer schema's id.
        model_name
            The reader model's name.
        messages
            Why not.

        Returns
        -------
        IncompatibleSchemaError
            An error whose ``subject`` describes the pair (``"schema id 6 -> PushEvent"``).
        """
        return cls(
            f"schema id {schema_id} -> {model_name}",
            messages,
            summary=f"the writer schema id {schema_id} cannot be read as {model_name}",
        )


class InvalidSchemaError(OctobusSchemasError):
    """A schema is not valid Avro, or a model cannot be turned into a usable schema."""


class SchemaRegistryError(OctobusSchemasError):
    """The Schema Registry could not be reached or answered with an error.

    Parameters
    ----------
    message
        What failed.
    url
        The registry URL (or request URL) involved.
    status_code
        The HTTP status, if the registry answered.
    error_code
        The registry's own ``error_code``, if it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status_code: int | None = None,
        error_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code
        self.error_code = error_code
