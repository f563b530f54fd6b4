"""`srm export` and `srm import`: the five record types as CSV, JSON or JSON lines.

Both sides use the columns of SPEC §7 (services/records.py), so an export imports back
to the same records. Export streams with SQLAlchemy Core (`yield_per`), contacts and
tactics aggregated in the same query, so memory stays flat however big the journal is.

Import is one transaction: every row is validated by the same builder the interactive
command uses (`build_supplier`, `build_contact`, `drafts.interaction_values`, `build_issue`,
`build_followup`), then inserted with Core in batches. The first bad row raises
`line N: column: problem` and, the transaction rolling back, nothing is written. A row
whose natural key (SPEC §4) is already in the journal, or earlier in the same file, is
skipped and counted, so re-running an import adds nothing twice.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
import os
import re
from collections.abc import (
    Callable,
    Generator,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import repeat
from typing import IO, TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import NullType
from sqlmodel import Session, SQLModel
from sqlmodel import select as orm_select

from srmcli import render, values
from srmcli.drafts import (
    NATURAL_KEYS,
    interaction_values,
    link_values,
    natural_key,
    recorded_by,
)
from srmcli.errors import (
    ConflictError,
    InvalidValueError,
    NotFoundError,
    SrmError,
    did_you_mean,
)
from srmcli.fields import parse_tactics
from srmcli.models import (
    Contact,
    FollowUp,
    Issue,
    Supplier,
)
from srmcli.naming import key
from srmcli.services.authors import by_author, find_author
from srmcli.services.contacts import build_contact
from srmcli.services.followups import build_followup
from srmcli.services.issues import build_issue
from srmcli.services.records import (
    CANDIDATE_COLUMNS,
    CONTACT_COLUMNS,
    FOLLOWUP_COLUMNS,
    HISTORY_COLUMNS,
    INTERACTION_COLUMNS,
    ISSUE_COLUMNS,
    PROJECT_COLUMNS,
    STATUS_LINE_COLUMNS,
    SUPPLIER_COLUMNS,
)
from srmcli.services.suppliers import build_supplier, find_supplier

if TYPE_CHECKING:
    from srmcli.readers import Source

RECORD_KINDS = ("suppliers", "contacts", "interactions", "issues", "followups")
MORE_KINDS = ("projects", "candidates", "status-lines", "history")
"""The kinds of SPEC §9 (`services/transfer.py`): rows of plain values, unfiltered."""
KINDS = (*RECORD_KINDS, *MORE_KINDS)
"""Every kind, in dependency order: what `import all` reads first comes first."""
FORMATS = ("csv", "json", "jsonl", "xlsx")
IMPORT_FORMATS = ("csv", "json", "jsonl", "xlsx", "ods")
COLUMNS: dict[str, tuple[str, ...]] = {
    "suppliers": SUPPLIER_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
    "issues": ISSUE_COLUMNS,
    "followups": FOLLOWUP_COLUMNS,
    "projects": PROJECT_COLUMNS,
    "candidates": CANDIDATE_COLUMNS,
    "status-lines": STATUS_LINE_COLUMNS,
    "history": HISTORY_COLUMNS,
}
# the columns a CSV header must have; any other column may be left out (blank)
REQUIRED: dict[str, tuple[str, ...]] = {
    "suppliers": ("name",),
    "contacts": ("supplier", "name", "role"),
    "interactions": ("supplier", "occurred_at", "note"),
    "issues": ("supplier", "kind", "opened_at"),
    "followups": ("supplier", "text", "due"),
    "projects": ("name",),
    "candidates": ("project", "supplier", "stage"),
    "status-lines": (
        "supplier",
        "report_date",
        "po",
        "line",
        "qty_ordered",
        "qty_received",
        "promised_date",
    ),  # fmt: skip
    "history": ("at", "record", "record_id", "action"),
}
_SINGULAR = {
    "supplier": "suppliers",
    "contact": "contacts",
    "interaction": "interactions",
    "issue": "issues",
    "followup": "followups",
    "follow-up": "followups",
    "follow-ups": "followups",
    "project": "projects",
    "candidate": "candidates",
    "status-line": "status-lines",
    "changes": "history",
}
BATCH = 1000
EXPORT_PARTITION = 250  # rows fetched and written at a time (500: same speed, 0.7 MiB more)
EXPORT_PAGE_CACHE_KIB = -256  # negative: KiB, as PRAGMA cache_size reads it
LIST_SEPARATOR = ";"
# Names are whitespace-folded when saved, and str.split() counts \x1f as whitespace, so
# the unit separator never occurs inside a contact name: safe to aggregate with.
_AGGREGATE_SEPARATOR = "\x1f"

SUPPLIER_TABLE = SQLModel.metadata.tables["supplier"]
CONTACT_TABLE = SQLModel.metadata.tables["contact"]
INTERACTION_TABLE = SQLModel.metadata.tables["interaction"]
PEOPLE_TABLE = SQLModel.metadata.tables["interaction_contact"]
TACTIC_TABLE = SQLModel.metadata.tables["interaction_tactic"]
ISSUE_TABLE = SQLModel.metadata.tables["issue"]
FOLLOWUP_TABLE = SQLModel.metadata.tables["followup"]


def parse_kind(value: str) -> str:
    """One of the five record types; the singular is accepted too."""
    cleaned = (value or "").strip().lower().replace("_", "-")
    cleaned = _SINGULAR.get(cleaned, cleaned)
    if cleaned not in KINDS:
        raise InvalidValueError(f"unknown record type {value!r}; accepted: {', '.join(KINDS)}")
    return cleaned


def parse_format(value: str) -> str:
    cleaned = (value or "").strip().lower()
    if cleaned not in FORMATS:
        raise InvalidValueError(f"unknown format {value!r}; accepted: {', '.join(FORMATS)}")
    return cleaned


def parse_import_format(value: str) -> str:
    """A format an import reads: the export formats, and workbooks (xlsx/xlsm, ods)."""
    cleaned = (value or "").strip().lower()
    cleaned = {"xlsm": "xlsx", "ndjson": "jsonl"}.get(cleaned, cleaned)
    if cleaned not in IMPORT_FORMATS:
        raise InvalidValueError(f"unknown format {value!r}; accepted: {', '.join(IMPORT_FORMATS)}")
    return cleaned


def columns_for(kind: str) -> tuple[str, ...]:
    return COLUMNS[parse_kind(kind)]


# -- export ---------------------------------------------------------------------------


def _day_range(
    date_from: date | None, date_to: date | None
) -> tuple[datetime | None, datetime | None]:
    """[from 00:00, the day after `to` 00:00): inclusive calendar days, exact at any time."""
    if date_from and date_to and date_from > date_to:
        raise InvalidValueError(
            f"--from {date_from} is after --to {date_to}; give a --from on or before --to"
        )
    start = datetime.combine(date_from, time()) if date_from else None
    end = (
        datetime.combine(date_to + timedelta(days=1), time())
        if date_to and date_to < date.max
        else None
    )
    return start, end


@dataclass(frozen=True)
class _Export:
    """One record type's export: its query, with the SPEC §7 columns in order and in a
    stable order that does not depend on ids (so an export re-imported elsewhere exports
    the same), the column --from/--to filter on, the one --supplier filters on, and the
    columns the query leaves as ids or aggregated text for `_Resolver` to name."""

    query: Any
    dated: Any
    by_supplier: Any
    resolved: tuple[str, ...] = ()


def _supplier_export() -> _Export:
    s = SUPPLIER_TABLE
    stmt = select(*(s.c[c] for c in SUPPLIER_COLUMNS)).order_by(s.c.name_key, s.c.id)
    return _Export(stmt, s.c.created_at, s.c.id)


def _contact_export() -> _Export:
    s, c = SUPPLIER_TABLE, CONTACT_TABLE
    picked = [s.c.name.label("supplier") if n == "supplier" else c.c[n] for n in CONTACT_COLUMNS]
    stmt = (
        select(*picked)
        .join(s, s.c.id == c.c.supplier_id)
        .order_by(s.c.name_key, c.c.name_key, c.c.id)
    )
    return _Export(stmt, None, c.c.supplier_id)


def _interaction_export() -> _Export:
    i, tactics = INTERACTION_TABLE, TACTIC_TABLE
    # Who took part comes from the ids the interaction keeps, and its tactics are
    # aggregated in the same query (group_concat on SQLite, string_agg on PostgreSQL),
    # never a query per row. Suppliers and people stay ids, named from a lookup read
    # once: joined in, they made SQLite walk the interactions in supplier order through
    # the index, reading rows out of order, and every name lookup is work repeated a
    # million times over a ten-year journal.
    special = {
        "supplier": i.c.supplier_id,
        "contacts": i.c.contact_ids,
        "tactics": select(func.aggregate_strings(tactics.c.tactic, _AGGREGATE_SEPARATOR))
        .where(tactics.c.interaction_id == i.c.id)
        .scalar_subquery(),
    }
    picked = [special[n].label(n) if n in special else i.c[n] for n in INTERACTION_COLUMNS]
    stmt = select(*picked).select_from(i).order_by(i.c.occurred_at, i.c.id)
    return _Export(stmt, i.c.occurred_at, i.c.supplier_id, tuple(special))


def _linked_moment(table: Table) -> Any:
    """When the interaction a record came out of happened: the link a file carries."""
    t = INTERACTION_TABLE
    return (
        select(t.c.occurred_at).where(t.c.id == table.c.interaction_id).scalar_subquery()
    ).label("interaction_at")


def _issue_export() -> _Export:
    i = ISSUE_TABLE
    special = {"supplier": i.c.supplier_id, "escalated_to": i.c.escalated_to_id}
    picked = [
        _linked_moment(i)
        if n == "interaction_at"
        else special[n].label(n)
        if n in special
        else i.c[n]
        for n in ISSUE_COLUMNS
    ]
    stmt = select(*picked).select_from(i).order_by(i.c.opened_at, i.c.id)
    return _Export(stmt, i.c.opened_at, i.c.supplier_id, tuple(special))


def _followup_export() -> _Export:
    f = FOLLOWUP_TABLE
    picked = [
        _linked_moment(f)
        if n == "interaction_at"
        else f.c.supplier_id.label(n)
        if n == "supplier"
        else f.c[n]
        for n in FOLLOWUP_COLUMNS
    ]
    stmt = select(*picked).select_from(f).order_by(f.c.due, f.c.id)
    return _Export(stmt, f.c.due, f.c.supplier_id, ("supplier",))


class _Resolver:
    """Names for the ids an export query leaves in place: suppliers and contacts, each
    read once (their number follows the people in the journal, not its history)."""

    def __init__(self, session: Session, columns: Sequence[str]) -> None:
        conn = session.connection()
        self.suppliers: dict[int, str] = {}
        self.contacts: dict[int, str] = {}
        if "supplier" in columns:
            s = SUPPLIER_TABLE
            self.suppliers = {int(i): n for i, n in conn.execute(select(s.c.id, s.c.name))}
        if "contacts" in columns or "escalated_to" in columns:
            c = CONTACT_TABLE
            self.contacts = {int(i): n for i, n in conn.execute(select(c.c.id, c.c.name))}

    def functions(self, columns: Sequence[str]) -> dict[str, Callable[[Any], Any]]:
        """Per resolved column: its query value to the record's value."""
        known = {
            "supplier": self.supplier,
            "contacts": self.people,
            "tactics": self.tactics,
            "escalated_to": self.person,
        }
        return {n: known[n] for n in columns}

    def supplier(self, supplier_id: Any) -> str | None:
        return self.suppliers.get(int(supplier_id)) if supplier_id is not None else None

    def person(self, contact_id: Any) -> str | None:
        return self.contacts.get(int(contact_id)) if contact_id is not None else None

    def people(self, ids: Any) -> list[str]:
        """An interaction's contact ids (a list, or the JSON text of one as SQLite hands
        it over), as the names in the order the rest of srm uses."""
        if isinstance(ids, str):
            ids = json.loads(ids)
        found = (self.contacts.get(int(i)) for i in ids or ())
        return sorted((n for n in found if n is not None), key=key)

    @staticmethod
    def tactics(aggregated: str | None) -> list[str]:
        return sorted(aggregated.split(_AGGREGATE_SEPARATOR)) if aggregated else []


