"""One-line errors everywhere, never a traceback.

Every command and path option, given a missing file, a folder instead of a file, the wrong
kind of file, an unreadable file, a read-only or a full disk, answers with an exit status
and a message naming the path.

Unreadable files and full or read-only disks are injected (``OSError`` from the one place
that opens or writes), because the suite may run as root, which reads any file.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from generator import files
from generator.cli import format_problem, main
from generator.model import Problem
from tests.conftest import copy_fixture_archive, make_project

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
ROW = {"title": "A paper about errors and how they are reported",
       "abstract": "An abstract that is long enough for the importer to accept it, surely."}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    proj = make_project(tmp_path / "project", copy_fixture_archive(tmp_path / "fixture"))
    monkeypatch.chdir(proj)
    (proj / "dump.jsonl").write_text(json.dumps(ROW) + "\n")
    (proj / "abstract.txt").write_text(ROW["abstract"])
    (proj / "picture.png").write_bytes(PNG)
    (proj / "picture.jsonl").write_bytes(PNG)
    (proj / "picture.txt").write_bytes(PNG)
    (proj / "a-folder.jsonl").mkdir()
    (proj / "a-folder.txt").mkdir()
    (proj / "a-file").write_text("not a folder\n")
    (proj / "a-list.yml").write_text("- a YAML list\n- is no configuration\n")
    (proj / "zero.jsonl").symlink_to("/dev/zero")
    return proj


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def _run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own errors: exit 2 with a usage line
        status = int(exc.code or 0)
    except BaseException as exc:  # pragma: no cover - what this test exists to catch
        pytest.fail(f"{argv}: traceback instead of a message: {exc!r}")
    out = capsys.readouterr()
    return status, out.out + out.err


# (argv, expected status, text the message must hold)
CASES = [
    (["import", "missing.jsonl"], 1, "missing.jsonl: no such file"),
    (["import", "a-folder.jsonl"], 1, "a-folder.jsonl: is a folder, not a file"),
    (["import", "a-folder.txt"], 1, "a-folder.txt: is a folder, not a file"),
    (["import", "picture.txt"], 1, "picture.txt:1: not a text listing"),
    (["import", "picture.jsonl"], 1, "picture.jsonl:1: not UTF-8 text"),
    (["import", "picture.png"], 1, "picture.png:1: not a text listing"),
    (["import", "zero.jsonl"], 1, "zero.jsonl: not a regular file"),
    (["import", "dump.jsonl", "--root", "missing"], 1, "missing/papers"),
    (["import", "dump.jsonl", "--date", "2025-02-30"], 1, "--date '2025-02-30'"),
    (["validate", "--root", "missing"], 1, "missing/papers"),
    (["validate", "--root", "a-file"], 1, "a-file/papers"),
    (["validate", "--format", "xml"], 2, "invalid choice: 'xml'"),
    (["generate", "--root", "missing"], 1, "missing/papers"),
    (["generate", "--docs", "a-file"], 2, "--docs a-file: refused, it is not a folder"),
    (["build", "--config", "/nonexistent.yml"], 1, "/nonexistent.yml: no such file"),
    (["build", "--config", "picture.png"], 1, "picture.png: not a MkDocs configuration"),
    (["build", "--config", "a-folder.txt"], 1, "a-folder.txt: is a folder, not a file"),
    (["build", "--config", "a-list.yml"], 1, "a-list.yml: not a MkDocs configuration"),
    (["build", "--site-dir", "a-file"], 2, "--site-dir a-file: refused, it is not a folder"),
    (["build", "--root", "missing"], 1, "missing/papers"),
    (["new", "--title", "T", "--abstract-file", "missing.txt"], 1, "missing.txt"),
    (["new", "--title", "T", "--abstract-file", "a-folder.txt"], 1, "a-folder.txt"),
    (["new", "--title", "T", "--abstract-file", "picture.png"], 1, "picture.png"),
    (["new", "--title", "T", "--abstract-file", "zero.jsonl"], 1, "zero.jsonl"),
    (["new", "--title", "T", "--abstract-file", "abstract.txt", "--root", "missing"], 1,
     "missing"),
    (["new", "--title", "T", "--abstract-file", "abstract.txt", "--date", "x"], 1,
     "--date 'x'"),
    (["tags", "suggest", "--root", "missing"], 1, "missing"),
    (["tags", "report", "--root", "a-file"], 1, "a-file"),
]


@pytest.mark.parametrize("argv, status, message", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_gets_one_line_naming_the_path(project: Path, capsys, argv: list[str],
                                                 status: int, message: str) -> None:
    root = ["--root", "archive"] if argv[0] in ("import", "new") and "--root" not in argv \
        else []
    before = _snapshot(project / "archive")
    got, text = _run([*argv, *root], capsys)
    assert got == status, text
    assert message in text, text
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.startswith("error")]
    assert len(lines) <= 1, text
    assert _snapshot(project / "archive") == before


def _fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, after: int = 0) -> None:
    """Make the ``after``-th and later file writes fail with ``code`` (ENOSPC, EROFS)."""
    calls = {"n": 0}
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, os.strerror(code), kwargs.get("dir"))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_stops_an_import_before_it_writes_anything(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    rows = [{**ROW, "title": f"{ROW['title']} number {n}"} for n in range(5)]
    (project / "five.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    before = _snapshot(project / "archive")
    _fail_writes(monkeypatch, code, after=3)  # the dump copy and two records would fit
    status, text = _run(["import", "five.jsonl", "--root", "archive"], capsys)
    assert status == 1 and os.strerror(code) in text and "archive" in text, text
    assert "nothing was written" in text and "Traceback" not in text
    assert _snapshot(project / "archive") == before
    assert not [p for p in (project / "archive").rglob(".*.tmp")]


@pytest.mark.parametrize("argv", [["generate"],
                                  ["new", "--title", "Full disk", "--abstract-file",
                                   "abstract.txt", "--root", "archive"]])
def test_a_full_disk_elsewhere_is_one_line_too(project: Path, capsys,
                                               monkeypatch: pytest.MonkeyPatch,
                                               argv: list[str]) -> None:
    _fail_writes(monkeypatch, errno.ENOSPC)
    status, text = _run(argv, capsys)
    assert status == 1, text
    assert "No space left on device" in text and "Traceback" not in text


def test_an_unreadable_dump_and_record_are_named(project: Path, capsys,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_open = builtins.open

    def guarded(path, *args, **kwargs):
        if str(path).endswith(("dump.jsonl", "untagged-study.yml")):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    status, text = _run(["import", "dump.jsonl", "--root", "archive"], capsys)
    assert status == 1 and "dump.jsonl: cannot read: Permission denied" in text, text
    status, text = _run(["validate", "--root", "archive"], capsys)
    assert status == 1 and "untagged-study.yml:1: (file): cannot read: Permission denied" \
        in text, text


def test_a_read_only_archive_during_import_is_one_line(project: Path, capsys,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_writes(monkeypatch, errno.EROFS)
    status, text = _run(["import", "dump.jsonl", "--root", "archive"], capsys)
    assert status == 1 and "Read-only file system" in text and "Traceback" not in text


# ------------------------------------------------------------------ control characters


def test_problem_lines_and_annotations_escape_control_characters() -> None:
    evil = Problem("archive/papers/x\n::warning file=a::pwned.yml", 3, "title\r",
                   "bad\n::error::injected\x1b[2J\u2028")
    text = format_problem(evil, "text")
    github = format_problem(evil, "github")
    for line in (text, github):
        assert "\n" not in line and "\r" not in line and "\x1b" not in line
        assert "\u2028" not in line
    assert text.startswith("archive/papers/x\\n::warning")
    assert github.startswith("::error file=archive/papers/x%0A%3A%3Awarning")
    # One log line: "::" inside the message is data, not a command.


def test_a_file_name_with_a_newline_cannot_start_a_workflow_command(project: Path,
                                                                    capsys) -> None:
    papers = project / "archive" / "papers"
    shutil.copy(papers / "untagged-study.yml", papers / "x\n::warning::pwned.yml")
    status, text = _run(["validate", "--root", "archive", "--format", "github"], capsys)
    assert status == 1
    assert not any(line.lstrip().startswith("::warning") for line in text.splitlines()), text
    status, text = _run(["build"], capsys)
    assert status == 1
    assert not any(line.lstrip().startswith("::warning") for line in text.splitlines()), text
    status, text = _run(["import", "x\n::warning::pwned.jsonl"], capsys)
    assert not any(line.lstrip().startswith("::warning") for line in text.splitlines()), text
