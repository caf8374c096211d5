"""The learned tag layer: trained from the committed judgements, deterministic, explainable."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from generator.cli import main
from generator.layout import Layout
from generator.model import JudgedPaper, Vocabulary
from generator.tagging import Score, score_paper, tokens
from generator.tagging import suggest_tags as rule_tags
from generator.tagmodel import (
    RARE_POSITIVES,
    SECOND_THRESHOLD,
    THRESHOLD,
    TagModel,
    TextClassifier,
    explain,
    explain_with,
    fit,
    model_for,
    suggest_tags,
)
from generator.tagpolicy import Policy, load_policy
from generator.vocabulary import load_training, load_vocabulary
from tests.conftest import ARCHIVE

#: A slice of the judged papers: enough to learn from, quick to train on.
SLICE = 300


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    loaded, problems = load_vocabulary(Layout(ARCHIVE))
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(ARCHIVE)


@pytest.fixture(scope="module")
def small(vocabulary: Vocabulary) -> Vocabulary:
    return replace(vocabulary, training=tuple(sorted(vocabulary.training,
                                                     key=lambda p: p.key)[:SLICE]))


def test_the_committed_judgements_load_and_train_the_tools(vocabulary: Vocabulary,
                                                           policy: Policy) -> None:
    """Every judged paper is read; the tools' suggestions go through the model."""
    assert len(vocabulary.training) >= 1500
    assert model_for(vocabulary, policy) is not None
    assert model_for(replace(vocabulary, training=()), policy) is None


def test_training_ignores_the_file_order(small: Vocabulary, policy: Policy) -> None:
    """Same judgements in another order: the same weights, bit for bit."""
    a = TagModel(small, small.training, policy)
    b = TagModel(small, tuple(reversed(small.training)), policy)
    assert np.array_equal(a.weights, b.weights)
    for part in ("weights", "bias", "train_scores"):
        assert np.array_equal(getattr(a.space.classifier, part),
                              getattr(b.space.classifier, part))


def test_the_choice_follows_the_thresholds_and_the_policy(vocabulary: Vocabulary,
                                                           small: Vocabulary,
                                                           policy: Policy) -> None:
    model = TagModel(small, small.training, policy)
    unseen = sorted(vocabulary.training, key=lambda p: p.key)[SLICE:SLICE + 80]
    assert not set(unseen) & set(small.training)
    for paper in unseen:
        ranked = model.rank(paper.title, paper.abstract)
        picked = model.choose(ranked)
        probabilities = [r.probability for r in ranked]
        assert probabilities == sorted(probabilities, reverse=True)
        rules = {s.tag for s in score_paper(paper.title, paper.abstract, small)}
        # The rules' candidates, and at most ADD_MAX the text classifier added (no hits).
        assert rules <= {r.score.tag for r in ranked}
        extra = [r for r in ranked if r.score.tag not in rules]
        assert len(extra) <= model.options.add_max
        assert all(not r.score.hits and r.score.score == 0 for r in extra)
        if not ranked:
            assert picked == []
            continue
        assert 1 <= len(picked) <= policy.max_tags
        # A parent the closure brought sits right after its child; the rest keep their order.
        _, brought = model.choose_why(ranked)
        # (a parent picked on its own evidence also moves to just after its child)
        moved = {small.parents().get(r.score.tag) for r in picked}
        own = [r for r in picked if r.score.tag not in brought and r.score.tag not in moved]
        assert own == [r for r in ranked if r in own]  # most likely first
        tags = {r.score.tag for r in picked}
        assert all(brought[t] in tags and small.parents()[brought[t]] == t for t in brought)
        assert all(small.parents().get(t, t) in tags for t in tags)  # closed under parents
        rules = set(rule_tags(paper.title, paper.abstract, small, policy))
        for k, r in enumerate(own):
            assert (r.probability >= THRESHOLD or k == 0
                    or (k == 1 and r.probability >= SECOND_THRESHOLD)
                    or (r.score.tag in model.rare and r.score.tag in rules))
        # Probabilities are rounded before they are compared (no float noise decides).
        assert all(round(p, 3) == p for p in probabilities)


def test_a_rare_tag_the_rules_choose_is_kept(vocabulary: Vocabulary, small: Vocabulary,
                                            policy: Policy) -> None:
    """A tag with too few judged papers to learn from keeps the rules' decision."""
    model = TagModel(small, small.training, policy)
    judged = {t.id: sum(t.id in p.tags for p in small.training) for t in small.tags}
    assert model.rare == {t for t, n in judged.items() if n < RARE_POSITIVES}
    kept = 0
    for paper in sorted(vocabulary.training, key=lambda p: p.key)[SLICE:SLICE + 400]:
        ranked = model.rank(paper.title, paper.abstract)
        rules = set(rule_tags(paper.title, paper.abstract, small, policy))
        picked = {r.score.tag for r in model.choose(ranked)}
        for r in ranked:
            if r.score.tag in model.rare and r.score.tag in rules and len(picked) < policy.max_tags:
                assert r.score.tag in picked
                kept += r.probability < THRESHOLD
    assert kept > 0  # the case happens: the model alone would have dropped them


