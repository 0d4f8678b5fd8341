r"""The Avro machinery: Confluent wire format, subject naming, registry client and codec.

Examples
--------
>>> from octobus_schemas.avro import frame, parse_frame
>>> schema_id, body = parse_frame(frame(7, b"\x02"))
>>> schema_id, bytes(body)
(7, b'\x02')
"""

from octobus_schemas.avro._codec import AvroCodec, ModelCatalog
from octobus_schemas.avro._registry import (
    CompatibilityReport,
    RegisteredSchema,
    SchemaRegistryClient,
    SchemaSource,
)
from octobus_schemas.avro._schema import avro_schema, record_full_name, schema_text
from octobus_schemas.avro._settings import SchemaRegistrySettings
from octobus_schemas.avro._subjects import CompatibilityLevel, SubjectNameStrategy, subject_name
from octobus_schemas.avro._wire import HEADER_SIZE, MAGIC_BYTE, frame, parse_frame

__all__ = [
    "HEADER_SIZE",
    "MAGIC_BYTE",
    "AvroCodec",
    "CompatibilityLevel",
    "CompatibilityReport",
    "ModelCatalog",
    "RegisteredSchema",
    "SchemaRegistryClient",
    "SchemaRegistrySettings",
    "SchemaSource",
    "SubjectNameStrategy",
    "avro_schema",
    "frame",
    "parse_frame",
    "record_full_name",
    "schema_text",
    "subject_name",
]
