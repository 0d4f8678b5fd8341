"""octobus-schemas: typed GitHub events for Kafka, and the Confluent Avro codec that carries them.

- `octobus_schemas.events`: the event models (pydantic models that are Avro records);
  `octobus_schemas.topics` and `octobus_schemas.catalog` say where each travels and list them.
- `octobus_schemas.avro`: the Confluent wire format, subject naming, the Schema Registry
  client and `AvroCodec` (model <-> framed bytes, writer schema always resolved).
- `octobus_schemas.errors`: every error this package raises.
- `octobus_schemas.faststream` (extra ``faststream``): the FastStream 0.7 codec.
- `octobus_schemas.testing` (extra ``testing``): an in-memory registry for unit tests.
- `octobus_schemas.kafka`: Kafka connection settings; `octobus_schemas.api`: the gateway's API.

The names most programs need are re-exported here.
"""

from importlib.metadata import PackageNotFoundError, version

from octobus_schemas.avro import AvroCodec, SchemaRegistryClient, SchemaRegistrySettings
from octobus_schemas.errors import OctobusSchemasError

__all__ = [
    "AvroCodec",
    "OctobusSchemasError",
    "SchemaRegistryClient",
    "SchemaRegistrySettings",
    "__version__",
]

try:
    __version__ = version("octobus-schemas")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0.0.0"
