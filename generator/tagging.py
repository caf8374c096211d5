"""Tag suggestion from the vocabulary's rules: pure functions over text.

Each tag's ``rules`` hold phrases.  A phrase matches case-insensitively on word
boundaries; a space or hyphen in a phrase matches either (``time series`` finds
``time-series``); a trailing ``*`` matches any word ending (``forecast*``).  A hyphen
counts as part of a word at the edges, so ``step`` does not match inside ``single-step``.

Scoring: every distinct ``keywords`` phrase found in the title scores
:data:`TITLE_WEIGHT`, one found only in the abstract scores 1 (plus 1 more if it occurs
three times or more); ``title_keywords`` count in the title only.  ``exclude`` phrases are
blanked out of the text before that tag's phrases are matched, for words that mislead.
A tag is suggested when its score reaches ``min_score`` (default :data:`DEFAULT_MIN_SCORE`),
and at most :data:`MAX_TAGS` tags are kept, best scores first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.records import Paper, Tag, Vocabulary

TITLE_WEIGHT = 3
DEFAULT_MIN_SCORE = 2
MAX_TAGS = 6


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile one rule phrase (see the module docstring for its syntax)."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    if not words:
        raise ValueError("empty phrase")
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(word))
    body = r"[\s\-]+".join(parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def _blank(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = phrase_pattern(phrase).sub(lambda m: " " * len(m.group(0)), text)
    return text


@dataclass(frozen=True)
class Score:
    tag: str
    score: int
    matched: tuple[str, ...]


def score_tag(tag: Tag, title: str, abstract: str) -> Score:
    """How strongly ``tag``'s rules point at a paper with this title and abstract."""
    rules = tag.rules
    title_text = _blank(title, rules.exclude)
    abstract_text = _blank(abstract, rules.exclude)
    total, matched = 0, []
    for phrase in rules.keywords:
        pattern = phrase_pattern(phrase)
        if pattern.search(title_text):
            total += TITLE_WEIGHT
            matched.append(phrase)
        else:
            hits = len(pattern.findall(abstract_text))
            if hits:
                total += 1 + (hits >= 3)
                matched.append(phrase)
    for phrase in rules.title_keywords:
        if phrase_pattern(phrase).search(title_text):
            total += TITLE_WEIGHT
            matched.append(phrase)
    return Score(tag.id, total, tuple(matched))


def score_paper(title: str, abstract: str, vocabulary: Vocabulary) -> list[Score]:
    """Scores of every tag with any match, best first (vocabulary order breaks ties)."""
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    scores = [s for s in (score_tag(t, title, abstract) for t in vocabulary.tags) if s.score]
    return sorted(scores, key=lambda s: (-s.score, order[s.tag]))


def suggest_tags(title: str, abstract: str, vocabulary: Vocabulary,
                 max_tags: int = MAX_TAGS) -> tuple[str, ...]:
    """Tag ids the rules suggest, in vocabulary order (stable for diffs)."""
    by_id = vocabulary.by_id()
    chosen = [s.tag for s in score_paper(title, abstract, vocabulary)
              if s.score >= (by_id[s.tag].rules.min_score or DEFAULT_MIN_SCORE)][:max_tags]
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    return tuple(sorted(chosen, key=order.__getitem__))


def suggest_for(paper: Paper, vocabulary: Vocabulary) -> tuple[str, ...]:
    return suggest_tags(paper.title, paper.abstract, vocabulary)
