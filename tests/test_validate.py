"""`validate`: every problem in one run, each as path:line: field: message."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cli import main
from generator.records import load_archive
from tests.conftest import ARCHIVE

GOOD = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: "{id}"
title: "{title}"
abstract: |-
  An abstract that is long enough to satisfy the schema's minimum length rule.
tags: []
links:
  - kind: "code"
    url: "{url}"
added: "2026-11-28"
source: "manual"
"""


def _write(root: Path, name: str, text: str) -> None:
    (root / "papers" / f"{name}.yml").write_text(text, encoding="utf-8")


def _problems(root: Path) -> list[str]:
    return [str(p) for p in load_archive(root)[1]]


def test_committed_archive_is_valid():
    archive, problems = load_archive(ARCHIVE)
    assert problems == []
    assert len(archive.papers) >= 262


def test_all_problems_reported_with_lines(empty_archive, capsys):
    root = empty_archive
    _write(root, "ok", GOOD.format(id="ok", title="Fine", url="https://x.org/a"))
    _write(root, "wrong-name", GOOD.format(id="other", title="Other", url="https://x.org/b"))
    _write(root, "scheme", GOOD.format(id="scheme", title="Scheme", url="javascript:alert(1)"))
    _write(root, "same", GOOD.format(id="same", title="fine!", url="https://x.org/c"))
    _write(root, "empty", GOOD.format(id="empty", title="", url="https://x.org/d"))
    _write(root, "dupkey", GOOD.format(id="dupkey", title="D", url="https://x.org/e")
           + 'title: "again"\n')
    _write(root, "extra", GOOD.format(id="extra", title="E", url="https://x.org/f")
           + 'color: "red"\n')
    _write(root, "Bad_Name", GOOD.format(id="Bad_Name", title="B", url="https://x.org/g"))
    problems = _problems(root)
    expected = [
        "archive/papers/Bad_Name.yml:2: id: 'Bad_Name' does not match the expected form",
        "archive/papers/dupkey.yml:12: (file): duplicate key 'title' (first on line 3)",
        "archive/papers/empty.yml:3: title: must not be empty",
        "archive/papers/extra.yml:2: (record): unknown field color",
        "archive/papers/same.yml:3: title: same title as archive/papers/ok.yml",
        "archive/papers/scheme.yml:9: links.0.url: 'javascript:alert(1)' does not match",
        "archive/papers/scheme.yml:9: links.0.url: URL scheme 'javascript' is not allowed",
        "archive/papers/wrong-name.yml:2: id: 'other' must equal the file name 'wrong-name'",
    ]
    for want in expected:
        assert any(p.startswith(want) for p in problems), (want, problems)
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == len(problems)


def test_validate_exit_zero_when_clean(empty_archive, capsys):
    _write(empty_archive, "ok", GOOD.format(id="ok", title="Fine", url="https://x.org/a"))
    assert main(["validate", "--root", str(empty_archive)]) == 0


def test_github_annotation_format(empty_archive, capsys):
    _write(empty_archive, "x", GOOD.format(id="x", title="", url="https://x.org/a"))
    assert main(["validate", "--format", "github", "--root", str(empty_archive)]) == 1
    line = capsys.readouterr().out.strip()
    assert line == "::error file=archive/papers/x.yml,line=3,title=title::must not be empty"


def test_unknown_tag_is_reported_when_vocabulary_exists(empty_archive):
    (empty_archive / "tags.yml").write_text(
        'groups:\n  - name: "Methods"\ntags:\n  - id: "known"\n    name: "Known"\n'
        '    description: "A tag."\n    group: "Methods"\n    aliases: ["old"]\n',
        encoding="utf-8")
    text = GOOD.format(id="t", title="T", url="https://x.org/a").replace(
        "tags: []", 'tags:\n  - "known"\n  - "old"\n  - "nope"')
    _write(empty_archive, "t", text)
    problems = _problems(empty_archive)
    assert any("t.yml:8: tags.1: unknown tag 'old' (renamed: use 'known')" in p for p in problems)
    assert any("t.yml:9: tags.2: unknown tag 'nope'" in p for p in problems)


def test_real_record_copy_with_error(seed_archive):
    path = sorted((seed_archive / "papers").glob("*.yml"))[0]
    text = path.read_text("utf-8").replace('added: "2026-11-28"', 'added: "yesterday"')
    path.write_text(text, "utf-8")
    problems = _problems(seed_archive)
    assert len(problems) == 1 and ": added: 'yesterday' does not match" in problems[0]
    shutil.rmtree(seed_archive)
