"""The statistics charts stay readable: no text overlaps another or leaves the chart.

Boxes are computed from the SVG as written (each text's x, y, anchor and its estimated
width, :func:`generator.charts.text_width`), so these tests check what the reader gets.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from generator import charts, render, stats
from generator.charts import Bar, Box
from generator.model import Archive, Link, Listing, Paper, Tag, Vocabulary, archive_order

NS = "{http://www.w3.org/2000/svg}"
FONT = charts.FONT_SIZE


def _texts(svg: str) -> tuple[list[Box], float, float]:
    """Every drawn text of ``svg`` as a box, and the viewBox's width and height."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    boxes = []
    for text in root.iter(f"{NS}text"):
        x, y, content = float(text.get("x")), float(text.get("y")), text.text or ""
        w = charts.text_width(content)
        left = {"middle": x - w / 2, "end": x - w}.get(text.get("text-anchor"), x)
        if text.get("dominant-baseline") == "central":
            half = (charts.ASCENT + charts.DESCENT) * FONT / 2
            top, bottom = y - half, y + half
        else:
            top, bottom = y - charts.ASCENT * FONT, y + charts.DESCENT * FONT
        boxes.append(Box(left, top, left + w, bottom, content))
    return boxes, width, height


def _problems(svg: str) -> list[str]:
    boxes, width, height = _texts(svg)
    out = [f"outside: {b.text!r} {b}" for b in boxes
           if b.left < 0 or b.right > width or b.top < 0 or b.bottom > height]
    for n, a in enumerate(boxes):
        out += [f"overlap: {a.text!r} / {b.text!r}" for b in boxes[n + 1:] if a.overlaps(b)]
    return out


