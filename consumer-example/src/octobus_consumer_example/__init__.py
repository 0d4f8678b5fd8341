"""An example consumer of Octobus events: typed FastStream handlers, at-least-once, DLQ.

Examples
--------
Run it from the command line (settings from ``KAFKA_*``, ``SCHEMA_REGISTRY_*`` and
``OCTOBUS_*`` environment variables)::

    octobus-consumer-example --from-beginning --max-messages 10

or from Python, with handlers of your own:

>>> from octobus_consumer_example import EventHandlers, run_consumer
>>> async def on_push(event): ...
>>> runner = run_consumer(handlers=EventHandlers(push=on_push))  # doctest: +SKIP
"""

from octobus_consumer_example.app import Consumer, build_consumer, create_app, run_consumer
from octobus_consumer_example.config import ConsumerSettings
from octobus_consumer_example.deadletter import (
    DEAD_LETTER_SUFFIX,
    DeadLetter,
    DeadLetterHeader,
    DeadLetterPublisher,
    dead_letter_topic,
)
from octobus_consumer_example.errors import ConsumerExampleError, DeadLetterError
from octobus_consumer_example.handlers import EventHandlers
from octobus_consumer_example.processing import ProcessingStats, ReliableProcessing
from octobus_consumer_example.retry import RetryPolicy
from octobus_consumer_example.summaries import summarize

__all__ = [
    "DEAD_LETTER_SUFFIX",
    "Consumer",
    "ConsumerExampleError",
    "ConsumerSettings",
    "DeadLetter",
    "DeadLetterError",
    "DeadLetterHeader",
    "DeadLetterPublisher",
    "EventHandlers",
    "ProcessingStats",
    "ReliableProcessing",
    "RetryPolicy",
    "build_consumer",
    "create_app",
    "dead_letter_topic",
    "run_consumer",
    "summarize",
]
