"""Weekly status reports: dated snapshots of a supplier's open PO lines, reconciled.

Each import is kept whole (one `StatusReport` per supplier and report date), so any past
week can be reconciled again and on-time delivery can be measured as of any date. The
reconciliation compares a report with the supplier's previous one: promised dates that
moved later (slipped), lines past their promised date and not fully received (late), and
lines that arrived after their promised date (received late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, insert
from sqlmodel import Session, SQLModel, col, select

from srmcli import config, dates, scoring, values
from srmcli.drafts import recorded_by
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError
from srmcli.models import Issue, StatusLine, StatusReport, Supplier
from srmcli.readers import Table, rows_from_file
from srmcli.render import format_number, unguard
from srmcli.services import history, status_headers
from srmcli.services.issues import build_issue
from srmcli.services.records import issue_record
from srmcli.services.status_headers import HeaderMatcher, header_text
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import IssueKind, IssueStatus

if TYPE_CHECKING:
    from srmcli.readers import Source

LINE_COLUMNS = (
    "po", "line", "item", "qty_ordered", "qty_received", "promised_date", "received_date",
)  # fmt: skip
"""The CSV columns of a status report file, and the keys of a line record."""

RECONCILED_COLUMNS = (
    *LINE_COLUMNS, "previous_promised_date", "days_slipped", "days_late", "days_received_late",
)  # fmt: skip
"""`status show -f csv`: one row per line, the reconciliation flattened beside it."""

STATUS_LINE_TABLE = SQLModel.metadata.tables["status_line"]

LATE_ISSUE_MARKER = "PO {po} line {line} late:"
"""How a late-delivery issue opened by `--open-issues` begins; while an unresolved issue
of the supplier starts with it, that po+line gets no second issue."""


def on_time_delivery(
    *,
    session: Session,
    supplier_id: int,
    as_of: date,
    year_days: int = 365,
    known_by: date | None = None,
) -> float | None:
    """Quantity received by the promised date ÷ quantity due in (T − Y, T] (SPEC §5, §9),
    against each line's current promise (`delivery_rates` explains the rule)."""
    return delivery_rates(
        session=session, supplier_id=supplier_id, as_of=as_of, year_days=year_days,
        known_by=known_by,
    )[0]  # fmt: skip


def on_time_delivery_first_promise(
    *,
    session: Session,
    supplier_id: int,
    as_of: date,
    year_days: int = 365,
    known_by: date | None = None,
) -> float | None:
    """On-time delivery as `on_time_delivery`, against each line's first promise."""
    return _delivery_rate(session, supplier_id, as_of, year_days, known_by or as_of, first=True)


def delivery_rates(
    *,
    session: Session,
    supplier_id: int,
    as_of: date,
    year_days: int = 365,
    known_by: date | None = None,
) -> tuple[float | None, float | None]:
    """On-time delivery as of T against the current promise and against the first one.

    Each PO line is taken in its latest known state as of T: the newest report dated on
    or before T that holds that po+line (a line drops out of reports once it is closed,
    so its last appearance is its final word). Its first promise is the promised date of
    the earliest report it appears in. Against a promise P, a line is due when
    0 ≤ T − P < Y and counts its latest qty_ordered as due; what arrived by P counts as
    on time, capped at qty_ordered:

    - all it received, when its latest receipt is on or before P;
    - else the most an earlier report showed received by P (a receipt dated on or before
      P, and less than the latest total: the rest came after P) — a line partly
      received by its promise earns the part that was in time;
    - else nothing.

    Each rate is None when nothing fell due, so a supplier without status reports is not
    scored as unreliable.

    `known_by` (default T) reads the lines as the reports up to that day left them: a
    month of a scorecard is judged on every report up to the scorecard's end, so a
    receipt on the month's last day, reported the week after, counts as on time.
    """
    return (
        _delivery_rate(session, supplier_id, as_of, year_days, known_by or as_of, first=False),
        _delivery_rate(session, supplier_id, as_of, year_days, known_by or as_of, first=True),
    )


