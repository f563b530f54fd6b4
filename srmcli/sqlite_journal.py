"""The write path of `srm log` over the stdlib sqlite3 driver.

`srm log` runs dozens of times a day; importing SQLAlchemy, SQLModel and pydantic costs
more than everything else it does. For a SQLite journal whose schema is current, this
store gives `services.logbook.log_interaction` the same few operations the ORM store
does, with the same pragmas and the same `BEGIN IMMEDIATE` lock, and stores values in
the exact form SQLAlchemy writes them (a test compares the rows byte for byte). When the
schema is behind, `writer()` yields None and the caller takes the ORM path, which
migrates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from srmcli import db
from srmcli.drafts import same_record_query
from srmcli.naming import Named, key, resolve_contact, resolve_supplier

TABLES = ("interaction", "issue", "followup")


_PLAIN = (str, int, float)
_IN_LISTS = (str, int, float, bool, type(None))


def _stored(value: Any) -> Any:
    """A Python value in the form SQLAlchemy's SQLite types store it.

    Only the types the ORM columns know are accepted; anything else is refused rather than
    handed to sqlite3, which would store some (an enum, a Decimal, an aware datetime)
    differently from the ORM path, or adapt them through a registered adapter.
    """
    kind = type(value)
    if value is None or kind in _PLAIN:
        return value
    if kind is bool:
        return int(value)
    if kind is datetime:
        if value.tzinfo is not None:
            raise TypeError("the journal stores local times without a zone, not aware datetimes")
        return value.isoformat(sep=" ", timespec="microseconds")  # 4-digit years, like SQLAlchemy
    if kind is date:
        return value.isoformat()
    if kind in (list, tuple):
        for item in value:
            if type(item) not in _IN_LISTS:
                raise TypeError(
                    f"a stored list holds text, numbers or null only, not {type(item).__name__}"
                )
        return db.json_text(list(value))
    raise TypeError(f"the journal stores no value of type {kind.__name__}")


class SqliteStore:
    """`LogStore` over one sqlite3 connection inside a BEGIN IMMEDIATE transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def find_supplier(self, name: str) -> Named:
        row = self.conn.execute(
            "SELECT id, name FROM supplier WHERE name_key = ?", (key(name or ""),)
        ).fetchone()
        if row is not None:
            return Named(id=row[0], name=row[1])
        pool = [
            Named(id=i, name=n, aliases=tuple(json.loads(a or "[]")))
            for i, n, a in self.conn.execute("SELECT id, name, aliases FROM supplier")
        ]
        return resolve_supplier(name, pool)

    def find_contact(self, supplier: Any, name: str) -> Named:
        people = [
            Named(id=i, name=n, label=r)
            for i, n, r in self.conn.execute(
                "SELECT id, name, role FROM contact WHERE supplier_id = ?", (supplier.id,)
            )
        ]
        return resolve_contact(name, supplier.name, people)

    def find_issue(self, number: int) -> SimpleNamespace | None:
        row = self.conn.execute(
            "SELECT id, supplier_id, status, resolved_at FROM issue WHERE id = ?", (number,)
        ).fetchone()
        if row is None:
            return None
        resolved = datetime.fromisoformat(row[3]) if row[3] is not None else None
        return SimpleNamespace(id=row[0], supplier_id=row[1], status=row[2], resolved_at=resolved)

    def find_same(self, table: str, values: dict[str, Any]) -> int | None:
        sql, params = same_record_query(table, values)
        row = self.conn.execute(sql, {c: _stored(v) for c, v in params.items()}).fetchone()
        return int(row[0]) if row is not None else None

    def add(self, table: str, values: dict[str, Any]) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table}")
        columns = list(values)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [_stored(values[c]) for c in columns],
        )
        return int(cursor.lastrowid or 0)

    def link(
        self,
        people: Sequence[dict[str, Any]],
        tactics: Sequence[dict[str, Any]],
        issues: Sequence[dict[str, Any]] = (),
    ) -> None:
        for table, rows in (
            ("interaction_contact", people),
            ("interaction_tactic", tactics),
            ("issue_interaction", issues),
        ):
            if rows:
                columns = list(rows[0])
                self.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})",
                    [[_stored(row[c]) for c in columns] for row in rows],
                )


@contextmanager
def _connected(*, write: bool) -> Iterator[sqlite3.Connection | None]:
    """The journal file opened the way both stores need it (a write one inside its
    `BEGIN IMMEDIATE`, waiting for another writer as configured); None when there is no
    SQLite file or its schema is not the current one (the ORM path then upgrades it)."""
    from srmcli.migrations import HEAD

    path = db.sqlite_path()
    if path is None:
        yield None
        return
    db.prepare_sqlite_file(path)
    with db.translate_errors():
        conn = sqlite3.connect(str(path), timeout=db.busy_timeout_ms() / 1000)
    try:
        with db.translate_errors():
            db.configure_sqlite(conn, write=write)
            if write:
                with db.waiting_for_writers():
                    conn.execute("BEGIN IMMEDIATE")
            try:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:
                revision = None
        if revision is None or revision[0] != HEAD:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            yield None
            return
        yield conn
    finally:
        conn.close()


@contextmanager
def reader() -> Iterator[SqliteStore | None]:
    """A store for looking names up, with no write lock (a reader never waits for a
    writer); None when the journal's schema is not the current one."""
    with _connected(write=False) as conn:
        if conn is None:
            yield None
            return
        with db.translate_errors():
            yield SqliteStore(conn)


@contextmanager
def writer() -> Iterator[SqliteStore | None]:
    """A store in one write transaction: committed at the end, rolled back on error.

    Yields None when the journal's schema is not the current one (the ORM path then
    upgrades it).
    """
    with _connected(write=True) as conn:
        if conn is None:
            yield None
            return
        try:
            with db.translate_errors():
                yield SqliteStore(conn)
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