def test_the_rare_tag_fallback_does_not_depend_on_the_candidates_order(
        vocabulary: Vocabulary, small: Vocabulary, policy: Policy) -> None:
    """The rules' decision behind the fallback is the paper's own, whatever the list order.

    Reversing the candidate list (the rules' choice over it would then differ) must keep
    the same rare tags: each candidate carries the rules' decision made in score order.
    """
    model = TagModel(small, small.training, policy)
    seen = 0
    for paper in sorted(vocabulary.training, key=lambda p: p.key)[SLICE:SLICE + 400]:
        ranked = model.rank(paper.title, paper.abstract)
        rules = set(rule_tags(paper.title, paper.abstract, small, policy))
        # A parent the rules' closure brought without a phrase of its own is no candidate.
        assert {r.score.tag for r in ranked if r.by_rules} == rules & {r.score.tag
                                                                     for r in ranked}
        expected = rules & model.rare
        if not expected or len(ranked) > policy.max_tags:
            continue  # with more candidates than room, the order decides by design
        seen += 1
        for order in (ranked, ranked[::-1]):
            picked = {r.score.tag for r in model.choose(order)}
            assert expected <= picked
    assert seen > 0


def test_explain_shows_the_rule_evidence_and_the_model_score(small: Vocabulary,
                                                            policy: Policy) -> None:
    paper = small.training[0]
    shown = explain(paper.title, paper.abstract, small, policy)
    chosen = {tag for s, c, _ in shown for tag in [s.tag] if c}
    assert chosen == set(suggest_tags(paper.title, paper.abstract, small, policy))
    for score, _, note in shown:
        if note.startswith("out of context"):
            continue
        assert note.startswith("model 0.") or note.startswith("model 1.")
        assert "; text " in note
        assert score.hits or " from '" in note  # the words behind the candidate


def test_without_judgements_the_rules_alone_choose(vocabulary: Vocabulary,
                                                   policy: Policy) -> None:
    bare = replace(vocabulary, training=())
    title = "Retrieval-Augmented Generation for Open-Domain Question Answering"
    abstract = "We study retrieval-augmented generation with large language models."
    assert suggest_tags(title, abstract, bare, policy) == rule_tags(title, abstract, bare,
                                                                    policy)


def test_fit_learns_a_separable_signal() -> None:
    x = np.array([[1.0, v] for v in (-2.0, -1.0, -0.5, 0.5, 1.0, 2.0)])
    y = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    w = fit(x, y)
    assert w[1] > 0 and np.all((x @ w > 0) == (y == 1))


@pytest.mark.parametrize(("before", "after", "field", "message"), [
    ('tags: ["agents"]', 'tags: ["agentz"]', "papers.0.tags.0", "'agentz' is not a tag id"),
    ('split: "tuning"', 'split: "Tuning!"', "papers.0.split", "does not match"),
])
def test_a_bad_judgement_is_a_located_problem(tmp_path: Path, before: str, after: str,
                                              field: str, message: str) -> None:
    root = tmp_path / "archive"
    (root / "schema").mkdir(parents=True)
    shutil.copy(ARCHIVE / "schema" / "tag-training.schema.json", root / "schema")
    text = ('papers:\n  - key: "arxiv:1"\n    source: "hf"\n    split: "tuning"\n'
            '    title: "T"\n    abstract: "A"\n    tags: ["agents"]\n')
    (root / "tag_training.yml").write_text(text.replace(before, after), encoding="utf-8")
    papers, problems = load_training(Layout(root), {"agents"})
    assert papers == ()
    assert [p.field for p in problems] == [field]
    assert problems[0].path.endswith("tag_training.yml")
    assert message in problems[0].message
    assert problems[0].line > 1


def test_a_key_judged_twice_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    entry = ('  - key: "arxiv:1"\n    source: "hf"\n    split: "tuning"\n'
             '    title: "T"\n    abstract: "A"\n    tags: []\n')
    (root / "tag_training.yml").write_text("papers:\n" + entry * 2, encoding="utf-8")
    papers, problems = load_training(Layout(root), set())
    assert papers == () and [p.field for p in problems] == ["papers.1.key"]


