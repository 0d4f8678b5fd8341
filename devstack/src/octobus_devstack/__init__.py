"""octobus_devstack."""
