"""Benchmark: text fidelity of the cleaner on the real datasets (no archive is written).

Cleans every paper of ``../shared/datasets/`` exactly as ``import`` does (same reader, same
:func:`generator.importer.entry_to_paper`, duplicates by normalised title dropped, first one
kept) and prints

* the residue figures of :mod:`generator.residue` (what ``report text`` prints for an
  imported archive), with a few examples per kind;
* the formula property: every ``$...$`` span of a raw title or abstract that latex2mathml
  accepts before cleaning must still be there after cleaning, unchanged or changed only by
  the documented repair :func:`generator.clean.repair_math`, and still be accepted;
* GitHub repositories: every ``github.com/<owner>/<repo>`` written in a raw abstract (with
  or without ``https://``) must be a code link of the cleaned paper, exactly; and no paper
  has a code or data link to a host's front page (``https://github.com/``);
* words in math: formulas holding a run of ordinary words, which the renderer sets as
  text (:func:`generator.mathml.words_as_text`) instead of italic letters without spaces.

It asserts nothing; ``tests/test_text_fidelity.py`` runs the same checks on a sample
(and on everything with ``TEXT_FIDELITY_FULL=1``).  Usage::

    python -m benchmarks.text_bench                 # both datasets
    python -m benchmarks.text_bench --examples 10   # more examples per kind
    python -m benchmarks.text_bench --ids residue.txt   # write ids with residue
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import clean, residue
from generator.dumps import RawEntry, read_dump
from generator.identity import normalise_title
from generator.importer import entry_to_paper
from generator.mathml import tex_to_mathml, words_as_text
from generator.model import Paper
from generator.render import split_math
from generator.textrules import emphasis_message, rich_paragraphs

REPO = Path(__file__).resolve().parent.parent
#: ``../shared/datasets`` beside the main checkout (a worktree sits one level deeper).
DATASETS = next((p / "shared" / "datasets" for p in (REPO.parent, REPO.parent.parent)
                 if (p / "shared" / "datasets").is_dir()), REPO.parent / "shared" / "datasets")
NAMES = ("hf-daily-papers.jsonl.xz", "arxiv-2025.jsonl.xz")

#: ``github.com/owner/repo`` as written in prose: owner and repository name characters.
GITHUB = re.compile(r"(?<![\w.-])(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9-]+)/"
                    r"([A-Za-z0-9._+-]+)", re.IGNORECASE)


#: A code or data host's address without a path: never a link of a paper.
FRONT_PAGE = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|"
                        r"bitbucket\.org|codeberg\.org|zenodo\.org|(?:www\.)?kaggle\.com)/?$",
                        re.IGNORECASE)


#: What makes a formula a link: the cleaner takes it out of math (``clean._latex_structure``).
LINK_IN_MATH = re.compile(r"\\(?:href|url)\b|https?://")


def entries(names: Iterable[str] = NAMES, step: int = 1) -> Iterator[RawEntry]:
    """Raw entries of the datasets, duplicates (by normalised title) dropped as import does.

    With ``step`` > 1 only every step-th entry of each file: a fixed sample, so that two
    runs measure the same papers.
    """
    seen: set[str] = set()
    for name in names:
        path = DATASETS / name
        if not path.exists():
            continue
        for entry in read_dump(path)[::step]:
            key = normalise_title(clean.clean_title(entry.title))
            if key in seen:
                continue
            seen.add(key)
            yield entry


def _spans(text: str) -> list[str]:
    """The ``$...$`` spans of every paragraph, whitespace runs made single."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        # Dollars read as TeX reads them ($$x$$ is one formula), as every stage does.
        text = " ".join(paragraph.split())
        out += [" ".join(value.split()) for kind, value in split_math(text) if kind == "tex"]
    return out


