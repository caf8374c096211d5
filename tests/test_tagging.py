"""Rule matching: phrase syntax, scoring and the case table in tests/cases/tag_rules.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
from generator.records import Layout, Tag, TagRules, Vocabulary, load_vocabulary
from generator.tagging import (
    MAX_TAGS,
    TITLE_WEIGHT,
    PhraseError,
    phrase_pattern,
    score_tag,
    suggest_tags,
)
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
