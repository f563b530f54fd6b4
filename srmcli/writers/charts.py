"""Small line charts of a measure over time, as SVG markup for the HTML and SVG writers.

Each chart is self-contained inline SVG: lines, dots and text, no scripts, no links, no
fonts or images fetched (text uses the viewer's own sans-serif font). Every piece of text
in it is escaped, and values come from the view as numbers, so nothing from the journal
can become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from srmcli import wording
from srmcli.views import Series

WIDTH = 320
HEIGHT = 110
LEFT = 44  # room for the scale labels
RIGHT = 12
TOP = 22  # room for the title
BOTTOM = 20  # room for the month labels
LINE = "#1f5fa8"
GRID = "#cccccc"
TEXT = "#444444"


def _text(value: str) -> str:
    return escape(wording.visible(value, newlines=False), quote=True)


def _scale(top: float) -> tuple[str, str]:
    """The labels of the bottom and top of the scale."""
    return ("0%", "100%") if top == 1 else ("0", f"{top:g}")


def chart(series: Series, *, x: float = 0, y: float = 0) -> str:
    """One measure as an SVG group `WIDTH` × `HEIGHT` at (x, y): a line through the
    months that have a figure (broken where one has none), a dot on each, the scale from
    0 to its top, the first and last month, and the latest figure in the title."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(series.values)
    step = plot_w / (count - 1) if count > 1 else 0.0

    def at(i: int, value: float) -> tuple[float, float]:
        share = max(0.0, min(1.0, value / series.top)) if series.top else 0.0
        px = LEFT + (i * step if count > 1 else plot_w / 2)
        return round(px, 1), round(TOP + plot_h * (1 - share), 1)

    runs: list[list[tuple[float, float]]] = [[]]
    dots = []
    for i, value in enumerate(series.values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        point = at(i, value)
        runs[-1].append(point)
        label = f"{series.labels[i]}: {series.shown[i]}"
        dots.append(
            f'<circle cx="{point[0]}" cy="{point[1]}" r="2.2" fill="{LINE}">'
            f"<title>{_text(label)}</title></circle>"
        )
    lines = [
        f'<polyline fill="none" stroke="{LINE}" stroke-width="1.6" points="'
        + " ".join(f"{px},{py}" for px, py in run)
        + '"/>'
        for run in runs
        if len(run) > 1
    ]
    low, high = _scale(series.top)
    latest = next((s for v, s in zip(reversed(series.values), reversed(series.shown), strict=True)
                   if v is not None), "no data")  # fmt: skip
    title = f"{series.name}: {latest} now"
    first = series.labels[0] if series.labels else ""
    last = series.labels[-1] if series.labels else ""
    base = TOP + plot_h
    parts = [
        f'<g transform="translate({x},{y})" font-family="sans-serif" font-size="10" fill="{TEXT}">',
        f"<title>{_text(series.name)}</title>",
        f'<text x="{LEFT}" y="13" font-size="12" font-weight="bold">{_text(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT + plot_w}" y2="{TOP}" stroke="{GRID}"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" stroke="{GRID}"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{_text(high)}</text>',
        f'<text x="{LEFT - 4}" y="{base + 3}" text-anchor="end">{_text(low)}</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 5}">{_text(first)}</text>',
        f'<text x="{LEFT + plot_w}" y="{HEIGHT - 5}" text-anchor="end">{_text(last)}</text>',
        *lines,
        *dots,
        "</g>",
    ]
    return "".join(parts)


def chart_row(series: Sequence[Series], *, y: float = 0) -> tuple[str, float, float]:
    """Charts side by side as SVG groups: (markup, width, height)."""
    groups = [chart(s, x=i * WIDTH, y=y) for i, s in enumerate(series)]
    return "".join(groups), float(WIDTH * len(series)), float(HEIGHT)


def inline_svg(series: Sequence[Series], label: str) -> str:
    """The charts as one `<svg>` element for an HTML page."""
    body, width, height = chart_row(series)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'aria-label="{_text(label)}">{body}</svg>'
    )
