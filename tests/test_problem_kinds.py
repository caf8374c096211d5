"""Problems are told apart by kind, not by the text of their path.

Also: ``tags suggest --apply`` writes what ``tags suggest`` lists, and build reads
mkdocs.yml as MkDocs does.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import tagcmd
from generator.archive import load_archive
from generator.build import BuildPaths
from generator.cli import main
from generator.model import ARCHIVE, RECORD, VOCABULARY
from generator.tagpolicy import load_policy
from tests.test_tags_cmd import DIFFUSION, _write

REPO = Path(__file__).resolve().parent.parent


def test_problems_carry_their_kind(empty_archive: Path) -> None:
    _write(empty_archive, replace(DIFFUSION, tags=("no-such-tag",)))
    tags = empty_archive / "tags.yml"
    tags.write_text(tags.read_text("utf-8").replace("rules:", "rulez:", 1), encoding="utf-8")
    (empty_archive / "schema" / "paper.schema.json").unlink()
    kinds = {(p.kind, p.field) for p in load_archive(empty_archive)[1]}
    assert (RECORD, "tags.0") in kinds
    assert any(kind == VOCABULARY for kind, _ in kinds)
    assert (ARCHIVE, "(file)") in kinds


@pytest.mark.parametrize("typo", ["colour: blue\n", None])
def test_an_invalid_record_is_not_an_unreadable_one(empty_archive: Path, tmp_path: Path,
                                                    capsys, typo: str | None) -> None:
    """An unknown or a missing field is a schema problem of a readable record.

    Such problems are named after the whole record (field ``(record)``), as is a record
    that is not a mapping, and telling the two apart by that text made a contributor's
    typo block ``import``, ``new`` and the ``tags`` commands as if the file were unreadable.
    """
    _write(empty_archive, DIFFUSION)
    path = empty_archive / "papers" / f"{DIFFUSION.id}.yml"
    text = path.read_text("utf-8")
    path.write_text(text + typo if typo else text.replace('source: "manual"\n', ""), "utf-8")
    problems = load_archive(empty_archive)[1]
    assert [(p.field, p.unreadable) for p in problems] == [("(record)", False)]

    assert main(["tags", "report", "--root", str(empty_archive)]) == 0
    assert "total: 1 papers" in capsys.readouterr().out
    dump = tmp_path / "dump.jsonl"
    abstract = "An abstract long enough for the schema, about a method and its results."
    dump.write_text(json.dumps({"title": "Another paper entirely", "abstract": abstract})
                    + "\n", "utf-8")
    assert main(["import", str(dump), "--root", str(empty_archive), "--no-copy"]) == 0
    assert len(list((empty_archive / "papers").glob("*.yml"))) == 2

    path.write_text("- not\n- a mapping\n", "utf-8")
    assert [p.unreadable for p in load_archive(empty_archive)[1]] == [True]
    assert main(["tags", "report", "--root", str(empty_archive)]) == 1


def test_tags_report_runs_beside_a_record_whose_name_ends_in_tags(empty_archive: Path,
                                                                   capsys) -> None:
    """A paper whose id ends in "tags" has a paper problem, not a vocabulary problem.

    ``papers/model-tags.yml`` holds ``tags.yml`` in its path: it used to count as a
    vocabulary problem, and ``tags report`` refused to run for one unknown tag in it.
    """
    _write(empty_archive, DIFFUSION)
    _write(empty_archive, replace(DIFFUSION, id="model-tags", title="Model tags",
                                  tags=("no-such-tag",)))
    main(["tags", "report", "--root", str(empty_archive)])
    out = capsys.readouterr().out
    assert "model-tags: 'no-such-tag' is not in the vocabulary" in out
    assert out.rstrip().splitlines()[-1].startswith("total: 2 papers, ")


def test_a_vocabulary_problem_still_stops_the_tags_commands(empty_archive: Path,
                                                             capsys) -> None:
    _write(empty_archive, DIFFUSION)
    tags = empty_archive / "tags.yml"
    tags.write_text(tags.read_text("utf-8").replace("rules:", "rulez:", 1), encoding="utf-8")
    assert main(["tags", "report", "--root", str(empty_archive)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "archive/tags.yml:" in captured.err


def test_apply_writes_exactly_the_records_suggest_lists(empty_archive: Path, capsys) -> None:
    """A record whose tags only need reordering is listed, and is all that ``--apply`` writes.

    Tags equal to the proposal but in another order: ``suggest`` used to list nothing
    while ``--apply`` rewrote the record.  Now the rewrite is listed, and ``--apply``
    writes that record and no other.
    """
    other = replace(DIFFUSION, id="as-proposed", title="Denoising Diffusion Models, again")
    _write(empty_archive, DIFFUSION)
    _write(empty_archive, other)
    archive, _ = load_archive(empty_archive)
    proposed = {s.paper_id: s.proposed
                for s in tagcmd.suggest(archive, load_policy(empty_archive))}
    assert len(proposed[DIFFUSION.id]) >= 2, proposed
    _write(empty_archive, replace(DIFFUSION, tags=tuple(reversed(proposed[DIFFUSION.id]))))
    _write(empty_archive, replace(other, tags=proposed[other.id]))
    records = {p.name: p.read_bytes() for p in (empty_archive / "papers").iterdir()}
    assert main(["tags", "suggest", "--root", str(empty_archive)]) == 0
    listed = [line.split(":")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [DIFFUSION.id]
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    changed = [name for name, data in records.items()
               if (empty_archive / "papers" / name).read_bytes() != data]
    assert changed == [f"{DIFFUSION.id}.yml"]


def test_build_reads_docs_dir_through_mkdocs_own_loader(tmp_path: Path, monkeypatch) -> None:
    """``docs_dir: !ENV [...]`` used to become ``<project>/None``."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "generator", project / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "\ndocs_dir: docs\n" in text
    config = project / "mkdocs.yml"
    config.write_text(text.replace("\ndocs_dir: docs\n", "\ndocs_dir: !ENV [PA_DOCS, docs]\n"),
                      encoding="utf-8")
    (project / "docs").mkdir()
    (project / "pages").mkdir()
    paths = BuildPaths(root=project / "archive", config=config, site_dir=project / "site")
    monkeypatch.delenv("PA_DOCS", raising=False)
    assert paths.docs_dir == project / "docs"
    monkeypatch.setenv("PA_DOCS", "pages")
    assert paths.docs_dir == project / "pages"


@pytest.mark.parametrize("value", ["docs", "./docs"])
def test_build_docs_dir_is_relative_to_the_config_file(tmp_path: Path, value: str) -> None:
    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    shutil.copytree(REPO / "overrides", project / "overrides")
    config = project / "mkdocs.yml"
    config.write_text(f"site_name: x\ndocs_dir: {value}\ntheme:\n  name: material\n"
                      "  custom_dir: overrides\n", encoding="utf-8")
    paths = BuildPaths(root=project / "archive", config=config, site_dir=project / "site")
    assert paths.docs_dir.resolve() == (project / "docs").resolve()