def _delivery_rate(
    session: Session, supplier_id: int, as_of: date, year_days: int, known_by: date, *,
    first: bool,
) -> float | None:  # fmt: skip
    snapshots = STATUS_LINE_TABLE
    known = (
        select(
            snapshots.c.po,
            snapshots.c.line,
            func.max(snapshots.c.report_date).label("last"),
            func.min(snapshots.c.report_date).label("first"),
        )
        .where(snapshots.c.supplier_id == supplier_id, snapshots.c.report_date <= known_by)
        .group_by(snapshots.c.po, snapshots.c.line)
        .subquery()
    )
    latest = snapshots.alias("latest")
    opening = snapshots.alias("opening")
    earlier = snapshots.alias("earlier")

    def same_line(row: Any) -> Any:
        return and_(
            row.c.supplier_id == supplier_id,
            row.c.po == known.c.po,
            row.c.line == known.c.line,
        )

    promise = opening.c.promised_date if first else latest.c.promised_date
    capped = case(
        (latest.c.qty_received < latest.c.qty_ordered, latest.c.qty_received),
        else_=latest.c.qty_ordered,
    )
    in_time_before = (
        select(func.max(earlier.c.qty_received))
        .where(
            same_line(earlier),
            earlier.c.report_date <= known_by,
            earlier.c.received_date <= promise,
            earlier.c.qty_received < latest.c.qty_received,
        )
        .scalar_subquery()
    )
    partly = func.coalesce(in_time_before, 0)
    kept = case(
        (latest.c.received_date <= promise, capped),
        (partly < latest.c.qty_ordered, partly),
        else_=latest.c.qty_ordered,
    )
    first_day = as_of - timedelta(days=year_days - 1)
    query = (
        select(func.sum(latest.c.qty_ordered), func.sum(kept))
        .select_from(known)
        .join(latest, and_(same_line(latest), latest.c.report_date == known.c.last))
    )
    if first:
        starts = and_(same_line(opening), opening.c.report_date == known.c.first)
        query = query.join(opening, starts)
    due, on_time = (
        session.connection().execute(query.where(promise >= first_day, promise <= as_of)).one()
    )
    if not due:
        return None
    return scoring.round_half_up(float(on_time or 0) / float(due) * 10_000) / 10_000


# -- reading a report file -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportedLine:
    """One validated row of a status report file; `row` is its line (or sheet row)
    number in the file."""

    row: int
    po: str
    line: str
    item: str | None
    qty_ordered: float
    qty_received: float
    promised_date: date
    received_date: date | None


def _problem(where: str, column: str, text: str) -> InvalidValueError:
    return InvalidValueError(f"{where}: {column}: {text}")


def _number_text(value: float) -> str:
    return f"{value:g}"


Cells = dict[str, Any]  # text, or what a workbook typed: a number, a date


def _quantity(cells: Cells, column: str, where: str, rules: values.Conventions) -> float:
    raw = cells[column]
    if values.blank(raw):
        raise _problem(where, column, "empty; give a quantity, 0 or more (e.g. 250)")
    try:
        return float(rules.amount(raw, column, lo=0, accepted="a quantity, 0 or more (e.g. 250)"))
    except InvalidValueError as exc:
        raise _problem(where, column, str(exc)) from None


def _day(
    cells: Cells, column: str, where: str, rules: values.Conventions, *, required: bool
) -> date | None:
    raw = cells[column]
    if values.blank(raw):
        if required:
            raise _problem(where, column, f"empty; give {values.DAY_FORMS}")
        return None
    try:
        return rules.day(raw, column)
    except InvalidValueError as exc:
        raise _problem(where, column, str(exc)) from None


def _text(cells: Cells, column: str, where: str, *, required: bool) -> str | None:
    value = unguard(" ".join(_cell_text(cells[column]).split()))
    if not value:
        if required:
            raise _problem(where, column, "empty; every line needs its PO number and line number")
        return None
    return value


def parse_status_rows(
    table: Table,
    *,
    report_date: date,
    conventions: values.Conventions | None = None,
    matcher: HeaderMatcher | None = None,
) -> list[ReportedLine]:
    """Validate a whole status report (read by `read_status_file`) before anything is
    written.

    The header names the columns in the supplier's own words (`status_headers`; any
    order; extra columns are ignored). The first problem stops the import with
    `line N: column: problem` (`sheet S, row N` in a workbook), N counting the file's
    lines from 1, so the buyer can fix the file and import it again. Numbers and dates
    written as text are read by `conventions` (--decimal, --date-format); a workbook's
    typed cells are taken as they are.
    """
    rules = conventions or values.Conventions()
    matcher = matcher or HeaderMatcher()
    headers = table.header
    assigned: dict[str, str] | None = None
    if headers is not None:
        if not any(str(h).strip() for h in headers):
            refusal = matcher.no_header()
            if table.header_where.startswith("sheet "):  # which sheet was searched
                sheet = table.header_where.split(",")[0]
                raise InvalidValueError(f"{sheet}: {refusal}") from None
            raise refusal
        assigned = matcher.assign(headers, f"{table.header_where}: header")
    by_keys: dict[tuple[str, ...], dict[str, str]] = {}
    parsed: list[ReportedLine] = []
    seen: dict[tuple[str, str], str] = {}
    for row in table.rows:
        names = assigned
        if names is None:  # JSON records name their own fields
            keys = tuple(row.cells)
            names = by_keys.get(keys)
            if names is None:
                names = by_keys[keys] = matcher.assign(list(keys), row.where)
        number = int(row.where.split()[-1])
        cells = {column: _cell_value(row.cells.get(names[column])) for column in LINE_COLUMNS}
        parsed.append(_validated(cells, row.where, number, report_date, seen, rules))
    if not parsed:
        raise InvalidValueError(
            f"line {matcher.rows_read + 1}: the file has a header but no PO lines; a status "
            "report lists the supplier's open purchase-order lines"
        )
    return parsed


