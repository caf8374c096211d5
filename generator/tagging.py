"""Tag suggestion from the vocabulary's rules: pure functions over text, matched on words.

Text and rule phrases go through the same tokenizer (:func:`tokens`): Unicode-folded
(case, accents), split into runs of letters and digits, and each run reduced to a crude
singular (:func:`stem`), so ``dataset`` matches "Datasets", ``LLM`` matches "LLMs" and
``retrieval`` matches "Retrieval-Augmented".  A phrase matches a run of consecutive words;
a space and a hyphen between words are the same, but punctuation such as ``.``, ``,`` or
``(`` ends a run, so a phrase never spans two clauses.  A phrase word ending in ``*``
matches any word that starts with it (``forecast*``).

Negations do not count: a match right after ``without`` or ``w/o`` (up to two words
before), right after ``no``/``non`` (``non-autoregressive``), or glued by a hyphen to a
following ``free`` or ``less`` ("Distillation-Free", "training-free") is ignored.

Scoring, per tag: a title that holds any of its ``keywords`` or ``title_keywords`` scores
:data:`TITLE_WEIGHT`; in the abstract each distinct ``keywords`` phrase found scores 1,
plus 1 when the tag's phrases occur more often than that, and 1 more when they occur
:data:`MANY_MENTIONS` times or more (a topic the abstract keeps returning to).  Words are
counted once per tag (the longest phrase wins where two overlap), so listing variants does
not inflate a score.  ``exclude`` phrases take their words out of that tag's matching first, for
phrases that mislead (``human feedback`` is not about human pose).  A tag is suggested
when its score reaches ``min_score`` (default :data:`DEFAULT_MIN_SCORE`), unless it is a
broad tag that ``yields_to`` a narrower tag also reaching its threshold (*Large language
models* steps aside for *Reasoning*, *Healthcare* for *Medical imaging*: the descriptions
send such papers to the narrower tag); at most the policy's ``maxTagsPerPaper`` tags are
kept, best first.  When fewer than its ``minTagsPerPaper`` are left, the best tags up to
:data:`FALLBACK_DROP` points below their threshold (a broad tag, threshold
:data:`BROAD_MIN_SCORE` or more, only :data:`BROAD_FALLBACK_DROP`; never below
:data:`FALLBACK_FLOOR`) and found in the abstract fill up to that number: a paper's second
topic is often named only once or twice.  A single mention in the abstract (score 1) may
give a paper its first tag but not a second one (:data:`SECOND_FALLBACK_FLOOR`): read on
real papers, such second tags were mostly passing words ("initialization", "CLIP").
Nor may a fill-in scoring under :data:`SECOND_FILL_SHARE` of the paper's first tag: next to
a topic the title and the whole abstract name, a word or two is background (round 5,
chosen by cross-validation over the judged parts).
(Precision before recall: each of these rules costs some recall and leaves more papers
with one tag; docs/maintainers/tagging.md has the figures.)

Narrower tags: a tag with a ``parent`` in ``tags.yml`` is a part of that tag
(*Quantization* of *Efficiency*), so every choice is closed under parents
(:func:`with_parents`): a chosen narrower tag brings its parent, which counts towards the
minimum like any tag, and over the maximum the weakest tag no kept tag needs as a parent
goes first.  A parent never ``yields_to`` its own narrower tags (the vocabulary refuses
it): round 6 let *Efficiency* step aside for *Quantization*, which left such papers with
one tag and the broad tag's page without them.

Why words rather than regular expressions: the old regex matcher missed plurals and
hyphen compounds, counted "X-free" as X and could backtrack; word matching is linear in
the text and reviewable.  Why rules and a classifier on top: the rules find the candidate
tags and the words behind them, which maintainers can read and fix in ``tags.yml``
(:func:`explain`, ``tags suggest --explain``); choosing among the candidates by fixed
thresholds did not hold on unseen papers, and with 1,520 hand-judged papers
:mod:`generator.tagmodel` learns that choice (trained on 180 papers, such layers did no
better than the thresholds: docs/maintainers/tagging.md).  This module's
:func:`suggest_tags` is the rules alone, what the tools use without judged papers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from generator.model import Paper, Tag, Vocabulary
from generator.tagpolicy import Policy
from generator.textrules import without_emphasis

TITLE_WEIGHT = 3
TITLE_HINT = 2
REPEAT_CAP = 1
MANY_MENTIONS = 5
DEFAULT_MIN_SCORE = 2
FALLBACK_FLOOR = 1
SECOND_FALLBACK_FLOOR = 2
FALLBACK_DROP = 2
BROAD_MIN_SCORE = 4
BROAD_FALLBACK_DROP = 1
SECOND_FILL_SHARE = 0.3

#: Words that cancel a match right after them (up to :data:`_NEG_WINDOW` words back).
_NEG_BEFORE = frozenset({"without"})  # "w/o" is read as "without"
_NEG_WINDOW = 2
#: Words that cancel a match when directly before it.
_NEG_ADJACENT = frozenset({"no", "non"})
#: Hyphenated endings that negate the word before them: "distillation-free".
_NEG_AFTER = frozenset({"free", "less"})

_SPLIT_RE = re.compile(r"([^\W_]+)")
_SIMPLE_GAPS = frozenset({"", " ", "-", " - "})
#: Separator characters that may sit inside a phrase match: spaces, hyphens, slashes,
#: apostrophes.  Anything else (``.,;:()`` ...) ends a run of words.
_JOINERS = frozenset(" \t\n\r-‐‑‒–—/'’")
_HYPHENS = frozenset("-‐‑")
_WO_RE = re.compile(r"\bw/o\b", re.IGNORECASE)
_FOLD = str.maketrans({"ı": "i", "ſ": "s", "ß": "ss"})


class PhraseError(ValueError):
    """A rule phrase that cannot be matched as written."""


def fold(text: str) -> str:
    """Lower-case text without accents: what tokens are cut from."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    """A crude singular of a folded word, applied alike to text and phrases.

    Only plural endings are removed (``-ies``, ``-es`` after s/x/z/ch/sh, ``-s``), never
    from words of three letters or fewer or with digits; since both sides go through it,
    what matters is that a word and its plural meet, not that the result is English.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_stem = lru_cache(maxsize=65536)(stem)


