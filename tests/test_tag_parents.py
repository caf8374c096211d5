"""Narrower tags (``parent`` in tags.yml): checked on load, closed by every tagger and judge.

A paper with a narrower tag always has its parent: the vocabulary refuses links that
cannot stand, the rules and the learned layer return closed sets within the policy's
maximum, judged data counts the parent as judged, and ``validate`` / ``tags`` say so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.tag_eval import load_judgements
from generator import tagcmd
from generator.archive import load_archive
from generator.cli import main
from generator.layout import Layout
from generator.model import Paper, Tag, TagRules, Vocabulary, close_under_parents
from generator.records import paper_to_yaml
from generator.tagging import choose, explain, score_paper, suggest_tags, with_parents
from generator.tagpolicy import Policy, load_policy
from generator.vocabulary import load_vocabulary
from tests.conftest import ARCHIVE

POLICY = Policy(min_tags=2, max_tags=6, min_papers_per_tag=3, max_tag_share=0.35,
                share_from_papers=50, rare_from_papers=1000)


def _tag(tag_id: str, words: tuple[str, ...], parent: str = "", min_score: int = 2) -> Tag:
    return Tag(tag_id, tag_id.title(), f"The {tag_id} tag of the test.", "G",
               TagRules(keywords=words, min_score=min_score), parent=parent)


VOCAB = Vocabulary(("G",), (
    _tag("efficiency", ("efficient inference",), min_score=4),
    _tag("quantization", ("quantization", "low-bit"), parent="efficiency"),
    _tag("pruning", ("pruning",), parent="efficiency"),
    _tag("healthcare", ("clinical",), min_score=4),
    _tag("imaging", ("radiology",), parent="healthcare"),
    _tag("alpha", ("alpha",)), _tag("beta", ("beta",)), _tag("gamma", ("gamma",)),
    _tag("delta", ("delta",)), _tag("epsilon", ("epsilon",)),
))


# ------------------------------------------------------------------ the one closure

def test_close_under_parents_adds_each_parent_once_after_its_child() -> None:
    parents = {"quantization": "efficiency", "pruning": "efficiency"}
    assert close_under_parents(["quantization", "pruning", "alpha"], parents) == (
        "quantization", "efficiency", "pruning", "alpha")
    assert close_under_parents(["efficiency", "quantization"], parents) == (
        "efficiency", "quantization")
    assert VOCAB.children() == {"efficiency": ("quantization", "pruning"),
                                "healthcare": ("imaging",)}


# ------------------------------------------------------------------ loading tags.yml

def _vocabulary_problems(tmp_path: Path, extra: dict[str, str],
                         rules: dict[str, str] | None = None) -> list[tuple[int, str, str]]:
    """Line, field and message of each problem of a three-tag vocabulary.

    Tags ``a``, ``b`` (former id ``old-b``) and ``c``; ``extra`` adds lines after a tag's
    ``group`` line, ``rules`` after its ``keywords`` line.
    """
    text = 'groups:\n  - name: "G"\n    description: "A group for the test."\ntags:\n'
    for tag_id, aliases in (("a", "[]"), ("b", '["old-b"]'), ("c", "[]")):
        text += (f'  - id: "{tag_id}"\n    name: "{tag_id.upper()}"\n'
                 f'    description: "A tag used by the vocabulary test."\n    group: "G"\n'
                 + extra.get(tag_id, "")
                 + f'    aliases: {aliases}\n    rules:\n      keywords: ["{tag_id}x"]\n'
                 + (rules or {}).get(tag_id, ""))
    (tmp_path / "tags.yml").write_text(text, encoding="utf-8")
    _, problems = load_vocabulary(Layout(tmp_path))
    return [(p.line, p.field, p.message) for p in problems]


def test_a_parent_must_be_another_known_tag(tmp_path: Path) -> None:
    assert _vocabulary_problems(tmp_path, {"a": '    parent: "nope"\n',
                                           "c": '    parent: "c"\n'}) == [
        (9, "tags.0.parent", "'nope' is not a tag id of this vocabulary"),
        (24, "tags.2.parent", "'c': a tag cannot be a narrower topic of itself")]


def test_a_parent_named_by_its_old_id_is_the_current_tag(tmp_path: Path) -> None:
    assert _vocabulary_problems(tmp_path, {"a": '    parent: "old-b"\n'}) == []
    vocabulary, _ = load_vocabulary(Layout(tmp_path))
    assert vocabulary.parents() == {"a": "b"}


def test_one_level_only_a_parent_has_no_parent(tmp_path: Path) -> None:
    # b already has a narrower tag (a); giving b a parent too makes a chain: one error, at
    # b's own parent line, and that link is dropped so a's records stay valid.
    found = _vocabulary_problems(tmp_path, {"a": '    parent: "b"\n', "b": '    parent: "c"\n'})
    assert found == [(17, "tags.1.parent", "this tag has narrower tags ('a'), so it cannot "
                                           "be a narrower topic of 'c' (one level only)")]
    vocabulary, _ = load_vocabulary(Layout(tmp_path))
    assert vocabulary.parents() == {"a": "b"}  # the broken link is dropped, not followed


def test_a_parent_yielding_to_its_own_narrower_tag_is_reported(tmp_path: Path) -> None:
    found = _vocabulary_problems(tmp_path, {"a": '    parent: "b"\n'},
                                 {"b": '      yields_to: ["c", "a"]\n'})
    assert found == [(20, "tags.1.rules.yields_to.1",
                      "'a' is a narrower topic of this tag, so a paper with it always has "
                      "this tag too: drop this entry")]


def test_a_narrower_tag_yielding_to_its_own_parent_is_reported(tmp_path: Path) -> None:
    found = _vocabulary_problems(tmp_path, {"a": '    parent: "b"\n'},
                                 {"a": '      yields_to: ["old-b"]\n'})
    assert [(field, message) for _, field, message in found] == [
        ("tags.0.rules.yields_to.0", "'old-b' is this tag's parent, which a paper with this "
         "tag always has, so the tag would never be kept: drop this entry")]


def test_the_committed_vocabulary_links_only_checked_parents() -> None:
    vocabulary, problems = load_vocabulary(Layout(ARCHIVE))
    assert problems == []
    parents = vocabulary.parents()
    assert parents and set(parents.values()).isdisjoint(parents)  # one level
    by_id = vocabulary.by_id()
    for child, parent in parents.items():
        assert child not in by_id[parent].rules.yields_to


# ------------------------------------------------------------------ the rules' choice

def test_a_narrower_tag_brings_its_parent_and_the_pair_needs_no_fill_in() -> None:
    # "alpha" once is a fill-in candidate (score 1 would not do; twice scores 2).
    tags = suggest_tags("Quantization of networks", "low-bit weights; alpha and alpha",
                        VOCAB, POLICY)
    assert tags == ("efficiency", "quantization", "alpha")
    alone = suggest_tags("Quantization of networks", "low-bit weights", VOCAB, POLICY)
    assert alone == ("efficiency", "quantization")


def test_a_parent_chosen_on_its_own_is_kept_once() -> None:
    tags = suggest_tags("Efficient inference by quantization",
                        "efficient inference with low-bit weights and pruning, more pruning",
                        VOCAB, POLICY)
    assert tags == ("efficiency", "quantization", "pruning")


def test_over_the_maximum_the_weakest_tag_not_needed_as_a_parent_goes() -> None:
    title = "Alpha beta gamma delta epsilon radiology"
    text = "alpha beta gamma delta epsilon radiology, alpha beta gamma delta radiology"
    policy = replace(POLICY, max_tags=6)
    chosen = choose(score_paper(title, text, VOCAB), VOCAB, policy)
    tags = [s.tag for s in chosen]
    assert len(tags) == 6 and "imaging" in tags and "healthcare" in tags
    # without the link the six strong tags would all stay; the parent took the weakest's place
    unlinked = replace(VOCAB, tags=tuple(replace(t, parent="") for t in VOCAB.tags))
    alone = [s.tag for s in choose(score_paper(title, text, unlinked), unlinked, policy)]
    assert set(alone) - set(tags) == {alone[-1]}
    # a child that cannot bring its parent is dropped, never kept alone
    tight = replace(POLICY, max_tags=1)
    assert [s.tag for s in choose(score_paper("Radiology", "radiology, alpha", VOCAB),
                                  VOCAB, tight)] != ["imaging"]


def test_with_parents_drops_a_weak_child_together_with_the_parent_it_brought() -> None:
    kept = with_parents(["alpha", "beta", "imaging"], str, str, VOCAB, 3)
    assert kept == ["alpha", "beta"]  # no room for the pair: neither stays
    kept = with_parents(["imaging", "alpha", "beta"], str, str, VOCAB, 3)
    assert kept == ["imaging", "healthcare", "alpha"]


def test_explain_says_the_parent_came_from_its_child() -> None:
    shown = {s.tag: (ok, note) for s, ok, note in
             explain("Quantization of networks", "low-bit weights", VOCAB, POLICY)}
    assert shown["efficiency"] == (True, "from narrower tag quantization")
    assert shown["quantization"] == (True, "")


# ------------------------------------------------------------------ the learned layer

@pytest.mark.slow
def test_the_learned_layer_returns_closed_sets_and_explains_them() -> None:
    from generator import tagmodel

    vocabulary, _ = load_vocabulary(Layout(ARCHIVE))
    policy = load_policy(ARCHIVE)
    parents = vocabulary.parents()
    title = "Post-training quantization of large language models to 4-bit weights"
    abstract = ("We quantize the weights of large language models to 4-bit with a new "
                "post-training quantization method and keep the accuracy of the full model.")
    tags = tagmodel.suggest_tags(title, abstract, vocabulary, policy)
    assert "quantization" in tags and "efficiency" in tags
    notes = {s.tag: (ok, note) for s, ok, note in
             tagmodel.explain(title, abstract, vocabulary, policy)}
    assert all(ok for tag, (ok, _) in notes.items() if tag in tags)
    for paper in vocabulary.training[:300]:
        got = tagmodel.suggest_tags(paper.title, paper.abstract, vocabulary, policy)
        assert len(got) <= policy.max_tags
        assert all(parents[t] in got for t in got if t in parents)


# ------------------------------------------------------------------ judged data

def test_judged_narrower_tags_count_their_parent_as_judged(tmp_path: Path) -> None:
    vocabulary, _ = load_vocabulary(Layout(ARCHIVE))
    assert vocabulary.parents()["quantization"] == "efficiency"
    for paper in vocabulary.training:  # the learned layer's training data, closed on load
        assert all(vocabulary.parents()[t] in paper.tags
                   for t in paper.tags if t in vocabulary.parents())
    path = tmp_path / "judged.yml"
    path.write_text('papers:\n  - {key: "k", source: "hf", split: "tuning", '
                    'title: "T", tags: ["quantization", "music"]}\n', encoding="utf-8")
    (judged,) = load_judgements((path,), vocabulary)
    assert judged["tags"] == ["quantization", "efficiency", "music", "speech-and-audio"]
    (raw,) = load_judgements((path,))
    assert raw["tags"] == ["quantization", "music"]


# ------------------------------------------------------------------ validate, new, tags

def _record(root: Path, paper: Paper, *, tool: bool = True) -> Path:
    stamp = paper.content_fingerprint() if tool else "sha256:0000000000000000"
    path = root / "papers" / f"{paper.id}.yml"
    path.write_text(paper_to_yaml(replace(paper, fingerprint=stamp)), encoding="utf-8")
    return path


QUANT = Paper(id="quant-paper", title="Low-bit quantization of language models",
              abstract="We quantize weights to 4-bit with post-training quantization.",
              tags=("language-models", "quantization"), added="2024-01-01", source="manual")


def test_validate_reports_a_narrower_tag_without_its_parent(empty_archive: Path,
                                                           capsys) -> None:
    path = _record(empty_archive, QUANT, tool=False)
    line = path.read_text(encoding="utf-8").splitlines().index("tags:") + 1
    assert main(["validate", "--root", str(empty_archive)]) == 1
    out = capsys.readouterr()
    assert (f"papers/quant-paper.yml:{line}: tags: 'quantization' is a narrower topic of "
            "'efficiency'; add 'efficiency'") in out.out + out.err
    _record(empty_archive, replace(QUANT, tags=("language-models", "efficiency",
                                                "quantization")), tool=False)
    assert main(["validate", "--root", str(empty_archive)]) == 0


def test_apply_adds_the_missing_parent_even_to_an_edited_record(empty_archive: Path,
                                                                capsys) -> None:
    _record(empty_archive, QUANT, tool=False)
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    archive, problems = load_archive(empty_archive)
    assert problems == []
    paper = archive.paper("quant-paper")
    assert paper.tags == ("language-models", "efficiency", "quantization") and paper.edited


def test_apply_never_takes_an_edited_record_over_the_maximum(empty_archive: Path,
                                                             capsys) -> None:
    # Six tags a person chose, one a narrower tag without its parent: a seventh would break
    # the policy, and which tag to drop is the person's call, so the record stays as it is
    # and validate says what is missing.
    six = ("language-models", "reasoning", "agents", "nlp", "dialogue", "quantization")
    path = _record(empty_archive, replace(QUANT, tags=six), tool=False)
    before = path.read_bytes()
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    assert path.read_bytes() == before
    capsys.readouterr()
    assert main(["validate", "--root", str(empty_archive)]) == 1
    assert "'quantization' is a narrower topic of 'efficiency'" in capsys.readouterr().out


def test_report_puts_narrower_tags_under_their_parent_and_counts_missing_parents(
        empty_archive: Path) -> None:
    _record(empty_archive, QUANT)
    archive, _ = load_archive(empty_archive)
    rep = tagcmd.report(archive, load_policy(empty_archive))
    assert rep.missing_parents == (("quant-paper", "'quantization' is a narrower topic of "
                                                   "'efficiency'; add 'efficiency'"),)
    assert not rep.ok
    lines = tagcmd.format_report(rep)
    at = next(i for i, line in enumerate(lines) if line.startswith("  efficiency "))
    assert re.match(r"    - quantization +1 ", lines[at + 1])
    assert "narrower tags without their parent: 1" in lines
    parents = archive.vocabulary.parents()
    assert (f"1 narrower tags without their parent ({len(parents)} narrower tags under "
            f"{len(set(parents.values()))} parents)") in lines[-1]


def test_new_with_a_narrower_tag_writes_its_parent_too(empty_archive: Path) -> None:
    from generator.newrecord import choose_tags

    archive, _ = load_archive(empty_archive)
    tags = choose_tags("A study of sound", "We look at sound.", archive,
                       load_policy(empty_archive), given=["music"], force=True)
    assert "music" in tags and "speech-and-audio" in tags


def test_suggest_says_which_narrower_tag_an_added_parent_is_for(empty_archive: Path,
                                                               capsys) -> None:
    # A tool-written record with only the rules' narrower tag: the listing names the pair.
    paper = replace(QUANT, tags=("language-models",))
    _record(empty_archive, paper)
    archive, _ = load_archive(empty_archive)
    (s,) = tagcmd.suggest(archive, load_policy(empty_archive))
    assert "quantization" in s.proposed and "efficiency" in s.proposed
    (line,) = tagcmd.format_suggestions([s])
    assert "+efficiency (parent of quantization)" in line
