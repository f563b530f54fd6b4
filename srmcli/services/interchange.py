"""`srm export` and `srm import`: the five record types as CSV, JSON or JSON lines.

Both sides use the columns of SPEC §7 (services/records.py), so an export imports back
to the same records. Export streams with SQLAlchemy Core (`yield_per`), contacts and
tactics aggregated in the same query, so memory stays flat however big the journal is.

Import is one transaction: every row is validated by the same builder the interactive
command uses (`build_supplier`, `build_contact`, `build_interaction`, `build_issue`,
`build_followup`), then inserted with Core in batches. The first bad row raises
`line N: column: problem` and, the transaction rolling back, nothing is written. A row
whose natural key (SPEC §4) is already in the journal, or earlier in the same file, is
skipped and counted, so re-running an import adds nothing twice.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Table, func, insert, select, tuple_
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel
from sqlmodel import select as orm_select

from srmcli import render
from srmcli.errors import (
    ConflictError,
    InvalidValueError,
    NotFoundError,
    SrmError,
    did_you_mean,
)
from srmcli.models import (
    Contact,
    FollowUp,
    Interaction,
    Issue,
    Supplier,
)
from srmcli.naming import key
from srmcli.services.contacts import build_contact
from srmcli.services.followups import build_followup
from srmcli.services.interactions import build_interaction
from srmcli.services.issues import build_issue
from srmcli.services.records import (
    CONTACT_COLUMNS,
    FOLLOWUP_COLUMNS,
    INTERACTION_COLUMNS,
    ISSUE_COLUMNS,
    SUPPLIER_COLUMNS,
    contact_record,
    followup_record,
    interaction_record,
    issue_record,
    supplier_record,
)
from srmcli.services.suppliers import build_supplier, find_supplier

KINDS = ("suppliers", "contacts", "interactions", "issues", "followups")
FORMATS = ("csv", "json", "jsonl")
COLUMNS: dict[str, tuple[str, ...]] = {
    "suppliers": SUPPLIER_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
    "issues": ISSUE_COLUMNS,
    "followups": FOLLOWUP_COLUMNS,
}
# the columns a CSV header must have; any other column may be left out (blank)
REQUIRED: dict[str, tuple[str, ...]] = {
    "suppliers": ("name",),
    "contacts": ("supplier", "name", "role"),
    "interactions": ("supplier", "occurred_at", "note"),
    "issues": ("supplier", "kind", "opened_at"),
    "followups": ("supplier", "text", "due"),
}
_SINGULAR = {
    "supplier": "suppliers",
    "contact": "contacts",
    "interaction": "interactions",
    "issue": "issues",
    "followup": "followups",
    "follow-up": "followups",
    "follow-ups": "followups",
}
BATCH = 1000
LIST_SEPARATOR = ";"
# Names are whitespace-folded when saved, and str.split() counts \x1f as whitespace, so
# the unit separator never occurs inside a contact name: safe to aggregate with.
_AGGREGATE_SEPARATOR = "\x1f"
_FIELD_LIMIT = 1 << 26  # a pasted e-mail in a note can exceed csv's 128 KiB default

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


def _names(aggregated: str | None) -> list[str]:
    """Split an aggregated list and order it as the rest of srm does (by name key)."""
    if not aggregated:
        return []
    return sorted(aggregated.split(_AGGREGATE_SEPARATOR), key=key)


def _supplier_shape(row: Any) -> dict[str, Any]:
    return supplier_record(row)


def _contact_shape(row: Any) -> dict[str, Any]:
    return contact_record(row, row.supplier_name)


def _interaction_shape(row: Any) -> dict[str, Any]:
    return interaction_record(
        row, row.supplier_name, _names(row.contact_names), sorted(_names(row.tactic_names))
    )


def _issue_shape(row: Any) -> dict[str, Any]:
    return issue_record(row, row.supplier_name, row.escalated_to_name)


def _followup_shape(row: Any) -> dict[str, Any]:
    return followup_record(row, row.supplier_name)


# each record type: its query (in a stable order that does not depend on ids, so an
# export re-imported elsewhere exports the same), the column --from/--to filter on, the
# column --supplier filters on, and how a row becomes a SPEC §7 record
def _supplier_query() -> tuple[Any, Any, Any]:
    s = SUPPLIER_TABLE
    return select(s).order_by(s.c.name_key, s.c.id), s.c.created_at, s.c.id


def _contact_query() -> tuple[Any, Any, Any]:
    s, c = SUPPLIER_TABLE, CONTACT_TABLE
    stmt = (
        select(c, s.c.name.label("supplier_name"))
        .join(s, s.c.id == c.c.supplier_id)
        .order_by(s.c.name_key, c.c.name_key, c.c.id)
    )
    return stmt, None, c.c.supplier_id


def _interaction_query() -> tuple[Any, Any, Any]:
    s, i, c = SUPPLIER_TABLE, INTERACTION_TABLE, CONTACT_TABLE
    people, tactics = PEOPLE_TABLE, TACTIC_TABLE
    # correlated aggregates: who took part and which tactics, in the same query as the
    # interaction (group_concat on SQLite, string_agg on PostgreSQL), never a query per row
    names = (
        select(func.aggregate_strings(c.c.name, _AGGREGATE_SEPARATOR))
        .select_from(people.join(c, c.c.id == people.c.contact_id))
        .where(people.c.interaction_id == i.c.id)
        .scalar_subquery()
    )
    used = (
        select(func.aggregate_strings(tactics.c.tactic, _AGGREGATE_SEPARATOR))
        .where(tactics.c.interaction_id == i.c.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            i,
            s.c.name.label("supplier_name"),
            names.label("contact_names"),
            used.label("tactic_names"),
        )
        .join(s, s.c.id == i.c.supplier_id)
        .order_by(i.c.occurred_at, i.c.id)
    )
    return stmt, i.c.occurred_at, i.c.supplier_id


def _issue_query() -> tuple[Any, Any, Any]:
    s, i, c = SUPPLIER_TABLE, ISSUE_TABLE, CONTACT_TABLE
    stmt = (
        select(i, s.c.name.label("supplier_name"), c.c.name.label("escalated_to_name"))
        .select_from(
            i.join(s, s.c.id == i.c.supplier_id).outerjoin(c, c.c.id == i.c.escalated_to_id)
        )
        .order_by(i.c.opened_at, i.c.id)
    )
    return stmt, i.c.opened_at, i.c.supplier_id


def _followup_query() -> tuple[Any, Any, Any]:
    s, f = SUPPLIER_TABLE, FOLLOWUP_TABLE
    stmt = (
        select(f, s.c.name.label("supplier_name"))
        .join(s, s.c.id == f.c.supplier_id)
        .order_by(f.c.due, f.c.id)
    )
    return stmt, f.c.due, f.c.supplier_id


_EXPORTS: dict[str, tuple[Callable[[], tuple[Any, Any, Any]], Callable[[Any], dict[str, Any]]]] = {
    "suppliers": (_supplier_query, _supplier_shape),
    "contacts": (_contact_query, _contact_shape),
    "interactions": (_interaction_query, _interaction_shape),
    "issues": (_issue_query, _issue_shape),
    "followups": (_followup_query, _followup_shape),
}


def export_rows(
    *,
    session: Session,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    supplier: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The records of one type as SPEC §7 dicts, streamed as the database yields them.

    --from/--to filter on the record's own date: created_at (suppliers), occurred_at
    (interactions), opened_at (issues), due (follow-ups). Contacts have no date, so a date
    filter on them is refused rather than silently ignored. Arguments are checked now;
    the rows are read while the returned iterator is consumed (inside the session).
    """
    kind = parse_kind(kind)
    query, shape = _EXPORTS[kind]
    stmt, dated, by_supplier = query()
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
        stmt = stmt.where(by_supplier == find_supplier(session=session, name=supplier).id)
    return _stream(session, stmt, shape)


