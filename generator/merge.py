"""How a dump's entry and the record of the same paper become one record, losing nothing.

Pure: the importer decides *which* record an entry is (same arXiv id, else the dedupe key
of :mod:`generator.identity` and its confidence check) and *whether* it may write the
result (hand-edited records are never written); this module only says what the union of
the two is (:func:`merge`) and which fields it added, for the import summary.

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

from dataclasses import replace
from typing import Any

from generator.limits import committed
from generator.metadata import merge_listings
from generator.model import Link, Listing, Paper

#: The fields :func:`merge` may change, in the order the summary names them.
MERGED_FIELDS = ("title", "abstract", "links", "authors", "arxiv_id", "published",
                 "categories", "listings")


def merge(current: Paper, candidate: Paper, listing: Listing | None, source: str,
          ) -> tuple[Paper, tuple[str, ...]]:
    """The union of ``current`` and ``candidate`` (see the module docstring), and what changed.

    The names of the fields it changed come in :data:`MERGED_FIELDS` order.  ``source`` is
    the dump's file name; ``listing`` the entry's appearance in it.
    """
    changes: dict[str, Any] = {}  # field name -> new value, of that field's type
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
    if listing is not None and len(current.listings) < committed().listings_max:
        listings = merge_listings(current.listings, [listing])
        if listings != current.listings:
            changes["listings"] = listings
    if not changes:
        return current, ()
    return replace(current, **changes), tuple(n for n in MERGED_FIELDS if n in changes)


def _union_links(current: tuple[Link, ...], new: tuple[Link, ...]) -> tuple[Link, ...]:
    """``current``, then each link of ``new`` whose URL it lacks, up to the schema's bound."""
    most = committed().links_max
    urls = {link.url for link in current}
    out = list(current)
    for link in new:
        if link.url not in urls and len(out) < most:
            out.append(link)
            urls.add(link.url)
    return tuple(out)
