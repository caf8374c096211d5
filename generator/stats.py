"""The statistics page: the archive's shape as charts readers can take in at a glance.

Four charts, each an SVG drawn at build time (:mod:`generator.charts`) with its numbers in
a table beside it: papers per tag, papers added per month, the tag pairs that occur
together most, and the share of papers with code per tag.  Pure: the page is a function of
the :class:`~generator.render.Index`; all text goes through :func:`generator.render.esc`.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from generator import charts
from generator.charts import Bar
from generator.feeds import listed_day
from generator.layout import STATS_PAGE
from generator.layout import tag_page as tag_path
from generator.render import Index, Page, _page, esc, href

#: Bars in the per-tag charts: every tag up to this many, the biggest first.
TAG_BARS = 40
PAIR_BARS = 15
#: Tags need this many papers before their share with code is charted (1 of 2 says little).
MIN_PAPERS_FOR_SHARE = 5


def _month(day: str) -> str:
    return day[:7] if len(day) >= 7 else "unknown"


def stats_page(index: Index) -> Page:
    """The page at ``/stats/``: charts and tables; no script."""
    path = STATS_PAGE
    by_tag = sorted(((len(papers), tag_id) for tag_id, papers in index.papers_by_tag.items()),
                    key=lambda item: (-item[0], index.tags[item[1]].name.casefold(), item[1]))
    total = len(index.papers)
    with_code = sum(1 for p in index.papers if p.code_url)
    body = [
        '<article class="pa-stats-page">',
        "<h1>Statistics</h1>",
        f"<p>{total:,} papers, {len(index.tags)} tags, {with_code:,} papers with code "
        f"({_percent(with_code, total)}).</p>",
    ]
    body += _tags_chart(index, by_tag[:TAG_BARS], path)
    body += _months_chart(index)
    body += _pairs_chart(index)
    body += _code_chart(index, by_tag)
    body.append("</article>")
    return _page(path, {
        "title": "Statistics",
        "description": "The archive in numbers: papers per tag and per month, tags that go "
                       "together, and how many papers have code.",
        "hide": ["toc"],
        "edit_path": "",
    }, body)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _figure(chart_id: str, heading: str, svg: str, table: str, note: str = "") -> list[str]:
    return [
        f'<section class="pa-figure" aria-labelledby="{chart_id}-h">',
        f'<h2 id="{chart_id}-h">{esc(heading)}</h2>',
        f'<p class="pa-meta">{esc(note)}</p>' if note else "",
        f'<figure class="pa-chart-box">{svg}</figure>',
        f"<details><summary>The numbers as a table</summary>{table}</details>",
        "</section>",
    ]


def _tags_chart(index: Index, by_tag: list[tuple[int, str]], path: str) -> list[str]:
    bars = [Bar(index.tags[tag_id].name, count, f"{count:,}") for count, tag_id in by_tag]
    svg = charts.horizontal_bars("pa-chart-tags", "Papers per tag",
                                 f"The {len(bars)} largest tags by number of papers.", bars)
    rows = [(index.tags[tag_id].name, f"{count:,}") for count, tag_id in by_tag]
    table = charts.table("Papers per tag", ("Tag", "Papers"), rows)
    links = " · ".join(
        f'<a href="{href(path, tag_path(tag_id))}">{esc(index.tags[tag_id].name)}</a>'
        for _, tag_id in by_tag[:5])
    out = _figure("pa-chart-tags", "Papers per tag", svg, table)
    if links:
        out.insert(-1, f"<p>Largest: {links}.</p>")
    return out


def every_month(counts: Counter[str]) -> list[tuple[str, int]]:
    """Every month from the first to the last counted, oldest first, 0 where none was.

    The columns then stand on an even time axis.  Anything not a month comes last.
    """
    months = sorted(m for m in counts if charts.MONTH.fullmatch(m))
    out: list[tuple[str, int]] = []
    if months:
        year, month = int(months[0][:4]), int(months[0][5:7])
        while (key := f"{year:04d}-{month:02d}") <= months[-1]:
            out.append((key, counts.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out + sorted((m, n) for m, n in counts.items() if not charts.MONTH.fullmatch(m))


def _months_chart(index: Index) -> list[str]:
    ordered = every_month(Counter(_month(listed_day(p)) for p in index.papers))
    bars = [Bar(month, count, f"{count:,}") for month, count in ordered]
    svg = charts.columns("pa-chart-months", "Papers per month",
                         "Papers by the month they were first listed, oldest first.", bars)
    table = charts.table("Papers per month", ("Month", "Papers"),
                         [(month, f"{count:,}") for month, count in ordered])
    return _figure("pa-chart-months", "Papers per month", svg, table,
                   "By the month a paper was first listed.")


def _pairs_chart(index: Index) -> list[str]:
    pairs: Counter[tuple[str, str]] = Counter()
    for paper in index.papers:
        for a, b in combinations(sorted(index.tag_ids_of(paper)), 2):
            pairs[(a, b)] += 1
    top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:PAIR_BARS]

    def label(pair: tuple[str, str]) -> str:
        return f"{index.tags[pair[0]].name} + {index.tags[pair[1]].name}"

    # Each tag on a line of its own when the pair does not fit on one.
    bars = [Bar(label(pair), count, f"{count:,}",
                (f"{index.tags[pair[0]].name} +", index.tags[pair[1]].name))
            for pair, count in top]
    svg = charts.horizontal_bars("pa-chart-pairs", "Tags that go together",
                                 f"The {len(bars)} tag pairs found on the most papers.", bars)
    table = charts.table("Tags that go together", ("Tag pair", "Papers"),
                         [(label(pair), f"{count:,}") for pair, count in top])
    return _figure("pa-chart-pairs", "Tags that go together", svg, table,
                   "Pairs of tags given to the same paper, most common first.")


def _code_chart(index: Index, by_tag: list[tuple[int, str]]) -> list[str]:
    shares = []
    for count, tag_id in by_tag:
        if count < MIN_PAPERS_FOR_SHARE:
            continue
        code = sum(1 for p in index.papers_by_tag[tag_id] if p.code_url)
        shares.append((code / count, code, count, tag_id))
    shares.sort(key=lambda item: (-item[0], index.tags[item[3]].name.casefold(), item[3]))
    shares = shares[:TAG_BARS]
    bars = [Bar(index.tags[t].name, share, _percent(code, count))
            for share, code, count, t in shares]
    svg = charts.horizontal_bars("pa-chart-code", "Share of papers with code per tag",
                                 "Per tag, the share of its papers that link to code.", bars)
    table = charts.table("Share of papers with code per tag", ("Tag", "With code", "Papers",
                                                                "Share"),
                         [(index.tags[t].name, f"{code:,}", f"{count:,}",
                           _percent(code, count))
                          for _, code, count, t in shares])
    return _figure("pa-chart-code", "Papers with code", svg, table,
                   f"Tags with at least {MIN_PAPERS_FOR_SHARE} papers, highest share first.")
