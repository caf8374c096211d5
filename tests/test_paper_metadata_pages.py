"""Paper pages with metadata, the month pages and the home page's "Latest" (pure render)."""

from __future__ import annotations

import re
from dataclasses import replace

from generator import months, render
from generator.model import Archive, Link, Listing, Paper, Vocabulary, archive_order

ABSTRACT = "An abstract long enough to be a real one, with some words in it."


def _paper(paper_id: str, **fields) -> Paper:
    base = {"id": paper_id, "title": paper_id.replace("-", " ").title(), "abstract": ABSTRACT,
            "added": "2026-01-01", "source": "d.jsonl"}
    return Paper(**{**base, **fields})


def _pages(papers: list[Paper]) -> dict[str, str]:
    archive = Archive(archive_order(papers), Vocabulary((), ()))
    return {page.path: page.text for page in render.render_site(archive)}


def _front(page: str) -> str:
    return page.split("---\n", 2)[1]


def test_a_paper_page_shows_what_the_record_knows() -> None:
    paper = _paper("known", authors=("Ada Lovelace", "Émilie du Châtelet"),
                   arxiv_id="2501.01234", published="2025-01-02", categories=("cs.LG",),
                   links=(Link("paper", "https://arxiv.org/abs/2501.01234"),
                          Link("code", "https://github.com/a/b")),
                   listings=(Listing("2025-01-03", "d.jsonl", 4),))
    page = _pages([paper])["papers/known.md"]
    assert '<p class="pa-authors">Ada Lovelace, Émilie du Châtelet</p>' in page
    buttons = re.findall(r'class="md-button[^"]*" href="([^"]+)"[^>]*>([^<]+)<', page)
    assert buttons == [("https://github.com/a/b", "Code"),
                       ("https://arxiv.org/abs/2501.01234", "arXiv"),
                       ("https://arxiv.org/pdf/2501.01234", "PDF")]
    assert "Published <time>2025-01-02</time>" in page
    assert 'href="../../months/2025-01/#day-2025-01-03"' in page and "#4 that day</span>" in page
    assert '<ul class="pa-categories" aria-label="arXiv categories"><li>cs.LG</li>' in page
    assert "eprint = {2501.01234}" in page and '<code id="pa-bibtex">' in page
    assert "<button" not in page  # cite.js adds the copy button: none without JavaScript
    assert '["citation_author", "Émilie du Châtelet"]' in _front(page)


def test_long_author_lists_are_shortened_and_expandable() -> None:
    names = tuple(f"Author {n}" for n in range(1, 17))
    page = _pages([_paper("many", authors=names)])["papers/many.md"]
    summary = re.search(r"<details class=\"pa-authors\"><summary>(.*?)</summary><p>(.*?)</p>",
                        page)
    assert summary is not None
    # Each name once: the first five in the summary, the other eleven when opened.
    assert summary.group(1) == ("Author 1, Author 2, Author 3, Author 4, Author 5 "
                                '<span class="pa-authors__all">and 11 more</span>')
    assert summary.group(2) == ", ".join(names[5:])
    byline = re.search(r"<details class=\"pa-authors\">.*?</details>", page).group(0)
    assert all(len(re.findall(rf"\b{name}\b", byline)) == 1 for name in names)
    six = _pages([_paper("six", authors=names[:6])])["papers/six.md"]
    assert "<details" not in six and "Author 6</p>" in six


def test_the_seed_kind_of_record_gets_no_invented_metadata() -> None:
    seed = _paper("seed", source="seed.txt", listings=(Listing("2026-11-28", "seed.txt", 7),))
    page = _pages([seed])["papers/seed.md"]
    assert "citation" not in _front(page)
    body = page.split("---\n", 2)[2]
    assert "pa-authors" not in body and "Published" not in body and "arXiv" not in body
    assert "Listed <a" in page and "#7 that day</span>" in page
    assert re.search(r"@misc\{seed,\n  title = \{Seed\}\n\}", page)


def test_month_pages_are_paginated_newest_day_first_in_rank_order() -> None:
    per_page = months.MONTH_PAGE_PAPERS
    march = [_paper(f"m{n:03d}", listings=(Listing(f"2025-03-{1 + n % 3:02d}", "d.jsonl",
                                                   n // 3 + 1),)) for n in range(per_page + 5)]
    april = [_paper("april-one", listings=(Listing("2025-04-02", "d.jsonl", 1),))]
    pages = _pages(march + april)
    assert "months/2025-03.md" in pages and "months/2025-03/page/2.md" in pages
    assert "months/2025-03/page/3.md" not in pages and "months/2025-04.md" in pages
    first, second = pages["months/2025-03.md"], pages["months/2025-03/page/2.md"]
    assert first.count('<li><a href="../../papers/') == per_page
    assert second.count('<li><a href="../../../../papers/') == 5
    days = re.findall(r'<h2 id="day-(2025-03-\d\d)">', first)
    assert days == ["2025-03-03", "2025-03-02", "2025-03-01"]
    day3 = re.findall(r'papers/(m\d+)/', first.split('id="day-2025-03-03"')[1].split("<h2")[0])
    assert day3 == [f"m{n:03d}" for n in range(2, per_page + 5, 3)]
    # a day continued from page 1 keeps its id: papers on page 2 link their day there
    assert '<h2 id="day-2025-03-01">1 March 2025 (continued)' in second
    assert "105 papers listed on 3 days" in first
    assert first.count('<span class="pa-day-count">35 papers</span></h2>') == 3
    assert 'rel="next"' in first and "Newer</span> April 2025" in first
    index = pages["months/index.md"]
    assert re.findall(r'href="(\d{4}-\d\d)/">', index) == ["2025-04", "2025-03"]
    assert '<span class="pa-chip__count">105</span>' in index


def test_home_links_the_months_and_a_paper_links_its_page_of_the_month() -> None:
    papers = [_paper(f"p{n:03d}", listings=(Listing("2025-03-01", "d.jsonl", n + 1),))
              for n in range(months.MONTH_PAGE_PAPERS + 1)]
    pages = _pages(papers)
    home = pages["index.md"]
    assert 'href="months/2025-03/">March 2025</a>' in home and 'href="months/">All months' in home
    last = pages[f"papers/p{months.MONTH_PAGE_PAPERS:03d}.md"]
    assert 'href="../../months/2025-03/page/2/#day-2025-03-01"' in last


def test_a_paper_twice_on_one_day_appears_once_at_its_best_rank() -> None:
    paper = _paper("twice", listings=(Listing("2025-03-01", "a.jsonl", 9),
                                      Listing("2025-03-01", "b.txt", 2)))
    cal = months.calendar([paper, replace(_paper("other"), listings=(
        Listing("2025-03-01", "a.jsonl", 3),))])
    assert [(a.paper.id, a.rank) for a in cal.months[0].items] == [("twice", 2), ("other", 3)]
