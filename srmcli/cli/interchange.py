"""`srm export` and `srm import`: records out to CSV/JSON/JSON lines and back in."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from srmcli.render import stop_writing_quietly

if TYPE_CHECKING:
    from srmcli.readers import Source

KIND_HELP = (
    "suppliers, contacts, interactions, issues, followups, projects, candidates, "
    "status-lines, history, or all (every kind, one file each in a folder)."
)
# below this size an import is over before a progress bar would be worth drawing
LARGE_IMPORT_BYTES = 1 << 20


def export(
    kind: Annotated[str, typer.Argument(help=f"What to export: {KIND_HELP}", metavar="KIND")],
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="From this day (inclusive), on the record's date.", metavar="WHEN"
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Up to this day (inclusive).", metavar="WHEN"),
    ] = None,
    supplier: Annotated[str | None, typer.Option("--supplier", help="Only this supplier.")] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="Only records this person recorded (the columns stay the same).",
            metavar="NAME",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (mode 0600) instead of stdout; with `all`, the folder.",
            metavar="FILE",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv, json or jsonl.", metavar="FORMAT")
    ] = "csv",
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="No formula guard: cells starting with = + - @ stay as they are."
        ),
    ] = False,
) -> None:
    """Export records as CSV, JSON or JSON lines, streamed (any size, flat memory)."""
    from srmcli import dates, db, files, render, wording
    from srmcli.services import interchange

    if kind.strip().lower() == "all":
        _export_all(output, fmt, raw, date_from, date_to, supplier, author)
        return
    kind = interchange.parse_kind(kind)
    fmt = interchange.parse_format(fmt)
    start = dates.parse_day(date_from) if date_from else None
    end = dates.parse_day(date_to) if date_to else None
    if output and output != "-":
        files.check_target(output)  # a link or device is refused before the journal is read
    with db.session() as s:
        if output and output != "-":
            with files.writing(output) as fh:
                count = interchange.export(
                    session=s, kind=kind, out=fh, fmt=fmt, date_from=start, date_to=end,
                    supplier=supplier, guard=not raw, author=author,
                )  # fmt: skip
            render.say(f"Exported {wording.plural(count, 'row')} of {kind} to {output}.")
        else:
            try:
                interchange.export(
                    session=s, kind=kind, out=sys.stdout, fmt=fmt, date_from=start,
                    date_to=end, supplier=supplier, guard=not raw, author=author,
                )  # fmt: skip
                sys.stdout.flush()
            except BrokenPipeError:
                stop_writing_quietly()


def import_(
    kind: Annotated[str, typer.Argument(help=f"What to import: {KIND_HELP}", metavar="KIND")],
    file: Annotated[
        str, typer.Argument(help="The file to import, or - for standard input.", metavar="FILE|-")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and count, but write nothing.")
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, json or jsonl (default: from the file name, else csv).",
            metavar="FORMAT",
        ),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Keep a leading ' (the file was exported with --raw)."),
    ] = False,
) -> None:
    """Import records; all or nothing, rows already in the journal are skipped."""
    from srmcli import db, readers, render
    from srmcli.services import interchange

    if kind.strip().lower() == "all":
        _import_all(file, dry_run, raw, fmt)
        return
    kind = interchange.parse_kind(kind)
    with readers.open_source(file) as source:
        fmt = source.detect_format(fmt)
        with db.session(write=True) as s:
            if _show_progress(source):
                from rich.progress import Progress

                with Progress(console=render.console(stderr=True), transient=True) as bar:
                    task = bar.add_task(f"Importing {kind}", total=source.size)
                    summary = interchange.import_records(
                        session=s, kind=kind, source=source.text, fmt=fmt, dry_run=dry_run,
                        raw=raw, on_batch=lambda _: bar.update(task, completed=source.position()),
                    )  # fmt: skip
            else:
                summary = interchange.import_records(
                    session=s, kind=kind, source=source.text, fmt=fmt, dry_run=dry_run, raw=raw
                )
    what = f"{kind} (dry run, nothing written)" if dry_run else kind
    message = (
        f"{what}: added {summary['added']}, skipped {summary['skipped']}"
        " (already in the journal, or repeated in the file)."
    )
    render.say(message)


def _export_all(
    output: str | None,
    fmt: str,
    raw: bool,
    *filters: str | None,
) -> None:
    """`srm export all -o FOLDER`: every kind, one file each, all or nothing."""
    from srmcli import db, files, render, wording
    from srmcli.errors import InvalidValueError
    from srmcli.services import interchange, transfer

    if any(f is not None for f in filters):
        raise InvalidValueError(
            "export all moves the whole journal; --from, --to, --supplier and --author "
            "apply to one kind at a time"
        )
    if not output or output == "-":
        raise InvalidValueError(
            "export all writes one file per kind into a folder; give it with -o FOLDER"
        )
    fmt = interchange.parse_format(fmt)
    with db.session() as s, files.filling_folder(output) as folder:
        counts = transfer.export_all(session=s, folder=folder, fmt=fmt, guard=not raw)
    total = sum(counts.values())
    render.say(
        f"Exported {wording.plural(total, 'row')} into {output}: "
        + ", ".join(f"{kind} {n}" for kind, n in counts.items())
        + "."
    )


def _import_all(folder: str, dry_run: bool, raw: bool, fmt: str | None) -> None:
    """`srm import all FOLDER`: an `export all` folder in dependency order, one
    transaction."""
    from srmcli import db, render
    from srmcli.errors import InvalidValueError
    from srmcli.services import transfer

    if fmt is not None:
        raise InvalidValueError("import all reads each file by its name and content; leave out -f")
    with db.session(write=True) as s:
        summaries = transfer.import_all(session=s, folder=folder, dry_run=dry_run, raw=raw)
    done = " (dry run, nothing written)" if dry_run else ""
    parts = [f"{x['kind']} added {x['added']}, skipped {x['skipped']}" for x in summaries]
    render.say(f"Imported {folder}{done}: " + "; ".join(parts) + ".")


def _show_progress(source: Source) -> bool:
    """A bar only for someone watching a terminal, and only when the file is big."""
    return source.size is not None and source.size >= LARGE_IMPORT_BYTES and sys.stderr.isatty()


def register(app: typer.Typer) -> None:
    """Add `srm export` and `srm import` to the root app."""
    app.command("export")(export)
    app.command("import")(import_)
