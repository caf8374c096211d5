"""How a dump's entry and the record of the same paper become one record, losing nothing.

Pure: the importer decides *which* record an entry is (:func:`find_match`) and *whether* it
may write the result (hand-edited records are never written); this module only says what
the union of the two is (:func:`merge`) and which fields it added, for the import summary.

The rules, each chosen so that importing dumps in any order, and again, converges on the
same record and then writes nothing:

* **title and abstract** follow the dump the record came from (its ``source``): a
  corrected re-scrape of that dump updates them.  Another dump's wording never replaces
  them, or two dumps that word a paper differently would rewrite it on every import.
* **links** are the union, the record's own first: a dump that lacks a link never drops it.
* **authors, arxiv_id, published, categories** are filled when first known and then kept.
* **listings** gain one appearance per dump (:func:`generator.metadata.merge_listings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from generator.metadata import MAX_LISTINGS, merge_listings
from generator.model import Link, Listing, Paper

#: A record holds at most this many links (the schema's ``links.maxItems``).
MAX_LINKS = 20
#: The fields :func:`merge` may change, in the order the summary names them.
MERGED_FIELDS = ("title", "abstract", "links", "authors", "arxiv_id", "published",
                 "categories", "listings")


@dataclass(frozen=True)
class Match:
    """The record an entry is about, or why it cannot be told (``record`` None)."""

    record: Paper | None
    refused: str = ""


def find_match(candidate: Paper, by_arxiv: Mapping[str, Paper],
               by_title: Mapping[str, Paper], title_key: str) -> Match:
    """The record of the same paper: same arXiv id, else same normalised title.

    A title match whose record has a *different* arXiv id is two papers with one title;
    the entry is refused (and reported) rather than merged into the wrong paper.
    """
    if candidate.arxiv_id and candidate.arxiv_id in by_arxiv:
        return Match(by_arxiv[candidate.arxiv_id])
    current = by_title.get(title_key)
    if current is not None and current.arxiv_id and candidate.arxiv_id \
            and current.arxiv_id != candidate.arxiv_id:
        return Match(None, f"same title as {current.id}, but arXiv id {candidate.arxiv_id} "
                           f"is not its {current.arxiv_id}; not merged")
    return Match(current)


def merge(current: Paper, candidate: Paper, listing: Listing | None, source: str,
          ) -> tuple[Paper, tuple[str, ...]]:
    """The union of ``current`` and ``candidate`` (see the module docstring) and the names
    of the fields it changed, in :data:`MERGED_FIELDS` order.  ``source`` is the dump's
    file name; ``listing`` the entry's appearance in it."""
    changes: dict[str, object] = {}
    if current.source == source:
        for name in ("title", "abstract"):
            if getattr(candidate, name) != getattr(current, name):
                changes[name] = getattr(candidate, name)
    links = _union_links(current.links, candidate.links)
    if links != current.links:
        changes["links"] = links
    for name in ("authors", "arxiv_id", "published", "categories"):
        if not getattr(current, name) and getattr(candidate, name):
            changes[name] = getattr(candidate, name)
    if listing is not None and len(current.listings) < MAX_LISTINGS:
        listings = merge_listings(current.listings, [listing])
        if listings != current.listings:
            changes["listings"] = listings
    if not changes:
        return current, ()
    return replace(current, **changes), tuple(n for n in MERGED_FIELDS if n in changes)


def _union_links(current: tuple[Link, ...], new: tuple[Link, ...]) -> tuple[Link, ...]:
    """``current``, then each link of ``new`` whose URL it lacks, up to :data:`MAX_LINKS`."""
    urls = {link.url for link in current}
    out = list(current)
    for link in new:
        if link.url not in urls and len(out) < MAX_LINKS:
            out.append(link)
            urls.add(link.url)
    return tuple(out)
