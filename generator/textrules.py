"""Text rules shared by every stage: what is not text, math spans, teasers, search folding.

Each rule is stated here once, so the stages that apply it cannot drift apart:

* what is not text: the cleaner drops exactly what :data:`NOT_TEXT_RE` names, ``validate``
  refuses it, and every output replaces it (:func:`visible_text`);
* a ``$math$`` span (:data:`MATH_SPAN_RE`): the cleaner protects it, pages render it as
  MathML, the search indexes and shows its TeX;
* the teaser (:func:`teaser_segments`): the same words on tag pages and in search results;
* folding for search (:func:`fold`, :func:`search_words`): the index is built with it here,
  and the browser folds queries by the same rule, which reaches it through the search
  manifest (:func:`browser_text_rules`); a test runs both on every code point.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

#: Characters that are not text: controls (tab and newlines aside), non-characters, what
#: YAML and JavaScript read as line breaks (U+2028, U+2029), and the bidi embedding,
#: override and isolate controls, which reorder everything after them up to the end of the
#: paragraph: a title ending in U+202E shows the page's next words backwards.
#: One positive character class (not "[^text]|[bidi]"): a scan with it is 3x faster, and
#: pages show titles and teasers many times over.
NOT_TEXT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]")


def visible_text(text: str) -> str:
    """Record text as a reader should see it.

    Whitespace runs are collapsed, and characters that are not text (:data:`NOT_TEXT_RE`)
    shown as U+FFFD, so nothing invisible acts on the page.

    ``validate`` refuses such characters; this is the fallback for every output.
    """
    return " ".join(NOT_TEXT_RE.sub("\ufffd", text).split())


def not_text_message(text: str) -> str | None:
    """Why ``text`` is refused for holding a character that is not text, or None."""
    match = NOT_TEXT_RE.search(text)
    if match is None:
        return None
    char = match.group()
    name = unicodedata.name(char, "a control character")
    return (f"contains U+{ord(char):04X} ({name}) at character {match.start() + 1}, which "
            "is not text; delete it")


#: What may not reach a terminal or a CI log raw: every control character (tab and
#: newlines too), U+2028/U+2029 and the bidi controls.  A file name holding "\n::warning"
#: would otherwise start a GitHub workflow command in the log.
_NOT_PRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` as one safe line for a terminal or log.

    Controls are shown as ``\\n``, ``\\xNN`` or ``\\uNNNN``, so nothing a record holds can
    break an error's one line or act as a terminal command.
    """
    def show(match: re.Match[str]) -> str:
        char = match.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
            f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    return _NOT_PRINTABLE_RE.sub(show, text)


# ------------------------------------------------------------------ math spans

#: A ``$math$`` span, the one definition every stage uses: a ``$`` not escaped as ``\$``,
#: then TeX in which a backslash always takes the next character with it (so ``\$`` inside
#: math is an escaped dollar and ``\\`` a line break: ``$a\\$`` ends after ``\\``), then the
#: closing ``$``.  Group 1 is the TeX.  Outside spans, ``\$`` is a literal dollar and a
#: ``$`` without a partner is text.
MATH_SPAN_RE = re.compile(r"(?<!\\)\$((?:\\.|[^\\$])+)\$")

Segment = tuple[str, str]


def split_math(text: str) -> list[Segment]:
    r"""Split text into ``("text", s)`` and ``("tex", s)`` segments (see :data:`MATH_SPAN_RE`).

    In text segments ``\\$`` has become ``$``; tex segments are the TeX between the dollars.
    """
    if "$" not in text:
        return [("text", text)] if text else []
    segments: list[Segment] = []
    pos = 0
    for match in MATH_SPAN_RE.finditer(text):
        if match.start() > pos:
            segments.append(("text", text[pos:match.start()].replace("\\$", "$")))
        segments.append(("tex", match.group(1)))
        pos = match.end()
    if pos < len(text):
        segments.append(("text", text[pos:].replace("\\$", "$")))
    return segments


def source_text(segments: Iterable[Segment]) -> str:
    """Segments as plain text with math as its TeX source, without the dollars."""
    return "".join(value for _, value in segments)


# ------------------------------------------------------------------ paragraphs and teasers

#: Characters of abstract a teaser shows: on tag pages, the home page and search results.
TEASER_CHARS = 220


def paragraphs(abstract: str) -> list[list[Segment]]:
    """The abstract as paragraphs of segments, as pages show it (:func:`visible_text`)."""
    out = []
    for paragraph in abstract.split("\n\n"):
        shown = visible_text(paragraph)
        if shown:
            out.append(split_math(shown))
    return out


def teaser_segments(abstract: str, limit: int = TEASER_CHARS) -> list[Segment]:
    """The start of the abstract, about ``limit`` characters, cut at a word, never in math.

    The one teaser: pages render its segments, search results show its
    :func:`source_text`, so a result never promises other words than the page.
    """
    paras = paragraphs(abstract)
    if not paras:
        return []
    out: list[Segment] = []
    used = 0
    for kind, value in paras[0]:
        if used + len(value) <= limit:
            out.append((kind, value))
            used += len(value)
            continue
        if kind == "text":
            cut = value[: max(limit - used, 0)].rsplit(" ", 1)[0]
            if cut:
                out.append(("text", cut))
        if out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1].rstrip(" ,;:"))
        out.append(("text", "…"))
        return out
    if len(paras) > 1:
        out.append(("text", " …"))
    return out


# ------------------------------------------------------------------ folding for search

#: How text is folded for search, as data: the index (Python, here) and the query
#: (search-core.js, which gets these from the search manifest's ``text``) apply the same
#: steps: Unicode normalisation ``FOLD_FORM``, then every character of the general
#: category ``FOLD_DROP`` removed (all marks: accents, and the vowel signs and viramas of
#: Indic scripts, so ``Schrödinger`` is ``schrodinger`` and a Devanagari word is one word on
#: both sides), then lower case.  Words are runs of the categories ``WORD_CATEGORIES``.
FOLD_FORM: Final = "NFKD"
FOLD_DROP = "M"
WORD_CATEGORIES = ("L", "N")
#: Not a word character: Python's ``\w`` is exactly the letters and numbers (L, N) plus
#: ``_`` (a test checks every code point), and this is far faster than a per-character scan.
NOT_WORD_RE = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _drop_table() -> dict[int, None]:
    """Every code point of the category :data:`FOLD_DROP`, for ``str.translate``."""
    return {cp: None for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)).startswith(FOLD_DROP)}


def fold(text: str) -> str:
    """Text folded for search (see :data:`FOLD_FORM`): ``Schrödinger`` -> ``schrodinger``."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize(FOLD_FORM, text).translate(_drop_table()).lower()


def search_words(text: str) -> list[str]:
    """The folded words of ``text``: what the index holds and a query is made of."""
    return NOT_WORD_RE.sub(" ", fold(text)).split()


def browser_text_rules() -> dict[str, str]:
    """The folding rule as the browser applies it (JavaScript regular expression parts)."""
    return {
        "form": FOLD_FORM,
        "drop": f"\\p{{{FOLD_DROP}}}",
        "word": "".join(f"\\p{{{category}}}" for category in WORD_CATEGORIES),
    }
