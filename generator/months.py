"""Browsing by date: which papers each month's listing pages show, in which order.

Pure structure, no markup (:mod:`generator.render` writes the pages).  A paper appears on
the day of each of its listings (a trending list, a daily listing: see
:class:`~generator.model.Listing`), so a month page reads like the listings it came from:
days newest first, and within a day the papers in listing order (rank), as a reader of a
trending list expects.  A paper listed twice on one day appears once, at its best rank.
Papers without a listing (added by hand) are in the A-Z list and search, not here: a
month page shows only what some listing said, never a guessed date.

Months are cut into pages of :data:`MONTH_PAGE_PAPERS` so that a month of 5,000 arXiv
papers is 50 pages of a bounded size rather than one page of megabytes; a day may begin
on one page and continue on the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Paper

#: Papers per month page (the tag pages' size: a page of titles and teasers of ~100 KB).
MONTH_PAGE_PAPERS = 100
#: Papers in the home page's "Latest".
LATEST_PAPERS = 10


@dataclass(frozen=True)
class Appearance:
    """One paper on one day's listing."""

    date: str
    rank: int
    source: str
    paper: Paper

    @property
    def month(self) -> str:
        """``YYYY-MM`` of the appearance."""
        return self.date[:7]


@dataclass(frozen=True)
class Month:
    """One month: its papers in page order and how many were listed each day."""

    month: str
    items: tuple[Appearance, ...]
    days: tuple[tuple[str, int], ...]  # (date, papers), newest first

    @property
    def pages(self) -> int:
        """How many pages the month's list takes (at least one)."""
        return max(1, -(-len(self.items) // MONTH_PAGE_PAPERS))

    def page(self, number: int) -> tuple[Appearance, ...]:
        """The appearances on page ``number`` (1-based)."""
        return self.items[(number - 1) * MONTH_PAGE_PAPERS: number * MONTH_PAGE_PAPERS]


@dataclass(frozen=True)
class Calendar:
    """Every month with a listing, newest first, and where each appearance is shown."""

    months: tuple[Month, ...]
    #: (paper id, date) -> (month, page number): where a paper page links its listing.
    where: dict[tuple[str, str], tuple[str, int]]

    @property
    def latest(self) -> tuple[Appearance, ...]:
        """The newest listing's papers: newest day first, then rank."""
        out: list[Appearance] = []
        for month in self.months:
            out.extend(month.items[: LATEST_PAPERS - len(out)])
            if len(out) >= LATEST_PAPERS:
                break
        return tuple(out)

    def by_year(self) -> list[tuple[str, list[Month]]]:
        """Months grouped by year, both newest first."""
        years: dict[str, list[Month]] = {}
        for month in self.months:
            years.setdefault(month.month[:4], []).append(month)
        return list(years.items())


def calendar(papers: Iterable[Paper]) -> Calendar:
    """The :class:`Calendar` of ``papers``; the same papers give the same calendar."""
    best: dict[tuple[str, str], Appearance] = {}
    for paper in papers:
        for listing in paper.listings:
            key = (paper.id, listing.date)
            seen = best.get(key)
            if seen is None or (listing.rank, listing.source) < (seen.rank, seen.source):
                best[key] = Appearance(listing.date, listing.rank, listing.source, paper)
    ordered = sorted(best.values(), key=lambda a: (_descending(a.date), a.rank, a.source,
                                                   a.paper.id))
    grouped: dict[str, list[Appearance]] = {}
    for item in ordered:
        grouped.setdefault(item.month, []).append(item)
    months, where = [], {}
    for name, items in grouped.items():
        days: dict[str, int] = {}
        for item in items:
            days[item.date] = days.get(item.date, 0) + 1
        month = Month(name, tuple(items), tuple(days.items()))
        months.append(month)
        for position, item in enumerate(items):
            where[(item.paper.id, item.date)] = (name, position // MONTH_PAGE_PAPERS + 1)
    return Calendar(tuple(months), where)


def _descending(date: str) -> tuple[int, ...]:
    """Sort key putting later ``YYYY-MM-DD`` dates first."""
    return tuple(-ord(c) for c in date)


def listed_day(paper: Paper) -> str:
    """The day a paper was first listed: its earliest listing date when known, else ``added``."""
    days = [entry.date for entry in paper.listings if entry.date]
    return min(days) if days else paper.added


def listed_rank(paper: Paper) -> int:
    """The paper's best rank in the listing of :func:`listed_day` (0 without a listing)."""
    day = listed_day(paper)
    ranks = [entry.rank for entry in paper.listings if entry.date == day]
    return min(ranks) if ranks else 0


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Papers by listing day (newest first), then rank in that listing, then id.

    The one order of "newest papers": the feeds and the tag pages.  Total (ids are unique),
    so the same papers give the same order whatever order they come in.
    """
    keyed = [(listed_day(p), listed_rank(p), p.id, p) for p in papers]
    by_rank = sorted(keyed, key=lambda k: (k[1], k[2]))
    return [k[3] for k in sorted(by_rank, key=lambda k: k[0], reverse=True)]
