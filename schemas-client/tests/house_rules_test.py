"""The house rules hold for every model the package ships (each test runs once per model).

The rules (see ``octobus_schemas.events._base``): nullable unions null-first whatever the
spelling, union defaults on the first branch, naive datetimes refused naming the field, no
factory value in a schema, schema text byte-identical across processes, every named type
defined once per schema, every field documented, and a schema fastavro accepts.
"""

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fastavro
import pydantic
import pytest
from dataclasses_avroschema.pydantic import AvroBaseModel
from octobus_schemas.catalog import CATALOG, render_schema_text
from octobus_schemas.events import (
    GitHubEvent,
    OctobusModel,
    PushEvent,
    SchemaRuleError,
    check_schema,
)

MODELS = CATALOG.models()


def nested_models(model: type[OctobusModel]) -> Iterator[type[OctobusModel]]:
    """Every record class reachable from ``model``'s fields, ``model`` included."""
    seen: set[type[OctobusModel]] = set()
    pending = [model]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        for info in current.model_fields.values():
            pending.extend(
                leaf
                for leaf in leaves(info.annotation)
                if isinstance(leaf, type) and issubclass(leaf, OctobusModel)
            )


def leaves(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is None:
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from leaves(arg)


ALL_RECORDS = sorted({r for m in MODELS for r in nested_models(m)}, key=lambda r: r.__name__)


def records_in(schema: Any) -> Iterator[dict[str, Any]]:
    """Every record definition in a schema (not references)."""
    if isinstance(schema, list):
        for branch in schema:
            yield from records_in(branch)
    elif isinstance(schema, dict):
        if schema.get("type") == "record":
            yield schema
            for field in schema["fields"]:
                yield from records_in(field["type"])
        elif schema.get("type") == "array":
            yield from records_in(schema["items"])
        elif schema.get("type") == "map":
            yield from records_in(schema["values"])


def named_definitions(schema: Any) -> Iterator[str]:
    """The full name of every named type defined in a schema, once per definition."""
    if isinstance(schema, list):
        for branch in schema:
            yield from named_definitions(branch)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed"):
            yield f"{schema['namespace']}.{schema['name']}"
        for key in ("fields", "items", "values"):
            if key == "fields" and kind == "record":
                for field in schema["fields"]:
                    yield from named_definitions(field["type"])
            elif key in schema and kind in ("array", "map"):
                yield from named_definitions(schema[key])


def is_nullable(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(
        None
    ) in typing.get_args(annotation)


def field_schemas(model: type[OctobusModel]) -> dict[str, dict[str, Any]]:
    """The model's own record's fields in its schema, by name."""
    schema = model.avro_schema_to_python()
    # Meta is dataclasses-avroschema's convention, read at run time; no type declares it.
    record_name = model.Meta.schema_name  # type: ignore[attr-defined]
    record = next(r for r in records_in(schema) if r["name"] == record_name)
    return {field["name"]: field for field in record["fields"]}


@pytest.fixture(scope="module")
def examples(
    webhook_examples: dict[str, list[dict[str, Any]]], from_delivery: Any
) -> dict[type[OctobusModel], GitHubEvent]:
    """One real event per model (the raw model from a ``star`` delivery)."""
    result: dict[type[OctobusModel], GitHubEvent] = {}
    for name in ("push", "pull_request", "issues", "issue_comment", "release", "workflow_run"):
        event = from_delivery(name, webhook_examples[name][0])
        result[type(event)] = event
    raw = from_delivery("star", webhook_examples["star"][0])
    result[type(raw)] = raw
    return result


def test_every_shipped_model_is_an_event_and_every_nested_record_is_checked() -> None:
    assert all(issubclass(model, GitHubEvent) for model in MODELS)
    names = {record.__name__ for record in ALL_RECORDS}
    assert {"Repository", "Account", "Commit", "PullRequest", "Issue", "Comment"} <= names
    assert {"Label", "Release", "WorkflowRun", "GitActor", "PullRequestRef"} <= names


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_nullable_fields_render_null_first_with_default_null_when_defaulted(
    record: type[OctobusModel],
) -> None:
    fields = field_schemas(record)
    for name, info in record.model_fields.items():
        if not is_nullable(info.annotation):
            continue
        rendered = fields[name]
        assert rendered["type"][0] == "null", (record.__name__, name, rendered)
        if info.is_required():
            assert "default" not in rendered, (record.__name__, name)
        else:
            assert info.default is None, (record.__name__, name)
            assert rendered["default"] is None, (record.__name__, name)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_union_in_the_schema_puts_null_first(model: type[OctobusModel]) -> None:
    for record in records_in(model.avro_schema_to_python()):
        for field in record["fields"]:
            nullable = isinstance(field["type"], list) and "null" in field["type"]
            if nullable and field.get("default") is None:
                assert field["type"][0] == "null", (record["name"], field["name"])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_default_is_valid_for_its_type_or_first_union_branch(
    model: type[OctobusModel],
) -> None:
    schema = model.avro_schema_to_python()
    named = {f"{r['namespace']}.{r['name']}": r for r in records_in(schema)}

    def expanded(avro_type: Any, seen: set[str]) -> Any:
        # fastavro's validate re-parses its schema alone: inline each named type once.
        if isinstance(avro_type, str):
            if avro_type in named and avro_type not in seen:
                seen.add(avro_type)
                return expanded(named[avro_type], seen)
            return avro_type
        if isinstance(avro_type, list):
            return [expanded(branch, seen) for branch in avro_type]
        result = dict(avro_type)
        if result.get("type") == "record":
            seen.add(f"{result['namespace']}.{result['name']}")
        if "items" in result:
            result["items"] = expanded(result["items"], seen)
        if "fields" in result:
            result["fields"] = [{**f, "type": expanded(f["type"], seen)} for f in result["fields"]]
        return result

    for record in records_in(schema):
        for field in record["fields"]:
            if "default" not in field:
                continue
            first = field["type"][0] if isinstance(field["type"], list) else field["type"]
            parsed = fastavro.parse_schema(expanded(first, set()))
            assert fastavro.validation.validate(field["default"], parsed, raise_errors=False), (
                record["name"],
                field["name"],
                field["default"],
            )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_writer_without_the_defaulted_fields_is_read_into_a_valid_model(
    model: type[OctobusModel], examples: dict[type[OctobusModel], GitHubEvent]
) -> None:
    # What FULL compatibility needs of a default: a reader fills it in for data written
    # before the field existed, and the result still validates.
    reader = model.avro_schema_to_python()
    writer = copy.deepcopy(reader)
    # Fields that define a named type used later stay, so the writer schema still parses.
    writer["fields"] = [
        field
        for field in writer["fields"]
        if "default" not in field or any(records_in(field["type"]))
    ]
    assert len(writer["fields"]) < len(reader["fields"])
    record = {
        k: v
        for k, v in examples[model].asdict().items()
        if k in {f["name"] for f in writer["fields"]}
    }
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(writer), record)
    buffer.seek(0)
    decoded = fastavro.schemaless_reader(
        buffer, fastavro.parse_schema(writer), fastavro.parse_schema(reader)
    )
    filled = model.model_validate(decoded)
    for field in reader["fields"]:
        if field not in writer["fields"]:
            assert getattr(filled, field["name"]) in (None, False, 0, [], {}), field["name"]


def datetime_paths(
    model: type[OctobusModel], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Paths to every datetime field reachable through required or optional records."""
    for name, info in model.model_fields.items():
        for leaf in leaves(info.annotation):
            if leaf in (pydantic.AwareDatetime, dt.datetime):
                yield (*prefix, name)
            elif isinstance(leaf, type) and issubclass(leaf, OctobusModel) and len(prefix) < 2:
                yield from datetime_paths(leaf, (*prefix, name))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_naive_datetime_is_refused_naming_the_field(
    model: type[OctobusModel], examples: dict[type[OctobusModel], GitHubEvent]
) -> None:
    paths = list(datetime_paths(model))
    assert ("received_at",) in paths
    data = examples[model].model_dump()
    checked = 0
    for path in paths:
        payload = copy.deepcopy(data)
        target: object = payload
        for key in path[:-1]:
            target = target.get(key) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            continue  # the example has no such nested record (null)
        target[path[-1]] = dt.datetime(2026, 1, 1, 12, 30)
        with pytest.raises(pydantic.ValidationError) as caught:
            model.model_validate(payload)
        (error,) = caught.value.errors()
        assert error["loc"][: len(path)] == path
        assert error["type"] == "timezone_aware"
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize(
    "instant", ["9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01"], ids=["late", "early"]
)
def test_a_time_whose_utc_instant_leaves_the_calendar_is_refused_naming_the_field(
    instant: str, examples: dict[type[OctobusModel], GitHubEvent]
) -> None:
    data = examples[PushEvent].model_dump()
    with pytest.raises(pydantic.ValidationError) as caught:
        PushEvent.model_validate({**data, "received_at": instant})
    (error,) = caught.value.errors()
    assert error["loc"] == ("received_at",)
    assert error["msg"] == (
        f"Value error, {dt.datetime.fromisoformat(instant).isoformat()} is outside the "
        "years 1-9999 once converted to UTC"
    )


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_no_plain_datetime_annotation_survives_in_a_model(record: type[OctobusModel]) -> None:
    for name, info in record.model_fields.items():
        assert dt.datetime not in set(leaves(info.annotation)), (record.__name__, name)


EMPTY_CONTAINERS: dict[object, object] = {list: [], dict: {}}
"""What each allowed default factory renders as in the schema."""


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_factories_render_empty_containers_and_nothing_else(record: type[OctobusModel]) -> None:
    fields = field_schemas(record)
    for name, info in record.model_fields.items():
        if info.default_factory is None:
            continue
        expected = EMPTY_CONTAINERS.get(info.default_factory)
        if expected is None:
            assert "default" not in fields[name], (record.__name__, name)
        else:
            assert fields[name]["default"] == expected, (record.__name__, name)


RENDER_ALL = (
    "import json; from octobus_schemas.catalog import CATALOG, render_schema_text; "
    "print(json.dumps({n: render_schema_text(m) for n, m in CATALOG.items()}))"
)


def render_in_subprocess(hash_seed: str, tz: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TZ": tz}
    result = subprocess.run(
        [sys.executable, "-c", RENDER_ALL], env=env, capture_output=True, text=True, check=True
    )
    rendered: dict[str, str] = json.loads(result.stdout)
    return rendered


@pytest.mark.slow
def test_schema_text_is_byte_identical_across_processes_hash_seeds_and_time_zones() -> None:
    here = {name: render_schema_text(model) for name, model in CATALOG.items()}
    first = render_in_subprocess("1", "UTC")
    second = render_in_subprocess("4242", "America/New_York")
    assert first == second == here


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_rendering_twice_gives_the_same_text(model: type[OctobusModel]) -> None:
    assert render_schema_text(model) == render_schema_text(model)
    assert model.avro_schema() == model.avro_schema()


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_fields_keep_the_declared_order_envelope_first(record: type[OctobusModel]) -> None:
    assert list(field_schemas(record)) == list(record.model_fields)
    if issubclass(record, GitHubEvent):
        assert list(record.model_fields)[:7] == list(GitHubEvent.model_fields)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_named_type_is_defined_once_and_reused_by_name(model: type[OctobusModel]) -> None:
    schema = model.avro_schema_to_python()
    definitions = list(named_definitions(schema))
    assert len(definitions) == len(set(definitions)), definitions
    text = json.dumps(schema)
    # Account appears in many places (sender, owners, users): defined once, then referenced.
    assert definitions.count("io.octobus.github.v1.Account") == 1
    assert text.count('"io.octobus.github.v1.Account"') >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_fastavro_accepts_every_schema(model: type[OctobusModel]) -> None:
    parsed = fastavro.parse_schema(model.avro_schema_to_python())
    assert isinstance(parsed, dict)
    assert parsed["name"] == model.get_fullname()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_record_has_an_explicit_namespace_and_only_avro_keys(
    model: type[OctobusModel],
) -> None:
    schema = model.avro_schema_to_python()
    assert schema["namespace"] == "io.octobus.github.v1"
    for record in records_in(schema):
        assert record["namespace"] == "io.octobus.github.v1"
        assert set(record) <= {"type", "name", "namespace", "doc", "fields"}
        for field in record["fields"]:
            assert set(field) <= {"name", "type", "doc", "default"}, (record["name"], field)
    assert "pydantic-class" not in json.dumps(schema)


def undocumented_fields(schema: Any) -> list[str]:
    """``record.field`` for every field, in every record a schema defines, without a "doc"."""
    return [
        f"{record['name']}.{field['name']}"
        for record in records_in(schema)
        for field in record["fields"]
        if not str(field.get("doc", "")).strip()
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_of_every_record_has_a_doc(model: type[OctobusModel]) -> None:
    # Consumers learn what a field means from the registered schema (and the event pages
    # made from it): a field without a doc leaves them guessing at GitHub's semantics.
    missing = undocumented_fields(model.avro_schema_to_python())
    assert not missing, (
        f"{model.get_fullname()}: fields without a description (give each a "
        f"Field(description=...)): {', '.join(missing)}"
    )


def test_an_undocumented_field_is_found_in_a_record_nested_in_a_union_or_array() -> None:
    inner = record({"name": "sku", "type": "string"}, name="Line")
    schema = record(
        {"name": "id", "type": "long", "doc": "The order id."},
        {
            "name": "lines",
            "type": ["null", {"type": "array", "items": inner}],
            "doc": "The order lines.",
            "default": None,
        },
        {"name": "note", "type": "string", "doc": " "},
    )
    assert undocumented_fields(schema) == ["Paid.note", "Line.sku"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_actions_and_states_are_plain_strings_never_enums(model: type[OctobusModel]) -> None:
    # GitHub adds actions and states; an Avro enum would make every older reader fail on a
    # new value. So no shipped schema has an enum at all.
    assert '"enum"' not in json.dumps(model.avro_schema_to_python())


ENCODE_EVERY_MODEL = """
import datetime as dt, importlib.util, io, json, sys
import fastavro, pydantic
spec = importlib.util.spec_from_file_location("support", sys.argv[1])
support = importlib.util.module_from_spec(spec)
spec.loader.exec_module(support)
catalogue = json.loads(open(sys.argv[2], encoding="utf-8").read())
examples = {entry["name"]: entry["examples"][0] for entry in catalogue}
result = {}
for name in ("push", "pull_request", "issues", "issue_comment", "release", "workflow_run", "star"):
    event = support.event_from_delivery(name, examples[name])
    schema = fastavro.parse_schema(type(event).avro_schema_to_python())
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, schema, event.asdict())
    naive = {**event.model_dump(), "received_at": dt.datetime(2026, 1, 1, 12, 30)}
    try:
        type(event).model_validate(naive)
        refused = None
    except pydantic.ValidationError as error:
        refused = [list(e["loc"]) for e in error.errors()]
    result[type(event).__name__] = [buffer.getvalue().hex(), refused]
print(json.dumps(result))
"""


def encode_every_model_under(tz: str) -> dict[str, list[Any]]:
    here = Path(__file__).parent
    env = {**os.environ, "TZ": tz}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            ENCODE_EVERY_MODEL,
            str(here / "conftest.py"),
            str(here / "data" / "github-webhook-examples.json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    encoded: dict[str, list[Any]] = json.loads(result.stdout)
    return encoded


@pytest.mark.slow
def test_every_model_writes_the_same_bytes_and_refuses_naive_times_in_any_host_time_zone() -> None:
    in_utc = encode_every_model_under("UTC")
    in_new_york = encode_every_model_under("America/New_York")
    assert set(in_utc) == {model.__name__ for model in MODELS}
    assert in_utc == in_new_york
    for _, refused in in_new_york.values():
        assert refused == [["received_at"]]


def test_the_record_name_is_the_explicit_schema_name_not_the_class_name() -> None:
    class RenamedInPython(OctobusModel):
        """Renaming the class must not rename the record (its registry subject)."""

        id: int

        class Meta:
            namespace = "shop.events"
            schema_name = "Order"

    assert RenamedInPython.get_fullname() == "shop.events.Order"
    assert RenamedInPython.avro_schema_to_python()["name"] == "Order"


def test_a_meta_without_schema_name_is_refused_naming_the_class() -> None:
    class Unnamed(OctobusModel):
        id: int

        class Meta:
            namespace = "shop.events"

    with pytest.raises(SchemaRuleError, match=r"Unnamed: Meta must set `schema_name`"):
        Unnamed.avro_schema()


def test_a_nested_record_outside_the_house_rules_is_refused_naming_the_field() -> None:
    class Foreign(AvroBaseModel):
        note: str | None

    with pytest.raises(SchemaRuleError, match=r"field 'foreign' of .*Holder: nested record"):

        class Holder(OctobusModel):
            foreign: Foreign


def test_re_casing_field_names_is_refused() -> None:
    with pytest.raises(SchemaRuleError, match="field names are the wire contract"):
        CATALOG.models()[0].avro_schema_to_python(case_type="camelcase")


def record(*fields: dict[str, Any], name: str = "Paid") -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "shop.events", "fields": list(fields)}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            record({"name": "at", "type": "long", "default": "soon"}),
            r"field 'at' of record shop\.events\.Paid: default 'soon' does not match its type "
            r"long$",
        ),
        (
            record({"name": "note", "type": ["null", "string"], "default": "n/a"}),
            r"field 'note' of record shop\.events\.Paid: default 'n/a' does not match the "
            r"union's first branch null",
        ),
        (
            record(
                {"name": "a", "type": record({"name": "x", "type": "int"}, name="Inner")},
                {"name": "b", "type": record({"name": "x", "type": "int"}, name="Inner")},
            ),
            r"named type shop\.events\.Inner is defined twice",
        ),
        (
            record({"name": "a", "type": "shop.events.Missing"}),
            r"fastavro refuses the schema: .*Missing",
        ),
    ],
    ids=["default-type", "union-default", "defined-twice", "unknown-reference"],
)
def test_check_schema_refuses_a_bad_schema_naming_what_is_wrong(
    schema: dict[str, Any], message: str
) -> None:
    with pytest.raises(SchemaRuleError, match=message):
        check_schema(schema)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_check_schema_accepts_every_shipped_schema(model: type[OctobusModel]) -> None:
    check_schema(model.avro_schema_to_python())
