"""The ``octobus-consumer-example`` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from aiokafka.errors import KafkaConnectionError
from pydantic import ValidationError

from octobus_consumer_example.app import run_consumer
from octobus_consumer_example.config import ConsumerSettings

__all__ = ["main"]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"must be a whole number of at least 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="octobus-consumer-example",
        description=(
            "Read Octobus events from Kafka and print one summary line per event. "
            "Settings come from KAFKA_*, SCHEMA_REGISTRY_* and OCTOBUS_* environment variables."
        ),
    )
    parser.add_argument(
        "--from-beginning",
        action="store_true",
        help=(
            "when the consumer group has no committed offset yet, start from the oldest "
            "message rather than the newest (committed offsets always win)"
        ),
    )
    parser.add_argument(
        "--max-messages",
        type=_positive,
        metavar="N",
        help="stop (exit 0) after N messages were processed or dead-lettered",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level of the messages on stderr (default: WARNING)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the consumer until it is stopped or has settled ``--max-messages`` messages.

    Summary lines go to standard output, logs to standard error. SIGINT (Ctrl-C) and
    SIGTERM stop it cleanly: the message in hand is finished or left uncommitted, never
    half-done.

    Parameters
    ----------
    argv
        The arguments, without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 when the consumer stopped normally, 2 when its settings are invalid or Kafka
        cannot be reached at the configured bootstrap servers when it starts.
    """
    arguments = _parser().parse_args(argv)
    logging.basicConfig(
        level=arguments.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = ConsumerSettings()
    except ValidationError as error:
        print(f"octobus-consumer-example: invalid settings: {error}", file=sys.stderr)
        return 2
    try:
        stats = asyncio.run(
            run_consumer(
                settings,
                max_messages=arguments.max_messages,
                from_beginning=arguments.from_beginning,
            )
        )
    except KafkaConnectionError as error:
        # Raised only while starting (aiokafka reconnects on its own once connected): the
        # settings point nowhere usable, which a traceback would only obscure.
        print(
            "octobus-consumer-example: cannot reach Kafka at "
            f"KAFKA_BOOTSTRAP_SERVERS={settings.kafka.bootstrap_servers}: {error}",
            file=sys.stderr,
        )
        return 2
    logging.getLogger("octobus_consumer_example").info(
        "stopped: %d processed, %d dead-lettered", stats.processed, stats.dead_lettered
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - the console script calls main()
    sys.exit(main())
