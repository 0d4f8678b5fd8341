"""The ``octobus`` command: ``serve`` runs the gateway, ``replay`` posts recorded deliveries.

Examples
--------
.. code-block:: console

   $ OCTOBUS_WEBHOOK_SECRETS=s3cret octobus serve --port 8000
   $ octobus replay tests/data/api.github.com.json --url http://127.0.0.1:8000 --secret s3cret
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="octobus", description="The Octobus gateway: GitHub webhooks to typed Kafka events."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="run the gateway (settings from OCTOBUS_*, KAFKA_*, SCHEMA_REGISTRY_*)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--log-level", default="info", help="uvicorn log level")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (each with its own producer and redelivery memory)",
    )

    replay = commands.add_parser("replay", help="sign and post recorded deliveries")
    replay.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="recording files or directories"
    )
    replay.add_argument("--url", required=True, help="the gateway's base URL")
    replay.add_argument(
        "--secret",
        default=None,
        help="webhook secret to sign with (default: the first of OCTOBUS_WEBHOOK_SECRETS)",
    )
    replay.add_argument("--concurrency", type=int, default=8, help="deliveries in flight")
    replay.add_argument(
        "--content-type", choices=["json", "form"], default="json", help="body encoding"
    )
    replay.add_argument("--limit", type=int, default=None, help="replay only the first N")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``octobus`` command.

    Parameters
    ----------
    argv
        The arguments (``sys.argv[1:]`` when omitted).

    Returns
    -------
    int
        The exit status: 0 on success, 1 when a replayed delivery was refused, 2 on
        bad arguments or settings.
    """
    arguments = _parser().parse_args(argv)
    if arguments.command == "serve":
        return _serve(arguments.host, arguments.port, arguments.log_level, arguments.workers)
    return _replay(arguments)


def _serve(host: str, port: int, log_level: str, workers: int) -> int:
    import uvicorn

    from octobus.config import Settings
    from octobus.main import create_app

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"octobus: invalid settings:\n{error}", file=sys.stderr)
        return 2
    if workers > 1:
        # Each worker process builds its own application from the environment.
        uvicorn.run(
            "octobus.main:create_app",
            factory=True,
            host=host,
            port=port,
            log_level=log_level,
            workers=workers,
        )
    else:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
    return 0


def _replay(arguments: argparse.Namespace) -> int:
    from octobus_schemas.api.client import HttpxGatewayClient
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from octobus.replay import ReplaySummary, load_recordings, replay

    console = Console(stderr=True)
    secret = arguments.secret or os.environ.get("OCTOBUS_WEBHOOK_SECRETS", "").split(",")[0]
    if not secret:
        print("octobus replay: give --secret or set OCTOBUS_WEBHOOK_SECRETS", file=sys.stderr)
        return 2
    try:
        recordings = load_recordings(arguments.paths)
    except ValueError as error:
        print(f"octobus replay: {error}", file=sys.stderr)
        return 2
    if arguments.limit is not None:
        recordings = recordings[: arguments.limit]

    async def run() -> ReplaySummary:
        async with HttpxGatewayClient(arguments.url, timeout=30) as client:
            with Progress(console=console, transient=False) as progress:
                task = progress.add_task("replaying", total=len(recordings))
                return await replay(
                    client,
                    recordings,
                    secret=secret,
                    concurrency=arguments.concurrency,
                    content_type=arguments.content_type,
                    on_answer=lambda _: progress.advance(task),
                )

    summary = asyncio.run(run())
    table = Table(title=f"{len(recordings)} deliveries to {arguments.url}")
    table.add_column("status")
    table.add_column("deliveries", justify="right")
    for status, count in sorted(summary.statuses.items(), key=lambda item: item[0] or 0):
        table.add_row(str(status) if status is not None else "no answer", str(count))
    Console().print(table)
    # Plain lines (no wrapping, no markup): sources contain brackets, messages are long.
    for source, message in summary.failures[:20]:
        print(f"refused {source}: {message}", file=sys.stderr)
    if len(summary.failures) > 20:
        print(f"... and {len(summary.failures) - 20} more refused", file=sys.stderr)
    return 0 if summary.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
