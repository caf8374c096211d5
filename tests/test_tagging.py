"""Tag rules: word matching, negations, scoring and the choice of tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
from generator.layout import Layout
from generator.model import Tag, TagRules, Vocabulary
from generator.tagging import (
    BROAD_FALLBACK_DROP,
    BROAD_MIN_SCORE,
    FALLBACK_DROP,
    FALLBACK_FLOOR,
    MANY_MENTIONS,
    SECOND_FALLBACK_FLOOR,
    SECOND_FILL_SHARE,
    TITLE_HINT,
    TITLE_WEIGHT,
    PhraseError,
    compile_phrase,
    explain,
    find,
    out_of_context,
    phrase_problems,
    score_paper,
    score_tag,
    suggest_tags,
    tokens,
)
from generator.tagpolicy import Policy, load_policy
from generator.vocabulary import load_vocabulary
from tests.conftest import ARCHIVE

CASES = yamlio.load_strict(Path(__file__).parent / "cases" / "tag_rules.yml").data["cases"]
POLICY = Policy(min_tags=2, max_tags=6, min_papers_per_tag=3, max_tag_share=0.35,
                share_from_papers=50, rare_from_papers=1000)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    vocab, problems = load_vocabulary(Layout(ARCHIVE))
    assert problems == []
    return vocab


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_cases(case: dict, vocabulary: Vocabulary) -> None:
    tags = suggest_tags(case["title"], case["abstract"], vocabulary, load_policy(ARCHIVE))
    for tag in case["has"]:
        assert tag in tags, f"{tag} missing from {tags}"
    for tag in case["lacks"]:
        assert tag not in tags, f"{tag} wrongly in {tags}"


@pytest.mark.parametrize(("phrase", "text", "hit"), [
    ("retrieval", "Retrieval-Augmented Generation", True),
    ("dataset", "New Datasets", True),
    ("LLM", "LLMs are large", True),
    ("query", "many queries", True),
    ("time series", "Time-Series models", True),
    ("time-series", "time series models", True),
    ("forecast*", "we forecasted it", True),
    ("naïve bayes", "Naive Bayes", True),
    ("graph", "subgraphs", False),
    ("image generation", "image, generation", False),
    ("image generation", "image. Generation", False),
    ("distillation", "Distillation-Free sampling", False),
    ("fine-tuning", "training without fine-tuning", False),
    ("fine-tuning", "training without any fine-tuning", False),
    ("fine-tuning", "a model w/o fine-tuning", False),
    ("autoregressive", "a non-autoregressive decoder", False),
    ("guidance", "classifier-free guidance", True),
    ("classifier", "classifier-free guidance", False),
])
def test_phrase_matching(phrase: str, text: str, hit: bool) -> None:
    assert bool(find(phrase, tokens(text))) is hit


@pytest.mark.parametrize("phrase", ["", "  - ", "foo*bar", "*", "(x)", "code, data"])
def test_bad_phrases_are_refused(phrase: str) -> None:
    with pytest.raises(PhraseError):
        compile_phrase(phrase)


def _tag(tag_id: str, **rules) -> Tag:
    return Tag(tag_id, tag_id.title(), "A tag used by the scoring tests.", "G", TagRules(**rules))


def test_title_weighs_more_than_abstract() -> None:
    tag = _tag("t", keywords=("boat",))
    assert score_tag(tag, "Boat design", "").score == TITLE_WEIGHT
    assert score_tag(tag, "Design", "a boat").score == 1
    assert score_tag(tag, "Design", "boats, boats and a boat").score == 2  # repeats: +1 at most


def test_a_topic_the_abstract_keeps_naming_scores_one_more() -> None:
    tag = _tag("t", keywords=("boat",))
    assert MANY_MENTIONS == 5
    assert score_tag(tag, "Design", "boat. " * 4).score == 2
    assert score_tag(tag, "Design", "boat. " * 5).score == 3
    assert score_tag(tag, "Design", "boat. " * 9).score == 3  # once, not per mention


def test_title_keywords_are_a_hint_and_ignore_the_abstract() -> None:
    tag = _tag("t", title_keywords=("boat",))
    assert score_tag(tag, "Design", "boat boat boat").score == 0
    assert score_tag(tag, "Boat design", "").score == TITLE_HINT < TITLE_WEIGHT


def test_each_word_counts_once_per_tag() -> None:
    """Overlapping variants of one phrase do not inflate a score: the longest claims it."""
    tag = _tag("t", keywords=("distillation", "knowledge distillation", "distill*"))
    score = score_tag(tag, "", "We use knowledge distillation.")
    assert score.score == 1
    assert score.matched == ("knowledge distillation",)


def test_exclude_takes_misleading_words_out_for_that_tag_only() -> None:
    tag = _tag("opt", keywords=("step size",), exclude=("step size of the grid",))
    other = _tag("grid", keywords=("step size",))
    text = "the step size of the grid is fixed"
    assert score_tag(tag, "", text).score == 0
    assert score_tag(other, "", text).score == 1
    assert score_tag(tag, "", "we tune the step size").score == 1


def test_min_score_order_and_the_policy_cap() -> None:
    tags = tuple(_tag(f"t{i}", keywords=(f"word{i}",), min_score=4) for i in range(8))
    vocab = Vocabulary(("G",), tags)
    title = " ".join(f"word{i}" for i in reversed(range(8)))
    chosen = suggest_tags(f"{title} end", " ".join(f"word{i}" for i in range(8)), vocab, POLICY)
    assert len(chosen) == POLICY.max_tags
    assert list(chosen) == sorted(chosen, key=lambda t: int(t[1:]))
    assert suggest_tags("nothing", "word1 here", vocab, POLICY) == ()  # 1 point, 4 needed


def test_tags_below_their_threshold_fill_up_to_the_minimum_only_with_abstract_evidence(
) -> None:
    vocab = Vocabulary(("G",), (_tag("a", keywords=("apple",), min_score=3),
                                _tag("b", keywords=("banana",), min_score=3),
                                _tag("c", keywords=("cherry",), min_score=4),
                                _tag("d", title_keywords=("pie",), min_score=3)))
    assert FALLBACK_DROP == 2
    text = "an apple pie with banana, and one cherry, banana"
    chosen = {s.tag for s, ok, _ in explain("Apple pie", text, vocab, POLICY) if ok}
    assert chosen == {"a", "b"}  # b: 2 points, 1 below its 3; d: title only
    assert suggest_tags("Apple pie", "an apple pie and one cherry", vocab, POLICY) == ("a",)


def test_a_single_mention_gives_a_first_tag_but_never_a_second() -> None:
    """One word in the abstract (score 1) is too little for a second topic."""
    vocab = Vocabulary(("G",), (_tag("a", keywords=("apple",), min_score=3),
                                _tag("b", keywords=("banana",), min_score=3)))
    assert FALLBACK_FLOOR == 1 and SECOND_FALLBACK_FLOOR == 2
    assert suggest_tags("Apple pie", "an apple pie with one banana", vocab, POLICY) == ("a",)
    assert suggest_tags("Pie", "a pie with one banana", vocab, POLICY) == ("b",)
    shown = {s.tag: (ok, note) for s, ok, note in
             explain("Apple pie", "an apple pie with one banana", vocab, POLICY)}
    assert shown == {"a": (True, ""), "b": (False, "one mention: not a second tag")}


def test_a_fill_in_far_weaker_than_the_first_tag_is_not_a_second_tag() -> None:
    """Two passing words next to a topic the title and the whole abstract name."""
    vocab = Vocabulary(("G",), (_tag("a", keywords=("apple", "pie", "tart"), min_score=3),
                                _tag("b", keywords=("banana",), min_score=3)))
    assert SECOND_FILL_SHARE == 0.3
    strong = "an apple pie, a tart, apple and pie and tart, apple; and banana, banana"
    shown = {s.tag: (s.score, ok, note) for s, ok, note in
             explain("Apple pie", strong, vocab, POLICY)}
    # a: 3 (title) + 3 phrases + 1 repeat + 1 (many) = 8; b: 2 < 0.3 * 8
    assert shown == {"a": (8, True, ""),
                     "b": (2, False, "weak next to a: not a second tag")}
    weaker = "an apple pie; and banana, banana"  # a: 3 + 2 + 0 = 5; b: 2 >= 0.3 * 5
    assert suggest_tags("Apple pie", weaker, vocab, POLICY) == ("a", "b")


def test_a_broad_tag_fills_in_only_close_to_its_threshold() -> None:
    """A tag with a high threshold (broad by design) must not fill in on passing mentions."""
    assert BROAD_MIN_SCORE == 4 and BROAD_FALLBACK_DROP == 1
    vocab = Vocabulary(("G",), (_tag("a", keywords=("apple",), min_score=3),
                                _tag("broad", keywords=("fruit", "food"), min_score=4)))
    assert suggest_tags("Apple pie", "apple with fruit and food", vocab, POLICY) == ("a",)
    assert suggest_tags("Apple pie", "apple with fruit and food, fruit", vocab,
                        POLICY) == ("a", "broad")  # 3 points: one below its 4


def test_a_broad_tag_yields_to_a_narrower_one_and_says_so() -> None:
    vocab = Vocabulary(("G",), (
        _tag("broad", keywords=("model",), min_score=2, yields_to=("narrow",)),
        _tag("narrow", keywords=("reasoning",), min_score=2),
        _tag("other", keywords=("tables",), min_score=2)))
    title, text = "Model reasoning", "model reasoning on tables and more tables"
    shown = {s.tag: (ok, note) for s, ok, note in explain(title, text, vocab, POLICY)}
    assert shown == {"broad": (False, "yields to narrow"), "narrow": (True, ""),
                     "other": (True, "")}
    # without the narrower tag the broad one stays
    assert suggest_tags("Model tables", "model of tables and tables", vocab,
                        POLICY) == ("broad", "other")


def _one_tag_problems(tmp_path: Path, rules: str) -> list[tuple[int, str, str]]:
    """Line, field and message of each problem of a one-tag vocabulary.

    ``rules`` is the tag's ``rules:`` block; its lines start at line 12.
    """
    (tmp_path / "tags.yml").write_text(
        'groups:\n  - name: "G"\n    description: "A group for the test."\n'
        'tags:\n'
        '  - id: "a"\n    name: "A"\n    description: "A tag used by the vocabulary test."\n'
        '    group: "G"\n    aliases: []\n    rules:\n' + rules, encoding="utf-8")
    _, problems = load_vocabulary(Layout(tmp_path))
    return [(p.line, p.field, p.message) for p in problems]


def test_yields_to_names_tag_ids_of_the_vocabulary(tmp_path: Path) -> None:
    found = _one_tag_problems(tmp_path, '      keywords: ["apple"]\n'
                                        '      yields_to: ["a", "nope"]\n')
    assert found == [(12, "tags.0.rules.yields_to.0", "'a': a tag cannot yield to itself"),
                     (12, "tags.0.rules.yields_to.1",
                      "'nope' is not a tag id of this vocabulary")]


def test_an_exclusion_inside_the_tags_own_phrase_is_refused(tmp_path: Path) -> None:
    """``experts'`` is the word ``expert``: it would take out every "mixture of experts"."""
    found = _one_tag_problems(tmp_path, '      keywords: ["mixture of experts"]\n'
                                        '      exclude: ["human experts", "experts\'"]\n')
    assert found == [(12, "tags.0.rules.exclude.1",
                      "phrase \"experts'\" takes out every match of the tag's own phrase "
                      "'mixture of experts'")]


