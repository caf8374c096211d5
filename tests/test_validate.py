"""`validate`: every problem in one run, each as path:line: field: message."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.archive import load_archive
from generator.cli import main
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


def test_text_that_is_not_text_is_refused_with_its_code_point(empty_archive):
    """Controls, line separators and bidi overrides in record or tag text: each one named."""
    _write(empty_archive, "ctl", GOOD.format(id="ctl", title="Bell \\u0007 here",
                                             url="https://x.org/a"))
    _write(empty_archive, "rlo", GOOD.format(id="rlo", title="Plain", url="https://x.org/b")
           .replace("An abstract", "An \u202eabstract"))
    _write(empty_archive, "sep", GOOD.format(id="sep", title="Line \\u2028 separator",
                                             url="https://x.org/c"))
    (empty_archive / "tags.yml").write_text(
        'groups:\n  - name: "Methods \\u202e"\n    description: "What the work does."\n'
        'tags: []\n', encoding="utf-8")
    problems = _problems(empty_archive)
    for want in [
        "archive/papers/ctl.yml:3: title: contains U+0007 (a control character) at character 6",
        "archive/papers/rlo.yml:4: abstract: contains U+202E (RIGHT-TO-LEFT OVERRIDE) at "
        "character 4",
        "archive/papers/sep.yml:3: title: contains U+2028 (LINE SEPARATOR) at character 6",
        "archive/tags.yml:2: groups.0.name: contains U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ]:
        assert any(p.startswith(want) for p in problems), (want, problems)


def test_a_final_newline_does_not_sneak_past_a_pattern(empty_archive):
    """Python's $ matches before a final newline; the schema's patterns must not."""
    (empty_archive / "tags.yml").write_text(
        'groups:\n  - name: "Methods"\n    description: "What the work does."\ntags:\n'
        '  - id: "nl\\n"\n    name: "Newline"\n    description: "A tag whose id ends in a '
        'newline."\n    group: "Methods"\n    aliases: ["old\\n"]\n    rules: {}\n',
        encoding="utf-8")
    _write(empty_archive, "p", GOOD.format(id="p", title="P", url="https://x.org/a\\n"))
    _write(empty_archive, "q", GOOD.format(id="q", title="Q", url="https://x.org/`x`"))
    problems = _problems(empty_archive)
    for want in ["archive/tags.yml:5: tags.0.id: 'nl\\n' does not match",
                 "archive/tags.yml:9: tags.0.aliases.0: 'old\\n' does not match",
                 "archive/papers/p.yml:9: links.0.url: 'https://x.org/a\\n' does not match",
                 "archive/papers/q.yml:9: links.0.url: 'https://x.org/`x`' does not match"]:
        assert any(p.startswith(want) for p in problems), (want, problems)


def test_control_characters_are_refused_in_every_string_field(empty_archive):
    text = GOOD.format(id="ctl", title="Controls", url="https://x.org/a\\0b").replace(
        'source: "manual"', 'source: "dump\\e[31m.txt"\nlistings:\n'
        '  - date: "2026-11-28"\n    source: "d\\x7fump.txt"\n    rank: "1"')
    _write(empty_archive, "ctl", text)
    problems = _problems(empty_archive)
    assert problems == [
        "archive/papers/ctl.yml:9: links.0.url: 'https://x.org/a\\x00b' does not match the "
        "expected form ^https?://[^\\s<>\"`\\\\\\x00-\\x1f\\x7f]+$",
        "archive/papers/ctl.yml:11: source: contains U+001B (a control character) at "
        "character 5, which is not text; delete it",
        "archive/papers/ctl.yml:14: listings.0.source: contains U+007F (a control character) "
        "at character 2, which is not text; delete it"]


def test_a_line_break_in_a_one_line_field_is_refused(empty_archive):
    text = GOOD.format(id="brk", title="Breaks", url="https://x.org/a").replace(
        'source: "manual"', 'source: "two\\nlines.txt"')
    _write(empty_archive, "brk", text)
    assert _problems(empty_archive) == [
        "archive/papers/brk.yml:11: source: contains \\n at character 4; this field is one line, "
        "delete it"]


def test_pages_give_no_href_to_a_url_with_a_control_character():
    from generator.render import safe_url

    assert safe_url("https://x.org/a") == "https://x.org/a"
    assert [safe_url(f"https://x.org/a{c}b") for c in ("\x00", "\x1b", "\x7f")] == [None] * 3


def test_a_title_with_a_leading_or_trailing_space_is_refused(empty_archive):
    for name, title in (("lead", " =HYPERLINK(1)"), ("trail", "A title ")):
        _write(empty_archive, name, GOOD.format(id=name, title=title, url="https://x.org/a"))
    assert _problems(empty_archive) == [
        f"archive/papers/{name}.yml:3: title: starts or ends with a space or line break; "
        "delete it" for name in ("lead", "trail")]


def test_several_missing_fields_are_one_line(empty_archive):
    _write(empty_archive, "bare", "id: \"bare\"\n")
    problems = [p for p in _problems(empty_archive) if "missing required field" in p]
    assert len(problems) == 1 and problems[0].startswith(
        "archive/papers/bare.yml:1: (record): missing required field title, abstract")
