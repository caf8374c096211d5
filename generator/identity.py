"""How papers and tags are named and told apart: id forms, new ids, the duplicate key.

The importer and ``new`` derive ids here; the loader and the renderer check ids against the
same patterns, so no file name or URL can be made from an id that would not validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from slugify import slugify

# \Z, not $: Python's $ also matches before a final newline, and "x\n" is no id.
PAPER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
TAG_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\Z")
#: Ids are cut at a word boundary to stay readable in URLs.
ID_MAX_LENGTH = 60


def normalise_title(title: str) -> str:
    """Key for duplicate detection: transliterated, lower case, punctuation dropped."""
    return slugify(title, separator=" ")


def derive_id(title: str, taken: Iterable[str]) -> str:
    """A new paper id from its title, unique among ``taken`` (``-2``, ``-3``... on clash)."""
    base = slugify(title, max_length=ID_MAX_LENGTH, word_boundary=True, save_order=True) or "paper"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: ID_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate
