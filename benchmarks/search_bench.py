"""Search benchmark: the site's prebuilt-index search against the theme's built-in search.

Usage (from the repository root; ``make bench`` runs the same)::

    python -m benchmarks.search_bench [--runs 5] [--query diffusion] [--skip-build]
    python -m benchmarks.search_bench --site /tmp/s/project/site   # ours only, any site

It builds the site (``python -m generator build``) and a variant of it with the theme's
search plugin on and the theme's own header (``.bench/``, git-ignored), serves both on
127.0.0.1, and measures in Chromium (Playwright, a fresh browser context per run, so
nothing is cached):

* search bytes: every response that exists only for search (ours: ``search/index/*``,
  ``search-core.js``, ``search.js``, ``search.css``; theirs: ``search_index.json`` and the
  search worker), raw and gzip-compressed as a server would send them;
* keystroke -> result: on the A-Z page, once the page is idle (network idle + 1 s), the time
  from the first keydown of the query to the first result shown;
* navigation -> result: from navigation start to the first result shown, opening the
  query by URL (ours: ``/search/?q=``; theirs: ``/papers/?q=``, which opens its search).

It prints medians and the ratio ours/theirs.  Figures, not assertions: speed goals live
here, never in timed tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.theme_search import build_theme_site
from tests.serving import chromium, serve

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / ".bench"
PAGE = "papers/"


@dataclass(frozen=True)
class Variant:
    """One search to measure: where its site is and how a reader uses its box."""

    name: str
    site: Path
    box: str                     # the search input
    opener: str | None           # what to click before the input is usable
    result: str                  # selector of one shown result
    nav_url: str                 # query URL, {q} is the query
    is_search: Callable[[str], bool]


def _ours(url: str) -> bool:
    path = url.split("?", 1)[0]
    return ("/search/index/" in path or path.endswith("/search-core.js")
            or path.endswith("/javascripts/search.js") or path.endswith("/search.css"))


def _theirs(url: str) -> bool:
    path = url.split("?", 1)[0]
    return path.endswith("/search_index.json") or "/workers/search." in path


VARIANTS = (
    Variant("ours", REPO / "site", "#pa-search-input", None,
            ".pa-result", "search/?q={q}", _ours),
    Variant("theme", BENCH / "site-theme", ".md-search__input", None,
            ".md-search-result__item", PAGE + "?q={q}", _theirs),
)

#: Records, in the page, when the first keydown happened and when a result first showed.
OBSERVE = """
window.__bench = {key: null, shown: null};
document.addEventListener("keydown", () => {
  if (__bench.key === null) __bench.key = performance.now(); }, true);
