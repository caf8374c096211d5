"""Limits: the bounds on one record, read from the schema that states them.

Title and abstract length, tags, links, authors (and an author's name), categories and
listings per record are a record's contract, so the JSON Schema in ``archive/schema/``
states them and editors show them; :class:`RecordLimits` reads them from there, never
restates them.  The importer uses the target archive's schema; code with no archive at
hand (the listing reader's shape check, the dump metadata and the merge of two sources of
one paper) uses the repository's own (:func:`committed`).

The tag policy (tags per paper, papers per tag, the share a tag may hold) is a property of
the whole archive; it is stated in the ``x-tag-policy`` block of ``tags.schema.json`` and
read by :mod:`generator.tagpolicy`.  File-size bounds of the readers (a record,
``tags.yml``, a dump) stay next to the reader they guard: each is used in one place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.layout import ARCHIVE_DIR, PAPER_SCHEMA, SCHEMA_DIR

# ------------------------------------------------------------------ record bounds


@dataclass(frozen=True)
class RecordLimits:
    """The bounds the paper schema states, by name."""

    title_max: int
    abstract_min: int
    abstract_max: int
    tags_max: int
    links_max: int
    authors_max: int
    author_chars_max: int
    categories_max: int
    listings_max: int

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> RecordLimits:
        """Read the bounds from a paper schema.

        Raises:
            ValueError: the schema does not state one of them (it is the contract, so a
                bound missing there is a broken schema, not a default to guess).
        """
        fields = schema.get("properties", {})

        def bound(name: str, keyword: str, of_items: bool = False) -> int:
            field = fields.get(name, {})
            value = (field.get("items", {}) if of_items else field).get(keyword)
            if not isinstance(value, int):
                where = f"{name!r} items" if of_items else repr(name)
                raise ValueError(f"the paper schema states no {keyword} for {where}")
            return value

        return cls(title_max=bound("title", "maxLength"),
                   abstract_min=bound("abstract", "minLength"),
                   abstract_max=bound("abstract", "maxLength"),
                   tags_max=bound("tags", "maxItems"),
                   links_max=bound("links", "maxItems"),
                   authors_max=bound("authors", "maxItems"),
                   author_chars_max=bound("authors", "maxLength", of_items=True),
                   categories_max=bound("categories", "maxItems"),
                   listings_max=bound("listings", "maxItems"))


@lru_cache(maxsize=1)
def committed() -> RecordLimits:
    """The bounds of the repository's own schema (``archive/schema/paper.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / ARCHIVE_DIR / SCHEMA_DIR / PAPER_SCHEMA
    return RecordLimits.from_schema(json.loads(path.read_text(encoding="utf-8")))
