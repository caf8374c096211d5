"""A killed import is finished by the next writing command (the rename journal).

The renames of an import are journaled before the first one; a crash part-way (an
exception after N renames here, a SIGKILL in a child process below) leaves the journal,
and the next writing command renames the rest, so the archive ends as the whole import
would have left it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import files
from generator.cli import main
from generator.importer import run_import
from generator.layout import Layout
from tests.conftest import REPO

DATE = "2026-01-02"


def _dump(folder: Path, count: int = 12) -> Path:
    """A JSON Lines dump of ``count`` distinct papers."""
    rows = [{"title": f"Paper number {n} on journaled renames of {word}",
             "abstract": f"Abstract {n}: a text long enough for the schema about {word}, "
                         "which the importer accepts as one paper."}
            for n, word in enumerate(["graphs", "robots", "speech", "proteins", "agents",
                                      "vision", "tables", "music", "maps", "code", "chips",
                                      "drugs"][:count])]
    path = folder / "papers.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def reference(empty_archive: Path, tmp_path: Path) -> dict[str, bytes]:
    """What the whole import leaves, run without a crash in a copy of the archive."""
    copy = tmp_path / "reference"
    shutil.copytree(empty_archive, copy)
    run_import(_dump(tmp_path), copy, today=DATE)
    return _files(copy)


def _crash_after(monkeypatch: pytest.MonkeyPatch, renames: int) -> None:
    real, count = os.replace, [0]

    def replace(src: str, dst: str) -> None:
        count[0] += 1
        if count[0] > renames:
            raise RuntimeError("crash injected")
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)


def test_an_import_crashed_part_way_is_finished_by_the_next_command(
        empty_archive: Path, tmp_path: Path, reference: dict[str, bytes],
        monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    dump = _dump(tmp_path)
    with monkeypatch.context() as patch:
        _crash_after(patch, 6)  # the journal, then the dump copy and 4 of the 12 records
        with pytest.raises(RuntimeError):
            run_import(dump, empty_archive, today=DATE)
    journal = Layout(empty_archive).import_journal
    assert journal.is_file()
    assert len(list((empty_archive / "papers").glob("*.yml"))) == 4
    # Any writing command finishes it first; `generate` here, which then reads it whole.
    docs = tmp_path / "docs"
    assert main(["generate", "--root", str(empty_archive), "--docs", str(docs)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "finished the write a killed run left part-way: 8 of 13 " \
        "files renamed into place now, 5 had been already" in err[0]
    assert not journal.exists()
    assert _files(empty_archive) == reference
    pages = {p.stem for p in (docs / "papers").glob("*.md")}
    assert {p.stem for p in (empty_archive / "papers").glob("*.yml")} <= pages


def test_a_record_edited_after_the_crash_is_kept(empty_archive: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    run_import(_dump(tmp_path, 2), empty_archive, today=DATE)
    record = sorted((empty_archive / "papers").glob("*.yml"))[-1]
    changed = _dump(tmp_path, 2).read_text().replace("which the importer", "that it")
    (tmp_path / "papers.jsonl").write_text(changed)
    (empty_archive / "dumps" / "papers.jsonl").unlink()  # a corrected dump
    with monkeypatch.context() as patch:
        _crash_after(patch, 1)  # the journal lands, no file does
        with pytest.raises(RuntimeError):
            run_import(tmp_path / "papers.jsonl", empty_archive, today=DATE)
    record.write_text(record.read_text() + "# my note\n")
    line = files.finish_journal(Layout(empty_archive).import_journal)
    assert line is not None and line.endswith("1 changed since were kept as they are")
    assert record.read_text().endswith("# my note\n")
    assert not [p for p in (empty_archive / "papers").iterdir() if p.suffix == ".tmp"]


def test_a_journal_cannot_move_files_it_did_not_stage(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    archive = tmp_path / "archive"
    (archive / "papers").mkdir(parents=True)
    journal = archive / ".import-journal.json"
    journal.write_text(json.dumps({"version": 1, "pid": 1, "renames": [
        {"tmp": "../secret.txt", "target": "papers/a.yml", "before": None}]}))
    with pytest.raises(files.JournalError, match=r"import-journal.json: not a journal"):
        files.finish_journal(journal)
    assert secret.read_text() == "secret" and not (archive / "papers" / "a.yml").exists()


def test_an_import_killed_mid_rename_is_finished_by_the_next_import(
        empty_archive: Path, tmp_path: Path, reference: dict[str, bytes]) -> None:
    dump = _dump(tmp_path)
    killer = textwrap.dedent("""\
        import os, runpy, signal, sys
        real, count = os.replace, [0]
        def replace(src, dst, *args, **kwargs):
            count[0] += 1
            if count[0] > 7:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(src, dst, *args, **kwargs)
        os.replace = replace
        sys.argv = ["generator", *sys.argv[1:]]
        runpy.run_module("generator", run_name="__main__")
        """)
    command = ["import", str(dump), "--root", str(empty_archive), "--date", DATE]
    killed = subprocess.run([sys.executable, "-c", killer, *command], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -9
    assert Layout(empty_archive).import_journal.is_file()
    assert 0 < len(list((empty_archive / "papers").glob("*.yml"))) < 12
    again = subprocess.run([sys.executable, "-m", "generator", *command], cwd=REPO,
                           capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert "finished the write a killed run left part-way" in again.stderr
    assert _files(empty_archive) == reference  # no .tmp file, no journal, all 12 records