@dataclass
class FormulaCheck:
    """The formula property over some entries."""

    accepted: int = 0
    unchanged: int = 0
    repaired: int = 0
    lifted: int = 0
    broken: list[tuple[str, str, str]] = field(default_factory=list)  # (title, before, after)
    repairs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, entry: RawEntry, paper: Paper) -> None:
        """Count the accepted formulas of ``entry``, and which ones cleaning changed and how."""
        after = set(_spans(paper.title)) | set(_spans(paper.abstract))
        for raw in (entry.title, entry.abstract):
            for tex in _spans(raw):
                if tex_to_mathml(tex) is None:
                    continue
                self.accepted += 1
                if tex in after:
                    self.unchanged += 1
                    continue
                if LINK_IN_MATH.search(tex):
                    self.lifted += 1  # documented: a link in math mode becomes a link
                    continue
                fixed = clean.repair_math(tex)
                if fixed in after and tex_to_mathml(fixed) is not None:
                    self.repaired += 1
                    self.repairs.append((tex, fixed))
                else:
                    self.broken.append((entry.title, tex, fixed))


@dataclass
class GithubCheck:
    """Every GitHub repository named in an abstract is a code link of the paper."""

    mentioned: int = 0
    missing: list[tuple[str, str, list[str]]] = field(default_factory=list)
    front_pages: list[tuple[str, str]] = field(default_factory=list)  # (title, url)

    def add(self, entry: RawEntry, paper: Paper) -> None:
        """Note each repository the raw abstract names that is not a code link of ``paper``."""
        codes = {_bare(link.url) for link in paper.links if link.kind == "code"}
        self.front_pages += [(entry.title, link.url) for link in paper.links
                             if link.kind in ("code", "data") and FRONT_PAGE.match(link.url)]
        wanted = {}
        for match in GITHUB.finditer(entry.abstract.replace("\\_", "_")):
            owner, repo = match.group(1), match.group(2)
            repo = re.sub(r"(?:\.git)?\.*$", "", repo.rstrip("."))
            if repo:
                wanted[f"github.com/{owner}/{repo}".lower()] = match.group(0)
        for url, written in wanted.items():
            self.mentioned += 1
            # A name ending in "-" or "_" was cut by a line break the cleaner rejoins.
            cut = url.endswith(("-", "_"))
            if not any(code == url or code.startswith(url + "/") or (cut and code.startswith(url))
                       for code in codes):
                self.missing.append((entry.title, written, sorted(codes)))


#: Bold, italic and underlined text as authors write it (what the cleaner keeps as emphasis).
RAW_EMPHASIS = re.compile(
    r"\\(?:textbf|textit|textsl|emph|underline|uline)\s*\{|\{\\(?:bf|it|em|sl)\s")


@dataclass
class EmphasisCheck:
    """Emphasis kept and display formulas shown, and cleaned text that validate refuses."""

    raw_papers: int = 0
    papers: int = 0
    groups: int = 0
    display: int = 0
    display_refused: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (title, message)
    worded: list[tuple[str, str]] = field(default_factory=list)  # (title, formula)
    worded_papers: int = 0

    def add(self, entry: RawEntry, paper: Paper) -> None:
        """Count one imported paper: emphasis in its dump, and what its page shows."""
        self.raw_papers += bool(RAW_EMPHASIS.search(entry.abstract))
        shown = [(kind, value, style) for paragraph in rich_paragraphs(paper.abstract)
                 for kind, value, style in paragraph]
        styles = {style for _, _, style in shown if style}
        self.papers += bool(styles)
        self.groups += len(re.findall(r"\\(?:textbf|emph)\{", paper.abstract))
        worded = [value for kind, value, _ in shown if kind != "text"
                  and words_as_text(value) != value]
        worded += [value for kind, value in split_math(paper.title, emphasis=False)
                   if kind == "tex" and words_as_text(value) != value]
        self.worded += [(entry.title, value) for value in worded]
        self.worded_papers += bool(worded)
        for kind, value, _ in shown:
            if kind == "display":
                self.display += 1
                self.display_refused += tex_to_mathml(value, display=True) is None
        for text, allowed in ((paper.title, False), (paper.abstract, True)):
            message = emphasis_message(text, allowed=allowed)
            if message:
                self.refused.append((entry.title, message))


