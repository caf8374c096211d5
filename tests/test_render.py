"""Render: escaping of record text, math, links and page structure (pure functions)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import layout, render
from generator.mathml import tex_to_mathml
from generator.model import Archive, Link, Listing, Paper, Tag, Vocabulary, archive_order
from generator.textrules import rich_segments, teaser_segments

CASES = Path(__file__).parent / "cases"
TEXT_CASES = yaml.safe_load((CASES / "render_text.yml").read_text("utf-8"))
MATH_CASES = yaml.safe_load((CASES / "mathml.yml").read_text("utf-8"))


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c["name"] for c in TEXT_CASES])
def test_paragraph_text_renders_as_in_the_case_table(case: dict) -> None:
    html = render.rich_styled(rich_segments(render.clean_text(case["text"])))
    assert html == case["html"]


@pytest.mark.parametrize("case", MATH_CASES, ids=[c["name"] for c in MATH_CASES])
def test_math_converts_only_to_allowed_markup(case: dict) -> None:
    mathml = tex_to_mathml(case["tex"])
    if case.get("fails"):
        assert mathml is None
        return
    assert mathml is not None
    assert mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    for fragment in case.get("contains", []):
        assert fragment in mathml
    for fragment in case.get("absent", []):
        assert fragment not in mathml


def _paper(paper_id: str, title: str, tags: tuple[str, ...] = (), links=(), added="2024-01-01",
           abstract: str = "An abstract long enough to be a real one, with some words.") -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, tags=tags, links=tuple(links),
                 added=added, source="manual")


def _archive(papers, tags=(), groups=("G",)) -> Archive:
    return Archive(archive_order(papers), Vocabulary(tuple(groups), tuple(tags)))


def _pages(archive: Archive) -> dict[str, str]:
    return {page.path: page.text for page in render.render_site(archive)}


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_title_is_escaped_once_in_front_matter_and_heading() -> None:
    pages = _pages(_archive([_paper("p", 'A <b> & "q"')]))
    page = pages["papers/p.md"]
    assert _front(page)["title"] == "A &lt;b&gt; &amp; &quot;q&quot;"
    assert "<h1>A &lt;b&gt; &amp; &quot;q&quot;</h1>" in page


def test_front_matter_survives_yaml_special_characters() -> None:
    title = 'x: "y" \\ #z --- \u2028 \x85 \U0001F600 \ufeff'
    page = _pages(_archive([_paper("p", title)]))["papers/p.md"]
    assert _front(page)["title"].startswith("x: &quot;y&quot; \\ #z ---")


def test_body_is_one_raw_html_block() -> None:
    abstract = "First paragraph of the abstract, long enough.\n\n\n\nSecond one, also long."
    page = _pages(_archive([_paper("p", "T", abstract=abstract)]))["papers/p.md"]
    body = page.split("---\n", 2)[2].strip()
    assert body.startswith("<article") and body.endswith("</article>")
    assert "\n\n" not in body
    assert body.count("<p>") == 2


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x",
    "//evil.example/x", "https://ok.example/a b", 'https://ok.example/"onclick="x',
])
def test_only_plain_http_links_are_written(url: str) -> None:
    page = _pages(_archive([_paper("p", "T", links=[Link("code", url)])]))["papers/p.md"]
    assert 'class="pa-links"' not in page and "rel=\"nofollow" not in page


def test_links_are_buttons_code_first_and_escaped() -> None:
    links = [Link("project", "https://p.example/"), Link("code", "https://c.example/?a='b&c")]
    page = _pages(_archive([_paper("p", "T", links=links)]))["papers/p.md"]
    buttons = re.findall(r'<a class="([^"]+)" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert buttons == [
        ("md-button md-button--primary", "https://c.example/?a=&#x27;b&amp;c", "Code"),
        ("md-button", "https://p.example/", "Project page"),
    ]


def test_ids_that_are_not_ids_get_no_page() -> None:
    bad = _paper("../../etc/passwd", "Escape")
    tags = [Tag("../x", "Bad", "", "G"), Tag("ok", "Ok", "", "G", aliases=("../../y", "old"))]
    paths = set(_pages(_archive([bad, _paper("fine", "Fine")], tags)))
    assert paths == {"index.md", "papers/index.md", "tags/index.md", "papers/fine.md",
                     "papers/letter/f.md", "tags/ok.md", "tags/old.md", "months/index.md"}


def test_tag_pages_list_their_papers_with_related_counts() -> None:
    tags = [Tag("a", "Alpha", "About alpha.", "G"), Tag("b", "Beta", "", "G"),
            Tag("c", "Gamma", "", "G"), Tag("d", "Delta", "", "G")]
    papers = [_paper("z", "Zeta", ("a", "b")), _paper("y", "Upsilon", ("a", "b", "c")),
              _paper("x", "Xi", ("c",))]
    pages = _pages(_archive(papers, tags))
    alpha = pages["tags/a.md"]
    assert re.findall(r'href="../../papers/([^/]+)/"', alpha) == ["y", "z"]
    assert "2 papers" in alpha
    related = re.findall(r'href="../(\w)/">\w+ <span class="pa-chip__count">(\d+)', alpha)
    assert related == [("b", "2"), ("c", "1")]
    assert "No paper has this tag yet." in pages["tags/d.md"]


def test_paper_pages_have_no_alphabetical_previous_next_links() -> None:
    # Related papers (tests/test_discovery.py) replaced the A-Z neighbours, which say nothing.
    papers = [_paper("b", "Bravo"), _paper("a", "alpha"), _paper("c", "Charlie")]
    pages = _pages(_archive(papers))
    assert not re.search(r'rel="(prev|next)"', pages["papers/b.md"])


def test_aliases_become_redirect_pages_to_the_current_tag() -> None:
    tags = [Tag("new", "New name", "", "G", aliases=("old",))]
    page = _pages(_archive([_paper("p", "P", ("new",))], tags))["tags/old.md"]
    front = _front(page)
    assert front["template"] == "alias.html"
    assert front["redirect"] == "../new/"
    assert 'href="../new/"' in page


def test_an_alias_in_a_record_links_to_the_current_tag() -> None:
    tags = [Tag("new", "New name", "", "G", aliases=("old",))]
    page = _pages(_archive([_paper("p", "P", ("old",))], tags))["papers/p.md"]
    assert 'href="../../tags/new/"' in page


def test_empty_vocabulary_renders_listings_and_shows_record_tags_as_text() -> None:
    pages = _pages(_archive([_paper("p", "P", ("some-tag",))], groups=()))
    assert set(pages) == {"index.md", "papers/index.md", "tags/index.md", "papers/p.md",
                          "papers/letter/p.md", "months/index.md"}
    assert '<span class="pa-chip pa-chip--plain">some-tag</span>' in pages["papers/p.md"]
    assert "The tag vocabulary is empty." in pages["tags/index.md"]


def test_tags_of_unknown_groups_are_listed_under_other() -> None:
    tags = [Tag("a", "Alpha", "", "Nowhere"), Tag("b", "Beta", "", "G")]
    overview = _pages(_archive([], tags))["tags/index.md"]
    assert re.findall(r'<h2 id="group-\d">([^<]+)</h2>', overview) == ["G", "Other"]


def test_teaser_cuts_at_a_word_and_never_inside_math() -> None:
    tail = "$x^2 + y^2 = z^2$ and more words after the formula."
    fits = teaser_segments("Words " * 30 + tail, 200)
    assert ("tex", "x^2 + y^2 = z^2") in fits
    assert render.plain(fits).endswith(" and…")
    too_long = teaser_segments("Words " * 32 + tail, 200)
    assert all(kind == "text" for kind, _ in too_long)
    assert render.plain(too_long).endswith("Words…")


def test_home_lists_the_latest_listing_by_date_then_rank() -> None:
    """Not the newest ``added``: the newest listing day first, in its order (rank)."""
    papers = [replace(_paper(f"p{i}", f"Paper {i}", added="2030-01-01"), listings=(
        Listing(f"2024-01-{10 + i // 3:02d}", "d.jsonl", 3 - i % 3),)) for i in range(12)]
    papers.append(_paper("unlisted", "Unlisted", added="2031-01-01"))
    home = _pages(_archive(papers))["index.md"]
    ids = re.findall(r'href="papers/(\w+)/"', home)
    assert ids == ["p11", "p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2"]
    assert '<form class="pa-search" action="search/" method="get"' in home
    assert 'name="q"' in home


def test_a_to_z_groups_by_first_letter() -> None:
    papers = [_paper("b", "beta"), _paper("a", "Alpha"), _paper("n", "3D"),
              _paper("e", "Élan")]
    pages = _pages(_archive(papers))
    az = pages["papers/index.md"]
    assert re.findall(r'<li id="letter-(\w+)"><a href="letter/(\w+)/">', az) == [
        ("other", "other"), ("a", "a"), ("b", "b"), ("e", "e")]
    assert re.findall(r'href="../../(\w)/"', pages["papers/letter/e.md"]) == ["e"]
    assert re.findall(r'href="../../(\w)/"', pages["papers/letter/other.md"]) == ["n"]


# ------------------------------------------------------------------ pagination


def _tagged(n: int, tag_id: str = "t") -> list[Paper]:
    return [_paper(f"p{i:04d}", f"Paper {i:04d}", (tag_id,)) for i in range(n)]


def _resolve(from_path: str, link: str) -> str:
    """The docs path a relative directory link on the page at ``from_path`` points at."""
    import posixpath
    base = layout.url_of(from_path)
    target = posixpath.normpath(posixpath.join(base, link))
    return "index.md" if target == "." else target + ".md"


def test_tag_listing_is_paged_with_the_first_page_at_the_old_url() -> None:
    per = render.TAG_PAGE_PAPERS
    papers = _tagged(2 * per + 7)
    pages = _pages(_archive(papers, [Tag("t", "Tee", "About tee.", "G")]))
    listing = ["tags/t.md", "tags/t/page/2.md", "tags/t/page/3.md"]
    assert [p for p in pages if p.startswith("tags/t")] == listing
    shown = [re.findall(r'href="(?:\.\./)+papers/(p\d+)/"', pages[p]) for p in listing]
    assert [len(ids) for ids in shown] == [per, per, 7]
    assert [i for ids in shown for i in ids] == [p.id for p in papers]  # each once, in order
    description = '<p class="pa-description">About tee.</p>'
    assert description in pages["tags/t.md"] and description not in pages["tags/t/page/2.md"]
    assert _front(pages["tags/t.md"])["title"] == "Tee"
    assert _front(pages["tags/t/page/2.md"])["title"] == "Tee, page 2 of 3"


def test_pager_links_prev_and_next_to_the_neighbouring_pages() -> None:
    pages = _pages(_archive(_tagged(3 * render.TAG_PAGE_PAPERS), [Tag("t", "Tee", "", "G")]))
    middle = "tags/t/page/2.md"
    rels = dict((rel, _resolve(middle, link)) for link, rel in
                re.findall(r'<a href="([^"]+)" rel="(prev|next)">', pages[middle]))
    assert rels == {"prev": "tags/t.md", "next": "tags/t/page/3.md"}
    assert 'rel="prev"' not in pages["tags/t.md"]
    assert 'rel="next"' not in pages["tags/t/page/3.md"]
    nav = re.search(r'<nav class="pa-pager" aria-label="Pages of Tee">.*?</nav>',
                    pages[middle]).group(0)
    assert '<span aria-current="page">2</span>' in nav
    numbers = [_resolve(middle, link) for link in re.findall(r'<li><a href="([^"]+)">', nav)]
    assert numbers == ["tags/t.md", "tags/t/page/3.md"]


def test_a_short_listing_has_no_pager() -> None:
    pages = _pages(_archive(_tagged(3), [Tag("t", "Tee", "", "G")]))
    assert "pa-pager" not in pages["tags/t.md"]
    assert "pa-pager" not in pages["papers/letter/p.md"]


def test_pager_of_a_long_listing_shows_a_window_not_every_page() -> None:
    html = render.pager("tags/t.md", 50, 150, "Tee")
    assert re.findall(r">(\d+)</(?:a|span)>", html) == ["1", "48", "49", "50", "51", "52",
                                                       "150"]
    assert html.count("pa-pager__gap") == 2


def test_listing_pages_stay_the_same_size_however_many_papers_a_tag_has() -> None:
    tags = [Tag("t", "Tee", "", "G")]
    small = _pages(_archive(_tagged(render.TAG_PAGE_PAPERS), tags))
    large = _pages(_archive(_tagged(12 * render.TAG_PAGE_PAPERS), tags))
    biggest = max(len(text) for path, text in large.items() if path.startswith("tags/t"))
    assert biggest < 1.1 * len(small["tags/t.md"])
    letter = max(len(text) for path, text in large.items() if "/letter/" in path)
    assert letter < 1.1 * render.LETTER_PAGE_PAPERS / render.TAG_PAGE_PAPERS * len(
        small["papers/letter/p.md"])


def test_a_letter_of_the_a_to_z_list_is_paged_within_the_letter() -> None:
    per = render.LETTER_PAGE_PAPERS
    papers = _tagged(per + 1)
    pages = _pages(_archive(papers))
    assert [p for p in pages if p.startswith("papers/letter/")] == [
        "papers/letter/p.md", "papers/letter/p/page/2.md"]
    last = pages["papers/letter/p/page/2.md"]
    assert re.findall(r'href="(?:\.\./)+(p\d+)/"', last) == [papers[-1].id]
    assert _resolve("papers/letter/p/page/2.md",
                    re.search(r'<a href="([^"]+)" rel="prev">', last).group(1)) \
        == "papers/letter/p.md"


def _cite_block(page: str) -> str:
    match = re.search(r'<code id="pa-bibtex">(.*?)</code>', page, re.S)
    assert match, page
    return match.group(1)


def test_paper_pages_cite_with_unique_keys_and_capped_authors() -> None:
    """The Cite block: archive-wide keys, at most MAX_CITED_AUTHORS names; the byline all."""
    authors = tuple(f"Person Number{i}" for i in range(40))
    papers = [Paper(id=pid, title="Bench Marks", abstract="An abstract of the paper here.",
                    authors=authors, published="2026-01-01", added=added, source="d")
              for pid, added in (("bench-marks", "2026-02-01"), ("bench-marks-2", "2026-01-01"))]
    archive = Archive(archive_order(papers), Vocabulary(("G",), ()))
    index = render.Index.of(archive)
    pages = {p.id: render.paper_page(index, n).text for n, p in enumerate(index.papers)}
    # The paper added first keeps the key; the other gets a letter.
    assert _cite_block(pages["bench-marks-2"]).startswith("@misc{number02026bench,")
    assert _cite_block(pages["bench-marks"]).startswith("@misc{number02026benchb,")
    for page in pages.values():
        cite = _cite_block(page)
        assert cite.count(" and ") == render.citation.MAX_CITED_AUTHORS
        assert "Number9 and others" in cite and "Number10" not in cite
        byline = page.split('class="pa-authors"')[1].split("</details>")[0]
        assert all(name in byline for name in authors)
    # A page's key holds its cite key, so the generate cache renders a page again when a
    # clash with another paper gives it a letter.
    keys = {plan.path: plan.key for plan in render.plan_site(archive, index)}
    alone = Archive(archive_order(papers[:1]), Vocabulary(("G",), ()))
    alone_keys = {plan.path: plan.key for plan in render.plan_site(alone)}
    path = layout.paper_page("bench-marks")
    assert keys[path] != alone_keys[path]
