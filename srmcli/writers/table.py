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
    """Widths of `columns` that fit `available` (gaps excluded by the caller).

    Figures keep their widest cell. Names and free text start at their longest word (so
    no word is split), names whole when the table is wide; the room left goes to names
    first (a name reads best on one line), then to free text, the narrowest column first,
    each up to its natural width. Only when even the longest words do not fit do the
    flexible columns give way (`_squeeze`), and a word is folded."""
    shown = [[wording.visible(cell_text(c)) for c in row] for row in rows]
    natural: list[int] = []
    words: list[int] = []
    least: list[int] = []
    wide = available >= NAME_WIDTH - len(columns)
    for i, column in enumerate(columns):
        cells = [r[i] for r in shown] + [column.title]
        natural.append(max(max(_longest_line(c) for c in cells), 1))
        words.append(min(natural[i], max(max(_longest_word(c) for c in cells), 1)))
        keep_whole = column.kind == "figure" or (column.kind == "name" and wide)
        least.append(natural[i] if keep_whole else words[i])
    if sum(natural) <= available:
        return natural
    widths = list(least)
    spare = available - sum(widths)
    if spare < 0:
        return _squeeze(columns, widths, words, available, wide=wide)
    for kind in ("name", "text"):
        spare = _fill(widths, natural, [i for i, c in enumerate(columns) if c.kind == kind], spare)
    return widths


def _fill(widths: list[int], natural: list[int], flexible: list[int], spare: int) -> int:
    """Give `spare` columns to `flexible`, the narrowest first, none past its natural
    width; what is left over is returned."""
    while spare > 0:
        growing = [i for i in flexible if widths[i] < natural[i]]
        if not growing:
            break
        narrowest = min(growing, key=lambda i: widths[i])
        widths[narrowest] += 1
        spare -= 1
    return spare


PHRASE = 15  # on a wide table, free text keeps this much of its longest word before a name


def _squeeze(
    columns: Sequence[Column], widths: list[int], words: list[int], available: int, *, wide: bool
) -> list[int]:
    """The longest words do not fit: the widest flexible column gives way first, so the
    longest word is the one folded (a supplier name of one 34-letter word, not every word
    of a description). On a wide table a name keeps its whole width for as long as free
    text can give way without folding words of a phrase's length; figures never give way."""
    text = tuple(i for i, c in enumerate(columns) if c.kind == "text")
    names = tuple(i for i, c in enumerate(columns) if c.kind == "name")
    stages: list[tuple[tuple[int, ...], list[int]]] = []
    if wide:
        stages.append((text, [min(words[i], PHRASE) for i in range(len(columns))]))
        stages.append((names, words))
    stages.append((text + names, [4] * len(columns)))
    deficit = sum(widths) - available
    for flexible, floor in stages:
        while deficit > 0:
            shrinkable = [i for i in flexible if widths[i] > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            deficit -= 1
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
        # the footer (a receipt's total) is measured with the rows, so it is not cut
        measured = rows + ([list(grid.footer)] if grid.footer is not None else [])
        widths = column_widths(columns, measured, options.max_width - gaps)
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
        show_edge=False,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, value in section.pairs:
        table.add_row(text(label), text(value))
    return table


def _points(items: Sequence[str]) -> Any:
    """A numbered list whose wrapped lines stay indented under their own point."""
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(overflow="fold")
    for n, item in enumerate(items, 1):
        table.add_row(text(f"{n}."), text(item))
    return table


def renderables(view: View) -> Iterator[Any]:
    """Each section of `view` as a Rich renderable, in order (after the view's `heading`,
    when it has one: the line a printed report starts with, where a document has its
    title and subtitle)."""
    heading = view.extra.get("heading")
    if heading:
        yield text(heading, "bold")
    for n, section in enumerate(view.layout()):
        if n:
            yield text("")  # a blank line between sections, as between paragraphs
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
            yield _points(list(section.items) or [section.empty])


class TableWriter:
    names = ("table",)
    extensions = (".txt",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        from srmcli import render

        console = render.file_console(out) if to_file else render.console()
        for item in renderables(view):
            console.print(item)
