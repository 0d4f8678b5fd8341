"""Every Python example in the README runs, and the tables name only what exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from octobus_devstack.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if "def test_" not in e], ids=lambda e: e.splitlines()[0]
)
def test_a_python_example_runs(example: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(example)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_fixture_example_passes_under_pytest(tmp_path: Path) -> None:
    [example] = [e for e in EXAMPLES if "def test_" in e]
    (tmp_path / "example_test.py").write_text(example)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "SCHEMA_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_every_documented_option_exists_with_its_documented_default() -> None:
    text = README.read_text()
    options = build_parser().parse_args(["up"])
    assert "| `--kafka-port` | 9092 |" in text
    assert "| `--registry-port` | 8081 |" in text
    assert "| `--data-dir` | none |" in text
    assert (options.kafka_port, options.registry_port, options.data_dir) == (9092, 8081, None)


def test_every_documented_fixture_is_provided_by_the_plugin() -> None:
    from octobus_devstack import pytest_plugin

    documented = set(
        re.findall(r"^\| `(\w+)` \| (?:session|function) \|", README.read_text(), re.M)
    )
    assert documented == {
        "kafka_bootstrap_servers",
        "schema_registry_url",
        "devstack_reset",
        "tansu_broker_factory",
    }
    for name in documented:
        assert hasattr(pytest_plugin, name)
