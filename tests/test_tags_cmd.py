"""tags suggest / report, save_papers, alias resolution and vocabulary validation."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import tagcmd
from generator.archive import load_archive
from generator.cli import main
from generator.importer import save_papers
from generator.model import Paper
from generator.records import paper_to_yaml
from generator.tagpolicy import load_policy


def _write(root: Path, paper: Paper, *, tool: bool = True) -> None:
    """A record as a tool (fingerprint matches) or a contributor (stale one) left it."""
    stamp = paper.content_fingerprint() if tool else "sha256:0000000000000000"
    path = root / "papers" / f"{paper.id}.yml"
    path.write_text(paper_to_yaml(replace(paper, fingerprint=stamp)), encoding="utf-8")


DIFFUSION = Paper(
    id="diffusion-paper", title="Denoising Diffusion Models for Image Generation",
    abstract="We train a diffusion model on ImageNet images and study classifier-free guidance "
             "for conditional generation of images.",
    added="2024-01-01", source="manual")


@pytest.fixture
def small_archive(empty_archive: Path) -> Path:
    _write(empty_archive, DIFFUSION)
    _write(empty_archive, replace(DIFFUSION, id="edited-paper", title="Edited Diffusion Models "
                                  "for Images"), tool=False)
    return empty_archive


def test_suggest_lists_changes_and_writes_nothing(small_archive: Path, capsys) -> None:
    before = {p.name: p.read_bytes() for p in (small_archive / "papers").iterdir()}
    assert main(["tags", "suggest", "--root", str(small_archive)]) == 0
    out = capsys.readouterr().out
    line = re.search(r"^diffusion-paper: (.*)$", out, re.M).group(1).split()
    assert {"+diffusion-models", "+image-generation"} <= set(line)
    assert "edited-paper" in out and "edited by hand" in out
    assert {p.name: p.read_bytes() for p in (small_archive / "papers").iterdir()} == before


def test_apply_writes_unedited_records_and_never_touches_edited_ones(small_archive: Path,
                                                                     capsys) -> None:
    edited = small_archive / "papers" / "edited-paper.yml"
    edited_bytes = edited.read_bytes()
    assert main(["tags", "suggest", "--apply", "--root", str(small_archive)]) == 0
    assert "skipped edited-paper" in capsys.readouterr().err
    assert edited.read_bytes() == edited_bytes
    archive, problems = load_archive(small_archive)
    assert problems == []
    paper = archive.paper("diffusion-paper")
    assert "diffusion-models" in paper.tags and not paper.edited
    order = [t.id for t in archive.vocabulary.tags]
    assert list(paper.tags) == sorted(paper.tags, key=order.index)
    # A second run has nothing left to write.
    assert main(["tags", "suggest", "--apply", "--root", str(small_archive)]) == 0
    assert "0 records written" in capsys.readouterr().err


def test_suggest_one_paper_and_unknown_paper(small_archive: Path, capsys) -> None:
    assert main(["tags", "suggest", "--paper", "diffusion-paper", "--root",
                 str(small_archive)]) == 0
    assert "edited-paper" not in capsys.readouterr().out
    assert main(["tags", "suggest", "--paper", "nope", "--root", str(small_archive)]) == 1


def test_save_papers_renews_fingerprint_and_skips_identical_bytes(empty_archive: Path) -> None:
    paper = replace(DIFFUSION, tags=("diffusion-models",))
    assert save_papers(empty_archive, [paper]) == [empty_archive / "papers" / f"{paper.id}.yml"]
    assert save_papers(empty_archive, [paper]) == []
    archive, _ = load_archive(empty_archive)
    assert not archive.paper(paper.id).edited


def test_report_flags_policy_violations(empty_archive: Path) -> None:
    papers = [replace(DIFFUSION, id=f"p{i}", title=f"Paper {i}", tags=("diffusion-models",))
              for i in range(3)]
    for paper in papers:
        _write(empty_archive, paper)
    archive, _ = load_archive(empty_archive)
    policy = replace(load_policy(empty_archive), min_tags=2, share_from_papers=1,
                     rare_from_papers=1)
    rep = tagcmd.report(archive, policy)
    assert ("diffusion-models" in rep.broad) and ("images" in rep.rare)
    assert {pid for pid, _ in rep.few_tags} == {"p0", "p1", "p2"}
    assert not rep.ok
    text = "\n".join(tagcmd.format_report(rep))
    assert "tags on more than 35% of papers: 1\n  diffusion-models: 100%" in text
    assert "papers with fewer than 2 tags: 3\n  p0: 1 tag(s)" in text
    assert text.splitlines()[-1].endswith("policy broken")


def test_report_lists_the_worst_cases_only_and_thin_tags_are_notes(empty_archive: Path,
                                                                    ) -> None:
    for i in range(30):
        _write(empty_archive, replace(DIFFUSION, id=f"p{i:02}", title=f"Paper {i}",
                                      tags=("diffusion-models", "image-generation")[:i % 2 + 1]))
    archive, _ = load_archive(empty_archive)
    policy = replace(load_policy(empty_archive), min_tags=2)
    rep = tagcmd.report(archive, policy)
    text = tagcmd.format_report(rep)
    assert "papers with fewer than 2 tags: 15" in "\n".join(text)
    rep2 = tagcmd.report(archive, replace(policy, min_tags=1))
    assert rep2.rare and not rep2.rare_is_error and rep2.ok  # 30 papers: thin tags are notes
    many = [replace(DIFFUSION, id=f"q{i:02}", title=f"Q {i}", tags=()) for i in range(25)]
    rep3 = tagcmd.report(replace(archive, papers=tuple(many)), policy)
    listed = tagcmd.format_report(rep3)
    header = next(i for i, line in enumerate(listed) if line.startswith("papers with fewer"))
    worst = tagcmd.WORST_CASES
    assert listed[header] == f"papers with fewer than 2 tags: 25 (showing the worst {worst})"
    assert sum(1 for line in listed[header + 1:] if line.startswith("  q")) == tagcmd.WORST_CASES


def _rename(root: Path, old: str, new: str) -> None:
    """Rename a tag in tags.yml the documented way: new id, old id kept as an alias."""
    path = root / "tags.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(f'  - id: "{old}"', f'  - id: "{new}"', 1)
    start = text.index(f'  - id: "{new}"')
    at = text.index("    aliases: []", start)
    text = text[:at] + f'    aliases: ["{old}"]' + text[at + len("    aliases: []"):]
    path.write_text(text, encoding="utf-8")


def test_alias_resolution_after_a_rename(empty_archive: Path, capsys) -> None:
    _write(empty_archive, replace(DIFFUSION, tags=("diffusion-models", "image-generation")))
    _rename(empty_archive, "image-generation", "image-synthesis")
    archive, problems = load_archive(empty_archive)
    assert archive.vocabulary.resolve("image-generation") == "image-synthesis"
    assert archive.vocabulary.resolve("image-synthesis") == "image-synthesis"
    assert archive.vocabulary.resolve("no-such-tag") is None
    assert [p.message for p in problems] == ["unknown tag 'image-generation' (renamed: use "
                                             "'image-synthesis')"]
    # suggest compares the renamed id with the rules, so it only proposes the new spelling.
    (s,) = tagcmd.suggest(archive, load_policy(empty_archive))
    assert "image-synthesis" in s.current and "image-generation" not in s.add


def test_apply_renames_aliases_in_edited_records_and_keeps_them_edited(empty_archive: Path,
                                                                        capsys) -> None:
    _write(empty_archive, replace(DIFFUSION, tags=("diffusion-models", "image-generation")),
           tool=False)
    _rename(empty_archive, "image-generation", "image-synthesis")
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    assert "renamed tag ids updated" in capsys.readouterr().err
    archive, problems = load_archive(empty_archive)
    assert problems == []
    paper = archive.paper(DIFFUSION.id)
    assert paper.tags == ("image-synthesis", "diffusion-models") and paper.edited


@pytest.mark.parametrize(("edit", "field", "message"), [
    (('group: "Vision"', 'group: "Nonsense"'), "group", "unknown group 'Nonsense'"),
    (('  - id: "images"', '  - id: "diffusion-models"'), "id", "already used as an id"),
    (('aliases: []', 'aliases: ["language-models"]'), "aliases.0", "already used as an id"),
    (('aliases: []', 'aliases: ["images"]'), "id", "already used as an alias"),
    (('keywords: ["diffusion",', 'keywords: ["dif*fusion",'), "rules.keywords.0",
     "may only end a word"),
    (('min_score: "2"', 'min_score: "two"'), "min_score", "does not match"),
])
def test_validate_vocabulary_problems(empty_archive: Path, capsys, edit, field, message) -> None:
    path = empty_archive / "tags.yml"
    old, new = edit
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", "--root", str(empty_archive)]) == 1
    lines = capsys.readouterr().out.splitlines()
    hit = [ln for ln in lines if field in ln and message in ln]
    assert hit, lines
    assert re.match(r"^\S*tags\.yml:\d+: ", hit[0])


def test_help_for_each_tags_command(capsys) -> None:
    for argv in (["tags", "--help"], ["tags", "suggest", "--help"], ["tags", "report", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
    assert "--apply" in capsys.readouterr().out


def test_seed_copy_round_trips_through_apply(seed_archive: Path) -> None:
    """Applying the rules to the committed archive only touches what suggest lists."""
    archive, _ = load_archive(seed_archive)
    policy = load_policy(seed_archive)
    changing = {s.paper_id for s in tagcmd.suggest(archive, policy)
                if s.changes and not s.edited}
    shutil.rmtree(seed_archive / "dumps")
    written = tagcmd.apply_suggestions(seed_archive, archive,
                                       tagcmd.suggest(archive, policy)).written
    assert {p.stem for p in written} == changing
