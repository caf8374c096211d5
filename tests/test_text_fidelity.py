"""Text fidelity: the residue report, titles with math, and the cleaner on real data.

The residue targets (at most 0.3% of pages, no title) are figures of the benchmark, not
tests.  The dataset checks here run on a fixed sample of ``../shared/datasets`` (every
:data:`SAMPLE_STEP`-th paper); ``TEXT_FIDELITY_FULL=1`` runs them on every paper (about
five minutes; ``benchmarks/text_bench.py`` prints the same figures).  Without the datasets
they are skipped, and ``make test-fast`` leaves them out (marked ``slow``: reading and
cleaning the sample is a few seconds of CPU); ``make test`` runs them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from benchmarks import text_bench
from generator import render, residue
from generator.clean import clean_title
from generator.cli import main
from generator.identity import id_base
from generator.importer import run_import
from generator.model import Archive, Paper, Vocabulary, archive_order
from generator.search import _document
from generator.textrules import bare_commands

SAMPLE_STEP = 40
FULL = os.environ.get("TEXT_FIDELITY_FULL") == "1"


def _paper(title: str, abstract: str = "A plain abstract that is long enough.") -> Paper:
    return Paper(id="p", title=title, abstract=abstract, source="manual")


def _kinds(paper: Paper) -> dict[tuple[str, str], int]:
    return {(f.field, f.kind): f.count for f in residue.find_residue(paper)}


# ------------------------------------------------------------------ residue


def test_residue_finds_each_kind_of_loose_tex() -> None:
    paper = _paper("Fine title", "uses \\cite{x} and 5$ and {group} and a--b here")
    assert _kinds(paper) == {("abstract", "command"): 1, ("abstract", "dollar"): 1,
                             ("abstract", "brace"): 4, ("abstract", "dashes"): 1}


def test_residue_skips_the_records_emphasis_but_counts_its_broken_forms() -> None:
    kept = _paper("Fine title", "a \\textbf{bold $k$ word} and \\emph{an \\textbf{x}} here")
    assert residue.find_residue(kept) == []
    broken = _paper("Fine title", "a \\textbf{never closed and \\emph{x {y}} here")
    assert _kinds(broken) == {("abstract", "command"): 2, ("abstract", "brace"): 5}


def test_residue_ignores_rendered_math_escaped_dollars_and_urls() -> None:
    paper = _paper("Fine", "costs \\$5, $x_{i}^{2}$ holds, see https://x.org/a--b/{c}")
    assert residue.find_residue(paper) == []


@pytest.mark.parametrize(("abstract", "names"), [
    # Scrapes of real abstracts that lost every backslash (arXiv ids in the comments).
    ("within error varepsilon, where V is the vocabulary size", ["varepsilon"]),  # 2506.08060
    ("from 5.7% rightarrow 25.4% on MATH", ["rightarrow"]),  # 2503.18866
    ("quadratic (O(N^2 cdot T)) to linear", ["cdot"]),  # 2510.03561
    ("a bound Oleft(m V{varepsilon^2} log mdelta right) here",
     ["left", "varepsilon", "right"]),  # the seed archive's leftover
    ("trained at eta_1=Theta_d(1) and lambda_1=0", ["eta", "Theta", "lambda"]),  # 2510.15262
    ("the loss mathcal{L} and a frac{1}{2} step", ["mathcal", "frac"]),
    ("benchmarks such as tau^2-Bench", ["tau"]),  # 2608.06197
])
def test_residue_finds_tex_that_lost_its_backslashes(abstract: str, names: list[str]) -> None:
    findings = [f for f in residue.find_residue(_paper("Fine", abstract)) if f.kind == "bare"]
    assert [(f.field, f.count) for f in findings] == [("abstract", len(names))]
    text = render.clean_text(abstract)
    assert [text[s:e] for s, e in bare_commands(text)] == names


@pytest.mark.parametrize("abstract", [
    "the left (blue) panel and the right (red) one; see (top right).",
    "turn left. Then the alpha channel, a beta release and the Raspberry Pi board",
    "models such as Phi3-mini-3.8B and OpenVLA,Pi0 Base; the p-tau217 biomarker",
    "LoRA rank=128, alpha=256, epsilon-greedy exploration, approx 5% and forall loops",
    "costs $\\mathcal{O}(n \\log n)$ and $\\mu_{sim}$ and $x_{eta}$ and $\\mathrm{beta}$",
    "a $\\text{frac of alpha}$ label and $\\mkern-2mu$ spacing",
])
def test_residue_leaves_english_words_and_real_math_alone(abstract: str) -> None:
    assert [f for f in residue.find_residue(_paper("Fine", abstract)) if f.kind == "bare"] == []


def test_residue_finds_greek_names_inside_a_formula_that_kept_other_backslashes() -> None:
    paper = _paper("Fine", "with $\\mathcal{N}(mu, sigma^2)$ noise")
    assert _kinds(paper) == {("abstract", "bare"): 2}
    assert residue.find_residue(paper)[0].sample == "$\\mathcal{N}(mu, sigma^2)$"


def test_residue_counts_refused_formulas_apart() -> None:
    findings = residue.find_residue(_paper("Fine", "bad $\\frac{1}{$ here"))
    assert [(f.kind, residue.is_loose(f)) for f in findings] == [("formula", False)]


def test_math_in_a_title_is_no_residue_but_raw_tex_is() -> None:
    assert residue.find_residue(_paper("$\\mathcal{B}^{3}$-Net: a title")) == []
    assert _kinds(_paper("\\textbf{Bold} title")) == {("title", "command"): 1,
                                                       ("title", "brace"): 2}


def test_report_text_lists_records_and_sets_the_exit_status(seed_archive, capsys) -> None:
    name = "a-time-series-is-worth-64-words-long-term-forecasting-with.yml"
    path = seed_archive / "papers" / name
    text = path.read_text("utf-8").replace("We propose", "We \\emph{propose} \\textbf{x", 1)
    path.write_text(text, "utf-8")
    status = main(["report", "text", "--root", str(seed_archive)])
    out, err = capsys.readouterr()
    line = next(line for line in out.splitlines() if path.name in line)
    assert "abstract command x1 «" in line and "abstract brace x1" in line  # emph is fine
    assert "show TeX residue as text" in err
    assert status == 1


def test_report_text_exits_0_on_a_clean_archive(empty_archive, capsys) -> None:
    assert main(["report", "text", "--root", str(empty_archive)]) == 0
    assert "0 of 0 papers" in capsys.readouterr().err


# ------------------------------------------------------------------ titles


TITLE = "$\\mathcal{B}^{3}$-Net: Arithmetic in $\\mathbb{F}_p$ via $\\mathbb{F}_2$"


def test_math_in_a_title_is_mathml_in_headings_and_lists_and_text_elsewhere() -> None:
    paper = Paper(id="b3-net", title=TITLE, abstract="An abstract long enough to count.",
                  source="manual")
    archive = Archive(archive_order([paper]), Vocabulary(("G",), ()))
    pages = {page.path: page.text for page in render.render_site(archive)}
    page = pages["papers/b3-net.md"]
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == "B³-Net: Arithmetic in F_p via F₂"
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert heading.startswith("<math") and "\\mathcal" not in heading and "$" not in heading
    listings = [text for path, text in pages.items() if path != "papers/b3-net.md"
                and 'b3-net/"' in text]
    assert listings
    for listing in listings:
        assert listing.split('b3-net/">')[1].startswith("<math")
    assert _document(paper)[1] == "B³-Net: Arithmetic in F_p via F₂"


TITLE_CASES = yaml.safe_load((Path(__file__).parent / "cases" / "titles.yml").read_text("utf-8"))


@pytest.mark.parametrize("case", TITLE_CASES, ids=[c["name"] for c in TITLE_CASES])
def test_title_case(case: dict) -> None:
    title = clean_title(case["raw"])
    assert title == case["clean"]
    assert render.plain_title(title) == case["plain"]
    assert id_base(render.plain_title(title)) == case["id"]
    heading = render.title_html(title)
    assert ("<math" in heading) is case["mathml"]
    assert 'display="block"' not in heading  # a heading is one line
    assert residue.find_residue(_paper(title)) == []


def test_a_new_paper_gets_its_id_from_the_plain_title(empty_archive, tmp_path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"title": TITLE, "abstract": "A" * 80 + " real words."}) + "\n",
                    "utf-8")
    report = run_import(dump, empty_archive, today="2026-01-01", keep_dump=False)
    assert report.added == ["b3-net-arithmetic-in-f-p-via-f2"]


# ------------------------------------------------------------------ the real datasets


@pytest.fixture(scope="module")
def measured():
    summary, _, formulas, github, emphasis = text_bench.measure(
        text_bench.entries(step=1 if FULL else SAMPLE_STEP))
    if not summary.papers:
        pytest.skip("the datasets in ../shared/datasets are not here")
    return summary, formulas, github, emphasis


@pytest.mark.slow
def test_no_valid_formula_is_broken_by_the_cleaner(measured) -> None:
    _, formulas, _, _ = measured
    assert formulas.accepted > (5000 if FULL else 100)
    assert formulas.broken == []


@pytest.mark.slow
def test_every_github_repository_in_an_abstract_is_a_code_link(measured) -> None:
    _, _, github, _ = measured
    assert github.mentioned > (7000 if FULL else 150)
    assert github.missing == []
    assert github.front_pages == []  # https://github.com/. names no code



@pytest.mark.slow
def test_cleaned_emphasis_is_kept_and_always_validates(measured) -> None:
    """The cleaner keeps bold and italics, and never writes what ``validate`` refuses."""
    _, _, _, emphasis = measured
    assert emphasis.raw_papers > (1500 if FULL else 25)
    assert emphasis.papers >= 0.8 * emphasis.raw_papers
    assert emphasis.refused == []
