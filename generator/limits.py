"""Limits: every bound on what the archive holds, in one home.

Two kinds, kept apart on purpose:

* **Record bounds** (title and abstract length, tags and links per record) are a record's
  contract, so the JSON Schema in ``archive/schema/`` states them and editors show them;
  :class:`RecordLimits` reads them from there, never restates them.  The importer uses the
  target archive's schema; code with no archive at hand (the listing reader's shape check)
  uses the repository's own (:func:`committed`).
* **The tag policy** (tags per paper, papers per tag, the share of papers a tag may hold)
  is a property of the whole archive, which no per-record schema can state, so it is
  stated here (see ``docs/maintainers/tagging.md``).

File-size bounds of the readers (a record, ``tags.yml``, a dump) stay next to the reader
they guard: each is used in exactly one place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.layout import ARCHIVE_DIR, PAPER_SCHEMA, SCHEMA_DIR

# ------------------------------------------------------------------ the tag policy

#: A paper carries 2 to 6 tags: one tag says little, more than six say nothing.  The
#: tagger keeps at most :data:`MAX_TAGS_PER_PAPER` suggestions.
MIN_TAGS_PER_PAPER = 2
MAX_TAGS_PER_PAPER = 6
#: A tag with fewer papers is not worth a page yet.
MIN_PAPERS_PER_TAG = 3
#: A tag on more than this share of papers is the archive again, not a topic.
MAX_TAG_SHARE = 0.35


def tag_policy_text() -> str:
    """The policy in words, for help texts."""
    return (f"tags with fewer than {MIN_PAPERS_PER_TAG} papers, tags on more than "
            f"{MAX_TAG_SHARE:.0%} of papers, and papers with fewer than {MIN_TAGS_PER_PAPER} "
            f"(or more than {MAX_TAGS_PER_PAPER}) tags")


# ------------------------------------------------------------------ record bounds


@dataclass(frozen=True)
class RecordLimits:
    """The bounds the paper schema states, by name."""

    title_max: int
    abstract_min: int
    abstract_max: int
    tags_max: int
    links_max: int

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> RecordLimits:
        """Read the bounds from a paper schema.

        Raises:
            ValueError: the schema does not state one of them (it is the contract, so a
                bound missing there is a broken schema, not a default to guess).
        """
        fields = schema.get("properties", {})

        def bound(name: str, keyword: str) -> int:
            value = fields.get(name, {}).get(keyword)
            if not isinstance(value, int):
                raise ValueError(f"the paper schema states no {keyword} for {name!r}")
            return value

        return cls(title_max=bound("title", "maxLength"),
                   abstract_min=bound("abstract", "minLength"),
                   abstract_max=bound("abstract", "maxLength"),
                   tags_max=bound("tags", "maxItems"),
                   links_max=bound("links", "maxItems"))


@lru_cache(maxsize=1)
def committed() -> RecordLimits:
    """The bounds of the repository's own schema (``archive/schema/paper.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / ARCHIVE_DIR / SCHEMA_DIR / PAPER_SCHEMA
    return RecordLimits.from_schema(json.loads(path.read_text(encoding="utf-8")))
