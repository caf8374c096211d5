r"""Emphasis and display formulas: one notation in records, markup only where it is safe.

A record's abstract may hold ``\\textbf{...}`` and ``\\emph{...}``
(:data:`generator.textrules.EMPHASIS`) and display formulas ``$$...$$``.  Paper pages and
teasers show them as ``<strong>``/``<em>`` and MathML blocks; every output without markup
(``<title>``, descriptions, JSON-LD, feeds, search) shows their text; ``validate``
refuses what is not well formed; import keeps them on re-import.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from generator import render, textrules
from generator.archive import load_archive
from generator.cli import main
from generator.feeds import _entry
from generator.importer import run_import
from generator.model import Archive, Paper, Tag, Vocabulary, archive_order
from generator.related import features
from generator.search import _document, index_text
from generator.tagging import tokens

ABSTRACT = ("We propose \\textbf{Min-$k$ Sampling}, a \\emph{simple} rule. It solves "
            "$$\\sum_i x_i = 1$$ exactly, with \\textbf{<b>bold</b> & \\emph{both}} kept.")


def _site(abstract: str = ABSTRACT) -> dict[str, str]:
    paper = Paper(id="p", title="A paper", abstract=abstract, tags=("t",), source="manual",
                  added="2026-01-01")
    tag = Tag(id="t", name="T", group="G", description="A tag.")
    archive = Archive(archive_order([paper]), Vocabulary(("G",), (tag,)))
    index = render.Index.of(archive, site_url="https://example.org/")
    return {page.path: page.text for page in render.render_site(archive, index)}


def _front(page: str) -> dict[str, object]:
    return yaml.safe_load(page.split("---\n")[1])


def test_the_paper_page_shows_emphasis_and_a_display_block() -> None:
    page = _site()["papers/p.md"]
    abstract = page.split('aria-label="Abstract">')[1].split("</section>")[0]
    assert "<strong>Min-<math" in abstract and "<em>simple</em>" in abstract
    assert "<strong>&lt;b&gt;bold&lt;/b&gt; &amp; <em>both</em></strong>" in abstract
    assert abstract.count('display="block"') == 1
    assert "\\textbf" not in abstract and "\\emph" not in abstract and "$" not in abstract


def test_outputs_without_markup_show_the_text() -> None:
    page = _site()["papers/p.md"]
    front = _front(page)
    assert front["description"] == "We propose Min-k Sampling, a simple rule."
    # JSON-LD carries the abstract as text: none of its values shows the notation.
    ld = json.loads(str(front["json_ld"]))
    assert ld["abstract"].startswith("We propose Min-k Sampling, a simple rule.")
    assert "textbf" not in json.dumps(ld) and "emph" not in json.dumps(ld)
    paper = Paper(id="p", title="A paper", abstract=ABSTRACT, source="manual")
    teaser = str(_document(paper)[3])
    assert teaser.startswith("We propose Min-k Sampling, a simple rule.") and "\\" not in \
        teaser.replace("\\sum", "")
    words = index_text(ABSTRACT).split()
    assert "textbf" not in words and "emph" not in words and "sampling" in words


def test_the_feed_summary_is_the_text() -> None:
    paper = Paper(id="p", title="A paper", abstract=ABSTRACT, source="manual",
                  added="2026-01-01")
    archive = Archive(archive_order([paper]), Vocabulary(("G",), ()))
    entry = _entry(render.Index.of(archive, site_url="https://example.org/"), paper)
    assert entry.summary.startswith("We propose Min-k Sampling, a simple rule.")
    assert "textbf" not in entry.summary


def test_teasers_keep_emphasis_and_close_it_when_cut() -> None:
    tag_page = _site()["tags/t.md"]
    teaser = tag_page.split('class="pa-teaser">')[1].split("</div>")[0]
    assert "<strong>Min-<math" in teaser and "<em>simple</em>" in teaser
    assert 'display="block"' not in teaser  # a teaser is a line: its formulas are inline
    long_bold = "An opening. \\textbf{" + "word " * 40 + "end} after."
    cut = render.rich_styled(textrules.rich_teaser(long_bold, 80))
    assert cut.startswith("An opening. <strong>word") and cut.endswith("</strong>…")
    assert cut.count("<strong>") == cut.count("</strong>") == 1


def test_words_stages_never_see_the_commands() -> None:
    assert "textbf" not in tokens(ABSTRACT).words and "emph" not in tokens(ABSTRACT).words
    assert "sampling" in tokens(ABSTRACT).words
    assert not {"textbf", "emph"} & set(features("A paper", ABSTRACT))
    assert textrules.without_emphasis(ABSTRACT).startswith(
        "We propose Min-$k$ Sampling, a simple rule.")


RECORD = """\
id: "{id}"
title: "{title}"
abstract: "{abstract}"
tags: []
links: []
added: "2026-11-28"
source: "manual"
"""


def _validate(root: Path, title: str, abstract: str, capsys) -> tuple[int, str]:
    record = RECORD.format(id="p", title=title.replace("\\", "\\\\"),
                           abstract=abstract.replace("\\", "\\\\"))
    (root / "papers" / "p.yml").write_text(record, encoding="utf-8")
    status = main(["validate", "--root", str(root)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


PAD = " An abstract that is long enough to satisfy the schema's minimum length rule."


def test_validate_accepts_the_records_emphasis(empty_archive, capsys) -> None:
    status, err = _validate(empty_archive, "A paper",
                            "\\textbf{Bold $k$} and \\emph{it \\textbf{both}}." + PAD, capsys)
    assert status == 0, err


def test_validate_refuses_broken_emphasis_with_its_place(empty_archive, capsys) -> None:
    for abstract, message in [
        ("\\textbf{never closed.", "\\textbf{ is not closed"),
        ("\\emph{a {b}} c.", "\\emph{...} holds a brace of its own"),
        ("\\textbf{\\emph{\\textbf{x}}}.", "\\textbf{...} is nested 3 deep; at most 2"),
        ("a \\emph{ } b.", "\\emph{} is empty"),
        ("\\textbf{" + "x" * 301 + "}.", "holds 301 characters; at most 300"),
    ]:
        status, err = _validate(empty_archive, "A paper", abstract + PAD, capsys)
        line = next(line for line in err.splitlines() if "p.yml" in line)
        assert status == 1
        assert re.search(r"p\.yml:3: abstract: ", line) and message in line, line
        assert "emphasis is \\textbf{text} or \\emph{text}" in line


def test_validate_refuses_emphasis_in_a_title(empty_archive, capsys) -> None:
    status, err = _validate(empty_archive, "A \\textbf{bold} title", "Plain." + PAD, capsys)
    line = next(line for line in err.splitlines() if "p.yml" in line)
    assert status == 1 and "p.yml:2: title: \\textbf{...} is not allowed here" in line


def test_a_title_shows_emphasis_commands_as_text() -> None:
    """Titles hold none, so a page never makes markup of one (the residue report sees it)."""
    assert render.title_html("A \\textbf{b} c") == "A \\textbf{b} c"
    assert render.plain_title("A \\textbf{b} c") == "A \\textbf{b} c"


def test_import_keeps_emphasis_and_a_reimport_writes_nothing(empty_archive, tmp_path) -> None:
    dump = tmp_path / "dump.jsonl"
    raw = ("We propose \\textbf{Min-$k$ Sampling}, a \\textit{simple} rule that solves "
           "\\begin{equation*} x = 1 \\end{equation*} for every \\uline{input} we tried.")
    dump.write_text(json.dumps({"title": "\\textbf{Bold} Sampling", "abstract": raw}) + "\n",
                    "utf-8")
    first = run_import(dump, empty_archive, today="2026-01-01", keep_dump=False)
    archive, problems = load_archive(empty_archive)
    assert problems == [] and first.added == ["bold-sampling"]
    paper = archive.paper("bold-sampling")
    assert paper.title == "Bold Sampling"  # titles hold no emphasis
    assert paper.abstract == ("We propose \\textbf{Min-$k$ Sampling}, a \\emph{simple} rule "
                              "that solves $$x = 1$$ for every \\emph{input} we tried.")
    again = run_import(dump, empty_archive, today="2026-02-01", keep_dump=False)
    assert again.written == [] and again.unchanged == ["bold-sampling"]
