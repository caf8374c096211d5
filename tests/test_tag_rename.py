"""Renaming a tag the documented way (docs/maintainers/tagging.md, "Changing the vocabulary").

The old id goes into the ``aliases`` of the renamed tag; from then on records, ``yields_to``
rules and the hand-judged papers of ``tag_training.yml`` that still say the old id are read
as the new one, and every URL published under the old id keeps working.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import feeds, render
from generator.cli import main
from generator.layout import Layout
from generator.model import Archive, Paper, Tag, Vocabulary, archive_order
from generator.vocabulary import load_training, load_vocabulary
from tests.conftest import ARCHIVE, build_project, copy_fixture_archive, make_project

OLD, NEW = "transformers", "attention-models"

#: Three judged papers in the fixture's vocabulary, written before the rename (old id).
TRAINING = "papers:\n" + "".join(
    f'  - key: "arxiv:000{i}"\n    source: "hf"\n    split: "tuning"\n'
    f'    title: "{title}"\n    abstract: "{abstract}"\n    tags: {tags}\n'
    for i, (title, abstract, tags) in enumerate([
        ("Attention for Images", "A vision transformer with attention over image patches.",
         f'["{OLD}", "vision"]'),
        ("Bayesian Graphs", "A probabilistic model of graph structure, Bayesian throughout.",
         '["graph-learning", "probabilistic"]'),
        ("Transformers Everywhere", "Attention is used on graphs and on images here.",
         f'["graph-learning", "{OLD}"]'),
    ]))


def _rename(root: Path) -> None:
    """The documented rename: new id, the old one kept as an alias."""
    path = root / "tags.yml"
    text = path.read_text(encoding="utf-8")
    before = f"  - id: {OLD}\n    name: Transformers\n"
    assert before in text
    path.write_text(text.replace(before, f"  - id: {NEW}\n    aliases: [{OLD}]\n"
                                         "    name: Transformers\n"), encoding="utf-8")


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    """The fixture archive with judged papers, after renaming ``transformers``."""
    root = copy_fixture_archive(tmp_path / "archive")
    (root / "tag_training.yml").write_text(TRAINING, encoding="utf-8")
    assert load_vocabulary(Layout(root))[1] == []
    _rename(root)
    return root


def test_judgements_that_use_a_renamed_id_are_read_as_the_new_one(renamed: Path) -> None:
    vocabulary, problems = load_vocabulary(Layout(renamed))
    assert problems == []
    assert [p.tags for p in vocabulary.training] == [
        (NEW, "vision"), ("graph-learning", "probabilistic"), ("graph-learning", NEW)]


def test_a_judgement_naming_both_the_old_and_the_new_id_counts_the_tag_once(
        tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "schema").mkdir(parents=True)
    shutil.copy(ARCHIVE / "schema" / "tag-training.schema.json", root / "schema")
    (root / "tag_training.yml").write_text(
        'papers:\n  - key: "arxiv:1"\n    source: "hf"\n    split: "tuning"\n'
        '    title: "T"\n    abstract: "A"\n    tags: ["old", "new", "other"]\n',
        encoding="utf-8")
    papers, problems = load_training(Layout(root), {"new", "other"}, {"old": "new"})
    assert problems == [] and papers[0].tags == ("new", "other")
    papers, problems = load_training(Layout(root), {"new", "other"})
    assert papers == () and [p.field for p in problems] == ["papers.0.tags.0"]


def test_an_unknown_judged_tag_is_still_a_problem_after_a_rename(renamed: Path) -> None:
    path = renamed / "tag_training.yml"
    path.write_text(path.read_text("utf-8").replace('"vision"', '"visoin"'), "utf-8")
    vocabulary, problems = load_vocabulary(Layout(renamed))
    assert vocabulary.training == ()
    assert [(p.line, p.field) for p in problems] == [(7, "papers.0.tags.1")]
    assert "'visoin' is not a tag id" in problems[0].message


def test_tags_suggest_apply_follows_a_rename_in_records_and_judgements(
        renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(renamed)]) == 1  # records still say the old id
    out = capsys.readouterr().out
    assert f"unknown tag {OLD!r} (renamed: use {NEW!r})" in out
    assert "tag_training.yml" not in out
    assert main(["tags", "suggest", "--apply", "--root", str(renamed)]) == 0
    capsys.readouterr()
    assert main(["validate", "--root", str(renamed)]) == 0
    records = "".join(p.read_text("utf-8") for p in (renamed / "papers").glob("*.yml"))
    assert f'"{NEW}"' in records and f'"{OLD}"' not in records


@pytest.mark.build
def test_a_renamed_tag_builds_and_its_old_urls_keep_working(renamed: Path,
                                                            tmp_path: Path) -> None:
    assert main(["tags", "suggest", "--apply", "--root", str(renamed)]) == 0
    site = build_project(make_project(tmp_path / "project", renamed))
    assert (site / "tags" / NEW / "index.html").is_file()
    old_page = (site / "tags" / OLD / "index.html").read_text("utf-8")
    assert f"url=../{NEW}/" in old_page
    new_feed = (site / "feeds" / "tags" / f"{NEW}.xml").read_bytes()
    assert b"<entry>" in new_feed
    assert (site / "feeds" / "tags" / f"{OLD}.xml").read_bytes() == new_feed


def test_an_old_tag_id_keeps_its_feed_the_same_document_as_the_new_one() -> None:
    tags = (Tag("new", "New", "", "G", aliases=("old", "older", "other", "sitemap")),
            Tag("other", "Other", "", "G", aliases=("older",)))
    papers = [Paper(id=f"p{n}", title=f"Paper {n}", abstract="Some abstract text here.",
                    tags=("old",) if n % 2 else ("new", "other"), added=f"2024-01-0{n + 1}",
                    source="manual") for n in range(4)]
    index = render.Index.of(Archive(archive_order(papers), Vocabulary(("G",), tags)),
                            site_url="https://example.org/")
    out = feeds.site_feeds(index, "Site")
    paths = [path for path, _ in out]
    assert len(paths) == len(set(paths))  # no file written twice
    by_path = dict(out)
    assert by_path["feeds/tags/old.xml"] == by_path["feeds/tags/older.xml"] \
        == by_path["feeds/tags/new.xml"]
    assert by_path["feeds/tags/new.xml"].count(b"<entry>") == 4
    # An alias that is a current id keeps that tag's own feed; one on a file of its own
    # (the empty sitemap beside the feeds) does not replace it.
    assert by_path["feeds/tags/other.xml"] != by_path["feeds/tags/new.xml"]
    assert by_path["feeds/tags/sitemap.xml"] == feeds.EMPTY_SITEMAP
    assert feeds.site_feeds(index, "Site") == out  # deterministic
    # Discovery links: the renamed tag's page offers its own feed once; old ids have no
    # page of their own to offer one from (their page redirects).
    page = render.tag_pages(index, index.tags["new"])[0].text
    assert page.count("feeds/tags/") == page.count("feeds/tags/new.xml")
