"""Generate: real files in docs/, written only when changed, stale pages deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.site import ArchiveProblems, generate
from tests.conftest import copy_fixture_archive


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixture_archive(tmp_path / "archive")


def _mtimes(docs: Path) -> dict[str, int]:
    return {str(p.relative_to(docs)): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


def test_second_run_writes_nothing_and_keeps_mtimes(archive: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = generate(archive, docs, tmp_path)
    assert first.pages == 24 and first.data_files == 13
    assert len(first.written) == first.pages + first.data_files
    before = _mtimes(docs)
    second = generate(archive, docs, tmp_path)
    assert second.written == [] and second.removed == []
    assert _mtimes(docs) == before


def test_changed_record_rewrites_only_affected_pages(archive: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate(archive, docs, tmp_path)
    record = archive / "papers" / "untagged-study.yml"
    record.write_text(record.read_text().replace("Nothing in Particular", "Something"))
    report = generate(archive, docs, tmp_path)
    # Its page, the pages that list it among their related papers, its letter's page of the
    # A-Z list and its records in the static API; the A-Z overview only counts papers per
    # letter, and the home page and the month pages show only listed papers (this one has
    # no listing), so they are unchanged.
    assert sorted(report.written) == ["api/papers.csv", "api/papers.json",
                                      "api/papers/untagged-study.json",
                                      "papers/3d-scene-graphs.md", "papers/hostile-record.md",
                                      "papers/letter/a.md", "papers/untagged-study.md"]


def test_page_of_a_removed_record_is_deleted(archive: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate(archive, docs, tmp_path)
    (archive / "papers" / "untagged-study.yml").unlink()
    report = generate(archive, docs, tmp_path)
    assert "papers/untagged-study.md" in report.removed
    assert not (docs / "papers" / "untagged-study.md").exists()


def test_hand_written_pages_are_left_alone(archive: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "maintainers").mkdir(parents=True)
    (docs / "about.md").write_text("# About\n")
    (docs / "maintainers" / "notes.md").write_text("# Notes\n")
    generate(archive, docs, tmp_path)
    assert (docs / "about.md").read_text() == "# About\n"
    assert (docs / "maintainers" / "notes.md").exists()


def test_problems_stop_generation_before_any_write(archive: Path, tmp_path: Path) -> None:
    record = archive / "papers" / "untagged-study.yml"
    record.write_text(record.read_text().replace('tags: []', 'tags: ["no-such-tag"]'))
    with pytest.raises(ArchiveProblems) as caught:
        generate(archive, tmp_path / "docs", tmp_path)
    assert any("unknown tag 'no-such-tag'" in str(p) for p in caught.value.problems)
    assert not (tmp_path / "docs").exists()


def test_contributing_guide_is_copied_with_its_edit_path(archive: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (tmp_path / "CONTRIBUTING.md").write_text("# Contributing\n\nFix a record.\n")
    generate(archive, docs, tmp_path)
    page = (docs / "contributing.md").read_text()
    assert page.startswith('---\nedit_path: "CONTRIBUTING.md"\nrepo_links: true\n---\n\n# Contrib')
    (tmp_path / "CONTRIBUTING.md").unlink()
    report = generate(archive, docs, tmp_path)
    assert "contributing.md" in report.removed


def test_generate_command_prints_counts(archive: Path, tmp_path: Path, capsys,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--root", str(archive), "--docs", "docs"]) == 0
    assert ("24 pages and 13 feed and data files for 6 papers and 6 tags: 37 written"
            in capsys.readouterr().out)
