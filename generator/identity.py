"""How papers and tags are named and told apart: id forms, new ids, the dedupe key.

The importer and ``new`` derive ids here; the loader and the renderer check ids against the
same patterns, so no file name or URL can be made from an id that would not validate.
The dedupe key and the confidence check are used by the importer (is this dump entry a
paper we have?), ``new`` (is this paper already in?) and ``validate`` (two records of one
paper?).

Why not ``slugify(title)``, the first key: it transliterates and drops every symbol, so
``C++`` and ``C`` were one paper, as were ``Q:`` and ``Q-``, ``α-divergence`` and
``a-divergence``, a Cyrillic look-alike and its Latin model, and any two emoji-only titles;
a later dump then overwrote a different paper's record.  :func:`dedupe_key` instead

* folds only what never changes meaning: Unicode compatibility forms (NFKC: ligatures,
  full-width letters), case (``casefold``), accents, TeX ``$`` and punctuation that
  separates words (``BERT: Pre-training`` = ``BERT - Pre-training``);
* keeps letters of every script as they are (no transliteration), and spells out symbols
  that carry meaning (``+`` plus, ``#`` sharp, ``*`` star ...); other symbols and emoji
  are tokens of their own;
* falls back, for a title too weak to identify a paper (fewer than
  :data:`MIN_KEY_CHARS` letters and digits: ``Q:``, ``🙂``, ``...``), to the arXiv id, or
  else to the abstract's words.

Two entries with one key are still checked by :func:`same_paper` (arXiv ids, abstract
overlap) before one may replace the other: a title alone never decides that.

:class:`IdAllocator` derives new ids in linear time: the first version copied the taken
set and tried ``-2``, ``-3``... from scratch for every title, 36 s for 16,000 titles
sharing a slug.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol

from slugify import slugify

from generator.layout import RESERVED_IDS

# \Z, not $: Python's $ also matches before a final newline, and "x\n" is no id.
PAPER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
TAG_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\Z")
#: Ids are cut at a word boundary to stay readable in URLs.
ID_MAX_LENGTH = 60
#: A title with fewer letters and digits than this does not identify a paper by itself.
MIN_KEY_CHARS = 3
#: Word overlap (Jaccard, words of 4+ letters) above which two abstracts are one paper's.
#: Measured on the real datasets (docs/maintainers/records.md): one paper's two versions
#: score 0.6-1.0, different papers sharing a title under 0.3.
SAME_ABSTRACT = 0.5

_SYMBOL_WORDS = {"+": "plus", "#": "sharp", "*": "star", "&": "and", "@": "at",
                 "%": "percent", "=": "equals", "<": "lt", ">": "gt", "^": "hat",
                 "~": "tilde", "|": "bar", "/": "slash", "\\": "backslash", "$": ""}
#: Apostrophes join a word's parts: "Don't" is "dont".
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}|[a-z.-]+/\d{7})",
                    re.IGNORECASE)
_WORD4 = re.compile(r"\w{4,}")


def normalise_title(title: str) -> str:
    """Sort key for archive order and A-Z letters: transliterated, lower case, no punctuation.

    Not an identity: :func:`dedupe_key` tells papers apart.
    """
    return slugify(title, separator=" ")


def _strip_accents(text: str) -> str:
    """Drop combining marks on letters (é is e) but keep those on symbols (≠ is not =)."""
    out: list[str] = []
    base_is_letter = False
    for char in text:
        if unicodedata.combining(char):
            if not base_is_letter:
                out.append(char)
            continue
        base_is_letter = char.isalnum()
        out.append(char)
    return "".join(out)


def _tokens(title: str) -> tuple[list[str], int]:
    """The title's key tokens, and how many letters and digits its words hold."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title).casefold())
    text = _strip_accents(text).translate(_APOSTROPHES)
    out: list[str] = []
    strength = 0
    for token in _TOKEN.findall(text):
        if token[0].isalnum() or token[0] == "_":
            word = token.strip("_")
            if word:
                out.append(word)
                strength += sum(c.isalnum() for c in word)
        elif token in _SYMBOL_WORDS:
            if _SYMBOL_WORDS[token]:
                out.append(_SYMBOL_WORDS[token])
        elif unicodedata.category(token)[0] in "SM" or unicodedata.category(token) == "Co":
            out.append(f"u{ord(token):x}")  # emoji, arrows, math signs: one token each
        # other punctuation (: - . , ! ? quotes, brackets, dashes) separates words
    return out, strength


