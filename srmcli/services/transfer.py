"""The records beyond the five of part one, out and in: sourcing projects, their
candidates, status-report lines and the history of changes (SPEC §9, "Every record
exports").

Each kind is rows of plain values (dates as dates, numbers as numbers, lists as lists),
the same for every file format, so CSV, JSON, JSON lines and a workbook sheet all write
them alike; `srmcli.services.interchange` registers them beside its own kinds. Import
checks every row by the rules the commands apply, inserts it in the caller's transaction,
and skips a record already in the journal (by its natural key), like the other kinds.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Hashable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session, SQLModel

from srmcli import dates, values
from srmcli.errors import InvalidValueError, NotFoundError, SrmError
from srmcli.fields import clean_name
from srmcli.naming import key
from srmcli.services.interchange import (
    ImportSummary,
    Pending,
    Roster,
    SourceRow,
    _Importer,
    _insert_with_ids,
)
from srmcli.services.records import (
    HISTORY_COLUMNS,
    PROJECT_COLUMNS,
)
from srmcli.vocab import ProjectStatus, Stage, parse_choice

STAGE_MARK = "@"
PARTITION = 250


Rows = Generator[dict[str, Any], None, None]


def _table(name: str) -> Any:
    return SQLModel.metadata.tables[name]


def _stream(session: Session, stmt: Any) -> Iterator[Any]:
    # yield_per: a server-side cursor on PostgreSQL, fetchmany on SQLite; flat memory
    yield from session.connection().execute(stmt.execution_options(yield_per=PARTITION))


def _supplier_names(session: Session) -> dict[int, str]:
    s = _table("supplier")
    return {int(i): n for i, n in session.connection().execute(select(s.c.id, s.c.name))}


# -- rows out ------------------------------------------------------------------------------


def project_rows(session: Session) -> Rows:
    p = _table("sourcing_project")
    stmt = select(*(p.c[c] for c in PROJECT_COLUMNS)).order_by(p.c.name_key, p.c.id)
    for row in _stream(session, stmt):
        yield dict(zip(PROJECT_COLUMNS, row, strict=True))


def stage_text(stage: str, moment: datetime) -> str:
    """One step of a stage history: `STAGE@YYYY-MM-DD`, with the time of day only when
    there is one (a move made at 14:30 stays at 14:30 in the journal it moves to)."""
    when = moment.date().isoformat() if moment.time() == time() else moment.isoformat()
    return f"{stage}{STAGE_MARK}{when}"


def candidate_rows(session: Session) -> Rows:
    c, p, st = _table("candidate"), _table("sourcing_project"), _table("candidate_stage")
    names = _supplier_names(session)
    conn = session.connection()
    steps: dict[int, list[str]] = {}
    for cid, stage, moment in conn.execute(
        select(st.c.candidate_id, st.c.stage, st.c.changed_at).order_by(
            st.c.candidate_id, st.c.changed_at, st.c.id
        )
    ):
        steps.setdefault(int(cid), []).append(stage_text(stage, moment))
    s = _table("supplier")
    stmt = (
        select(c.c.id, p.c.name, c.c.supplier_id, c.c.stage, c.c.rating, c.c.note)
        .join(p, p.c.id == c.c.project_id)
        .join(s, s.c.id == c.c.supplier_id)
        .order_by(p.c.name_key, s.c.name_key, c.c.id)
    )
    for cid, project, supplier_id, stage, rating, note in conn.execute(stmt):
        yield {
            "project": project,
            "supplier": names.get(int(supplier_id)),
            "stage": stage,
            "rating": rating,
            "note": note,
            "stage_history": steps.get(int(cid), []),
        }


def status_line_rows(session: Session) -> Rows:
    from srmcli.services.status import line_record

    line, s = _table("status_line"), _table("supplier")
    stmt = (
        select(s.c.name, line)
        .join(s, s.c.id == line.c.supplier_id)
        .order_by(s.c.name_key, line.c.report_date, line.c.id)
    )
    for row in _stream(session, stmt):
        fields = row._mapping
        record = line_record(fields)  # type: ignore[arg-type]
        yield {"supplier": fields["name"], "report_date": fields["report_date"], **record}


def history_rows(session: Session) -> Rows:
    h = _table("history")
    stmt = select(
        h.c.id, h.c.at, h.c.author, h.c.record_type, h.c.record_id, h.c.supplier_name,
        h.c.action, h.c.before, h.c.after, h.c.undoes,
    ).order_by(h.c.id)  # fmt: skip
    for row in _stream(session, stmt):
        yield dict(zip(HISTORY_COLUMNS, row, strict=True))


ROWS = {
    "projects": project_rows,
    "candidates": candidate_rows,
    "status-lines": status_line_rows,
    "history": history_rows,
}


def cell_value(kind: str, column: str, value: Any) -> Any:
    """A value as a CSV (or any text) cell holds it: history's before/after as JSON."""
    if kind == "history" and column in ("before", "after") and value is not None:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


