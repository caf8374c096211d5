"""Readers for raw dumps: each yields :class:`RawEntry` items and knows nothing else.

Two formats:

* **listing** (``.txt``): the text of a "trending papers" page.  A few lines of page
  chrome, then title and abstract lines alternating.  The first title may have the
  "Subscribe" button's label glued to it.
* **JSON Lines** (``.jsonl`` or ``.jsonl.xz``): one object per line with ``title``,
  ``abstract`` and optionally ``url``, ``authors``, ``arxiv_id``, ``published_at`` (or
  ``published``), ``categories`` and ``date``, the day the paper was listed (see
  ``../shared/datasets/README.md``).

Each entry carries its rank: its position in the listing (a trending list's order is
information), counted per listing day in JSON Lines, whose lines span many days.
Metadata a reader cannot use (an old-style arXiv id, a date that is no day) is left out
of the entry with a note saying why, never guessed at (see :mod:`generator.metadata`).

A reader either returns every entry or raises :class:`DumpError` naming the line: the
importer writes nothing unless the whole dump was read.
"""

from __future__ import annotations

import json
import lzma
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import metadata
from generator.limits import RecordLimits, committed

#: Lines of page chrome that a listing may start with (matched case-insensitively).
CHROME_PATTERNS = (
    re.compile(r"^get trending papers in your email inbox", re.I),
    re.compile(r"^subscribe$", re.I),
    re.compile(r"^trending papers$", re.I),
)
MAX_DUMP_BYTES = 512 * 1024 * 1024


class DumpError(ValueError):
    """The file is not a dump we can read; nothing has been written."""


@dataclass(frozen=True)
class RawEntry:
    """One paper as found in a dump, before cleaning."""

    title: str
    abstract: str
    line: int
    url: str = ""
    authors: tuple[str, ...] = ()
    arxiv_id: str = ""
    published: str = ""
    categories: tuple[str, ...] = ()
    #: The day the dump listed the paper; "" when the dump does not say (a listing .txt).
    listed: str = ""
    #: 1-based position in the dump's listing of that day.
    rank: int = 0
    #: Metadata the dump gave but the entry leaves out, each with the reason.
    notes: tuple[str, ...] = ()


def read_dump(path: Path, limits: RecordLimits | None = None) -> list[RawEntry]:
    """Read any supported dump, choosing the reader by file name.

    ``limits`` are the target archive's record bounds (default: the repository's), which
    the listing reader uses to tell a title line from an abstract line.
    """
    name = path.name.lower()
    if not path.is_file():
        raise DumpError(f"{path}: no such file")
    if path.stat().st_size > MAX_DUMP_BYTES:
        raise DumpError(f"{path}: larger than {MAX_DUMP_BYTES} bytes")
    if name.endswith((".jsonl", ".jsonl.xz")):
        return read_jsonl(path)
    return read_listing(path, limits)


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DumpError(f"{path}:{line}: not a text listing (invalid UTF-8)") from None
    if "\x00" in text:
        raise DumpError(f"{path}: not a text listing (binary data)")
    return text


_LINE_END = re.compile(r"\r\n|\r|\n")


def parse_listing(text: str, name: str = "<listing>", limits: RecordLimits | None = None,
                  ) -> list[RawEntry]:
    """Pair titles and abstracts in a listing's text; see the module docstring."""
    bounds = limits or committed()
    text = text.lstrip("\ufeff")
    # Only real line ends: str.splitlines() also breaks at U+2028, U+0085, form feeds...,
    # which scraped abstracts carry, and one such break shifts every later title/abstract pair.
    physical = _LINE_END.split(text)
    lines = [(n, line.strip()) for n, line in enumerate(physical, start=1)]
    lines = [(n, line) for n, line in lines if line]
    while lines and any(p.search(lines[0][1]) for p in CHROME_PATTERNS):
        lines.pop(0)
    if not lines:
        raise DumpError(f"{name}: not a paper listing (no title and abstract lines)")
    first_n, first = lines[0]
    if first.lower().startswith("subscribe") and len(first) > len("subscribe"):
        lines[0] = (first_n, first[len("subscribe"):].strip())
    if lines[0][1].startswith(("{", "[", "<")):
        raise DumpError(f"{name}:{first_n}: not a paper listing (looks like JSON or HTML); "
                        "use a .jsonl file name for JSON Lines")
    entries = []
    for i in range(0, len(lines), 2):
        title_n, title = lines[i]
        if i + 1 >= len(lines):
            raise DumpError(f"{name}:{title_n}: title without an abstract (odd number of "
                            f"lines): {title[:60]!r}")
        abstract_n, abstract = lines[i + 1]
        if len(title) > bounds.title_max:
            raise DumpError(f"{name}:{title_n}: expected a title here but found {len(title)} "
                            "characters; titles and abstracts must alternate")
        if len(abstract) < bounds.abstract_min:
            raise DumpError(f"{name}:{abstract_n}: expected an abstract here but found only "
                            f"{len(abstract)} characters: {abstract[:60]!r}; is a line missing?")
        entries.append(RawEntry(title=title, abstract=abstract, line=title_n,
                                rank=len(entries) + 1))
    return entries