def _months(count: int, start: str = "2024-05") -> list[str]:
    year, month = int(start[:4]), int(start[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.mark.parametrize("start", ["2024-01", "2024-05", "2024-12"])
def test_month_labels_never_overlap_nor_leave_the_chart_for_1_to_120_months(start) -> None:
    for count in range(1, 121):
        months = _months(count, start)
        bars = [Bar(m, 1000 + 37 * n, f"{1000 + 37 * n:,}") for n, m in enumerate(months)]
        svg = charts.columns("m", "Papers per month", "D", bars)
        assert _problems(svg) == [], (count, start)
        labels = [t for t in ET.fromstring(svg).iter(f"{NS}text")
                  if t.get("class") == "pa-chart__label"]
        texts = [t.text for t in labels]
        # The axis says where it is in time: the first column's year is there, unless the
        # next January's year is too close to leave it room; years shown are in order.
        years = [t for t in texts if re.fullmatch(r"\d{4}", t)]
        assert years and years == sorted(set(years)), (count, texts)
        if years[0] != start[:4]:
            january = months.index(f"{int(start[:4]) + 1}-01")
            slot = (charts.CHART_WIDTH - 2 * charts.COLUMN_MARGIN) / count
            assert january * slot < charts.text_width("2024") + charts.LABEL_GAP
            assert years[0] == months[january][:4]
        assert set(years) <= {m[:4] for m in months}
        month_names = [t for t in texts if not t.isdigit()]
        assert set(month_names) <= {name[:3] for name in render.MONTH_NAMES}


def test_month_axis_labels_what_fits_and_more_when_there_is_room() -> None:
    few = charts.month_ticks(_months(6), (charts.CHART_WIDTH - 40) / 6)
    assert [t.text for t in few if t.row == 0] == ["May", "Jun", "Jul", "Aug", "Sep", "Oct"]
    many = charts.month_ticks(_months(29), (charts.CHART_WIDTH - 40) / 29)
    shown = [t.text for t in many if t.row == 0]
    # Every n-th month, on the same months each year (a step dividing 12).
    assert 1 < len(shown) < 29 and len(set(shown)) * (12 // len(set(shown))) == 12
    assert [t.text for t in many if t.row == 1] == ["2024", "2025", "2026"]


def test_column_values_are_written_only_when_each_fits_its_column() -> None:
    for count in (1, 3, 8, 13, 24, 40):
        bars = [Bar(f"2025-{(n % 12) + 1:02d}", 123456, "123,456") for n in range(count)]
        svg = charts.columns("c", "T", "D", bars)
        assert _problems(svg) == []
        values = [t for t in ET.fromstring(svg).iter(f"{NS}text")
                  if t.get("class") == "pa-chart__value"]
        assert len(values) in (0, count)
    assert len([t for t in ET.fromstring(charts.columns(
        "c", "T", "D", [Bar("2025-01", 5, "5")] * 3)).iter(f"{NS}text")
        if t.get("class") == "pa-chart__value"]) == 3


def test_labels_that_are_not_months_are_shown_every_nth_and_fit() -> None:
    for count in (1, 5, 30, 120):
        bars = [Bar(f"Category number {n}", n + 1, str(n + 1)) for n in range(count)]
        svg = charts.columns("c", "T", "D", bars)
        assert _problems(svg) == []
        assert any(t.text == "Category number 0" for t in ET.fromstring(svg).iter(f"{NS}text"))


def _vocabulary_names() -> list[str]:
    import yaml

    data = yaml.safe_load((Path(__file__).parent.parent / "archive" / "tags.yml")
                          .read_text("utf-8"))
    return [tag["name"] for tag in data["tags"]]


def test_horizontal_bars_show_every_tag_name_whole_without_overlap() -> None:
    names = _vocabulary_names()
    assert len(names) >= 90
    bars = [Bar(name, 10 ** 6 - n * 9000, f"{10 ** 6 - n * 9000:,}")
            for n, name in enumerate(names)]
    svg = charts.horizontal_bars("t", "Papers per tag", "D", bars)
    assert _problems(svg) == []
    drawn = [t.text for t in ET.fromstring(svg).iter(f"{NS}text")
             if t.get("class") == "pa-chart__label"]
    assert drawn == names  # one line each, nothing cut
    boxes, height = charts.bar_boxes(bars)
    assert boxes == sorted(boxes, key=lambda b: b.top)
    assert height == float(ET.fromstring(svg).get("viewBox").split()[3])


def test_a_label_too_long_for_its_lines_ends_in_an_ellipsis_and_keeps_its_title() -> None:
    long = " ".join(["Extraordinarily"] * 30)
    svg = charts.horizontal_bars("t", "T", "D", [Bar(long, 3, "3"), Bar("x" * 200, 1, "1")])
    assert _problems(svg) == []
    root = ET.fromstring(svg)
    lines = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "pa-chart__label"]
    assert len(lines) == charts.MAX_LABEL_LINES + 1
    assert lines[charts.MAX_LABEL_LINES - 1].endswith("…") and lines[-1].endswith("…")
    assert [r.find(f"{NS}title").text for r in root.iter(f"{NS}rect")] == [f"{long}: 3",
                                                                          "x" * 200 + ": 1"]


def _paper(n: int, tags: tuple[str, ...], day: str) -> Paper:
    return Paper(id=f"p{n}", title=f"Paper {n}", abstract="A.", tags=tags, added=day,
                 source="manual", links=(Link("code", "https://github.com/a/b"),) if n % 2
                 else (), listings=(Listing(day, "dump.txt", n + 1),))


def _stats(papers: list[Paper], tags: list[Tag]) -> list[ET.Element]:
    index = render.Index.of(Archive(archive_order(papers), Vocabulary(("G",), tuple(tags))))
    body = stats.stats_page(index).text.split("---\n", 2)[2]
    return [ET.fromstring(chunk[: chunk.index("</svg>") + 6])
            for chunk in ("<svg" + part for part in body.split("<svg")[1:])]


def test_each_tag_pair_label_names_both_tags_in_full_at_phone_width() -> None:
    names = sorted(_vocabulary_names(), key=len)[-6:]  # the longest names there are
    tags = [Tag(f"t{n}", name, "", "G") for n, name in enumerate(names)]
    papers = [_paper(n, (f"t{n % 6}", f"t{(n + 1 + n // 6) % 6}"), "2025-03-01")
              for n in range(60)]
    pairs = _stats(papers, tags)[2]
    assert pairs.find(f"{NS}title").text == "Tags that go together"
    assert _problems(ET.tostring(pairs, encoding="unicode")) == []
    for group in pairs.iter(f"{NS}g"):
        shown = " ".join(t.text for t in group.iter(f"{NS}text")
                         if t.get("class") == "pa-chart__label")
        full = group.find(f"{NS}rect").find(f"{NS}title").text.rsplit(":", 1)[0]
        first, second = full.split(" + ")
        assert first in names and second in names
        assert shown == f"{first} + {second}"  # both tags, whole, on the chart itself


def test_months_chart_spans_every_month_with_zero_for_empty_ones() -> None:
    tags = [Tag("t", "Topic", "", "G")]
    papers = [_paper(0, ("t",), "2024-11-03"), _paper(1, ("t",), "2025-02-10"),
              _paper(2, ("t",), "2025-02-11")]
    months = _stats(papers, tags)[1]
    bars = [r.find(f"{NS}title").text for r in months.iter(f"{NS}rect")]
    assert bars == ["2024-11: 1", "2024-12: 0", "2025-01: 0", "2025-02: 2"]
    assert stats.every_month(Counter({"2025-01": 2, "unknown": 1})) == [("2025-01", 2),
                                                                       ("unknown", 1)]


def test_chart_font_size_is_the_one_the_stylesheet_sets() -> None:
    css = (Path(__file__).parent.parent / "docs" / "stylesheets" / "site.css").read_text()
    rule = css[css.index(".pa-chart .pa-chart__label,"):]
    rule = rule[: rule.index("}")]
    assert re.search(r"font-size:\s*(\d+)px", rule).group(1) == str(charts.FONT_SIZE)
