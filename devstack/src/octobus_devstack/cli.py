"""``octobus-devstack``: run the broker, the registry, or both, in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from octobus_devstack.broker import TansuBroker
from octobus_devstack.errors import DevStackError
from octobus_devstack.stack import REGISTRY_DATABASE_NAME, TANSU_LOG_NAME, DevStack

__all__ = ["build_parser", "main"]

#: How often the main thread looks at the stop flag; a stop answers within this delay.
_POLL_INTERVAL = 0.05
#: How often, in polls, it checks that the broker is still alive.
_WATCH_EVERY = 10
_MAX_PORT = 65535


def _port(text: str) -> int:
    # argparse names the option in its message: "argument --kafka-port: ..."
    try:
        value = int(text)
    except ValueError:
        msg = f"{text!r} is not a port number"
        raise argparse.ArgumentTypeError(msg) from None
    if not 0 <= value <= _MAX_PORT:
        msg = f"{value} is not a port in 0..{_MAX_PORT} (0 picks a free one)"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser.

    Returns
    -------
    argparse.ArgumentParser
        ``up``, ``registry`` and ``broker`` with their options.
    """
    parser = argparse.ArgumentParser(
        prog="octobus-devstack",
        description="Docker-free Kafka (Tansu) and a Confluent-compatible Schema Registry.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="run the broker and the registry")
    registry = commands.add_parser("registry", help="run the Schema Registry alone")
    broker = commands.add_parser("broker", help="run the Kafka broker alone")
    for command in (up, broker):
        command.add_argument("--kafka-port", type=_port, default=9092, help="default: 9092")
    for command in (up, registry):
        command.add_argument("--registry-port", type=_port, default=8081, help="default: 8081")
    for command in (up, registry, broker):
        command.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=(
                f"keep the registry's {REGISTRY_DATABASE_NAME} and the broker's {TANSU_LOG_NAME} "
                "here (default: registry in memory, log in a temporary file)"
            ),
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command until Ctrl-C or SIGTERM, then stop every service it started.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 after a requested stop, 1 when a service failed to start or died.
    """
    options = build_parser().parse_args(argv)
    started = time.perf_counter()
    # the handler only appends to a list: it never takes a lock, so a signal arriving while
    # another handler (or the main thread) is inside threading code cannot deadlock, as
    # Event.set() in a handler did when a second SIGTERM interrupted the first one's set()
    stop_signals: list[int] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_signals.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stack = _stack_for(options)
        running = False
        try:
            for name, value in _start(stack, options.command).items():
                print(f"{name}={value}", flush=True)
            running = True
            _note(f"ready in {time.perf_counter() - started:.2f} s; Ctrl-C or SIGTERM stops it")
            return _wait(stack, stop_signals)
        finally:
            stack.stop()
            if running:
                _note("stopped")
    except (DevStackError, OSError) as error:  # OSError: an unusable --data-dir
        _note(f"error: {error}")
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stack_for(options: argparse.Namespace) -> DevStack:
    return DevStack(
        kafka_port=getattr(options, "kafka_port", 0),
        registry_port=getattr(options, "registry_port", 0),
        data_dir=options.data_dir,
    )


def _start(stack: DevStack, command: str) -> dict[str, str]:
    if stack.data_dir is not None:
        stack.data_dir.mkdir(parents=True, exist_ok=True)
    if command == "broker":
        stack.broker.start()
        return {"KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers}
    if command == "registry":
        stack.registry.start()
        return {"SCHEMA_REGISTRY_URL": stack.registry_url}
    stack.start()
    return stack.env()


def _wait(stack: DevStack, stop_signals: list[int]) -> int:
    # polling a plain list, not Event.wait(): waiting on a lock from the thread that runs
    # signal handlers is what let a handler block on that same lock
    broker: TansuBroker = stack.broker
    watch_broker = broker.is_running
    polls = 0
    while not stop_signals:
        time.sleep(_POLL_INTERVAL)
        polls += 1
        if watch_broker and polls % _WATCH_EVERY == 0 and not broker.is_running:
            _note(f"error: the Tansu broker exited unexpectedly; see {broker.log_path}")
            return 1
    return 0


def _note(message: str) -> None:
    # stdout carries only the KEY=value lines, so a shell can eval them
    print(f"octobus-devstack: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
