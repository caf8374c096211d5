"""Rule matching: phrase syntax, scoring and the case table in tests/cases/tag_rules.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
from generator.layout import Layout
from generator.model import Tag, TagRules, Vocabulary
from generator.tagging import (
    MAX_TAGS,
    TITLE_WEIGHT,
    PhraseError,
    phrase_pattern,
    score_tag,
    suggest_tags,
)
from generator.vocabulary import load_vocabulary
from tests.conftest import ARCHIVE

CASES = yamlio.load_strict(Path(__file__).parent / "cases" / "tag_rules.yml").data["cases"]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    vocab, problems = load_vocabulary(Layout(ARCHIVE))
    assert problems == []
    return vocab


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_cases(case: dict, vocabulary: Vocabulary) -> None:
    tags = suggest_tags(case["title"], case["abstract"], vocabulary)
    for tag in case["has"]:
        assert tag in tags, f"{tag} missing from {tags}"
    for tag in case["lacks"]:
        assert tag not in tags, f"{tag} wrongly in {tags}"


@pytest.mark.parametrize(("phrase", "text", "hit"), [
    ("time series", "Time-Series models", True),
    ("forecast*", "we forecasted it", True),
    ("step", "a single-step method", False),
    ("step", "one step at a time", True),
    ("LLM", "LLMs are large", False),
    ("A/B test*", "interference in A/B tests", True),
    ("prompt*", "prompting helps", True),
    ("graph", "subgraphs", False),
])
def test_phrase_matching(phrase: str, text: str, hit: bool) -> None:
    assert bool(phrase_pattern(phrase).search(text)) is hit


@pytest.mark.parametrize("phrase", ["", "  - ", "foo*bar", "*", "(x)"])
def test_bad_phrases_are_refused(phrase: str) -> None:
    with pytest.raises(PhraseError):
        phrase_pattern(phrase)


def _tag(tag_id: str, **rules) -> Tag:
    return Tag(tag_id, tag_id.title(), "A tag used by the scoring tests.", "G", TagRules(**rules))


def test_title_weighs_more_than_abstract() -> None:
    tag = _tag("t", keywords=("boat",))
    assert score_tag(tag, "Boat design", "").score == TITLE_WEIGHT
    assert score_tag(tag, "Design", "a boat").score == 1
    assert score_tag(tag, "Design", "boat, boat and boat").score == 2


def test_title_keywords_ignore_the_abstract() -> None:
    tag = _tag("t", title_keywords=("boat",))
    assert score_tag(tag, "Design", "boat boat boat").score == 0
    assert score_tag(tag, "Boat design", "").score == TITLE_WEIGHT


def test_exclude_blanks_misleading_phrases_for_that_tag_only() -> None:
    tag = _tag("opt", keywords=("step size",), exclude=("step size of the grid",))
    assert score_tag(tag, "", "the step size of the grid is fixed").score == 0
    assert score_tag(tag, "", "we tune the step size").score == 1


def test_min_score_and_order_and_cap() -> None:
    tags = tuple(_tag(f"t{i}", keywords=(f"word{i}",), min_score=3) for i in range(8))
    vocab = Vocabulary(("G",), tags)
    title = " ".join(f"word{i}" for i in reversed(range(8)))
    chosen = suggest_tags(title, "", vocab)
    assert len(chosen) == MAX_TAGS
    assert list(chosen) == sorted(chosen, key=lambda t: int(t[1:]))
    assert suggest_tags("nothing", "word1 here", vocab) == ()


def _reference_score(tag, title: str, abstract: str) -> int:
    """The scoring rule, written plainly without the substring pre-filter."""
    from generator.tagging import TITLE_WEIGHT, phrase_pattern

    def blank(text: str) -> str:
        for phrase in tag.rules.exclude:
            text = phrase_pattern(phrase).sub(lambda m: " " * len(m.group(0)), text)
        return text

    title, abstract = blank(title), blank(abstract)
    total = 0
    for phrase in tag.rules.keywords:
        if phrase_pattern(phrase).search(title):
            total += TITLE_WEIGHT
        else:
            hits = len(phrase_pattern(phrase).findall(abstract))
            total += (1 + (hits >= 3)) if hits else 0
    total += sum(TITLE_WEIGHT for p in tag.rules.title_keywords
                 if phrase_pattern(p).search(title))
    return total


@pytest.mark.slow
def test_prefilter_never_changes_a_score():
    """The fast substring pre-filter only skips phrases that cannot match."""
    from generator.archive import load_archive
    from generator.tagging import score_tag
    from tests.conftest import ARCHIVE

    archive, _ = load_archive(ARCHIVE)
    texts = [(p.title, p.abstract) for p in archive.papers[::3]]
    # Characters that case-insensitive regexes fold differently from str.lower().
    texts += [("ſingle-ſtep Dıffusıon İmage ＴＲＡＮＳＦＯＲＭＥＲ", "KELVIN \u212aernel ſpeech"),
              ("", ""), ("TIME-SERIES forecasting", "Time\u00a0series and LLMs, LLMs, LLMs"),
              ("image-image images", "imageimage image image-based, pre-image; diffusion"
               "-diffusion diffusion diffusion models model-based time series series")]
    for tag in archive.vocabulary.tags:
        for title, abstract in texts:
            assert score_tag(tag, title, abstract).score == \
                _reference_score(tag, title, abstract), (tag.id, title)


def test_fold_covers_every_character_regex_matches_to_an_ascii_letter():
    """Brute force over Unicode: the pre-filter's folding knows every such character."""
    import re

    from generator.tagging import fold

    any_letter = re.compile("[a-z]", re.IGNORECASE)
    found = 0
    for code in range(0x80, 0x110000):
        char = chr(code)
        if any_letter.fullmatch(char):
            found += 1
            letter = next(a for a in "abcdefghijklmnopqrstuvwxyz"
                          if re.fullmatch(a, char, re.IGNORECASE))
            assert letter in fold(char), (hex(code), letter)
    assert found >= 4  # İ, ı, ſ and the Kelvin sign today
