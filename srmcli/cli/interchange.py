"""`srm export` and `srm import`: records out to CSV/JSON/JSON lines/xlsx and back in."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from srmcli.render import stop_writing_quietly

if TYPE_CHECKING:
    from srmcli.readers import Source
    from srmcli.values import Conventions

KIND_HELP = (
    "suppliers, contacts, interactions, issues, followups, projects, candidates, "
    "status-lines, history, or all (every kind, one file each in a folder)."
)
# below this size an import is over before a progress bar would be worth drawing
LARGE_IMPORT_BYTES = 1 << 20

# how an imported file is read: shared by `import` and `status import`
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="The sheet of a workbook to read (default the first).", metavar="NAME"
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="The text encoding of a CSV that is not UTF-8 (e.g. cp1252).",
        metavar="NAME",
    ),
]
DecimalOption = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="The decimal mark of numbers written as text: , or . (the other mark and "
        "spaces then separate thousands). Without it 1.000 and 1,5 are refused.",
        metavar=",|.",
    ),
]
DateFormatOption = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        help="How dates with slashes are written, e.g. %d/%m/%Y (ISO and DD.MM.YYYY are "
        "always read).",
        metavar="PATTERN",
    ),
]


def file_conventions(decimal: str | None, date_format: str | None) -> Conventions:
    """--decimal and --date-format, checked."""
    from srmcli import values

    return values.Conventions(
        decimal=None if decimal is None else values.decimal_mark(decimal),
        date_format=None if date_format is None else values.date_pattern(date_format),
    )


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
            help="Write to this file (mode 0600) instead of stdout; FILE.xlsx is a workbook; "
            "with `all`, the folder.",
            metavar="FILE",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, json, jsonl or xlsx (default csv, or xlsx for -o FILE.xlsx).",
            metavar="FORMAT",
        ),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="No formula guard: cells starting with = + - @ stay as they are."
        ),
    ] = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="Start the CSV with a UTF-8 byte-order mark, so that Excel and LibreOffice "
            "open accented names right.",
        ),
    ] = False,
) -> None:
    """Export records as CSV, JSON, JSON lines or xlsx, streamed (any size, flat memory)."""
    from srmcli import dates, db, files, render, wording
    from srmcli.errors import InvalidValueError
    from srmcli.services import interchange

    if kind.strip().lower() == "all":
        _export_all(output, fmt, raw, bom, date_from, date_to, supplier, author)
        return
    kind = interchange.parse_kind(kind)
    to_file = bool(output and output != "-")
    fmt = _export_format(fmt, output if to_file else None)
    if fmt == "xlsx" and not to_file:
        raise InvalidValueError("-f xlsx writes a workbook file; add -o FILE.xlsx")
    if bom and fmt != "csv":
        raise InvalidValueError(f"--bom is for CSV; -f {fmt} has no byte-order mark")
    start = dates.parse_day(date_from) if date_from else None
    end = dates.parse_day(date_to) if date_to else None
    if output and to_file:
        files.check_target(output)  # a link or device is refused before the journal is read
    with db.session() as s:
        if output and to_file:
            with files.writing(output, binary=fmt == "xlsx") as fh:
                if bom:
                    fh.write("\ufeff")
                count = interchange.export(
                    session=s, kind=kind, out=fh, fmt=fmt, date_from=start, date_to=end,
                    supplier=supplier, guard=not raw, author=author,
                )  # fmt: skip
            render.say(f"Exported {wording.plural(count, 'row')} of {kind} to {output}.")
        else:
            try:
                if bom:
                    sys.stdout.write("\ufeff")
                interchange.export(
                    session=s, kind=kind, out=sys.stdout, fmt=fmt, date_from=start,
                    date_to=end, supplier=supplier, guard=not raw, author=author,
                )  # fmt: skip
                sys.stdout.flush()
            except BrokenPipeError:
                stop_writing_quietly()


def _export_format(fmt: str | None, output: str | None) -> str:
    """-f as given, else xlsx for -o FILE.xlsx and CSV otherwise; a .xlsx file is
    refused any other format (a spreadsheet would not open it)."""
    from srmcli.errors import InvalidValueError
    from srmcli.services import interchange

    workbook = output is not None and output.lower().endswith(".xlsx")
    if fmt is None:
        return "xlsx" if workbook else "csv"
    chosen = interchange.parse_format(fmt)
    if workbook and chosen != "xlsx":
        raise InvalidValueError(
            f"-o {output} is a workbook; leave out -f {fmt}, or write {fmt} to a file "
            "with another extension"
        )
    return chosen


def import_(
    kind: Annotated[
        str,
        typer.Argument(
            help=f"What to import: {KIND_HELP} Or capture: calendar (.ics), mail (.eml, a "
            "folder of them, mbox, Maildir) or vcards (.vcf).",
            metavar="KIND",
        ),
    ],
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
            help="csv, json, jsonl, xlsx or ods (default: told by the file's content).",
            metavar="FORMAT",
        ),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Keep a leading ' (the file was exported with --raw)."),
    ] = False,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="calendar, mail: from this day (inclusive).", metavar="WHEN"),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="calendar, mail: up to this day (inclusive).", metavar="WHEN"),
    ] = None,
    with_description: Annotated[
        bool,
        typer.Option("--with-description", help="calendar: add each event's description."),
    ] = False,
    with_body: Annotated[
        bool,
        typer.Option("--with-body", help="mail: add the first paragraph of the plain text."),
    ] = False,
    add_contacts: Annotated[
        bool,
        typer.Option(
            "--add-contacts",
            help="calendar, mail: add the people at a supplier's domain who are not contacts.",
        ),
    ] = False,
    supplier: Annotated[
        str | None,
        typer.Option("--supplier", help="vcards: every card is this supplier's contact."),
    ] = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    decimal: DecimalOption = None,
    date_format: DateFormatOption = None,
) -> None:
    """Import records from CSV, JSON, JSON lines or a workbook (xlsx, xlsm, ods); all or
    nothing, rows already in the journal are skipped."""
    from srmcli.cli import capture

    if capture.is_capture(kind):
        capture.refuse_table_options(
            kind, sheet=sheet, encoding=encoding, decimal=decimal, date_format=date_format
        )
        capture.run(
            kind, file, dry_run=dry_run, date_from=date_from, date_to=date_to,
            with_description=with_description, with_body=with_body,
            add_contacts=add_contacts, supplier=supplier, fmt=fmt, raw=raw,
        )  # fmt: skip
        return
    capture.refuse_capture_options(
        kind, date_from=date_from, date_to=date_to, with_description=with_description,
        with_body=with_body, add_contacts=add_contacts, supplier=supplier,
    )  # fmt: skip
    from srmcli import db, readers, render
    from srmcli.services import interchange

    if kind.strip().lower() == "all":
        _import_all(file, dry_run, raw, fmt)
        return
    kind = interchange.parse_kind(kind)
    conventions = file_conventions(decimal, date_format)
    with readers.open_source(file, encoding=encoding, sheet=sheet) as source:
        fmt = interchange.parse_import_format(source.detect_format(fmt))
        with db.session(write=True) as s:
            if _show_progress(source):
                from rich.progress import Progress

                with Progress(console=render.console(stderr=True), transient=True) as bar:
                    task = bar.add_task(f"Importing {kind}", total=source.size)
                    summary = interchange.import_records(
                        session=s, kind=kind, source=source, fmt=fmt, dry_run=dry_run,
                        raw=raw, on_batch=lambda _: bar.update(task, completed=source.position()),
                        conventions=conventions,
                    )  # fmt: skip
            else:
                summary = interchange.import_records(
                    session=s, kind=kind, source=source, fmt=fmt, dry_run=dry_run, raw=raw,
                    conventions=conventions,
                )  # fmt: skip
    what = f"{kind} (dry run, nothing written)" if dry_run else kind
    message = (
        f"{what}: added {summary['added']}, skipped {summary['skipped']}"
        " (already in the journal, or repeated in the file)."
    )
    render.say(message)


def _export_all(
    output: str | None,
    fmt: str | None,
    raw: bool,
    bom: bool,
    *filters: str | None,
) -> None:
    """`srm export all -o FOLDER|FILE.xlsx`: every kind, one file (or sheet) each, all or
    nothing."""
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
    workbook = output.lower().endswith(".xlsx")
    fmt = interchange.parse_format(fmt or ("xlsx" if workbook else "csv"))
    if (fmt == "xlsx") != workbook:
        raise InvalidValueError(
            "export all -f xlsx writes one workbook, a sheet per kind: give -o FILE.xlsx"
            if fmt == "xlsx"
            else f"-o {output} is a workbook; leave out -f {fmt}, or give a folder"
        )
    if bom and fmt != "csv":
        raise InvalidValueError(f"--bom is for CSV; -f {fmt} has no byte-order mark")
    with db.session() as s:
        if workbook:
            files.check_target(output)
            counts = transfer.export_workbook(session=s, path=output)
        else:
            with files.filling_folder(output) as folder:
                counts = transfer.export_all(
                    session=s, folder=folder, fmt=fmt, guard=not raw, bom=bom
                )
    total = sum(counts.values())
    render.say(
        f"Exported {wording.plural(total, 'row')} into {output}: "
        + ", ".join(f"{kind} {n}" for kind, n in counts.items())
        + "."
    )


def _import_all(folder: str, dry_run: bool, raw: bool, fmt: str | None) -> None:
    """`srm import all FOLDER|FILE.xlsx`: what `export all` wrote, in dependency order, one
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
