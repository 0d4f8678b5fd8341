"""Errors raised when a model or schema breaks a house rule."""

from __future__ import annotations

__all__ = ["SchemaRuleError"]


class SchemaRuleError(ValueError):
    """A model or Avro schema breaks a house rule; the message names the record and field.

    Raised when a model class is defined (annotations that cannot be encoded faithfully)
    or when its schema is rendered or checked (before anything is registered).
    """