def _stream(
    session: Session, stmt: Any, shape: Callable[[Any], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    # yield_per turns on stream_results: a server-side cursor on PostgreSQL, fetchmany
    # batches on SQLite, so only one batch of rows is in memory at a time
    result = session.connection().execute(stmt.execution_options(yield_per=BATCH))
    for row in result:
        yield shape(row)


def write_export(
    rows: Iterable[Mapping[str, Any]],
    out: IO[str],
    *,
    fmt: str,
    columns: Sequence[str],
    guard: bool = True,
) -> int:
    """Write the rows in `fmt` as they come; return how many were written.

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
        render.write_csv(counted(), out, columns, guard=guard)
    elif fmt == "json":
        render.write_json_array(counted(), out)
    else:
        render.write_jsonl(counted(), out)
    return written


@contextmanager
def private_file(path: str) -> Iterator[IO[str]]:
    """A new 0600 file at `path`, put in place only once fully written.

    Exports hold confidential notes, hence 0600. Writing next to the target and renaming
    at the end means a failed export never leaves half a file behind.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidValueError(f"{target} is a folder; give a file name for the export")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidValueError(f"the folder {folder} does not exist; create it first")
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise InvalidValueError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(partial, target)  # mkstemp made it 0600
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


# -- reading an import file -----------------------------------------------------------


@dataclass
class Source:
    """An import file (or standard input) read as UTF-8 text, with a byte position."""

    binary: IO[bytes]
    size: int | None
    text: io.TextIOWrapper = field(init=False)

    def __post_init__(self) -> None:
        # utf-8-sig drops the byte-order mark spreadsheet programs put in front;
        # newline="" lets the csv module see quoted \r and \r\n exactly as written
        self.text = io.TextIOWrapper(self.binary, encoding="utf-8-sig", newline="")

    def position(self) -> int:
        """Bytes consumed so far, for a progress bar (0 when the input cannot tell)."""
        try:
            return self.binary.tell()
        except (OSError, ValueError):
            return 0


@contextmanager
def open_source(path: str) -> Iterator[Source]:
    """The file to import, `-` meaning standard input."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InvalidValueError("standard input cannot be read as bytes here")
        source = Source(stdin, None)
        try:
            yield source
        finally:
            source.text.detach()  # leave standard input open for the caller
        return
    target = Path(path).expanduser()
    try:
        binary = target.open("rb")
    except IsADirectoryError:
        raise InvalidValueError(f"{target} is a folder; give the file to import") from None
    except OSError as exc:
        raise InvalidValueError(f"cannot read {target}: {exc.strerror}") from None
    with binary:
        size = os.fstat(binary.fileno()).st_size
        source = Source(binary, size)
        try:
            yield source
        finally:
            source.text.detach()


def detect_format(path: str, fmt: str | None) -> str:
    """-f when given, else the file's extension (.json, .jsonl/.ndjson), else CSV."""
    if fmt:
        return parse_format(fmt)
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "csv"


@dataclass
class SourceRow:
    """One record of an import file: where it is (for errors) and its cells by column."""

    where: str
    cells: dict[str, Any]

    def text(self, column: str) -> str | None:
        """A cell as text; blank (or JSON null) is None."""
        value = self.cells.get(column)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return render.format_number(value)
        if isinstance(value, str):
            return value
        raise InvalidValueError(f"{self.where}: {column}: a single value is expected here")

    def items(self, column: str) -> list[str]:
        """A list cell: a JSON array, or text joined with `;`."""
        value = self.cells.get(column)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            return [str(v) for v in value if v is not None and str(v) != ""]
        if isinstance(value, str):
            return [part for part in value.split(LIST_SEPARATOR) if part.strip()]
        raise InvalidValueError(f"{self.where}: {column}: a list (or text joined with ';') here")

    def fail(self, column: str | None, exc: SrmError) -> SrmError:
        """The same kind of error, now saying where: `line N: column: problem`."""
        place = f"{self.where}: {column}" if column else self.where
        return type(exc)(f"{place}: {exc}")


def _check_columns(names: Sequence[str], kind: str, where: str, *, header: bool) -> None:
    accepted = COLUMNS[kind]
    for name in names:
        if name not in accepted:
            raise InvalidValueError(
                f"{where}: unknown column {name!r}; the {kind} columns are: {', '.join(accepted)}"
            )
    if not header:
        return
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise InvalidValueError(f"{where}: the column {doubled[0]!r} appears twice")
    missing = [c for c in REQUIRED[kind] if c not in names]
    if missing:
        raise InvalidValueError(
            f"{where}: the column {missing[0]!r} is missing; a {kind} file needs "
            f"{', '.join(REQUIRED[kind])} (the columns of `srm export {kind}`)"
        )


def read_rows(source: IO[str], *, kind: str, fmt: str, raw: bool = False) -> Iterator[SourceRow]:
    """The records of an import file, each with its place in the file for error messages.

    CSV: the header is line 1, a record is numbered by the line it starts on (a quoted
    note may span lines); each cell loses the formula guard unless `raw`. JSON: an array
    of objects, numbered `record N` from 1. JSON lines: one object per line.
    """
    kind, fmt = parse_kind(kind), parse_format(fmt)
    try:
        if fmt == "csv":
            yield from _read_csv(source, kind, raw=raw)
        elif fmt == "json":
            yield from _read_json(source, kind)
        else:
            yield from _read_jsonl(source, kind)
    except UnicodeDecodeError:
        raise InvalidValueError(
            "the file is not UTF-8 text; save it as CSV UTF-8 (or JSON) and try again"
        ) from None


def _read_csv(source: IO[str], kind: str, *, raw: bool) -> Iterator[SourceRow]:
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(source, dialect="excel", strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidValueError(
            f"the file is empty; a {kind} file starts with a header row: " + ",".join(COLUMNS[kind])
        ) from None
    except csv.Error as exc:
        raise InvalidValueError(
            f"line 1: cannot read the header ({exc}); check its quotes"
        ) from None
    names = [h.strip().lower() for h in header]
    _check_columns(names, kind, "line 1", header=True)
    last = reader.line_num
    while True:
        start = last + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidValueError(
                f"line {start}: cannot read this CSV row ({exc}); check its quotes"
            ) from None
        last = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines and rows of empty cells, as spreadsheets leave at the end
        if len(record) > len(names):
            raise InvalidValueError(
                f"line {start}: the row has {len(record)} cells but the header has "
                f"{len(names)} columns"
            )
        cells = {n: (v if raw else render.unguard(v)) for n, v in zip(names, record, strict=False)}
        yield SourceRow(f"line {start}", cells)


def _record(value: Any, kind: str, where: str) -> SourceRow:
    if not isinstance(value, dict):
        raise InvalidValueError(
            f"{where}: expected an object with the {kind} columns, got {type(value).__name__}"
        )
    cells = {str(k).strip().lower(): v for k, v in value.items()}
    _check_columns(list(cells), kind, where, header=False)
    return SourceRow(where, cells)


def _read_json(source: IO[str], kind: str) -> Iterator[SourceRow]:
    try:
        data = json.load(source)
    except json.JSONDecodeError as exc:
        raise InvalidValueError(f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise InvalidValueError(
            f"a JSON import is an array of {kind} records, as `srm export {kind} -f json` "
            "writes; use -f jsonl for one record per line"
        )
    for n, value in enumerate(data, 1):
        yield _record(value, kind, f"record {n}")


def _read_jsonl(source: IO[str], kind: str) -> Iterator[SourceRow]:
    for n, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidValueError(f"line {n}: not valid JSON: {exc.msg}") from None
        yield _record(value, kind, f"line {n}")


# -- cell values ----------------------------------------------------------------------

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")


def _moment(row: SourceRow, column: str) -> datetime | None:
    """An ISO date and time; files are read literally, so `yesterday` means nothing here."""
    text = row.text(column)
    if text is None:
        return None
    cleaned = text.strip()
    problem = f"{text!r} is not a date and time; use YYYY-MM-DDTHH:MM:SS (or YYYY-MM-DD)"
    if not _ISO_MOMENT.fullmatch(cleaned):
        raise row.fail(column, InvalidValueError(problem))
    try:
        return datetime.fromisoformat(cleaned).replace(microsecond=0)
    except ValueError:
        raise row.fail(column, InvalidValueError(f"{text!r} is not a real date")) from None


def _day(row: SourceRow, column: str) -> date | None:
    text = row.text(column)
    if text is None:
        return None
    cleaned = text.strip()
    if not _ISO_DAY.fullmatch(cleaned):
        raise row.fail(column, InvalidValueError(f"{text!r} is not a date; use YYYY-MM-DD"))
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise row.fail(column, InvalidValueError(f"{text!r} is not a real date")) from None


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


def _record_id(row: SourceRow, column: str) -> int | None:
    text = row.text(column)
    if text is None:
        return None
    cleaned = text.strip().removeprefix("#")
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) < 1:
        raise row.fail(
            column, InvalidValueError(f"{text!r} is not a record number; give e.g. 12, or blank")
        )
    return int(cleaned)


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
    if rows:
        conn.execute(insert(table), rows)


def _insert_returning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert and return the new ids in the order of `rows`, on SQLite and PostgreSQL."""
    if not rows:
        return []
    if _returns_ids_in_order(conn):
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(r[0]) for r in conn.execute(stmt, rows)]
    # an older SQLite without RETURNING: one statement per row, each telling its id
    ids = []
    for row in rows:
        new_key = conn.execute(insert(table), row).inserted_primary_key
        assert new_key is not None  # a plain single-row INSERT always reports its key
        ids.append(int(new_key[0]))
    return ids


def _returns_ids_in_order(conn: Connection) -> bool:
    # PostgreSQL and SQLite >= 3.35 can batch INSERT ... RETURNING and keep row order
    return bool(conn.dialect.insert_executemany_returning_sort_by_parameter_order)


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
        if not isinstance(value, str):
            return [self.contact(row, column, supplier, n) for n in row.items(column)]
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
        return found


def _by_key(c: Contact) -> str:
    return c.name_key


@dataclass
class Pending:
    """A validated row waiting for its batch: natural key, values, and what hangs off it."""

    key: Hashable
    values: dict[str, Any]
    contact_ids: list[int] = field(default_factory=list)
    tactics: list[str] = field(default_factory=list)
    wanted_interaction: int | None = None


@dataclass
class ImportSummary:
    kind: str
    added: int = 0
    skipped: int = 0
    unlinked: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "added": self.added,
            "skipped": self.skipped,
            "unlinked": self.unlinked,
            "dry_run": self.dry_run,
        }


class _Importer:
    """How one record type is validated, matched against the journal and inserted."""

    def __init__(self, session: Session, roster: Roster) -> None:
        self.session = session
        self.roster = roster
        self.conn = session.connection()

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

    def prepare(self, row: SourceRow) -> Pending:
        kwargs: dict[str, Any] = {"name": row.text("name") or ""}
        for column in ("category", "size", "status", "access", "profit_impact", "supply_risk"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("annual_spend", "supplier_revenue", "cadence_days", "note"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("aliases", "tags"):
            if items := row.items(column):
                kwargs[column] = items
        if (created := _moment(row, "created_at")) is not None:
            kwargs["created_at"] = created
        kwargs = _in_column_order(kwargs, SUPPLIER_COLUMNS)
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
            for n in (supplier.name, *supplier.aliases):
                self.taken[key(n)] = supplier.name
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
    def prepare(self, row: SourceRow) -> Pending:
        supplier = self.roster.supplier(row)
        occurred = _required(
            row,
            "occurred_at",
            _moment(row, "occurred_at"),
            "when it happened (YYYY-MM-DDTHH:MM:SS)",
        )
        kwargs: dict[str, Any] = {
            "supplier": supplier,
            "occurred_at": occurred,
            "note": row.text("note") or "",
        }
        for column in ("channel", "initiator", "duration_min", "tone", "author"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("tags", "tactics"):
            if items := row.items(column):
                kwargs[column] = items
        if people := self.roster.contacts(row, "contacts", supplier):
            kwargs["contacts"] = people
        kwargs = _in_column_order(kwargs, INTERACTION_COLUMNS)
        draft = _build(row, build_interaction, kwargs, probes={"note": "x"})
        i: Interaction = draft.interaction
        return Pending(
            (i.supplier_id, i.occurred_at, i.channel, i.note),
            _values(i, INTERACTION_TABLE),
            contact_ids=[c.id or 0 for c in draft.contacts],
            tactics=list(draft.tactics),
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        t = INTERACTION_TABLE
        moments = {(p.values["supplier_id"], p.values["occurred_at"]) for p in batch}
        known = {
            tuple(r)
            for r in self.conn.execute(
                select(t.c.supplier_id, t.c.occurred_at, t.c.channel, t.c.note).where(
                    tuple_(t.c.supplier_id, t.c.occurred_at).in_(sorted(moments))
                )
            )
        }
        return [p for p in batch if p.key not in known]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        ids = _insert_returning_ids(self.conn, INTERACTION_TABLE, [p.values for p in batch])
        people, tactics = [], []
        for new_id, p in zip(ids, batch, strict=True):
            people += [{"interaction_id": new_id, "contact_id": c} for c in p.contact_ids]
            tactics += [{"interaction_id": new_id, "tactic": t} for t in p.tactics]
        _insert(self.conn, PEOPLE_TABLE, people)
        _insert(self.conn, TACTIC_TABLE, tactics)


class _LinkedImporter(_Importer):
    """Issues and follow-ups may point at the interaction they came from.

    An id from a file cannot be trusted across journals (ids are each journal's own), so
    it is kept only when that interaction exists here and belongs to the same supplier;
    otherwise the link is left blank and counted.
    """

    table: Table

    def link(self, batch: list[Pending], summary: ImportSummary) -> None:
        wanted = sorted({p.wanted_interaction for p in batch if p.wanted_interaction})
        owners: dict[int, int] = {}
        t = INTERACTION_TABLE
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            owners.update(
                (int(r[0]), int(r[1]))
                for r in self.conn.execute(select(t.c.id, t.c.supplier_id).where(t.c.id.in_(chunk)))
            )
        for p in batch:
            if p.wanted_interaction is None:
                continue
            if owners.get(p.wanted_interaction) == p.values["supplier_id"]:
                p.values["interaction_id"] = p.wanted_interaction
            else:
                summary.unlinked += 1

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        self.link(batch, summary)
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
        for column in ("severity", "status", "description", "resolution"):
            if (value := row.text(column)) is not None:
                kwargs[column] = value
        for column in ("escalated_at", "resolved_at"):
            if (moment := _moment(row, column)) is not None:
                kwargs[column] = moment
        if (person := row.text("escalated_to")) is not None and person.strip():
            kwargs["escalated_to"] = self.roster.contact(row, "escalated_to", supplier, person)
        linked = _record_id(row, "interaction_id")
        kwargs = _in_column_order(kwargs, ISSUE_COLUMNS)
        issue: Issue = _build(row, build_issue, kwargs, probes={"kind": "other"})
        return Pending(
            (issue.supplier_id, issue.kind, issue.opened_at, issue.description),
            _values(issue, ISSUE_TABLE),
            wanted_interaction=linked,
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        t = ISSUE_TABLE
        heads = {(p.values["supplier_id"], p.values["kind"], p.values["opened_at"]) for p in batch}
        known = {
            tuple(r)
            for r in self.conn.execute(
                select(t.c.supplier_id, t.c.kind, t.c.opened_at, t.c.description).where(
                    tuple_(t.c.supplier_id, t.c.kind, t.c.opened_at).in_(sorted(heads))
                )
            )
        }
        return [p for p in batch if p.key not in known]


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
        linked = _record_id(row, "interaction_id")
        followup: FollowUp = _build(
            row, build_followup, kwargs, probes={"text": "x", "owner": None}
        )
        return Pending(
            (followup.supplier_id, followup.owner, followup.text, followup.due),
            _values(followup, FOLLOWUP_TABLE),
            wanted_interaction=linked,
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        t = FOLLOWUP_TABLE
        heads = {(p.values["supplier_id"], p.values["owner"], p.values["due"]) for p in batch}
        known = {
            tuple(r)
            for r in self.conn.execute(
                select(t.c.supplier_id, t.c.owner, t.c.text, t.c.due).where(
                    tuple_(t.c.supplier_id, t.c.owner, t.c.due).in_(sorted(heads))
                )
            )
        }
        return [p for p in batch if p.key not in known]


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
    source: IO[str],
    fmt: str = "csv",
    dry_run: bool = False,
    raw: bool = False,
    on_batch: Callable[[int], None] | None = None,
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

    for row in read_rows(source, kind=kind, fmt=fmt, raw=raw):
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
