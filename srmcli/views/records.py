"""Records as people and scripts read them: supplier, contact and follow-up listings, the
supplier card, and the record a write prints with `-f json|csv`.

`data` keeps the SPEC §7 records exactly (who recorded a row is shown in tables only, so
it is left out of the data); the tables word each value once through `wording`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Pairs, View, listing

SUPPLIER_TABLE = (
    Column("name", kind="name"),
    Column("category", kind="text"),
    Column("size"),
    Column("status"),
    Column("access"),
    Column("cadence_days", "cadence days", right=True),
    Column("tags", kind="text"),
)
CONTACT_TABLE = (
    Column("name", kind="name"),
    Column("role"),
    Column("title", kind="text"),
    Column("email", kind="text"),
    Column("phone"),
    Column("active"),
    Column("author", "by", kind="name"),
)
FOLLOWUP_TABLE = (
    Column("id", "#", right=True),
    Column("supplier", kind="name"),
    Column("owner"),
    Column("text", kind="text"),
    Column("due"),
    Column("overdue", "days late", right=True),
    Column("done", "done on"),
    Column("author", "by", kind="name"),
)


def picked(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """`rows` with only `columns`, in that order (a row may carry extras for tables)."""
    for row in rows:
        yield {c: row.get(c) for c in columns}


def record_view(
    record: Mapping[str, Any],
    columns: Sequence[str] | None = None,
    *,
    title: str = "Record",
    labels: Mapping[str, str] | None = None,
) -> View:
    """One record: its fields as labelled lines for people, the record itself for
    scripts (SPEC §7 order for CSV)."""
    names = labels or {}
    columns = list(columns or record.keys())
    pairs: list[tuple[str, CellValue]] = [
        (names.get(c, c.replace("_", " ")), wording.cell(record.get(c)))
        for c in columns
        if c in record
    ]
    return View(
        title=title,
        sections=[Pairs(pairs=pairs, title=title)],
        data=record,
        columns=columns,
        name="record",
    )


def supplier_list(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> View:
    return listing(
        rows,
        SUPPLIER_TABLE,
        title="Suppliers",
        data_columns=columns,
        empty="No suppliers yet. Add one with: srm supplier add NAME",
        name="suppliers",
        titled=False,
    )


def supplier_card(
    record: Mapping[str, Any], contacts: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> View:
    """A supplier and the people there; the data is the supplier record alone."""
    shown = [*columns, "author"] if "author" in record else list(columns)
    pairs = [(key.replace("_", " "), wording.cell(record.get(key))) for key in shown]
    people = Grid(
        columns=CONTACT_TABLE,
        rows=[[wording.cell(c.get(col.key)) for col in CONTACT_TABLE] for c in contacts],
        title="Contacts",
        empty="No contacts yet: srm contact add SUPPLIER NAME --role ROLE",
    )
    return View(
        title=record["name"],
        sections=[Pairs(pairs, title=record["name"]), people],
        data={key: record[key] for key in columns},
        columns=columns,
        name="supplier",
    )


def contact_list(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> View:
    view = listing(
        rows,
        (Column("supplier", kind="name"), *CONTACT_TABLE),
        title="Contacts",
        data_columns=columns,
        empty="No contacts yet. Add one with: srm contact add SUPPLIER NAME --role ROLE",
        name="contacts",
        titled=False,
    )
    view.data = picked(rows, columns)
    return view


def followup_list(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, overdue_only: bool
) -> View:
    from srmcli.services.followups import days_overdue

    def cells(row: Mapping[str, Any]) -> list[CellValue]:
        late = days_overdue(dict(row))
        return [
            str(row["id"]),
            row["supplier"],
            row["owner"],
            wording.cell(row["text"]),
            wording.day(row["due"]),
            Cell(str(late), "alert") if late else "-",
            wording.day(row["done_at"]),
            wording.cell(row.get("author")),
        ]

    view = listing(
        rows,
        FOLLOWUP_TABLE,
        title="Follow-ups",
        data_columns=columns,
        empty="Nothing overdue." if overdue_only else "No open follow-ups.",
        word=cells,
        name="followups",
        titled=False,
    )
    view.data = picked(rows, columns)
    return view
