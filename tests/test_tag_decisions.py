"""The decision variants that benchmarks/tag_model_cv.py compares (--decisions)."""

from __future__ import annotations

from types import SimpleNamespace

from benchmarks.tag_decisions import PairStats, expected_f, paired, thresholds
from generator.model import JudgedPaper
from generator.tagging import Score
from generator.tagmodel import Ranked
from generator.tagpolicy import Policy, load_policy
from tests.conftest import ARCHIVE


def _paper(key: str, tags: tuple[str, ...]) -> JudgedPaper:
    return JudgedPaper(key=key, source="hf", split="train-6", title="t", abstract="a", tags=tags)


def _ranked(*pairs: tuple[str, float], rules: tuple[str, ...] = ()) -> list[Ranked]:
    return [Ranked(Score(tag, 3), p, tag in rules) for tag, p in pairs]


def _model(rare: frozenset[str] = frozenset()) -> SimpleNamespace:
    policy: Policy = load_policy(ARCHIVE)
    return SimpleNamespace(rare=rare, policy=policy)


def test_pair_counts_only_count_what_the_rules_offered() -> None:
    papers = [_paper("a", ("x", "y")), _paper("b", ("x",)), _paper("c", ("y",))]
    candidates = {"a": ["x", "y"], "b": ["x", "y"], "c": ["y", "z"]}
    stats = PairStats.of(papers, candidates)
    assert stats.offered["x", "y"] == 2 and stats.together["x", "y"] == 1
    assert stats.offered["y", "z"] == 1 and stats.together["y", "z"] == 0
    assert stats.missed == 0.0  # every judged topic was a candidate
    assert stats.never("y", "z", at_least=1) and not stats.never("x", "y", at_least=1)
    assert stats.conditional("x", "y", prior=0.9, weight=0) == 0.5
    assert 0.5 < stats.conditional("x", "y", prior=0.9, weight=2) < 0.9  # shrunk to prior


def test_expected_f_takes_the_likely_tags_and_stops_where_the_next_costs_more() -> None:
    model = _model()
    ranked = _ranked(("a", 0.95), ("b", 0.9), ("c", 0.1), ("d", 0.05))
    assert [r.score.tag for r in expected_f(ranked, model, 1.0, 0.0)] == ["a", "b"]
    # weighing precision more (beta < 1) never gives more tags
    assert len(expected_f(ranked, model, 0.5, 0.0)) <= 2
    assert [r.score.tag for r in expected_f(_ranked(("a", 0.2)), model, 1.0, 0.0)] == ["a"]


def test_a_rare_tag_the_rules_chose_survives_every_variant() -> None:
    model = _model(frozenset({"r"}))
    ranked = _ranked(("a", 0.9), ("b", 0.2), ("r", 0.1), rules=("r",))
    stats = PairStats.of([], {})
    for picked in (expected_f(ranked, model, 1.0, 0.0), thresholds(ranked, model, 0.5, 0.3),
                   paired(ranked, model, stats, 0.3, 5, 1)):
        assert "r" in {p.score.tag for p in picked}
