"""Tag suggestion from the vocabulary's rules: pure functions over text.

Each tag's ``rules`` hold phrases.  A phrase matches case-insensitively on word
boundaries; a space or hyphen in a phrase matches either (``time series`` finds
``time-series``); a trailing ``*`` matches any word ending (``forecast*``).  A hyphen
counts as part of a word at the edges, so ``step`` does not match inside ``single-step``.

Scoring: every distinct ``keywords`` phrase found in the title scores
:data:`TITLE_WEIGHT`, one found only in the abstract scores 1 (plus 1 more if it occurs
three times or more); ``title_keywords`` count in the title only.  ``exclude`` phrases are
blanked out of the text before that tag's phrases are matched, for words that mislead
(``one-step`` sampling is not about optimiser steps).  A tag is suggested when its score
reaches ``min_score`` (default :data:`DEFAULT_MIN_SCORE`), and at most :data:`MAX_TAGS`
tags are kept, best scores first.

Why phrases rather than a classifier: maintainers must be able to read, predict and fix
every assignment by editing ``tags.yml``, and a rule change must show up as a reviewable
diff of ``tags suggest``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from generator.model import Paper, Tag, Vocabulary

TITLE_WEIGHT = 3
DEFAULT_MIN_SCORE = 2
MAX_TAGS = 6

#: One word of a phrase: letters, digits and a few joiners; ``*`` only at the end.
_WORD_RE = re.compile(r"^[\w][\w.+'&/:]*\*?$")


class PhraseError(ValueError):
    """A rule phrase that cannot be matched as written."""


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile one rule phrase (see the module docstring for its syntax).

    Raises:
        PhraseError: the phrase is empty, or a word holds a ``*`` other than at its end
            or starts with punctuation, so the phrase would not mean what it says.
    """
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    if not words:
        raise PhraseError("empty phrase")
    parts = []
    for word in words:
        if not _WORD_RE.match(word):
            raise PhraseError(f"{word!r} is not a word (letters and digits, optional * at "
                              "the end)")
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(word))
    body = r"[\s\-]+".join(parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def phrase_problems(tag: Tag) -> list[tuple[str, int, str]]:
    """``(rule field, index, message)`` for every phrase of ``tag`` that fails to compile."""
    found = []
    rules = tag.rules
    for name, phrases in (("keywords", rules.keywords), ("title_keywords", rules.title_keywords),
                          ("exclude", rules.exclude)):
        for i, phrase in enumerate(phrases):
            try:
                phrase_pattern(phrase)
            except PhraseError as exc:
                found.append((name, i, f"phrase {phrase!r}: {exc}"))
    return found


# Characters that re's IGNORECASE matches to an ASCII letter but str.lower() does not turn
# into it (İ lowers to two characters); the pre-filter test pins them.
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s"})


def fold(text: str) -> str:
    """Lower-cased text for :func:`_may_match`'s substring test."""
    return text.translate(_FOLD).lower()


@lru_cache(maxsize=4096)
def _anchor(phrase: str) -> str:
    """The phrase's first word as literal lower-case text (without a trailing ``*``)."""
    first = re.split(r"[\s\-]+", phrase.strip())[0]
    return first.rstrip("*").lower()


def _may_match(phrase: str, folded: str) -> bool:
    """False when ``phrase`` certainly does not occur in the text ``folded`` came from.

    Why: a rule set has hundreds of phrases and each regex scans the whole abstract; a
    substring test of the first word (done in C) skips almost all of them, which made
    tagging on import about 10x faster.  Only a skip is decided here: a True still runs
    the phrase's regex, so what matches is unchanged.
    """
    anchor = _anchor(phrase)
    return not anchor.isascii() or anchor in folded


def _count(phrase: str, text: str, folded: str, stop_at: int = 0) -> int:
    """``len(phrase_pattern(phrase).findall(text))``, trying the regex only where it can start.

    A match starts with the phrase's first word, so the regex is tried (with ``match``,
    whose look-behind still sees the text before the start) only at the places where
    ``folded`` holds that word; ``fold`` keeps every character at its position, so those are
    places in ``text`` too.  Matches are counted left to right without overlapping, as
    ``findall`` does.  ``stop_at`` > 0 stops counting there (a title needs one match).
    """
    pattern = phrase_pattern(phrase)
    anchor = _anchor(phrase)
    if not anchor.isascii():
        return len(pattern.findall(text))
    count, i = 0, folded.find(anchor)
    while i != -1:
        match = pattern.match(text, i)
        if match:
            count += 1
            if count == stop_at:
                break
            i = folded.find(anchor, match.end())
        else:
            i = folded.find(anchor, i + 1)
    return count


def _blank(text: str, phrases: Iterable[str], folded: str | None = None) -> str:
    for phrase in phrases:
        if folded is None or _may_match(phrase, folded):
            text = phrase_pattern(phrase).sub(lambda m: " " * len(m.group(0)), text)
    return text


@dataclass(frozen=True)
class Score:
    """How one tag scored on one paper, with the phrases that matched (for reviews)."""

    tag: str
    score: int
    matched: tuple[str, ...]


def score_tag(tag: Tag, title: str, abstract: str,
              folded: tuple[str, str] | None = None) -> Score:
    """How strongly ``tag``'s rules point at a paper with this title and abstract.

    ``folded`` is ``(fold(title), fold(abstract))`` when the caller scores many tags.
    """
    rules = tag.rules
    folded_title, folded_abstract = folded or (fold(title), fold(abstract))
    title_text = _blank(title, rules.exclude, folded_title)
    abstract_text = _blank(abstract, rules.exclude, folded_abstract)
    total, matched = 0, []
    for phrase in rules.keywords:
        in_title = _may_match(phrase, folded_title)
        if not in_title and not _may_match(phrase, folded_abstract):
            continue
        if in_title and _count(phrase, title_text, folded_title, stop_at=1):
            total += TITLE_WEIGHT
            matched.append(phrase)
        else:
            hits = _count(phrase, abstract_text, folded_abstract)
            if hits:
                total += 1 + (hits >= 3)
                matched.append(phrase)
    for phrase in rules.title_keywords:
        if _may_match(phrase, folded_title) and phrase_pattern(phrase).search(title_text):
            total += TITLE_WEIGHT
            matched.append(phrase)
    return Score(tag.id, total, tuple(matched))


def score_paper(title: str, abstract: str, vocabulary: Vocabulary) -> list[Score]:
    """Scores of every tag with any match, best first (vocabulary order breaks ties)."""
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    folded = (fold(title), fold(abstract))
    scores = [s for s in (score_tag(t, title, abstract, folded) for t in vocabulary.tags)
              if s.score]
    return sorted(scores, key=lambda s: (-s.score, order[s.tag]))


def threshold(tag: Tag) -> int:
    """The score at which ``tag`` is suggested."""
    return tag.rules.min_score or DEFAULT_MIN_SCORE


def suggest_tags(title: str, abstract: str, vocabulary: Vocabulary,
                 max_tags: int = MAX_TAGS) -> tuple[str, ...]:
    """Tag ids the rules suggest, in vocabulary order (stable for diffs)."""
    by_id = vocabulary.by_id()
    chosen = [s.tag for s in score_paper(title, abstract, vocabulary)
              if s.score >= threshold(by_id[s.tag])][:max_tags]
    return in_vocabulary_order(chosen, vocabulary)


def in_vocabulary_order(tags: Iterable[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """``tags`` without duplicates, in the vocabulary's order; unknown ids go last, A-Z."""
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    unique = set(tags)
    return tuple(sorted(unique, key=lambda t: (order.get(t, len(order)), t)))


def suggest_for(paper: Paper, vocabulary: Vocabulary) -> tuple[str, ...]:
    """:func:`suggest_tags` for a loaded record."""
    return suggest_tags(paper.title, paper.abstract, vocabulary)
