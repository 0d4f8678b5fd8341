"""The README's "The event models" example runs as written, on a real delivery."""

from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## The event models", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_event_models_readme_example_runs(
    webhook_examples: dict[str, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    payload = webhook_examples["push"][4]
    exec(compile(readme_example(), "README.md", "exec"), {"payload": payload})
    assert capsys.readouterr().out.split() == [
        "github.push",
        "io.octobus.github.v1.PushEvent",
        payload["ref"],
        payload["repository"]["full_name"],
    ]
