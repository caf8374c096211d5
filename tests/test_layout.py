"""Layout: reserved ids are refused, and no two generated outputs share a path."""

from __future__ import annotations

import ast
import json

import pytest

from generator import layout
from generator.archive import load_archive
from generator.cli import main
from generator.identity import derive_id
from generator.layout import OutputCollision
from generator.model import Archive, Paper, Tag, Vocabulary
from generator.render import plan_site
from generator.search import SCRIPT_DIR, SCRIPTS, build_search
from generator.site import write_pages
from tests.conftest import REPO
from tests.test_validate import GOOD

ABSTRACT = "An abstract that is long enough to satisfy the schema's minimum length rule."


def _record(root, paper_id: str, title: str) -> None:
    text = GOOD.format(id=paper_id, title=title, url="https://x.org/a")
    (root / "papers" / f"{paper_id}.yml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(layout.RESERVED_IDS))
def test_validate_refuses_a_reserved_paper_id(empty_archive, capsys, name):
    _record(empty_archive, name, "Index")
    assert main(["validate", "--root", str(empty_archive)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"archive/papers/{name}.yml:2: id: '{name}' is a reserved name")
               for line in lines), lines


TAGS = """\
groups:
  - name: "G"
    description: "The only group."
tags:
  - id: "index"
    name: "Index"
    description: "A tag whose id is the name of the tags overview."
    group: "G"
    rules: {}
  - id: "topic"
    name: "Topic"
    description: "A tag with a former id that names a page of lists."
    group: "G"
    aliases: ["page"]
    rules: {}
"""


def test_validate_refuses_a_reserved_tag_id_and_alias(empty_archive):
    (empty_archive / "tags.yml").write_text(TAGS, encoding="utf-8")
    problems = [str(p) for p in load_archive(empty_archive)[1]]
    assert problems == [
        "archive/tags.yml:5: tags.0.id: 'index' is a reserved name (papers/index.md and "
        "tags/index.md are the A-Z list and the tags overview); choose another",
        "archive/tags.yml:14: tags.1.aliases.0: 'page' is a reserved name (the numbered "
        "pages of long lists are .../page/<n>/); choose another",
    ]


def test_new_ids_are_never_reserved():
    assert derive_id("Index", []) == "index-2"
    assert derive_id("Page", ["page-2"]) == "page-3"
    assert derive_id("Indexing", []) == "indexing"


def _paper(paper_id: str, title: str, tags: tuple[str, ...] = ()) -> Paper:
    return Paper(id=paper_id, title=title, abstract=ABSTRACT, tags=tags, added="2026-01-01",
                 source="manual")


def _pages_written(docs) -> list[str]:
    """Pages (and feeds, API files) in ``docs``, without the search index.

    The search index and its minified scripts, built meanwhile in their own process, are
    regenerated whole by every run, so they do not count.
    """
    search = {"search", *[str(p) for p in (SCRIPT_DIR / name for name in SCRIPTS)]}
    return sorted(str(p.relative_to(docs)) for p in docs.rglob("*")
                  if p.is_file() and p.relative_to(docs).parts[0] not in search
                  and str(p.relative_to(docs)) not in search)


def test_generate_refuses_a_paper_that_would_replace_the_a_z_list(tmp_path):
    archive = Archive((_paper("index", "Index"), _paper("other", "Other")), Vocabulary((), ()))
    docs = tmp_path / "docs"
    with pytest.raises(OutputCollision) as caught:
        write_pages(archive, docs, tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "the A-Z list" in message and "paper 'index' (archive/papers/index.yml)" in message
    assert "papers/index.md" in message
    assert _pages_written(docs) == [], "no page may be written when two outputs collide"


def test_generate_refuses_a_tag_alias_that_would_replace_the_tags_overview(tmp_path):
    tag = Tag("topic", "Topic", "A topic of the archive, for the test.", "G",
              aliases=("index",))
    archive = Archive((_paper("one", "One", ("topic",)),), Vocabulary(("G",), (tag,)))
    with pytest.raises(OutputCollision, match=r"the tags overview and alias 'index' of tag "
                                              r"'topic' \(archive/tags.yml\)"):
        write_pages(archive, tmp_path / "docs", tmp_path)


def test_directory_page_and_flat_page_collide():
    """``x.md`` and ``x/index.md`` are the same file of the built site."""
    with pytest.raises(OutputCollision, match=r"papers/a\.md and papers/a/index\.md"):
        layout.refuse_collisions([("papers/a.md", "one"), ("papers/a/index.md", "two")])
    layout.refuse_collisions([("papers/a.md", "one"), ("papers/b.md", "two")])


def test_every_planned_page_names_its_source():
    archive = Archive((_paper("one", "One", ("topic",)),),
                      Vocabulary(("G",), (Tag("topic", "Topic", "d" * 30, "G",
                                              aliases=("old",)),)))
    sources = {plan.path: plan.source for plan in plan_site(archive)}
    assert sources == {
        "index.md": "the home page",
        "months/index.md": "the month listings",
        "papers/index.md": "the A-Z list",
        "papers/letter/o.md": "the A-Z list (papers/letter/o.md)",
        "papers/one.md": "paper 'one' (archive/papers/one.yml)",
        "tags/index.md": "the tags overview",
        "tags/topic.md": "tag 'topic' (archive/tags.yml)",
        "tags/old.md": "alias 'old' of tag 'topic' (archive/tags.yml)",
    }


def test_manifest_carries_the_url_forms_the_pages_use():
    archive = Archive((_paper("one", "One"),), Vocabulary((), ()))
    manifest = json.loads(build_search(archive).files["manifest.json"])
    assert manifest["urls"] == {"paper": "papers/{id}/", "tag": "tags/{id}/",
                                "search": "search/", "tags": "tags/", "papers": "papers/"}
    assert layout.url_of(layout.paper_page("one")) == manifest["urls"]["paper"].format(id="one")


def test_generate_command_reports_a_collision_in_one_line(empty_archive, capsys, monkeypatch):
    """A collision that validate cannot see (a page kind added later) is still refused."""
    import generator.site

    archive = Archive((_paper("index", "Index"),), Vocabulary((), ()))
    monkeypatch.setattr(generator.site, "load_checked", lambda root, *reuse: archive)
    docs = empty_archive.parent / "docs"
    assert main(["generate", "--root", str(empty_archive), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: papers/index.md: the A-Z list and paper 'index'"), err
    assert err.endswith("nothing was generated") and "\n" not in err
    assert _pages_written(docs) == []


@pytest.mark.parametrize(("hand_written", "generated"), [
    ("papers.md", "the A-Z list"), ("README.md", "the home page"),
    ("tags/README.md", None)])
def test_a_hand_written_page_where_a_generated_one_goes_is_refused(tmp_path, hand_written,
                                                                   generated):
    """A hand-written page on a generated page's URL stops the run.

    ``docs/papers.md`` would be served at /papers/, where the A-Z list is; MkDocs serves a
    README.md as its folder's page.  (A file inside a generated folder is not hand-written,
    only stale.)
    """
    docs = tmp_path / "docs"
    (docs / hand_written).parent.mkdir(parents=True, exist_ok=True)
    (docs / hand_written).write_text("# By hand\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    archive = Archive((_paper("one", "One"),), Vocabulary((), ()))
    if generated is None:
        write_pages(archive, docs, tmp_path)  # inside a generated folder: just stale
        return
    with pytest.raises(OutputCollision, match=f"the hand-written docs/{hand_written} and "
                                              f"{generated}"):
        write_pages(archive, docs, tmp_path)
    assert not (docs / "papers" / "one.md").exists()


def test_no_module_but_layout_spells_an_archive_path():
    """Messages and help name record and vocabulary files through the layout.

    ``archive/tags.yml`` was written out in four messages of three modules.
    """
    spelled = []
    for path in sorted((REPO / "generator").glob("*.py")):
        if path.name == "layout.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        spelled += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and "archive/" in node.value and id(node) not in docstrings]
    assert spelled == []
