"""The settings page of the docs lists exactly the settings the gateway reads.

The page is generated from the settings models (``docs/_ext/octobus_docs/settings.py``);
these tests check the generator against the models independently: every leaf field of
`octobus.config.Settings` and the models it composes has one row, and every variable a
row names really sets that field when exported.
"""

import enum
import importlib
import os
import re
import types
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import trustme
from octobus.config import Settings
from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_GUIDE = ROOT / "docs" / "guides" / "running-the-gateway.md"


@pytest.fixture
def settings_docs(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The settings page generator."""
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_ext"))
    return importlib.import_module("octobus_docs.settings")


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No OCTOBUS_/KAFKA_/SCHEMA_REGISTRY_ variables from the test run itself."""
    for name in list(os.environ):
        if name.startswith(("OCTOBUS_", "KAFKA_", "SCHEMA_REGISTRY_")):
            monkeypatch.delenv(name)
    return monkeypatch


def _leaf_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    fields = set()
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings):
            fields |= _leaf_fields(field.annotation, f"{prefix}{name}.")
        else:
            fields.add(f"{prefix}{name}")
    return fields


def _page_variables(markdown: str) -> list[str]:
    return re.findall(r"^\| `([A-Z0-9_]+)` \|", markdown, flags=re.MULTILINE)


def test_the_page_has_one_row_per_setting_of_the_model(settings_docs: ModuleType) -> None:
    rows = settings_docs.setting_docs(Settings)
    page = settings_docs.render_settings(rows)

    assert {row.path for row in rows} == _leaf_fields(Settings)
    assert sorted(_page_variables(page)) == sorted(row.env_var for row in rows)
    assert len(set(_page_variables(page))) == len(rows)


def test_the_gateway_guide_includes_the_generated_settings_page() -> None:
    guide = GATEWAY_GUIDE.read_text(encoding="utf-8")
    assert "```{include} ../_generated/settings.md\n```" in guide


def test_the_defaults_on_the_page_are_the_models_defaults(
    settings_docs: ModuleType, clean_environment: pytest.MonkeyPatch
) -> None:
    settings = Settings.model_validate({"webhook_secrets": "s3cret"})
    for row in settings_docs.setting_docs(Settings):
        if row.default_text == "required":
            continue
        value = _value_at(settings, row.path)
        if row.default_text == "unset":
            assert value is None, row
        else:
            shown = row.default_text.split("`")[1]
            expected = value.value if isinstance(value, enum.Enum) else value
            assert shown in (
                str(expected),
                str(expected).lower(),
                '""' if expected == "" else None,
            ), row


def _value_at(settings: BaseModel, path: str) -> Any:
    value: Any = settings
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _sample(annotation: Any, default: Any, tmp_path: Path) -> str:
    """A valid value for a field, different from its default, as an environment string."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) is list:
        return "first-secret,second-secret"
    if typing.get_origin(annotation) is typing.Annotated:
        (base, *_) = typing.get_args(annotation)
        if base is Path:
            # The TLS settings read their files when validated: one PEM holding a key and
            # its certificate serves as the CA, certificate and key file alike.
            path = tmp_path / "sample.pem"
            if not path.exists():
                issued = trustme.CA().issue_cert("kafka.example")
                issued.private_key_and_cert_chain_pem.write_to_path(str(path))
            return str(path)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(member.value for member in annotation if member != default))
    if annotation is bool:
        return str(not default).lower()
    if annotation is int:
        return str((default or 0) + 7)
    if annotation is float:
        return str((default or 0) + 1.5)
    if annotation is SecretStr:
        return "a-secret"
    if getattr(annotation, "__name__", "") == "AnyHttpUrl":
        return "https://registry.example.invalid:8443/"
    return "sample.value-1"


# Settings that belong to one Kafka security mode only: sampled in that mode.
_SASL_ONLY = {"kafka.sasl_mechanism", "kafka.sasl_username", "kafka.sasl_password"}
_SSL_ONLY = {"kafka.ssl_cert_file", "kafka.ssl_key_file"}


@pytest.mark.parametrize(
    ("mode", "left_out"),
    [("SSL", _SASL_ONLY), ("SASL_SSL", _SSL_ONLY)],
)
def test_every_variable_on_the_page_sets_its_setting(
    settings_docs: ModuleType,
    clean_environment: pytest.MonkeyPatch,
    tmp_path: Path,
    mode: str,
    left_out: set[str],
) -> None:
    rows = [row for row in settings_docs.setting_docs(Settings) if row.path not in left_out]
    exported = {}
    for row in rows:
        model = row.group
        field = model.model_fields[row.path.rsplit(".", 1)[-1]]
        exported[row.path] = _sample(field.annotation, field.default, tmp_path)
        clean_environment.setenv(row.env_var, exported[row.path])
    clean_environment.setenv("KAFKA_SECURITY_PROTOCOL", mode)
    exported["kafka.security_protocol"] = mode

    settings = Settings()

    for path, text in exported.items():
        value = _value_at(settings, path)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list):
            value = ",".join(item.get_secret_value() for item in value)
        elif isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, bool):
            value = str(value).lower()
        assert str(value) == text, path


def test_every_variable_the_hand_written_pages_name_is_a_real_setting(
    settings_docs: ModuleType,
) -> None:
    known = {row.env_var for row in settings_docs.setting_docs(Settings)}
    named: dict[str, set[str]] = {}
    for page in (ROOT / "docs").rglob("*.md"):
        if {"_build", "_generated"} & set(page.parts):
            continue
        text = page.read_text(encoding="utf-8")
        # Whole names only: `KAFKA_SASL_*` and `SCHEMA_REGISTRY_USERNAME`/`_PASSWORD` are
        # families, not variables.
        for name in re.findall(
            r"\b(?:OCTOBUS|KAFKA|SCHEMA_REGISTRY)_[A-Z0-9_]*[A-Z0-9]\b(?!\*)", text
        ):
            named.setdefault(name, set()).add(page.name)
    unknown = {name: pages for name, pages in named.items() if name not in known}
    assert unknown == {}