@dataclass(frozen=True)
class Tokens:
    """A text cut into words: stems, the folded words, and how each word is attached.

    ``run[i]`` numbers the run of words (clause) word ``i`` belongs to; ``hyphen[i]`` is
    True when word ``i`` is glued to the word before it by a hyphen.
    """

    stems: tuple[str, ...]
    words: tuple[str, ...]
    run: tuple[int, ...]
    hyphen: tuple[bool, ...]
    where: dict[str, tuple[int, ...]]  # stem -> positions, so a phrase is found by lookup


def tokens(text: str) -> Tokens:
    """Cut ``text`` into words (see the module docstring)."""
    # Emphasis (\\textbf{x}) is how a word is shown, not a word: "textbf" is no token.
    parts = _SPLIT_RE.split(_WO_RE.sub(" without ", fold(without_emphasis(text))))
    # parts alternates gap, word, gap, word, ..., gap
    stems: list[str] = []
    words: list[str] = []
    runs: list[int] = []
    hyphens: list[bool] = []
    run = 0
    for k in range(1, len(parts), 2):
        gap, word = parts[k - 1], parts[k]
        joined = gap in _SIMPLE_GAPS or all(c in _JOINERS for c in gap)
        if words and not joined:
            run += 1
        words.append(word)
        stems.append(_stem(word))
        runs.append(run)
        hyphens.append(joined and gap.strip() in _HYPHENS)
    where: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        where.setdefault(s, []).append(i)
    return Tokens(tuple(stems), tuple(words), tuple(runs), tuple(hyphens),
                  {k: tuple(v) for k, v in where.items()})


#: One word of a compiled phrase: (text, is_prefix).  A prefix is compared with the
#: folded word, a full word with the stem.
PhraseWord = tuple[str, bool]


@lru_cache(maxsize=8192)
def compile_phrase(phrase: str) -> tuple[PhraseWord, ...]:
    """The words a rule phrase matches (see the module docstring for its syntax).

    Raises:
        PhraseError: the phrase has no word, a ``*`` other than at the end of a word, or
            punctuation that ends a run of words (so it could never match).
    """
    parts = [p for p in re.split(r"[\s\-/]+", phrase.strip()) if p]
    if not parts:
        raise PhraseError("empty phrase")
    compiled: list[PhraseWord] = []
    for part in parts:
        prefix = part.endswith("*")
        body = part[:-1] if prefix else part
        if "*" in body:
            raise PhraseError(f"{part!r}: '*' may only end a word")
        if any(c not in _JOINERS and not c.isalnum() for c in body):
            raise PhraseError(f"{part!r} holds punctuation that no match can contain")
        words = tokens(body).words
        if not words:
            raise PhraseError(f"{part!r} is not a word")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            compiled.append((word, True) if prefix and last else (stem(word), False))
    return tuple(compiled)


