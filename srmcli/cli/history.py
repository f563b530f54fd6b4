"""`srm history` and `srm undo`: every change kept, and any one of them reversed."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, OutputOption, count, output_format, wrote


def history(
    supplier: Annotated[
        str | None,
        typer.Argument(help="Only this supplier (name, alias or prefix; a removed one by name)."),
    ] = None,
    record: Annotated[
        str | None,
        typer.Option(
            "--record", help="Only this record, e.g. interaction:12, issue:3.", metavar="TYPE:ID"
        ),
    ] = None,
    number: Annotated[
        str | None, typer.Option("-n", help="Only the newest N changes.", metavar="N")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="From this day, inclusive.", metavar="WHEN")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="To this day, inclusive.", metavar="WHEN")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="Only changes made by this person.")
    ] = None,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """Every change and removal, newest first: who, when, what it was and became."""
    fmt = output_format(fmt)
    limit = count(number, "changes")
    from srmcli import dates, db, writers
    from srmcli.services.history import list_history
    from srmcli.views.history import history_view

    start = dates.parse_day(date_from) if date_from is not None else None
    end = dates.parse_day(date_to) if date_to is not None else None
    with db.session() as s:
        rows = list_history(
            session=s, supplier=supplier, record=record, limit=limit, date_from=start,
            date_to=end, author=author,
        )  # fmt: skip
    writers.deliver(history_view(rows), fmt, out)


def undo(
    change: Annotated[
        str, typer.Argument(help="The change number, 12 or #12 (from `srm history`).")
    ],
    fmt: FormatOption = "table",
) -> None:
    """Reverse one change: the record as it was before it (a removed one comes back with
    its number and links). The undo is itself a change, so it can be undone too."""
    fmt = output_format(fmt)
    from srmcli.services.corrections import COLUMN_ORDER, spoken

    done = _undone(change)
    what = f"{spoken(done['record'])} #{done['record_id']}"
    if done["before"] is None:
        effect = f"brought back {what}"
    elif done["after"] is None:
        effect = f"removed {what} again"
    else:
        effect = f"put {what} back as it was"
    if fmt == "csv":  # before and after as JSON text, as in `srm history -f csv`
        from srmcli.views.history import csv_row

        done = csv_row(done)
    wrote(
        done,
        fmt,
        f"Undid change #{done['undoes']}: {effect} (change #{done['change']}).",
        columns=COLUMN_ORDER,
    )


def _undone(change: str) -> dict[str, Any]:
    """An interaction's edit is undone through the stdlib sqlite3 store on a current
    SQLite journal (no SQLAlchemy import; services.corrections); anything else, and any
    other journal, through the ORM session."""
    from srmcli import db

    if db.is_sqlite():
        from srmcli.services import corrections
        from srmcli.sqlite_journal import writer

        with writer() as store:
            if store is not None:
                done = corrections.undo_change(store=store, change=change)
                if done is not None:
                    return done
    from srmcli.services.history import undo_change

    with db.session(write=True) as s:
        return undo_change(session=s, change=change)


def register(root: typer.Typer) -> None:
    """Add `srm history` and `srm undo` to the root app."""
    root.command("history")(history)
    root.command("undo")(undo)
