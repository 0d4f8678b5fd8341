"""The GitHub workflows: CI covers every member, and a release ships in the only safe order."""

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def load(path: Path) -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the bare key `on` as True.
    if True in document:
        document["on"] = document.pop(True)
    return document


RELEASE = load(WORKFLOWS / "release.yaml")
CI = load(WORKFLOWS / "ci.yaml")
RELEASE_JOBS: dict[str, dict[str, Any]] = RELEASE["jobs"]


def needs(jobs: dict[str, dict[str, Any]], name: str) -> set[str]:
    declared = jobs[name].get("needs", [])
    return {declared} if isinstance(declared, str) else set(declared)


def runs_after(jobs: dict[str, dict[str, Any]], name: str) -> set[str]:
    """Every job that must succeed before ``name`` starts (the transitive ``needs``)."""
    before: set[str] = set()
    pending = list(needs(jobs, name))
    while pending:
        job = pending.pop()
        if job not in before:
            before.add(job)
            pending.extend(needs(jobs, job))
    return before


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in steps(job) if step.get("uses", "").startswith(action)]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in steps(job) if "run" in step)


def test_a_release_runs_on_a_published_github_release() -> None:
    assert RELEASE["on"] == {"release": {"types": ["published"]}}


def test_release_jobs_run_check_then_registry_then_pypi_then_ghcr() -> None:
    assert list(RELEASE_JOBS) == ["check", "register-schemas", "publish-pypi", "publish-image"]
    assert runs_after(RELEASE_JOBS, "check") == set()
    assert runs_after(RELEASE_JOBS, "register-schemas") == {"check"}
    assert runs_after(RELEASE_JOBS, "publish-pypi") == {"check", "register-schemas"}
    assert runs_after(RELEASE_JOBS, "publish-image") == {
        "check",
        "register-schemas",
        "publish-pypi",
    }


def test_no_release_job_runs_when_an_earlier_one_failed() -> None:
    # `if: always()` or `if: failure()` on a job would let it run after a failed `needs`.
    for name, job in RELEASE_JOBS.items():
        condition = str(job.get("if", ""))
        assert "always()" not in condition, name
        assert "failure()" not in condition, name
        assert not job.get("continue-on-error", False), name


def test_the_registration_checks_compatibility_before_registering_with_secret_credentials() -> None:
    job = RELEASE_JOBS["register-schemas"]
    commands = [step["run"] for step in steps(job) if "run" in step]
    assert [command.split()[-1] for command in commands] == ["check", "register"]
    for variable in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        assert job["env"][variable] == f"${{{{ secrets.{variable} }}}}"
    assert job["environment"] == "production"


def test_the_wheel_is_published_with_trusted_publishing_and_no_stored_token() -> None:
    job = RELEASE_JOBS["publish-pypi"]
    assert job["permissions"]["id-token"] == "write"
    (publish,) = [
        step for step in steps(job) if "pypa/gh-action-pypi-publish" in step.get("uses", "")
    ]
    assert "password" not in publish.get("with", {})
    assert "uv build --package octobus-schemas" in runs(job)


def test_the_image_is_pushed_to_ghcr_with_the_tag_version() -> None:
    job = RELEASE_JOBS["publish-image"]
    assert job["permissions"]["packages"] == "write"
    (build,) = steps_using(job, "docker/build-push-action@")
    assert build["with"]["push"] is True
    assert "VERSION=${{ needs.check.outputs.version }}" in build["with"]["build-args"]
    (login,) = steps_using(job, "docker/login-action@")
    assert login["with"]["registry"] == "ghcr.io"


def test_wheel_and_image_both_take_their_version_from_the_release_tag() -> None:
    for name in ("check", "publish-pypi", "publish-image"):
        (set_version,) = [
            step
            for step in steps(RELEASE_JOBS[name])
            if step.get("uses") == "./.github/actions/set-version"
        ]
        assert set_version["with"]["tag"] == "${{ github.event.release.tag_name }}"
    action = yaml.safe_load((ROOT / ".github/actions/set-version/action.yml").read_text())
    script = action["runs"]["steps"][0]["run"]
    assert "uv version --no-sync --package octobus-schemas" in script
    assert "uv version --no-sync --package octobus " in script


def test_ci_runs_make_test_every_members_tests_and_the_client_wheel_alone_on_311_to_313() -> None:
    jobs: dict[str, dict[str, Any]] = CI["jobs"]
    assert "bash .ci/run" in runs(jobs["test"])
    assert jobs["client-wheel"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    # 3.11 runs everything through .ci/run; every member's tests run on the newer ones too.
    assert jobs["newer-pythons"]["strategy"]["matrix"]["python"] == ["3.12", "3.13"]
    assert "uv run --frozen pytest -p no:cacheprovider" in runs(jobs["newer-pythons"])
    assert "uv build --package octobus-schemas --wheel" in runs(jobs["client-wheel"])
    assert any("docker/build-push-action" in action for action in uses(jobs["image"]))
    assert "octobus-schemas check" in runs(jobs["schema-compatibility"])


def test_dependabot_keeps_actions_and_docker_images_current() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert {"github-actions", "docker"} <= ecosystems