# the table whose `author` --author filters on (contacts: the contact, not its supplier)
_AUTHORED: dict[str, Table] = {
    "suppliers": SUPPLIER_TABLE,
    "contacts": CONTACT_TABLE,
    "interactions": INTERACTION_TABLE,
    "issues": ISSUE_TABLE,
    "followups": FOLLOWUP_TABLE,
}

_EXPORTS: dict[str, Callable[[], _Export]] = {
    "suppliers": _supplier_export,
    "contacts": _contact_export,
    "interactions": _interaction_export,
    "issues": _issue_export,
    "followups": _followup_export,
}


def _export_statement(
    session: Session,
    kind: str,
    date_from: date | None,
    date_to: date | None,
    supplier: str | None,
    author: str | None = None,
) -> tuple[Any, _Export]:
    """The query of one record type with the filters applied; arguments checked now.

    --from/--to filter on the record's own date: created_at (suppliers), occurred_at
    (interactions), opened_at (issues), due (follow-ups). Contacts have no date, so a date
    filter on them is refused rather than silently ignored.
    """
    spec = _EXPORTS[kind]()
    stmt, dated = spec.query, spec.dated
    if dated is None and (date_from or date_to):
        raise InvalidValueError(
            f"{kind} have no date, so --from/--to do not apply to them; export them all, "
            "or one supplier's with --supplier"
        )
    if kind == "followups":  # `due` is a calendar date: compare days, not datetimes
        if date_from and date_to and date_from > date_to:
            _day_range(date_from, date_to)
        if date_from:
            stmt = stmt.where(dated >= date_from)
        if date_to:
            stmt = stmt.where(dated <= date_to)
    else:
        start, end = _day_range(date_from, date_to)
        if start is not None:
            stmt = stmt.where(dated >= start)
        if end is not None:
            stmt = stmt.where(dated < end)
    if supplier:
        stmt = stmt.where(spec.by_supplier == find_supplier(session=session, name=supplier).id)
    if author is not None:
        # every record carries who wrote it; the exported columns stay those of SPEC §7
        written_by = _AUTHORED[kind].c.author
        stmt = stmt.where(by_author(find_author(session=session, name=author), written_by))
    return stmt, spec


def export_rows(
    *,
    session: Session,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
    author: str | None = None,
) -> Generator[dict[str, Any], None, None]:
    """The records of one type as SPEC §7 dicts, streamed as the database yields them.

    Arguments are checked now; the rows are read while the returned iterator is consumed
    (inside the session).
    """
    kind = parse_kind(kind)
    if kind in MORE_KINDS:
        from srmcli.services import transfer

        _unfiltered(kind, date_from, date_to, supplier, author)
        return transfer.ROWS[kind](session)
    stmt, spec = _export_statement(session, kind, date_from, date_to, supplier, author)
    return _records(session, stmt, spec)


