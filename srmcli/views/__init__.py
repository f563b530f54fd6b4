"""Views: every report and listing built once as plain data, for any writer.

A `View` carries two faces of the same content:

- `data`: what scripts read (SPEC §7 shapes) — a JSON object, or an iterable of rows for a
  listing; numbers stay numbers, dates stay dates, text stays exactly as stored. The JSON,
  JSONL and CSV writers use it (CSV with `columns`, or `csv_rows` when the CSV shape of a
  report differs from its JSON, as the brief's one-row CSV does).
- `sections`: what people read — titled tables, key/value pairs, lines and numbered
  points, with figures already worded (`wording`). The table, Markdown, HTML and SVG
  writers lay them out, and each escapes user text for its own format.

A view never prints and never knows a format; a writer never computes a figure. Adding a
format is one writer (`srmcli.writers`), not an edit in every command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# How a column behaves in a table: `text` is free text that takes the slack and wraps at
# word boundaries; `name` is a supplier or person (never split when the table is at least
# 100 columns wide); `figure` is short (a number, a date, a code) and never wraps.
ColumnKind = Literal["text", "name", "figure"]
# Emphasis a writer may show: `alert` (red), `muted` (dim), `strong` (bold), `good`.
Style = Literal["alert", "muted", "strong", "good"] | None


@dataclass(frozen=True)
class Cell:
    """A worded value with an emphasis."""

    text: str
    style: Style = None


CellValue = str | Cell


@dataclass(frozen=True)
class Column:
    key: str
    header: str = ""
    kind: ColumnKind = "figure"
    right: bool = False  # right-aligned (figures)
    spelled: str = ""  # the header in full where width costs nothing (Markdown, HTML)

    @property
    def title(self) -> str:
        """The header a table shows (it may be two short lines)."""
        return self.header or self.key.replace("_", " ")

    @property
    def full_title(self) -> str:
        """The header a document shows: spelled out, on one line."""
        return self.spelled or " ".join(self.title.split())


@dataclass
class Grid:
    """A titled table: rows of worded cells, one per column."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[CellValue]]
    title: str | None = None
    empty: str = "Nothing to show."
    footer: Sequence[CellValue] | None = None


@dataclass(frozen=True)
class Series:
    """One measure over time: its values (None where there is no figure), worded values
    for labels, and the top of its scale (100 for a score, 1 for a share), so charts of
    the same measure compare by eye."""

    name: str
    labels: Sequence[str]
    values: Sequence[float | None]
    shown: Sequence[str]
    top: float


@dataclass
class Trend(Grid):
    """Figures over time: a Grid (one row per measure, a sparkline among its cells) that
    every writer lays out as a table, and that documents (HTML, SVG) also draw as small
    line charts from `series`."""

    series: Sequence[Series] = ()


@dataclass
class Pairs:
    """Labelled values, one per line (a record, a header block, a service summary)."""

    pairs: Sequence[tuple[str, CellValue]]
    title: str | None = None


@dataclass
class Line:
    """A sentence or heading of its own."""

    text: str
    style: Style = None


@dataclass
class Points:
    """A numbered list (talking points)."""

    items: Sequence[str]
    title: str | None = None
    empty: str = "Nothing stands out."


Section = Grid | Pairs | Line | Points


@dataclass
class View:
    """One report or listing, ready for any writer."""

    title: str
    sections: Sequence[Section] | Callable[[], Sequence[Section]]
    data: Mapping[str, Any] | Iterable[Mapping[str, Any]]
    columns: Sequence[str] | None = None  # CSV columns of `data` rows (SPEC §7 order)
    csv_rows: Iterable[Mapping[str, Any]] | None = None  # when CSV differs from `data`
    name: str = "srm"  # a short name for file titles and sheet names
    # writer hints: `heading` (the first line of a printed table, where a document shows
    # its title and `subtitle`), `subtitle` (a line under a document's title), `raw`
    extra: dict[str, Any] = field(default_factory=dict)

    def layout(self) -> Sequence[Section]:
        """The sections for people (built now when the view defers them)."""
        return self.sections() if callable(self.sections) else self.sections


def cell_text(value: CellValue) -> str:
    return value.text if isinstance(value, Cell) else value


def cell_style(value: CellValue) -> Style:
    return value.style if isinstance(value, Cell) else None


def listing(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str,
    data_columns: Sequence[str],
    empty: str = "Nothing to show.",
    word: Callable[[Mapping[str, Any]], Sequence[CellValue]] | None = None,
    name: str = "srm",
    titled: bool = True,
) -> View:
    """A plain listing: the rows as data, and one table of `columns`, each row worded by
    `word(row)` (default: every column's value through `wording.cell`). The table is laid
    out only when a human format asks for it, so JSON and CSV stream from the query.
    `titled=False` leaves the title off the table (a file written from it keeps it)."""

    def layout() -> list[Section]:
        from srmcli import wording

        def plain(row: Mapping[str, Any]) -> list[CellValue]:
            return [wording.cell(row.get(c.key)) for c in columns]

        cells = word or plain
        rows_shown = [cells(r) for r in rows]
        heading = title if titled else None
        return [Grid(columns=columns, rows=rows_shown, title=heading, empty=empty)]

    return View(title=title, sections=layout, data=rows, columns=data_columns, name=name)
