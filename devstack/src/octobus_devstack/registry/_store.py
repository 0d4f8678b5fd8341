"""SQLite storage of the registry: schemas, subject versions, compatibility and mode settings.

One connection per store, used under a lock; every change runs in a ``BEGIN IMMEDIATE``
transaction, so the id and version a registration reads and the row it writes cannot
interleave with another registration, in this process or (for a file) in another one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike

from octobus_devstack.registry._errors import StoreError

__all__ = ["GLOBAL_SCOPE", "SchemaRow", "Store", "VersionRow"]

#: The settings scope of the global compatibility level and mode.
GLOBAL_SCOPE = ""

_TABLES = """
CREATE TABLE IF NOT EXISTS schemas (
    id INTEGER PRIMARY KEY,
    schema_type TEXT NOT NULL,
    canonical TEXT NOT NULL,
    refs TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS schemas_by_text ON schemas (canonical);
CREATE TABLE IF NOT EXISTS versions (
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    schema_id INTEGER NOT NULL REFERENCES schemas (id),
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject, version)
);
CREATE INDEX IF NOT EXISTS versions_by_schema ON versions (schema_id);
CREATE TABLE IF NOT EXISTS settings (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (scope, name)
);
"""


@dataclass(frozen=True)
class SchemaRow:
    """A stored schema.

    Parameters
    ----------
    id
        Its global id.
    schema_type
        ``AVRO``.
    canonical
        Its canonical text.
    refs
        Its references as canonical JSON (``[]`` when none).
    """

    id: int
    schema_type: str
    canonical: str
    refs: str


@dataclass(frozen=True)
class VersionRow:
    """A version of a subject.

    Parameters
    ----------
    subject
        The subject.
    version
        The version number.
    schema_id
        The id of its schema.
    deleted
        Whether it is soft-deleted.
    """

    subject: str
    version: int
    schema_id: int
    deleted: bool


class Store:
    """The registry's tables in one SQLite database.

    Parameters
    ----------
    database
        A file path, or ``":memory:"`` for a database that lives as long as the store.
    """

    def __init__(self, database: str | PathLike[str] = ":memory:") -> None:
        self.database = str(database)
        self._lock = threading.RLock()
        # autocommit mode: transactions are explicit, BEGIN IMMEDIATE for every write
        self._connection = sqlite3.connect(
            self.database, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        try:
            if self.database != ":memory:":
                self._connection.execute("PRAGMA journal_mode=WAL")
                self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.executescript(_TABLES)
        except sqlite3.Error:
            # a corrupt or unreadable file: do not leak the half-open connection
            self._connection.close()
            raise

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Transaction]:
        """Run a block of reads (and writes) as one transaction.

        Parameters
        ----------
        write
            Take SQLite's write lock at the start (``BEGIN IMMEDIATE``).

        Yields
        ------
        Transaction
            Queries bound to this transaction.

        Raises
        ------
        StoreError
            SQLite failed; the transaction is rolled back.
        """
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as error:
                msg = f"Error in the backend datastore {self.database}: {error}"
                raise StoreError(msg) from error
            try:
                yield Transaction(connection)
            except sqlite3.Error as error:
                connection.execute("ROLLBACK")
                msg = f"Error in the backend datastore {self.database}: {error}"
                raise StoreError(msg) from error
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


class Transaction:
    """The queries of the registry, run inside one transaction.

    Parameters
    ----------
    connection
        The connection, inside ``BEGIN``.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    # schemas

    def schema(self, schema_id: int) -> SchemaRow | None:
        """Return the schema with this id while any version (even soft-deleted) uses it."""
        row = self._connection.execute(
            "SELECT id, schema_type, canonical, refs FROM schemas WHERE id = ? AND EXISTS "
            "(SELECT 1 FROM versions WHERE schema_id = schemas.id)",
            (schema_id,),
        ).fetchone()
        return None if row is None else SchemaRow(*row)

    def schema_id_for(self, schema_type: str, canonical: str, refs: str) -> int | None:
        """Return the id of this schema while any version (even soft-deleted) uses it."""
        row = self._connection.execute(
            "SELECT id FROM schemas WHERE canonical = ? AND schema_type = ? AND refs = ? "
            "AND EXISTS (SELECT 1 FROM versions WHERE schema_id = schemas.id) "
            "ORDER BY id DESC LIMIT 1",
            (canonical, schema_type, refs),
        ).fetchone()
        return None if row is None else int(row[0])

    def add_schema(self, schema_type: str, canonical: str, refs: str, schema_id: int | None) -> int:
        """Store a schema under the next id (highest ever + 1), or under ``schema_id``."""
        if schema_id is None:
            (schema_id,) = self._connection.execute(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM schemas"
            ).fetchone()
        self._connection.execute(
            "INSERT OR REPLACE INTO schemas (id, schema_type, canonical, refs) VALUES (?, ?, ?, ?)",
            (schema_id, schema_type, canonical, refs),
        )
        assert schema_id is not None
        return int(schema_id)

    def schema_ids_referencing(self, refs_fragment: str) -> list[int]:
        """Return the ids of live-used schemas whose references contain ``refs_fragment``."""
        rows = self._connection.execute(
            "SELECT DISTINCT s.id FROM schemas s JOIN versions v ON v.schema_id = s.id "
            "WHERE v.deleted = 0 AND instr(s.refs, ?) > 0 ORDER BY s.id",
            (refs_fragment,),
        ).fetchall()
        return [int(row[0]) for row in rows]

    # versions

    def versions(self, subject: str, *, include_deleted: bool) -> list[VersionRow]:
        """Return the versions of a subject, oldest first."""
        query = "SELECT subject, version, schema_id, deleted FROM versions WHERE subject = ?"
        if not include_deleted:
            query += " AND deleted = 0"
        rows = self._connection.execute(query + " ORDER BY version", (subject,)).fetchall()
        return [VersionRow(row[0], row[1], row[2], bool(row[3])) for row in rows]

    def all_versions(self, *, include_deleted: bool) -> list[VersionRow]:
        """Return the versions of every subject, by subject, then version."""
        query = "SELECT subject, version, schema_id, deleted FROM versions"
        if not include_deleted:
            query += " WHERE deleted = 0"
        rows = self._connection.execute(query + " ORDER BY subject, version").fetchall()
        return [VersionRow(row[0], row[1], row[2], bool(row[3])) for row in rows]

    def version_holding(
        self, subject: str, canonical: str, refs: str, *, include_deleted: bool
    ) -> VersionRow | None:
        """Return the subject's version holding this schema (live first, then oldest)."""
        query = (
            "SELECT v.subject, v.version, v.schema_id, v.deleted FROM versions v "
            "JOIN schemas s ON s.id = v.schema_id "
            "WHERE v.subject = ? AND s.canonical = ? AND s.refs = ?"
        )
        if not include_deleted:
            query += " AND v.deleted = 0"
        row = self._connection.execute(
            query + " ORDER BY v.deleted, v.version LIMIT 1", (subject, canonical, refs)
        ).fetchone()
        return None if row is None else VersionRow(row[0], row[1], row[2], bool(row[3]))

    def versions_of_schema(self, schema_id: int, *, include_deleted: bool) -> list[VersionRow]:
        """Return every subject version that uses a schema."""
        query = "SELECT subject, version, schema_id, deleted FROM versions WHERE schema_id = ?"
        if not include_deleted:
            query += " AND deleted = 0"
        rows = self._connection.execute(
            query + " ORDER BY subject, version", (schema_id,)
        ).fetchall()
        return [VersionRow(row[0], row[1], row[2], bool(row[3])) for row in rows]

    def subjects(self, *, include_deleted: bool) -> list[str]:
        """Return the subjects with a live version (or any version), sorted."""
        query = "SELECT DISTINCT subject FROM versions"
        if not include_deleted:
            query += " WHERE deleted = 0"
        return [row[0] for row in self._connection.execute(query + " ORDER BY subject")]

    def next_version(self, subject: str) -> int:
        """Return the highest version ever kept in the subject (soft-deleted too) + 1."""
        (version,) = self._connection.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE subject = ?", (subject,)
        ).fetchone()
        return int(version)

    def add_version(self, subject: str, version: int, schema_id: int) -> None:
        """Add a live version to a subject."""
        self._connection.execute(
            "INSERT INTO versions (subject, version, schema_id) VALUES (?, ?, ?)",
            (subject, version, schema_id),
        )

    def soft_delete(self, subject: str, version: int | None = None) -> None:
        """Mark one version, or every version, of a subject deleted."""
        if version is None:
            self._connection.execute(
                "UPDATE versions SET deleted = 1 WHERE subject = ?", (subject,)
            )
        else:
            self._connection.execute(
                "UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?",
                (subject, version),
            )

    def hard_delete(self, subject: str, version: int | None = None) -> None:
        """Remove one version, or every version, of a subject."""
        if version is None:
            self._connection.execute("DELETE FROM versions WHERE subject = ?", (subject,))
        else:
            self._connection.execute(
                "DELETE FROM versions WHERE subject = ? AND version = ?", (subject, version)
            )

    def clear(self) -> None:
        """Remove every version and setting; schema rows stay, so ids are never reused."""
        self._connection.execute("DELETE FROM versions")
        self._connection.execute("DELETE FROM settings")

    # settings

    def setting(self, scope: str, name: str) -> str | None:
        """Return a setting (``compatibility`` or ``mode``) of a subject or the global scope."""
        row = self._connection.execute(
            "SELECT value FROM settings WHERE scope = ? AND name = ?", (scope, name)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, scope: str, name: str, value: str) -> None:
        """Set a setting of a subject or the global scope."""
        self._connection.execute(
            "INSERT OR REPLACE INTO settings (scope, name, value) VALUES (?, ?, ?)",
            (scope, name, value),
        )

    def delete_setting(self, scope: str, name: str) -> None:
        """Remove a setting."""
        self._connection.execute("DELETE FROM settings WHERE scope = ? AND name = ?", (scope, name))
