"""`new`: a hand-made record is valid, never collides, never duplicates a paper."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator.archive import load_archive
from generator.cli import main
from generator.importer import ImportError_, create_record
from generator.model import Link, Paper
from generator.newrecord import NewRecordError, new_record, parse_link, read_interactive
from generator.records import load_paper
from generator.schema import load_schema

ABSTRACT = ("We show that beam search with a monotone score can stop early, and prove "
            "a bound of $O(n \\log n)$ on its cost.\n\nCode is at https://github.com/ex/beam.\n")

VOCABULARY = """\
groups:
  - name: "Methods"
    description: "How the work is done."
tags:
  - id: "search"
    name: "Search"
    description: "Decoding and search algorithms."
    group: "Methods"
    rules:
      keywords: ["beam search"]
  - id: "vision"
    name: "Vision"
    description: "Papers about images and pictures."
    group: "Methods"
    rules:
      keywords: ["image*"]
"""


@pytest.fixture
def abstract_file(tmp_path: Path) -> Path:
    path = tmp_path / "abstract.txt"
    path.write_text(ABSTRACT, encoding="utf-8")
    return path


def _new(root: Path, abstract_file: Path, title: str, *extra: str) -> int:
    return main(["new", "--root", str(root), "--title", title,
                 "--abstract-file", str(abstract_file), "--date", "2026-12-01", *extra])


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "papers").glob("*.yml"))


def test_new_record_passes_validate(empty_archive, abstract_file, capsys):
    (empty_archive / "tags.yml").write_text(VOCABULARY, encoding="utf-8")
    assert _new(empty_archive, abstract_file, "Early Stopping for Beam Search") == 0
    out, err = capsys.readouterr()
    path = empty_archive / "papers" / "early-stopping-for-beam-search.yml"
    assert out.strip() == f"wrote {path}"
    assert "suggested tags: search;" in err
    assert main(["validate", "--root", str(empty_archive)]) == 0
    paper, problems, _ = load_paper(path, load_schema(empty_archive))
    assert problems == []
    assert paper == Paper(
        id="early-stopping-for-beam-search", title="Early Stopping for Beam Search",
        abstract=ABSTRACT.strip(), tags=("search",),
        links=(Link("code", "https://github.com/ex/beam"),), added="2026-12-01",
        source="manual")
    # No fingerprint: the record counts as edited by hand, so imports never overwrite it.
    assert "fingerprint" not in path.read_text("utf-8")
    assert paper.edited


def test_title_and_abstract_are_cleaned_like_an_import(empty_archive, tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("A \\emph{tiny} study of 10\\% of\n  the  data,  long enough to count.\n",
                   encoding="utf-8")
    made = new_record(empty_archive, "Caf\\'e  Models", raw.read_text("utf-8"),
                      today="2026-12-01")
    assert made.paper.title == "Café Models"
    assert made.paper.abstract == "A \\emph{tiny} study of 10% of the data, long enough to count."
    assert made.paper.id == "cafe-models"


def test_colliding_id_is_refused(seed_archive, abstract_file, capsys):
    before = _files(seed_archive)
    taken = Path(before[0]).stem
    assert _new(seed_archive, abstract_file, "Entirely New Title", "--id", taken) == 1
    err = capsys.readouterr().err
    assert f"--id '{taken}' is already taken by" in err
    assert "nothing was written" in err
    assert _files(seed_archive) == before


def test_id_of_a_record_that_does_not_load_is_still_taken(empty_archive, abstract_file, capsys):
    # The file name is the id; a record whose id field disagrees still owns its name.
    new_record(empty_archive, "First Paper", ABSTRACT, paper_id="first", today="2026-12-01")
    path = empty_archive / "papers" / "first.yml"
    path.rename(empty_archive / "papers" / "renamed.yml")
    assert _new(empty_archive, abstract_file, "Second Paper", "--id", "renamed") == 1
    assert "--id 'renamed' is already taken" in capsys.readouterr().err


def test_same_derived_id_gets_a_suffix(empty_archive):
    stem = "A Very Long Title About Sequence Models That Goes On And On Past Sixty"
    first = new_record(empty_archive, stem + " Characters", ABSTRACT, today="2026-12-01")
    second = new_record(empty_archive, stem + " Letters", ABSTRACT, today="2026-12-01")
    assert first.paper.id != second.paper.id
    assert second.paper.id == first.paper.id[:58].rstrip("-") + "-2"
    assert load_archive(empty_archive)[1] == []


def test_duplicate_title_is_refused_with_the_existing_file(seed_archive, abstract_file, capsys):
    before = _files(seed_archive)
    assert _new(seed_archive, abstract_file, "best-first BEAM search!") == 1
    err = capsys.readouterr().err
    assert "already in the archive as" in err
    assert "best-first-beam-search.yml" in err and "edit that file" in err
    assert _files(seed_archive) == before


def test_create_record_never_overwrites(empty_archive):
    paper = Paper(id="kept", title="Kept", abstract=ABSTRACT.strip(), added="2026-12-01",
                  source="manual")
    path = create_record(empty_archive, paper)
    original = path.read_bytes()
    with pytest.raises(ImportError_, match="already exists"):
        create_record(empty_archive, Paper(**{**paper.__dict__, "title": "Other"}))
    assert path.read_bytes() == original


def test_invalid_record_is_refused_before_writing(empty_archive, capsys):
    short = empty_archive.parent / "short.txt"
    short.write_text("Too short.", encoding="utf-8")
    assert _new(empty_archive, short, "Short Abstract") == 1
    assert "abstract: is too short (10 characters, minimum 50)" in capsys.readouterr().err
    assert _files(empty_archive) == []


def test_dry_run_prints_and_writes_nothing(empty_archive, abstract_file, capsys):
    assert _new(empty_archive, abstract_file, "Dry Run Paper", "--dry-run",
                "--link", "paper=https://arxiv.org/abs/2401.00001") == 0
    out = capsys.readouterr().out
    assert out.startswith("# yaml-language-server:")
    assert 'id: "dry-run-paper"' in out
    links = out[out.index("\nlinks:"):]
    assert links.index("arxiv.org") < links.index("github.com/ex/beam")
    assert _files(empty_archive) == []


@pytest.mark.parametrize(("spec", "expected"), [
    ("code=https://gitlab.com/a/b", Link("code", "https://gitlab.com/a/b")),
    ("https://x.org/page?a=b", Link("project", "https://x.org/page?a=b")),
    ("https://github.com/a/b", Link("code", "https://github.com/a/b")),
])
def test_parse_link(spec, expected):
    assert parse_link(spec) == expected


@pytest.mark.parametrize(("spec", "message"), [
    ("video=https://x.org", "KIND one of code, paper, project, data"),
    ("code=ftp://x.org/a", "must start with http:// or https://"),
    ("javascript:alert(1)", "KIND one of"),
])
def test_parse_link_refuses(spec, message):
    with pytest.raises(NewRecordError, match=message):
        parse_link(spec)


@pytest.mark.parametrize(("argv", "message"), [
    (["--date", "2026-13-01"], "expected a date as YYYY-MM-DD"),
    (["--id", "Bad_Id"], "use lower-case letters"),
])
def test_bad_options_are_refused(empty_archive, abstract_file, capsys, argv, message):
    assert _new(empty_archive, abstract_file, "Some Title", *argv) == 1
    assert message in capsys.readouterr().err
    assert _files(empty_archive) == []


def test_interactive_reads_title_then_abstract_until_empty_line():
    answers = iter(["My Title", "", "First line", "second line", "", "ignored"])
    shown: list[str] = []
    title, abstract = read_interactive(lambda _prompt: next(answers), shown.append)
    assert (title, abstract) == ("My Title", "First line\nsecond line")
    assert "empty line or Ctrl-D" in shown[0]


def test_interactive_abstract_ends_at_end_of_input():
    answers = iter(["T", "only line"])

    def ask(_prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    assert read_interactive(ask, lambda _text: None) == ("T", "only line")


def test_no_title_without_terminal_is_a_clear_error(empty_archive, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Some title\n"))
    assert main(["new", "--root", str(empty_archive)]) == 1
    assert "standard input is not a terminal" in capsys.readouterr().err
    assert _files(empty_archive) == []


def test_abstract_from_standard_input(empty_archive, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(ABSTRACT))
    assert main(["new", "--root", str(empty_archive), "--title", "Piped Abstract",
                 "--abstract-file", "-"]) == 0
    assert _files(empty_archive) == ["piped-abstract.yml"]
