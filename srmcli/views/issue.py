"""`srm issue show ID`: one issue and its trail — what happened, each escalation, every
call made about it, and how it ended."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Line, Pairs, Section, View


def issue_view(record: Mapping[str, Any]) -> View:
    """`record`: `services.issues.issue_trail` (an issue record with `author` and
    `calls`). JSON is that record; CSV the issue's own columns (SPEC §7)."""
    from srmcli.services.records import ISSUE_COLUMNS

    title = f"Issue #{record['id']}: {record['kind']} with {record['supplier']}"

    def layout() -> list[Section]:
        status: CellValue = record["status"]
        if record["status"] != "resolved":
            status = Cell(record["status"], "alert")
        pairs: list[tuple[str, CellValue]] = [
            ("supplier", record["supplier"]),
            ("kind", record["kind"]),
            ("severity", str(record["severity"])),
            ("status", status),
            ("opened", wording.moment(record["opened_at"])),
            ("by", wording.cell(record.get("author"))),
        ]
        if record["escalated_at"] is not None:
            pairs.append(("escalated", wording.moment(record["escalated_at"])))
            pairs.append(("escalated to", wording.cell(record["escalated_to"])))
        if record["resolved_at"] is not None:
            pairs.append(("resolved", wording.moment(record["resolved_at"])))
            pairs.append(("resolution", wording.cell(record["resolution"])))
        sections: list[Section] = [Pairs(pairs, title=f"Issue #{record['id']}")]
        if record["description"]:
            sections.append(Line(record["description"]))
        sections.append(_calls(record))
        return sections

    return View(title=title, sections=layout, data=record, columns=ISSUE_COLUMNS, name="issue")


def _calls(record: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = []
    for call in record["calls"]:
        lines = call["note"].strip().splitlines()
        first = lines[0] if lines else ""
        if len(lines) > 1:
            first += " …"
        came_from = call["id"] == record["interaction_id"]
        rows.append(
            [
                f"#{call['id']}",
                wording.moment(call["occurred_at"]),
                f"{call['channel']} ({call['initiator']})" + (", opened it" if came_from else ""),
                wording.cell(call["contacts"]),
                first,
            ]
        )
    return Grid(
        columns=[
            Column("id", "#"),
            Column("occurred_at", "when"),
            Column("channel", "how"),
            Column("contacts", "with", kind="name"),
            Column("note", "note", kind="text"),
        ],
        rows=rows,
        title="Calls about it",
        empty=f"No calls logged for it yet (srm log … --for-issue {record['id']}).",
    )
