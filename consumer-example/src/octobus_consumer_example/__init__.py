"""octobus_consumer_example."""
