"""``make run``: the whole Octobus loop on this machine, no Docker.

Starts the embedded devstack (Tansu broker + Schema Registry), the gateway on port 8000
and the consumer example; replays a handful of real GitHub deliveries once, so the
consumer's log shows them decoded; prints the URLs and the replay command; and on Ctrl-C
stops every process it started, by its PID.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from octobus_devstack.stack import DevStack

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "producer" / "tests" / "data" / "api.github.com.json"
SECRET = "octobus-local-secret"  # noqa: S105 - a local demo secret, printed on purpose
SHOWCASE = (
    "ping",
    "push",
    "pull_request",
    "issues",
    "issue_comment",
    "release",
    "workflow_run",
    "star",
)


def uv_command() -> str:
    """How to call uv from the user's shell: ``uv`` if on PATH, else the Makefile's copy.

    Returns
    -------
    str
        ``uv``, or the path of the uv running this script (relative to the repository
        when inside it), which ``uv run`` passes in ``$UV``.
    """
    running = os.environ.get("UV")
    if shutil.which("uv") or not running:
        return "uv"
    path = Path(running)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def wait_until_ready(url: str, process: subprocess.Popen[bytes], *, within: float) -> None:
    """Poll ``url`` until it answers 200; fail if ``process`` exits or time runs out.

    Parameters
    ----------
    url
        The readiness URL.
    process
        The process serving it.
    within
        Seconds to wait.

    Raises
    ------
    SystemExit
        If the process exited or the URL did not answer 200 in time.
    """
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the process behind {url} exited with status {process.returncode}"
            raise SystemExit(msg)
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our own URL
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    msg = f"{url} did not answer 200 within {within:g} s"
    raise SystemExit(msg)


def _showcase(directory: Path) -> Path:
    families = {family["name"]: family for family in json.loads(RECORDINGS.read_text("utf-8"))}
    for index, event in enumerate(SHOWCASE):
        payload = families[event]["examples"][0]
        document = {"event": event, "payload": payload}
        (directory / f"{index:02d}-{event}.json").write_text(json.dumps(document), "utf-8")
    return directory


def stop_process(process: subprocess.Popen[bytes], name: str) -> None:
    """Stop a process we started, by its PID: SIGINT, then SIGKILL after 10 s.

    Parameters
    ----------
    process
        The process.
    name
        What it is, for the message when it has to be killed.
    """
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        print(f"{name} (pid {process.pid}) did not stop in 10 s: killing it", file=sys.stderr)
        process.kill()
        process.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    """Run the local stack until Ctrl-C (or SIGTERM).

    Returns
    -------
    int
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="the gateway's port")
    parser.add_argument("--kafka-port", type=int, default=9092, help="the broker's port")
    parser.add_argument("--registry-port", type=int, default=8081, help="the registry's port")
    arguments = parser.parse_args()
    # SIGTERM (a supervisor, `timeout`) stops everything as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)

    processes: list[tuple[str, subprocess.Popen[bytes]]] = []
    stack = DevStack(kafka_port=arguments.kafka_port, registry_port=arguments.registry_port)
    stack.start()
    gateway_url = f"http://127.0.0.1:{arguments.port}"
    env = {
        **os.environ,
        **stack.env(),
        # Tansu cannot do aiokafka's idempotent producer (see PLATFORM notes).
        "KAFKA_ENABLE_IDEMPOTENCE": "false",
        "OCTOBUS_WEBHOOK_SECRETS": SECRET,
        "OCTOBUS_CONSUMER_SESSION_TIMEOUT_MS": "1000",
    }
    try:
        gateway = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "octobus.cli", "serve", "--port", str(arguments.port)],
            env=env,
        )
        processes.append(("gateway", gateway))
        wait_until_ready(f"{gateway_url}/readyz", gateway, within=60)

        consumer_command = shutil.which(
            "octobus-consumer-example", path=str(Path(sys.executable).parent)
        )
        if consumer_command is not None:
            consumer = subprocess.Popen(  # noqa: S603 - the workspace's own script
                [consumer_command, "--from-beginning"], env=env
            )
            processes.append(("consumer example", consumer))
        else:
            print("octobus-consumer-example is not installed: no consumer started")

        with tempfile.TemporaryDirectory(prefix="octobus-showcase-") as scratch:
            showcase = _showcase(Path(scratch))
            subprocess.run(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "octobus.cli",
                    "replay",
                    str(showcase),
                    "--url",
                    gateway_url,
                    "--secret",
                    SECRET,
                ],
                env=env,
                check=False,
            )

        replay = (
            f"{uv_command()} run octobus replay {RECORDINGS.relative_to(ROOT)}"
            f" --url {gateway_url} --secret {SECRET}"
        )
        print(
            f"""
Octobus is running (Ctrl-C stops everything):
  webhook endpoint    {gateway_url}/webhooks/github   (secret: {SECRET})
  gateway OpenAPI     {gateway_url}/docs
  topics (AsyncAPI)   {gateway_url}/asyncapi   (JSON: {gateway_url}/asyncapi.json)
  topic catalog       {gateway_url}/v1/topics
  readiness           {gateway_url}/readyz
  Schema Registry     {stack.registry_url}/subjects
  Kafka               {stack.bootstrap_servers}

Replay all 329 real deliveries:
  {replay}
""",
            flush=True,
        )
        while all(process.poll() is None for _, process in processes):
            time.sleep(0.5)
        for name, process in processes:
            if process.poll() is not None:
                print(f"{name} exited with status {process.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", file=sys.stderr)
        return 0
    finally:
        # A terminal's Ctrl-C reaches make, uv and this script at once, and uv forwards it
        # again: a second interrupt must not cut the shutdown short and leave a process.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for name, process in reversed(processes):
            stop_process(process, name)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
