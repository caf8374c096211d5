"""Feed authors: the site is the feed's author; an entry names only its paper's authors.

RFC 4287 (4.1.1, 4.1.2): an entry must have an author unless the feed has one.  Before,
entries of papers without authors (the 262 seed papers) said "Unknown".
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET

import feedparser
import pytest

from generator import feeds, render
from generator.model import Archive, Paper, Tag, Vocabulary, archive_order

SITE = "https://example.org/base/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_NAME = "Site <name> & \"co\""


def _paper(paper_id: str, authors: tuple[str, ...], added: str) -> Paper:
    return Paper(id=paper_id, title=f"Paper {paper_id}", authors=authors, tags=("t",),
                 abstract="Diffusion models denoise images step by step.", added=added,
                 source="manual")


def _feeds(papers: list[Paper]) -> dict[str, bytes]:
    archive = Archive(archive_order(papers),
                      Vocabulary(("G",), (Tag("t", "Topic", "About it.", "G"),)))
    out = dict(feeds.site_feeds(render.Index.of(archive, None, SITE), SITE_NAME))
    return {path: data for path, data in out.items() if not path.endswith("sitemap.xml")}


MIXED = [_paper("with-authors", ("Ada Lovelace", "</name><script>x</script>"), "2024-01-03"),
         _paper("seed-like", (), "2024-01-02"),
         _paper("one-author", ("Émilie du Châtelet",), "2024-01-01")]


@pytest.mark.parametrize("papers", [MIXED, MIXED[1:2], [MIXED[0]]],
                         ids=["mixed", "no entry has authors", "every entry has authors"])
def test_the_site_is_the_feed_author_and_entries_name_only_real_authors(papers) -> None:
    by_id = {p.id: p for p in papers}
    for path, data in _feeds(papers).items():
        root = ET.fromstring(data)
        authors = root.findall(f"{ATOM}author")
        assert [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in authors] == [
            (SITE_NAME, SITE)], path
        for entry in root.findall(f"{ATOM}entry"):
            paper_id = entry.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[1]
            names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
            assert names == list(by_id[paper_id].authors), (path, paper_id)
        assert b"Unknown" not in data


def test_feeds_with_and_without_authors_parse_cleanly() -> None:
    for path, data in _feeds(MIXED).items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert not caught, (path, [str(w.message) for w in caught])
        assert parsed.feed.author_detail.name == SITE_NAME
        assert parsed.feed.author_detail.href == SITE
        entries = {e.id.rstrip("/").rsplit("/", 1)[1]: e for e in parsed.entries}
        assert [a.name for a in entries["with-authors"].authors] == list(MIXED[0].authors)
        # An entry without authors has no author element of its own.
        assert "authors" not in entries["seed-like"] or all(
            a.get("name") == SITE_NAME for a in entries["seed-like"].authors)