@pytest.mark.slow
def test_the_word_index_finds_what_scoring_every_tag_finds(vocabulary: Vocabulary) -> None:
    """score_paper looks phrases up by first word; it must agree with scoring each tag."""
    from generator.archive import load_archive

    archive, _ = load_archive(ARCHIVE)
    for paper in archive.papers[:80]:
        fast = {s.tag: s.score for s in score_paper(paper.title, paper.abstract, vocabulary)}
        plain = {t.id: score_tag(t, paper.title, paper.abstract).score
                 for t in vocabulary.tags}
        assert fast == {k: v for k, v in plain.items() if v}, paper.id


def test_hostile_text_is_just_text(vocabulary: Vocabulary) -> None:
    """No regular expression runs on record text, so repetition cannot make it backtrack."""
    text = ("a-" * 20000) + "retrieval " * 500 + "(" * 1000
    tags = suggest_tags("x" * 5000, text, vocabulary, POLICY)
    assert len(tags) <= POLICY.max_tags


def _gated(context: tuple[str, ...]) -> Vocabulary:
    tag = Tag("medical-imaging", "Medical imaging", "d", "g",
              TagRules(keywords=("X-ray", "CT"), context=context, min_score=2))
    return Vocabulary((), (tag, Tag("other", "Other", "d", "g", TagRules(keywords=("x-ray",)))))


