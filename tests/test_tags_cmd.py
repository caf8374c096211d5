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
    assert re.search(r"^diffusion-paper: \+diffusion-models .*\+images", out, re.M)
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
    rep = tagcmd.report(archive)
    assert ("diffusion-models" in rep.broad) and ("images" in rep.rare)
    assert {pid for pid, _ in rep.few_tags} == {"p0", "p1", "p2"}
    assert not rep.ok
    text = "\n".join(tagcmd.format_report(rep))
    assert "BROAD  tag diffusion-models" in text and "FEW    paper p0" in text


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
    _write(empty_archive, replace(DIFFUSION, tags=("diffusion-models", "images")))
    _rename(empty_archive, "diffusion-models", "diffusion")
    archive, problems = load_archive(empty_archive)
    assert archive.vocabulary.resolve("diffusion-models") == "diffusion"
    assert archive.vocabulary.resolve("diffusion") == "diffusion"
    assert archive.vocabulary.resolve("no-such-tag") is None
    assert [p.message for p in problems] == ["unknown tag 'diffusion-models' (renamed: use "
                                             "'diffusion')"]
    # suggest compares the renamed id with the rules, so it only proposes the new spelling.
    (s,) = tagcmd.suggest(archive)
    assert "diffusion" in s.current and "diffusion-models" not in s.add


@pytest.mark.parametrize(("edit", "field", "message"), [
    (('group: "Methods"', 'group: "Nonsense"'), "group", "unknown group 'Nonsense'"),
    (('  - id: "images"', '  - id: "diffusion-models"'), "id", "already used as an id"),
    (('aliases: []', 'aliases: ["transformers"]'), "aliases.0", "already used as an id"),
    (('aliases: []', 'aliases: ["images"]'), "id", "already used as an alias"),
    (('keywords: ["diffusion",', 'keywords: ["dif*fusion",'), "rules.keywords.0",
     "is not a word"),
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
    changing = {s.paper_id for s in tagcmd.suggest(archive) if s.changes and not s.edited}
    shutil.rmtree(seed_archive / "dumps")
    written = tagcmd.apply_suggestions(seed_archive, archive, tagcmd.suggest(archive)).written
    assert {p.stem for p in written} == changing
