"""The rendered schemas in ``schemas-client/schemas/`` are current, so every change is a diff.

Each event model's schema is kept as ``<record full name>.avsc``; a model change that is not
followed by regenerating the snapshots fails here, with the command that regenerates them.
"""

import json
from pathlib import Path

from octobus_schemas.avro import avro_schema
from octobus_schemas.catalog import CATALOG, export_schemas, stale_schema_files

SNAPSHOTS = Path(__file__).parent.parent / "schemas"
REGENERATE = (
    "regenerate them with `uv run octobus-schemas export schemas-client/schemas` "
    '(or `uv run python -c "from octobus_schemas.catalog import export_schemas; '
    "export_schemas('schemas-client/schemas')\"`) and review the diff"
)


def test_the_snapshots_are_current() -> None:
    problems = stale_schema_files(SNAPSHOTS)
    assert not problems, (
        "schema snapshots are out of date:\n" + "\n".join(problems) + ("\n" + REGENERATE)
    )


def test_there_is_one_snapshot_per_shipped_event() -> None:
    assert sorted(path.stem for path in SNAPSHOTS.glob("*.avsc")) == sorted(CATALOG)


def test_export_writes_one_file_per_model_in_snapshot_form(tmp_path: Path) -> None:
    written = export_schemas(tmp_path / "new")
    assert [path.name for path in written] == [f"{name}.avsc" for name in CATALOG]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text == (SNAPSHOTS / path.name).read_text(encoding="utf-8")
        assert text.startswith('{\n  "type": "record",\n')
        assert text.endswith("}\n")


def test_a_stale_missing_or_orphaned_snapshot_is_named(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    (tmp_path / "io.octobus.github.v1.PushEvent.avsc").write_text("{}\n", encoding="utf-8")
    (tmp_path / "io.octobus.github.v1.ReleaseEvent.avsc").unlink()
    (tmp_path / "io.octobus.github.v1.GoneEvent.avsc").write_text("{}\n", encoding="utf-8")
    assert stale_schema_files(tmp_path) == [
        f"{tmp_path}/io.octobus.github.v1.PushEvent.avsc: stale (the model PushEvent has changed)",
        f"{tmp_path}/io.octobus.github.v1.ReleaseEvent.avsc: missing",
        f"{tmp_path}/io.octobus.github.v1.GoneEvent.avsc: no record "
        "io.octobus.github.v1.GoneEvent in the catalog",
    ]
    export_schemas(tmp_path)
    assert stale_schema_files(tmp_path) == [
        f"{tmp_path}/io.octobus.github.v1.GoneEvent.avsc: no record "
        "io.octobus.github.v1.GoneEvent in the catalog",
    ]


def test_the_codec_registers_exactly_the_snapshot_schema() -> None:
    # The snapshot is what review sees; this is what the registry gets. They are one schema.
    for full_name, model in CATALOG.items():
        snapshot = json.loads((SNAPSHOTS / f"{full_name}.avsc").read_text(encoding="utf-8"))
        assert avro_schema(model) == snapshot, full_name
