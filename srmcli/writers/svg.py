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
        from srmcli import render
        from srmcli.writers.table import renderables

        recorder = render.file_console(io.StringIO(), record=True)
        for item in renderables(view):
            recorder.print(item)
        out.write(recorder.export_svg(title=view.title, code_format=svg_format()))
