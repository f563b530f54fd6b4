"""`srm today` and calendar to-dos: the day's agenda for every writer, and the
iCalendar to-dos (`-f ics`) of the agenda and of `srm followup list --ics`.

A to-do's UID comes from the journal's identity and the record's kind and id
(`identity.record_uid`), never from its text: the same follow-up is the same to-do in
every export, whether it came from `srm today` or `srm followup list`, so a calendar
that imports the file again updates the to-do instead of adding a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Section, View

OUR_TODO, THEIR_PROMISE = "us", "them"


@dataclass(frozen=True)
class CalendarTodo:
    """One iCalendar to-do (VTODO), as the `ics` writer writes it."""

    uid: str
    summary: str
    due: date
    completed: datetime | None = None
    description: str | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)


def _followup_todo(row: Mapping[str, Any], journal: uuid.UUID) -> CalendarTodo:
    from srmcli.services.identity import record_uid

    if row["owner"] == THEIR_PROMISE:
        summary = f"Chase {row['supplier']}: {row['text']}"
        what = "their promise"
    else:
        summary = f"{row['text']} ({row['supplier']})"
        what = "our to-do"
    return CalendarTodo(
        uid=record_uid(journal, "followup", row["id"]),
        summary=summary,
        due=row["due"],
        completed=row["done_at"],
        description=f"srm follow-up #{row['id']}, {what}",
        categories=("srm", "follow-up"),
    )


def followup_todos(rows: Sequence[Mapping[str, Any]], journal: uuid.UUID) -> list[CalendarTodo]:
    return [_followup_todo(r, journal) for r in rows]


def agenda_todos(agenda: Mapping[str, Any], journal: uuid.UUID) -> list[CalendarTodo]:
    """Everything on today's agenda as to-dos, each keyed on what it is about."""
    from srmcli.services.identity import record_uid

    today: date = agenda["as_of"]
    todos = followup_todos([*agenda["our_todos"], *agenda["their_promises"]], journal)
    for row in agenda["contact_due"]:
        todos.append(
            CalendarTodo(
                uid=record_uid(journal, "keep-in-touch", row["supplier_id"]),
                summary=f"Get in touch with {row['supplier']}",
                due=today,
                description=(
                    f"Keep-in-touch every {wording.days(row['cadence_days'])}, "
                    f"{wording.days(row['days_overdue'])} overdue"
                ),
                categories=("srm", "keep-in-touch"),
            )
        )
    for issue in agenda["escalated_issues"]:
        todos.append(
            CalendarTodo(
                uid=record_uid(journal, "escalated-issue", issue["id"]),
                summary=(
                    f"Chase {issue['supplier']} on escalated {issue['kind']} issue #{issue['id']}"
                ),
                due=today,
                description=(
                    f"srm issue #{issue['id']}, escalated {wording.day(issue['escalated_at'])}"
                ),
                categories=("srm", "issue"),
            )
        )
    for project in agenda["projects_due"]:
        todos.append(
            CalendarTodo(
                uid=record_uid(journal, "sourcing-project", project["id"]),
                summary=f"Sourcing project {project['name']} due",
                due=project["due"],
                description=(
                    f"srm sourcing project, {wording.plural(project['candidates'], 'candidate')}"
                ),
                categories=("srm", "sourcing"),
            )
        )
    return todos


def _late(days: int) -> CellValue:
    return Cell("today", "strong") if days == 0 else Cell(wording.days(days), "alert")


def _followup_grid(rows: Sequence[Mapping[str, Any]], title: str, what: str, empty: str) -> Grid:
    return Grid(
        columns=[
            Column("id", "#", right=True),
            Column("supplier", kind="name"),
            Column("text", what, kind="text"),
            Column("due"),
            Column("days_overdue", "overdue", right=True),
        ],
        rows=[
            [
                f"#{r['id']}",
                r["supplier"],
                r["text"],
                wording.day(r["due"]),
                _late(r["days_overdue"]),
            ]
            for r in rows
        ],
        title=title,
        empty=empty,
    )


def today_view(agenda: Mapping[str, Any], todos: Sequence[CalendarTodo] | None = None) -> View:
    """The agenda for people and scripts; `todos` (for `-f ics`) its calendar to-dos."""
    day: date = agenda["as_of"]
    title = f"Today, {day:%A %Y-%m-%d}"

    def layout() -> list[Section]:
        contact = Grid(
            columns=[
                Column("supplier", kind="name"),
                Column("cadence_days", "every (days)", right=True),
                Column("last_interaction", "last contact"),
                Column("days_overdue", "days overdue", right=True),
            ],
            rows=[
                [
                    r["supplier"],
                    wording.cell(r["cadence_days"]),
                    wording.day(r["last_interaction"]),
                    Cell(str(r["days_overdue"]), "alert"),
                ]
                for r in agenda["contact_due"]
            ],
            title="Due for contact",
            empty="Nobody is past their keep-in-touch cadence.",
        )
        issues = Grid(
            columns=[
                Column("id", "#", right=True),
                Column("supplier", kind="name"),
                Column("kind"),
                Column("severity", "sev", right=True),
                Column("escalated_at", "escalated"),
                Column("escalated_to", "to", kind="name"),
                Column("last_interaction", "last contact"),
            ],
            rows=[
                [
                    f"#{r['id']}",
                    r["supplier"],
                    r["kind"],
                    str(r["severity"]),
                    wording.day(r["escalated_at"]),
                    wording.cell(r["escalated_to"]),
                    wording.day(r["last_interaction"]),
                ]
                for r in agenda["escalated_issues"]
            ],
            title="Escalated issues with no contact in 7 days",
            empty="No escalated issue has gone quiet.",
        )
        projects = Grid(
            columns=[
                Column("name", "project", kind="name"),
                Column("due"),
                Column("days_left", "days left", right=True),
                Column("candidates", right=True),
            ],
            rows=[
                [
                    r["name"],
                    wording.day(r["due"]),
                    Cell(str(r["days_left"]), "alert" if r["days_left"] < 0 else None),
                    str(r["candidates"]),
                ]
                for r in agenda["projects_due"]
            ],
            title="Sourcing projects due within 14 days",
            empty="No sourcing project is due within 14 days.",
        )
        return [
            _followup_grid(agenda["our_todos"], "Our to-dos", "to-do", "No to-do of ours is due."),
            _followup_grid(
                agenda["their_promises"],
                "Their promises to chase",
                "promise",
                "No promise of theirs is due.",
            ),
            contact,
            issues,
            projects,
        ]

    extra: dict[str, Any] = {"heading": title}
    if todos is not None:
        extra["todos"] = list(todos)
    return View(title=title, sections=layout, data=agenda, name="today", extra=extra)
