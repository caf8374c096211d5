"""The site benchmark's scratch projects: a reused one with another vocabulary is re-made.

A project imported before the vocabulary changed kept its old ``archive/tags.yml`` and
schemas while its code was refreshed, and every stage then failed on tags the repository
no longer had.  These tests drive :func:`benchmarks.site_bench.stale_archive_inputs` on
small folders; the benchmark itself takes minutes and is not run here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks import site_bench


@pytest.fixture
def repo_and_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    (repo / "archive" / "schema").mkdir(parents=True)
    (repo / "archive" / "tags.yml").write_text("groups: [a]\ntags: []\n", encoding="utf-8")
    (repo / "archive" / "schema" / "paper.schema.json").write_text("{}\n", encoding="utf-8")
    project = tmp_path / "project"
    shutil.copytree(repo / "archive", project / "archive")
    monkeypatch.setattr(site_bench, "REPO", repo)
    return repo, project


def test_a_project_with_the_repository_vocabulary_is_reused(repo_and_project):
    _, project = repo_and_project
    assert site_bench.stale_archive_inputs(project) == []


def test_a_changed_vocabulary_makes_the_project_stale(repo_and_project):
    repo, project = repo_and_project
    (repo / "archive" / "tags.yml").write_text("groups: [b]\ntags: []\n", encoding="utf-8")
    assert site_bench.stale_archive_inputs(project) == ["archive/tags.yml"]


def test_a_changed_or_new_schema_makes_the_project_stale(repo_and_project):
    repo, project = repo_and_project
    (repo / "archive" / "schema" / "tags.schema.json").write_text("{}\n", encoding="utf-8")
    assert site_bench.stale_archive_inputs(project) == ["archive/schema"]
    (project / "archive" / "schema" / "tags.schema.json").write_text("{}\n", encoding="utf-8")
    assert site_bench.stale_archive_inputs(project) == []
    (project / "archive" / "schema" / "paper.schema.json").write_text("{\"a\": 1}\n",
                                                                     encoding="utf-8")
    assert site_bench.stale_archive_inputs(project) == ["archive/schema"]


def test_the_records_themselves_do_not_count(repo_and_project):
    _, project = repo_and_project
    (project / "archive" / "papers").mkdir()
    (project / "archive" / "papers" / "x.yml").write_text("id: x\n", encoding="utf-8")
    assert site_bench.stale_archive_inputs(project) == []


def _dataset(folder: Path, name: str, records: list[dict]) -> None:
    import json
    import lzma

    with lzma.open(folder / name, "wt", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def _paper(arxiv: str, words: str) -> dict:
    sentences = " ".join(f"{words} sentence {n}." for n in range(4))
    return {"title": f"Paper {arxiv}", "abstract": sentences, "arxiv_id": arxiv,
            "url": f"https://arxiv.org/abs/{arxiv}"}


def test_records_beyond_the_datasets_are_distinct_spliced_copies(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """Copies get new ids and titles, skip a paper listed in both files, differ from their original.

    The copy rounds also make up for the lines of the datasets that repeat a paper.
    """
    import json

    _dataset(tmp_path, "a.jsonl.xz", [_paper("2501.00001", "alpha"),
                                      _paper("2501.00002", "beta")])
    _dataset(tmp_path, "b.jsonl.xz", [_paper("2501.00002", "beta"),
                                      _paper("2501.00003", "gamma")])
    monkeypatch.setattr(site_bench, "DATASETS", tmp_path)
    monkeypatch.setattr(site_bench, "DUMPS", ("a.jsonl.xz", "b.jsonl.xz"))
    out = tmp_path / "records.jsonl"
    assert site_bench._records(7, out) == 8  # one repeated line made up for
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    papers = {r["arxiv_id"] for r in records}
    assert len(papers) == 7  # 3 real papers and 4 copies, each its own arXiv id
    copies = records[4:]
    assert [r["title"] for r in copies] == ["Paper 2501.00001 (copy 1)",
                                            "Paper 2501.00002 (copy 1)",
                                            "Paper 2501.00003 (copy 1)",
                                            "Paper 2501.00001 (copy 2)"]
    originals = {r["title"]: r["abstract"] for r in records[:4]}
    for copy in copies:
        original = originals[copy["title"].rsplit(" (", 1)[0]]
        assert copy["abstract"] != original
        assert copy["abstract"].startswith(original.split(".")[0])
    assert "beta sentence 3." in copies[2]["abstract"]  # the second half of the one before
    assert "gamma sentence 3." in copies[0]["abstract"]  # the last line of the datasets
    assert all(len(r["arxiv_id"].split(".")[1]) == 5 for r in copies)  # valid new-style ids


def _two_papers(tmp_path: Path, monkeypatch) -> Path:
    """One dataset of two papers as the benchmark's only dump; where records are written."""
    _dataset(tmp_path, "a.jsonl.xz", [_paper("2501.00001", "alpha"),
                                      _paper("2501.00002", "beta")])
    monkeypatch.setattr(site_bench, "DATASETS", tmp_path)
    monkeypatch.setattr(site_bench, "DUMPS", ("a.jsonl.xz",))
    return tmp_path / "records.jsonl"


