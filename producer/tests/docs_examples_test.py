"""The Python examples of the gateway-side docs pages run, and print what the pages say."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIS_TEST = "producer/tests/docs_examples_test.py"


@pytest.fixture
def examples(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The docs' example runner (``docs/_ext/octobus_docs/examples.py``)."""
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_ext"))
    return importlib.import_module("octobus_docs.examples")


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OCTOBUS_/KAFKA_/SCHEMA_REGISTRY_ variables: the examples show the defaults."""
    for name in list(os.environ):
        if name.startswith(("OCTOBUS_", "KAFKA_", "SCHEMA_REGISTRY_")):
            monkeypatch.delenv(name)


@pytest.mark.usefixtures("clean_environment")
def test_the_gateway_guide_examples_run_and_print_what_the_page_shows(
    examples: ModuleType,
) -> None:
    pages = [page for page, test in examples.PAGES_WITH_EXAMPLES.items() if test == THIS_TEST]
    assert pages == ["guides/running-the-gateway.md"]
    for page in pages:
        examples.run_page(page)


def test_every_page_with_python_examples_is_run_by_the_test_module_it_names(
    examples: ModuleType,
) -> None:
    assert examples.pages_with_python() == set(examples.PAGES_WITH_EXAMPLES)
    for page, test_module in examples.PAGES_WITH_EXAMPLES.items():
        assert page in (ROOT / test_module).read_text(encoding="utf-8"), (page, test_module)


def test_a_page_whose_example_prints_something_else_fails(
    examples: ModuleType, tmp_path: Path
) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```python\nprint('actual')\n```\n\n```text\nexpected\n```\n")
    with pytest.raises(
        AssertionError, match=r"page\.md, line 4 printed 'actual\\n', the page says 'expected\\n'"
    ):
        examples.run_page(str(page))


def test_a_page_whose_example_raises_fails_naming_the_line(
    examples: ModuleType, tmp_path: Path
) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```python\nx = 1\n```\n\nText.\n\n```python\n1 / 0\n```\n")
    with pytest.raises(AssertionError, match=r"page\.md, line 10 raised ZeroDivisionError"):
        examples.run_page(str(page))


def test_every_pages_examples_type_check_under_mypy_strict(
    examples: ModuleType, tmp_path: Path
) -> None:
    # Readers copy these into code that is type-checked: they must pass the project's own
    # mypy configuration (strict, pydantic plugin), one module per page.
    modules = []
    for page in sorted(examples.PAGES_WITH_EXAMPLES):
        module = tmp_path / f"{Path(page).stem.replace('-', '_')}.py"
        module.write_text("\n\n".join(e.code for e in examples.page_examples(page)))
        modules.append(str(module))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *modules],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout
