"""Build: refuses on archive problems, fails on MkDocs warnings, swaps site/ in atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildFailed, BuildPaths, build
from generator.cli import main
from generator.site import ArchiveProblems
from tests.conftest import copy_fixture_archive, make_project

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("build")
    return make_project(base / "project", copy_fixture_archive(base / "archive"))


def _paths(project: Path) -> BuildPaths:
    return BuildPaths(root=project / "archive", config=project / "mkdocs.yml",
                      site_dir=project / "site")


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


def test_build_then_failed_build_keeps_the_old_site(project: Path) -> None:
    report = build(_paths(project))
    assert report.pages == 16
    home = (project / "site" / "index.html").read_text()
    assert (project / "site" / "papers" / "hostile-record" / "index.html").is_file()

    broken = project / "docs" / "broken.md"
    broken.write_text("# Broken\n\n[missing](no-such-page.md)\n")
    try:
        with pytest.raises(BuildFailed):
            build(_paths(project))
    finally:
        broken.unlink()
    assert (project / "site" / "index.html").read_text() == home
    assert not (project / "site" / "broken").exists()
    assert _leftovers(project) == []


def test_archive_problems_stop_the_build_before_mkdocs(project: Path, capsys,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    record = project / "archive" / "papers" / "untagged-study.yml"
    original = record.read_text()
    record.write_text(original.replace('added: "2024-02-01"', 'added: "yesterday"'))
    stamp = (project / "site").stat().st_mtime_ns if (project / "site").exists() else None
    try:
        with pytest.raises(ArchiveProblems):
            build(_paths(project))
        monkeypatch.chdir(project)
        assert main(["build"]) == 1
    finally:
        record.write_text(original)
    out = capsys.readouterr()
    assert "archive/papers/untagged-study.yml:" in out.out
    assert ": added: 'yesterday' does not match" in out.out
    assert "nothing was generated" in out.err
    if stamp is not None:
        assert (project / "site").stat().st_mtime_ns == stamp
