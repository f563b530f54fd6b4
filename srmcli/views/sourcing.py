"""Sourcing projects: the list, a project's board (candidates ranked) and its history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import CellValue, Column, Grid, Line, View, listing

BOARD_TABLE = (
    Column("rank", "#", right=True),
    Column("supplier", kind="name"),
    Column("stage"),
    Column("rating", right=True),
    Column("depth_score", "depth", right=True),
    Column("days_since_last", "last contact", right=True),
    Column("lead"),
)


def project_list(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> View:
    return listing(
        rows,
        (
            Column("name", kind="name"),
            Column("status"),
            Column("due"),
            Column("candidates", right=True),
            Column("leader", kind="name"),
        ),
        title="Sourcing projects",
        data_columns=columns,
        empty="No sourcing projects yet. Start one with: srm sourcing new NAME",
        name="sourcing",
        titled=False,
    )


def _board_cells(row: Mapping[str, Any]) -> list[CellValue]:
    since = row["days_since_last"]
    return [
        str(row["rank"]),
        row["supplier"],
        row["stage"],
        wording.cell(row["rating"]),
        "no data" if row["depth_score"] is None else str(row["depth_score"]),
        "-" if since is None else f"{since} d ago",
        "lead" if row["lead"] else "",
    ]


def board(
    project: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> View:
    """A project's heading and its candidates ranked; the data is the ranked rows."""
    due = f", due {wording.day(project['due'])}" if project["due"] else ""
    sections: list[Any] = [Line(f"{project['name']} ({project['status']}{due})", "strong")]
    if project["description"]:
        sections.append(Line(project["description"]))
    sections.append(
        Grid(
            columns=BOARD_TABLE,
            rows=[_board_cells(r) for r in rows],
            empty=f"No candidates yet. Add one with: srm sourcing add {project['name']!r} SUPPLIER",
        )
    )
    return View(title=project["name"], sections=sections, data=rows, columns=columns, name="board")


def history(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> View:
    return listing(
        rows,
        (
            Column("changed_at", "changed at"),
            Column("supplier", kind="name"),
            Column("stage"),
            Column("note", kind="text"),
        ),
        title="Stage history",
        data_columns=columns,
        empty="No candidates yet.",
        name="history",
        titled=False,
    )
