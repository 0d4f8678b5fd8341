"""The examples in the docstrings of the event models, topics and catalog run and hold."""

import doctest
from types import ModuleType

import octobus_schemas.catalog
import octobus_schemas.events._base
import octobus_schemas.topics
import pytest


@pytest.mark.parametrize(
    "module",
    [octobus_schemas.events._base, octobus_schemas.topics, octobus_schemas.catalog],
    ids=lambda module: module.__name__,
)
def test_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