def _bare(url: str) -> str:
    """A URL without scheme, ``www.`` and trailing slash, lower case, for comparison."""
    return re.sub(r"^https?://(?:www\.)?", "", url.lower()).split("?")[0].split("#")[0].rstrip("/")


def measure(raw: Iterable[RawEntry]) -> tuple[residue.Summary, dict, FormulaCheck,
                                              GithubCheck, EmphasisCheck]:
    """Clean each entry and run all four checks; returns their results."""
    results: dict[str, tuple[Paper, list[residue.Finding]]] = {}
    formulas, github, emphasis = FormulaCheck(), GithubCheck(), EmphasisCheck()
    count = 0
    for entry in raw:
        count += 1
        paper = entry_to_paper(entry)
        findings = residue.find_residue(paper)
        if findings:
            results[f"{count}"] = (paper, findings)
        formulas.add(entry, paper)
        github.add(entry, paper)
        emphasis.add(entry, paper)
    summary = residue.summarise({k: f for k, (_, f) in results.items()}, count)
    return summary, results, formulas, github, emphasis


def main(argv: list[str]) -> int:
    """Clean every dataset entry and print the figures; 1 if there are no datasets."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.text_bench")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per kind")
    parser.add_argument("--ids", type=Path, help="write every finding to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary, results, formulas, github, emphasis = measure(entries())
    if not summary.papers:
        print(f"no datasets found under {DATASETS}", file=sys.stderr)
        return 1
    print(f"{summary.papers} papers cleaned in {time.perf_counter() - start:.0f} s")
    for line in summary.lines():
        print(line)
    shown: Counter[str] = Counter()
    for _paper, findings in results.values():
        for finding in findings:
            if shown[finding.kind] < args.examples:
                shown[finding.kind] += 1
                print(f"  {finding.field} {finding.kind}: {finding.sample}")
    print(f"formulas accepted before cleaning: {formulas.accepted}; unchanged "
          f"{formulas.unchanged}, repaired {formulas.repaired}, links taken out of math "
          f"{formulas.lifted}, broken {len(formulas.broken)}")
    for title, before, after in formulas.broken[: args.examples]:
        print(f"  broken: ${before}$ -> ${after}$  ({title[:60]})")
    for before, after in formulas.repairs[: args.examples]:
        print(f"  repaired: ${before}$ -> ${after}$")
    print(f"github repositories named in abstracts: {github.mentioned}; not linked exactly "
          f"{len(github.missing)}")
    for title, written, codes in github.missing[: args.examples]:
        print(f"  missing: {written} -> {codes}  ({title[:50]})")
    print(f"code or data links to a host's front page: {len(github.front_pages)}")
    for title, url in github.front_pages[: args.examples]:
        print(f"  front page: {url}  ({title[:50]})")
    print(f"formulas with a run of words (set as text): {len(emphasis.worded)} in "
          f"{emphasis.worded_papers} papers")
    for title, tex in emphasis.worded[: args.examples]:
        print(f"  words: ${tex[:70]}$  ({title[:40]})")
    print(f"abstracts with bold/italic/underline in the raw text: {emphasis.raw_papers}; "
          f"pages showing emphasis {emphasis.papers} ({emphasis.groups} "
          f"emphases); display formulas {emphasis.display} (not converted "
          f"{emphasis.display_refused}); cleaned text validate refuses "
          f"{len(emphasis.refused)}")
    for title, message in emphasis.refused[: args.examples]:
        print(f"  refused: {message}  ({title[:50]})")
    if args.ids:
        lines = [residue.format_findings(paper.title, findings)
                 for paper, findings in results.values()]
        lines += [f"broken formula: ${b}$ -> ${a}$ ({t})" for t, b, a in formulas.broken]
        lines += [f"github: {w} -> {c} ({t})" for t, w, c in github.missing]
        args.ids.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