# -- rows in -------------------------------------------------------------------------------


def _fail(row: SourceRow, column: str | None, exc: SrmError) -> SrmError:
    return row.fail(column, exc)


def _day(row: SourceRow, column: str, *, required: bool = False) -> date | None:
    text = row.text(column)
    if text is None:
        if required:
            raise _fail(row, column, InvalidValueError("empty; give a date as YYYY-MM-DD"))
        return None
    try:
        return values.day(text, column)
    except SrmError as exc:
        raise _fail(row, column, exc) from None


def _moment(row: SourceRow, column: str, *, required: bool = False) -> datetime | None:
    text = row.text(column)
    if text is None:
        if required:
            raise _fail(row, column, InvalidValueError("empty; give YYYY-MM-DDTHH:MM:SS"))
        return None
    try:
        return values.moment(text, column)
    except SrmError as exc:
        raise _fail(row, column, exc) from None


class _ProjectImporter(_Importer):
    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.conn = session.connection()
        p = _table("sourcing_project")
        self.known = {k for (k,) in self.conn.execute(select(p.c.name_key))}

    def prepare(self, row: SourceRow) -> Pending:
        try:
            name = clean_name(row.text("name") or "", "project name")
        except SrmError as exc:
            raise _fail(row, "name", exc) from None
        status = row.text("status")
        try:
            chosen = parse_choice(ProjectStatus, status, "status").value if status else "open"
        except SrmError as exc:
            raise _fail(row, "status", exc) from None
        return Pending(
            key(name),
            {
                "name": name,
                "name_key": key(name),
                "description": (row.text("description") or "").strip() or None,
                "due": _day(row, "due"),
                "status": chosen,
                "created_at": dates.now(),
                "author": self.author,
            },
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [p for p in batch if p.key not in self.known]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        if batch:
            self.conn.execute(insert(_table("sourcing_project")), [p.values for p in batch])
        self.known.update(p.key for p in batch)


class _CandidateImporter(_Importer):
    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.conn = session.connection()
        self.roster = roster
        p, c = _table("sourcing_project"), _table("candidate")
        self.projects = {
            k: (int(i), n) for i, k, n in self.conn.execute(select(p.c.id, p.c.name_key, p.c.name))
        }
        self.known = {
            (int(a), int(b)) for a, b in self.conn.execute(select(c.c.project_id, c.c.supplier_id))
        }

    def _steps(self, row: SourceRow, stage: str) -> list[tuple[str, datetime]]:
        steps: list[tuple[str, datetime]] = []
        for item in row.items("stage_history"):
            name, mark, when = item.strip().partition(STAGE_MARK)
            try:
                if not mark:
                    raise InvalidValueError(
                        f"{item.strip()!r} is not accepted; give STAGE@YYYY-MM-DD steps "
                        "joined with ';' (e.g. identified@2026-10-01;quoted@2026-11-05)"
                    )
                step = parse_choice(Stage, name, "stage").value
                moment = values.moment(when.strip(), "stage_history")
            except SrmError as exc:
                raise _fail(row, "stage_history", exc) from None
            if steps and moment < steps[-1][1]:
                raise _fail(
                    row,
                    "stage_history",
                    InvalidValueError(
                        f"{item.strip()!r} is before the step ahead of it; list the steps "
                        "oldest first"
                    ),
                )
            steps.append((step, moment))
        if not steps:
            steps = [(stage, dates.now())]
        elif steps[-1][0] != stage:
            raise _fail(
                row,
                "stage_history",
                InvalidValueError(
                    f"the last step is {steps[-1][0]}, but the stage is {stage}; the history "
                    "ends at the candidate's stage"
                ),
            )
        return steps

    def prepare(self, row: SourceRow) -> Pending:
        named = row.text("project") or ""
        found = self.projects.get(key(named))
        if found is None:
            raise _fail(
                row,
                "project",
                NotFoundError(
                    f"no sourcing project named exactly {named!r}; import projects first"
                ),
            )
        supplier = self.roster.supplier(row)
        try:
            stage = parse_choice(Stage, row.text("stage") or "", "stage").value
        except SrmError as exc:
            raise _fail(row, "stage", exc) from None
        rating_text = row.text("rating")
        try:
            rating = values.rating(rating_text) if rating_text is not None else None
        except SrmError as exc:
            raise _fail(row, "rating", exc) from None
        steps = self._steps(row, stage)
        return Pending(
            (found[0], supplier.id),
            {
                "project_id": found[0],
                "supplier_id": supplier.id,
                "stage": stage,
                "rating": rating,
                "note": (row.text("note") or "").strip() or None,
                "author": self.author,
            },
            carried=steps,
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [p for p in batch if p.key not in self.known]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        ids = _insert_with_ids(self.conn, _table("candidate"), [p.values for p in batch])
        steps = []
        for new_id, p in zip(ids, batch, strict=True):
            for stage, moment in p.carried:  # the stage steps
                steps.append(
                    {"candidate_id": new_id, "stage": stage, "changed_at": moment, "note": None}
                )
            self.known.add(p.key)  # type: ignore[arg-type]
        if steps:
            self.conn.execute(insert(_table("candidate_stage")), steps)


@dataclass
class _Report:
    id: int | None  # None: in the journal before this import (its lines are skipped)
    lines: dict[tuple[str, str], str]  # po+line -> where in the file


class _StatusLineImporter(_Importer):
    """Lines grouped into one report per supplier and report date; a report already in
    the journal is kept whole (its lines in the file are skipped), as `status import`
    never mixes two files into one report."""

    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.session = session
        self.conn = session.connection()
        self.roster = roster
        r = _table("status_report")
        self.reports: dict[tuple[int, date], _Report] = {
            (int(sid), day): _Report(None, {})
            for sid, day in self.conn.execute(select(r.c.supplier_id, r.c.report_date))
        }

    def prepare(self, row: SourceRow) -> Pending:
        from srmcli.services.status import LINE_COLUMNS, _cell_value, _validated

        supplier = self.roster.supplier(row)
        day = _day(row, "report_date", required=True)
        assert day is not None
        report = self.reports.get((supplier.id or 0, day))
        if report is None:
            if day > dates.today():
                raise _fail(
                    row,
                    "report_date",
                    InvalidValueError(f"{day} is in the future; a report is dated when sent"),
                )
            new_id = self.conn.execute(
                insert(_table("status_report")).values(
                    supplier_id=supplier.id,
                    report_date=day,
                    imported_at=dates.now(),
                    author=self.author,
                )
            ).inserted_primary_key
            assert new_id is not None
            report = self.reports[(supplier.id or 0, day)] = _Report(int(new_id[0]), {})
        cells = {c: _cell_value(row.cells.get(c)) for c in LINE_COLUMNS}
        number = int(row.where.split()[-1])
        if report.id is None:
            return Pending(None, {})  # kept whole: skipped
        line = _validated(cells, row.where, number, day, report.lines, row.conventions)
        return Pending(
            (report.id, line.po, line.line),
            {
                "report_id": report.id,
                "supplier_id": supplier.id,
                "report_date": day,
                "po": line.po,
                "line": line.line,
                "item": line.item,
                "qty_ordered": line.qty_ordered,
                "qty_received": line.qty_received,
                "promised_date": line.promised_date,
                "received_date": line.received_date,
            },
        )

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [p for p in batch if p.key is not None]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        if batch:
            self.conn.execute(insert(_table("status_line")), [p.values for p in batch])


def _change_key(
    at: datetime, record: str, number: int, action: str, before: Any, after: Any
) -> Hashable:
    """A change brought in before is known by what it says, not by its number."""

    def text(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    return (at, record, int(number), action, text(before), text(after))


class _HistoryImporter(_Importer):
    """Changes from the journal an export came from, kept as they were (their record ids
    are that journal's) and marked imported, so `srm undo` never applies them here."""

    def __init__(self, session: Session, roster: Roster) -> None:
        super().__init__(session, roster)
        self.conn = session.connection()
        self.roster = roster
        self.numbers: dict[int, int] = {}  # change number in the file -> here
        h = _table("history")
        self.known: set[Hashable] = {
            _change_key(*row)
            for row in self.conn.execute(
                select(
                    h.c.at, h.c.record_type, h.c.record_id, h.c.action, h.c.before, h.c.after
                ).where(h.c.imported_at.is_not(None))
            )
        }
        self.now = dates.now()

    def _document(self, row: SourceRow, column: str) -> Any:
        value = row.cells.get(column)
        if value is None or value == "":
            return None
        if isinstance(value, dict):
            return value
        if not isinstance(value, str):
            raise _fail(row, column, InvalidValueError("a JSON object is expected here"))
        try:
            parsed = json.loads(value)
        except ValueError:
            raise _fail(row, column, InvalidValueError("not a JSON object")) from None
        if not isinstance(parsed, dict):
            raise _fail(row, column, InvalidValueError("a JSON object is expected here"))
        return parsed

    def prepare(self, row: SourceRow) -> Pending:
        from srmcli.services.history import MODELS

        at = _moment(row, "at", required=True)
        assert at is not None
        record = (row.text("record") or "").strip()
        if record not in MODELS:
            raise _fail(
                row,
                "record",
                InvalidValueError(f"{record!r} is not accepted; give one of {', '.join(MODELS)}"),
            )
        number = self._number(row, "record_id", required=True)
        assert number is not None
        action = (row.text("action") or "").strip()
        if not action:
            raise _fail(row, "action", InvalidValueError("empty; give the change's action"))
        before, after = self._document(row, "before"), self._document(row, "after")
        if before is None and after is None:
            raise _fail(row, "before", InvalidValueError("a change has a before or an after"))
        supplier = (row.text("supplier") or "").strip() or None
        found = self.roster.by_key.get(key(supplier)) if supplier else None
        return Pending(
            _change_key(at, record, number, action, before, after),
            {
                "at": at,
                "author": row.text("author"),
                "record_type": record,
                "record_id": number,
                "supplier_id": found.id if found is not None else None,
                "supplier_name": supplier,
                "action": action,
                "before": before,
                "after": after,
                "imported_at": self.now,
            },
            carried=(self._number(row, "change"), self._number(row, "undoes")),
        )

    @staticmethod
    def _number(row: SourceRow, column: str, *, required: bool = False) -> int | None:
        text = row.text(column)
        if text is None:
            if required:
                raise _fail(row, column, InvalidValueError("empty; give the number"))
            return None
        try:
            return values.record_id(text, column)
        except SrmError as exc:
            raise _fail(row, column, exc) from None

    def fresh(self, batch: list[Pending]) -> list[Pending]:
        return [p for p in batch if p.key not in self.known]

    def insert(self, batch: list[Pending], summary: ImportSummary) -> None:
        table = _table("history")
        for p in batch:  # one by one: a change may undo one just before it
            change, undoes = p.carried
            p.values["undoes"] = self.numbers.get(undoes) if undoes is not None else None
            new = self.conn.execute(insert(table).values(**p.values)).inserted_primary_key
            assert new is not None
            if change is not None:
                self.numbers[change] = int(new[0])
            self.known.add(p.key)


IMPORTERS: dict[str, Any] = {
    "projects": _ProjectImporter,
    "candidates": _CandidateImporter,
    "status-lines": _StatusLineImporter,
    "history": _HistoryImporter,
}


# -- a whole journal: export all, import all ------------------------------------------------

EXTENSIONS = {"csv": ".csv", "json": ".json", "jsonl": ".jsonl"}


def file_name(kind: str, fmt: str) -> str:
    """The file of one kind in an `export all` folder: `status-lines.csv`."""
    return f"{kind}{EXTENSIONS[fmt]}"


def export_all(
    *, session: Session, folder: Path, fmt: str = "csv", guard: bool = True, bom: bool = False
) -> dict[str, int]:
    """Every kind into `folder`, one file each, in dependency order; how many rows each.

    The caller hands over a folder that becomes the output only once every file is
    written (`files.filling_folder`). A workbook of all kinds (a sheet each) is the same
    loop over `interchange.export_rows`, which gives every kind as plain rows.
    """
    from srmcli import files
    from srmcli.services import interchange

    fmt = interchange.parse_format(fmt)
    counts: dict[str, int] = {}
    if fmt == "xlsx":
        raise InvalidValueError("a workbook of every kind is one file: export_workbook")
    for kind in interchange.KINDS:
        with files.writing(folder / file_name(kind, fmt)) as fh:
            if bom:  # each CSV opens in a spreadsheet with its accents right
                fh.write("\ufeff")
            counts[kind] = interchange.export(
                session=session, kind=kind, out=fh, fmt=fmt, guard=guard
            )
    return counts


def export_workbook(*, session: Session, path: str) -> dict[str, int]:
    """Every kind into one workbook at `path`, a sheet each (named after the kind) in
    dependency order; how many rows each. Written whole or not at all (`files.writing`)."""
    from srmcli import files
    from srmcli.services import interchange
    from srmcli.writers.xlsx import Book

    counts: dict[str, int] = {}
    with files.writing(path, binary=True) as fh:
        book = Book(fh)
        for kind in interchange.KINDS:
            counts[kind] = interchange.export_sheet(book, session=session, kind=kind)
        book.close()
    return counts


def sheets_of(path: str) -> list[str]:
    """The kinds of an `export all` workbook, in dependency order. A sheet that is no
    kind of record is refused (which kind would it be?); a kind may be left out."""
    import python_calamine

    from srmcli.services import interchange

    try:
        names = list(python_calamine.CalamineWorkbook.from_path(path).sheet_names)
    except (python_calamine.CalamineError, OSError) as exc:
        raise InvalidValueError(f"{path}: the workbook cannot be read ({exc})") from None
    unknown = [n for n in names if n not in interchange.KINDS]
    if unknown:
        raise InvalidValueError(
            f"{path}: the sheet {unknown[0]!r} is no kind of record; an `export all` "
            f"workbook has sheets named {', '.join(interchange.KINDS)}"
        )
    return [kind for kind in interchange.KINDS if kind in names]


def files_of(folder: str) -> list[tuple[str, Path]]:
    """The files of an `export all` folder, (kind, path) in dependency order; a kind may
    be left out, but two files of one kind are refused (which one would be meant?)."""
    from srmcli.services import interchange

    place = Path(folder).expanduser()
    if not place.is_dir():
        problem = "does not exist" if not place.exists() else "is not a folder"
        raise InvalidValueError(
            f"{place} {problem}; give the folder `srm export all -o FOLDER` wrote"
        )
    found: list[tuple[str, Path]] = []
    for kind in interchange.KINDS:
        matches = [
            place / file_name(kind, f) for f in EXTENSIONS if (place / file_name(kind, f)).is_file()
        ]
        if len(matches) > 1:
            raise InvalidValueError(
                f"{place} holds {' and '.join(m.name for m in matches)}; keep one file per kind"
            )
        if matches:
            found.append((kind, matches[0]))
    if not found:
        expected = ", ".join(file_name(k, "csv") for k in interchange.KINDS)
        raise InvalidValueError(
            f"{place} holds no export: `srm export all` writes {expected} (or .json, .jsonl)"
        )
    return found


def _check_workbook(path: Path) -> None:
    """A file given to `import all` is the workbook `export all` wrote: a CSV or JSON file
    (one kind's export) is named for what it is before any reader tries it as a workbook."""
    from srmcli import readers

    with readers.open_source(str(path)) as source:
        try:
            fmt = source.detect_format()
        except SrmError as exc:
            raise type(exc)(f"{path}: {exc}") from None
    if path.stat().st_size == 0:
        raise InvalidValueError(
            f"{path} is empty; import all reads the folder or the .xlsx "
            "workbook that `srm export all -o` wrote"
        )
    if fmt not in ("xlsx", "ods"):
        raise InvalidValueError(
            f"{path} is {fmt.upper()}, not a workbook; import all reads the folder "
            "or the .xlsx workbook that `srm export all -o` wrote"
        )


def import_all(
    *, session: Session, folder: str, dry_run: bool = False, raw: bool = False
) -> list[dict[str, Any]]:
    """Every file of an `export all` folder, in dependency order, in the caller's one
    transaction: the first bad row of any file stops it all (`FILE: line N: …`) and
    nothing is written. `dry_run` does it all inside a savepoint rolled back at the end
    (each kind needs the ones before it in the journal to be checked)."""
    from srmcli import readers
    from srmcli.services import interchange

    place = Path(folder).expanduser()
    workbook = place.is_file()
    if workbook:
        _check_workbook(place)
        found = [(kind, place) for kind in sheets_of(str(place))]
    else:
        found = files_of(folder)
    savepoint = session.begin_nested() if dry_run else None
    summaries: list[dict[str, Any]] = []
    for kind, path in found:
        with readers.open_source(str(path), sheet=kind if workbook else None) as source:
            fmt = source.detect_format()
            try:
                summary = interchange.import_records(
                    session=session,
                    kind=kind,
                    source=source if workbook else source.text,
                    fmt=fmt,
                    raw=raw,
                )
            except SrmError as exc:
                # a workbook's messages name the sheet and row themselves
                raise type(exc)(f"{path.name}: {exc}") from None
        summary["dry_run"] = dry_run
        summary["file"] = f"{path.name}, sheet {kind}" if workbook else path.name
        summaries.append(summary)
    if savepoint is not None:
        savepoint.rollback()
    return summaries
