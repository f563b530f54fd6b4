"""`srm due`: suppliers past their keep-in-touch cadence, most overdue first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, View

COLUMNS = ("supplier", "cadence_days", "last_interaction", "days_since_last", "days_overdue")


def due_view(rows: Sequence[Mapping[str, Any]]) -> View:
    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        return [
            row["supplier"],
            wording.cell(row["cadence_days"]),
            wording.day(row["last_interaction"]),
            "never" if row["days_since_last"] is None else str(row["days_since_last"]),
            Cell(str(row["days_overdue"]), "alert"),
        ]

    title = "Past their keep-in-touch cadence, most overdue first"
    grid = Grid(
        columns=[
            Column("supplier", kind="name"),
            Column("cadence_days", "every (days)", right=True),
            Column("last_interaction", "last contact"),
            Column("days_since_last", "days since", right=True),
            Column("days_overdue", "days overdue", right=True),
        ],
        rows=[cells(r) for r in rows],
        title=title,
        empty="Nobody is past their keep-in-touch cadence.",
    )
    return View(title=title, sections=[grid], data=rows, columns=COLUMNS, name="due")