def _unfiltered(
    kind: str,
    date_from: date | None,
    date_to: date | None,
    supplier: str | None,
    author: str | None,
) -> None:
    """Projects, candidates, status lines and history export whole: a part of them
    could not be imported on its own (a candidate needs its project)."""
    given = [
        name
        for name, value in (
            ("--from", date_from), ("--to", date_to), ("--supplier", supplier),
            ("--author", author),
        )
        if value is not None
    ]  # fmt: skip
    if given:
        raise InvalidValueError(
            f"{' and '.join(given)} {'does' if len(given) == 1 else 'do'} not apply to "
            f"{kind}; they are exported whole"
        )


def _records(session: Session, stmt: Any, spec: _Export) -> Generator[dict[str, Any], None, None]:
    resolve = _Resolver(session, spec.resolved).functions(spec.resolved)
    # yield_per turns on stream_results: a server-side cursor on PostgreSQL, fetchmany
    # batches on SQLite, so only one partition of rows is in memory at a time
    result = session.connection().execute(stmt.execution_options(yield_per=EXPORT_PARTITION))
    columns = list(result.keys())
    for row in result:
        record = dict(zip(columns, row, strict=True))
        for n, name_of in resolve.items():
            record[n] = name_of(record[n])
        for n in ("aliases", "tags"):
            if n in record:
                record[n] = list(record[n] or [])
        yield record


def export_cells(
    *,
    session: Session,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
    guard: bool = True,
    author: str | None = None,
) -> Generator[list[tuple[str, ...]], None, None]:
    """The records of one type as blocks of rows of CSV cells: the same text
    `render.cell` makes of each value of `export_rows`, without building the records.

    The cells of a journal with ten years of history are the hot loop of an export, so
    the driver's own values are converted a column of a block at a time, by one
    converter per column chosen once. Columns whose values repeat (suppliers, vocabulary
    words, name lists, small numbers) convert each distinct value once and then are a
    dictionary lookup.
    """
    kind = parse_kind(kind)
    stmt, spec = _export_statement(session, kind, date_from, date_to, supplier, author)
    resolve = _Resolver(session, spec.resolved).functions(spec.resolved)
    sqlite = session.connection().dialect.name == "sqlite"
    converters = [
        _cell_converter(c.key, c.type, resolve.get(c.key), guard, sqlite)
        for c in stmt.selected_columns
    ]
    # the values exactly as the driver returns them: the converters read them directly
    raw = stmt.with_only_columns(
        *(type_coerce(c, NullType()).label(c.key) for c in stmt.selected_columns),
        maintain_column_froms=True,
    )
    return _cells(session, raw, converters)


def export_values(
    *,
    session: Session,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
    author: str | None = None,
) -> Generator[list[tuple[Any, ...]], None, None]:
    """The records of one type as blocks of rows of typed values, for a workbook: dates
    and datetimes as such, numbers as numbers, names resolved, lists joined with `;`
    (an empty list is None, an empty cell). Converted a column of a block at a time
    from the driver's own values, as `export_cells` does for CSV."""
    kind = parse_kind(kind)
    stmt, spec = _export_statement(session, kind, date_from, date_to, supplier, author)
    resolve = _Resolver(session, spec.resolved).functions(spec.resolved)
    sqlite = session.connection().dialect.name == "sqlite"
    converters = [
        _value_converter(c.type, resolve.get(c.key), sqlite) for c in stmt.selected_columns
    ]
    raw = stmt.with_only_columns(
        *(type_coerce(c, NullType()).label(c.key) for c in stmt.selected_columns),
        maintain_column_froms=True,
    )
    return _cells(session, raw, converters)