def phrase_problems(tag: Tag) -> list[tuple[str, int, str]]:
    """``(rule field, index, message)`` for every phrase of ``tag`` that cannot work.

    A phrase that fails to compile, and an ``exclude`` phrase that lies inside one of the
    tag's own phrases: it takes those words out wherever the phrase occurs, so the phrase
    can never match (``experts'`` is the word ``expert``, and took every "Mixture of
    Experts" out of *Mixture of experts*).
    """
    found = []
    rules = tag.rules
    compiled: dict[str, tuple[PhraseWord, ...]] = {}
    for name, phrases in (("keywords", rules.keywords), ("title_keywords", rules.title_keywords),
                          ("exclude", rules.exclude), ("context", rules.context)):
        for i, phrase in enumerate(phrases):
            try:
                words = compile_phrase(phrase)
            except PhraseError as exc:
                found.append((name, i, f"phrase {phrase!r}: {exc}"))
                continue
            if name == "context":
                continue
            if name != "exclude":
                compiled.setdefault(phrase, words)
                continue
            dead = next((k for k, kw in compiled.items() if _inside(words, kw)), None)
            if dead is not None:
                found.append((name, i, f"phrase {phrase!r} takes out every match of the "
                                       f"tag's own phrase {dead!r}"))
    return found


def _inside(part: tuple[PhraseWord, ...], whole: tuple[PhraseWord, ...]) -> bool:
    """True when the words of ``part`` occur, in order and together, within ``whole``."""
    n = len(part)
    return any(whole[i:i + n] == part for i in range(len(whole) - n + 1))


def _matches_at(words: Sequence[PhraseWord], toks: Tokens, i: int) -> bool:
    if i + len(words) > len(toks.stems):
        return False
    run = toks.run[i]
    for k, (text, prefix) in enumerate(words):
        j = i + k
        if toks.run[j] != run:
            return False
        if prefix:
            if not toks.words[j].startswith(text):
                return False
        elif toks.stems[j] != text:
            return False
    return True


def _negated(toks: Tokens, start: int, end: int) -> bool:
    """True when the match ``[start, end)`` is negated by the words around it."""
    run = toks.run[start]
    if start > 0 and toks.run[start - 1] == run and toks.words[start - 1] in _NEG_ADJACENT:
        return True
    for j in range(max(0, start - _NEG_WINDOW), start):
        if toks.run[j] == run and toks.words[j] in _NEG_BEFORE:
            return True
    return (end < len(toks.words) and toks.hyphen[end] and toks.words[end] in _NEG_AFTER)


def find(phrase: str, toks: Tokens, keep_negated: bool = False) -> list[tuple[int, int]]:
    """Word spans ``[start, end)`` where ``phrase`` occurs, negated ones left out unless kept."""
    words = compile_phrase(phrase)
    first, prefix = words[0]
    if prefix:
        starts: Iterable[int] = (i for i, w in enumerate(toks.words) if w.startswith(first))
    else:
        starts = toks.where.get(first, ())
    spans = []
    for i in starts:
        if _matches_at(words, toks, i):
            end = i + len(words)
            if keep_negated or not _negated(toks, i, end):
                spans.append((i, end))
    return spans


@dataclass(frozen=True)
class Hit:
    """One phrase of a tag found in one field, with how often (for ``--explain``)."""

    phrase: str
    field: str  # "title" or "abstract"
    count: int


@dataclass(frozen=True)
class Score:
    """How one tag scored on one paper, with the phrases that matched (for reviews)."""

    tag: str
    score: int
    hits: tuple[Hit, ...] = ()

    @property
    def matched(self) -> tuple[str, ...]:
        """The rule phrases that matched, each once, in the order they were found."""
        return tuple(dict.fromkeys(h.phrase for h in self.hits))


