"""pytest plugin: session fixtures for the embedded Kafka broker and Schema Registry."""
