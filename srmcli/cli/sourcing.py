"""`srm sourcing new|list|add|move|rate|board|history`: qualifying candidate suppliers."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format, wrote

app = command_group()

ProjectArg = Annotated[str, typer.Argument(help="Project name or unique prefix (any case).")]
SupplierArg = Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")]
NoteOpt = Annotated[
    str | None, typer.Option("--note", help="What happened, e.g. 'sent a video tour'.")
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="When it happened (default now), e.g. yesterday.", metavar="WHEN"),
]
STAGES = (
    "identified, contacted, interested, capabilities, proposal, quoted, qualified, awarded, "
    "declined"
)


def _when(value: str | None) -> Any:
    from srmcli import dates

    return dates.parse_when(value, lean="past") if value is not None else None


@app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="Project name (unique, any case).")],
    description: Annotated[
        str | None, typer.Option("--description", help="What is being sourced, and why.")
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="When a decision is due.", metavar="WHEN")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Start a sourcing project (status open)."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.sourcing import PROJECT_COLUMNS, new_project

    due_day = dates.parse_day(due, lean="future") if due is not None else None
    with db.session(write=True) as s:
        record = new_project(session=s, name=name, description=description, due=due_day)
    wrote(
        record,
        fmt,
        f"Started sourcing project {record['name']} (#{record['id']}). Add candidates with: "
        f"srm sourcing add {record['name']!r} SUPPLIER",
        columns=PROJECT_COLUMNS,
    )


@app.command("list")
def list_(fmt: FormatOption = "table", out: OutputOption = None) -> None:
    """Sourcing projects with their status, due date, candidate count and leader."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.sourcing import PROJECT_COLUMNS, list_projects
    from srmcli.views.sourcing import project_list

    with db.session() as s:
        rows = list_projects(session=s)
    writers.deliver(project_list(rows, PROJECT_COLUMNS), fmt, out)


@app.command("add")
def add(
    project: ProjectArg,
    supplier: SupplierArg,
    note: NoteOpt = None,
    when: DateOpt = None,
    fmt: FormatOption = "table",
) -> None:
    """Add a supplier to a project as a candidate (stage identified)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.sourcing import CANDIDATE_COLUMNS, add_candidate

    at = _when(when)
    with db.session(write=True) as s:
        record = add_candidate(session=s, project=project, supplier=supplier, note=note, at=at)
    wrote(
        record,
        fmt,
        f"Added {record['supplier']} to {record['project']} (stage identified).",
        columns=CANDIDATE_COLUMNS,
    )


@app.command("move")
def move(
    project: ProjectArg,
    supplier: SupplierArg,
    stage: Annotated[str, typer.Argument(help=f"The new stage: {STAGES}.")],
    note: NoteOpt = None,
    when: DateOpt = None,
    fmt: FormatOption = "table",
) -> None:
    """Move a candidate to another stage (the same stage only with --note)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.sourcing import CANDIDATE_COLUMNS, move_candidate

    at = _when(when)
    with db.session(write=True) as s:
        record = move_candidate(
            session=s, project=project, supplier=supplier, stage=stage, note=note, at=at
        )
    awarded = " The project is now awarded." if record["stage"] == "awarded" else ""
    wrote(
        record,
        fmt,
        f"{record['supplier']} is at stage {record['stage']} in {record['project']}.{awarded}",
        columns=CANDIDATE_COLUMNS,
    )


@app.command("rate")
def rate(
    project: ProjectArg,
    supplier: SupplierArg,
    rating: Annotated[str, typer.Argument(help="1 (poor) to 5 (excellent).", metavar="N")],
    fmt: FormatOption = "table",
) -> None:
    """Rate a candidate from 1 to 5."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.sourcing import CANDIDATE_COLUMNS, rate_candidate

    with db.session(write=True) as s:
        record = rate_candidate(session=s, project=project, supplier=supplier, rating=rating)
    wrote(
        record,
        fmt,
        f"Rated {record['supplier']} {record['rating']}/5 in {record['project']}.",
        columns=CANDIDATE_COLUMNS,
    )


@app.command("board")
def board(project: ProjectArg, fmt: FormatOption = "table", out: OutputOption = None) -> None:
    """Candidates ranked: stage, then rating, then relationship depth; who is in the lead."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.sourcing import BOARD_COLUMNS
    from srmcli.services.sourcing import board as build_board
    from srmcli.views.sourcing import board as board_view

    with db.session() as s:
        record, rows = build_board(session=s, project=project)
    writers.deliver(board_view(record, rows, BOARD_COLUMNS), fmt, out)


@app.command("history")
def history(
    project: ProjectArg,
    supplier: Annotated[
        str | None, typer.Argument(help="Only this candidate (name, alias or prefix).")
    ] = None,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """The dated stage changes and notes of a project's candidates, oldest first."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.sourcing import HISTORY_COLUMNS, stage_history
    from srmcli.views.sourcing import history as history_view

    with db.session() as s:
        rows = stage_history(session=s, project=project, supplier=supplier)
    writers.deliver(history_view(rows, HISTORY_COLUMNS), fmt, out)


@app.command("drop")
def drop(project: ProjectArg, supplier: SupplierArg, fmt: FormatOption = "table") -> None:
    """Take a candidate off a project's board (kept in the history; `srm undo` brings it
    back with its stages)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.sourcing import CANDIDATE_COLUMNS, drop_candidate

    with db.session(write=True) as s:
        record = drop_candidate(session=s, project=project, supplier=supplier)
    wrote(
        record,
        fmt,
        f"Dropped {record['supplier']} from {record['project']} (it was at stage "
        f"{record['stage']}); `srm history -n 1` shows the change to undo.",
        columns=CANDIDATE_COLUMNS,
    )


@app.command("edit")
def edit(
    project: ProjectArg,
    name: Annotated[str | None, typer.Option("--name", help="Rename the project.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What is sourced (empty clears it).")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="When a decision is due (empty clears it).", metavar="WHEN"),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="open, awarded or closed.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Correct a sourcing project's name, description, due day or status."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.sourcing import PROJECT_COLUMNS, edit_project

    clear_due = due is not None and not due.strip()
    due_day = dates.parse_day(due, lean="future") if due is not None and not clear_due else None
    with db.session(write=True) as s:
        record = edit_project(
            session=s, project=project, name=name, description=description, due=due_day,
            status=status, clear_due=clear_due,
        )  # fmt: skip
    wrote(
        record,
        fmt,
        f"Updated sourcing project {record['name']} (#{record['id']}, {record['status']}).",
        columns=PROJECT_COLUMNS,
    )


def register(root: typer.Typer) -> None:
    """Add `srm sourcing` to the root app."""
    root.add_typer(
        app, name="sourcing", help="Sourcing projects: qualify candidate suppliers, rank them."
    )
