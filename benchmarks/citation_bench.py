r"""Benchmark: the BibTeX entries of an archive, read back and (optionally) compiled.

For every paper of the archive at ``--root`` it makes the entry the paper page shows
(:func:`generator.citation.bibtex`) and prints

* how many titles hold formulas or an escaped dollar, how many formulas are written as
  math and how many as their plain text (the safety check refused them);
* how many titles differ from the title escaped as literal text (what the entry held
  before formulas were kept as math);
* how many entries bibtexparser (the reader the tests use) cannot read back as one entry;
* how many titles have a word braced against a style's sentence case (``{NVIDIA}``);
* how many entries name more than ``citation.MAX_CITED_AUTHORS`` authors (cut to that many
  and ``others``), and the longest author field before and after the cut;
* how many papers share their key (:func:`generator.citation.cite_key`) with another
  paper, in how many keys, and how many keys the archive-wide keys
  (:func:`generator.citation.cite_keys`) leave repeated (0) or give a letter;
* with ``--compile``, when ``pdflatex`` and ``bibtex`` are on the PATH: the entries whose
  title holds a character TeX or BibTeX acts on (``$ \ { } % & # _ ^ ~``; all entries with
  ``--all``) are compiled with the ``plain`` style and amsmath/amssymb, and the BibTeX
  errors and LaTeX errors (``!`` lines) are counted.  Real BibTeX counts every brace,
  escaped or not, which bibtexparser does not; this is the check that sees it.

It asserts nothing; ``tests/test_citation.py`` checks the rules on a case table.  Usage::

    python -m benchmarks.citation_bench --root ARCHIVE
    python -m benchmarks.citation_bench --root ARCHIVE --compile [--all] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from generator import citation
from generator.archive import load_archive
from generator.model import Paper
from generator.textrules import MATH_SPAN_RE, math_tex

REPO = Path(__file__).resolve().parent.parent
_TEX_SPECIAL = re.compile(r"[$\\{}%&#_^~]")
_DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{entries}
\end{document}
"""


def _figures(papers: list[Paper]) -> dict[str, int]:
    import bibtexparser

    counts = {"papers": len(papers), "titles with a formula": 0, "titles with \\$": 0,
              "formulas written as math": 0, "formulas written as text": 0,
              "titles changed from literal escaping": 0, "entries bibtexparser fails on": 0,
              "titles with a case-protected word": 0,
              f"entries with over {citation.MAX_CITED_AUTHORS} authors (cut)": 0,
              "longest author field, all names (chars)": 0,
              "longest author field, as written (chars)": 0}
    keys = citation.cite_keys(papers)
    for paper in papers:
        counts["titles with a case-protected word"] += _protects_a_word(paper.title)
        counts[f"entries with over {citation.MAX_CITED_AUTHORS} authors (cut)"] += (
            len(paper.authors) > citation.MAX_CITED_AUTHORS)
        counts["longest author field, all names (chars)"] = max(
            counts["longest author field, all names (chars)"],
            len(" and ".join(citation.escape(a) for a in paper.authors)))
        counts["longest author field, as written (chars)"] = max(
            counts["longest author field, as written (chars)"],
            len(citation.author_value(paper.authors)))
        formulas = [math_tex(m) for m in MATH_SPAN_RE.finditer(paper.title)]
        counts["titles with a formula"] += bool(formulas)
        counts["titles with \\$"] += "\\$" in paper.title
        for tex in formulas:
            safe = citation._bibtex_math(tex) is not None
            counts["formulas written as math" if safe else "formulas written as text"] += 1
        counts["titles changed from literal escaping"] += (
            citation.title_value(paper.title) != citation.escape(paper.title))
        library = bibtexparser.parse_string(citation.bibtex(paper, keys[paper.id]))
        counts["entries bibtexparser fails on"] += bool(library.failed_blocks
                                                        or len(library.entries) != 1)
    return counts | _key_figures(papers, keys)


def _protects_a_word(title: str) -> bool:
    """Whether the title's BibTeX braces a word outside its formulas' own braces."""
    value = re.sub(r"\\[A-Za-z]+\{\}", "", citation.title_value(title))  # \textbackslash{}
    return bool(re.search(r"\{(?!\$[^$]*\$\})", value))


def _key_figures(papers: list[Paper], keys: dict[str, str]) -> dict[str, int]:
    """Keys one paper's entry would have alone, against the archive-wide ones."""
    alone = Counter(citation.cite_key(p).casefold() for p in papers)
    unique = Counter(key.casefold() for key in keys.values())
    return {"keys shared by papers, each paper alone": sum(n > 1 for n in alone.values()),
            "papers sharing their key, each alone": sum(n for n in alone.values() if n > 1),
            "papers given a letter, archive-wide": sum(
                keys[p.id] != citation.cite_key(p) for p in papers),
            "keys shared by papers, archive-wide": sum(n > 1 for n in unique.values())}


def _compile(papers: list[Paper], workdir: Path) -> dict[str, int]:
    """Compile the entries with pdflatex + bibtex; count what either calls an error."""
    keys = citation.cite_keys(papers)
    entries = [citation.bibtex(p, keys[p.id]) for p in papers]
    (workdir / "entries.bib").write_text("\n\n".join(entries) + "\n", "utf-8")
    (workdir / "doc.tex").write_text(_DOCUMENT, "utf-8")

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                              errors="replace", timeout=1800, check=False)
        return done.stdout

    run("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc")
    bibtex_out = run("bibtex", "doc")
    run("pdflatex", "-interaction=nonstopmode", "doc")
    log = (workdir / "doc.log").read_text("utf-8", errors="replace")
    bbl = (workdir / "doc.bbl").read_text("utf-8", errors="replace")
    errors = re.findall(r"^! .*", log, re.M)
    for line in errors[:10]:
        print("  LaTeX:", line, file=sys.stderr)
    bib_errors = [line for line in bibtex_out.splitlines()
                  if "error message" in line or line.startswith(("I was expecting", "You're"))]
    for line in bib_errors[:10]:
        print("  BibTeX:", line, file=sys.stderr)
    return {"entries compiled": len(entries), "bibliography items": bbl.count(r"\bibitem"),
            "BibTeX errors": len(bib_errors), "LaTeX errors": len(errors)}


def main(argv: list[str] | None = None) -> int:
    """Print the figures; 2 when the archive does not load or TeX is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO / "archive",
                        help="archive folder holding papers/, tags.yml and schema/ "
                             "(default: this checkout's archive)")
    parser.add_argument("--compile", action="store_true",
                        help="also compile the entries with pdflatex and bibtex")
    parser.add_argument("--all", action="store_true",
                        help="with --compile: every entry, not only titles with TeX specials")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="with --compile: write the .bib, .tex and logs into DIR")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    archive, problems = load_archive(args.root)
    if problems:
        print(f"{problems[0]} (and {len(problems) - 1} more problems)", file=sys.stderr)
        return 2
    papers = list(archive.papers)
    for name, value in _figures(papers).items():
        print(f"{name:40} {value:>8,}")
    if args.compile:
        if not (shutil.which("pdflatex") and shutil.which("bibtex")):
            print("--compile: pdflatex and bibtex are not on the PATH", file=sys.stderr)
            return 2
        chosen = papers if args.all else [p for p in papers if _TEX_SPECIAL.search(p.title)]
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            figures = _compile(chosen, args.keep)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                figures = _compile(chosen, Path(scratch))
        for name, value in figures.items():
            print(f"{name:40} {value:>8,}")
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