def arxiv_id(urls: Iterable[str]) -> str:
    """The arXiv id in the first arXiv URL of ``urls`` (version suffix dropped), or ""."""
    for url in urls:
        match = _ARXIV.search(url)
        if match:
            return match.group(1).lower()
    return ""


def dedupe_key(title: str, abstract: str = "", arxiv: str = "") -> str:
    """The key under which two entries may be one paper (see the module docstring)."""
    tokens, strength = _tokens(title)
    key = " ".join(tokens)
    if strength >= MIN_KEY_CHARS:
        return "t:" + key
    if arxiv:
        return "x:" + arxiv
    words = " ".join(sorted(_words(abstract)))
    return "a:" + key + ":" + hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


class _Url(Protocol):
    @property
    def url(self) -> str: ...


class _Paper(Protocol):
    """What identity reads of a :class:`generator.model.Paper` (model builds on this module).

    Read-only members, as the frozen Paper has them.
    """

    @property
    def title(self) -> str: ...
    @property
    def abstract(self) -> str: ...
    @property
    def links(self) -> Sequence[_Url]: ...


def paper_arxiv_id(paper: _Paper) -> str:
    """The arXiv id among a paper's links, or ""."""
    return arxiv_id(link.url for link in paper.links)


def paper_key(paper: _Paper) -> str:
    """The dedupe key of a record: two records with one key are one paper."""
    return dedupe_key(paper.title, paper.abstract, paper_arxiv_id(paper))


def _words(text: str) -> set[str]:
    return set(_WORD4.findall(unicodedata.normalize("NFKC", text).casefold()))


def abstract_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the two abstracts' words of four or more letters (0..1)."""
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return len(wa & wb) / len(wa | wb)


def same_paper(abstract_a: str, arxiv_a: str, abstract_b: str, arxiv_b: str) -> bool:
    """Whether two entries with one key are confidently the same paper.

    Different arXiv ids decide "no", equal ones "yes"; otherwise the abstracts must share
    most of their words (:data:`SAME_ABSTRACT`).
    """
    if arxiv_a and arxiv_b:
        return arxiv_a == arxiv_b
    return abstract_overlap(abstract_a, abstract_b) >= SAME_ABSTRACT


def id_base(title: str) -> str:
    """The id a title asks for before any suffix: its slug, cut at a word boundary."""
    return slugify(title, max_length=ID_MAX_LENGTH, word_boundary=True,
                   save_order=True) or "paper"


def _suffixed(base: str, n: int) -> str:
    suffix = f"-{n}"
    return base[: ID_MAX_LENGTH - len(suffix)].rstrip("-") + suffix


class IdAllocator:
    """Hands out ids unique among ``taken`` and its own earlier ids, never a reserved name.

    A reserved name (:data:`generator.layout.RESERVED_IDS`) is the path of another page:
    a paper with id ``index`` would replace the A-Z list.

    Remembers, per base, the next suffix to try, so ``k`` titles sharing a slug cost
    ``O(k)`` in all instead of ``O(k^2)``.
    """

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken) | set(RESERVED_IDS)
        self._next: dict[str, int] = {}

    def allocate(self, title: str) -> str:
        """A fresh id for ``title``, now taken."""
        base = id_base(title)
        candidate = base
        if candidate in self.taken:
            n = self._next.get(base, 2)
            candidate = _suffixed(base, n)
            while candidate in self.taken:
                n += 1
                candidate = _suffixed(base, n)
            self._next[base] = n + 1
        self.taken.add(candidate)
        return candidate


def derive_id(title: str, taken: Iterable[str]) -> str:
    """A new paper id from its title, unique among ``taken`` (``-2``, ``-3``... on clash).

    Never a reserved name: a paper titled "Index" is ``index-2``.

    For many ids in a row use one :class:`IdAllocator`: this copies ``taken``.
    """
    return IdAllocator(taken).allocate(title)