def _listed(value: Any) -> Any:
    """A list as one cell: joined with `;`, None when empty; any other value as it is."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value)) if value else None
    return value


def _stored_moment(value: Any) -> Any:
    if value.__class__ is str:  # SQLite's text: `YYYY-MM-DD HH:MM:SS.ffffff`
        return datetime.fromisoformat(value[:19])
    return value if value is None else value.replace(microsecond=0)


def _value_converter(
    type_: Any, resolve: Callable[[Any], Any] | None, sqlite: bool
) -> Callable[[Column], Iterable[Any]]:
    def remembered(convert: Callable[[Any], Any]) -> Callable[[Column], Iterable[Any]]:
        lookup = _Remembered(convert).__getitem__
        return lambda column: map(lookup, column)

    if resolve is not None:
        if isinstance(type_, JSON) and not sqlite:
            return lambda column: [_listed(resolve(v)) for v in column]
        return remembered(lambda v: _listed(resolve(v)))
    if isinstance(type_, JSON):
        if sqlite:
            return remembered(lambda v: _listed(json.loads(v) or []))
        return lambda column: [_listed(list(v or [])) for v in column]
    if isinstance(type_, DateTime):
        fromisoformat = datetime.fromisoformat
        return lambda column: [
            fromisoformat(v[:19]) if v.__class__ is str else _stored_moment(v) for v in column
        ]
    if isinstance(type_, Date):
        return lambda column: [
            date.fromisoformat(v[:10]) if v.__class__ is str else v for v in column
        ]
    if isinstance(type_, Boolean):
        return remembered(lambda v: None if v is None else bool(v))
    if isinstance(type_, Numeric) and not isinstance(type_, Float):
        return lambda column: [float(v) if v.__class__ is str else v for v in column]
    return lambda column: column


def _cells(
    session: Session, stmt: Any, converters: list[Callable[[Column], Iterable[Any]]]
) -> Generator[list[tuple[Any, ...]], None, None]:
    conn = session.connection()
    with _export_pragmas(conn):
        result = conn.execute(stmt.execution_options(yield_per=EXPORT_PARTITION))
        for partition in result.partitions():
            columns = zip(*partition, strict=True)
            cells = [convert(column) for convert, column in zip(converters, columns, strict=True)]
            yield list(zip(*cells, strict=True))


@contextmanager
def _export_pragmas(conn: Connection) -> Iterator[None]:
    """SQLite: a small page cache, and a helper thread for the sort, while an export reads
    the whole table once.

    A pass over every page gains nothing from caching them, and the cache (with the
    sorter, which SQLite sizes after it) is most of what an export's memory grows by.
    The rows come in date order, so SQLite sorts them all before the first one; with a
    second core, one helper thread sorts the sorter's runs beside the main one.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    pragmas = {
        "cache_size": EXPORT_PAGE_CACHE_KIB,
        "threads": 1 if (os.cpu_count() or 1) > 1 else 0,
    }
    before = {n: int(conn.exec_driver_sql(f"PRAGMA {n}").scalar_one()) for n in pragmas}
    for name, value in pragmas.items():
        conn.exec_driver_sql(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        for name, value in before.items():
            conn.exec_driver_sql(f"PRAGMA {name} = {value}")


_GUARD_FIRST = frozenset(render.GUARD_PREFIXES) | {"'"}
_FIRST_CHARACTER = slice(0, 1)
_REMEMBERED = 8192  # distinct values kept per column; beyond that, converted each time
_FREE_TEXT = frozenset({"note", "description", "resolution", "text"})
_QUOTED_IF = re.compile(r'[",\r\n]').search  # what makes the csv module quote a cell


class _Remembered(dict[Any, Any]):
    """The cells of a column whose values repeat: each distinct value converted once."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        text = self.convert(value)
        if len(self) < _REMEMBERED:  # bounded: memory stays flat whatever the journal
            self[value] = text
        return text


Column = Sequence[Any]
ColumnCells = Callable[[Column], Iterable[str]]


def _cell_converter(
    name: str, type_: Any, resolve: Callable[[Any], Any] | None, guard: bool, sqlite: bool
) -> ColumnCells:
    """How a column of a block of driver values becomes CSV cells, the way `render.cell`
    writes the record's value: SQLite hands back datetimes as text and JSON unparsed,
    PostgreSQL hands back Python values, and both end as the same cells.

    A whole column at a time: a remembered column is a `map` over a dictionary lookup,
    and the others a comprehension with the common case inline, so a cell rarely costs
    a Python call of its own.
    """

    def cell(value: Any) -> str:
        return _csv_quoted(render.cell(value, guard=guard))

    def remembered(convert: Callable[[Any], str]) -> ColumnCells:
        lookup = _Remembered(convert).__getitem__
        return lambda column: map(lookup, column)

    if resolve is not None:
        if isinstance(type_, JSON) and not sqlite:  # lists arrive parsed: not hashable
            return lambda column: [cell(resolve(v)) for v in column]
        return remembered(lambda v: cell(resolve(v)))
    if isinstance(type_, JSON):
        if sqlite:  # JSON arrives as text: hashable, so remembered like any repeating value
            return remembered(lambda v: cell(json.loads(v) or []))
        return lambda column: [cell(list(v or [])) for v in column]
    if isinstance(type_, DateTime):
        # SQLite's stored text `YYYY-MM-DD HH:MM:SS.ffffff` needs no parsing
        return lambda column: [
            v[:10] + "T" + v[11:19]
            if v.__class__ is str and len(v) >= 19 and v[10] in " T"
            else _moment_cell(v)
            for v in column
        ]
    if isinstance(type_, Date):
        return lambda column: [v[:10] if v.__class__ is str else cell(v) for v in column]
    if isinstance(type_, Boolean):
        return remembered(lambda v: cell(None if v is None else bool(v)))
    if name == "id":
        return lambda column: map(str, column)
    if isinstance(type_, Integer | Float | Numeric):
        return remembered(cell)
    if name in _FREE_TEXT:  # unique per row: nothing to remember, little to guard or quote

        def free_text(column: Column) -> Iterable[str]:
            if _plain_texts(column):
                return column
            return [
                v
                if v.__class__ is str and v[:1] not in _GUARD_FIRST and not _QUOTED_IF(v)
                else cell(v)
                for v in column
            ]

        return free_text
    return remembered(cell)


def _plain_texts(column: Column) -> bool:
    """Whether every value is text that goes into CSV as it is: nothing to guard, nothing
    to quote. Asked of the whole column at once, with a handful of scans in C."""
    try:
        joined = "\n".join(column)
    except TypeError:  # a null among them
        return False
    return (
        joined.count("\n") == len(column) - 1
        and '"' not in joined
        and "," not in joined
        and "\r" not in joined
        and _GUARD_FIRST.isdisjoint(map(str.__getitem__, column, repeat(_FIRST_CHARACTER)))
    )


def _moment_cell(value: Any) -> str:
    if value.__class__ is str:
        value = datetime.fromisoformat(value)
    return render.cell(value)


def _csv_quoted(text: str) -> str:
    """A cell as the csv module's excel dialect writes it (QUOTE_MINIMAL)."""
    if _QUOTED_IF(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_cells(
    blocks: Iterable[Sequence[Sequence[str]]], out: IO[str], columns: Sequence[str]
) -> int:
    """Write a header and blocks of rows of CSV fields (cells already quoted where
    needed); return how many rows were written.

    Quoting each cell as it is made, as the csv module's excel dialect would, leaves a
    row one `join`: the csv module's character-by-character walk over every cell was the
    largest cost of a big export.
    """
    out.write(",".join(_csv_quoted(c) for c in columns) + "\r\n")
    written = 0
    for block in blocks:
        if block:
            out.write("\r\n".join(map(",".join, block)) + "\r\n")
            written += len(block)
    return written


def write_export(
    rows: Iterable[Mapping[str, Any]],
    out: IO[str],
    *,
    fmt: str,
    columns: Sequence[str],
    guard: bool = True,
) -> int:
    """Write records in `fmt` as they come; return how many were written.

    Only CSV cells carry the formula guard: JSON is read by programs, not spreadsheets.
    """
    written = 0

    def counted() -> Iterator[Mapping[str, Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    fmt = parse_format(fmt)
    if fmt == "csv":
        return write_cells(_blocks(rows, columns, guard), out, columns)
    if fmt == "xlsx":
        return write_workbook(rows, out, name="records", columns=columns)
    if fmt == "json":
        render.write_json_array(counted(), out)
    else:
        render.write_jsonl(counted(), out)
    return written


def write_workbook(
    rows: Iterable[Mapping[str, Any]], out: IO[Any], *, name: str, columns: Sequence[str]
) -> int:
    """Records as one sheet of an xlsx workbook written to the binary `out`; typed
    cells, text as text (no guard: a workbook cell is never read as a formula)."""
    from srmcli.writers.xlsx import Book

    book = Book(out)
    written = book.sheet(name, columns, rows)
    book.close()
    return written


def _blocks(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], guard: bool
) -> Iterator[list[list[str]]]:
    block: list[list[str]] = []
    for row in rows:
        block.append([_csv_quoted(render.cell(row.get(c), guard=guard)) for c in columns])
        if len(block) >= EXPORT_PARTITION:
            yield block
            block = []
    yield block


def export_sheet(
    book: Any,
    *,
    session: Session,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
    author: str | None = None,
) -> int:
    """One kind as a sheet of the workbook `book` (`writers.xlsx.Book`), named after the
    kind, typed cells; how many rows. `export KIND -f xlsx` writes one, `export all` a
    sheet per kind."""
    kind = parse_kind(kind)
    if kind in MORE_KINDS:
        from srmcli.services import transfer

        rows = export_rows(
            session=session, kind=kind, date_from=date_from, date_to=date_to,
            supplier=supplier, author=author,
        )  # fmt: skip
        with closing(rows):  # type: ignore[type-var]
            return int(
                book.sheet_of_rows(
                    kind,
                    COLUMNS[kind],
                    ([transfer.cell_value(kind, c, r.get(c)) for c in COLUMNS[kind]] for r in rows),
                )  # fmt: skip
            )
    blocks = export_values(
        session=session, kind=kind, date_from=date_from, date_to=date_to,
        supplier=supplier, author=author,
    )  # fmt: skip
    with closing(blocks):
        return int(book.sheet_of_rows(kind, COLUMNS[kind], itertools.chain.from_iterable(blocks)))


def export(
    *,
    session: Session,
    kind: str,
    out: IO[Any],
    fmt: str = "csv",
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
    guard: bool = True,
    author: str | None = None,
) -> int:
    """Export one record type to `out` in `fmt`, streamed; return how many were written.

    CSV goes cell by cell from the driver's values (`export_cells`); JSON, JSON lines
    and xlsx (to a binary `out`, one sheet named after the kind) write the records of
    `export_rows`.
    """
    kind, fmt = parse_kind(kind), parse_format(fmt)
    if fmt == "xlsx":
        from srmcli.writers.xlsx import Book

        book = Book(out)
        written = export_sheet(
            book, session=session, kind=kind, date_from=date_from, date_to=date_to,
            supplier=supplier, author=author,
        )  # fmt: skip
        book.close()
        return written
    if kind in MORE_KINDS:
        from srmcli.services import transfer

        rows = export_rows(
            session=session, kind=kind, date_from=date_from, date_to=date_to,
            supplier=supplier, author=author,
        )  # fmt: skip
        if fmt == "csv":
            rows = ({c: transfer.cell_value(kind, c, v) for c, v in r.items()} for r in rows)
        with closing(rows):  # type: ignore[type-var]
            return write_export(rows, out, fmt=fmt, columns=COLUMNS[kind], guard=guard)
    if fmt == "csv":
        cells = export_cells(
            session=session, kind=kind, date_from=date_from, date_to=date_to,
            supplier=supplier, guard=guard, author=author,
        )  # fmt: skip
        # closed here, while the session is open, when a write fails half-way: the query
        # ends now rather than when the generator is collected after the session is gone
        with closing(cells):
            return write_cells(cells, out, COLUMNS[kind])
    rows = export_rows(
        session=session, kind=kind, date_from=date_from, date_to=date_to, supplier=supplier,
        author=author,
    )  # fmt: skip
    with closing(rows):
        return write_export(rows, out, fmt=fmt, columns=COLUMNS[kind], guard=guard)


# -- reading an import file -----------------------------------------------------------


_PLAIN_CONVENTIONS = values.Conventions()


@dataclass
class SourceRow:
    """One record of an import file: where it is (for errors), its cells by column, and
    how the file writes numbers and dates (`--decimal`, `--date-format`)."""

    where: str
    cells: dict[str, Any]
    conventions: values.Conventions = _PLAIN_CONVENTIONS

    def text(self, column: str) -> str | None:
        """A cell as text; blank (or JSON null) is None. A typed cell of a workbook
        (number, date) in a text column is written as srm writes it."""
        value = self.cells.get(column)
        if value.__class__ is str:  # CSV: every cell, so the common case goes first
            return value or None
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return render.format_number(value)
        if isinstance(value, str):
            return value
        if isinstance(value, datetime):
            return value.isoformat(timespec="seconds")
        if isinstance(value, date):
            return value.isoformat()
        raise InvalidValueError(f"{self.where}: {column}: a single value is expected here")

    def number(self, column: str) -> Any:
        """A numeric cell for a builder that checks its range: a typed number as it is,
        text with a decimal or thousands mark read by the file's conventions (refused
        when ambiguous), None when blank."""
        value = self.cells.get(column)
        if value is None or value == "" or isinstance(value, bool):
            return self.text(column)
        if isinstance(value, int | float):
            return value
        try:
            return self.conventions.number(self.text(column), column)
        except SrmError as exc:
            raise self.fail(column, exc) from None

    def items(self, column: str) -> list[str]:
        """A list cell: a JSON array, or text joined with `;`."""
        value = self.cells.get(column)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            if any(isinstance(v, list | dict) for v in value):
                raise InvalidValueError(
                    f"{self.where}: {column}: a list of words here, not of lists or objects"
                )
            return [str(v) for v in value if v is not None and str(v) != ""]
        if isinstance(value, str):
            return [part for part in value.split(LIST_SEPARATOR) if part.strip()]
        if not isinstance(value, dict):  # one typed workbook cell: a list of one
            text = self.text(column)
            return [text] if text else []
        raise InvalidValueError(f"{self.where}: {column}: a list (or text joined with ';') here")

    def fail(self, column: str | None, exc: SrmError) -> SrmError:
        """The same kind of error, now saying where: `line N: column: problem`."""
        place = f"{self.where}: {column}" if column else self.where
        return type(exc)(f"{place}: {exc}")


def _check_columns(
    names: Sequence[str], kind: str, where: str, *, header: bool, read_as: str = ""
) -> None:
    accepted = COLUMNS[kind]
    for name in names:
        if name not in accepted:
            raise InvalidValueError(
                f"{where}: unknown column {name!r}{read_as}; the {kind} columns are: "
                f"{', '.join(accepted)}"
            )
    if not header:
        return
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise InvalidValueError(f"{where}: the column {doubled[0]!r} appears twice")
    missing = [c for c in REQUIRED[kind] if c not in names]
    if missing:
        raise InvalidValueError(
            f"{where}: the column {missing[0]!r} is missing{read_as}; a file of {kind} needs "
            f"{', '.join(REQUIRED[kind])} (the columns of `srm export {kind}`)"
        )


def read_rows(
    source: Source | IO[str],
    *,
    kind: str,
    fmt: str,
    raw: bool = False,
    conventions: values.Conventions | None = None,
) -> Iterator[SourceRow]:
    """The records of an import file (read by `srmcli.readers`), each with its place in
    the file for error messages; columns checked against the kind's, and each CSV cell
    loses the formula guard unless `raw` (a workbook's text cells are exact: srm writes
    no guard into them)."""
    from srmcli import readers

    kind, fmt = parse_kind(kind), parse_import_format(fmt)
    table = readers.rows_from_file(
        source, fmt, header_key=lambda h: h.strip().lower(), what=f"{kind} records"
    )
    where = table.header_where
    if table.header is not None:
        if not table.header:
            raise InvalidValueError(
                f"the file is empty; a file of {kind} starts with a header row: "
                + ",".join(COLUMNS[kind])
            )
        _check_columns(table.header, kind, where, header=True, read_as=table.read_as())
    unguard = table.format == "csv" and not raw
    rules = conventions or _PLAIN_CONVENTIONS
    for row in table.rows:
        if table.header is None:
            _check_columns(list(row.cells), kind, row.where, header=False)
        elif unguard and any(v[:1] == "'" for v in row.cells.values()):
            row.cells = {k: render.unguard(v) if v[:1] == "'" else v for k, v in row.cells.items()}
        yield SourceRow(row.where, row.cells, rules)


# -- cell values ----------------------------------------------------------------------


def _moment(row: SourceRow, column: str) -> datetime | None:
    """A date and time; files are read literally, so `yesterday` means nothing here. A
    workbook's date cell is taken as it is."""
    cell = row.cells.get(column)
    if not isinstance(cell, date):
        cell = row.text(column)
    if cell is None:
        return None
    try:
        return row.conventions.moment(cell, column)
    except SrmError as exc:
        raise row.fail(column, exc) from None


def _day(row: SourceRow, column: str) -> date | None:
    cell = row.cells.get(column)
    if not isinstance(cell, date):
        cell = row.text(column)
    if cell is None:
        return None
    try:
        return row.conventions.day(cell, column)
    except SrmError as exc:
        raise row.fail(column, exc) from None


def _required(row: SourceRow, column: str, value: Any, what: str) -> Any:
    if value is None:
        raise row.fail(column, InvalidValueError(f"empty; give {what}"))
    return value


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _flag(row: SourceRow, column: str, default: bool) -> bool:
    value = row.cells.get(column)
    if isinstance(value, bool):
        return value
    text = row.text(column)
    if text is None:
        return default
    cleaned = text.strip().lower()
    if cleaned in _TRUE or cleaned in _FALSE:
        return cleaned in _TRUE
    raise row.fail(column, InvalidValueError(f"{text!r} is not accepted; use true or false"))


def _build(
    row: SourceRow,
    builder: Callable[..., Any],
    kwargs: dict[str, Any],
    *,
    probes: Mapping[str, Any] | None = None,
) -> Any:
    """Call a domain builder; when it refuses the row, name the column to blame.

    The builders speak in field terms ("unknown size 'huge'") without knowing which cell
    of a file a value came from. The blamed column is the one whose reset (to the
    builder's default, or to a known-good probe for a required value) lets the row
    through: the rules stay in the builders and the message still says
    `line N: column: problem`. This runs only on the way to an error.
    """
    try:
        return builder(**kwargs)
    except SrmError as exc:
        params = inspect.signature(builder).parameters
        probes = probes or {}
        message = str(exc)
        shifted: str | None = None
        for column in kwargs:
            trial = dict(kwargs)
            if column in probes:
                trial[column] = probes[column]
            elif params[column].default is not inspect.Parameter.empty:
                del trial[column]
            else:
                continue  # required and already checked (the supplier, a parsed date)
            try:
                builder(**trial)
            except SrmError as again:
                if shifted is None and str(again) != message:
                    shifted = column
                continue
            raise row.fail(column, exc) from None
        raise row.fail(shifted, exc) from None


# -- importing ------------------------------------------------------------------------


def _values(obj: SQLModel, table: Table) -> dict[str, Any]:
    """A validated model object as the dict a Core insert takes (the journal assigns ids)."""
    return {c.name: getattr(obj, c.name) for c in table.columns if c.name != "id"}


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        _insert_values(conn, table, rows)
    else:
        conn.execute(insert(table), rows)


def _insert_with_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert and return the new ids in the order of `rows`, in as few statements as may be."""
    if not rows:
        return []
    how = _id_strategy(conn)
    if how == "assigned":
        return _insert_assigning_ids(conn, table, rows)
    if how == "returning":
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(r[0]) for r in conn.execute(stmt, rows)]
    # no way to batch and still tell the ids apart: one statement per row
    ids = []
    for row in rows:
        new_key = conn.execute(insert(table), row).inserted_primary_key
        assert new_key is not None  # a plain single-row INSERT always reports its key
        ids.append(int(new_key[0]))
    return ids


def _id_strategy(conn: Connection) -> str:
    """How a batch learns its new ids: `assigned`, `returning` or `one-by-one`.

    SQLite: the import holds the write lock (BEGIN IMMEDIATE) from the first row to the
    commit, so nobody else can take an id meanwhile and the ids after max(id) are ours to
    assign, which lets a whole batch go in one multi-row INSERT. PostgreSQL hands ids out
    from a sequence that other sessions share, so there the database assigns them and
    RETURNING (kept in parameter order) tells them back.
    """
    if conn.dialect.name == "sqlite":
        return "assigned"
    if conn.dialect.insert_executemany_returning_sort_by_parameter_order:
        return "returning"
    return "one-by-one"


def _insert_assigning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    ids = list(range(start + 1, start + 1 + len(rows)))
    _insert_values(conn, table, rows, ids)
    return ids


def _insert_values(
    conn: Connection, table: Table, rows: list[dict[str, Any]], ids: list[int] | None = None
) -> None:
    """SQLite: the rows in multi-row INSERT statements, sent straight to the driver.

    One statement per slice rather than one per row: the full-text trigger on interaction
    flushes its index once per statement, so row-at-a-time statements would spend most of
    an import merging one-row index segments. Values get the same conversions Core
    applies (datetimes as text, lists as JSON), so they are stored exactly alike.
    """
    dialect = conn.dialect
    names = [n for n in rows[0] if n != "id"]
    converted = [(n, table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names]
    width = len(names) + (ids is not None)
    version = getattr(dialect.dbapi, "sqlite_version_info", (0,))
    limit = 32766 if version >= (3, 32) else 999  # SQLite's bound-variable limit
    per_statement = max(1, limit // width)
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in (["id"] if ids is not None else []) + names)
    placeholder = "(" + ", ".join(["?"] * width) + ")"
    for first in range(0, len(rows), per_statement):
        chunk = rows[first : first + per_statement]
        params: list[Any] = []
        for n, row in enumerate(chunk, first):
            if ids is not None:
                params.append(ids[n])
            params += [row[c] if p is None else p(row[c]) for c, p in converted]
        sql = (
            f"INSERT INTO {quote(table.name)} ({columns}) "
            f"VALUES {', '.join([placeholder] * len(chunk))}"
        )
        conn.exec_driver_sql(sql, tuple(params))


def _known_keys(
    conn: Connection,
    table: Table,
    located_by: tuple[str, ...],
    compared: tuple[str, ...],
    batch: list[Pending],
) -> set[tuple[Any, ...]]:
    """The (located_by + compared) values of rows already in `table` for a batch.

    The batch's keys go in as a VALUES list joined to the table, so each is an index
    search: a row-value IN (...) would make SQLite scan the whole table once per batch,
    and an import would slow down with every year of history.
    """
    wanted = sorted({tuple(p.values[c] for c in located_by) for p in batch})
    if not wanted:
        return set()
    stmt = _lookup(table.name, located_by, compared, len(wanted))
    params = {f"k{i}_{j}": v for i, key in enumerate(wanted) for j, v in enumerate(key)}
    return {tuple(r) for r in conn.execute(stmt, params)}


def _not_known(conn: Connection, table: Table, batch: list[Pending]) -> list[Pending]:
    """The rows of a batch whose natural key (`drafts.NATURAL_KEYS`) is not in `table`."""
    located, compared = NATURAL_KEYS[table.name]
    known = _known_keys(conn, table, located, compared, batch)
    return [p for p in batch if p.key not in known]


@functools.lru_cache(maxsize=32)
def _lookup(
    table_name: str, located_by: tuple[str, ...], compared: tuple[str, ...], rows: int
) -> TextualSelect:
    # written once per batch size, as text: building the same VALUES list as a Core
    # construct cost more to compile, batch after batch, than the lookup itself
    table = SQLModel.metadata.tables[table_name]
    listed = ", ".join(
        "(" + ", ".join(f":k{i}_{j}" for j in range(len(located_by))) + ")" for i in range(rows)
    )
    on = " AND ".join(f"t.{c} = wanted.{c}" for c in located_by)
    picked = ", ".join(f"t.{c}" for c in (*located_by, *compared))
    sql = (
        f"WITH wanted ({', '.join(located_by)}) AS (VALUES {listed}) "
        f"SELECT {picked} FROM wanted JOIN {table_name} AS t ON {on}"
    )
    typed = [
        bindparam(f"k{i}_{j}", type_=table.c[c].type)
        for i in range(rows)
        for j, c in enumerate(located_by)
    ]
    return text(sql).bindparams(*typed).columns(*(table.c[c] for c in (*located_by, *compared)))


class Roster:
    """The journal's suppliers and their contacts, each read once per import.

    Imports name suppliers and contacts exactly (name or alias, any case): a prefix that
    is unique today may not be tomorrow, and a file should mean the same thing whenever
    it is imported.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.suppliers = list(session.exec(orm_select(Supplier)).all())
        self.by_key: dict[str, Supplier] = {}
        for s in self.suppliers:
            self.by_key[s.name_key] = s
            for alias in s.aliases or []:
                self.by_key.setdefault(key(alias), s)
        self._people: dict[int, dict[str, Contact]] = {}
        # the same few people turn up together row after row: resolve each cell once
        self._named: dict[tuple[int, str], list[Contact]] = {}

    def supplier(self, row: SourceRow, column: str = "supplier") -> Supplier:
        name = row.text(column)
        if name is None or not name.strip():
            raise row.fail(column, InvalidValueError("empty; give the supplier's name or alias"))
        found = self.by_key.get(key(name))
        if found is not None:
            return found
        pool = [s.name for s in self.suppliers] + [a for s in self.suppliers for a in s.aliases]
        hint = did_you_mean(name, pool) or " Add it first (or import suppliers first)."
        raise row.fail(
            column,
            NotFoundError(f"no supplier named exactly {name!r} (name or alias).{hint}"),
        )

    def people(self, supplier: Supplier) -> dict[str, Contact]:
        """A supplier's contacts by name key (one query per supplier, then remembered)."""
        sid = supplier.id or 0
        if sid not in self._people:
            found = self.session.exec(orm_select(Contact).where(Contact.supplier_id == sid)).all()
            self._people[sid] = {c.name_key: c for c in found}
        return self._people[sid]

    def knows(self, supplier_id: int, name_key: str) -> bool:
        """Whether a supplier whose contacts were loaded already has this contact."""
        return name_key in self._people.get(supplier_id, {})

    def contact(self, row: SourceRow, column: str, supplier: Supplier, name: str) -> Contact:
        people = self.people(supplier)
        found = people.get(key(name))
        if found is not None:
            return found
        if not people:
            raise row.fail(
                column,
                NotFoundError(f"{supplier.name} has no contacts; import its contacts first"),
            )
        listing = ", ".join(f"{c.name} ({c.role})" for c in sorted(people.values(), key=_by_key))
        hint = did_you_mean(name, [c.name for c in people.values()])
        raise row.fail(
            column,
            NotFoundError(
                f"no contact named exactly {name!r} at {supplier.name}.{hint} "
                f"Contacts there: {listing}"
            ),
        )

    def contacts(self, row: SourceRow, column: str, supplier: Supplier) -> list[Contact]:
        """The contacts a list cell names; in CSV text a name holding `;` is rejoined."""
        value = row.cells.get(column)
        if not value:
            return []
        if not isinstance(value, str):
            return [self.contact(row, column, supplier, n) for n in row.items(column)]
        remembered = self._named.get((supplier.id or 0, value))
        if remembered is not None:
            return remembered
        parts = value.split(LIST_SEPARATOR)
        people = self.people(supplier)
        found: list[Contact] = []
        i = 0
        while i < len(parts):
            if not parts[i].strip():
                i += 1
                continue
            # the longest run of parts that is one contact's name, else the part alone
            for j in range(len(parts), i, -1):
                person = people.get(key(LIST_SEPARATOR.join(parts[i:j])))
                if person is not None:
                    found.append(person)
                    i = j
                    break
            else:
                found.append(self.contact(row, column, supplier, parts[i]))
                i += 1
        self._named[(supplier.id or 0, value)] = found
        return found


def _by_key(c: Contact) -> str:
    return c.name_key


@dataclass
class Pending:
    """A validated row waiting for its batch: natural key, values, and what hangs off it."""

    key: Hashable
    values: dict[str, Any]
    tactics: list[str] = field(default_factory=list)
    carried: Any = None  # what else a kind inserts with the row (a candidate's stages)


@dataclass
class ImportSummary:
    kind: str
    added: int = 0
    skipped: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "added": self.added,
            "skipped": self.skipped,
            "dry_run": self.dry_run,
        }


class _Importer:
    """How one record type is validated, matched against the journal and inserted."""

    def __init__(self, session: Session, roster: Roster) -> None:
        self.session = session
        self.roster = roster
        self.conn = session.connection()
        # who imports is the author of what the file adds (interactions keep their column)
        self.author = recorded_by()

    def prepare(self, row: SourceRow) -> Pending:
        raise NotImplementedError

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        """The rows of the batch whose natural key is not in the journal yet."""
        raise NotImplementedError

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        raise NotImplementedError


class _SupplierImporter(_Importer):
    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.existing = {s.name_key for s in roster.suppliers}
        self.accepted: set[str] = set()  # names of new suppliers earlier in the file
        # every name and alias in use, with whose it is; grows as rows are accepted
        self.taken: dict[str, str] = {}
        for s in roster.suppliers:
            for n in (s.name, *(s.aliases or [])):
                self.taken.setdefault(key(n), s.name)
        # every email domain in use, with whose it is (a domain is one supplier's)
        self.domains: dict[str, str] = {d: s.name for s in roster.suppliers for d in s.domains}

    def prepare(self, row: SourceRow) -> Pending:
        kwargs: dict[str, Any] = {"name": row.text("name") or ""}
        for column in ("category", "size", "status", "access", "profit_impact", "supply_risk"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("annual_spend", "supplier_revenue", "cadence_days"):
            if (value := row.number(column)) is not None:
                kwargs[column] = value
        if (value := row.text("note")) is not None:
            kwargs["note"] = value
        for column in ("aliases", "domains", "tags"):
            if items := row.items(column):
                kwargs[column] = items
        if (created := _moment(row, "created_at")) is not None:
            kwargs["created_at"] = created
        kwargs = _in_column_order(kwargs, SUPPLIER_COLUMNS)
        kwargs["author"] = self.author
        supplier: Supplier = _build(row, build_supplier, kwargs, probes={"name": "x"})
        if supplier.name_key not in self.existing and supplier.name_key not in self.accepted:
            # a new supplier: its name and aliases must not be another supplier's
            for column, names in (("name", [supplier.name]), ("aliases", supplier.aliases)):
                for n in names:
                    owner = self.taken.get(key(n))
                    if owner is not None:
                        raise row.fail(
                            column, ConflictError(f"{n!r} is already used by supplier {owner!r}")
                        )
            for domain in supplier.domains:
                owner = self.domains.get(domain)
                if owner is not None:
                    raise row.fail(
                        "domains",
                        ConflictError(f"the domain {domain} is already used by supplier {owner!r}"),
                    )
            for n in (supplier.name, *supplier.aliases):
                self.taken[key(n)] = supplier.name
            self.domains.update(dict.fromkeys(supplier.domains, supplier.name))
            self.accepted.add(supplier.name_key)
        return Pending(supplier.name_key, _values(supplier, SUPPLIER_TABLE))

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [p for p in batch if p.key not in self.existing]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        _insert(self.conn, SUPPLIER_TABLE, [p.values for p in batch])
        self.existing.update(cast(str, p.key) for p in batch)


class _ContactImporter(_Importer):
    def prepare(self, row: SourceRow) -> Pending:
        supplier = self.roster.supplier(row)
        kwargs: dict[str, Any] = {
            "supplier": supplier,
            "name": row.text("name") or "",
            "role": row.text("role") or "",
        }
        for column in ("title", "email", "phone", "note"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        kwargs["active"] = _flag(row, "active", True)
        kwargs["author"] = self.author
        self.roster.people(supplier)  # loads who is already there, for `fresh`
        person: Contact = _build(row, build_contact, kwargs, probes={"name": "x", "role": "other"})
        return Pending((supplier.id, person.name_key), _values(person, CONTACT_TABLE))

    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.inserted: set[Hashable] = set()  # by earlier batches of this file

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [
            p
            for p in batch
            if p.key not in self.inserted and not self.roster.knows(*cast(tuple[int, str], p.key))
        ]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        _insert(self.conn, CONTACT_TABLE, [p.values for p in batch])
        self.inserted.update(p.key for p in batch)


class _InteractionImporter(_Importer):
    """The bulk path: plain dicts from `drafts.interaction_values`, the rules `srm log`
    applies, and never a model object per row (building those was most of the cost)."""

    def prepare(self, row: SourceRow) -> Pending:
        supplier = self.roster.supplier(row)
        occurred = _required(
            row,
            "occurred_at",
            _moment(row, "occurred_at"),
            "when it happened (YYYY-MM-DDTHH:MM:SS)",
        )
        people = self.roster.contacts(row, "contacts", supplier)
        # built in file-column order, so that the blame search names the first culprit
        kwargs: dict[str, Any] = {"supplier_id": supplier.id, "occurred_at": occurred}
        for column in ("channel", "initiator"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("duration_min", "tone"):
            if (value := row.number(column)) is not None:
                kwargs[column] = value
        if items := row.items("tags"):
            kwargs["tags"] = items
        kwargs["note"] = row.text("note") or ""
        if (value := row.text("author")) is not None:
            kwargs["author"] = value
        kwargs["contact_ids"] = [c.id or 0 for c in people]
        values = _build(row, interaction_values, kwargs, probes={"note": "x"})
        try:
            tactics = parse_tactics(row.items("tactics"))
        except SrmError as exc:
            raise row.fail("tactics", exc) from None
        return Pending(natural_key("interaction", values), values, tactics=tactics)

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return _not_known(self.conn, INTERACTION_TABLE, batch)

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        ids = _insert_with_ids(self.conn, INTERACTION_TABLE, [p.values for p in batch])
        people: list[dict[str, Any]] = []
        tactics: list[dict[str, Any]] = []
        for new_id, p in zip(ids, batch, strict=True):
            took_part, used = link_values(new_id, p.values, p.tactics)
            people += took_part
            tactics += used
        _insert(self.conn, PEOPLE_TABLE, people)
        _insert(self.conn, TACTIC_TABLE, tactics)


class _LinkedImporter(_Importer):
    """Issues and follow-ups may point at the interaction they came from.

    A file names it by when it happened (`interaction_at`), which means the same thing in
    every journal; `interaction_id` is the id in the journal the file came from, so it is
    ignored. The moment must match exactly one interaction of the row's supplier, to
    the second (exports write whole seconds); none or several is refused with the line.
    """

    table: Table

    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self._found: dict[tuple[int, datetime], list[int]] = {}

    def link(self, row: SourceRow, supplier: Supplier) -> int | None:
        moment = _moment(row, "interaction_at")
        if moment is None:
            return None
        moment = moment.replace(microsecond=0)
        wanted = (supplier.id or 0, moment)
        found = self._found.get(wanted)
        if found is None:
            t = INTERACTION_TABLE
            found = [
                int(r[0])
                for r in self.conn.execute(
                    select(t.c.id)
                    .where(
                        t.c.supplier_id == wanted[0],
                        t.c.occurred_at >= moment,
                        t.c.occurred_at < moment + timedelta(seconds=1),
                    )
                    .limit(2)
                )
            ]
            if len(self._found) < BATCH:  # bounded: memory stays flat whatever the file
                self._found[wanted] = found
        if len(found) == 1:
            return found[0]
        at = moment.isoformat()
        problem = (
            f"no interaction of {supplier.name} at {at}; import the interactions first, "
            "or leave interaction_at blank"
            if not found
            else f"{supplier.name} has several interactions at {at}; the link cannot tell "
            "which one, so leave interaction_at blank or give each a different time"
        )
        raise row.fail("interaction_at", NotFoundError(problem))

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        _insert(self.conn, self.table, [p.values for p in batch])


class _IssueImporter(_LinkedImporter):
    table = ISSUE_TABLE

    def prepare(self, row: SourceRow) -> Pending:
        supplier = self.roster.supplier(row)
        opened = _required(
            row, "opened_at", _moment(row, "opened_at"), "when it was opened (YYYY-MM-DD...)"
        )
        kwargs: dict[str, Any] = {
            "supplier": supplier,
            "kind": row.text("kind") or "",
            "opened_at": opened,
        }
        if (value := row.number("severity")) is not None:
            kwargs["severity"] = value
        for column in ("status", "description", "resolution"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("escalated_at", "resolved_at"):
            if (moment := _moment(row, column)) is not None:
                kwargs[column] = moment
        if (person := row.text("escalated_to")) is not None and person.strip():
            kwargs["escalated_to"] = self.roster.contact(row, "escalated_to", supplier, person)
        kwargs = _in_column_order(kwargs, ISSUE_COLUMNS)
        kwargs["author"] = self.author
        issue: Issue = _build(row, build_issue, kwargs, probes={"kind": "other"})
        values = _values(issue, ISSUE_TABLE)
        values["interaction_id"] = self.link(row, supplier)
        return Pending(natural_key("issue", values), values)

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return _not_known(self.conn, ISSUE_TABLE, batch)


class _FollowupImporter(_LinkedImporter):
    table = FOLLOWUP_TABLE

    def prepare(self, row: SourceRow) -> Pending:
        supplier = self.roster.supplier(row)
        due = _required(row, "due", _day(row, "due"), "the due day (YYYY-MM-DD)")
        kwargs: dict[str, Any] = {
            "supplier": supplier,
            "owner": row.text("owner"),
            "text": row.text("text") or "",
            "due": due,
        }
        if (done := _moment(row, "done_at")) is not None:
            kwargs["done_at"] = done
        kwargs["author"] = self.author
        followup: FollowUp = _build(
            row, build_followup, kwargs, probes={"text": "x", "owner": None}
        )
        values = _values(followup, FOLLOWUP_TABLE)
        values["interaction_id"] = self.link(row, supplier)
        return Pending(natural_key("followup", values), values)

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return _not_known(self.conn, FOLLOWUP_TABLE, batch)


def _in_column_order(kwargs: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    # the blame search tries columns in file order, so the first culprit is reported
    order = {c: n for n, c in enumerate(columns)}
    return dict(sorted(kwargs.items(), key=lambda kv: order.get(kv[0], -1)))


IMPORTERS: dict[str, type[_Importer]] = {
    "suppliers": _SupplierImporter,
    "contacts": _ContactImporter,
    "interactions": _InteractionImporter,
    "issues": _IssueImporter,
    "followups": _FollowupImporter,
}


def import_records(
    *,
    session: Session,
    kind: str,
    source: Source | IO[str],
    fmt: str = "csv",
    dry_run: bool = False,
    raw: bool = False,
    on_batch: Callable[[int], None] | None = None,
    conventions: values.Conventions | None = None,
) -> dict[str, Any]:
    """Import a file of one record type in the caller's transaction; return the counts.

    Runs inside the session's write transaction, so an error anywhere leaves the journal
    as it was. `dry_run` does all the same work, inserts included (so the database's own
    constraints are checked too), inside a savepoint that is rolled back.
    `on_batch(rows_done)` is called after each batch, for a progress bar.
    """
    kind = parse_kind(kind)
    summary = ImportSummary(kind, dry_run=dry_run)
    savepoint = session.begin_nested() if dry_run else None
    roster = Roster(session)
    if kind in MORE_KINDS:
        from srmcli.services import transfer

        importer: _Importer = transfer.IMPORTERS[kind](session, roster)
    else:
        importer = IMPORTERS[kind](session, roster)
    # Repeats inside one batch are caught here; a repeat of a row from an earlier batch
    # is caught by `fresh`, which sees what this transaction already inserted. Memory
    # thus stays bounded by the batch, not by the file.
    seen: set[Hashable] = set()
    batch: list[Pending] = []

    def flush() -> None:
        fresh = importer.fresh(batch)
        summary.skipped += len(batch) - len(fresh)
        importer.insert(fresh, summary)
        summary.added += len(fresh)
        batch.clear()
        seen.clear()
        if on_batch is not None:
            on_batch(summary.added + summary.skipped)

    for row in read_rows(source, kind=kind, fmt=fmt, raw=raw, conventions=conventions):
        pending = importer.prepare(row)
        if pending.key in seen:  # the same record twice in one batch
            summary.skipped += 1
            continue
        seen.add(pending.key)
        batch.append(pending)
        if len(batch) >= BATCH:
            flush()
    flush()
    if savepoint is not None:
        savepoint.rollback()
    return summary.as_dict()
