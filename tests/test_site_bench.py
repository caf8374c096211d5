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
