"""Bar charts as SVG, drawn at build time: no chart library reaches the reader's browser.

Why hand-drawn SVG: the charts are bars with labels, which SVG states in a few elements,
and the page then needs no script, works offline and prints.  Each chart is accessible
on its own: ``role="img"`` with a ``<title>`` and ``<desc>`` (its text alternative), and
the caller puts the same numbers in a table beside it.  Colours come from CSS classes
(``docs/stylesheets/site.css``) using the theme's variables, so both palettes read well.

Labels are escaped with :func:`generator.render.esc` (HTML escaping is also correct XML
escaping), so a hostile tag name stays text in the SVG.  Sizes are in the ``viewBox``; the
SVG scales to its container's width, so it fits a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.render import esc as _esc

# Sizes in viewBox units.  The chart is drawn 480 wide and shown 360-600 px wide (phone to
# desktop), so the 15-unit text reads at 11-19 px.
BAR_HEIGHT = 20
BAR_GAP = 6
LABEL_WIDTH = 200
CHART_WIDTH = 480
VALUE_WIDTH = 44
COLUMN_CHART_HEIGHT = 220
MAX_LABEL_CHARS = 24


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and the text shown at its end (e.g. "42" or "31%")."""

    label: str
    value: float
    shown: str


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _svg_open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    return (f'<svg class="pa-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{_esc(title)}</title>'
            f'<desc id="{chart_id}-desc">{_esc(description)}</desc>')


def horizontal_bars(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """Labelled horizontal bars, longest first as given; one ``rect.pa-bar`` per bar."""
    top = max((bar.value for bar in bars), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    parts = [_svg_open(chart_id, title, description, CHART_WIDTH, height)]
    for number, bar in enumerate(bars):
        y = BAR_GAP + number * (BAR_HEIGHT + BAR_GAP)
        width = round(span * bar.value / top, 1)
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<g><text class="pa-chart__label" x="{LABEL_WIDTH - 8}" y="{middle}" '
            f'text-anchor="end" dominant-baseline="central">{_esc(_short(bar.label))}</text>'
            f'<rect class="pa-bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}"><title>{_esc(bar.label)}: {_esc(bar.shown)}</title></rect>'
            f'<text class="pa-chart__value" x="{LABEL_WIDTH + width + 6}" y="{middle}" '
            f'dominant-baseline="central">{_esc(bar.shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def columns(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """Vertical columns in the given order (e.g. months, oldest first), labels below."""
    count = max(len(bars), 1)
    top = max((bar.value for bar in bars), default=0) or 1
    bottom = COLUMN_CHART_HEIGHT - 40
    slot = (CHART_WIDTH - 40) / count
    width = max(min(slot * 0.7, 48), 2)
    label_every = max(1, round(count / 12))
    parts = [_svg_open(chart_id, title, description, CHART_WIDTH, COLUMN_CHART_HEIGHT),
             f'<line class="pa-chart__axis" x1="20" y1="{bottom}" x2="{CHART_WIDTH - 20}" '
             f'y2="{bottom}"/>']
    for number, bar in enumerate(bars):
        x = round(20 + number * slot + (slot - width) / 2, 1)
        h = round((bottom - 24) * bar.value / top, 1)
        middle = round(x + width / 2, 1)
        parts.append(
            f'<g><rect class="pa-bar" x="{x}" y="{round(bottom - h, 1)}" width="{round(width, 1)}" '
            f'height="{h}"><title>{_esc(bar.label)}: {_esc(bar.shown)}</title></rect>')
        if count <= 24:
            parts.append(f'<text class="pa-chart__value" x="{middle}" '
                         f'y="{round(bottom - h - 4, 1)}" text-anchor="middle">'
                         f"{_esc(bar.shown)}</text>")
        if number % label_every == 0:
            parts.append(f'<text class="pa-chart__label" x="{middle}" y="{bottom + 16}" '
                         f'text-anchor="middle">{_esc(bar.label)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The chart's numbers as an HTML table (all cells escaped), for reading and copying."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + f'<th scope="row">{_esc(row[0])}</th>'
        + "".join(f"<td>{_esc(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in rows)
    return (f'<table class="pa-chart-table"><caption>{_esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
