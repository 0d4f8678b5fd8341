"""One version from the git tag for the wheel and the image: the release action, run for real.

The action's script runs on a copy of the workspace's manifests and lock, as the release jobs
run it (online: re-locking reads the index, which a fresh cache does not hold).
"""

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from .support.tools import uv_environment

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / ".github" / "actions" / "set-version" / "action.yml"


def workspace_copy(destination: Path) -> Path:
    """The root manifest, the lock and each member's manifest, README and sources."""
    shutil.copy(ROOT / "pyproject.toml", destination)
    shutil.copy(ROOT / "uv.lock", destination)
    members = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    for member in members["members"]:
        (destination / member).mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / member / name, destination / member / name)
        shutil.copytree(ROOT / member / "src", destination / member / "src")
    return destination


def set_version(workspace: Path, tag: str) -> subprocess.CompletedProcess[str]:
    script = yaml.safe_load(ACTION.read_text())["runs"]["steps"][0]["run"]
    outputs = workspace / "github-output"
    outputs.write_text("")
    environment = {**uv_environment(offline=False), "TAG": tag, "GITHUB_OUTPUT": str(outputs)}
    return subprocess.run(
        ["bash", "-c", script],
        cwd=workspace,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def output_version(workspace: Path) -> str:
    lines = (workspace / "github-output").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)["version"]


def manifest_version(workspace: Path, member: str) -> str:
    version: str = tomllib.loads((workspace / member / "pyproject.toml").read_text())["project"][
        "version"
    ]
    return version


def uv(workspace: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["uv", *arguments],
        cwd=workspace,
        env=uv_environment(offline=False),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_the_tag_sets_one_version_for_wheel_and_gateway_and_keeps_the_lock_current(
    tmp_path: Path,
) -> None:
    workspace = workspace_copy(tmp_path)
    result = set_version(workspace, "v1.4.0")
    assert result.returncode == 0, result.stderr
    assert output_version(workspace) == "1.4.0"
    assert manifest_version(workspace, "schemas-client") == "1.4.0"
    assert manifest_version(workspace, "producer") == "1.4.0"
    checked = uv(workspace, "lock", "--check")
    assert checked.returncode == 0, checked.stderr
    built = uv(workspace, "build", "--package", "octobus-schemas", "--wheel", "--out-dir", "dist")
    assert built.returncode == 0, built.stderr
    assert [path.name for path in (workspace / "dist").glob("*.whl")] == [
        "octobus_schemas-1.4.0-py3-none-any.whl"
    ]


@pytest.mark.slow
def test_a_pre_release_tag_gives_the_pep_440_spelling_to_both(tmp_path: Path) -> None:
    workspace = workspace_copy(tmp_path)
    result = set_version(workspace, "v2.0.0-rc.1")
    assert result.returncode == 0, result.stderr
    assert output_version(workspace) == "2.0.0rc1"
    assert manifest_version(workspace, "producer") == "2.0.0rc1"


def test_a_tag_that_is_not_a_version_stops_the_release(tmp_path: Path) -> None:
    workspace = workspace_copy(tmp_path)
    result = set_version(workspace, "release-candidate")
    assert result.returncode != 0
    assert "version" in result.stderr  # uv says why the tag is not a version
    assert (workspace / "github-output").read_text() == ""
    assert manifest_version(workspace, "producer") == manifest_version(ROOT, "producer")