def test_records_make_up_for_papers_the_archive_already_has(tmp_path: Path,
                                                            monkeypatch) -> None:
    """A dataset line the seed already holds adds no paper, so one more copy is written."""
    out = _two_papers(tmp_path, monkeypatch)
    assert site_bench._records(3, out) == 3
    known = site_bench._keys(_paper("2501.00002", "beta"))
    assert site_bench._records(3, out, known) == 4


def test_records_within_the_datasets_are_the_lines_themselves(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Up to the datasets' size the records are their lines, unchanged (50,000 stays real)."""
    out = _two_papers(tmp_path, monkeypatch)
    assert site_bench._records(1, out) == 1
    assert "2501.00001" in out.read_text("utf-8")


def test_steps_keep_the_figures_of_earlier_steps(tmp_path: Path) -> None:
    """A run done in steps (one process each) shows every stage measured so far, the latest."""
    root = tmp_path / "project"
    first = site_bench.Row(100, 100, {"generate cold": [site_bench.Run(9.0, 8.0, 50.0)],
                                      "bare mkdocs build": [site_bench.Run(5.0, 4.0, 40.0)]})
    site_bench.saved_row(first, root)
    again = site_bench.Row(100, 100, {"generate cold": [site_bench.Run(7.0, 6.0, 45.0)]},
                           {"bytes": 1})
    merged = site_bench.saved_row(again, root)
    assert [r.wall for r in merged.stages["generate cold"]] == [7.0]
    assert [r.wall for r in merged.stages["bare mkdocs build"]] == [5.0]
    assert site_bench.saved_row(site_bench.Row(100, 100), root).site == {"bytes": 1}


def _row(size: int, site_bytes: int, full_cpu: float, bare_cpu: float) -> site_bench.Row:
    run = site_bench.Run
    return site_bench.Row(size, size - 100, {
        "generate cold": [run(50.0, 160.0, 900.0, tree_mb=1500.0)],
        "generate no-op": [run(2.5, 2.0, 300.0, tree_mb=400.0)],
        "bare mkdocs build": [run(bare_cpu, bare_cpu, 1000.0, tree_mb=1200.0)],
        "full build (cold cache)": [run(full_cpu, full_cpu, 1400.0, tree_mb=1800.0)],
    }, {"bytes": site_bytes, "over_300k": 0, "over_300k_pages": [],
        "folders": {"papers/": [497_000_000, 47_000], "api/": [211_000_000, 47_000]}})


def test_targets_say_met_or_by_how_much_they_are_missed():
    table = site_bench.targets_table([_row(50000, 863_000_000, 378.0, 211.0)])
    lines = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()[2:]}
    assert "**missed by 73%**" in lines["site ≤ 500 MB"]
    assert "`papers/` 497 MB, `api/` 211 MB" in lines["site ≤ 500 MB"]
    assert "1.79x | **missed by 43%**" in lines[
        "full build ≤ 1.25x the bare build, cold cache (CPU)"]
    assert "| 2.5 s | met |" in lines["generate with nothing changed ≤ 5 s (wall)"]
    assert "| 1,800 MB | met |" in lines["peak memory ≤ 2 GB (process tree, PSS)"]
    assert "| 0 pages | met |" in lines["no HTML page over 300 KB"]
    assert "not measured" in lines["the same, warm cache (CPU)"]


def test_targets_are_judged_only_at_the_sizes_they_are_set_for():
    small = site_bench.targets_table([_row(10000, 900_000_000, 300.0, 100.0)])
    assert small.startswith("(no size of this run has targets")
    large = site_bench.targets_table([_row(100000, 900_000_000, 300.0, 100.0)])
    goals = [line.split(" | ")[0].lstrip("| ") for line in large.splitlines()[2:]]
    assert goals == ["no HTML page over 300 KB",
                     "the build under 4 GB of memory (process tree, PSS)", "site under 1 GB"]
    assert "900 MB | met" in large