def test_tags_suggest_shows_the_model_score_next_to_the_rule_evidence(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Each candidate line carries the rules' score, phrases and the model's probability.

    On the committed archive, read only (no ``--apply``).
    """
    paper = "dirichlet-flow-matching-with-applications-to-dna-sequence"
    assert main(["tags", "suggest", "--paper", paper, "--root", str(ARCHIVE)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    assert lines and all("(model " in line for line in lines)
    chosen = [line for line in lines if line.startswith("  +")]
    assert chosen and all("title:" in line or "abstract:" in line or " from '" in line
                          for line in chosen)


def _judged(key: str, title: str, abstract: str, *tags: str) -> JudgedPaper:
    return JudgedPaper(key=key, source="hf", split="tuning", title=title, abstract=abstract,
                       tags=tags)


#: A tiny judged set: robot papers in words no rule phrase of the robotics tag names
#: ("gripper", "actuator", "fingertip"), and papers of two other topics.
TINY = [
    _judged(f"arxiv:{n}", f"{kind} study {n}", text, tag)
    for n, (kind, text, tag) in enumerate([
        ("Gripper", "A soft gripper with a fingertip actuator holds cups.", "robotics"),
        ("Actuator", "Each actuator moves one fingertip; the gripper closes on contact.",
         "robotics"),
        ("Fingertip", "Fingertip sensing for a two-finger gripper and its actuator.", "robotics"),
        ("Gripper", "A gripper actuator folds deformable cloth.", "robotics"),
        ("Translation", "We translate sentences between languages with a language model.",
         "language-models"),
        ("Translation", "Machine translation of low-resource languages by a language model.",
         "language-models"),
        ("Segmentation", "We segment organs in CT scans of patients.", "medical-imaging"),
        ("Segmentation", "Tumour segmentation in MRI scans of patients.", "medical-imaging"),
    ])]
PROBE = ("Gripper actuator", "A fingertip actuator lets the gripper close softly.")


def test_the_text_classifier_trains_on_a_tiny_judged_set(vocabulary: Vocabulary,
                                                        policy: Policy) -> None:
    """Eight judged papers: the robot words score the robotics tag on an unseen paper."""
    tiny = replace(vocabulary, training=tuple(TINY))
    model = TagModel(tiny, tiny.training, policy)
    row = model.space.tag_row
    text = model.space.read(tokens(PROBE[0]), tokens(PROBE[1]))[1]
    assert text[row["robotics"]] > 0.5
    assert text[row["robotics"]] > 2 * max(text[row["medical-imaging"]],
                                           text[row["language-models"]])


def test_leave_one_out_scores_are_those_of_a_classifier_trained_without_the_paper() -> None:
    """The stacked model learns from scores on papers the classifier never saw."""
    rng = np.random.default_rng(3)
    vectors = rng.random((12, 9)) * (rng.random((12, 9)) < 0.4)
    labels = (rng.random((12, 2)) < 0.5).astype(float)
    rows = [(np.flatnonzero(v), v[np.flatnonzero(v)]) for v in vectors]
    full = TextClassifier(rows, 9, labels, l2=0.7)
    for i in range(12):
        rest = [k for k in range(12) if k != i]
        without = TextClassifier([rows[k] for k in rest], 9, labels[rest], l2=0.7)
        assert np.allclose(without.scores(*rows[i]), full.train_scores[i])


def test_an_added_candidate_is_explained_by_the_words_behind_it(vocabulary: Vocabulary,
                                                               policy: Policy) -> None:
    """A tag no rule phrase names, added by the classifier, shows the words that added it."""
    tiny = replace(vocabulary, training=tuple(TINY))
    assert "robotics" not in {s.tag for s in score_paper(*PROBE, tiny)}
    model = TagModel(tiny, tiny.training, policy)
    ranked = model.rank(*PROBE)
    assert [r.score for r in ranked if r.score.tag == "robotics"] == [Score("robotics", 0)]
    note = next(n for s, _, n in explain_with(model, *PROBE) if s.tag == "robotics")
    words = note.split(" from ", 1)[1]
    assert {"'gripper'", "'actuator'", "'fingertip'"} & {w.split(" +")[0]
                                                        for w in words.split(", ")}


#: arXiv 2503.17117: the text classifier read "imaging" as Medical imaging (0.74) and
#: the committed model chose it, with Healthcare, for an astronomy paper.
EXOPLANETS = ("A New Statistical Model of Star Speckles for Learning to Detect and "
              "Characterize Exoplanets in Direct Imaging Observations",
              "The search for exoplanets is an active field in astronomy, with direct imaging "
              "as one of the most challenging methods due to faint exoplanet signals buried "
              "within stronger residual starlight. This paper presents a novel statistical "
              "model that captures nuisance fluctuations using a multi-scale approach. Our "
              "model integrates into an interpretable, end-to-end learnable framework for "
              "simultaneous exoplanet detection and flux estimation, evaluated on datasets "
              "from the SPHERE instrument at the Very Large Telescope.")


def test_the_model_never_chooses_a_tag_out_of_its_context(vocabulary: Vocabulary,
                                                          policy: Policy) -> None:
    """Neither a rule candidate nor one the text classifier adds passes a failed context."""
    tags = suggest_tags(*EXOPLANETS, vocabulary, policy)
    assert tags and not {"medical-imaging", "healthcare"} & set(tags)
    ungated = replace(vocabulary, tags=tuple(
        replace(t, rules=replace(t.rules, context=())) for t in vocabulary.tags))
    assert "medical-imaging" in suggest_tags(*EXOPLANETS, ungated, policy)
