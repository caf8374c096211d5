"""Bar charts as SVG, drawn at build time: no chart library reaches the reader's browser.

Why hand-drawn SVG: the charts are bars with labels, which SVG states in a few elements,
and the page then needs no script, works offline and prints.  Each chart is accessible
on its own: ``role="img"`` with a ``<title>`` and ``<desc>`` (its text alternative), and
the caller puts the same numbers in a table beside it.  Colours come from CSS classes
(``docs/stylesheets/site.css``) using the theme's variables, so both palettes read well.

Labels are escaped with :func:`generator.render.esc` (HTML escaping is also correct XML
escaping), so a hostile tag name stays text in the SVG.  Sizes are in the ``viewBox``; the
SVG scales to its container's width, so it fits a phone, and text scales with it: whether
a label fits is a question about viewBox units only, answered here at build time.

No text is cut or overlaps: a bar's label sits on its own line above the bar (the full
width of the chart, wrapped onto a second line when it needs one), and the column chart
labels only the ticks whose text fits between its neighbours (:func:`text_width`
estimates a label's width from the widest common sans-serif fonts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generator.render import MONTH_NAMES
from generator.render import esc as _esc

# Sizes in viewBox units.  The chart is drawn 480 wide and shown 358-528 px wide (phone to
# desktop; site.css caps it at 24rem), so the 15-unit text reads at 11-16.5 px.  FONT_SIZE
# is the font-size that docs/stylesheets/site.css gives .pa-chart text (a test keeps the
# two equal).
CHART_WIDTH = 480
FONT_SIZE = 15
#: Vertical room of one line of text, and how far its baseline sits below the line's top.
LINE_HEIGHT = 18
BASELINE = 14
BAR_HEIGHT = 14
#: Space between a label's last line and its bar.
BAR_OFFSET = 2
#: The font's height above and below the baseline, in em (the larger of the two fonts).
ASCENT = 0.93
DESCENT = 0.24
ROW_GAP = 10
#: Space between a bar's end and its value, and the least space between two labels.
VALUE_GAP = 6
LABEL_GAP = 8
#: A bar's label takes at most this many lines; a longer one ends in "…" (the full text
#: is in the bar's tooltip and the table).
MAX_LABEL_LINES = 3
COLUMN_CHART_HEIGHT = 220
#: The column chart's plot area: its left and right margins and the baseline's height.
COLUMN_MARGIN = 20
COLUMN_TOP = 24
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
#: Month-tick spacings tried, fewest months first: each divides a year, so ticks fall on
#: the same months (Jan, Apr, Jul, Oct for 3) every year.
MONTH_STEPS = (1, 2, 3, 4, 6)
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)

# Advance widths in em, each the larger of Liberation Sans (Arial's metrics, what
# Helvetica and Arial resolve to on Linux) and DejaVu Sans (the widest common fallback),
# measured in Chromium and rounded up to 0.05 em.  Other characters count as 0.8 em, wide
# East Asian ones as 1.05 em.
_EM_WIDTHS = {
    0.3: "'Iijl", 0.35: " ,./:;\\f|", 0.4: "!()-[]t", 0.45: "r", 0.5: '"*J`',
    0.55: "csz", 0.6: "?L_kvxy", 0.65: "$0123456789FTabdeghnopqu{}",
    0.7: "ABEKPSVXYZ", 0.75: "CHNRU", 0.8: "&DGOQ", 0.85: "#+<=>^w~", 0.9: "M",
    0.95: "%", 1.0: "Wm…", 1.05: "@",
}
_EM = {ch: width for width, chars in _EM_WIDTHS.items() for ch in chars}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and the text shown at its end (e.g. "42" or "31%").

    ``lines``, when given, are the label's pieces to put on lines of their own when the
    whole label does not fit on one (e.g. the two tags of a pair).
    """

    label: str
    value: float
    shown: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Box:
    """Where a piece of text is drawn, in viewBox units (for tests and for placement)."""

    left: float
    top: float
    right: float
    bottom: float
    text: str

    def overlaps(self, other: Box, gap: float = 0) -> bool:
        """Whether the two boxes meet, or come closer than ``gap`` side by side."""
        return not (self.right + gap <= other.left or other.right + gap <= self.left
                    or self.bottom <= other.top or other.bottom <= self.top)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An upper estimate of ``text``'s width at font ``size`` (viewBox units)."""
    total = 0.0
    for ch in text:
        if ch in _EM:
            total += _EM[ch]
        elif unicodedata.east_asian_width(ch) in "WF":
            total += 1.05
        elif not unicodedata.combining(ch):
            total += 0.8
    return total * size


def wrap(text: str, width: float, pieces: Sequence[str] = (),
         max_lines: int = MAX_LABEL_LINES) -> list[str]:
    """``text`` as lines no wider than ``width``, cut only as a last resort.

    Whole if it fits, else ``pieces`` (or its words) filled greedily onto lines; past
    ``max_lines`` the last line ends in "…".
    """
    if text_width(text) <= width:
        return [text]
    lines: list[str] = []
    for piece in pieces or (text,):
        line = ""
        for word in piece.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        if line:
            lines.append(line)
    lines = [_fit(line, width) for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + " …", width)
    return lines


