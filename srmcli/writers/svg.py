"""The SVG writer: the table as a terminal shows it, as a picture. Rich draws it; its
template's web fonts are left out, so opening the file fetches nothing from the network
(the viewer's own monospace font is used)."""

from __future__ import annotations

import io
import re
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srmcli.views import View

_FONT_FACE = re.compile(r"@font-face\s*\{\{.*?\}\}\s*", re.DOTALL)


def svg_format() -> str:
    """Rich's SVG template without anything that loads from the network."""
    from rich.console import CONSOLE_SVG_FORMAT

    template = _FONT_FACE.sub("", CONSOLE_SVG_FORMAT)
    template = template.replace("Fira Code, monospace", "monospace")
    return re.sub(r"<!--.*?-->", "", template)


class SvgWriter:
    names = ("svg",)
    extensions = (".svg",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        from srmcli import render, wording
        from srmcli.writers.table import renderables

        recorder = render.file_console(io.StringIO(), record=True)
        for item in renderables(view):
            recorder.print(item)
        # the window title is user text too (a supplier's name): controls shown escaped
        title = wording.visible(view.title, newlines=False)
        picture = recorder.export_svg(title=title, code_format=svg_format())
        out.write(with_charts(picture, view))


_VIEW_BOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def with_charts(picture: str, view: View) -> str:
    """The table's picture with the line charts of the view's trends drawn under it (the
    picture nested as it is, the charts beside each other below), or the picture alone."""
    from srmcli.views import Trend
    from srmcli.writers.charts import chart_row

    series = [s for section in view.layout() if isinstance(section, Trend) for s in section.series]
    found = _VIEW_BOX.search(picture)
    if not series or found is None:
        return picture
    width, height = float(found.group(1)), float(found.group(2))
    charts, charts_width, charts_height = chart_row(series, y=height + 10)
    total_w = max(width, charts_width)
    total_h = height + 10 + charts_height + 10
    nested = picture.replace("<svg ", f'<svg x="0" y="0" width="{width:g}" height="{height:g}" ', 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:g}" height="{total_h:g}" '
        f'viewBox="0 0 {total_w:g} {total_h:g}">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{nested}{charts}</svg>\n'
    )
