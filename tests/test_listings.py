"""Tag listings newest first, the dates and ranks they show, and what the cache redoes.

A reader of a topic page expects the newest papers first (as on arXiv's listings and in the
tag's feed); the A-Z list stays A-Z.  Pure: render only, no build.
"""

from __future__ import annotations

import re

from generator import feeds, months, render
from generator.model import Archive, Listing, Paper, Tag, Vocabulary, archive_order

TAG = Tag("t", "Tee", "About tee.", "G")


def _paper(paper_id: str, title: str, *listings: tuple[str, int], added: str = "2024-01-01",
           authors: tuple[str, ...] = ()) -> Paper:
    return Paper(id=paper_id, title=title, abstract="An abstract long enough to be real.",
                 tags=("t",), added=added, source="d.jsonl", authors=authors,
                 listings=tuple(Listing(day, "d.jsonl", rank) for day, rank in listings))


def _archive(papers: list[Paper]) -> Archive:
    return Archive(archive_order(papers), Vocabulary(("G",), (TAG,)))


def _pages(papers: list[Paper]) -> dict[str, str]:
    return {page.path: page.text for page in render.render_site(_archive(papers))}


def _listed(text: str) -> list[str]:
    """The paper ids a listing page links, in order."""
    return re.findall(r'<li><a href="(?:\.\./)+(?:papers/)?([^/."]+)/"', text)


def test_a_tag_page_lists_newest_first_then_by_rank_then_by_id() -> None:
    papers = [
        _paper("aa-old", "Aardvark", ("2025-01-05", 1)),
        _paper("zz-new", "Zebra", ("2025-03-01", 2)),
        _paper("mm-top", "Mole", ("2025-03-01", 1)),
        _paper("bb-tie", "Badger", ("2025-03-01", 2)),  # same day, same rank: by id
        # Listed first on 2025-01-02 (rank 9), again later at rank 1: its first listing counts.
        _paper("cc-twice", "Cat", ("2025-01-02", 9), ("2025-02-01", 1)),
        _paper("dd-hand", "Dog", added="2025-02-10"),  # no listing: the day it was added
    ]
    order = ["mm-top", "bb-tie", "zz-new", "dd-hand", "aa-old", "cc-twice"]
    assert _listed(_pages(papers)["tags/t.md"]) == order
    # The same order whatever order the archive holds them in, and the feed's order.
    assert [p.id for p in months.newest_first(reversed(papers))] == order
    assert feeds.newest_first is months.newest_first


def test_the_a_to_z_list_stays_a_to_z() -> None:
    papers = [_paper("b", "Apple", ("2025-03-01", 1)), _paper("a", "Aardvark", ("2025-01-01", 1))]
    pages = _pages(papers)
    assert _listed(pages["papers/letter/a.md"]) == ["a", "b"]
    assert _listed(pages["tags/t.md"]) == ["b", "a"]
    assert "newest first" in pages["tags/t.md"]


def test_each_row_shows_its_listing_day_and_shortened_authors() -> None:
    many = tuple(f"Author {n}" for n in range(9))
    papers = [_paper("p", "Paper", ("2025-01-02", 9), ("2025-02-01", 1), authors=many),
              _paper("q", "Quiet", added="2024-12-24")]
    page = _pages(papers)["tags/t.md"]
    rows = dict(zip(_listed(page), re.findall(r'<div class="pa-byline">(.*?)</div>', page),
                    strict=True))
    assert rows["p"] == ("<time>2025-01-02</time> · Author 0, Author 1, Author 2, Author 3, "
                         "Author 4 et al.")
    assert rows["q"] == "<time>2024-12-24</time>"  # no authors known: the date alone


def test_pages_continue_the_order_and_link_to_each_other() -> None:
    per = render.TAG_PAGE_PAPERS
    # Day k of 2025 holds paper k: the newest is the last made.
    papers = [_paper(f"p{k:04d}", f"Paper {k:04d}",
                     (f"2025-{1 + k // 28:02d}-{1 + k % 28:02d}", 1)) for k in range(per + 5)]
    pages = _pages(papers)
    first, second = pages["tags/t.md"], pages["tags/t/page/2.md"]
    shown = _listed(first) + _listed(second)
    assert shown == [p.id for p in reversed(papers)]
    assert re.search(r'<a href="page/2/" rel="next">', first)
    assert re.search(r'<a href="../../" rel="prev">', second)
    days = re.findall(r"<time>([\d-]+)</time>", first + second)
    assert days == sorted(days, reverse=True)
    assert "pa-description" in first and "pa-description" not in second


def test_related_tags_follow_the_papers_so_a_phone_shows_a_paper_first() -> None:
    other = Tag("u", "You", "", "G")
    papers = [Paper(id="p", title="Paper", abstract="An abstract long enough to be real.",
                    tags=("t", "u"), added="2024-01-01", source="d.jsonl")]
    page = render.render_site(Archive(archive_order(papers), Vocabulary(("G",), (TAG, other))))
    text = next(p.text for p in page if p.path == "tags/t.md")
    assert text.index('<ul class="pa-list">') < text.index("<h2>Related tags</h2>")


def test_a_new_paper_changes_every_page_it_moves_and_no_unchanged_key_is_stale() -> None:
    per = render.TAG_PAGE_PAPERS
    papers = [_paper(f"p{k:04d}", f"Paper {k:04d}", (f"2025-01-{1 + k % 28:02d}", 1 + k))
              for k in range(2 * per + 10)]
    newest = _paper("zz-newest", "A newest paper", ("2025-06-01", 1))
    before = {plan.path: plan for plan in render.plan_site(_archive(papers))}
    after = {plan.path: plan for plan in render.plan_site(_archive([*papers, newest]))}
    tag_pages = ["tags/t.md", "tags/t/page/2.md", "tags/t/page/3.md"]
    assert all(before[path].key != after[path].key for path in tag_pages)
    for path, plan in after.items():
        if path in before and plan.key is not None and plan.key == before[path].key:
            assert plan.make().text == before[path].make().text, path


def test_a_rank_says_it_is_the_rank_of_that_days_listing() -> None:
    html = render.rank_html("2026-11-28", 8)
    assert html == ('<span title="rank 8 in the 2026-11-28 listing">'
                    "#8 that day</span>")
    page = _pages([_paper("p", "Paper", ("2026-11-28", 8))])
    assert html in page["papers/p.md"] and html in page["index.md"]
