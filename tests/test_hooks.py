"""MkDocs hooks: edit links point at the real sources; serve regenerates pages."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import hooks
from tests.conftest import copy_fixture_archive

REPO_URL = "https://github.com/o/r"


def _config(tmp_path: Path, repo_url: str = REPO_URL, edit_uri: str = "edit/main/"):
    return SimpleNamespace(repo_url=repo_url, edit_uri=edit_uri, docs_dir=str(tmp_path / "docs"),
                           config_file_path=str(tmp_path / "mkdocs.yml"))


def _page(src_uri: str, meta: dict):
    return SimpleNamespace(meta=meta, file=SimpleNamespace(src_uri=src_uri), edit_url="unset")


@pytest.mark.parametrize(("src_uri", "meta", "expected"), [
    ("papers/x.md", {"edit_path": "archive/papers/x.yml"},
     f"{REPO_URL}/edit/main/archive/papers/x.yml"),
    ("tags/t.md", {"edit_path": "archive/tags.yml"}, f"{REPO_URL}/edit/main/archive/tags.yml"),
    ("index.md", {"edit_path": ""}, None),
    ("about.md", {}, f"{REPO_URL}/edit/main/docs/about.md"),
    ("maintainers/perf.md", {"title": "x"}, f"{REPO_URL}/edit/main/docs/maintainers/perf.md"),
])
def test_edit_url_points_at_the_file_to_edit(tmp_path, src_uri, meta, expected) -> None:
    page = _page(src_uri, meta)
    assert hooks.on_page_markdown("md", page, _config(tmp_path), None) == "md"
    assert page.edit_url == expected


def test_no_repository_leaves_the_edit_url_alone(tmp_path) -> None:
    page = _page("papers/x.md", {"edit_path": "archive/papers/x.yml"})
    hooks.on_page_markdown("md", page, _config(tmp_path, repo_url=""), None)
    assert page.edit_url == "unset"


def test_serve_watches_the_archive(tmp_path) -> None:
    watched = []
    server = SimpleNamespace(watch=watched.append)
    assert hooks.on_serve(server, _config(tmp_path), None) is server
    assert watched == [str(tmp_path / "archive")]


def test_pre_build_regenerates_only_while_serving(tmp_path) -> None:
    copy_fixture_archive(tmp_path / "archive")
    config = _config(tmp_path)
    hooks.on_startup(command="build", dirty=False)
    hooks.on_pre_build(config)
    assert not (tmp_path / "docs").exists()
    try:
        hooks.on_startup(command="serve", dirty=False)
        hooks.on_pre_build(config)
        assert (tmp_path / "docs" / "papers" / "hostile-record.md").exists()
        mtime = (tmp_path / "docs" / "index.md").stat().st_mtime_ns
        hooks.on_pre_build(config)  # nothing changed: nothing rewritten, no rebuild loop
        assert (tmp_path / "docs" / "index.md").stat().st_mtime_ns == mtime
    finally:
        hooks.on_startup(command="build", dirty=False)


def test_pre_build_with_problems_keeps_the_pages(tmp_path, caplog) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    (archive / "papers" / "broken.yml").write_text("id: broken\n")
    try:
        hooks.on_startup(command="serve", dirty=False)
        hooks.on_pre_build(_config(tmp_path))
    finally:
        hooks.on_startup(command="build", dirty=False)
    assert not (tmp_path / "docs").exists()
    assert "pages not regenerated" in caplog.text


def test_copied_guide_links_repository_files_on_github(tmp_path) -> None:
    markdown = ("See [the tags](archive/tags.yml), [schema](./archive/schema/paper.schema.json "
                '"Schema"), [about](about.md), [anchor](#top), [site](https://x.example/) '
                "and [section](archive/tags.yml#L3).")
    files = [SimpleNamespace(src_uri="about.md"), SimpleNamespace(src_uri="index.md")]
    page = _page("contributing.md", {"edit_path": "CONTRIBUTING.md", "repo_links": True})
    out = hooks.on_page_markdown(markdown, page, _config(tmp_path), files)
    assert out == (
        f"See [the tags]({REPO_URL}/blob/main/archive/tags.yml), "
        f'[schema]({REPO_URL}/blob/main/archive/schema/paper.schema.json "Schema"), '
        "[about](about.md), [anchor](#top), [site](https://x.example/) "
        f"and [section]({REPO_URL}/blob/main/archive/tags.yml#L3).")
    assert page.edit_url == f"{REPO_URL}/edit/main/CONTRIBUTING.md"


def test_other_pages_keep_their_links(tmp_path) -> None:
    page = _page("about.md", {})
    assert hooks.on_page_markdown("[x](archive/tags.yml)", page, _config(tmp_path), []) == \
        "[x](archive/tags.yml)"
