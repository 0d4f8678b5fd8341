"""Every record Octobus ships, by record full name, and the schema snapshots made from them.

A decoder reads the writer's record full name from the schema a message was written with
and looks it up here to return exactly that class. Only top-level message records are in
the catalog (the events); the shared records inside them (``Repository``, ...) are never
messages of their own and never registry subjects.

Examples
--------
>>> CATALOG["io.octobus.github.v1.PushEvent"].__name__
'PushEvent'
"""

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from octobus_schemas.events import OctobusModel
from octobus_schemas.events._base import render_schema_text
from octobus_schemas.topics import all_topics

__all__ = ["CATALOG", "Catalog", "export_schemas", "render_schema_text", "stale_schema_files"]


class Catalog(Mapping[str, type[OctobusModel]]):
    """An immutable mapping of record full name to model class.

    Parameters
    ----------
    models
        The record classes, in the order :meth:`__iter__` yields them.

    Raises
    ------
    ValueError
        If two models have the same record full name.
    """

    def __init__(self, models: Iterable[type[OctobusModel]]) -> None:
        self._models: dict[str, type[OctobusModel]] = {}
        for model in models:
            name = model.get_fullname()
            if name in self._models:
                raise ValueError(
                    f"record {name} is named by both {self._models[name].__qualname__} and "
                    f"{model.__qualname__}"
                )
            self._models[name] = model

    def __getitem__(self, full_name: str) -> type[OctobusModel]:
        return self._models[full_name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)

    def __repr__(self) -> str:
        return f"Catalog({list(self._models)!r})"

    def models(self) -> list[type[OctobusModel]]:
        """Return the model classes, in catalog order.

        Returns
        -------
        list of type
            Every record class in the catalog.
        """
        return list(self._models.values())


#: Every event record the package ships: the model of every topic, in topic order.
CATALOG = Catalog(spec.model for spec in all_topics())


def export_schemas(directory: str | Path, catalog: Catalog = CATALOG) -> list[Path]:
    """Write every schema in ``catalog`` to ``directory`` as ``<record full name>.avsc``.

    The text is :func:`render_schema_text`'s: 2-space JSON with a final newline, the same
    bytes on every machine, so a schema change shows up in review as a diff. Files for
    records no longer in the catalog are left alone.

    Parameters
    ----------
    directory
        Created if missing.
    catalog
        The records to export.

    Returns
    -------
    list of Path
        The files written, in catalog order.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for full_name, model in catalog.items():
        path = target / f"{full_name}.avsc"
        path.write_text(render_schema_text(model), encoding="utf-8")
        written.append(path)
    return written


def stale_schema_files(directory: str | Path, catalog: Catalog = CATALOG) -> list[str]:
    """Compare ``directory`` with what :func:`export_schemas` would write there.

    Parameters
    ----------
    directory
        A directory of ``<record full name>.avsc`` snapshots.
    catalog
        The records the snapshots should show.

    Returns
    -------
    list of str
        One line per problem, naming the file: missing, stale (its text differs from the
        current model's schema) or orphaned (no such record in the catalog). Empty when the
        snapshots are current.
    """
    target = Path(directory)
    problems = []
    for full_name, model in catalog.items():
        path = target / f"{full_name}.avsc"
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != render_schema_text(model):
            problems.append(f"{path}: stale (the model {model.__qualname__} has changed)")
    expected = {f"{full_name}.avsc" for full_name in catalog}
    problems.extend(
        f"{path}: no record {path.stem} in the catalog"
        for path in sorted(target.glob("*.avsc"))
        if path.name not in expected
    )
    return problems