def read_listing(path: Path, limits: RecordLimits | None = None) -> list[RawEntry]:
    return parse_listing(_decode(path.read_bytes(), path), str(path), limits)


def read_jsonl(path: Path) -> list[RawEntry]:
    """Read JSON Lines (optionally xz-compressed); every line must be an object."""
    opener = lzma.open if path.name.lower().endswith(".xz") else open
    entries = []
    ranks: dict[str, int] = {}
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for n, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DumpError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
                if not isinstance(obj, dict) or not isinstance(obj.get("title"), str) \
                        or not isinstance(obj.get("abstract"), str):
                    raise DumpError(f"{path}:{n}: each line needs string fields title, abstract")
                url = obj.get("url") if isinstance(obj.get("url"), str) else ""
                entry = _with_metadata(RawEntry(obj["title"], obj["abstract"], n, url), obj)
                ranks[entry.listed] = rank = ranks.get(entry.listed, 0) + 1
                entries.append(replace(entry, rank=rank))
    except (lzma.LZMAError, UnicodeDecodeError, EOFError) as exc:
        raise DumpError(f"{path}: unreadable: {exc}") from None
    if not entries:
        raise DumpError(f"{path}: no entries")
    return entries


def _with_metadata(entry: RawEntry, obj: dict[str, Any]) -> RawEntry:
    """``entry`` with the metadata of its JSON object, each value checked or left out."""
    notes: list[str] = []

    def text(*keys: str) -> str:
        for key in keys:
            if isinstance(obj.get(key), str) and obj[key].strip():
                return obj[key].strip()
        return ""

    raw_id = text("arxiv_id")
    arxiv_id = metadata.normalise_arxiv_id(raw_id) if raw_id else ""
    if raw_id and not arxiv_id:
        notes.append(f"arxiv_id {raw_id[:40]!r} is not a new-style arXiv id; left out")
    if not arxiv_id and entry.url:
        arxiv_id = metadata.arxiv_id_from_url(entry.url)
    dates = {}
    for name, keys in (("published", ("published", "published_at")), ("date", ("date",))):
        raw = text(*keys)
        dates[name] = metadata.normalise_date(raw) if raw else ""
        if raw and not dates[name]:
            notes.append(f"{name} {raw[:40]!r} is not a usable date; left out")
    authors = metadata.normalise_authors(obj.get("authors") or []) \
        if isinstance(obj.get("authors"), list) else ()
    if len(authors) > metadata.MAX_AUTHORS:
        notes.append(f"{len(authors)} authors, over the {metadata.MAX_AUTHORS} a record "
                     "holds; authors left out")
        authors = ()
    elif any(len(name) > metadata.MAX_AUTHOR_CHARS for name in authors):
        notes.append(f"an author name over {metadata.MAX_AUTHOR_CHARS} characters; "
                     "authors left out")
        authors = ()
    categories = metadata.normalise_categories(obj.get("categories") or []) \
        if isinstance(obj.get("categories"), list) else ()
    return replace(entry, authors=authors, arxiv_id=arxiv_id, published=dates["published"],
                   categories=categories, listed=dates["date"], notes=tuple(notes))