def _claim(found: list[tuple[int, int, str]], blocked: set[int]) -> dict[str, int]:
    """Occurrences per phrase, each word counted once: longer phrases claim words first."""
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    counts: dict[str, int] = {}
    for start, end, phrase in found:
        span = set(range(start, end))
        if span & blocked:
            continue
        blocked |= span
        counts[phrase] = counts.get(phrase, 0) + 1
    return counts


def _excluded(tag: Tag, toks: Tokens) -> set[int]:
    return {k for phrase in tag.rules.exclude for a, b in find(phrase, toks)
            for k in range(a, b)}


def _score(tag: Tag, title_found: list[tuple[int, int, str]],
           abstract_found: list[tuple[int, int, str]], title_toks: Tokens,
           abstract_toks: Tokens) -> Score:
    """The score from the phrase occurrences already found (see the module docstring)."""
    rules = tag.rules
    in_title = _claim(title_found, _excluded(tag, title_toks)) if title_found else {}
    in_abstract = (_claim(abstract_found, _excluded(tag, abstract_toks))
                   if abstract_found else {})
    hits = [Hit(p, "title", n) for p, n in in_title.items()]
    hits += [Hit(p, "abstract", n) for p, n in in_abstract.items()]
    keywords = set(rules.keywords)
    total = (TITLE_WEIGHT if any(p in keywords for p in in_title)
             else TITLE_HINT if in_title else 0)
    mentions = sum(in_abstract.values())
    total += len(in_abstract) + min(mentions - len(in_abstract), REPEAT_CAP)
    # A topic the abstract keeps returning to is the paper's, however few phrases name it.
    total += mentions >= MANY_MENTIONS
    return Score(tag.id, total, tuple(hits))


def _occurrences(phrases: Iterable[str], toks: Tokens) -> list[tuple[int, int, str]]:
    return [(start, end, phrase) for phrase in phrases for start, end in find(phrase, toks)]


def score_tag(tag: Tag, title: str | Tokens, abstract: str | Tokens) -> Score:
    """How strongly ``tag``'s rules point at a paper with this title and abstract."""
    title_toks = title if isinstance(title, Tokens) else tokens(title)
    abstract_toks = abstract if isinstance(abstract, Tokens) else tokens(abstract)
    rules = tag.rules
    return _score(tag, _occurrences(rules.keywords + rules.title_keywords, title_toks),
                  _occurrences(rules.keywords, abstract_toks), title_toks, abstract_toks)


@dataclass(frozen=True)
class _Context:
    """One tag's ``context`` phrases, split for a fast test.

    Single words by stem, single-word prefixes (``radiolog*``), phrases of several words.
    """

    tag: str
    stems: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    """Every rule phrase by its first word, so a paper costs one look-up per word.

    ``by_first[stem]`` lists ``(tag number, phrase, title only)``; phrases whose first word
    is a prefix (``forecast*``) are in ``prefixed`` and tried on every paper.
    """

    by_first: dict[str, tuple[tuple[int, str, bool], ...]]
    prefixed: tuple[tuple[int, str, bool], ...]
    order: dict[str, int]
    #: The tags with ``context`` phrases, split for :func:`out_of_context`.
    contexts: tuple[_Context, ...] = ()


_index_cache: dict[int, tuple[Vocabulary, _Index]] = {}


def _index(vocabulary: Vocabulary) -> _Index:
    cached = _index_cache.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    by_first: dict[str, list[tuple[int, str, bool]]] = {}
    prefixed: list[tuple[int, str, bool]] = []
    for n, tag in enumerate(vocabulary.tags):
        entries = [(p, False) for p in tag.rules.keywords]
        entries += [(p, True) for p in tag.rules.title_keywords if p not in tag.rules.keywords]
        for phrase, title_only in entries:
            try:
                text, prefix = compile_phrase(phrase)[0]
            except PhraseError:
                continue
            entry = (n, phrase, title_only)
            if prefix:
                prefixed.append(entry)
            else:
                by_first.setdefault(text, []).append(entry)
    index = _Index({k: tuple(v) for k, v in by_first.items()}, tuple(prefixed),
                   {t.id: i for i, t in enumerate(vocabulary.tags)},
                   tuple(_context(tag) for tag in vocabulary.tags if tag.rules.context))
    if len(_index_cache) > 8:
        _index_cache.clear()
    _index_cache[id(vocabulary)] = (vocabulary, index)
    return index


