"""Atom feeds of the newest papers: one for the archive, one per tag (and per old id).

Why Atom: every feed reader reads it, its entry ``id`` is a permanent IRI (the paper's URL,
which never changes), and it has a proper ``updated`` and ``category``.  The documents are
made with :mod:`xml.etree.ElementTree`, which escapes every text and attribute value for
XML, so a hostile title stays text in the feed; nothing here concatenates markup.

A feed is bounded (:data:`FEED_ENTRIES` newest papers), sorted newest first by listing
date, then by rank in that listing, then by id, so the same archive gives the same bytes.
Feeds need absolute URLs, so they are made only when ``site_url`` is set in mkdocs.yml.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from generator.layout import FEEDS_DIR, SITE_FEED, tag_feed_path
from generator.layout import paper_page as paper_path
from generator.layout import tag_page as tag_path
from generator.model import Paper
from generator.months import listed_day, newest_first
from generator.render import Index, absolute, clean_text, plain, plain_title, published_aliases
from generator.textrules import paragraphs

#: Entries per feed: the newest papers only, so a feed stays small at any archive size.
FEED_ENTRIES = 50
__all__ = ["FEEDS_DIR", "SITE_FEED", "Feed", "FeedEntry", "atom", "listed_day", "newest_first",
           "site_feeds"]
ATOM_NS = "http://www.w3.org/2005/Atom"
EMPTY_SITEMAP = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


@dataclass(frozen=True)
class FeedEntry:
    """One paper as a feed shows it; all text plain (no markup), URLs absolute."""

    url: str
    title: str
    summary: str
    updated: str  # YYYY-MM-DD
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed: where it is published, what it is about, and its entries newest first."""

    url: str        # the feed's own absolute URL
    page_url: str   # the page it mirrors (home or the tag page)
    title: str
    subtitle: str
    entries: Sequence[FeedEntry]


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


def atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document (UTF-8 bytes, deterministic)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed")
    entries = list(feed.entries)[:FEED_ENTRIES]
    sub(root, "id", feed.url)
    sub(root, "title", feed.title)
    sub(root, "subtitle", feed.subtitle)
    sub(root, "updated", _timestamp(max((e.updated for e in entries), default="")))
    sub(root, "link", rel="self", type="application/atom+xml", href=feed.url)
    sub(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    sub(root, "generator", "paper-archive")
    if not any(entry.authors for entry in entries):
        # Atom wants an author for the feed when some entry has none.
        author = sub(root, "author")
        sub(author, "name", feed.title)
    for entry in entries:
        item = sub(root, "entry")
        sub(item, "id", entry.url)
        sub(item, "title", entry.title)
        sub(item, "link", rel="alternate", type="text/html", href=entry.url)
        sub(item, "updated", _timestamp(entry.updated))
        if entry.authors:
            for name in entry.authors:
                author = sub(item, "author")
                sub(author, "name", name)
        elif any(e.authors for e in entries):
            author = sub(item, "author")
            sub(author, "name", "Unknown")
        for term, label in entry.categories:
            sub(item, "category", term=term, label=label)
        sub(item, "summary", entry.summary, type="text")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry(index: Index, paper: Paper) -> FeedEntry:
    paras = paragraphs(paper.abstract)
    summary = " ".join(plain(paras[0]).split()) if paras else ""
    tags = tuple((t, clean_text(index.tags[t].name)) for t in index.tag_ids_of(paper))
    authors = tuple(clean_text(a) for a in (getattr(paper, "authors", ()) or ()))
    return FeedEntry(absolute(index, paper_path(paper.id)), plain_title(paper.title),
                     summary, listed_day(paper), tags, authors)


def site_feeds(index: Index, site_name: str) -> list[tuple[str, bytes]]:
    """The archive's feed and one per tag, as ``(path under docs/, bytes)``.

    None without ``site_url``: a feed needs absolute URLs.
    """
    if not index.site_url:
        return []
    root = index.site_url.rstrip("/") + "/"
    # Material's script reads every <link rel="alternate"> as another language of the site
    # and fetches "sitemap.xml" beside it: without these empty sitemaps each page view logs
    # a 404 for feeds/sitemap.xml (and feeds/tags/sitemap.xml).
    out = [(f"{FEEDS_DIR}/sitemap.xml", EMPTY_SITEMAP),
           (f"{FEEDS_DIR}/tags/sitemap.xml", EMPTY_SITEMAP)]
    out += [(SITE_FEED, atom(Feed(
        root + SITE_FEED, root, site_name, f"The newest papers of {site_name}",
        [_entry(index, p) for p in newest_first(index.papers)[:FEED_ENTRIES]])))]
    by_tag: dict[str, bytes] = {}
    for tag_id, tag in sorted(index.tags.items()):
        papers = newest_first(index.papers_by_tag[tag_id])[:FEED_ENTRIES]
        name = clean_text(tag.name)
        by_tag[tag_id] = atom(Feed(
            root + tag_feed_path(tag_id), absolute(index, tag_path(tag_id)),
            f"{name} - {site_name}", f"The newest papers tagged {name}",
            [_entry(index, p) for p in papers]))
        out.append((tag_feed_path(tag_id), by_tag[tag_id]))
    # A renamed tag's old feed URL keeps working: the same document as the new one (its
    # id and self link name the new URL, so a reader that follows them moves over).
    # Pages link only the current feed, so no feed is offered twice.
    taken = {path for path, _ in out}
    for alias, tag in published_aliases(index):
        if tag_feed_path(alias) not in taken:
            out.append((tag_feed_path(alias), by_tag[tag.id]))
    return out
