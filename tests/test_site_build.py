"""Structural tests on real builds: parse the built HTML and check pages, links and safety.

``built_site`` is the committed archive; ``fixture_site`` is the fixture archive, which has
tags, aliases, math and a hostile record.  Both are built once per session.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator import render
from generator.archive import load_archive
from generator.months import newest_first
from tests.conftest import ARCHIVE, FIXTURE_ARCHIVE, copy_fixture_archive
from tests.html_tools import parse

pytestmark = pytest.mark.build

SITE_NAME = "Paper archive"
SITE_PATH = urlsplit(yaml.safe_load(
    (Path(__file__).parent.parent / "mkdocs.yml").read_text("utf-8"))["site_url"]).path


def _archive(root: Path):
    if root == FIXTURE_ARCHIVE:  # loaded as the build sees it: with the schemas beside it
        import tempfile

        root = copy_fixture_archive(Path(tempfile.mkdtemp()) / "archive")
    archive, problems = load_archive(root)
    assert problems == []
    return archive


@pytest.fixture(scope="module", params=["real", "fixture"])
def case(request, built_site: Path, fixture_site: Path):
    if request.param == "real":
        return built_site, _archive(ARCHIVE)
    return fixture_site, _archive(FIXTURE_ARCHIVE)


def test_every_record_has_its_page_with_title_and_edit_link(case) -> None:
    site, archive = case
    assert {p.name for p in (site / "papers").iterdir() if p.is_dir()} - {"letter"} == {
        paper.id for paper in archive.papers}
    for paper in archive.papers:
        page = parse(site / "papers" / paper.id / "index.html")
        assert page.h1 == [" ".join(paper.title.split())]
        assert page.title == f"{' '.join(paper.title.split())} - {SITE_NAME}"
        html = (site / "papers" / paper.id / "index.html").read_text("utf-8")
        assert re.search(r'rel="edit">(<svg[^>]*>.*?</svg>)?Edit this record</a>', html), paper.id
        edits = [url for _, _, url in page.urls if url.endswith(f"/papers/{paper.id}.yml")]
        assert edits == [f"https://github.com/paper-archive/paper-archive/edit/main/archive/"
                         f"papers/{paper.id}.yml"]


def _listing(first: Path) -> list[Path]:
    """The built pages of a paged listing, from its first page along the rel=next links."""
    pages = [first]
    while match := re.search(r'<a href="([^"]+)" rel="next">', pages[-1].read_text("utf-8")):
        pages.append((pages[-1].parent / match.group(1) / "index.html").resolve())
    return pages


def test_a_to_z_lists_every_paper_once_in_archive_order(case) -> None:
    site, archive = case
    overview = parse(site / "papers" / "index.html")
    letters = [url for url in overview.content_urls if url.startswith("letter/")]
    linked = []
    for letter in dict.fromkeys(letters):
        for built in _listing((site / "papers" / letter / "index.html").resolve()):
            targets = [(built.parent / url).resolve() for url in parse(built).content_urls
                       if not urlsplit(url).scheme]
            linked += [t.name for t in targets if t.parent == (site / "papers").resolve()]
    letter_of = {paper.id: render._letter(paper) for paper in archive.papers}
    expected = sorted((p.id for p in archive.papers),
                      key=lambda i: (letter_of[i] != "#", letter_of[i]))  # stable: archive order
    assert linked == expected


def test_tag_pages_list_exactly_their_papers(case) -> None:
    site, archive = case
    for tag in archive.vocabulary.tags:
        page = parse(site / "tags" / tag.id / "index.html")
        linked = [url.split("/")[-2] for url in page.content_urls
                  if url.startswith("../../papers/")]
        # Newest first (listing day, rank, id), as the tag's feed.
        expected = [p.id for p in newest_first(archive.papers) if tag.id in p.tags]
        assert linked == expected, tag.id
        assert f"{len(expected)} paper" in page.content_text
        html = (site / "tags" / tag.id / "index.html").read_text("utf-8")
        assert re.search(r'rel="edit">(<svg[^>]*>.*?</svg>)?Edit the tags</a>', html), tag.id


def test_overview_and_home_counts_match(case) -> None:
    site, archive = case
    counts = Counter(t for paper in archive.papers for t in paper.tags)
    overview = (site / "tags" / "index.html").read_text("utf-8")
    parents, by_id = archive.vocabulary.parents(), archive.vocabulary.by_id()
    for tag in archive.vocabulary.tags:
        if tag.id in parents and by_id[parents[tag.id]].group == tag.group:
            # a narrower tag: a chip inside its parent's item
            assert re.search(rf'<a class="pa-chip pa-chip--narrower" href="{tag.id}/">[^<]*'
                             rf'<span class="pa-chip__count">{counts[tag.id]}</span>',
                             overview), tag.id
            continue
        assert re.search(rf'data-count="{counts[tag.id]}"><a class="pa-chip" href="{tag.id}/"',
                         overview), tag.id
    home = parse(site / "index.html").content_text
    assert f"{len(archive.papers)} papers · {len(archive.vocabulary.tags)} tags" in home


def test_no_request_leaves_the_site(case) -> None:
    site, _ = case
    for name in ("index.html", "papers/index.html", "tags/index.html", "404.html"):
        page = parse(site / name)
        assert page.requests, name
        assert [url for url in page.requests if urlsplit(url).netloc] == [], name


# ------------------------------------------------------------------ the hostile record


@pytest.fixture(scope="module")
def hostile(fixture_site: Path):
    return parse(fixture_site / "papers" / "hostile-record" / "index.html")


def test_hostile_page_runs_nothing_of_its_own(fixture_site: Path, hostile) -> None:
    benign = parse(fixture_site / "papers" / "attention-on-graphs" / "index.html")
    assert hostile.scripts == benign.scripts
    assert "script" not in hostile.content_tags
    assert hostile.event_attributes == []
    bad = [url for _, _, url in hostile.urls
           if url.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert bad == []
    assert not {"img", "iframe", "object", "embed", "table"} & set(hostile.content_tags)
    # The abstract's "# A Markdown heading" stays text: the only h2 are the generated
    # "Cite" and the related papers'.
    html = (fixture_site / "papers" / "hostile-record" / "index.html").read_text("utf-8")
    assert html.count('<h2 id="pa-cite-title"') == 1
    assert html.count("<h2") == html.count('<h2 id="pa-related-title"') + 1 <= 2


def test_hostile_page_shows_the_payload_as_text(hostile) -> None:
    title = ("A <b> & \"q\" <script>alert('title')</script> <img src=x onerror=alert('img')> "
             "{{ config.site_name }} {onclick=alert('attr')}")
    assert hostile.h1 == [title]
    assert hostile.title == f"{title} - {SITE_NAME}"
    for shown in ["<script>alert('abstract')</script>", "<img src=x onerror=alert('img')>",
                  "[click me](javascript:alert('md'))", "{onclick=alert('attr')}",
                  "{{ config.repo_url }}", '{% include "base.html" %}', "# A Markdown heading",
                  "| a | table |", '--8<-- "/etc/passwd"', "literal $ sign &amp; an entity"]:
        assert shown in hostile.content_text
    assert "<script>alert('math')</script>" in hostile.content_text  # \text{} as text
    assert hostile.meta["description"].startswith("<script>alert('abstract')</script>")


def test_hostile_tag_name_is_text_everywhere(fixture_site: Path) -> None:
    name = "<img src=x onerror=alert('tag')> Evil & \"quoted\" {{ config }}"
    for path in ("tags/hostile-tag/index.html", "tags/index.html", "index.html",
                 "papers/hostile-record/index.html"):
        page = parse(fixture_site / path)
        assert name in page.content_text, path
        assert page.event_attributes == [], path
        assert "img" not in page.content_tags, path


def test_math_is_mathml_in_the_page(fixture_site: Path) -> None:
    page = parse(fixture_site / "papers" / "bayesian-vision-transformers" / "index.html")
    assert page.content_tags.count("math") == 2
    assert "A second paragraph: training costs $5 per run" in page.content_text


def test_alias_page_redirects_to_the_renamed_tag(fixture_site: Path) -> None:
    page = parse(fixture_site / "tags" / "graph-networks" / "index.html")
    assert page.meta["refresh"] == "0; url=../graph-learning/"
    assert page.meta["robots"] == "noindex"


def test_404_page_helps(fixture_site: Path) -> None:
    page = parse(fixture_site / "404.html")
    assert page.h1 == ["Page not found"]
    links = {url for tag, _, url in page.urls if tag == "a"}
    assert {f"{SITE_PATH}papers/", f"{SITE_PATH}tags/"} <= links
