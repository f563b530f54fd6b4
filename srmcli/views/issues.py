"""Service issues: the list (what to chase first) and the summary per supplier and kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import CellValue, Column, View, listing
from srmcli.views.records import picked

# Nine columns fit 80 characters only when short values never wrap: the escalation target
# goes inside the status cell ("escalated to Dana Wu") and the description shows its first
# line (the escalation trail is in -f json and the timeline).
LIST_TABLE = (
    Column("id", "#", right=True),
    Column("supplier", kind="name"),
    Column("kind"),
    Column("severity", "sev", right=True),
    Column("status", kind="text"),
    Column("opened"),
    Column("age", "days", right=True),
    Column("author", "by", kind="name"),
    Column("description", "what", kind="text"),
)
SUMMARY_TABLE = (
    Column("supplier", kind="name"),
    Column("kind"),
    Column("opened", right=True),
    Column("open", right=True),
    Column("escalated", "esc", right=True),
    Column("resolved", right=True),
    Column("mean_days_to_resolve", "mean days", right=True),
    Column("oldest_open_days", "oldest", right=True),
)


def issue_list(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, only_open: bool
) -> View:
    from srmcli.services.issues import age_days

    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        status = row["status"]
        if row["escalated_to"] and status == "escalated":
            status = f"escalated to {row['escalated_to']}"
        return [
            str(row["id"]),
            row["supplier"],
            row["kind"],
            str(row["severity"]),
            status,
            wording.day(row["opened_at"]),
            str(age_days(dict(row))),
            wording.cell(row.get("author")),
            row["description"] or "-",  # whole, the escalation trail too: nothing dropped
        ]

    view = listing(
        rows,
        LIST_TABLE,
        title="Issues",
        data_columns=columns,
        empty=(
            "No unresolved issues."
            if only_open
            else "No issues match. Open one with: srm issue open SUPPLIER KIND"
        ),
        word=cells,
        name="issues",
        titled=False,
    )
    view.data = picked(rows, columns)
    return view


def issue_summary(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], period: str) -> View:
    return listing(
        rows,
        SUMMARY_TABLE,
        title=f"Issues, {period}",
        data_columns=columns,
        empty="No issues in this period.",
        name="issue-summary",
    )