def read_status_file(
    source: Source | IO[str], fmt: str, matcher: HeaderMatcher | None = None
) -> Table:
    """A status report file as rows keyed by its headers as written; the header row is
    the first that names four or more columns (title and blank rows above it skipped)."""
    return rows_from_file(
        source,
        fmt,
        header_key=header_text,
        what="status report lines",
        header_row=(matcher or HeaderMatcher()).is_header,
    )


def _cell_value(value: object) -> object:
    """A cell as the validation reads it: text stripped, a number or a date as typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def _cell_text(value: object) -> str:
    """A cell of a text column (PO, line, item): a typed number as its digits, a date
    as ISO text."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _validated(
    cells: Cells,
    where: str,
    row: int,
    report_date: date,
    seen: dict[tuple[str, str], str],
    rules: values.Conventions,
) -> ReportedLine:
    po = _text(cells, "po", where, required=True)
    line = _text(cells, "line", where, required=True)
    assert po is not None and line is not None
    if (po, line) in seen:
        raise _problem(
            where, "line", f"PO {po} line {line} is already on {seen[(po, line)]} of the file"
        )
    seen[(po, line)] = where
    ordered = _quantity(cells, "qty_ordered", where, rules)
    if ordered == 0:
        raise _problem(
            where, "qty_ordered", "0 is not an order; give the quantity ordered, above 0"
        )
    received = _quantity(cells, "qty_received", where, rules)
    promised = _day(cells, "promised_date", where, rules, required=True)
    assert promised is not None
    received_on = _day(cells, "received_date", where, rules, required=False)
    if received > 0 and received_on is None:
        raise _problem(
            where,
            "received_date",
            f"empty, but qty_received is {_number_text(received)}; give the date of the "
            "(latest) receipt as YYYY-MM-DD",
        )
    if received == 0 and received_on is not None:
        raise _problem(
            where,
            "received_date",
            f"{received_on} is given but qty_received is 0; clear the date or give the quantity",
        )
    if received_on is not None and received_on > report_date:
        raise _problem(
            where,
            "received_date",
            f"{received_on} is after the report date {report_date}; a report cannot "
            "record a receipt that has not happened yet",
        )
    return ReportedLine(
        row=row,
        po=po,
        line=line,
        item=_text(cells, "item", where, required=False),
        qty_ordered=ordered,
        qty_received=received,
        promised_date=promised,
        received_date=received_on,
    )


# -- storing and reconciling -----------------------------------------------------------


def _quantity_value(value: float) -> int | float:
    """Whole quantities print as 10, not 10.0: what the supplier's file said."""
    return int(value) if float(value).is_integer() else float(value)


def line_record(line: StatusLine) -> dict[str, Any]:
    return {
        "po": line.po,
        "line": line.line,
        "item": line.item,
        "qty_ordered": _quantity_value(line.qty_ordered),
        "qty_received": _quantity_value(line.qty_received),
        "promised_date": line.promised_date,
        "received_date": line.received_date,
    }


def _check_report_date(report_date: date) -> None:
    today = dates.today()
    if report_date > today:
        raise InvalidValueError(
            f"report date {report_date} is in the future; give the day the supplier sent "
            f"it (today {today} or earlier)"
        )


