"""The examples in the package's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import octobus_consumer_example
import pytest


def _modules_with_examples() -> list[str]:
    names = [octobus_consumer_example.__name__] + [
        f"{octobus_consumer_example.__name__}.{info.name}"
        for info in pkgutil.iter_modules(octobus_consumer_example.__path__)
    ]
    return sorted(
        name for name in names if ">>>" in inspect.getsource(importlib.import_module(name))
    )


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
