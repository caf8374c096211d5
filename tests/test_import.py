"""Import: idempotence, conflicts with edited records, atomicity, summary."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import files
from generator.archive import load_archive
from generator.cli import main
from generator.importer import ImportError_, run_import
from generator.layout import Layout
from generator.records import load_paper, paper_to_yaml
from generator.schema import load_schema
from tests.conftest import ARCHIVE, SEED

LISTING = """\
Get trending papers in your email inbox!
SubscribeFirst Paper About Diffusion
A first abstract that is long enough for the importer; code at https://github.com/a/first .
Second Paper on Forecasting
A second abstract that is long enough for the importer, with $x \\le y$ math and 5\\% more.
"""


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _dump(tmp_path: Path, text: str = LISTING, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_new_listing(empty_archive, tmp_path):
    report = run_import(_dump(tmp_path), empty_archive, today="2026-01-02")
    assert report.added == ["first-paper-about-diffusion", "second-paper-on-forecasting"]
    archive, problems = load_archive(empty_archive)
    assert problems == []
    first = archive.paper("first-paper-about-diffusion")
    assert first.added == "2026-01-02" and first.source == "dump.txt"
    assert [(link.kind, link.url) for link in first.links] == [("code", "https://github.com/a/first")]
    assert not first.edited
    assert (empty_archive / "dumps" / "dump.txt").exists()


def test_reimport_touches_nothing(empty_archive, tmp_path):
    dump = _dump(tmp_path)
    run_import(dump, empty_archive, today="2026-01-02")
    before = _snapshot(empty_archive)
    report = run_import(dump, empty_archive, today="2030-01-01")
    assert report.written == [] and len(report.unchanged) == 2
    assert _snapshot(empty_archive) == before


def test_reimporting_the_seed_changes_nothing(seed_archive):
    before = _snapshot(seed_archive)
    report = run_import(seed_archive / "dumps" / SEED.name, seed_archive)
    assert (len(report.unchanged), report.written, report.conflicts) == (262, [], [])
    assert _snapshot(seed_archive) == before


def test_edited_record_is_a_conflict_and_kept(empty_archive, tmp_path):
    run_import(_dump(tmp_path), empty_archive, today="2026-01-02")
    path = Layout(empty_archive).paper_path("second-paper-on-forecasting")
    edited = path.read_text("utf-8").replace("A second abstract", "A corrected abstract")
    path.write_text(edited, "utf-8")
    changed = LISTING.replace("5\\% more", "6\\% more")
    (empty_archive / "dumps" / "dump.txt").unlink()  # a corrected dump replaces the stored one
    report = run_import(_dump(tmp_path, changed), empty_archive)
    assert [(c.id, c.fields) for c in report.conflicts] == [
        ("second-paper-on-forecasting", ("abstract",))]
    assert path.read_text("utf-8") == edited
    assert "record kept" in "\n".join(report.details())


def test_unedited_record_follows_the_dump(empty_archive, tmp_path):
    run_import(_dump(tmp_path), empty_archive, today="2026-01-02")
    changed = LISTING.replace("5\\% more", "6\\% more")
    (empty_archive / "dumps" / "dump.txt").unlink()  # a corrected dump replaces the stored one
    report = run_import(_dump(tmp_path, changed), empty_archive)
    assert report.updated == ["second-paper-on-forecasting"]
    paper = load_archive(empty_archive)[0].paper("second-paper-on-forecasting")
    assert "6% more" in paper.abstract and paper.added == "2026-01-02" and not paper.edited


def test_duplicates_within_a_dump_and_id_collisions(empty_archive, tmp_path):
    first_abstract = LISTING.splitlines()[2]
    text = (LISTING + "first paper about DIFFUSION!\n" + first_abstract + "\n"
            + "First paper about diffusion.\n" + "x" * 80 + "\n")
    report = run_import(_dump(tmp_path, text), empty_archive, today="2026-01-02")
    assert report.duplicates == [(6, "first-paper-about-diffusion")]
    # The same title with another abstract is not confidently the same paper.
    assert report.rejected == [(8, "same title as first-paper-about-diffusion but the "
                                   "abstracts share only 0% of their words")]
    other = "First Paper About Diffusion (v2)\n" + "y" * 80 + "\n"
    report = run_import(_dump(tmp_path, other, "two.txt"), empty_archive)
    assert report.added == ["first-paper-about-diffusion-v2"]
    same = "First paper about diffusion: v2\n" + "z" * 80 + "\n"
    report = run_import(_dump(tmp_path, same, "three.txt"), empty_archive)
    assert report.added == [] and report.updated == []  # same key, abstract of another paper
    assert [c.id for c in report.conflicts] == ["first-paper-about-diffusion-v2"]
    long_a = "A very long title that shares its first sixty characters with another one A"
    long_b = long_a[:-1] + "B"
    both = f"{long_a}\n{'a' * 80}\n{long_b}\n{'b' * 80}\n"
    report = run_import(_dump(tmp_path, both, "four.txt"), empty_archive)
    base = "a-very-long-title-that-shares-its-first-sixty-characters"
    assert report.added == [base, base + "-2"]


def test_rejected_entry_is_reported(empty_archive, tmp_path):
    text = LISTING + ("T" * 301) + "\n" + "a" * 80 + "\n"
    with pytest.raises(ImportError_, match="expected a title here"):
        run_import(_dump(tmp_path, text), empty_archive)
    text = LISTING + "Short\n" + "\\textbf{}" * 6 + "just enough raw chars\n"
    report = run_import(_dump(tmp_path, text), empty_archive, today="2026-01-02")
    assert report.rejected == [(6, "abstract shorter than 50 characters")]


def test_bad_dump_writes_nothing(empty_archive, tmp_path, capsys):
    before = _snapshot(empty_archive)
    bad = _dump(tmp_path, LISTING + "Dangling title\n")
    assert main(["import", str(bad), "--root", str(empty_archive)]) == 1
    err = capsys.readouterr().err
    assert "dump.txt:6: title without an abstract" in err and "nothing was written" in err
    assert _snapshot(empty_archive) == before


def test_unreadable_record_blocks_import(empty_archive, tmp_path):
    (empty_archive / "papers" / "broken.yml").write_text("a: &x 1\n")
    with pytest.raises(ImportError_, match=r"broken\.yml:1"):
        run_import(_dump(tmp_path), empty_archive)


def test_crash_mid_write_leaves_no_partial_record(empty_archive, tmp_path, monkeypatch):
    """A failure inside a write leaves the old file whole and no temp file behind."""
    target = empty_archive / "papers" / "x.yml"
    target.write_text("old", "utf-8")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        files.atomic_write_text(target, "new content")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in target.parent.iterdir()] == ["x.yml"]


def test_summary_and_dry_run(empty_archive, tmp_path, capsys):
    assert main(["import", str(_dump(tmp_path)), "--root", str(empty_archive), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run, nothing written: dump.txt: 2 added, 0 updated, 0 unchanged" in out
    assert list((empty_archive / "papers").iterdir()) == []


def test_every_committed_record_round_trips():
    schema = load_schema(ARCHIVE)
    for path in sorted((ARCHIVE / "papers").glob("*.yml")):
        paper, problems, _ = load_paper(path, schema)
        assert problems == [] and paper is not None
        assert paper_to_yaml(paper) == path.read_text("utf-8"), path.name


def test_seed_tricky_cases_in_committed_records():
    papers = {p.id: p for p in load_archive(ARCHIVE)[0].papers}
    text = "\n".join(p.abstract for p in papers.values())
    assert "\\%" not in text and "5.4% (top-10)" in text
    assert "Akyürek et al., 2023" in text and "Hölder style inequality" in text
    assert "https://github.com/xo28/efficient-NLP-multistage-training" in text
    assert "33× improvement in FPS" in text and "times" not in text.split("33×")[0][-3:]
    assert "\\le (1 - p_{gen})^N + \\lceil \\log_2 N \\rceil" in text
    assert not any(p.title.lower().startswith("subscribe") for p in papers.values())
    ualign = next(p for p in papers.values() if p.title.startswith("UAlign"))
    assert ualign.title.startswith("UAlign: Pushing the Limit of Template-free")
    kinds = [(link.kind, link.url) for p in papers.values() for link in p.links]
    assert ("code", "https://github.com/xo28/efficient-NLP-multistage-training") in kinds
    assert ("project", "https://llm-stacking.github.io/") in kinds


def test_import_cli_into_copy(tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE / "schema", root / "schema")
    (root / "papers").mkdir()
    assert main(["import", str(SEED), "--root", str(root), "--date", "2026-11-28"]) == 0
    ours = sorted(p.name for p in (root / "papers").glob("*.yml"))
    assert ours == sorted(p.name for p in (ARCHIVE / "papers").glob("*.yml"))


def test_an_entry_that_would_not_validate_is_rejected_alone(empty_archive, tmp_path):
    """One bad entry (here an http URL the schema refuses) does not block the dump."""
    import json

    rows = [
        {"title": "Good One", "abstract": "g" * 80, "url": "https://arxiv.org/abs/1"},
        {"title": "Bad Link", "abstract": "b" * 80, "url": 'https://x/"onmouseover=alert(1)'},
        {"title": "Good Two", "abstract": "h" * 80},
    ]
    dump = tmp_path / "mixed.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = run_import(dump, empty_archive, today="2026-01-02")
    assert report.added == ["good-one", "good-two"]
    assert len(report.rejected) == 1
    line, reason = report.rejected[0]
    assert line == 2 and reason.startswith("links.0.url: ")
    assert load_archive(empty_archive)[1] == []


def test_a_dump_named_like_a_stored_one_is_refused(seed_archive, tmp_path, capsys):
    before = _snapshot(seed_archive)
    one = LISTING.split("Second Paper")[0]
    dump = _dump(tmp_path, one, SEED.name)
    for dry_run in ([], ["--dry-run"]):
        assert main(["import", str(dump), "--root", str(seed_archive), *dry_run]) == 1
        err = capsys.readouterr().err
        assert f"{SEED.name}: holds another dump of the name {SEED.name}; rename" in err
        assert err.count("\n") == 2  # the reason, then "nothing was written"
    assert _snapshot(seed_archive) == before


def test_the_same_dump_from_another_folder_is_not_copied_again(seed_archive, tmp_path):
    copy = tmp_path / SEED.name
    shutil.copy(SEED, copy)
    before = _snapshot(seed_archive)
    report = run_import(copy, seed_archive)
    assert (report.source, report.written) == (SEED.name, [])
    assert _snapshot(seed_archive) == before
