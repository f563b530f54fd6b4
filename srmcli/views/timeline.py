"""A supplier's timeline (interactions, issues and follow-ups, oldest first) and search
results over the notes, best match first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import CellValue, Column, View, listing

# the CSV columns of `timeline`: every entry type's fields side by side
TIMELINE_COLUMNS = (
    "type", "date", "id", "supplier", "channel", "initiator", "contacts", "duration_min",
    "tone", "tags", "tactics", "note", "author", "kind", "severity", "status", "opened_at",
    "escalated_at", "escalated_to", "resolved_at", "description", "resolution", "owner",
    "text", "due", "done_at", "interaction_id", "for_issues",
)  # fmt: skip
# who recorded an issue or follow-up is for people; in the data only interactions carry it
_SHOWN_ONLY = ("issue", "followup")


def summary(row: Mapping[str, Any]) -> str:
    """One entry in a sentence: what happened, with whom, and its whole text (a table
    drops no word)."""
    if row["type"] == "interaction":
        who = f" with {', '.join(row['contacts'])}" if row["contacts"] else ""
        marks = f" [{', '.join(row['tactics'])}]" if row["tactics"] else ""
        about = "".join(f" → issue #{n}" for n in row.get("for_issues") or [])
        return f"{row['channel']} ({row['initiator']}){who}: {row['note'].strip()}{marks}{about}"
    if row["type"] == "issue":
        head = f"issue #{row['id']} {row['kind']} sev {row['severity']} [{row['status']}]"
        return f"{head}: {row['description'] or ''}"
    done = " (done)" if row["done_at"] else ""
    side = "their promise" if row["owner"] == "them" else "our to-do"
    return f"{side} #{row['id']}: {row['text']}{done}"


def _data(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in row.items() if not (k == "author" and row["type"] in _SHOWN_ONLY)}
        for row in rows
    ]


def timeline(rows: Sequence[Mapping[str, Any]]) -> View:
    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        return [wording.moment(row["date"]), row["type"], wording.cell(row.get("author")),
                summary(row)]  # fmt: skip

    view = listing(
        rows,
        (
            Column("date"),
            Column("type"),
            Column("author", "by", kind="name"),
            Column("what", kind="text"),
        ),
        title="Timeline",
        data_columns=TIMELINE_COLUMNS,
        empty="Nothing in this period.",
        word=cells,
        name="timeline",
        titled=False,
    )
    view.data = _data(rows)
    return view


def search(rows: Sequence[Mapping[str, Any]]) -> View:
    """Search results of every type (`srm search`): the timeline's columns and wording."""

    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        return [wording.moment(row["date"]), row["type"], row["supplier"], found_summary(row)]

    return listing(
        rows,
        (
            Column("date"),
            Column("type"),
            Column("supplier", kind="name"),
            Column("what", kind="text"),
        ),
        title="Found",
        data_columns=TIMELINE_COLUMNS,
        empty="Nothing matches: no note, tag, tactic, issue or follow-up holds every word.",
        word=cells,
        name="search",
        titled=False,
    )


def found_summary(row: Mapping[str, Any]) -> str:
    """A search result in a sentence: the timeline's, with an interaction's tags (a tag
    may be what matched) and an issue's resolution."""
    said = summary(row)
    if row["type"] == "interaction" and row["tags"]:
        said += f" #{' #'.join(row['tags'])}"
    if row["type"] == "issue" and row["resolution"]:
        said += f" → resolved: {row['resolution']}"
    return said
