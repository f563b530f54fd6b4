"""The HTML writer: a page that opens anywhere and fetches nothing — no scripts, no
fonts, no images, no links to follow. Every piece of user text is HTML-escaped, and
control characters are shown as escapes."""

from __future__ import annotations

import html
from typing import IO, TYPE_CHECKING, Any

from srmcli import wording
from srmcli.views import Grid, Line, Pairs, Points, Trend, cell_style, cell_text

if TYPE_CHECKING:
    from srmcli.views import CellValue, View

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 72em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { text-align: left; vertical-align: top; padding: 0.2em 0.8em 0.2em 0; }
th { border-bottom: 1px solid #888; } td.right, th.right { text-align: right; }
tfoot td { border-top: 1px solid #888; font-weight: bold; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; } dd { margin: 0; }
.alert { color: #b00020; } .muted { color: #777; } .strong { font-weight: bold; }
.good { color: #1b5e20; }
"""


def escape(value: str) -> str:
    shown = html.escape(wording.visible(value), quote=True)
    return shown.replace("\r", "").replace("\n", "<br>")


def _cell(value: CellValue, tag: str = "td", right: bool = False) -> str:
    classes = " ".join(c for c in (cell_style(value), "right" if right else None) if c)
    attribute = f' class="{classes}"' if classes else ""
    return f"<{tag}{attribute}>{escape(cell_text(value))}</{tag}>"


def _grid(grid: Grid) -> list[str]:
    out = ["<table>", "<thead><tr>"]
    out += [_cell(c.full_title, "th", c.right) for c in grid.columns]
    out += ["</tr></thead>", "<tbody>"]
    for row in grid.rows:
        cells = "".join(_cell(v, right=c.right) for v, c in zip(row, grid.columns, strict=True))
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody>")
    if grid.footer is not None:
        footer = zip(grid.footer, grid.columns, strict=True)
        cells = "".join(_cell(v, right=c.right) for v, c in footer)
        out.append(f"<tfoot><tr>{cells}</tr></tfoot>")
    out.append("</table>")
    return out


def document(view: View) -> str:
    title = escape(view.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        # nothing may be fetched: no scripts, styles, fonts or images from anywhere
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    subtitle = view.extra.get("subtitle")
    if subtitle:
        out.append(f"<p>{escape(subtitle)}</p>")
    for section in view.layout():
        heading = getattr(section, "title", None)
        if heading and not isinstance(section, Line):
            out.append(f"<h2>{escape(heading)}</h2>")
        if isinstance(section, Trend) and section.series:
            from srmcli.writers.charts import inline_svg

            # drawn inline: the page still fetches nothing (no script, font or image)
            out.append(
                f'<div class="charts">{inline_svg(section.series, section.title or "")}</div>'
            )
        if isinstance(section, Grid):
            if section.rows:
                out += _grid(section)
            else:
                out.append(f'<p class="muted">{escape(section.empty)}</p>')
        elif isinstance(section, Pairs):
            out.append("<dl>")
            for label, value in section.pairs:
                out.append(f"<dt>{escape(label)}</dt>{_cell(value, 'dd')}")
            out.append("</dl>")
        elif isinstance(section, Line):
            out.append(_cell(wording_cell(section), "p"))
        elif isinstance(section, Points):
            items = list(section.items) or [section.empty]
            out.append("<ol>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ol>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def wording_cell(line: Line) -> CellValue:
    from srmcli.views import Cell

    return Cell(line.text, line.style)


class HtmlWriter:
    names = ("html",)
    extensions = (".html", ".htm")
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        out.write(document(view))
