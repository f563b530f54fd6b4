"""`srm db path|check|backup|upgrade`."""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import command_group

app = command_group()


@app.command("path")
def path() -> None:
    """Print where the journal is (a file path, or the URL with its password masked)."""
    from srmcli import db

    print(db.describe())


@app.command("check")
def check() -> None:
    """Check the journal's integrity and schema version."""
    from srmcli import db, render
    from srmcli.services.maintenance import check_journal

    report = check_journal()
    for line in report.lines:
        render.say(line)
    if not report.ok:
        from srmcli.errors import DatabaseError

        raise DatabaseError(f"the journal {db.describe()} failed its check: {report.problem}")
    print("ok")


@app.command("backup")
def backup(
    dest: Annotated[
        str | None,
        typer.Argument(help="Backup file (default: next to the journal, dated)."),
    ] = None,
) -> None:
    """Copy the journal to a file while it is in use (SQLite online backup)."""
    from srmcli import render
    from srmcli.services.maintenance import backup_journal

    written = backup_journal(dest)
    render.say(f"Backed up the journal to {written}.")
    print(written)


@app.command("upgrade")
def upgrade() -> None:
    """Bring the journal's schema to this version of srm."""
    from srmcli import db, render

    before, after = db.upgrade()
    if before == after:
        render.say(f"The journal {db.describe()} is up to date (revision {after}).")
    else:
        render.say(f"Upgraded the journal {db.describe()} from {before or 'empty'} to {after}.")


@app.command("copy")
def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Target database URL (postgresql+psycopg://…) or SQLite file path; must be empty.",
            metavar="URL",
        ),
    ],
) -> None:
    """Copy the whole journal (ids, links, history) into another, empty database."""
    from srmcli import db, render
    from srmcli.services.maintenance import copy_journal

    copied = copy_journal(to)
    total = sum(copied.values())
    render.say(
        f"Copied {total} rows ({copied.get('supplier', 0)} suppliers, "
        f"{copied.get('interaction', 0)} interactions) to {db.describe(db.url_for(to))}."
    )
