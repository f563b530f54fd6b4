"""`srm status import|show|list|rm`: a supplier's weekly status reports of open PO lines."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, command_group, output_format, read_stdin, written

app = command_group()

SupplierArg = Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")]

TABLE_COLUMNS = ("po", "line", "item", "received", "promised", "reconciled")


def _read(source: str) -> str:
    """The whole file (or stdin for `-`), read before the journal is locked for writing."""
    from srmcli.errors import InvalidValueError

    if source == "-":
        return read_stdin("standard input")
    try:
        with open(source, encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InvalidValueError(
            f"no file {source!r}; give a CSV file path, or - for stdin"
        ) from None
    except IsADirectoryError:
        raise InvalidValueError(f"{source!r} is a folder; give a CSV file") from None
    except UnicodeDecodeError:
        raise InvalidValueError(f"{source!r} is not UTF-8 text; save the CSV as UTF-8") from None
    except OSError as exc:
        raise InvalidValueError(f"cannot read {source!r}: {exc.strerror}") from None


def _percent(ratio: float | None) -> str:
    return "no data" if ratio is None else f"{ratio * 100:.1f}%"


def _table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from srmcli.render import human

    shaped = []
    for row in rows:
        notes = []
        if row["days_late"] is not None:
            notes.append(f"late {row['days_late']} d")
        if row["days_slipped"] is not None:
            notes.append(f"slipped {row['days_slipped']} d (was {row['previous_promised_date']})")
        if row["days_received_late"] is not None:
            notes.append(f"arrived {row['days_received_late']} d late")
        if not notes:
            full = row["qty_received"] >= row["qty_ordered"]
            notes.append("received" if full else "open")
        shaped.append(
            {
                "po": row["po"],
                "line": row["line"],
                "item": row["item"],
                "received": f"{human(row['qty_received'])} of {human(row['qty_ordered'])}",
                "promised": row["promised_date"],
                "reconciled": "; ".join(notes),
            }
        )
    return shaped


def _emit(result: dict[str, Any], fmt: str) -> None:
    from srmcli import render
    from srmcli.services.status import RECONCILED_COLUMNS, reconciliation_rows

    if fmt == "json":
        render.emit(result, fmt)
        return
    rows = reconciliation_rows(result)
    if fmt == "csv":
        render.emit(rows, fmt, columns=RECONCILED_COLUMNS)
        return
    from rich.text import Text

    previous = result["previous_report_date"]
    since = f"compared with {previous}" if previous else "the first one on file"
    render.show(
        Text.assemble(
            (f"{result['supplier']}", "bold"),
            f": status report {result['report_date']}, {since}\n",
            f"On-time delivery (past year): {_percent(result['on_time_delivery'])}; ",
            f"{len(result['slipped'])} slipped, {len(result['late'])} late, ",
            f"{len(result['received_late'])} arrived late",
        )
    )
    render.emit(_table_rows(rows), "table", table_columns=TABLE_COLUMNS)


@app.command("import")
def import_(
    supplier: SupplierArg,
    source: Annotated[
        str,
        typer.Argument(
            help="CSV with columns po, line, item, qty_ordered, qty_received, "
            "promised_date, received_date; - reads stdin.",
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
    fmt: FormatOption = "table",
) -> None:
    """Import a supplier's weekly status report and reconcile it with the previous one."""
    fmt = output_format(fmt)
    import io

    from srmcli import dates, db, render
    from srmcli.services.status import import_status_report

    report_date = dates.parse_day(when, lean="past") if when is not None else None
    text = _read(source)
    with db.session(write=True) as s:
        result = import_status_report(
            session=s,
            supplier=supplier,
            lines=io.StringIO(text, newline=""),
            report_date=report_date,
            open_issues=open_issues,
            replace=replace,
        )
    if fmt != "table":
        _emit(result, fmt)
        return
    opened = result["opened_issues"]
    issues = ""
    if open_issues:
        ids = ", ".join(f"#{i['id']}" for i in opened)
        issues = f"; opened {len(opened)} late-delivery issue(s)" + (f" ({ids})" if ids else "")
    render.say(
        f"Imported the {result['report_date']} status report of {result['supplier']} "
        f"({len(result['lines'])} lines): {len(result['slipped'])} slipped, "
        f"{len(result['late'])} late, {len(result['received_late'])} arrived late{issues}. "
        f"See: srm status show {result['supplier']!r}"
    )


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
) -> None:
    """Reconcile a supplier's status report: what slipped, what is late, what arrived late."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.status import show_status

    as_of = dates.parse_day(when, lean="past") if when is not None else None
    with db.session() as s:
        result = show_status(session=s, supplier=supplier, as_of=as_of)
    _emit(result, fmt)


@app.command("list")
def list_(supplier: SupplierArg, fmt: FormatOption = "table") -> None:
    """A supplier's status reports, newest first, with their line counts."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.status import REPORT_COLUMNS, list_reports
    from srmcli.services.suppliers import find_supplier
    from srmcli.views.history import reports_view

    with db.session() as s:
        name = find_supplier(session=s, name=supplier).name
        rows = list_reports(session=s, supplier=supplier)
    writers.deliver(reports_view(rows, REPORT_COLUMNS, name), fmt)


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
    written(
        record,
        fmt,
        f"Removed the {record['report_date']} status report of {record['supplier']} "
        f"({record['lines']} lines); `srm history -n 1` shows the change to undo.",
        columns=REPORT_COLUMNS,
        title=f"Status report of {record['supplier']}",
    )


def register(root: typer.Typer) -> None:
    """Add `srm status` to the root app."""
    root.add_typer(
        app, name="status", help="Weekly status reports: import, reconcile, show slips, list, rm."
    )
