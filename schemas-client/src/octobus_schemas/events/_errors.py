"""Errors raised when a model or schema breaks a house rule."""

from octobus_schemas.errors import InvalidSchemaError

__all__ = ["SchemaRuleError"]


class SchemaRuleError(InvalidSchemaError, ValueError):
    """A model or Avro schema breaks a house rule; the message names the record and field.

    Raised when a model class is defined (a type that cannot be encoded faithfully, a
    default that is not a value of its field's type) or when its schema is rendered or
    checked, always before anything is registered. It is an
    :class:`~octobus_schemas.errors.InvalidSchemaError` (and a ``ValueError``).
    """
