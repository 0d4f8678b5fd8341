"""HTTP routes: they read requests, call the domain and the services, and write answers."""

from octobus.handlers import asyncapi, health, topics, webhooks
from octobus.handlers.errors import install_error_handlers

__all__ = ["asyncapi", "health", "install_error_handlers", "topics", "webhooks"]
