"""The README stays true: every setting is in its table, and its Python example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from octobus.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_gateway_setting_is_documented_and_nothing_else() -> None:
    documented = set(re.findall(r"^\| `(OCTOBUS_[A-Z_]+)` \|", README.read_text(), re.MULTILINE))
    fields = {
        f"OCTOBUS_{name.upper()}"
        for name in Settings.model_fields
        if name not in ("kafka", "schema_registry")
    }
    assert documented == fields


def test_the_python_example_builds_an_app(monkeypatch: pytest.MonkeyPatch) -> None:
    [example] = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    namespace: dict[str, object] = {}
    exec(compile(example, str(README), "exec"), namespace)
    assert isinstance(namespace["app"], FastAPI)
