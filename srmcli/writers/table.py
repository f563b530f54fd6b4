"""The table writer: a view laid out for a terminal (or a plain-text file) with Rich.

User text goes into Rich as `Text`, never as markup, with control characters shown as
escapes (`wording.visible`): a stored `[/]` or `ESC[2J` prints as those characters. Tables
wrap free text at word boundaries and never drop a word; a word longer than its column is
the one thing folded. Figures keep their width; names are never split across lines when
the table is at least 100 columns wide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Line, Pairs, Points, View, cell_text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

STYLES = {"alert": "red", "muted": "dim", "strong": "bold", "good": "green", None: ""}
NAME_WIDTH = 100  # from this table width on, names stay on one line
MIN_TEXT = 20  # free text keeps at least this many columns while anything can give way
FILE_WIDTH = 100  # a table saved with -o FILE is laid out this wide


def text(value: CellValue, style: str | None = None) -> Any:
    """A Rich `Text` of user text: literal, with control characters escaped."""
    from rich.text import Text

    shown = wording.visible(cell_text(value))
    chosen = STYLES.get(value.style if isinstance(value, Cell) else None, "")
    return Text(shown, style=style or chosen)


def _words(value: str) -> list[str]:
    return value.split() or [""]


def _longest_line(value: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in value.split("\n")), default=0)


def _longest_word(value: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in _words(value)), default=0)


def column_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[CellValue]], available: int
) -> list[int]:
    """Widths of `columns` that fit `available` (gaps included by the caller): figures
    at their widest cell; then names (whole, on a wide table), then free text share the
    rest, never below their longest word unless nothing else can give way."""
    shown = [[wording.visible(cell_text(c)) for c in row] for row in rows]
    natural: list[int] = []
    least: list[int] = []
    for i, column in enumerate(columns):
        cells = [r[i] for r in shown] + [column.title]
        widest = max(_longest_line(c) for c in cells)
        word = max(_longest_word(c) for c in cells)
        natural.append(max(widest, 1))
        if column.kind == "figure":
            least.append(natural[i])
        elif column.kind == "name" and available >= NAME_WIDTH - len(columns):
            least.append(natural[i])
        elif column.kind == "text":
            least.append(min(natural[i], max(word, MIN_TEXT)))
        else:
            least.append(min(natural[i], max(word, 1)))
    if sum(natural) <= available:
        return natural
    widths = list(least)
    spare = available - sum(widths)
    if spare < 0:
        # even the least does not fit: flexible columns give way first, down to their
        # longest word and then below it (the one case where a word is folded)
        return _squeeze(columns, widths, available)
    # the rest goes to free text first, then to names, each up to its natural width
    for kind in ("text", "name"):
        for i, column in enumerate(columns):
            if column.kind == kind and spare > 0:
                grow = min(spare, natural[i] - widths[i])
                widths[i] += grow
                spare -= grow
    return widths


def _squeeze(columns: Sequence[Column], widths: list[int], available: int) -> list[int]:
    flexible = [i for i, c in enumerate(columns) if c.kind != "figure"]
    fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    room = max(available - fixed, 4 * len(flexible))
    total = sum(widths[i] for i in flexible) or 1
    for i in flexible:
        widths[i] = max(4, widths[i] * room // total)
    return widths


class GridTable:
    """A Grid laid out for the width it is printed at (see `column_widths`)."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich import box
        from rich.table import Table

        grid = self.grid
        columns = list(grid.columns)
        rows = [list(r) for r in grid.rows]
        gaps = len(columns) - 1
        widths = column_widths(columns, rows, options.max_width - gaps)
        table = Table(
            title=text(grid.title, "bold") if grid.title else None,
            box=box.SIMPLE_HEAD,
            title_justify="left",
            show_edge=False,
            pad_edge=False,
            padding=0,
            collapse_padding=True,
            show_footer=grid.footer is not None,
        )
        footer = list(grid.footer) if grid.footer is not None else [""] * len(columns)
        for column, width, foot in zip(columns, widths, footer, strict=True):
            table.add_column(
                text(column.title),
                footer=text(foot),
                justify="right" if column.right else "left",
                width=width,
                no_wrap=column.kind == "figure",
                overflow="fold",
            )
        for row in rows:
            table.add_row(*(text(c) for c in row))
        yield table


def _pairs(section: Pairs) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=text(section.title, "bold") if section.title else None,
        box=box.SIMPLE_HEAD,
        show_header=False,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, value in section.pairs:
        table.add_row(text(label), text(value))
    return table


def renderables(view: View) -> Iterator[Any]:
    """Each section of `view` as a Rich renderable, in order."""
    for section in view.layout():
        if isinstance(section, Grid):
            if section.rows:
                yield GridTable(section)
            else:
                yield text(Cell(section.empty, "muted"))
        elif isinstance(section, Pairs):
            yield _pairs(section)
        elif isinstance(section, Line):
            yield text(Cell(section.text, section.style))
        elif isinstance(section, Points):
            if section.title:
                yield text(section.title, "bold")
            items = list(section.items) or [section.empty]
            for n, item in enumerate(items, 1):
                yield text(f"{n}. {item}")


class TableWriter:
    names = ("table",)
    extensions = (".txt",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        from srmcli import render

        console = render.file_console(out) if to_file else render.console()
        for item in renderables(view):
            console.print(item)
