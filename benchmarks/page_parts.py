"""Where the bytes of a built site's pages go: paper pages by part, listings, folders.

    python -m benchmarks.page_parts SITE [BEFORE_SITE] [--scale 47714] [--pages 400]

Reads a built ``site/`` (nothing is built here) and prints Markdown tables:

* a paper page by part (mean bytes over the first ``--pages`` paper pages by path): each
  part is found by a pattern over the published HTML (the head's metadata, the header's
  search box, the article's sections...); what no pattern claims is the skeleton;
* the mean size of the pages of each kind (paper, tag, A-Z letter, month) and the bytes
  of each top folder.

Given a second site (``BEFORE_SITE``, the same archive built by another version), each
table has a before and an after column and, for the paper page's parts, the difference
times ``--scale`` pages: what the change is worth on a site of that many papers.  Figures
only: the goals live in docs/maintainers/performance.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
from collections.abc import Iterable
from pathlib import Path

_S = re.DOTALL
# Quotes are optional in the patterns: the published pages may drop them where HTML allows.
Q = '"?'
#: (part, pattern), claimed in this order; a byte belongs to the first part that claims it.
PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("JSON-LD", re.compile(r"<script type=" + Q + r"application/ld\+json.*?</script>\n?", _S)),
    ("Highwire citation_* meta", re.compile(r"<meta name=" + Q + r"citation_[^>]*>\n?")),
    ("description, Open Graph, Twitter card",
     re.compile(r"<meta (?:name=" + Q + r"description|property=" + Q + r"og:|name=" + Q
                + r"twitter:)[^>]*>\n?")),
    ("search box (form, its stylesheet and scripts)",
     re.compile(r"(?:<link[^>]*search\.css[^>]*>\n?)?<form[^>]*pa-searchbox.*?</form>\n?"
                r"(?:<script[^>]*search[^>]*></script>\n?)*", _S)),
    ("head: canonical, icon, title, stylesheets, scripts",
     re.compile(r"<link [^>]*>\n?|<title>.*?</title>\n?|<script src=[^>]*></script>\n?", _S)),
    ("header: logo and site name", re.compile(r"<header.*?</header>\n?", _S)),
    ("edit link", re.compile(r"<a [^>]*rel=" + Q + r"edit.*?</a>\n?", _S)),
    ("abstract", re.compile(r"<section class=" + Q + r"pa-abstract.*?</section>\n?", _S)),
    ("Cite block (BibTeX)", re.compile(r"<section class=" + Q + r"pa-cite.*?</section>\n?", _S)),
    ("related papers", re.compile(r"<section class=" + Q + r"pa-related.*?</section>\n?", _S)),
    ("title, authors, tags, links, dates, categories",
     re.compile(r"<article.*?</article>\n?", _S)),
    ("navigation", re.compile(r"<nav class=" + Q + r"pa-sitenav.*?</nav>\n?", _S)),
    ("skip link", re.compile(r"<a href=" + Q + r"#pa-main.*?</a>\n?", _S)),
)
SKELETON = "skeleton: doctype, head and body, containers"


def parts_of(html: str) -> dict[str, int]:
    """Bytes of each part of one page (UTF-8), the unclaimed rest as the skeleton."""
    data = html.encode("utf-8")
    text = data.decode("latin-1")  # one character per byte: spans are byte counts
    owner = bytearray(len(text))  # 0: unclaimed, k: PARTS[k - 1]
    sizes = dict.fromkeys([name for name, _ in PARTS] + [SKELETON], 0)
    for k, (name, pattern) in enumerate(PARTS, start=1):
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                if not owner[i]:
                    owner[i] = k
                    sizes[name] += 1
    sizes[SKELETON] = owner.count(0)
    return sizes


def paper_pages(site: Path) -> list[Path]:
    """Every paper page of ``site`` (``papers/<id>/index.html``), by path."""
    return sorted(p for p in (site / "papers").glob("*/index.html") if p.parent.name != "letter")


def _mean(values: Iterable[int]) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def mean_parts(site: Path, pages: int) -> dict[str, float]:
    """The mean of :func:`parts_of` over the first ``pages`` paper pages, and the total."""
    measured = [parts_of(p.read_text("utf-8")) for p in paper_pages(site)[:pages]]
    names = [name for name, _ in PARTS] + [SKELETON]
    means = {name: _mean(m[name] for m in measured) for name in names}
    means["**paper page**"] = sum(means.values())
    return means


def kinds(site: Path) -> dict[str, float]:
    """Mean bytes of a page of each generated kind."""
    def sizes(pattern: str) -> list[int]:
        return [p.stat().st_size for p in site.glob(pattern)]

    tags = sizes("tags/*/index.html") + sizes("tags/*/page/*/index.html")
    return {
        "paper page": _mean(p.stat().st_size for p in paper_pages(site)),
        "tag page": _mean(tags),
        "A-Z letter page": _mean(sizes("papers/letter/*/index.html")
                                 + sizes("papers/letter/*/page/*/index.html")),
        "month page": _mean(sizes("months/*/index.html") + sizes("months/*/page/*/index.html")),
        "per-paper API file": _mean(sizes("api/papers/*.json")),
    }


def folders(site: Path) -> dict[str, float]:
    """Bytes of each top folder of ``site`` (files directly in it as "other files")."""
    out: dict[str, float] = {}
    for entry in sorted(site.iterdir()):
        if entry.is_dir():
            out[f"{entry.name}/"] = sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
        else:
            out["other files"] = out.get("other files", 0) + entry.stat().st_size
    out["**site**"] = sum(out.values())
    return out


def table(title: str, after: dict[str, float], before: dict[str, float] | None,
          scale: int | None = None, unit: str = "B") -> str:
    """A Markdown table of ``after`` (and ``before``, the difference and its scaled size)."""
    def shown(value: float) -> str:
        return f"{value / 1e6:,.1f} MB" if unit == "MB" else f"{value:,.0f} B"

    if before is None:
        lines = [f"| {title} | bytes |", "| --- | --- |"]
        lines += [f"| {name} | {shown(value)} |" for name, value in after.items()]
        return "\n".join(lines)
    head = f"| {title} | before | after | change |"
    rule = "| --- | --- | --- | --- |"
    if scale:
        head += f" x {scale:,} pages |"
        rule += " --- |"
    lines = [head, rule]
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name, 0.0), after.get(name, 0.0)
        row = f"| {name} | {shown(old)} | {shown(new)} | {new - old:+,.0f} |"
        if scale:
            row += f" {(new - old) * scale / 1e6:+,.1f} MB |"
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the tables for one site, or for two (before, after)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site to measure (after)")
    parser.add_argument("before", type=Path, nargs="?", help="the same archive built before")
    parser.add_argument("--scale", type=int, default=47714, help="papers to project to")
    parser.add_argument("--pages", type=int, default=400, help="paper pages to split")
    args = parser.parse_args(argv)
    before = args.before
    print(table(f"a paper page, by part (mean of {args.pages})", mean_parts(args.site, args.pages),
                mean_parts(before, args.pages) if before else None, args.scale))
    print()
    print(table("a page of each kind (mean)", kinds(args.site), kinds(before) if before else None))
    print()
    print(table("folder", folders(args.site), folders(before) if before else None, unit="MB"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
