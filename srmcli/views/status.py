"""A supplier's weekly status report reconciled with the previous one: what slipped, what
is late, what arrived late, and the on-time delivery rate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import CellValue, Column, Grid, Line, Section, View

LINE_TABLE = (
    Column("po"),
    Column("line", right=True),
    Column("item", kind="text"),
    Column("received", right=True),
    Column("promised"),
    Column("reconciled", kind="text"),
)


def _counts(result: Mapping[str, Any]) -> str:
    return (
        f"{len(result['slipped'])} slipped, {len(result['late'])} late, "
        f"{len(result['received_late'])} arrived late"
    )


def _line_cells(row: Mapping[str, Any]) -> list[CellValue]:
    notes = []
    if row["days_late"] is not None:
        notes.append(f"late {row['days_late']} d")
    if row["days_slipped"] is not None:
        was = wording.day(row["previous_promised_date"])
        notes.append(f"slipped {row['days_slipped']} d (was {was})")
    if row["days_received_late"] is not None:
        notes.append(f"arrived {row['days_received_late']} d late")
    if not notes:
        notes.append("received" if row["qty_received"] >= row["qty_ordered"] else "open")
    received = f"{wording.number(row['qty_received'])} of {wording.number(row['qty_ordered'])}"
    return [
        row["po"],
        row["line"],
        wording.cell(row["item"]),
        received,
        wording.day(row["promised_date"]),
        "; ".join(notes),
    ]


def _rate(value: float | None) -> str:
    return "no data" if value is None else wording.percent(value)


def reconciliation(result: Mapping[str, Any], columns: Sequence[str]) -> View:
    """`status show` (and `status import -f json|csv`): the result as data, one CSV row
    per line with its reconciliation beside it, and for people a heading and the lines."""
    from srmcli.services.status import reconciliation_rows

    rows = reconciliation_rows(dict(result))
    previous = result["previous_report_date"]
    since = f"compared with {wording.day(previous)}" if previous else "the first one on file"
    on_time = _rate(result["on_time_delivery"])
    first = _rate(result["on_time_delivery_first_promise"])
    sections: list[Section] = [
        Line(
            f"{result['supplier']}: status report {wording.day(result['report_date'])}, {since}",
            "strong",
        ),
        Line(
            f"On-time delivery (past year): {on_time}; against the first promise: {first}; "
            f"{_counts(result)}"
        ),
        Grid(columns=LINE_TABLE, rows=[_line_cells(r) for r in rows]),
    ]
    return View(
        title=f"Status report of {result['supplier']}",
        sections=sections,
        data=result,
        columns=columns,
        csv_rows=rows,
        name="status",
    )


def imported(result: Mapping[str, Any], *, open_issues: bool) -> str:
    """The one-line confirmation of `status import`."""
    lines = wording.plural(len(result["lines"]), "line")
    issues = ""
    opened = result["opened_issues"]
    if open_issues and opened:
        ids = ", ".join(f"#{i['id']}" for i in opened)
        issues = f"; opened {wording.plural(len(opened), 'late-delivery issue')} ({ids})"
    return (
        f"Imported the {wording.day(result['report_date'])} status report of "
        f"{result['supplier']} ({lines}): {_counts(result)}{issues}. "
        f"See: srm status show {result['supplier']!r}"
    )


HEADER_MAP_COLUMNS = ("supplier", "column", "header")


def header_map(supplier: str, mapped: Mapping[str, str], *, cleared: bool) -> View:
    """`srm status map`: the headers remembered for a supplier's reports (or, with
    `--clear`, the ones just forgotten), one row per column."""
    rows = [{"supplier": supplier, "column": c, "header": h} for c, h in mapped.items()]
    if cleared:
        title = f"Forgot the status-report headers of {supplier}"
        empty = f"{supplier} had no remembered status-report headers."
    else:
        title = f"Status-report headers remembered for {supplier}"
        empty = (
            f"{supplier} has no remembered status-report headers; `srm status import "
            "--map COLUMN=HEADER` names them."
        )
    grid = Grid(
        columns=[Column("column"), Column("header", kind="text")],
        rows=[[r["column"], wording.cell(r["header"])] for r in rows],
        title=title,
        empty=empty,
    )
    return View(
        title=title, sections=[grid], data=rows, columns=HEADER_MAP_COLUMNS, name="status-map"
    )
