"""The settings reference, generated from the gateway's pydantic-settings model.

`setting_docs` walks `octobus.config.Settings` and every settings model it composes
(Kafka's ``KAFKA_*``, the Schema Registry's ``SCHEMA_REGISTRY_*``) and returns one row per
environment variable; `render_settings` turns the rows into the Markdown tables the
*Running the gateway* guide includes. Nothing here is written by hand, so the page cannot
list a setting the code lacks or miss one it has.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import textwrap
import types
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import AnyUrl, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

__all__ = ["SettingDoc", "public_name", "render_settings", "setting_docs"]


@dataclass(frozen=True)
class SettingDoc:
    """One environment variable of a settings model.

    Attributes
    ----------
    env_var
        The variable's name, upper case.
    path
        Where the value lands, dotted from the root model (``kafka.bootstrap_servers``).
    group
        The settings class that declares it.
    type_text
        What the value may be, in words.
    default_text
        The default, or ``required``.
    description
        What it does.
    secret
        Whether the value is a secret (never logged nor shown).
    """

    env_var: str
    path: str
    group: type[BaseSettings]
    type_text: str
    default_text: str
    description: str
    secret: bool


def setting_docs(model: type[BaseSettings], *, path: str = "") -> list[SettingDoc]:
    """List every environment variable a settings model reads, sub-models included.

    Parameters
    ----------
    model
        The settings class (for the gateway, `octobus.config.Settings`).
    path
        The dotted prefix of the model's fields (for recursion).

    Returns
    -------
    list of SettingDoc
        One row per leaf field, in declaration order, sub-models where they are declared.
    """
    prefix = str(model.model_config.get("env_prefix", ""))
    docstrings = _attribute_docstrings(model)
    rows: list[SettingDoc] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
            rows.extend(setting_docs(annotation, path=f"{path}{name}."))
            continue
        rows.append(
            SettingDoc(
                env_var=_env_var(prefix, name, field),
                path=f"{path}{name}",
                group=model,
                type_text=_type_text(annotation),
                default_text=_default_text(field),
                description=(field.description or docstrings.get(name, "")).strip(),
                secret=_is_secret(annotation),
            )
        )
    return rows


def render_settings(rows: list[SettingDoc]) -> str:
    """Render the rows as Markdown: one table per settings class.

    Parameters
    ----------
    rows
        The rows from `setting_docs`.

    Returns
    -------
    str
        MyST Markdown, headed by one ``###`` title per settings class.
    """
    groups: dict[type[BaseSettings], list[SettingDoc]] = {}
    # The root model's own settings first: they are the ones an operator must set.
    for row in sorted(rows, key=lambda row: "." in row.path):
        groups.setdefault(row.group, []).append(row)
    parts = ["<!-- Generated from the settings models by docs/_ext/octobus_docs/settings.py. -->\n"]
    for group, members in groups.items():
        prefix = str(group.model_config.get("env_prefix", ""))
        summary = " ".join((group.__doc__ or "").strip().split("\n\n")[0].split())
        parts.append(f"### `{prefix}*`\n")
        parts.append(f"{summary} Declared by {{py:class}}`{public_name(group)}`.\n")
        parts.append("| Variable | Default | Description |")
        parts.append("| --- | --- | --- |")
        for row in members:
            secret = " A secret: never logged." if row.secret else ""
            value = f"*Value:* {row.type_text}.{secret}"
            parts.append(
                f"| `{row.env_var}` | {_cell(row.default_text)} "
                f"| {_cell(row.description)}<br>{_cell(value)} |"
            )
        parts.append("")
    return "\n".join(parts)


def public_name(obj: type) -> str:
    """Return the shortest importable dotted name of a class (its documented name).

    Parameters
    ----------
    obj
        A class defined in a private module and re-exported by a package.

    Returns
    -------
    str
        ``package.module.Name`` for the first module along the module path, below the
        package root, that exports it.
    """
    parts = obj.__module__.split(".")
    # From the subpackage down: the package root re-exports a few names for convenience,
    # but the reference documents each name in its subpackage.
    for end in range(min(2, len(parts)), len(parts) + 1):
        module = importlib.import_module(".".join(parts[:end]))
        if obj.__name__ in getattr(module, "__all__", ()) and getattr(module, obj.__name__) is obj:
            return f"{module.__name__}.{obj.__name__}"
    return f"{obj.__module__}.{obj.__qualname__}"


def _env_var(prefix: str, name: str, field: FieldInfo) -> str:
    alias = field.validation_alias if isinstance(field.validation_alias, str) else field.alias
    return (alias if alias else f"{prefix}{name}").upper()


def _cell(text: str) -> str:
    # A table cell is one line, and a bare pipe would end it.
    return " ".join(text.split()).replace("|", "\\|")


def _attribute_docstrings(model: type[BaseSettings]) -> dict[str, str]:
    # Some models document fields with a string literal after the field (attribute
    # docstrings) rather than Field(description=...); read those from the source.
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseSettings)) or cls is BaseSettings:
            continue
        try:
            source = textwrap.dedent(inspect.getsource(cls))
        except (OSError, TypeError):
            continue
        body = ast.parse(source).body[0]
        if not isinstance(body, ast.ClassDef):
            continue
        statements = body.body
        for current, following in itertools.pairwise(statements):
            if (
                isinstance(current, ast.AnnAssign)
                and isinstance(current.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                found[current.target.id] = inspect.cleandoc(following.value.value)
    return found


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        optional = len(members) < len(get_args(annotation))
        if len(members) == 1:
            return members[0], optional
    return annotation, False


def _is_secret(annotation: Any) -> bool:
    inner, _ = _strip_optional(annotation)
    if get_origin(inner) is list:
        (inner,) = get_args(inner)
    return inner is SecretStr


def _type_text(annotation: Any) -> str:
    inner, optional = _strip_optional(annotation)
    text = _plain_type_text(inner)
    return f"{text}, optional" if optional else text


def _plain_type_text(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        return f"comma-separated list of {_plain_type_text(item)}s"
    if origin is not None and hasattr(annotation, "__metadata__"):
        # FilePath is Annotated[Path, PathType("file")]: say what it checks.
        base, *metadata = get_args(annotation)
        if base is Path and any(getattr(m, "path_type", None) == "file" for m in metadata):
            return "path to an existing file"
        return _plain_type_text(base)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{member.value}`" for member in annotation)
    if annotation is SecretStr:
        return "string"
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl):
        return "URL"
    if annotation is Path:
        return "path"
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    if annotation in names:
        return names[annotation]
    return str(getattr(annotation, "__name__", annotation))


def _default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    default = field.get_default(call_default_factory=False)
    if default is None:
        return "unset"
    if isinstance(default, Enum):
        return f"`{default.value}`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if default == "":
        return '`""` (empty)'
    return f"`{default}`"
