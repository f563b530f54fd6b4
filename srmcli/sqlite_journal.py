"""The write path of `srm log`, `srm interaction edit` and `srm undo` of such an edit
over the stdlib sqlite3 driver.

`srm log` runs dozens of times a day; importing SQLAlchemy, SQLModel and pydantic costs
more than everything else it does. For a SQLite journal whose schema is current, this
store gives `services.logbook.log_interaction` and `services.corrections` the same few
operations the ORM store does, with the same pragmas and the same `BEGIN IMMEDIATE`
lock, and stores values in the exact form SQLAlchemy writes them (tests compare the
rows byte for byte). When the schema is behind, `writer()` yields None and the caller
takes the ORM path, which migrates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from srmcli import dates, db
from srmcli.drafts import recorded_by, same_record_query
from srmcli.naming import Named, key, resolve_contact, resolve_supplier
from srmcli.services.corrections import INTERACTION_FIELDS, jsonable
from srmcli.services.records import interaction_record

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

    def find_same(
        self, table: str, values: dict[str, Any], besides: int | None = None
    ) -> int | None:
        sql, params = same_record_query(table, values, besides)
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

    # -- `services.corrections.CorrectionStore`: one interaction and its history --------

    def interaction(self, number: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            f"SELECT {', '.join(INTERACTION_FIELDS)} FROM interaction WHERE id = ?", (number,)
        ).fetchone()
        if row is None:
            return None
        found = dict(zip(INTERACTION_FIELDS, row, strict=True))
        found["occurred_at"] = datetime.fromisoformat(found["occurred_at"])
        found["tags"] = json.loads(found["tags"])
        found["contact_ids"] = json.loads(found["contact_ids"])
        found["tactics"] = sorted(
            t
            for (t,) in self.conn.execute(
                "SELECT tactic FROM interaction_tactic WHERE interaction_id = ?", (number,)
            )
        )
        return found

    def supplier_of(self, supplier_id: int) -> Named:
        row = self.conn.execute(
            "SELECT id, name FROM supplier WHERE id = ?", (supplier_id,)
        ).fetchone()
        return Named(id=row[0], name=row[1])

    def first_done_followup(self, interaction_id: int) -> tuple[int, datetime] | None:
        row = self.conn.execute(
            "SELECT id, done_at FROM followup WHERE interaction_id = ? AND done_at IS NOT NULL "
            "ORDER BY done_at LIMIT 1",
            (interaction_id,),
        ).fetchone()
        return (row[0], datetime.fromisoformat(row[1])) if row is not None else None

    def missing_contacts(self, ids: Sequence[int]) -> list[int]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        there = {
            r[0] for r in self.conn.execute(f"SELECT id FROM contact WHERE id IN ({marks})", wanted)
        }
        return [i for i in wanted if i not in there]

    def update_interaction(
        self,
        number: int,
        changed: Mapping[str, Any],
        links: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None,
    ) -> None:
        if changed:
            names = [c for c in changed if c in INTERACTION_FIELDS and c != "id"]
            self.conn.execute(
                f"UPDATE interaction SET {', '.join(f'{c} = ?' for c in names)} WHERE id = ?",
                [*(_stored(changed[c]) for c in names), number],
            )
        if links is not None:
            for table in ("interaction_contact", "interaction_tactic"):
                self.conn.execute(f"DELETE FROM {table} WHERE interaction_id = ?", (number,))
            self.link(*links)

    def shown(self, number: int) -> dict[str, Any]:
        found = self.interaction(number)
        assert found is not None  # written in this transaction
        supplier = self.supplier_of(found["supplier_id"])
        people = [
            n
            for (n,) in self.conn.execute(
                "SELECT contact.name FROM interaction_contact JOIN contact "
                "ON contact.id = interaction_contact.contact_id "
                "WHERE interaction_contact.interaction_id = ? ORDER BY contact.name_key",
                (number,),
            )
        ]
        record = interaction_record(
            SimpleNamespace(**found),  # type: ignore[arg-type]
            supplier.name,
            people,
            found["tactics"],
        )
        for field, table in (("issues", "issue"), ("followups", "followup")):
            record[field] = [
                i
                for (i,) in self.conn.execute(
                    f"SELECT id FROM {table} WHERE interaction_id = ? ORDER BY id", (number,)
                )
            ]
        return record

    def change(self, number: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, at, author, record_type, record_id, supplier_name, action, before, "
            "after, undoes, imported_at FROM history WHERE id = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        return {
            "change": row[0],
            "at": datetime.fromisoformat(row[1]),
            "author": row[2],
            "record": row[3],
            "record_id": row[4],
            "supplier": row[5],
            "action": row[6],
            "before": json.loads(row[7]) if row[7] is not None else None,
            "after": json.loads(row[8]) if row[8] is not None else None,
            "undoes": row[9],
            "imported": row[10] is not None,
        }

    def later_change(self, record_type: str, record_id: int, number: int) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM history WHERE record_type = ? AND record_id = ? AND id > ? "
            "AND imported_at IS NULL ORDER BY id DESC LIMIT 1",
            (record_type, record_id, number),
        ).fetchone()
        return row[0] if row is not None else None

    def removal(self, record_type: str, record_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM history WHERE record_type = ? AND record_id = ? AND after IS NULL "
            "AND imported_at IS NULL ORDER BY id DESC LIMIT 1",
            (record_type, record_id),
        ).fetchone()
        return row[0] if row is not None else None

    def record_change(
        self,
        record_type: str,
        record_id: int,
        action: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        *,
        supplier: Named | None,
        undoes: int | None = None,
    ) -> dict[str, Any]:
        record = {
            "at": dates.now(),
            "author": recorded_by(None),
            "record": record_type,
            "record_id": record_id,
            "supplier": supplier.name if supplier is not None else None,
            "action": action,
            "before": jsonable(before) if before is not None else None,
            "after": jsonable(after) if after is not None else None,
            "undoes": undoes,
        }
        cursor = self.conn.execute(
            "INSERT INTO history (at, author, record_type, record_id, supplier_id, "
            "supplier_name, action, undoes, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _stored(record["at"]),
                record["author"],
                record_type,
                record_id,
                supplier.id if supplier is not None else None,
                record["supplier"],
                action,
                undoes,
                *(
                    db.json_text(record[k]) if record[k] is not None else None
                    for k in ("before", "after")
                ),  # fmt: skip
            ),
        )
        return {"change": int(cursor.lastrowid or 0), **record}


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
