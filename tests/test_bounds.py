"""Every door has a bound.

Dump size and lines, JSON depth, record and docs/ files, rule phrases, dates, math per
formula, and hand-written front matter.
"""

from __future__ import annotations

import json
import lzma
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import dates, dumps, mathml, outputs
from generator.archive import load_archive
from generator.cli import main
from generator.dumps import DumpError, read_dump

ROW = {"title": "A fine paper about bounds",
       "abstract": "An abstract that is long enough for the importer to accept it as one."}


# ------------------------------------------------------------------ dumps


def test_a_small_xz_that_expands_past_the_cap_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dumps, "MAX_DUMP_BYTES", 4 * 1024 * 1024)
    line = (json.dumps(ROW) + "\n").encode()
    bomb = tmp_path / "bomb.jsonl.xz"
    bomb.write_bytes(lzma.compress(line * (5 * 1024 * 1024 // len(line))))
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(DumpError, match=r"bomb.jsonl.xz:\d+: more than 4194304 bytes once "
                                        "decompressed"):
        read_dump(bomb)


def test_a_line_past_the_cap_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl.xz"
    path.write_bytes(lzma.compress(json.dumps(ROW).encode() + b"\n"
                                   + b'{"title": "' + b"x" * (dumps.MAX_LINE_BYTES + 10)
                                   + b'"}\n'))
    with pytest.raises(DumpError, match=r"long.jsonl.xz:2: line longer than 1048576 bytes"):
        read_dump(path)


@pytest.mark.parametrize("nest", ["[" * 100_000 + "]" * 100_000,
                                  '{"a":' * 5000 + "1" + "}" * 5000,
                                  '{"title": "t", "abstract": "a", "x": ' + "[" * 40 + "]" * 40
                                  + "}"])
def test_deep_json_is_refused_with_its_line(tmp_path: Path, nest: str) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps(ROW) + "\n" + nest + "\n")
    with pytest.raises(DumpError, match=r"deep.jsonl:2: JSON nested deeper than 32 levels"):
        read_dump(path)


def test_brackets_inside_strings_do_not_count_as_depth(tmp_path: Path) -> None:
    row = {**ROW, "abstract": ROW["abstract"] + " [[[[" * 30 + " {\\\"[" * 10}
    path = tmp_path / "text.jsonl"
    path.write_text(json.dumps(row) + "\n")
    assert len(read_dump(path)) == 1


@pytest.mark.parametrize("make", ["dir", "fifo", "devzero"])
def test_a_dump_that_is_not_a_regular_file_is_refused(tmp_path: Path, make: str) -> None:
    path = tmp_path / "d.jsonl"
    if make == "dir":
        path.mkdir()
        message = "is a folder, not a file"
    elif make == "fifo":
        os.mkfifo(path)
        message = "not a regular file"
    else:
        path.symlink_to("/dev/zero")
        message = "not a regular file"
    with pytest.raises(DumpError, match=message):
        read_dump(path)


# ------------------------------------------------------------------ records and docs/


def _record(root: Path, stem: str, **fields: str) -> Path:
    values = {"id": stem, "title": "A Record", "added": "2024-05-05",
              "abstract": "An abstract long enough for the schema's minimum length of fifty.",
              **fields}
    path = root / "papers" / f"{stem}.yml"
    path.write_text(textwrap.dedent(f"""\
        id: {json.dumps(values['id'])}
        title: {json.dumps(values['title'])}
        abstract: {json.dumps(values['abstract'])}
        tags: []
        links: []
        added: {json.dumps(values['added'], ensure_ascii=False)}
        source: "manual"
        """), encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_a_record_symlinked_anywhere_is_refused(empty_archive: Path, target: str,
                                                capsys) -> None:
    if not Path(target).exists():
        pytest.skip(f"no {target}")
    (empty_archive / "papers" / "linked.yml").symlink_to(target)
    assert main(["validate", "--root", str(empty_archive)]) == 1
    out = capsys.readouterr().out
    assert "papers/linked.yml:1: (file): is a symbolic link; it must be a regular file" in out


def test_deeply_nested_yaml_is_refused(empty_archive: Path) -> None:
    (empty_archive / "papers" / "deep.yml").write_text("tags: " + "[" * 100 + "]" * 100)
    _, problems = load_archive(empty_archive)
    assert [(p.field, p.message) for p in problems] == [
        ("(file)", "nested deeper than 32 levels")]


def test_symlinks_and_special_files_under_docs_are_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "env.md").symlink_to("/proc/self/environ")
    with pytest.raises(outputs.OutputRefused, match=r"env.md: refused, a symbolic link"):
        outputs.check_docs_sources(docs, ["papers", "tags"])
    (docs / "guides" / "env.md").unlink()
    (docs / "linked-dir").symlink_to(tmp_path)
    with pytest.raises(outputs.OutputRefused, match=r"linked-dir: refused, a symbolic link"):
        outputs.check_docs_sources(docs, ["papers", "tags"])
    (docs / "linked-dir").unlink()
    os.mkfifo(docs / "pipe.md")
    with pytest.raises(outputs.OutputRefused, match=r"pipe.md: refused, not a regular file"):
        outputs.check_docs_sources(docs, ["papers", "tags"])


def test_a_symlinked_contributing_guide_is_refused(tmp_path: Path) -> None:
    guide = tmp_path / "CONTRIBUTING.md"
    guide.symlink_to("/etc/hostname")
    with pytest.raises(outputs.OutputRefused, match="not a regular file"):
        outputs.read_source(guide)


# ------------------------------------------------------------------ rule phrases


def test_rule_phrases_cannot_backtrack() -> None:
    """Run in a child process with a generous bound: the regex matcher took minutes."""
    code = ("from generator.tagging import find, tokens\n"
            "for phrase in ['a* a* a* a* zz', 'x* x* x* x* x* x* y', 'a* b']:\n"
            "    for text in ['a-' * 5000 + 'b', 'x-' * 5000, 'a ' * 5000 + 'c']:\n"
            "        find(phrase, tokens(text))\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30,
                   cwd=Path(__file__).resolve().parent.parent)


# ------------------------------------------------------------------ cleaning


def test_cleaning_a_megabyte_of_space_runs_does_not_backtrack() -> None:
    """In a child process, a bound far above the ~3 s it takes: it took 78 s for 180 KB.

    Backslashes clean to spaces, so a megabyte of them became one run that the "no space
    before a comma" rule retried from every one of its spaces (quadratic).
    """
    code = ("from generator.clean import clean_abstract\n"
            "assert clean_abstract('\\\\' * 1_000_000) == ''\n"
            "assert clean_abstract('ab' + ' \\\\' * 500_000 + ' , cd') == 'ab, cd'\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120,
                   cwd=Path(__file__).resolve().parent.parent)


def test_text_far_over_its_bound_is_rejected_before_it_is_cleaned(
        empty_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import clean, importer

    cleaned: list[int] = []
    real = clean.clean_abstract
    monkeypatch.setattr(clean, "clean_abstract", lambda raw: cleaned.append(len(raw)) or real(raw))
    dump = tmp_path / "long.jsonl"
    rows = [{**ROW, "abstract": "\\" * 180_000}, {**ROW, "title": "x" * 5000}, ROW]
    dump.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = importer.run_import(dump, empty_archive, dry_run=True)
    assert report.rejected == [
        (1, "abstract of 180000 characters before cleaning, over 4 times the 10000-character "
            "bound"),
        (2, "title of 5000 characters before cleaning, over 4 times the 300-character bound")]
    assert cleaned == [len(ROW["abstract"])]  # only the third entry was cleaned


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("value, why", [
    ("9999-99-99", "not a real calendar date"),
    ("2025-02-30", "not a real calendar date"),
    ("٢٠٢٤-٠١-٠١", "expected a date as YYYY-MM-DD"),
    ("2107-01-01", "out of range"),
    ("1899-12-31", "out of range"),
])
def test_validate_refuses_dates_that_are_not_real_or_sane(empty_archive: Path, value: str,
                                                          why: str, capsys) -> None:
    _record(empty_archive, "dated", added=value)
    assert main(["validate", "--root", str(empty_archive)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("archive/papers/dated.yml:6: added: ") and why in out, out


def test_the_latest_date_is_a_few_years_ahead() -> None:
    import datetime as dt

    assert dates.latest(dt.date(2026, 6, 1)) == dt.date(2031, 12, 31)
    assert dates.date_problem("2031-12-31", dt.date(2026, 6, 1)) is None


@pytest.mark.parametrize("value", ["notadate", "2025-02-30", "2107-01-01"])
def test_import_refuses_a_bad_date_before_writing_anything(empty_archive: Path,
                                                           tmp_path: Path, value: str,
                                                           capsys) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps(ROW) + "\n")
    assert main(["import", str(dump), "--root", str(empty_archive), "--date", value]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: --date '{value}'") and "nothing was written" in err
    assert not (empty_archive / "dumps").exists()
    assert list((empty_archive / "papers").iterdir()) == []


def test_new_refuses_a_date_past_2106(empty_archive: Path, tmp_path: Path, capsys) -> None:
    abstract = tmp_path / "a.txt"
    abstract.write_text(ROW["abstract"])
    assert main(["new", "--root", str(empty_archive), "--title", "T", "--abstract-file",
                 str(abstract), "--date", "2107-01-01"]) == 1
    assert "out of range" in capsys.readouterr().err


# ------------------------------------------------------------------ math


@pytest.mark.parametrize("tex", [
    r"\Huge\Huge\Huge\Huge\rule{5em}{5em}",
    r"\Huge{\huge{\LARGE x}}",
    r"\hspace{5em}" * 3,
    r"\quad" * 13,
    r"\frac{1}{\frac{1}{\frac{1}{\frac{1}{\frac{1}{\frac{1}{\frac{1}{\frac{1}{\frac{1}{2}}}}}}}}}",
    r"\begin{array}{c}" + r"x\\" * 30 + r"\end{array}",
])
def test_a_formula_over_its_budget_shows_as_source(tex: str) -> None:
    assert mathml.tex_to_mathml(tex) is None


@pytest.mark.parametrize("tex, absent", [
    (r"\Huge\rule{4em}{4em}", 'width="4em"'),  # 4em at 2.49x is 10em: dropped
    (r"\mspace{-3em}x", 'width="-3em"'),
    (r"\displaystyle x", None),
])
def test_lengths_count_at_their_scaled_size(tex: str, absent: str | None) -> None:
    out = mathml.tex_to_mathml(tex)
    assert out is not None
    if absent:
        assert absent not in out


@pytest.mark.parametrize("tex", [r"\frac{\partial^2 u}{\partial x^2}", r"\Huge x",
                                 r"\sum_{i=1}^{n} x_i^2", r"\big( x \big)", r"a\quad b\qquad c",
                                 r"\begin{pmatrix}1&0\\0&1\end{pmatrix}"])
def test_ordinary_math_still_converts(tex: str) -> None:
    assert mathml.tex_to_mathml(tex) is not None


# ------------------------------------------------------------------ front matter


def test_hand_written_front_matter_is_escaped_but_generated_pages_are_not() -> None:
    from generator.hooks import escape_meta, is_generated

    meta = {"title": "<img src=x onerror=alert(1)>", "description": "a & b",
            "edit_path": "CONTRIBUTING.md", "hide": ["navigation"],
            "tags": ["<b>x</b>"]}
    assert escape_meta(meta) == {
        "title": "&lt;img src=x onerror=alert(1)&gt;", "description": "a &amp; b",
        "edit_path": "CONTRIBUTING.md", "hide": ["navigation"],
        "tags": ["&lt;b&gt;x&lt;/b&gt;"]}
    assert escape_meta({"title": "&lt;b&gt; &amp; &#x27;"}) == {"title": "&lt;b&gt; &amp; &#x27;"}
    assert is_generated("papers/x.md") and is_generated("index.md")
    assert is_generated("search/index.md")
    assert not is_generated("contributing.md") and not is_generated("about.md")
    assert not is_generated("maintainers/security.md")
