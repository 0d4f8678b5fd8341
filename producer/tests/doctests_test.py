"""Every example in the gateway's docstrings runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "octobus.config",
    "octobus.main",
    "octobus.domain.delivery",
    "octobus.domain.payloads",
    "octobus.domain.signature",
    "octobus.services.redelivery",
    "octobus.services.retry",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTOBUS_WEBHOOK_SECRETS", raising=False)
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
