"""The errors the example consumer raises itself."""

from __future__ import annotations

__all__ = ["ConsumerExampleError", "DeadLetterError", "TombstoneError"]


class ConsumerExampleError(Exception):
    """Base class of every error raised by ``octobus_consumer_example``."""


class DeadLetterError(ConsumerExampleError):
    """A message could not be written to its dead-letter topic.

    The message is then neither committed nor skipped: the consumer rewinds to it and
    tries again, so nothing is lost while the dead-letter topic is unreachable.

    Parameters
    ----------
    dead_letter_topic
        The topic the message was meant for.
    topic, partition, offset
        Where the message was read from.
    """

    def __init__(self, dead_letter_topic: str, *, topic: str, partition: int, offset: int) -> None:
        self.dead_letter_topic = dead_letter_topic
        self.topic = topic
        self.partition = partition
        self.offset = offset
        super().__init__(
            f"could not write {topic}[{partition}]@{offset} to dead-letter topic "
            f"{dead_letter_topic!r}"
        )


class TombstoneError(ConsumerExampleError):
    """A message has no value (a tombstone), so there is no event to hand to a handler.

    Event topics are append-only logs, not compacted tables: a tombstone on one is a
    mistake somewhere upstream, and is dead-lettered rather than silently skipped.

    Parameters
    ----------
    topic, partition, offset
        Where the message was read from.
    """

    def __init__(self, *, topic: str, partition: int, offset: int) -> None:
        self.topic = topic
        self.partition = partition
        self.offset = offset
        super().__init__(
            f"{topic}[{partition}]@{offset} is a tombstone (no value): an event topic "
            "carries events, not deletions"
        )
