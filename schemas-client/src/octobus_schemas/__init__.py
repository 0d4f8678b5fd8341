"""octobus_schemas."""
