"""The judged samples of the tag evaluation: both files read, parts disjoint, ids known."""

from __future__ import annotations

from pathlib import Path

from benchmarks.tag_eval import BLIND_JUDGEMENTS, JUDGEMENTS, SPLITS, UNSEEN, load_judgements
from generator.layout import Layout
from generator.vocabulary import load_vocabulary
from tests.conftest import ARCHIVE


def test_every_file_that_exists_is_read_and_a_missing_one_is_skipped(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text('papers:\n  - key: "k1"\n    split: "tuning"\n', encoding="utf-8")
    second.write_text('papers:\n  - key: "k2"\n    split: "held-out-3"\n', encoding="utf-8")
    assert [p["key"] for p in load_judgements((first, second))] == ["k1", "k2"]
    assert [p["key"] for p in load_judgements((first, tmp_path / "none.yml"))] == ["k1"]


def test_the_committed_samples_are_disjoint_and_use_known_tags() -> None:
    """A paper judged twice could leak a held-out part into tuning."""
    assert JUDGEMENTS.exists() and BLIND_JUDGEMENTS.exists()
    papers = load_judgements()
    keys = [p["key"] for p in papers]
    assert len(keys) == len(set(keys))
    assert {p["split"] for p in papers} <= set(SPLITS)
    assert set(UNSEEN) <= set(SPLITS)
    vocabulary, _ = load_vocabulary(Layout(ARCHIVE))
    ids = {t.id for t in vocabulary.tags}
    assert {t for p in papers for t in p["tags"]} <= ids
