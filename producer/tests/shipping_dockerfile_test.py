"""The Dockerfile installs exactly the locked packages and never runs the service as root."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .support.tools import uv_environment

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arguments for kind, arguments in self.instructions if kind == keyword]


def parse_stages(text: str) -> list[Stage]:
    """Split a Dockerfile into stages of (INSTRUCTION, arguments), continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            stages.append(Stage(name=name, base=words[0]))
        elif stages:
            stages[-1].instructions.append((keyword, arguments.strip()))
    return stages


DOCKERFILE = (ROOT / "Dockerfile").read_text()
STAGES = parse_stages(DOCKERFILE)
RUNTIME_STAGES = [stage for stage in STAGES if stage.all("CMD")]


def test_the_runtime_targets_are_the_gateway_and_the_consumer_the_gateway_by_default() -> None:
    assert [stage.name for stage in RUNTIME_STAGES] == ["consumer", "gateway"]
    assert STAGES[-1].name == "gateway"
    assert json.loads(STAGES[-1].all("CMD")[-1])[:2] == ["octobus", "serve"]


def test_every_uv_sync_installs_from_the_lock_frozen_and_without_dev_dependencies() -> None:
    syncs = [run for stage in STAGES for run in stage.all("RUN") if "uv sync" in run]
    assert len(syncs) == 4
    for run in syncs:
        assert "--frozen" in run.split(), run
        assert "--no-dev" in run.split(), run


def test_nothing_is_installed_around_the_lock() -> None:
    # pip or `uv pip` would install unlocked, unhashed versions.
    assert not re.search(r"\bpip3? install\b|\buv pip\b|\buv add\b|\buv lock\b", DOCKERFILE)


def test_the_runtime_stages_run_as_a_numeric_non_root_user() -> None:
    for stage in RUNTIME_STAGES:
        users = stage.all("USER")
        assert users, f"stage {stage.name} sets no USER"
        uid = users[-1].split(":")[0]
        assert uid.isdigit(), f"stage {stage.name}: USER {uid} is not numeric"
        assert int(uid) != 0, f"stage {stage.name} runs as root"
        last_user = max(i for i, (kind, _) in enumerate(stage.instructions) if kind == "USER")
        later = [kind for kind, _ in stage.instructions[last_user + 1 :]]
        assert "RUN" not in later, f"stage {stage.name} runs commands after dropping root"


def test_the_runtime_user_is_created_with_the_uid_it_runs_as() -> None:
    base = next(stage for stage in STAGES if stage.name == "runtime-base")
    (create,) = [run for run in base.all("RUN") if "useradd" in run]
    for stage in RUNTIME_STAGES:
        uid, gid = stage.all("USER")[-1].split(":")
        assert f"--uid {uid}" in create
        assert f"--gid {gid}" in create


def test_the_gateway_health_check_asks_healthz_with_python_not_curl() -> None:
    gateway = STAGES[-1]
    (healthcheck,) = gateway.all("HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert command[0] == "python"
    assert "/healthz" in command[-1]
    port = re.search(r"127\.0\.0\.1:(\d+)/healthz", command[-1])
    assert port is not None
    assert gateway.all("EXPOSE") == [port.group(1)]
    assert "--port" in json.loads(gateway.all("CMD")[-1])
    assert port.group(1) in json.loads(gateway.all("CMD")[-1])


def test_base_images_are_pinned_slim_python_311_and_a_versioned_uv() -> None:
    (python_image,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, flags=re.MULTILINE)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", python_image)
    uv_images = [stage.base for stage in STAGES if "astral-sh/uv" in stage.base]
    assert len(uv_images) == 1
    assert re.fullmatch(r"ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+", uv_images[0])


@pytest.mark.parametrize(
    "label", ["title", "description", "source", "licenses", "version", "revision"]
)
def test_the_images_carry_the_oci_labels(label: str) -> None:
    for stage_name in ("consumer", "gateway"):
        labelled = [
            stage.name
            for stage in STAGES
            for arguments in stage.all("LABEL")
            if f"org.opencontainers.image.{label}=" in arguments
        ]
        assert stage_name in labelled or "runtime-base" in labelled


def test_every_workspace_member_manifest_is_copied_so_uv_finds_the_workspace() -> None:
    members = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"][
        "members"
    ]
    for member in members:
        assert f"COPY {member}/pyproject.toml {member}/README.md {member}/" in DOCKERFILE


def test_the_dockerignore_lets_in_every_path_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copied = [
        source
        for stage in STAGES
        for arguments in stage.all("COPY")
        if not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]
    assert copied
    for source in copied:
        path = source.rstrip("/")
        assert any(path == entry or path.startswith(f"{entry}/") for entry in allowed), source
        assert (ROOT / path).exists(), source


def replay_build(target: str, workdir: Path) -> Path:
    """Run a build stage's COPY, ENV and RUN steps without Docker; return the environment.

    Paths inside the image are moved under ``workdir``; uv comes from this machine and works
    offline from its cache, so a step that needed anything not in uv.lock would fail here.
    """
    stages = {stage.name: stage for stage in STAGES}
    environment = uv_environment(offline=True)
    source = workdir / "src"
    venv = workdir / "opt-octobus"
    for stage in (stages["build-base"], stages[target]):
        for kind, arguments in stage.instructions:
            if kind == "ENV":
                for assignment in shlex.split(arguments):
                    name, _, value = assignment.partition("=")
                    environment[name] = value
            elif kind == "WORKDIR":
                source.mkdir(parents=True, exist_ok=True)
            elif kind == "COPY" and not arguments.startswith("--from"):
                *sources, destination = arguments.split()
                for item in sources:
                    target_path = source / destination
                    if destination.endswith("/"):
                        target_path = target_path / Path(item).name
                    target_path.parent.mkdir(parents=True, exist_ok=True)
                    if (ROOT / item).is_dir():
                        shutil.copytree(ROOT / item, target_path)
                    else:
                        shutil.copy(ROOT / item, target_path)
            elif kind == "RUN":
                command = re.sub(r"--mount=\S+\s*", "", arguments)
                # The image's paths, moved here: its interpreter is this machine's Python.
                environment["UV_PROJECT_ENVIRONMENT"] = str(venv)
                environment["UV_PYTHON"] = sys.executable
                environment["UV_LINK_MODE"] = "symlink" if os.name != "nt" else "copy"
                environment["UV_COMPILE_BYTECODE"] = "0"
                subprocess.run(
                    ["bash", "-c", command],
                    cwd=source,
                    env=environment,
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
    return venv


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "module", "command"),
    [
        ("build-gateway", "octobus.main", "octobus"),
        ("build-consumer", "octobus_consumer_example.cli", "octobus-consumer-example"),
    ],
)
def test_the_build_steps_replayed_from_the_lock_give_a_self_contained_runtime(
    target: str, module: str, command: str, tmp_path: Path
) -> None:
    venv = replay_build(target, tmp_path)
    # --no-editable: the environment must work once the sources are gone, as in the image.
    shutil.rmtree(tmp_path / "src")
    python = venv / "bin" / "python"
    imported = subprocess.run(
        [str(python), "-c", f"import {module}, octobus_schemas.api.client; print('ok')"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.stdout.strip() == "ok", imported.stderr
    assert (venv / "bin" / command).exists()
    assert (venv / "bin" / "octobus-schemas").exists()
    dev_tool = subprocess.run(
        [str(python), "-c", "import pytest"], capture_output=True, text=True, check=False
    )
    assert "No module named 'pytest'" in dev_tool.stderr
