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

# Markdown's inline syntax (emphasis, code, links, tables, strike-through), and what
# starts a block when it begins a line (headings, lists, rules, quotes)
_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(\s*\d*)([#+=-]|(?<=\d)[.)])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(value: str) -> str:
    """`value` as literal Markdown text on one line (a newline becomes `<br>`)."""
    shown = wording.visible(value, newlines=True)
    shown = "".join(_HTML.get(c, c) for c in shown)
    shown = _SYNTAX.sub(r"\\\1", shown)
    shown = _BLOCK_START.sub(r"\1\\\2", shown)
    return "<br>".join(part.strip() for part in shown.split("\n"))


def _cell(value: CellValue) -> str:
    return escape(cell_text(value))


def _table(grid: Grid) -> list[str]:
    headers = [escape(c.title) for c in grid.columns]
    align = ["---:" if c.right else "---" for c in grid.columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in grid.rows]
    if grid.footer is not None:
        footer = [f"**{_cell(c)}**" if cell_text(c) else "" for c in grid.footer]
        lines.append("| " + " | ".join(footer) + " |")
    return lines


def document(view: View) -> str:
    lines = [f"# {escape(view.title)}", ""]
    for section in view.layout():
        if isinstance(section, Grid):
            if section.title:
                lines += [f"## {escape(section.title)}", ""]
            lines += _table(section) if section.rows else [escape(section.empty)]
        elif isinstance(section, Pairs):
            if section.title:
                lines += [f"## {escape(section.title)}", ""]
            lines += [f"- **{escape(label)}**: {_cell(value)}" for label, value in section.pairs]
        elif isinstance(section, Line):
            text = escape(section.text)
            lines.append(f"**{text}**" if section.style == "strong" else text)
        elif isinstance(section, Points):
            if section.title:
                lines += [f"## {escape(section.title)}", ""]
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
