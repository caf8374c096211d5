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

Every door is bounded: only a regular file is read (a symlink to ``/dev/zero`` is not);
a dump may hold at most :data:`MAX_DUMP_BYTES` once decompressed (a 234 KB ``.xz`` can
expand to gigabytes, so the compressed size says nothing), a JSON line at most
:data:`MAX_LINE_BYTES` and nest at most :data:`MAX_JSON_DEPTH` deep (Python's parser
raises ``RecursionError`` on 100,000 brackets).
"""

from __future__ import annotations

import json
import lzma
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import metadata
from generator.limits import RecordLimits, committed
from generator.textrules import printable

#: Lines of page chrome that a listing may start with (matched case-insensitively).
CHROME_PATTERNS = (
    re.compile(r"^get trending papers in your email inbox", re.I),
    re.compile(r"^subscribe$", re.I),
    re.compile(r"^trending papers$", re.I),
)
#: Largest dump, decompressed: the 40,704 arXiv papers are 100 MB of JSON Lines.
MAX_DUMP_BYTES = 512 * 1024 * 1024
#: Longest JSON line: a record with a 10,000-character abstract and its authors is ~20 KB.
MAX_LINE_BYTES = 1024 * 1024
#: Deepest nesting of a JSON line: ours are 2 deep (an object holding an author list).
MAX_JSON_DEPTH = 32


class DumpError(ValueError):
    """The file is not a dump we can read; nothing has been written.

    The message is one printable line, whatever the file's name holds.
    """

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


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
    check_regular_file(path, DumpError)
    try:
        if name.endswith((".jsonl", ".jsonl.xz")):
            return read_jsonl(path)
        return read_listing(path, limits)
    except OSError as exc:
        raise DumpError(f"{path}: cannot read: {exc.strerror or exc}") from None


def check_regular_file(path: Path, error: type[Exception]) -> os.stat_result:
    """``path``'s status if it is a regular file (symlinks followed), else ``error``.

    Devices, FIFOs and sockets report size 0 and never end; a folder is not a file.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file")
    return info


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; :class:`DumpError` if it holds more."""
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise DumpError(f"{path}: larger than {limit} bytes")
    return raw


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
    entries: list[RawEntry] = []
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
    """The entries of the listing file ``path``, read within :data:`MAX_DUMP_BYTES`."""
    return parse_listing(_decode(read_bounded(path, MAX_DUMP_BYTES), path), str(path), limits)


def json_depth(line: str) -> int:
    """How deep the brackets of one JSON text nest (brackets inside strings ignored)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(number, text)`` of each line, decompressed, within the byte and line bounds."""
    opener = lzma.open if path.name.lower().endswith(".xz") else open
    total = 0
    with opener(path, "rb") as handle:
        n = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            n += 1
            total += len(raw)
            if total > MAX_DUMP_BYTES:
                raise DumpError(f"{path}:{n}: more than {MAX_DUMP_BYTES} bytes once "
                                "decompressed")
            if len(raw) > MAX_LINE_BYTES:
                raise DumpError(f"{path}:{n}: line longer than {MAX_LINE_BYTES} bytes")
            try:
                text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError:
                raise DumpError(f"{path}:{n}: not UTF-8 text") from None
            yield n, text


def read_jsonl(path: Path) -> list[RawEntry]:
    """Read JSON Lines (optionally xz-compressed); every line must be an object."""
    entries = []
    ranks: dict[str, int] = {}
    try:
        for n, line in _lines(path):
            if not line.strip():
                continue
            # Counting is done in C; only a line with many brackets is walked in Python.
            if line.count("[") + line.count("{") > MAX_JSON_DEPTH \
                    and json_depth(line) > MAX_JSON_DEPTH:
                raise DumpError(f"{path}:{n}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DumpError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("title"), str) \
                    or not isinstance(obj.get("abstract"), str):
                raise DumpError(f"{path}:{n}: each line needs string fields title, abstract")
            url = obj["url"] if isinstance(obj.get("url"), str) else ""
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
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
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
    bounds = committed()
    if len(authors) > bounds.authors_max:
        notes.append(f"{len(authors)} authors, over the {bounds.authors_max} a record "
                     "holds; authors left out")
        authors = ()
    elif any(len(name) > bounds.author_chars_max for name in authors):
        notes.append(f"an author name over {bounds.author_chars_max} characters; "
                     "authors left out")
        authors = ()
    categories = metadata.normalise_categories(obj.get("categories") or []) \
        if isinstance(obj.get("categories"), list) else ()
    return replace(entry, authors=authors, arxiv_id=arxiv_id, published=dates["published"],
                   categories=categories, listed=dates["date"], notes=tuple(notes))
