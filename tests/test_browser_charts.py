"""The statistics charts as Chromium draws them: no text overlaps another or leaves its chart.

The unit tests (test_charts.py) check boxes from estimated text widths; this checks the
estimate against the real fonts and the site's CSS, at phone and desktop widths, on the
built /stats/ page and on charts of many months and every tag name put into that page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import charts
from generator.charts import Bar

pytestmark = pytest.mark.browser

#: Every text of every chart on the page that overlaps another or leaves its SVG.
MEASURE = """() => [...document.querySelectorAll('svg.pa-chart')].flatMap(svg => {
  const s = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.getBoundingClientRect(),
                                                            t.textContent]);
  const bad = [];
  for (const [b, text] of boxes) {
    if (b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5
        || b.bottom > s.bottom + 0.5) bad.push('outside: ' + text);
  }
  boxes.forEach(([a, ta], i) => boxes.slice(i + 1).forEach(([b, tb]) => {
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5
        && b.top < a.bottom - 0.5) bad.push('overlap: ' + ta + ' / ' + tb);
  }));
  return bad;
})"""


def _months(count: int) -> list[str]:
    return [f"{2020 + (4 + n) // 12}-{(4 + n) % 12 + 1:02d}" for n in range(count)]


def _charts() -> str:
    names = [t["name"] for t in yaml.safe_load(
        (Path(__file__).parent.parent / "archive" / "tags.yml").read_text("utf-8"))["tags"]]
    out = [charts.horizontal_bars("b", "Tags", "D", [
        Bar(name, 10 ** 6 - 9000 * n, f"{10 ** 6 - 9000 * n:,}")
        for n, name in enumerate(names)])]
    out += [charts.horizontal_bars("p", "Pairs", "D", [
        Bar(f"{a} + {b}", 500 - n, str(500 - n), (f"{a} +", b))
        for n, (a, b) in enumerate(zip(names, reversed(names), strict=True))])]
    for count in (1, 7, 13, 24, 29, 60, 97, 120):
        out.append(charts.columns(f"m{count}", "Months", "D", [
            Bar(m, 40 + (n * 37) % 9000, f"{40 + (n * 37) % 9000:,}")
            for n, m in enumerate(_months(count))]))
    return "".join(f'<figure class="pa-chart-box">{svg}</figure>' for svg in out)


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 800)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stats_charts_text_neither_overlaps_nor_leaves_the_chart(
        browser, fixture_server: str, viewport: tuple[int, int], scheme: str) -> None:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(fixture_server + "stats/")
        assert page.locator("svg.pa-chart").count() == 4
        assert page.evaluate(MEASURE) == []
        # Charts larger than the fixture's, in the same page and styles.
        page.evaluate("html => document.querySelector('.pa-stats-page').innerHTML = html",
                      _charts())
        assert page.locator("svg.pa-chart").count() == 10
        assert page.evaluate(MEASURE) == []
    finally:
        context.close()
