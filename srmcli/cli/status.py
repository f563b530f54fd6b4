"""`srm status import|show|list|rm`: a supplier's weekly status reports of open PO lines."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format, wrote
from srmcli.cli.interchange import DateFormatOption, DecimalOption, EncodingOption, SheetOption

app = command_group()

SupplierArg = Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")]


def _deliver(result: dict[str, Any], fmt: str, out: str | None = None) -> None:
    from srmcli import writers
    from srmcli.services.status import RECONCILED_COLUMNS
    from srmcli.views.status import reconciliation

    writers.deliver(reconciliation(result, RECONCILED_COLUMNS), fmt, out)


@app.command("import")
def import_(
    supplier: SupplierArg,
    source: Annotated[
        str,
        typer.Argument(
            help="CSV or workbook (xlsx, xlsm, ods): columns po, line, item, qty_ordered, "
            "qty_received, promised_date, received_date under the supplier's own headers; "
            "- reads stdin.",
            metavar="FILE|-",
        ),
    ],
    when: Annotated[
        str | None,
        typer.Option("--date", help="The report's date (default today).", metavar="WHEN"),
    ] = None,
    open_issues: Annotated[
        bool,
        typer.Option(
            "--open-issues",
            help="Open a late-delivery issue for each late line that has no unresolved one.",
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the supplier's report of the same date."),
    ] = False,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    decimal: DecimalOption = None,
    date_format: DateFormatOption = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=HEADER: the supplier's header for a column (repeatable; "
            "remembered for this supplier).",
            metavar="COLUMN=HEADER",
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Import a supplier's weekly status report and reconcile it with the previous one."""
    fmt = output_format(fmt)
    from srmcli import dates, db, readers, render
    from srmcli.cli.interchange import file_conventions
    from srmcli.services.status import import_status_report, read_status_file
    from srmcli.services.status_headers import matcher_for
    from srmcli.services.suppliers import find_supplier

    report_date = dates.parse_day(when, lean="past") if when is not None else None
    conventions = file_conventions(decimal, date_format)
    with db.session() as s:
        matcher = matcher_for(
            session=s, supplier=find_supplier(session=s, name=supplier), maps=maps or []
        )
    with readers.open_source(source, encoding=encoding, sheet=sheet) as file:
        # the whole file is read and checked before the journal is locked for writing
        table = read_status_file(file, file.detect_format(), matcher)
        rows = list(table.rows)
    table.rows = iter(rows)
    with db.session(write=True) as s:
        result = import_status_report(
            session=s,
            supplier=supplier,
            table=table,
            report_date=report_date,
            open_issues=open_issues,
            replace=replace,
            conventions=conventions,
            matcher=matcher,
        )
    if fmt != "table":
        _deliver(result, fmt)
        return
    from srmcli.views.status import imported

    render.say(imported(result, open_issues=open_issues))


@app.command("show")
def show(
    supplier: SupplierArg,
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Show the newest report on or before this day (default: the newest).",
            metavar="WHEN",
        ),
    ] = None,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """Reconcile a supplier's status report: what slipped, what is late, what arrived late."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.status import show_status

    as_of = dates.parse_day(when, lean="past") if when is not None else None
    with db.session() as s:
        result = show_status(session=s, supplier=supplier, as_of=as_of)
    _deliver(result, fmt, out)


@app.command("list")
def list_(supplier: SupplierArg, fmt: FormatOption = "table", out: OutputOption = None) -> None:
    """A supplier's status reports, newest first, with their line counts."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.status import REPORT_COLUMNS, list_reports
    from srmcli.services.suppliers import find_supplier
    from srmcli.views.history import reports_view

    with db.session() as s:
        name = find_supplier(session=s, name=supplier).name
        rows = list_reports(session=s, supplier=supplier)
    writers.deliver(reports_view(rows, REPORT_COLUMNS, name), fmt, out)


@app.command("rm")
def rm(
    supplier: SupplierArg,
    day: Annotated[
        str,
        typer.Option("--date", help="The report's date (see `srm status list`).", metavar="DAY"),
    ],
    fmt: FormatOption = "table",
) -> None:
    """Remove a status report imported by mistake (kept in the history; `srm undo`
    brings it back)."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.status import REPORT_COLUMNS, remove_report

    report_date = dates.parse_day(day, lean="past")
    with db.session(write=True) as s:
        record = remove_report(session=s, supplier=supplier, report_date=report_date)
    wrote(
        record,
        fmt,
        f"Removed the {record['report_date']} status report of {record['supplier']} "
        f"({record['lines']} lines); `srm history -n 1` shows the change to undo.",
        columns=REPORT_COLUMNS,
    )


@app.command("map")
def map_(
    supplier: SupplierArg,
    clear: Annotated[
        bool, typer.Option("--clear", help="Forget the headers remembered for this supplier.")
    ] = False,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """The supplier's own status-report headers remembered from `status import --map`."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services import status_headers
    from srmcli.services.suppliers import find_supplier
    from srmcli.views.status import header_map

    with db.session(write=clear) as s:
        found = find_supplier(session=s, name=supplier)
        if clear:
            kept = status_headers.forget(session=s, supplier=found)
        else:
            kept = status_headers.remembered(session=s, supplier=found)
    writers.deliver(header_map(found.name, kept, cleared=clear), fmt, out)


def register(root: typer.Typer) -> None:
    """Add `srm status` to the root app."""
    root.add_typer(
        app,
        name="status",
        help="Weekly status reports: import, reconcile, show slips, list, rm, map headers.",
    )