new MutationObserver(() => {
  if (__bench.shown === null && document.querySelector(%r)) __bench.shown = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


# ------------------------------------------------------------------ building


def build_sites() -> None:
    """Our site into site/, the theme-search variant into .bench/site-theme/."""
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    build_theme_site(REPO / "docs", BENCH, BENCH / "site-theme")


# ------------------------------------------------------------------ measuring


def keystroke_to_result(browser, base: str, variant: Variant, query: str,
                        on: str = PAGE) -> float:
    """Milliseconds from typing ``query`` on page ``on`` to the first result on screen.

    A fresh browser context per measurement, so no cached index or warm script makes a
    later query look faster than a reader's first one.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        _type_until_shown(page, base + on, variant, query)
        return page.evaluate("__bench.shown - __bench.key")
    finally:
        context.close()


def _type_until_shown(page, url: str, variant: Variant, query: str) -> None:
    """Load ``url``, let it idle, focus the box, type ``query``, wait for a first result."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1000)
    if variant.opener:
        page.click(variant.opener)
    page.click(variant.box)
    page.evaluate(OBSERVE % variant.result)
    page.keyboard.type(query, delay=40)
    page.wait_for_function("window.__bench.shown !== null", timeout=30000)


def navigation_to_result(browser, base: str, variant: Variant,
                         query: str) -> tuple[float, int, int]:
    """Ms from navigation start to the first result, and search bytes (raw, gzip)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r) if variant.is_search(r.url) else None)
        page.add_init_script(OBSERVE % variant.result)
        page.goto(base + variant.nav_url.format(q=query))
        page.wait_for_function("window.__bench.shown !== null", timeout=30000)
        shown = page.evaluate("__bench.shown")
        page.wait_for_load_state("networkidle")
        bodies = [r.body() for r in responses]
        raw = sum(len(b) for b in bodies)
        packed = sum(len(gzip.compress(b, 6)) for b in bodies)
        return shown, raw, packed
    finally:
        context.close()


def measure(runs: int, query: str,
            variants: tuple[Variant, ...] = VARIANTS) -> dict[str, dict[str, float]]:
    """Medians of each figure over ``runs`` fresh browser contexts, per variant."""
    figures: dict[str, dict[str, float]] = {}
    with chromium() as browser:
        for variant in variants:
            with serve(variant.site) as base:
                keys = [keystroke_to_result(browser, base, variant, query)
                        for _ in range(runs)]
                navs = [navigation_to_result(browser, base, variant, query)
                        for _ in range(runs)]
            figures[variant.name] = {
                "search bytes, raw (KB)": statistics.median(n[1] for n in navs) / 1000,
                "search bytes, gzip (KB)": statistics.median(n[2] for n in navs) / 1000,
                "first keystroke -> first result (ms)": statistics.median(keys),
                "navigation -> first result (ms)": statistics.median(n[0] for n in navs),
            }
    return figures


@dataclass(frozen=True)
class Typed:
    """One query typed into the box of a page: when its first result showed, what it cost."""

    ms: float                    # first keydown -> first result shown
    first_gz: int                # search bytes (gzip) fetched until that first result
    settled_gz: int              # ... until the whole query's results were in (network idle)


def typed_query(browser, base: str, variant: Variant, query: str, on: str) -> Typed:
    """Type ``query`` (40 ms a key) into the box of the idle page ``on``, fresh context.

    Bytes count every search file from the page load on (an idle prefetch, the box's focus
    and the typing), gzip-compressed as a server would send them.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        finished: list = []
        page.on("requestfinished",
                lambda request: finished.append(request) if variant.is_search(request.url)
                else None)
        _type_until_shown(page, base + on, variant, query)
        while True:   # settled: no search file arrived for half a second
            seen = len(finished)
            page.wait_for_timeout(500)
            if len(finished) == seen:
                break
        key, shown, origin = page.evaluate("[__bench.key, __bench.shown, performance.timeOrigin]")
        first = settled = 0
        for request in finished:
            response = request.response()
            size = len(gzip.compress(response.body(), 6)) if response else 0
            timing = request.timing   # ms since the epoch, then ms after that start
            settled += size
            if timing["startTime"] + timing["responseEnd"] <= origin + shown:
                first += size
        return Typed(shown - key, first, settled)
    finally:
        context.close()


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]


def spread(site: Path, on: str, queries: list[str], runs: int) -> str:
    """Keystroke -> first result on the page ``on`` of ``site``: median and 90th percentile.

    Over every query x run: the figure issue 16 sets targets for (a paper page, idle), with
    the search bytes (gzip) fetched until the first result and until the query settled.
    """
    variant = dataclasses.replace(VARIANTS[0], site=site.resolve())
    times: dict[str, list[Typed]] = {}
    with chromium() as browser, serve(variant.site) as base:
        for query in queries:
            times[query] = [typed_query(browser, base, variant, query, on)
                            for _ in range(runs)]
    every = [t.ms for values in times.values() for t in values]
    load = os.getloadavg()
    lines = [f"keystroke -> first result on /{on}, {len(queries)} queries x {runs} runs, "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
             f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}: "
             f"median {statistics.median(every):.0f} ms, p90 {_p90(every):.0f} ms",
             "",
             "| query | median ms | p90 ms | max ms | KB gz to first result | KB gz settled |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for q, values in times.items():
        ms = [t.ms for t in values]
        lines.append(f"| `{q}` | {statistics.median(ms):.0f} | {_p90(ms):.0f} | "
                     f"{max(ms):.0f} | {statistics.median(t.first_gz for t in values) / 1000:.1f}"
                     f" | {statistics.median(t.settled_gz for t in values) / 1000:.1f} |")
    return "\n".join(lines)


def table(figures: dict[str, dict[str, float]], runs: int, query: str) -> str:
    """The figures as a Markdown table; ours alone (``--site``) has no theme columns."""
    ours = figures["ours"]
    lines = [
        f"Search benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"query {query!r}, median of {runs} runs",
        "",
    ]
    if "theme" not in figures:
        lines += ["| metric | ours |", "| --- | ---: |"]
        lines += [f"| {metric} | {value:.1f} |" for metric, value in ours.items()]
        return "\n".join(lines)
    theirs = figures["theme"]
    lines += ["| metric | ours | theme | ours/theme |", "| --- | ---: | ---: | ---: |"]
    for metric in ours:
        ratio = f"{ours[metric] / theirs[metric]:.2f}" \
            if theirs[metric] and not math.isnan(theirs[metric]) else "n/a"
        lines.append(f"| {metric} | {ours[metric]:.1f} | {theirs[metric]:.1f} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the sites unless told not to, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--query", default="diffusion",
                        help="what to type and search for (default: %(default)s)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse site/ and .bench/site-theme/ from an earlier run")
    parser.add_argument("--site", type=Path,
                        help="measure only our search, on this built site (e.g. of a large "
                             "scratch archive); nothing is built")
    parser.add_argument("--page", help="with --site: measure keystroke -> result on this page "
                                        "(e.g. a paper page) for every --queries, median and p90")
    parser.add_argument("--queries", default="diffusion,reinforcement learning,graph,"
                                             "vision transformer,speech",
                        help="comma-separated queries for --site/--page (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.site and args.page:
        print(spread(args.site, args.page, args.queries.split(","), args.runs))
        return 0
    if args.site:
        ours = (dataclasses.replace(VARIANTS[0], site=args.site.resolve()),)
        print(table(measure(args.runs, args.query, ours), args.runs, args.query))
        return 0
    if not args.skip_build:
        build_sites()
    print(table(measure(args.runs, args.query), args.runs, args.query))
    return 0


if __name__ == "__main__":
    sys.exit(main())