@pytest.mark.parametrize(("title", "abstract", "blocked"), [
    ("Medical X-ray triage", "A CT and X-ray model.", False),        # single word, in title
    ("X-ray scans", "Read by radiologists in a study.", False),      # prefix radiolog*
    ("X-ray scans", "We use magnetic resonance too.", False),        # phrase of two words
    ("X-ray scans", "Trained without clinical data.", False),        # negated still counts
    ("X-ray baggage screening", "CT of luggage at airports.", True),
])
def test_a_tag_out_of_its_context_is_no_candidate(title: str, abstract: str,
                                                   blocked: bool) -> None:
    """One context phrase anywhere, negated or not, lets the tag in; none keeps it out."""
    vocab = _gated(("medical", "clinical", "radiolog*", "magnetic resonance"))
    tags = {s.tag for s in score_paper(title, abstract, vocab)}
    assert ("medical-imaging" not in tags) is blocked
    assert "other" in tags  # a tag without context is never stopped
    assert (out_of_context(tokens(title), tokens(abstract), vocab)
            == ({"medical-imaging"} if blocked else set()))


def test_explain_says_which_tag_was_out_of_context() -> None:
    vocab = _gated(("medical",))
    rows = explain("X-ray baggage screening", "CT of luggage.", vocab, POLICY)
    note = {s.tag: (chosen, n) for s, chosen, n in rows}["medical-imaging"]
    assert note == (False, "out of context: no word such as 'medical'")


def test_a_context_phrase_that_cannot_match_is_a_problem() -> None:
    tag = Tag("t", "T", "d", "g", TagRules(keywords=("a",), context=("ok", "bad.phrase")))
    assert [(f, i) for f, i, _ in phrase_problems(tag)] == [("context", 1)]
