"""`validate --format github`: each problem is an annotation on the right file and line.

The check workflow runs ``python -m generator validate --format github`` at the
repository root; GitHub turns each ``::error file=...,line=...::message`` line into a
comment on that line of the pull request's diff.  So the file must be the path from the
repository root, the line the one holding the mistake, and one problem exactly one line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.cli import format_problem, main
from generator.model import Problem
from tests.conftest import ARCHIVE, REPO

ANNOTATION = re.compile(
    r"^::error file=(?P<file>[^,:]+),line=(?P<line>[1-9][0-9]*),title=(?P<title>[^,:]+)"
    r"::(?P<message>.+)$")


def _decode(value: str) -> str:
    """Undo GitHub's workflow-command escaping, as the runner does."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                          ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def _break(path: Path, old: str, new: str) -> int:
    """Replace ``old`` in a record; return the 1-based line the broken text is on."""
    text = path.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1


def test_broken_records_annotate_file_line_and_message(tmp_path):
    shutil.copytree(ARCHIVE, tmp_path / "archive")
    records = sorted((tmp_path / "archive" / "papers").glob("*.yml"))
    dated = records[0]
    added = re.search(r'^added: "[0-9-]+"$', dated.read_text("utf-8"), re.MULTILINE)[0]
    bad_date = _break(dated, added, 'added: "28/11/2026"')
    linkless = next(p for p in records[1:] if "\nlinks: []\n" in p.read_text("utf-8"))
    bad_link = _break(linkless, "links: []",
                      'links:\n  - kind: "code"\n    url: "javascript:alert(1)"')
    # Run exactly as the workflow does: from the repository root, default --root.
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--format", "github"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    # The seed's papers on one tag are warnings (annotations of their own): not counted here.
    found = [ANNOTATION.match(line) for line in result.stdout.splitlines()
             if not line.startswith("::warning ")]
    assert all(found), result.stdout
    got = [(m["file"], int(m["line"]), m["title"], _decode(m["message"])) for m in found]
    assert got == [
        (f"archive/papers/{dated.name}", bad_date, "added",
         "'28/11/2026' does not match the expected form ^\\d{4}-\\d{2}-\\d{2}$"),
        (f"archive/papers/{linkless.name}", bad_link + 2, "links.0.url",
         "'javascript:alert(1)' does not match the expected form "
         "^https?://[^\\s<>\"`\\\\\\x00-\\x1f\\x7f]+$"),
        (f"archive/papers/{linkless.name}", bad_link + 2, "links.0.url",
         "URL scheme 'javascript' is not allowed; use http or https"),
    ]
    # Every annotated file is the path of a real file relative to the repository root.
    assert all((REPO / file).exists() for file, *_ in got)


def test_annotations_match_the_text_report_one_to_one(empty_archive, capsys):
    papers = empty_archive / "papers"
    (papers / "a.yml").write_text('id: "a"\ntitle: ""\n', "utf-8")
    (papers / "b.yml").write_text("id: [unclosed\n", "utf-8")
    assert main(["validate", "--root", str(empty_archive)]) == 1
    text = capsys.readouterr().out.splitlines()
    assert main(["validate", "--format", "github", "--root", str(empty_archive)]) == 1
    github = capsys.readouterr().out.splitlines()
    assert len(text) == len(github) >= 3
    for plain, annotation in zip(text, github, strict=True):
        m = ANNOTATION.match(annotation)
        assert m, annotation
        assert plain == f"{m['file']}:{m['line']}: {m['title']}: {_decode(m['message'])}"


def test_a_file_name_with_a_comma_stays_one_property(empty_archive, capsys):
    (empty_archive / "papers" / "a,b.yml").write_text(
        'id: "a,b"\ntitle: "T"\nabstract: "' + "x" * 60 + '"\ntags: []\nlinks: []\n'
        'added: "2026-11-28"\nsource: "manual"\n', "utf-8")
    assert main(["validate", "--format", "github", "--root", str(empty_archive)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::error file=archive/papers/a%2Cb.yml,line=1,")
                         for line in lines)


def test_escaping_keeps_one_problem_on_one_line():
    problem = Problem("archive/papers/x.yml", 7, "tags.0", "100% wrong:\nsecond line")
    line = format_problem(problem, "github")
    assert "\n" not in line
    assert line == ("::error file=archive/papers/x.yml,line=7,title=tags.0::"
                    "100%25 wrong:%0Asecond line")
    assert _decode(ANNOTATION.match(line)["message"]) == problem.message
