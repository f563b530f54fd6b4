"""`srm scorecard SUPPLIER`: the scorecard to share with the supplier, for every writer.

It words only what `services.scorecard` put in the record, which holds nothing
confidential to begin with; the on-time delivery columns follow `scorecard.DELIVERY`, so
a figure added there shows in every format without a change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Pairs, Section, View


def _share(value: float | None) -> str:
    return "no data" if value is None else wording.percent(value)


def _summary(card: Mapping[str, Any], delivery: list[tuple[str, str]]) -> Pairs:
    s = card["summary"]
    pairs: list[tuple[str, CellValue]] = [(label, _share(s[key])) for key, label in delivery]
    pairs += [
        ("promise reliability", _share(s["promise_reliability"])),
        (f"service score on {wording.day(card['to'])}", str(s["service_score"])),
        ("open issues", str(s["open_issues"])),
        ("overdue promises", str(s["overdue_promises"])),
    ]
    return Pairs(pairs, title="In short")


def _months(card: Mapping[str, Any], delivery: list[tuple[str, str]]) -> Grid:
    columns = [Column("month")]
    columns += [Column(key, label, right=True) for key, label in delivery]
    columns.append(Column("service_score", "service score", right=True))
    rows = [
        [row["month"], *(_share(row[key]) for key, _ in delivery), str(row["service_score"])]
        for row in card["months"]
    ]
    return Grid(columns=columns, rows=rows, title="By month")


def _kinds(card: Mapping[str, Any]) -> Grid:
    columns = [
        Column("kind"),
        Column("opened", right=True),
        Column("resolved", right=True),
        Column("mean_days_to_resolve", "mean days to resolve", right=True),
        Column("open", "open now", right=True),
    ]
    rows: list[list[CellValue]] = [
        [
            r["kind"],
            str(r["opened"]),
            str(r["resolved"]),
            wording.cell(r["mean_days_to_resolve"]),
            Cell(str(r["open"]), "alert") if r["open"] else "0",
        ]
        for r in card["issues_by_kind"]
    ]
    return Grid(columns=columns, rows=rows, title="Issues by kind", empty="No issues.")


def _asks(card: Mapping[str, Any]) -> list[Section]:
    issues = Grid(
        columns=[
            Column("id", "#", right=True),
            Column("kind"),
            Column("severity", right=True),
            Column("opened"),
            Column("escalated"),
            Column("days_open", "days open", right=True),
            Column("subject", "issue", kind="text"),
        ],
        rows=[
            [
                f"#{r['id']}",
                r["kind"],
                str(r["severity"]),
                wording.day(r["opened"]),
                wording.day(r["escalated"]),
                str(r["days_open"]),
                wording.cell(r["subject"]),
            ]
            for r in card["open_issues"]
        ],
        title="What we ask: resolve these open issues",
        empty="No open issues.",
    )
    promises = Grid(
        columns=[
            Column("id", "#", right=True),
            Column("text", "promise", kind="text"),
            Column("due"),
            Column("days_overdue", "days overdue", right=True),
        ],
        rows=[
            [f"#{r['id']}", r["text"], wording.day(r["due"]), Cell(str(r["days_overdue"]), "alert")]
            for r in card["overdue_promises"]
        ],
        title="What we ask: keep these overdue promises",
        empty="No overdue promises.",
    )
    return [issues, promises]


def _sheets(
    card: Mapping[str, Any], delivery: list[tuple[str, str]]
) -> list[tuple[str, list[str], list[Mapping[str, Any]]]]:
    """The workbook's sheets: the summary as one row, then each table of the card."""
    keys = [key for key, _ in delivery]
    heading = {k: card[k] for k in ("supplier", "from", "to", "prepared")}
    summary = [{**heading, **card["summary"]}]
    return [
        ("scorecard", [*heading, *card["summary"]], summary),
        ("months", ["month", "from", "to", *keys, "service_score"], card["months"]),
        ("issues by kind", ["kind", "opened", "resolved", "mean_days_to_resolve", "open"],
         card["issues_by_kind"]),
        ("open issues", ["id", "kind", "severity", "status", "opened", "escalated",
                         "days_open", "subject"], card["open_issues"]),
        ("overdue promises", ["id", "text", "due", "days_overdue"], card["overdue_promises"]),
    ]  # fmt: skip


def scorecard_view(card: Mapping[str, Any]) -> View:
    from srmcli.services.scorecard import DELIVERY

    delivery = [(key, label) for key, label, _ in DELIVERY]
    period = f"{wording.day(card['from'])} to {wording.day(card['to'])}"
    title = f"{card['supplier']}: scorecard {period}"

    def layout() -> list[Section]:
        return [_summary(card, delivery), _months(card, delivery), _kinds(card), *_asks(card)]

    return View(
        title=title,
        sections=layout,
        data=card,
        name="scorecard",
        extra={
            "sheets": _sheets(card, delivery),
            "heading": title,
            "subtitle": (
                f"Prepared {wording.day(card['prepared'])}. On-time delivery: what was "
                "promised for each month, received by its promised date. Service score: "
                "as of each month's end."
            ),
        },
    )
