"""The relevance benchmark's parts: the theme's engine answers through its own worker, scores.

The benchmark itself runs for many minutes on 10,129 papers and is not run here; these
tests drive its engines and metrics on a handful of pages, so a driver that silently gets
no answers (the theme's worker refused every query while ``options`` was missing from its
setup message) fails here instead of producing an empty column.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import material
import pytest

from benchmarks import search_relevance
from tests.search_cases import search_archive

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"

#: What Material's search plugin writes for these pages (its config for our mkdocs.yml).
CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0},
                     "tags": {"boost": 1000000.0}}}
PAGES = [
    ("papers/medical-sam/", "Segment medical images as video",
     "<p>We adapt a segmentation model to medical imaging.</p>"),
    ("papers/robot-grasp/", "Robot manipulation from video",
     "<p>A robot learns manipulation skills.</p>"),
    ("papers/robot-grasp/#method", "Method", "<p>Imaging of the robot arm.</p>"),
    ("tags/images/", "Images", "<p>Segment medical images as video</p>"),
]


def _theme_site(root: Path) -> Path:
    (root / "assets" / "javascripts").mkdir(parents=True)
    shutil.copytree(WORKERS, root / "assets" / "javascripts" / "workers")
    (root / "search").mkdir()
    docs = [{"location": loc, "title": title, "text": text} for loc, title, text in PAGES]
    (root / "search" / "search_index.json").write_text(
        json.dumps({"config": CONFIG, "docs": docs}), encoding="utf-8")
    return root


@needs_node
def test_the_themes_worker_answers_with_paper_pages_only(tmp_path: Path) -> None:
    site = _theme_site(tmp_path / "site")
    found = search_relevance.run_theme(site, ["medical imaging", "robot", "nothingatall"])
    # a tag page it returns is skipped, a section is folded into its paper
    assert found == [["medical-sam", "robot-grasp"], ["robot-grasp"], []]


def test_a_perfect_ranking_scores_one_and_a_miss_zero() -> None:
    grades = {"a": 2, "b": 1, "c": 0}
    assert search_relevance.ndcg(["a", "b", "c"], grades) == pytest.approx(1.0)
    assert search_relevance.ndcg(["c", "x"], grades) == 0.0
    assert search_relevance.ndcg(["b", "a"], grades) < 1.0
    assert search_relevance.precision(["a", "x", "b", "c", "y"], grades) == pytest.approx(0.4)
    assert search_relevance.reciprocal_rank(["x", "c", "b"], grades) == pytest.approx(1 / 3)


def test_reader_queries_paste_ids_name_authors_and_drop_a_letter() -> None:
    archive = search_archive()
    reader_queries, typo_of = search_relevance.reader_queries, search_relevance.typo_of
    known = [{"paper": "speech-diffusion", "kind": "title-part", "set": "tune",
              "query": "fast waveform synthesis"},
             {"paper": "residual-tricks", "kind": "title-part", "set": "heldout",
              "query": "deep residual tricks"}]
    cases = reader_queries(archive, known)
    assert typo_of("synthesis") == "syntesis"
    by_kind = {}
    for case in cases:
        by_kind.setdefault(case["kind"], []).append(case)
    assert [c["query"] for c in by_kind["arXiv id"]] == [
        "2501.01234", "2501.01234v1", "arXiv:2501.01234", "https://arxiv.org/abs/2501.01234"]
    assert {c["query"] for c in by_kind["author name"]} == {"Grace Hopper", "Ada Byron"}
    assert [c["query"] for c in by_kind["typo"]] == ["fast waveform syntesis",
                                                     "deep resiual tricks"]
    assert all(c["wanted"] for c in cases)
