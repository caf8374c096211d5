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
