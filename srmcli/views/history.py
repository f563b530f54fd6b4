"""`srm history`: the changes to the journal, newest first, and one record as written."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, View

COLUMNS = (
    "change", "at", "author", "record", "record_id", "supplier", "action", "before", "after",
)  # fmt: skip

# derived columns a person need not read in "what changed" (they follow other fields)
_QUIET = {"name_key", "id"}
_SHORT = 40  # a long value (a note) shows its start in the table; JSON has all of it


def _value(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return wording.plural(len(value), "row")
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:  # a kept datetime, read as people read dates
            value = datetime.fromisoformat(value)
        except ValueError:
            pass
    shown = wording.cell(value)
    shown = " ".join(shown.split())
    return shown if len(shown) <= _SHORT else shown[: _SHORT - 1] + "…"


def _people(value: Any, names: Mapping[int, str]) -> Any:
    """Contact ids as the names a buyer knows them by (`#7` for one the journal and the
    history no longer know)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return names.get(value, f"#{value}")
    if isinstance(value, list):
        return ", ".join(str(_people(v, names)) for v in value) if value else "none"
    return value


_PEOPLE = {"contact_ids": "contacts", "escalated_to_id": "escalated to"}


def what_changed(row: Mapping[str, Any]) -> str:
    """The fields of one change for people: `tone: 0 → 2; note: …`, contacts by name;
    a removal or a restore names the record."""
    before, after = row["before"], row["after"]
    if after is None:
        return "removed (kept whole for undo)"
    if before is None:
        return "brought back"
    names: Mapping[int, str] = row.get("contact_names") or {}
    parts = []
    for name in before:
        if name in _QUIET:
            continue
        was, now = before.get(name), after.get(name)
        if name in _PEOPLE:
            name, was, now = _PEOPLE[name], _people(was, names), _people(now, names)
        parts.append(f"{name}: {_value(was)} → {_value(now)}")
    return "; ".join(parts)


def csv_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """before/after as JSON text in one CSV cell each."""

    def text(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    return {**row, "before": text(row["before"]), "after": text(row["after"])}


def history_view(rows: Sequence[Mapping[str, Any]]) -> View:
    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        action = row["action"]
        if row.get("undoes"):
            action = f"undo #{row['undoes']}"
        return [
            f"#{row['change']}",
            wording.moment(row["at"]),
            wording.cell(row["author"]),
            f"{row['record'].replace('_', ' ')} #{row['record_id']}",
            wording.cell(row["supplier"]),
            Cell(action, "strong"),
            what_changed(row),
        ]

    title = "Changes, newest first"
    grid = Grid(
        columns=[
            Column("change", "#"),
            Column("at"),
            Column("author", "by", kind="name"),
            Column("record"),
            Column("supplier", kind="name"),
            Column("action"),
            Column("what", "what changed", kind="text"),
        ],
        rows=[cells(r) for r in rows],
        title=title,
        empty="No changes recorded (edits, removals and undos appear here).",
    )
    data = [{k: r[k] for k in COLUMNS} for r in rows]
    return View(
        title=title,
        sections=[grid],
        data=data,
        columns=COLUMNS,
        csv_rows=[csv_row(r) for r in data],
        name="history",
    )


def reports_view(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], supplier: str) -> View:
    """`srm status list`: a supplier's status reports, newest first."""
    title = f"Status reports of {supplier}, newest first"
    grid = Grid(
        columns=[
            Column("report_date", "report of"),
            Column("lines", right=True),
            Column("imported_at", "imported"),
            Column("author", "by", kind="name"),
        ],
        rows=[
            [
                wording.day(r["report_date"]),
                str(r["lines"]),
                wording.moment(r["imported_at"]),
                wording.cell(r["author"]),
            ]
            for r in rows
        ],
        title=title,
        empty=f"{supplier} has no status reports yet.",
    )
    return View(title=title, sections=[grid], data=rows, columns=columns, name="status-reports")
