"""Link previews, JSON-LD, feeds, robots.txt and sitemap dates on real builds."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.html_tools import parse

pytestmark = pytest.mark.build

HOSTILE_TITLE = ("A <b> & \"q\" <script>alert('title')</script> <img src=x onerror=alert('img')> "
                 "{{ config.site_name }} {onclick=alert('attr')}")


class _Head(HTMLParser):
    """Every ``<meta property|name>`` and ``<link rel>`` of a page, and its JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        if tag == "link":
            self.links.append(values)
        self._in_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_paper_page_has_link_preview_and_scholarly_article(fixture_site: Path) -> None:
    head = _head(fixture_site / "papers" / "hostile-record" / "index.html")
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == HOSTILE_TITLE  # the parser unescapes: shown as text
    assert head.meta["og:url"].endswith("/papers/hostile-record/")
    assert head.meta["og:image"].endswith("/assets/images/social-card.png")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:description"] == head.meta["description"]
    (raw,) = head.json_ld
    data = json.loads(raw)
    assert data["@type"] == "ScholarlyArticle" and data["headline"] == HOSTILE_TITLE
    assert data["url"] == head.meta["og:url"]
    assert data["abstract"].startswith(head.meta["description"].rstrip("…"))
    assert (fixture_site / "assets" / "images" / "social-card.png").is_file()


def test_pages_have_unique_titles_and_their_own_descriptions(built_site: Path) -> None:
    titles: dict[str, Path] = {}
    site_description = parse(built_site / "index.html").meta["description"]
    for path in sorted(built_site.rglob("index.html")):
        page = parse(path)
        if "refresh" in page.meta:
            continue  # an old tag URL sending readers on
        assert page.title not in titles, (path, titles.get(page.title))
        titles[page.title] = path
        if path.parent != built_site:
            assert page.meta.get("description") != site_description, path
    assert parse(built_site / "index.html").title != "Home - Paper archive"


def test_home_and_tag_pages_link_their_feeds(built_site: Path) -> None:
    home = _head(built_site / "index.html")
    feeds = [link["href"] for link in home.links if link.get("type") == "application/atom+xml"]
    assert feeds == ["feeds/all.xml"]
    # The first tag (by id) that has papers: a new tag may have none in the seed yet.
    tag_dir = next(p for p in sorted((built_site / "tags").iterdir())
                   if (p / "index.html").is_file() and p.name != "page"
                   and feedparser.parse((built_site / "feeds" / "tags" / f"{p.name}.xml")
                                        .read_bytes()).entries)
    tag = _head(tag_dir / "index.html")
    hrefs = [link["href"] for link in tag.links if link.get("type") == "application/atom+xml"]
    assert f"../../feeds/tags/{tag_dir.name}.xml" in hrefs
    for href in hrefs:
        feed = feedparser.parse((tag_dir / href).read_bytes())
        assert not feed.bozo and feed.entries


def test_robots_points_at_the_sitemap_and_pages_carry_their_own_dates(built_site: Path) -> None:
    robots = (built_site / "robots.txt").read_text("utf-8")
    assert re.search(r"^Sitemap: https?://\S+/sitemap\.xml$", robots, re.M)
    sitemap = ET.fromstring(gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()))
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    dates = {url.findtext(f"{ns}loc"): url.findtext(f"{ns}lastmod")
             for url in sitemap.iter(f"{ns}url")}
    paper_dates = {d for loc, d in dates.items() if "/papers/" in loc and "/letter/" not in loc}
    assert paper_dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in paper_dates)


def test_stats_page_and_api_are_built(built_site: Path) -> None:
    stats = (built_site / "stats" / "index.html").read_text("utf-8")
    assert stats.count('<svg class="pa-chart"') == 4
    papers = json.loads((built_site / "api" / "papers.json").read_text("utf-8"))
    assert papers["count"] == len(papers["papers"]) > 200
    one = papers["papers"][0]
    assert json.loads((built_site / "api" / "papers" / f"{one['id']}.json").read_text()) == one
    assert (built_site / one["url"] / "index.html").is_file()
