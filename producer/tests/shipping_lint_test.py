"""`make lint` fails on a broken workflow, a broken compose file and a broken Dockerfile.

Each checker is run exactly as the Makefile's ``lint`` target runs it (the commands are read
from the Makefile), on a temporary copy of the repository layout holding one broken file.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent


def lint_commands() -> list[str]:
    """The recipe lines of the Makefile's ``lint`` target, with ``$(RUN)`` removed."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("lint:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().removeprefix("$(RUN)").strip())
    return recipe


def command_for(checker: str) -> str:
    (command,) = [line for line in lint_commands() if re.search(checker, line)]
    return command


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The tools come from this environment, as `uv run --frozen` gives them to make.
    environment = {**os.environ, "PATH": f"{TOOLS}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


BROKEN_WORKFLOW_NEEDS = """\
name: broken
on: push
jobs:
  publish:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - run: echo publish
"""

BROKEN_WORKFLOW_SHAPE = """\
name: broken
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    step:
      - run: make test
"""

BROKEN_DEPENDABOT = """\
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
"""

BROKEN_COMPOSE = """\
services:
  gateway:
    image: octobus:local
    helthcheck:
      test: ["CMD", "true"]
"""

BROKEN_DOCKERFILE = """\
FROM python:3.11.14-slim-bookworm
COPY . /src
RUN uv sync --frozen --no-dev
USER root
CMD ["octobus", "serve"]
"""


def layout(tmp_path: Path, relative: str, text: str) -> Path:
    """A copy of the repository's shipping files with one of them replaced by ``text``."""
    # actionlint finds the workflows from the root of a git repository.
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    for kept in (".github", "docker-compose.yaml", "Dockerfile"):
        source = ROOT / kept
        if source.is_dir():
            shutil.copytree(source, tmp_path / kept)
        else:
            shutil.copy(source, tmp_path / kept)
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return tmp_path


CASES = {
    "actionlint on a job needing a job that does not exist": (
        r"^actionlint",
        ".github/workflows/broken.yaml",
        BROKEN_WORKFLOW_NEEDS,
        r'"build" which does not exist',
    ),
    "the workflow schema on a job with `step` for `steps`": (
        r"vendor\.github-workflows",
        ".github/workflows/broken.yaml",
        BROKEN_WORKFLOW_SHAPE,
        r"broken\.yaml",
    ),
    "the dependabot schema on an update without a schedule": (
        r"vendor\.dependabot",
        ".github/dependabot.yml",
        BROKEN_DEPENDABOT,
        r"'schedule' is a required property",
    ),
    "the compose specification on a misspelt healthcheck": (
        r"vendor\.compose-spec",
        "docker-compose.yaml",
        BROKEN_COMPOSE,
        r"'helthcheck' was unexpected",
    ),
    "hadolint on an image that runs as root": (
        r"^hadolint",
        "Dockerfile",
        BROKEN_DOCKERFILE,
        r"DL3002",
    ),
}


def test_make_lint_runs_every_shipping_checker() -> None:
    commands = lint_commands()
    for checker, *_ in CASES.values():
        assert [line for line in commands if re.search(checker, line)], checker


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_checker_passes_on_the_repository_and_fails_on_the_broken_file(
    case: str, tmp_path: Path
) -> None:
    checker, relative, broken, complaint = CASES[case]
    command = command_for(checker)
    passing = run(command, ROOT)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    failing = run(command, layout(tmp_path, relative, broken))
    output = failing.stdout + failing.stderr
    assert failing.returncode != 0, output
    assert re.search(complaint, output), output
