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


class _Server:
    """What on_serve uses of MkDocs' LiveReloadServer."""

    def __init__(self, docs: Path) -> None:
        self.watched = [str(docs)]
        self.builder = lambda: None
        self.app = lambda environ, start_response: [b""]

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path)

    def get_app(self):
        return self.app

    def set_app(self, app) -> None:
        self.app = app


def test_serve_watches_the_sources_not_the_generated_pages(tmp_path) -> None:
    # The pages generate writes used to set off a second full rebuild after each edit.
    copy_fixture_archive(tmp_path / "archive")
    (tmp_path / "CONTRIBUTING.md").write_text("# Contributing\n")
    docs = tmp_path / "docs"
    (docs / "maintainers").mkdir(parents=True)
    (docs / "about.md").write_text("# About\n")
    for name in ("papers", "tags", "search"):
        (docs / name).mkdir()
    (docs / "index.md").write_text("# Home\n")
    server = _Server(docs)
    try:
        assert hooks.on_serve(server, _config(tmp_path), None) is server
    finally:
        hooks.on_startup(command="build", dirty=False)
    assert server.watched == [str(docs / "about.md"), str(docs / "maintainers"),
                              str(tmp_path / "CONTRIBUTING.md"), str(tmp_path / "archive")]


def test_generated_entries_are_what_generate_writes(tmp_path) -> None:
    from generator.site import GENERATED_ENTRIES, generate

    archive = copy_fixture_archive(tmp_path / "archive")
    (tmp_path / "CONTRIBUTING.md").write_text("# Contributing\n")
    generate(archive, tmp_path / "docs", tmp_path)
    written = {p.name for p in (tmp_path / "docs").iterdir()}
    # robots.txt needs the site's address, which the fixture project does not set.
    assert written == {entry.split("/")[0] for entry in GENERATED_ENTRIES} - {"robots.txt"}


def _get(app, path: str = "/") -> tuple[str, dict[str, str], bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return answer["status"], answer["headers"], body


def _site_app(pages: dict[str, tuple[str, bytes]]):
    def app(environ, start_response):
        kind, body = pages[environ["PATH_INFO"]]
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]
    return app


def test_a_failed_rebuild_keeps_serving_with_the_problem_on_every_page(tmp_path) -> None:
    page = b'<html><body class="x"><p>old page</p></body></html>'
    app = hooks.with_notice(_site_app({"/": ("text/html; charset=utf-8", page),
                                       "/a.js": ("application/javascript", b"js()")}))

    def failing():
        raise SystemExit("Aborted with 1 warnings in strict mode!")

    build = hooks.keep_last_site(failing)
    hooks.on_startup(command="serve", dirty=False)
    try:
        build()  # returns: MkDocs' server then answers requests again instead of hanging
        status, headers, body = _get(app)
        assert status == "200 OK"
        assert body.startswith(b'<html><body class="x"><div id="pa-serve-notice"')
        assert b"Aborted with 1 warnings in strict mode!" in body
        assert b"<p>old page</p>" in body
        assert headers["Content-Length"] == str(len(body))
        assert _get(app, "/a.js")[2] == b"js()"
        hooks.keep_last_site(lambda: None)()  # the next good build clears the notice
        assert _get(app)[2] == page
    finally:
        hooks.on_startup(command="build", dirty=False)


def test_problems_notice_is_escaped_and_bounded() -> None:
    lines = [f"archive/papers/p{i}.yml:2: title: <script>alert({i})</script>"
             for i in range(hooks.NOTICE_LINES + 5)]
    notice = hooks.problems_notice(lines)
    assert "<script>" not in notice and "&lt;script&gt;alert(0)&lt;/script&gt;" in notice
    assert notice.count("<li>") == hooks.NOTICE_LINES
    assert f"{hooks.NOTICE_LINES + 5} problem(s)" in notice and "and 5 more" in notice
    assert "<script>" not in hooks.failure_notice("<script>x</script>")


def test_notice_goes_first_in_a_page_without_body() -> None:
    assert hooks.insert_notice(b"<p>x</p>", b"<div>n</div>") == b"<div>n</div><p>x</p>"


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
        assert "broken.yml" in hooks._state["notice"]
        # Once serving, the rebuild stops before MkDocs cleans the site it serves.
        hooks._state["guarded"] = True
        with pytest.raises(hooks.KeptLastSite):
            hooks.on_pre_build(_config(tmp_path))
    finally:
        hooks.on_startup(command="build", dirty=False)
    assert not (tmp_path / "docs").exists()
    assert "pages not regenerated" in caplog.text
    assert "broken.yml" in caplog.text


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
