"""Output guards: build and generate refuse folders they must not write into.

They also tidy up after killed runs.  Every refusal comes before anything is written, so
these tests need no MkDocs run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from generator import build as build_module
from generator import outputs
from generator.build import BuildPaths, _swap, exchange, run_mkdocs
from generator.cli import main
from generator.site import GenerateReport
from tests.conftest import copy_fixture_archive, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = make_project(tmp_path / "project", copy_fixture_archive(tmp_path / "archive"))
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (proj / "notes.txt").write_text("uncommitted work\n")
    return proj


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("site_dir", [".", "archive", "archive/papers", "docs", "docs/built",
                                      ".git", "..", "generator", "overrides/site",
                                      "mkdocs.yml"])
def test_build_refuses_a_site_dir_over_the_sources(project: Path, site_dir: str, capsys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    before = _snapshot(project)
    assert main(["build", "--site-dir", site_dir]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: --site-dir {site_dir}"), err
    assert "refused" in err and "Traceback" not in err
    assert _snapshot(project) == before
    assert not (project / "site").exists()


def test_build_refuses_a_folder_it_did_not_make(project: Path, tmp_path: Path, capsys,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    elsewhere = tmp_path / "photos"
    elsewhere.mkdir()
    (elsewhere / "holiday.jpg").write_bytes(b"\xff\xd8 not a site")
    assert main(["build", "--site-dir", str(elsewhere)]) == 2
    assert f"{outputs.SITE_MARKER}" in capsys.readouterr().err
    assert (elsewhere / "holiday.jpg").read_bytes() == b"\xff\xd8 not a site"
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep")
    assert main(["build", "--site-dir", str(a_file)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert a_file.read_text() == "keep"
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    assert main(["build", "--site-dir", str(link)]) == 2


def test_empty_missing_marked_and_pre_marker_sites_are_accepted(project: Path,
                                                                tmp_path: Path) -> None:
    docs, archive = project / "docs", project / "archive"
    for name in ("site", "empty", "marked", "legacy", "other/place/site"):
        folder = project / name
        if name != "site":
            folder.mkdir(parents=True)
        if name == "marked":
            outputs.mark_site(folder)
            (folder / "index.html").write_text("<html></html>")
        if name == "legacy":
            (folder / "search" / "index").mkdir(parents=True)
            (folder / "sitemap.xml").write_text("<urlset/>")
            (folder / "search" / "index" / "manifest.json").write_text("{}")
        outputs.check_site_dir(folder, project, archive, docs)
    outputs.check_site_dir(tmp_path / "outside", project, archive, docs)


def test_generate_refuses_a_file_an_archive_or_pages_it_did_not_write(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "docs.md").write_text("# not a folder\n")
    assert main(["generate", "--docs", "docs.md"]) == 2
    assert capsys.readouterr().err.startswith("error: --docs docs.md: refused, it is not a folder")
    assert main(["generate", "--docs", "archive"]) == 2
    assert "it is the archive" in capsys.readouterr().err
    assert main(["generate", "--docs", "archive/papers"]) == 2
    assert main(["generate", "--docs", "."]) == 2
    capsys.readouterr()
    notes = project / "elsewhere" / "papers"
    notes.mkdir(parents=True)
    (notes / "reading-list.md").write_text("# My reading list\n")
    assert main(["generate", "--docs", "elsewhere"]) == 2
    err = capsys.readouterr().err
    assert "holds files generate did not write" in err and err.count("\n") == 1
    assert (notes / "reading-list.md").read_text() == "# My reading list\n"


def test_generate_marks_its_folders_and_accepts_them_again(project: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys) -> None:
    monkeypatch.chdir(project)
    assert main(["generate"]) == 0
    assert (project / "docs" / "papers" / outputs.DOCS_MARKER).is_file()
    assert (project / "docs" / "tags" / outputs.DOCS_MARKER).is_file()
    (project / "docs" / "papers" / outputs.DOCS_MARKER).unlink()
    # Pages from before the marker: every file names its source in its front matter.
    assert main(["generate"]) == 0
    capsys.readouterr()


def test_leftovers_of_killed_builds_are_removed_and_a_lost_site_put_back(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    new = tmp_path / ".site-new-abc123"
    (new / "papers").mkdir(parents=True)
    old = tmp_path / ".site-old-def456"
    (old / "site").mkdir(parents=True)
    (old / "site" / "index.html").write_text("the old site")
    other = tmp_path / ".sites-of-someone-else"
    other.mkdir()
    outputs.tidy_site_leftovers(site)
    assert (site / "index.html").read_text() == "the old site"
    assert not new.exists() and not old.exists()
    assert other.exists()


def test_the_swap_leaves_no_moment_without_a_site(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site, fresh = tmp_path / "site", tmp_path / ".site-new-x"
    for folder, text in ((site, "old"), (fresh, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    if not exchange(site, fresh):
        pytest.skip("this file system has no atomic exchange")
    exchange(site, fresh)  # swap back
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def watched(src, dst) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    _swap(fresh, site)
    assert (site / "index.html").read_text() == "new"
    assert (fresh / "index.html").read_text() == "old"  # removed by the caller
    assert renames == []  # one exchange, not two renames


def test_the_fallback_swap_killed_midway_is_recovered(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site, fresh = tmp_path / "site", tmp_path / ".site-new-x"
    for folder, text in ((site, "old"), (fresh, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    monkeypatch.setattr("generator.build.exchange", lambda a, b: False)
    calls = {"n": 0}
    real_replace = os.replace

    def killed_after_first(src, dst) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", killed_after_first)
    with pytest.raises(KeyboardInterrupt):
        _swap(fresh, site)
    monkeypatch.setattr(os, "replace", real_replace)
    assert not site.exists()
    outputs.tidy_site_leftovers(site)
    assert (site / "index.html").read_text() == "old"


def test_a_failed_mkdocs_run_leaves_no_new_folder(project: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (project / ".site-new-killed").mkdir()
    (project / ".site-new-killed" / "big.html").write_text("x" * 1000)
    paths = BuildPaths(project / "archive", project / "nope.yml", project / "site")
    with pytest.raises(Exception):  # noqa: B017 - MkDocs fails on the missing config
        run_mkdocs(paths)
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


def test_tmp_files_of_killed_writes_are_removed_at_the_next_import(
        seed_archive: Path, tmp_path: Path) -> None:
    papers = seed_archive / "papers"
    stale = papers / ".some-paper.yml.k2j3h4.tmp"
    stale.write_text("half a record")
    long_ago = time.time() - 3600
    os.utime(stale, (long_ago, long_ago))
    young = papers / ".other.yml.abcd.tmp"
    young.write_text("being written right now")
    # "Right now" for the whole test: a minute-long import on a loaded machine (the tag
    # model trains first) would otherwise age it past the grace period mid-test.
    soon = time.time() + 3600
    os.utime(young, (soon, soon))
    dump = tmp_path / "one.jsonl"
    dump.write_text('{"title": "A brand new paper about leftovers", "abstract": "An abstract '
                    'long enough for the schema minimum of fifty characters."}\n')
    assert main(["import", str(dump), "--root", str(seed_archive), "--no-copy"]) == 0
    assert not stale.exists()
    assert young.exists()


def test_git_ignores_the_temporary_names() -> None:
    ignore = (Path(__file__).parent.parent / ".gitignore").read_text().splitlines()
    assert ".*.tmp" in ignore and ".site-*/" in ignore


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


@pytest.fixture
def repo(project: Path) -> Path:
    """The scratch project as a real git repository (a fresh clone's state)."""
    shutil.rmtree(project / ".git")
    _git(project, "init", "-q")
    return project


def test_a_committed_marker_and_symlink_in_a_generated_folder_are_refused(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    papers = repo / "docs" / "papers"
    papers.mkdir(parents=True)
    (papers / outputs.DOCS_MARKER).write_text(outputs.DOCS_MARKER_TEXT, encoding="utf-8")
    (papers / "passwd.txt").symlink_to("/etc/passwd")
    _git(repo, "add", "-f", "docs/papers")
    _git(repo, "commit", "-q", "-m", "innocent")
    monkeypatch.chdir(repo)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "passwd.txt: refused, a symbolic link" in err and err.count("\n") == 1
    assert not (repo / "site").exists()


def test_a_marker_git_tracks_does_not_make_a_folder_generated(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    papers = repo / "docs" / "papers"
    papers.mkdir(parents=True)
    marker = papers / outputs.DOCS_MARKER
    marker.write_text(outputs.DOCS_MARKER_TEXT, encoding="utf-8")
    (papers / "notes.md").write_text("# Hand-written, committed\n")
    _git(repo, "add", "-f", "docs/papers")
    monkeypatch.chdir(repo)
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert f"{outputs.DOCS_MARKER}: refused, git tracks it" in err and err.count("\n") == 1
    assert (papers / "notes.md").read_text() == "# Hand-written, committed\n"
    _git(repo, "rm", "-q", "--cached", "-r", "docs/papers")
    (papers / "notes.md").unlink()
    assert main(["generate"]) == 0  # the same marker, written here and untracked, is trusted


def test_a_marker_with_other_text_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys) -> None:
    tags = project / "docs" / "tags"
    tags.mkdir(parents=True)
    (tags / outputs.DOCS_MARKER).write_text("trust me\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["generate"]) == 2
    assert "refused, not the marker generate writes" in capsys.readouterr().err


def test_a_symlink_appearing_during_generate_stops_the_build_before_mkdocs(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def generate_and_link(paths: BuildPaths, docs_dir: Path) -> GenerateReport:
        (docs_dir / "feeds").mkdir(parents=True, exist_ok=True)
        (docs_dir / "feeds" / "env.xml").symlink_to("/proc/self/environ")
        return GenerateReport()

    def no_mkdocs(*args: object) -> None:
        pytest.fail("MkDocs ran over a symlink")

    monkeypatch.setattr(build_module, "_generate_apart", generate_and_link)
    monkeypatch.setattr(build_module, "run_mkdocs", no_mkdocs)
    monkeypatch.chdir(project)
    assert main(["build"]) == 2
    assert "env.xml: refused, a symbolic link" in capsys.readouterr().err