def _store_report(
    session: Session,
    supplier: Supplier,
    report_date: date,
    lines: Sequence[ReportedLine],
    *,
    replace: bool,
    author: str | None,
) -> StatusReport:
    existing = session.exec(
        select(StatusReport).where(
            StatusReport.supplier_id == supplier.id, StatusReport.report_date == report_date
        )
    ).first()
    if existing is not None:
        if not replace:
            held = session.exec(
                select(func.count())
                .select_from(StatusLine)
                .where(StatusLine.report_id == existing.id)
            ).one()
            raise ConflictError(
                f"{supplier.name} already has a status report dated {report_date} ({held} "
                f"lines, imported {dates.iso(existing.imported_at)}); nothing was imported. "
                "Use --replace to replace it, or --date for another day"
            )
        # SQLite hands a freed highest id to the next insert; the replacement taking the
        # replaced report's number would make `srm undo` of the replace impossible forever
        fresh_id = None
        if session.get_bind().dialect.name == "sqlite":
            fresh_id = (session.exec(select(func.max(StatusReport.id))).one() or 0) + 1
        # the replaced report is kept whole in the history, for `srm undo`
        history.remove(session, "status_report", existing, action="replace", supplier=supplier)
    else:
        fresh_id = None
    report = StatusReport(
        id=fresh_id,
        supplier_id=supplier.id or 0,
        report_date=report_date,
        imported_at=dates.now(),
        author=author,
    )
    session.add(report)
    session.flush()
    session.execute(
        insert(StatusLine),
        [
            {
                "report_id": report.id,
                "supplier_id": supplier.id,
                "report_date": report_date,
                "po": item.po,
                "line": item.line,
                "item": item.item,
                "qty_ordered": item.qty_ordered,
                "qty_received": item.qty_received,
                "promised_date": item.promised_date,
                "received_date": item.received_date,
            }
            for item in lines
        ],
    )
    return report


def _year_days() -> int:
    return int(config.load()["year_days"])


def reconcile(*, session: Session, supplier: Supplier, report: StatusReport) -> dict[str, Any]:
    """A report compared with the supplier's previous one (SPEC §7 `status show` shape).

    slipped: promised_date later than in the previous report for the same po+line (a line
    new this week has nothing to slip from); late: promised_date before the report date and
    less received than ordered, `days_late` counted to the report date; received_late:
    received_date after promised_date, `days_late` counted to the receipt.
    """
    lines = list(
        session.exec(
            select(StatusLine).where(StatusLine.report_id == report.id).order_by(col(StatusLine.id))
        ).all()
    )
    previous = session.exec(
        select(StatusReport)
        .where(
            StatusReport.supplier_id == supplier.id,
            col(StatusReport.report_date) < report.report_date,
        )
        .order_by(col(StatusReport.report_date).desc())
        .limit(1)
    ).first()
    before: dict[tuple[str, str], date | None] = {}
    if previous is not None:
        before = {
            (po, ln): promised
            for po, ln, promised in session.exec(
                select(StatusLine.po, StatusLine.line, col(StatusLine.promised_date)).where(
                    StatusLine.report_id == previous.id
                )
            ).all()
        }
    slipped: list[dict[str, Any]] = []
    late: list[dict[str, Any]] = []
    received_late: list[dict[str, Any]] = []
    for line in lines:
        record = line_record(line)
        promised = line.promised_date
        if promised is None:
            continue
        earlier = before.get((line.po, line.line))
        if earlier is not None and promised > earlier:
            slipped.append(
                {
                    **record,
                    "previous_promised_date": earlier,
                    "days_slipped": (promised - earlier).days,
                }
            )
        if promised < report.report_date and line.qty_received < line.qty_ordered:
            late.append({**record, "days_late": (report.report_date - promised).days})
        if line.received_date is not None and line.received_date > promised:
            received_late.append({**record, "days_late": (line.received_date - promised).days})
    current, first = delivery_rates(
        session=session,
        supplier_id=supplier.id or 0,
        as_of=report.report_date,
        year_days=_year_days(),
    )
    return {
        "supplier": supplier.name,
        "report_date": report.report_date,
        "on_time_delivery": current,
        "on_time_delivery_first_promise": first,
        "lines": [line_record(line) for line in lines],
        "slipped": slipped,
        "late": late,
        "received_late": received_late,
        "previous_report_date": previous.report_date if previous is not None else None,
    }


