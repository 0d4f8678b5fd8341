"""The docs build offline, cover the whole public surface, and fail on a broken reference.

The full build runs once per session into a temporary directory, with the same options as
``make docs`` (warnings are errors).
"""

import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import octobus_schemas
import pytest
from octobus.config import Settings
from octobus.main import create_app
from octobus_schemas.catalog import CATALOG
from sphinx.util.inventory import InventoryFile

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _sphinx_build(source: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "--fail-on-warning",
            "--keep-going",
            "--fresh-env",
            "--quiet",
            "--builder",
            "html",
            str(source),
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs built as ``make docs`` builds them; the build must pass with no warning."""
    output = tmp_path_factory.mktemp("docs-html")
    result = _sphinx_build(DOCS, output)
    assert result.returncode == 0, result.stderr
    return output


def _inventory(built: Path) -> dict[str, set[str]]:
    with (built / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    # Sphinx >= 8.2 returns an _Inventory object; older ones a dict of dicts.
    data = getattr(inventory, "data", inventory)
    return {kind: set(entries) for kind, entries in data.items()}


def _public_modules() -> list[str]:
    names = [octobus_schemas.__name__]
    for module in pkgutil.walk_packages(octobus_schemas.__path__, f"{octobus_schemas.__name__}."):
        if not any(part.startswith("_") for part in module.name.split(".")):
            names.append(module.name)
    return names


def test_the_python_reference_documents_every_public_name(built_docs: Path) -> None:
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        python_api = importlib.import_module("octobus_docs.python_api")
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    documented = set().union(*_inventory(built_docs).values())
    pages = {name: importlib.import_module(name) for name in python_api.PUBLIC_MODULES}
    missing = []
    for name in _public_modules():
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", ()):
            value = getattr(module, export)
            # Documented where a documented module exports the same object (the events'
            # family modules are re-exported by octobus_schemas.events, say).
            places = [
                f"{page}.{export}"
                for page, page_module in pages.items()
                if getattr(page_module, export, None) is value
            ]
            if not any(place in documented for place in places):
                missing.append(f"{name}.{export}")
    assert missing == []


def test_the_http_reference_has_every_route_of_the_app(built_docs: Path) -> None:
    routes = create_app(Settings.model_validate({"webhook_secrets": "docs"})).openapi()["paths"]
    inventory = _inventory(built_docs)
    for path, operations in routes.items():
        for method in operations:
            assert path in inventory[f"http:{method}"], (method, path)


def test_there_is_an_event_page_per_catalog_record(built_docs: Path) -> None:
    pages = {page.stem for page in (built_docs / "_generated" / "events").glob("*.html")}
    assert pages == {model.__name__ for model in CATALOG.values()}


def test_no_page_shows_unrendered_markup(built_docs: Path) -> None:
    leftovers = {}
    for page in built_docs.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = re.findall(r"^\s*\.\. [a-z:]+::", re.sub(r"<[^>]+>", "", text), re.MULTILINE)
        if found:
            leftovers[str(page.relative_to(built_docs))] = found[:3]
    assert leftovers == {}


def test_a_broken_reference_fails_the_build(tmp_path: Path) -> None:
    source = tmp_path / "docs"
    source.mkdir()
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    shutil.copytree(DOCS / "_ext", source / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (source / "index.md").write_text(
        "# Broken\n\nSee {doc}`no-such-page` and {py:class}`octobus_schemas.NoSuchClass`.\n",
        encoding="utf-8",
    )

    result = _sphinx_build(source, tmp_path / "html")

    assert result.returncode != 0
    assert "no-such-page" in result.stderr
    assert "octobus_schemas.NoSuchClass" in result.stderr
