"""``octobus-schemas``: export, check and register the schemas of every shipped event.

- ``octobus-schemas export DIR`` writes every schema as ``DIR/<record full name>.avsc``.
- ``octobus-schemas check --registry-url URL`` reports, per subject, whether the current
  models may be registered, and why not, field by field; exits 1 when any may not.
- ``octobus-schemas register --registry-url URL [--compatibility LEVEL]`` sets each subject's
  compatibility level (``FULL_TRANSITIVE`` unless told otherwise) and registers every schema;
  exits 1 when any is refused.

Without ``--registry-url`` the registry is read from ``SCHEMA_REGISTRY_URL`` (with
``SCHEMA_REGISTRY_USERNAME``/``_PASSWORD``/``_CA_FILE`` for auth and TLS). Exit status 2 means
nothing was checked: the command line or the registry settings are wrong, the registry could
not be used at all, or ``export`` could not write its directory.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from dataclasses_avroschema.pydantic import AvroBaseModel
from pydantic import ValidationError

from octobus_schemas.avro import (
    CompatibilityLevel,
    SchemaRegistryClient,
    SchemaRegistrySettings,
    SubjectNameStrategy,
    record_full_name,
    subject_name,
)
from octobus_schemas.avro._schema import cached_schema
from octobus_schemas.errors import IncompatibleSchemaError, OctobusSchemasError

__all__ = ["main", "readable_reasons"]

_CONFLUENT_REASON = re.compile(r"errorType:'(?P<type>[^']*)', description:'(?P<text>.*)'")
_OLD_VERSION = re.compile(r"^\{oldSchemaVersion: (?P<version>\d+)\}$")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        The arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        The exit status: 0 success, 1 incompatible or refused schemas, 2 nothing checked
        (bad command line or settings, registry unusable, export directory not writable).
    """
    arguments = _parser().parse_args(argv)
    if arguments.command == "export":
        try:
            return _export(arguments.directory, sys.stdout)
        except OSError as error:
            print(
                f"error: cannot write the schemas into {arguments.directory}: {error}",
                file=sys.stderr,
            )
            return 2
    try:
        return asyncio.run(_with_registry(arguments, sys.stdout))
    except ValidationError as error:
        print(f"error: {_settings_problems(error)}", file=sys.stderr)
        return 2
    except OctobusSchemasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def readable_reasons(messages: Sequence[str]) -> list[str]:
    """Turn a registry's verbose compatibility messages into one line per field.

    Parameters
    ----------
    messages
        The ``messages`` of a verbose compatibility check (Confluent's format:
        ``{errorType:'...', description:'...', additionalInfo:'...'}`` per problem, then
        context entries such as the old schema).

    Returns
    -------
    list of str
        ``"<description> (<errorType>)"`` per problem, ``"checked against version N"``, and
        any other registry's messages as they are (the old schema's text and the echo of the
        settings are left out).
    """
    reasons = []
    for message in messages:
        match = _CONFLUENT_REASON.search(message)
        version = _OLD_VERSION.search(message)
        if match:
            text = re.sub(r"', additionalInfo:'.*$", "", match["text"]).rstrip("'}")
            reasons.append(f"{text} ({match['type']})")
        elif version:
            reasons.append(f"checked against version {version['version']}")
        elif not message.startswith(("{oldSchema:", "{validateFields:")):
            reasons.append(message.strip("{}"))
    return reasons


def _settings_problems(error: ValidationError) -> str:
    # Name each setting by the variable a user sets; the inputs themselves are never echoed
    # (SchemaRegistrySettings hides them: one of them is the password).
    problems = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        if problem["loc"]:
            variable = f"SCHEMA_REGISTRY_{str(problem['loc'][0]).upper()}"
            message = f"{variable}: {message}"
        problems.append(message)
    return "invalid Schema Registry settings: " + "; ".join(problems)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="octobus-schemas",
        description="Export, check and register the Avro schemas of Octobus events.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write every schema as DIR/<full name>.avsc")
    export.add_argument("directory", metavar="DIR")
    for name, help_text in (
        ("check", "report whether the current models may be registered, field by field"),
        ("register", "register every schema (after setting each subject's compatibility)"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--registry-url", help="Schema Registry URL (default: $SCHEMA_REGISTRY_URL)"
        )
        command.add_argument(
            "--subject-suffix",
            default="",
            help="appended to every subject; a suffix starting with '-' needs the = form: "
            "--subject-suffix=-staging",
        )
        if name == "register":
            command.add_argument(
                "--compatibility",
                type=CompatibilityLevel,
                choices=list(CompatibilityLevel),
                default=CompatibilityLevel.FULL_TRANSITIVE,
                metavar="LEVEL",
                help="compatibility level set on each subject (default: FULL_TRANSITIVE)",
            )
    return parser


def _export(directory: str, out: TextIO) -> int:
    from octobus_schemas.catalog import export_schemas

    for path in export_schemas(directory):
        print(f"wrote {path}", file=out)
    return 0


async def _with_registry(arguments: argparse.Namespace, out: TextIO) -> int:
    from octobus_schemas.catalog import CATALOG

    settings = (
        SchemaRegistrySettings(url=arguments.registry_url)
        if arguments.registry_url
        else SchemaRegistrySettings()
    )
    failures = 0
    async with settings.make_client() as registry:
        for model in CATALOG.values():
            subject = subject_name(
                SubjectNameStrategy.RECORD_NAME,
                topic=None,
                record_full_name=record_full_name(cached_schema(model)),
                suffix=arguments.subject_suffix,
            )
            if arguments.command == "check":
                ok = await _check(registry, model, subject, out)
            else:
                ok = await _register(registry, model, subject, arguments.compatibility, out)
            failures += not ok
    noun = "subject" if failures == 1 else "subjects"
    print(f"{failures} {noun} failed" if failures else "all subjects ok", file=out)
    return 1 if failures else 0


async def _check(
    registry: SchemaRegistryClient, model: type[AvroBaseModel], subject: str, out: TextIO
) -> bool:
    report = await registry.check_compatibility(model, subject)
    if report.compatible:
        print(f"{subject}: compatible", file=out)
        return True
    print(f"{subject}: INCOMPATIBLE", file=out)
    for reason in readable_reasons(report.messages):
        print(f"  - {reason}", file=out)
    return False


async def _register(
    registry: SchemaRegistryClient,
    model: type[AvroBaseModel],
    subject: str,
    level: CompatibilityLevel,
    out: TextIO,
) -> bool:
    try:
        registered = await registry.register(model, subject, compatibility=level)
    except IncompatibleSchemaError as error:
        print(f"{subject}: REFUSED (incompatible under {level.value})", file=out)
        report = await registry.check_compatibility(model, subject)
        for reason in readable_reasons(report.messages) or error.messages:
            print(f"  - {reason}", file=out)
        return False
    print(
        f"{subject}: schema id {registered.id}, version {registered.version} ({level.value})",
        file=out,
    )
    return True


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