def reconciliation_rows(reconciliation: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per line with its slip and lateness beside it, for CSV and tables."""
    slips = {(r["po"], r["line"]): r for r in reconciliation["slipped"]}
    lates = {(r["po"], r["line"]): r for r in reconciliation["late"]}
    arrivals = {(r["po"], r["line"]): r for r in reconciliation["received_late"]}
    rows = []
    for record in reconciliation["lines"]:
        key = (record["po"], record["line"])
        slip = slips.get(key)
        rows.append(
            {
                **record,
                "previous_promised_date": slip["previous_promised_date"] if slip else None,
                "days_slipped": slip["days_slipped"] if slip else None,
                "days_late": lates[key]["days_late"] if key in lates else None,
                "days_received_late": arrivals[key]["days_late"] if key in arrivals else None,
            }
        )
    return rows


def _late_description(entry: dict[str, Any], report_date: date) -> str:
    marker = LATE_ISSUE_MARKER.format(po=entry["po"], line=entry["line"])
    item = f"{entry['item']}; " if entry["item"] else ""
    return (
        f"{marker} promised {entry['promised_date']}, {entry['qty_received']} of "
        f"{entry['qty_ordered']} received ({item}status report {report_date})"
    )


def _open_late_issues(
    session: Session,
    supplier: Supplier,
    report_date: date,
    late: Sequence[dict[str, Any]],
    author: str | None,
) -> list[dict[str, Any]]:
    """A late-delivery issue per late line that no unresolved issue already covers."""
    if not late:
        return []
    covering = [
        description or ""
        for description in session.exec(
            select(Issue.description).where(
                Issue.supplier_id == supplier.id,
                Issue.kind == IssueKind.late_delivery.value,
                Issue.status != IssueStatus.resolved.value,
            )
        ).all()
    ]
    opened: list[dict[str, Any]] = []
    for entry in late:
        marker = LATE_ISSUE_MARKER.format(po=entry["po"], line=entry["line"])
        if any(text.startswith(marker) for text in covering):
            continue
        issue = build_issue(
            supplier=supplier,
            kind=IssueKind.late_delivery.value,
            opened_at=datetime.combine(report_date, time()),
            description=_late_description(entry, report_date),
            author=author,
        )
        session.add(issue)
        session.flush()
        covering.append(issue.description or "")
        opened.append(issue_record(issue, supplier.name, None))
    return opened


def import_status_report(
    *,
    session: Session,
    supplier: str,
    table: Table,
    report_date: date | None = None,
    open_issues: bool = False,
    replace: bool = False,
    author: str | None = None,
    conventions: values.Conventions | None = None,
    matcher: HeaderMatcher | None = None,
) -> dict[str, Any]:
    """Validate a whole report file, keep it as a dated snapshot and reconcile it.

    Returns the reconciliation plus `opened_issues` (issue records; empty unless
    `open_issues`). One report per supplier and day: a second one for the same day is
    refused unless `replace`, so re-running an import never doubles the lines. The
    report and the issues it opens are recorded by `author` (default: whoever is writing).
    `matcher` (the one the file was read with) knows the supplier's headers; those it was
    given by `--map` are remembered for the supplier once the report is in.
    """
    s = find_supplier(session=session, name=supplier)
    day = report_date or dates.today()
    _check_report_date(day)
    matcher = matcher or HeaderMatcher()
    parsed = parse_status_rows(table, report_date=day, conventions=conventions, matcher=matcher)
    writer = recorded_by(author)
    report = _store_report(session, s, day, parsed, replace=replace, author=writer)
    status_headers.remember(session=session, supplier=s, mapped=matcher.given)
    result = reconcile(session=session, supplier=s, report=report)
    result["opened_issues"] = (
        _open_late_issues(session, s, day, result["late"], writer) if open_issues else []
    )
    return result


def _report_as_of(session: Session, supplier_id: int, as_of: date | None) -> StatusReport | None:
    query = select(StatusReport).where(StatusReport.supplier_id == supplier_id)
    if as_of is not None:
        query = query.where(col(StatusReport.report_date) <= as_of)
    return session.exec(query.order_by(col(StatusReport.report_date).desc()).limit(1)).first()


def show_status(*, session: Session, supplier: str, as_of: date | None = None) -> dict[str, Any]:
    """The reconciliation of the newest report, or of the newest one on or before `as_of`."""
    s = find_supplier(session=session, name=supplier)
    report = _report_as_of(session, s.id or 0, as_of)
    if report is None:
        first = session.exec(
            select(func.min(StatusReport.report_date)).where(StatusReport.supplier_id == s.id)
        ).one()
        if first is None:
            raise NotFoundError(
                f"{s.name} has no status reports yet; import one with "
                f"`srm status import {s.name!r} FILE`"
            )
        raise NotFoundError(
            f"{s.name} has no status report on or before {as_of}; the first is dated {first}"
        )
    return reconcile(session=session, supplier=s, report=report)


# -- for the negotiation brief ---------------------------------------------------------


def _line_name(entry: dict[str, Any]) -> str:
    item = f" ({entry['item']})" if entry["item"] else ""
    return f"PO {entry['po']} line {entry['line']}{item}"


def status_talking_points(
    *, session: Session, supplier_id: int, as_of: date, named: Sequence[str] = ()
) -> list[str]:
    """Late and slipped PO lines of the newest status report on or before T, as sentences.

    `named`: descriptions of open issues the brief already raises; a late line one of them
    is about (it starts with the line's `LATE_ISSUE_MARKER`) is left to that issue's point,
    so the brief names it once."""
    report = _report_as_of(session, supplier_id, as_of)
    supplier = session.get(Supplier, supplier_id)
    if report is None or supplier is None:
        return []
    found = reconcile(session=session, supplier=supplier, report=report)
    where = f"the {report.report_date} status report"
    points: list[str] = []
    late = sorted(
        (
            e
            for e in found["late"]
            if not any(
                text.startswith(LATE_ISSUE_MARKER.format(po=e["po"], line=e["line"]))
                for text in named
            )
        ),
        key=lambda e: (-e["days_late"], e["po"], e["line"]),
    )
    if len(late) == 1:
        e = late[0]
        points.append(
            f"{_line_name(e)} is {e['days_late']} days late in {where}: {e['qty_received']} "
            f"of {e['qty_ordered']} received, promised {e['promised_date']}; raise it before "
            "any price talk."
        )
    elif late:
        e = late[0]
        points.append(
            f"{len(late)} PO lines are late in {where} (worst: {_line_name(e)}, "
            f"{e['days_late']} days past {e['promised_date']}); raise them before any price "
            "talk."
        )
    slipped = sorted(found["slipped"], key=lambda e: (-e["days_slipped"], e["po"], e["line"]))
    if len(slipped) == 1:
        e = slipped[0]
        points.append(
            f"{_line_name(e)} slipped {e['days_slipped']} days to {e['promised_date']} "
            f"(was {e['previous_promised_date']}) in {where}; ask why and get a firm date."
        )
    elif slipped:
        e = slipped[0]
        points.append(
            f"{len(slipped)} PO lines slipped in {where} (largest: {_line_name(e)}, "
            f"{e['days_slipped']} days to {e['promised_date']}); ask why and get firm dates."
        )
    return points


REPORT_COLUMNS = ("id", "supplier", "report_date", "lines", "imported_at", "author")


def _report_record(report: StatusReport, supplier_name: str, lines: int) -> dict[str, Any]:
    return {
        "id": report.id,
        "supplier": supplier_name,
        "report_date": report.report_date,
        "lines": lines,
        "imported_at": report.imported_at,
        "author": report.author,
    }


def list_reports(*, session: Session, supplier: str) -> list[dict[str, Any]]:
    """A supplier's status reports, newest first, with how many lines each holds."""
    s = find_supplier(session=session, name=supplier)
    counts = (
        select(StatusLine.report_id, func.count().label("n"))
        .where(StatusLine.supplier_id == s.id)
        .group_by(col(StatusLine.report_id))
        .subquery()
    )
    rows = session.exec(
        select(StatusReport, counts.c.n)
        .outerjoin(counts, counts.c.report_id == StatusReport.id)
        .where(StatusReport.supplier_id == s.id)
        .order_by(col(StatusReport.report_date).desc())
    ).all()
    return [_report_record(r, s.name, int(n or 0)) for r, n in rows]


def remove_report(*, session: Session, supplier: str, report_date: date) -> dict[str, Any]:
    """Remove the supplier's status report of that day (imported by mistake); it is kept
    whole in the history, lines and all, for `srm undo`."""
    s = find_supplier(session=session, name=supplier)
    report = session.exec(
        select(StatusReport).where(
            StatusReport.supplier_id == s.id, StatusReport.report_date == report_date
        )
    ).first()
    if report is None:
        held = [
            r["report_date"].isoformat() for r in list_reports(session=session, supplier=s.name)
        ]
        there = f"; its reports: {', '.join(held[:8])}" if held else "; it has none"
        raise NotFoundError(f"{s.name} has no status report dated {report_date}{there}")
    kept = history.remove(session, "status_report", report, supplier=s)
    return _report_record(report, s.name, len(kept["lines"]))
