"""`srm interaction show|edit|rm ID`: one logged interaction, looked at and corrected."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, command_group, output_format, wrote

app = command_group()

IdArg = Annotated[
    str, typer.Argument(help="Interaction number, 12 or #12 (from `srm timeline`).", metavar="ID")
]
WHEN_HELP = "today, yesterday, '3 days ago', 'last friday', 2026-11-20, '2026-11-20 14:30'"
SHOWN = (
    "id", "supplier", "occurred_at", "channel", "initiator", "contacts", "duration_min",
    "tone", "tags", "tactics", "note", "author", "issues", "followups",
)  # fmt: skip
LABELS = {"occurred_at": "when", "duration_min": "minutes", "followups": "follow-ups"}


def _title(record: dict[str, Any]) -> str:
    return f"Interaction #{record['id']} with {record['supplier']}"


@app.command("show")
def show(interaction_id: IdArg, fmt: FormatOption = "table") -> None:
    """Show one interaction: who, when, how, the note, and what came out of it."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.interactions import show_interaction
    from srmcli.services.records import INTERACTION_COLUMNS
    from srmcli.views.records import record_view

    with db.session() as s:
        record = show_interaction(session=s, interaction_id=interaction_id)
    columns = SHOWN if fmt == "table" else INTERACTION_COLUMNS
    writers.deliver(record_view(record, columns, title=_title(record), labels=LABELS), fmt)


@app.command("edit")
def edit(
    interaction_id: IdArg,
    note: Annotated[str | None, typer.Option("--note", help="The note, replaced.")] = None,
    when: Annotated[
        str | None, typer.Option("--date", help=f"When it happened: {WHEN_HELP}.", metavar="WHEN")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="call, meeting, visit, video, email, chat, web, other."),
    ] = None,
    initiator: Annotated[
        str | None, typer.Option("--initiator", help="us or them: who reached out.")
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", help="Add a contact who took part.", metavar="CONTACT"),
    ] = None,
    without: Annotated[
        list[str] | None,
        typer.Option("--without", help="Take a contact off.", metavar="CONTACT"),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option("--duration", help="Minutes; an empty value clears it.", metavar="MIN"),
    ] = None,
    tone: Annotated[
        str | None, typer.Option("--tone", help="-2 (hostile) … +2 (warm).", metavar="N")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    tactic: Annotated[
        list[str] | None, typer.Option("--tactic", help="Add a tactic they used.")
    ] = None,
    untactic: Annotated[
        list[str] | None, typer.Option("--untactic", help="Remove a tactic.")
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Change it even though it then reads as another logged call (same time, "
            "channel, note).",
        ),
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Correct a logged interaction; what it was stays in `srm history` (and `srm undo`)."""
    fmt = output_format(fmt)
    from srmcli import dates
    from srmcli.services.records import INTERACTION_COLUMNS

    occurred_at = dates.parse_when(when, lean="past") if when is not None else None
    record = _edited(
        dict(  # noqa: C408
            interaction_id=interaction_id, note=note, occurred_at=occurred_at,
            channel=channel, initiator=initiator, add_contacts=with_ or [],
            remove_contacts=without or [], duration_min=duration, tone=tone,
            add_tags=tag or [], remove_tags=untag or [], add_tactics=tactic or [],
            remove_tactics=untactic or [], again=again,
        )
    )  # fmt: skip
    wrote(
        record,
        fmt,
        f"Updated interaction #{record['id']} with {record['supplier']}; "
        "`srm history --record interaction:" + str(record["id"]) + "` shows what it was.",
        columns=INTERACTION_COLUMNS,
    )


def _edited(options: dict[str, Any]) -> dict[str, Any]:
    """Edit one interaction: the stdlib sqlite3 store on a current SQLite journal (no
    SQLAlchemy import, the same rules: see services.corrections), else the ORM session."""
    from srmcli import db
    from srmcli.services import corrections

    if db.is_sqlite():
        from srmcli.sqlite_journal import writer

        with writer() as store:
            if store is not None:
                return corrections.edit_interaction(store=store, **options)
    from srmcli.services.interactions import edit_interaction

    with db.session(write=True) as s:
        return edit_interaction(session=s, **options)


@app.command("rm")
def rm(interaction_id: IdArg, fmt: FormatOption = "table") -> None:
    """Remove an interaction logged by mistake (kept in the history: `srm undo` brings it
    back with its people and tactics)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.interactions import remove_interaction
    from srmcli.services.records import INTERACTION_COLUMNS

    with db.session(write=True) as s:
        record = remove_interaction(session=s, interaction_id=interaction_id)
    wrote(
        record,
        fmt,
        f"Removed interaction #{record['id']} with {record['supplier']} "
        f"({record['occurred_at']:%Y-%m-%d}); `srm history -n 1` shows the change to undo.",
        columns=INTERACTION_COLUMNS,
    )


def register(root: typer.Typer) -> None:
    """Add `srm interaction …` to the root app."""
    root.add_typer(app, name="interaction", help="One logged interaction: show, edit, rm.")
