"""octobus."""
