"""The Markdown writer: a prep document. User text is escaped, so a `<script>` in a note
is shown as text and `*`, `_`, `[…](…)` or `|` cannot restyle, link or break a table;
control characters are shown as escapes. Markdown has no width: text is never shortened.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any

from srmcli import wording
from srmcli.views import Grid, Line, Pairs, Points, cell_text

if TYPE_CHECKING:
    from srmcli.views import CellValue, View

# Markdown's inline syntax (emphasis, code, links, tables, strike-through)
_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
# what starts a block when it begins a line: a heading (`# `), a list item (`- `, `+ `,
# `1. `, `1) `) or a setext underline (`---`, `===`); `>` is escaped as HTML, and a
# number such as `0.9` or a date such as `2026-11-20` starts nothing
_HEADING_OR_BULLET = re.compile(r"^(#{1,6}|[-+])(?=\s|$)")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_UNDERLINE = re.compile(r"^([-=])(?=[-=\s]*$)")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(value: str, *, starts_line: bool = True) -> str:
    """`value` as literal Markdown text on one line (a newline becomes `<br>`).
    `starts_line`: the text begins a line of the document (a paragraph, a list item's
    text), so what would start a heading or a list there is escaped too; a table cell or
    the text after a label cannot start a block."""
    shown = wording.visible(value, newlines=True)
    shown = "".join(_HTML.get(c, c) for c in shown)
    shown = _SYNTAX.sub(r"\\\1", shown)
    shown = "<br>".join(part.strip() for part in shown.split("\n"))
    if starts_line:
        shown = _HEADING_OR_BULLET.sub(r"\\\1", shown)
        shown = _NUMBERED.sub(r"\1\\\2", shown)
        shown = _UNDERLINE.sub(r"\\\1", shown)
    return shown


def _cell(value: CellValue) -> str:
    return escape(cell_text(value), starts_line=False)


def _table(grid: Grid) -> list[str]:
    headers = [escape(c.full_title, starts_line=False) for c in grid.columns]
    align = ["---:" if c.right else "---" for c in grid.columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in grid.rows]
    if grid.footer is not None:
        footer = [f"**{_cell(c)}**" if cell_text(c) else "" for c in grid.footer]
        lines.append("| " + " | ".join(footer) + " |")
    return lines


def document(view: View) -> str:
    lines = [f"# {escape(view.title, starts_line=False)}", ""]
    subtitle = view.extra.get("subtitle")
    if subtitle:
        lines += [escape(subtitle), ""]
    for section in view.layout():
        if isinstance(section, Grid):
            if section.title:
                lines += [f"## {escape(section.title, starts_line=False)}", ""]
            lines += _table(section) if section.rows else [escape(section.empty)]
        elif isinstance(section, Pairs):
            if section.title:
                lines += [f"## {escape(section.title, starts_line=False)}", ""]
            lines += [
                f"- **{escape(label, starts_line=False)}**: {_cell(value)}"
                for label, value in section.pairs
            ]
        elif isinstance(section, Line):
            text = escape(section.text)
            lines.append(f"**{text}**" if section.style == "strong" else text)
        elif isinstance(section, Points):
            if section.title:
                lines += [f"## {escape(section.title, starts_line=False)}", ""]
            items = list(section.items) or [section.empty]
            lines += [f"{n}. {escape(item)}" for n, item in enumerate(items, 1)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


class MarkdownWriter:
    names = ("markdown",)
    extensions = (".md", ".markdown")
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        out.write(document(view))