def _context(tag: Tag) -> _Context:
    """``tag``'s context phrases split by kind.

    A phrase that cannot compile is left out (:func:`phrase_problems` reports it).
    """
    stems, prefixes, phrases = set(), [], []
    for phrase in tag.rules.context:
        try:
            words = compile_phrase(phrase)
        except PhraseError:
            continue
        if len(words) > 1:
            phrases.append(phrase)
        elif words[0][1]:
            prefixes.append(words[0][0])
        else:
            stems.add(words[0][0])
    return _Context(tag.id, frozenset(stems), tuple(prefixes), tuple(phrases))


def _found(index: _Index, toks: Tokens, title: bool) -> dict[int, list[tuple[int, int, str]]]:
    """Occurrences of every phrase in one field, by tag number."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    entries = [e for s in toks.where for e in index.by_first.get(s, ())]
    entries += index.prefixed
    for n, phrase, title_only in entries:
        if title_only and not title:
            continue
        spans = find(phrase, toks)
        if spans:
            found.setdefault(n, []).extend((a, b, phrase) for a, b in spans)
    return found


def score_paper(title: str, abstract: str, vocabulary: Vocabulary) -> list[Score]:
    """Scores of every tag with any match, best first (vocabulary order breaks ties)."""
    return score_tokens(tokens(title), tokens(abstract), vocabulary)


def score_tokens(title_toks: Tokens, abstract_toks: Tokens, vocabulary: Vocabulary,
                 blocked: frozenset[str] | None = None) -> list[Score]:
    """:func:`score_paper` on text already cut into words (the learned layer reuses them).

    The tags in ``blocked`` (by default those :func:`out_of_context` for the paper) have
    no score; :func:`explain` passes an empty set to say why such a tag was left out.
    """
    index = _index(vocabulary)
    in_title = _found(index, title_toks, True)
    in_abstract = _found(index, abstract_toks, False)
    if blocked is None:
        blocked = out_of_context(title_toks, abstract_toks, vocabulary)
    scores = [_score(vocabulary.tags[n], in_title.get(n, []), in_abstract.get(n, []),
                     title_toks, abstract_toks)
              for n in sorted(set(in_title) | set(in_abstract))
              if vocabulary.tags[n].id not in blocked]
    return sorted((s for s in scores if s.score),
                  key=lambda s: (-s.score, index.order[s.tag]))


def out_of_context(title_toks: Tokens, abstract_toks: Tokens, vocabulary: Vocabulary,
                   ) -> frozenset[str]:
    """Ids of the tags with ``context`` phrases of which neither title nor abstract has one.

    Why: a domain tag's phrases also name things outside the domain ("X-ray" baggage
    screening, "CT" scans of logs, "imaging" of exoplanets), and the learned layer learns
    such words too.  One word of the field anywhere in the paper is a cheap, readable
    condition that both layers obey (``tags suggest --explain`` names the tags it
    stopped).  Negated mentions count: "without clinical data" still places a paper in
    the clinic.
    """
    contexts = _index(vocabulary).contexts
    if not contexts:
        return frozenset()
    fields = (title_toks, abstract_toks)
    return frozenset(
        c.tag for c in contexts
        if not any(not c.stems.isdisjoint(toks.where)
                   or (c.prefixes and any(w.startswith(c.prefixes) for w in toks.words))
                   or any(find(p, toks, keep_negated=True) for p in c.phrases)
                   for toks in fields))


def context_notes(title_toks: Tokens, abstract_toks: Tokens, vocabulary: Vocabulary,
                  ) -> list[tuple[Score, bool, str]]:
    """:func:`explain` lines for the tags whose phrases matched but that lack context."""
    blocked = out_of_context(title_toks, abstract_toks, vocabulary)
    if not blocked:
        return []
    by_id = vocabulary.by_id()
    return [(s, False, "out of context: no word such as "
             + ", ".join(repr(p) for p in by_id[s.tag].rules.context[:3]))
            for s in score_tokens(title_toks, abstract_toks, vocabulary, frozenset())
            if s.tag in blocked]


def threshold(tag: Tag) -> int:
    """The score at which ``tag`` is suggested."""
    return tag.rules.min_score or DEFAULT_MIN_SCORE


def fallback_score(tag: Tag) -> int:
    """The least score at which ``tag`` may fill a paper up to the minimum of tags.

    :data:`FALLBACK_DROP` points below its threshold, but a broad tag (threshold
    :data:`BROAD_MIN_SCORE` or more) only :data:`BROAD_FALLBACK_DROP` below: its high
    threshold is what keeps it from landing on every paper that names it in passing.
    """
    limit = threshold(tag)
    drop = BROAD_FALLBACK_DROP if limit >= BROAD_MIN_SCORE else FALLBACK_DROP
    return max(FALLBACK_FLOOR, limit - drop)


def yielded(tag: Tag, named: set[str]) -> str | None:
    """The narrower tag among ``named`` that ``tag`` steps aside for (``yields_to``), if any."""
    return next((other for other in tag.rules.yields_to if other in named), None)


T = TypeVar("T")


def with_parents(picked: Sequence[T], tag_of: Callable[[T], str],
                 stand_in: Callable[[str], T], vocabulary: Vocabulary, limit: int) -> list[T]:
    """``picked`` (best first) closed under parents, at most ``limit`` long.

    Each narrower tag brings its parent right after it (the parent's own entry where it
    was picked or scored, else ``stand_in(parent id)``), so a tagger never returns a
    child without its parent.  Over ``limit``, the weakest tag that no other kept tag
    needs as its parent goes first, again and again: a brought parent counts as strong
    as its child, so dropping a weak child lets its parent go with it.  Generic over what
    a tagger ranks (:class:`Score` here, ``Ranked`` in :mod:`generator.tagmodel`).
    """
    parents = vocabulary.parents()
    own = {tag_of(item) for item in picked}
    out: list[T] = []
    have: set[str] = set()
    for item in picked:
        tag = tag_of(item)
        if tag in have:
            continue
        out.append(item)
        have.add(tag)
        parent = parents.get(tag)
        if parent and parent not in have:
            later = next((p for p in picked if tag_of(p) == parent), None)
            out.append(later if later is not None else stand_in(parent))
            have.add(parent)
    while len(out) > limit:
        needed = {parents.get(tag_of(item)) for item in out}
        weakest = max(k for k, item in enumerate(out) if tag_of(item) not in needed)
        parent = parents.get(tag_of(out.pop(weakest)))
        # A parent that came only with the dropped child goes with it.
        if parent and parent not in own and parent not in {parents.get(tag_of(i)) for i in out}:
            out = [item for item in out if tag_of(item) != parent]
    return out


def brought_by_children(picked: Iterable[str], closed: Iterable[str],
                        vocabulary: Vocabulary) -> dict[str, str]:
    """Parent id -> the narrower tag that brought it, for parents not picked on their own.

    What ``--explain`` says about a tag the tagger did not choose for its own evidence.
    """
    own = set(picked)
    kept = list(closed)
    parents = vocabulary.parents()
    out: dict[str, str] = {}
    for tag in kept:
        parent = parents.get(tag)
        if parent and parent not in own and parent in kept:
            out.setdefault(parent, tag)
    return out


def choose(scores: list[Score], vocabulary: Vocabulary, policy: Policy) -> list[Score]:
    """The scores that become tags (best first): see the module docstring.

    Closed under parents (:func:`with_parents`): a narrower tag brings its parent, which
    then counts towards the policy's minimum like any tag (it is one of the paper's
    topics), so a paper with *Quantization* needs no weak fill-in to reach two tags.
    """
    return choose_why(scores, vocabulary, policy)[0]


def choose_why(scores: list[Score], vocabulary: Vocabulary, policy: Policy,
               ) -> tuple[list[Score], dict[str, str]]:
    """:func:`choose`, and each parent kept only for its child (parent -> child id)."""
    by_id = vocabulary.by_id()
    scored = {s.tag: s for s in scores}

    def close(picked: list[Score]) -> list[Score]:
        return with_parents(picked, lambda s: s.tag,
                            lambda tag: scored.get(tag) or Score(tag, 0), vocabulary,
                            policy.max_tags)

    strong = [s for s in scores if s.score >= threshold(by_id[s.tag])]
    named = {s.tag for s in strong}
    own = [s for s in strong if not yielded(by_id[s.tag], named)][:policy.max_tags]
    chosen = close(own)
    if len(chosen) < policy.min_tags:
        spare = [s for s in scores if s not in chosen
                 and not yielded(by_id[s.tag], named)
                 and any(h.field == "abstract" for h in s.hits)
                 and s.score >= fallback_score(by_id[s.tag])]
        for s in spare:
            if len(chosen) >= policy.min_tags:
                break
            # A single abstract mention (score 1) may give a paper its first tag, never
            # a second one: on the judged papers such second tags were mostly wrong.
            if chosen and s.score < SECOND_FALLBACK_FLOOR:
                continue
            # Nor may a fill-in far weaker than the paper's first tag: next to a topic
            # named in title and throughout, two passing words are background.
            if chosen and s.score < SECOND_FILL_SHARE * chosen[0].score:
                continue
            own.append(s)
            chosen = close([*chosen, s])
    return chosen, brought_by_children((s.tag for s in own), (s.tag for s in chosen),
                                       vocabulary)


def suggest_tags(title: str, abstract: str, vocabulary: Vocabulary, policy: Policy,
                 ) -> tuple[str, ...]:
    """Tag ids the rules alone suggest, in vocabulary order (stable for diffs).

    The tools suggest through :func:`generator.tagmodel.suggest_tags`, which lets the
    learned layer choose among these rules' candidates when there is training data.
    """
    chosen = choose(score_paper(title, abstract, vocabulary), vocabulary, policy)
    return in_vocabulary_order((s.tag for s in chosen), vocabulary)


def explain(title: str, abstract: str, vocabulary: Vocabulary, policy: Policy,
            ) -> list[tuple[Score, bool, str]]:
    """Every tag with a score, whether it is suggested, and why not where a rule says so.

    The note is ``"yields to <id>"`` for a broad tag that stepped aside for a narrower
    one, ``"one mention: not a second tag"`` for a tag close enough to fill a paper up
    that was passed over because one word is all it has (:data:`SECOND_FALLBACK_FLOOR`),
    ``"weak next to <id>: not a second tag"`` for one passed over because it scores under
    :data:`SECOND_FILL_SHARE` of the first tag's score, ``"from narrower tag <id>"`` for
    a parent chosen because its narrower tag was (listed after the scored tags when no
    phrase of its own matched), otherwise empty; the score carries the words that matched.
    Tags whose phrases matched but that are :func:`out_of_context` come last, unchosen,
    noted ``"out of context: no word such as ..."``.
    """
    scores = score_paper(title, abstract, vocabulary)
    picked, brought = choose_why(scores, vocabulary, policy)
    chosen = {s.tag for s in picked}
    by_id = vocabulary.by_id()
    named = {s.tag for s in scores if s.score >= threshold(by_id[s.tag])}
    short = len(picked) < policy.min_tags
    scored = {s.tag for s in scores}
    out = []
    for s in [*scores, *(s for s in picked if s.tag not in scored)]:
        note = ""
        if s.tag in brought:
            note = f"from narrower tag {brought[s.tag]}"
        elif s.tag not in chosen:
            other = yielded(by_id[s.tag], named)
            if other:
                note = f"yields to {other}"
            elif (short and picked and s.score >= fallback_score(by_id[s.tag])
                  and any(h.field == "abstract" for h in s.hits)):
                if s.score < SECOND_FALLBACK_FLOOR:
                    note = "one mention: not a second tag"
                elif s.score < SECOND_FILL_SHARE * picked[0].score:
                    note = f"weak next to {picked[0].tag}: not a second tag"
        out.append((s, s.tag in chosen, note))
    return out + context_notes(tokens(title), tokens(abstract), vocabulary)


def format_hits(score: Score) -> str:
    """``title: "rag"; abstract: "retrieval-augmented" x2`` for one tag's evidence."""
    parts = []
    for field in ("title", "abstract"):
        found = [f"{h.phrase!r}" + (f" x{h.count}" if h.count > 1 else "")
                 for h in score.hits if h.field == field]
        if found:
            parts.append(f"{field}: {', '.join(found)}")
    return "; ".join(parts)


def in_vocabulary_order(tags: Iterable[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """``tags`` without duplicates, in the vocabulary's order; unknown ids go last, A-Z."""
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    unique = set(tags)
    return tuple(sorted(unique, key=lambda t: (order.get(t, len(order)), t)))


def suggest_for(paper: Paper, vocabulary: Vocabulary, policy: Policy) -> tuple[str, ...]:
    """:func:`suggest_tags` for a loaded record."""
    return suggest_tags(paper.title, paper.abstract, vocabulary, policy)