def _fit(line: str, width: float) -> str:
    """``line`` cut to ``width``, ending in "…" when cut (a single over-long word)."""
    if text_width(line) <= width:
        return line
    while line and text_width(line.rstrip() + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _svg_open(chart_id: str, title: str, description: str, width: int, height: float) -> str:
    return (f'<svg class="pa-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {_n(height)}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{_esc(title)}</title>'
            f'<desc id="{chart_id}-desc">{_esc(description)}</desc>')


def _n(number: float) -> str:
    """A coordinate as short, stable text: at most one decimal, no trailing ``.0``."""
    rounded = round(number, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


@dataclass(frozen=True)
class _Row:
    """Where one bar of :func:`horizontal_bars` goes: its label's lines, then the bar."""

    bar: Bar
    lines: tuple[str, ...]
    top: float
    bar_top: float
    width: float


def _rows(bars: Sequence[Bar]) -> tuple[list[_Row], float]:
    """The layout of :func:`horizontal_bars` and the chart's height.

    One computation serves drawing and :func:`bar_boxes`, so tests check what is drawn.
    """
    most = max((bar.value for bar in bars), default=0) or 1
    value_room = max((text_width(bar.shown) for bar in bars), default=0) + VALUE_GAP
    span = CHART_WIDTH - value_room
    rows, y = [], 0.0
    for bar in bars:
        lines = tuple(wrap(bar.label, CHART_WIDTH, bar.lines))
        bar_top = y + len(lines) * LINE_HEIGHT + BAR_OFFSET
        rows.append(_Row(bar, lines, y, bar_top, max(span * bar.value / most, 0)))
        y = bar_top + BAR_HEIGHT + ROW_GAP
    return rows, max(y, ROW_GAP)


def horizontal_bars(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars in the given order, each under its label; one ``rect.pa-bar`` each.

    The label takes the chart's full width (a phone shows the whole tag name); the value
    follows the bar's end, and the longest bar leaves room for the widest value.
    """
    rows, height = _rows(bars)
    parts = [_svg_open(chart_id, title, description, CHART_WIDTH, height)]
    for row in rows:
        texts = "".join(
            f'<text class="pa-chart__label" x="0" y="{_n(row.top + BASELINE + n * LINE_HEIGHT)}">'
            f"{_esc(line)}</text>" for n, line in enumerate(row.lines))
        parts.append(
            f"<g>{texts}"
            f'<rect class="pa-bar" x="0" y="{_n(row.bar_top)}" width="{_n(row.width)}" '
            f'height="{BAR_HEIGHT}"><title>{_esc(row.bar.label)}: {_esc(row.bar.shown)}'
            f'</title></rect><text class="pa-chart__value" x="{_n(row.width + VALUE_GAP)}" '
            f'y="{_n(row.bar_top + BAR_HEIGHT / 2)}" dominant-baseline="central">'
            f"{_esc(row.bar.shown)}</text></g>")
    parts.append("</svg>")
    return "".join(parts)


def bar_boxes(bars: Sequence[Bar]) -> tuple[list[Box], float]:
    """Every text :func:`horizontal_bars` draws, as boxes, and the chart's height.

    A text's box is its estimated width by the font's full height (what tests check).
    """
    rows, height = _rows(bars)
    out = []
    for row in rows:
        for n, line in enumerate(row.lines):
            baseline = row.top + BASELINE + n * LINE_HEIGHT
            out.append(Box(0, baseline - ASCENT * FONT_SIZE, text_width(line),
                           baseline + DESCENT * FONT_SIZE, line))
        middle = row.bar_top + BAR_HEIGHT / 2
        half = (ASCENT + DESCENT) * FONT_SIZE / 2
        left = row.width + VALUE_GAP
        out.append(Box(left, middle - half, left + text_width(row.bar.shown), middle + half,
                       row.bar.shown))
    return out, height


@dataclass(frozen=True)
class Tick:
    """An axis label under the column at ``index``, on axis row ``row`` (0 is nearest)."""

    index: int
    text: str
    row: int = 0


def columns(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """Vertical columns in the given order (e.g. months, oldest first), labels below.

    Labels that are all ``YYYY-MM`` months get a two-row time axis (:func:`month_ticks`);
    others are labelled every n-th column, n the least that fits (:func:`every_nth_ticks`).
    A value is written over its column only when every value fits its column's width.
    """
    count = max(len(bars), 1)
    top = max((bar.value for bar in bars), default=0) or 1
    bottom = COLUMN_CHART_HEIGHT - 2 * LINE_HEIGHT - 4
    slot = (CHART_WIDTH - 2 * COLUMN_MARGIN) / count
    width = max(min(slot * 0.7, 48), min(slot, 2))
    labels = [bar.label for bar in bars]
    ticks = (month_ticks(labels, slot) if labels and all(MONTH.fullmatch(x) for x in labels)
             else every_nth_ticks(labels, slot))
    show_values = all(text_width(bar.shown) + LABEL_GAP <= slot for bar in bars)
    parts = [_svg_open(chart_id, title, description, CHART_WIDTH, COLUMN_CHART_HEIGHT),
             f'<line class="pa-chart__axis" x1="{COLUMN_MARGIN}" y1="{bottom}" '
             f'x2="{CHART_WIDTH - COLUMN_MARGIN}" y2="{bottom}"/>']
    for number, bar in enumerate(bars):
        x = COLUMN_MARGIN + number * slot + (slot - width) / 2
        h = (bottom - COLUMN_TOP) * bar.value / top
        parts.append(
            f'<g><rect class="pa-bar" x="{_n(x)}" y="{_n(bottom - h)}" width="{_n(width)}" '
            f'height="{_n(h)}"><title>{_esc(bar.label)}: {_esc(bar.shown)}</title></rect>')
        if show_values:
            parts.append(f'<text class="pa-chart__value" x="{_n(x + width / 2)}" '
                         f'y="{_n(bottom - h - 4)}" text-anchor="middle">'
                         f"{_esc(bar.shown)}</text>")
        parts.append("</g>")
    for tick in ticks:
        centre = _tick_centre(tick, slot)
        parts.append(f'<text class="pa-chart__label" x="{_n(centre)}" '
                     f'y="{_n(bottom + BASELINE + 2 + tick.row * LINE_HEIGHT)}" '
                     f'text-anchor="middle">{_esc(tick.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _tick_centre(tick: Tick, slot: float) -> float:
    """The middle of the tick's column, moved inwards so its text stays inside the chart."""
    half = text_width(tick.text) / 2
    centre = COLUMN_MARGIN + (tick.index + 0.5) * slot
    return min(max(centre, half + 1), CHART_WIDTH - half - 1)


def tick_boxes(ticks: Sequence[Tick], count: int) -> list[Box]:
    """Where :func:`columns` draws ``ticks`` for ``count`` columns (what tests check)."""
    slot = (CHART_WIDTH - 2 * COLUMN_MARGIN) / max(count, 1)
    out = []
    for tick in ticks:
        centre, half = _tick_centre(tick, slot), text_width(tick.text) / 2
        top = tick.row * LINE_HEIGHT
        out.append(Box(centre - half, top, centre + half, top + LINE_HEIGHT, tick.text))
    return out


def _placed(candidates: Sequence[Tick], count: int) -> list[Tick]:
    """The candidates that fit, first come first kept.

    A tick whose text would leave the chart, or come within :data:`LABEL_GAP` of a kept
    one's on its row, is dropped.
    """
    kept: list[Tick] = []
    boxes: list[Box] = []
    for tick in candidates:
        box = tick_boxes([tick], count)[0]
        if box.left < 0 or box.right > CHART_WIDTH:
            continue
        if any(box.overlaps(other, LABEL_GAP) for other in boxes):
            continue
        kept.append(tick)
        boxes.append(box)
    return sorted(kept, key=lambda t: (t.row, t.index))


def every_nth_ticks(labels: Sequence[str], slot: float) -> list[Tick]:
    """Every n-th label, the first included, n the least at which the widest one fits."""
    if not labels:
        return []
    widest = max(text_width(label) for label in labels)
    step = max(1, int(-(-(widest + LABEL_GAP) // slot)))
    return _placed([Tick(i, labels[i]) for i in range(0, len(labels), step)], len(labels))


def month_ticks(months: Sequence[str], slot: float) -> list[Tick]:
    """A time axis for consecutive ``YYYY-MM`` columns, in two rows.

    Month names on the first row every n-th month (n from :data:`MONTH_STEPS`, the least
    at which the widest name fits), years on the second at each January (every m-th year
    when years are crowded) and under the first column.  When not even one month name a
    year fits, only the years row is drawn.
    """
    widest_month = max(text_width(name[:3]) for name in MONTH_NAMES)
    step = next((s for s in MONTH_STEPS if widest_month + LABEL_GAP <= s * slot), 0)
    year_width = text_width("0000")
    year_step = next((s for s in YEAR_STEPS if year_width + LABEL_GAP <= 12 * s * slot),
                     YEAR_STEPS[-1])
    month_row: list[Tick] = []
    years: list[Tick] = []
    year_row = 1 if step else 0
    for index, month in enumerate(months):
        number, year = int(month[5:7]), int(month[:4])
        if step and (number - 1) % step == 0:
            month_row.append(Tick(index, MONTH_NAMES[number - 1][:3]))
        if number == 1 and year % year_step == 0:
            years.append(Tick(index, month[:4], year_row))
    # The first column's year comes last, so that it gives way to a January beside it.
    first = Tick(0, months[0][:4], year_row)
    return _placed(month_row + years + [first], len(months))


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The chart's numbers as an HTML table (all cells escaped), for reading and copying."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + f'<th scope="row">{_esc(row[0])}</th>'
        + "".join(f"<td>{_esc(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in rows)
    return (f'<table class="pa-chart-table"><caption>{_esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
