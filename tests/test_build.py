"""Build: refuses on archive problems, fails on MkDocs warnings, swaps site/ in atomically."""

from __future__ import annotations

import re
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
    (project / "CONTRIBUTING.md").write_text(
        "# Contributing\n\nEdit [a record](archive/papers/untagged-study.yml); "
        "read [about](about.md).\n")
    report = build(_paths(project))
    assert report.pages == 25  # with the month pages: the index and two months
    guide = (project / "site" / "contributing" / "index.html").read_text()
    assert ('href="https://github.com/paper-archive/paper-archive/blob/main/archive/papers/'
            'untagged-study.yml"') in guide
    assert 'href="../about/"' in guide
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


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def test_two_builds_are_byte_identical_and_dated_by_the_records(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sitemap dates and gzip headers come from the newest record, not the clock."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(_paths(project))
    first = _tree(project / "site")
    build(_paths(project))
    assert _tree(project / "site") == first
    newest = max(line.split('"')[1] for path in (project / "archive" / "papers").glob("*.yml")
                 for line in path.read_text().splitlines() if line.startswith("added:"))
    sitemap = first["sitemap.xml"].decode()
    assert f"<lastmod>{newest}</lastmod>" in sitemap
    # Each page is dated by its own records (a paper by its record), never by the clock.
    dates = re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap)
    assert dates and all(date <= newest for _, date in dates)
    for path in (project / "archive" / "papers").glob("*.yml"):
        added = next(line.split('"')[1] for line in path.read_text().splitlines()
                     if line.startswith("added:"))
        assert (f"/papers/{path.stem}/", added) in [(loc[loc.index("/papers/"):], date)
                                                    for loc, date in dates if "/papers/" in loc]


def test_build_warns_in_one_line_when_the_site_nears_the_pages_limit(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import sitesize

    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    assert "warning" not in capsys.readouterr().err  # a small site: far from 1 GB
    monkeypatch.setattr(sitesize, "PAGES_LIMIT", 1_000_000)  # a 1 MB limit for the test
    assert main(["build"]) == 0  # a warning, not a failure
    out = capsys.readouterr()
    assert "site built into site" in out.out
    (line,) = [line for line in out.err.splitlines() if line.startswith("warning:")]
    assert "GitHub Pages" in line and "papers/" in line and "largest:" in line
