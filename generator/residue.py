r"""What still looks like TeX on a rendered page: the measuring stick of the cleaner.

``python -m generator report text`` runs :func:`find_residue` over every record and prints
one line per record whose page would show TeX or markup residue as loose text.  It looks at
what the reader gets, not at the record: the title and each abstract paragraph are split
the way :mod:`generator.render` splits them, math that converts to MathML is fine, and the
text around it is searched for

``command``
    a backslash command (``\\textbf``, ``\\cite``, ``\\%``) shown as text;
``dollar``
    a ``$`` without a partner (an escaped ``\\$`` is a real dollar and fine);
``brace``
    ``{`` or ``}`` outside math, which in an arXiv abstract is nearly always TeX grouping;
``dashes``
    ``--`` (TeX's en dash) between words;
``bare``
    a TeX command name that lost its backslash in the scrape (``varepsilon``,
    ``left(``, ``frac{1}{2}``, ``alpha_1``), in text or inside a formula, where the page
    shows it as a word or as italic letters: :func:`generator.textrules.bare_commands`
    says which names count and on what signal (``left`` in prose never does).

URLs are skipped (they may hold all of these), and so is the record's emphasis
(``\\textbf{...}``, ``\\emph{...}``: :data:`generator.textrules.EMPHASIS`), which the page
shows as bold and italics; an emphasis that is not well formed is text, and counts.
Separately, ``formula`` counts math that the converter refused, which the page shows as its
TeX source in a ``<code>`` element: not loose text, but not rendered either.

Pure: it takes papers and returns findings; the command formats them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.mathml import tex_to_mathml
from generator.model import Paper
from generator.render import clean_text, heading_segments
from generator.textrules import bare_commands, split_math

#: The loose-text kinds, in report order; ``formula`` is reported apart from them.
KINDS = ("command", "dollar", "brace", "dashes", "bare")
FORMULA = "formula"

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_CHECKS = {
    "command": re.compile(r"\\(?:[A-Za-z]+|[^\sA-Za-z])"),
    "dollar": re.compile(r"\$"),
    "brace": re.compile(r"[{}]"),
    "dashes": re.compile(r"--"),
}
#: Characters shown either side of a finding.
CONTEXT = 24


@dataclass(frozen=True)
class Finding:
    """One kind of residue in one field of a record, with the first place it occurs."""

    field: str
    kind: str
    count: int
    sample: str


def find_residue(paper: Paper) -> list[Finding]:
    """Every kind of residue on ``paper``'s page, title first, in :data:`KINDS` order."""
    found = _scan("title", [_restore(heading_segments(_hide_dollars(paper.title)))])
    found += _scan("abstract", [_restore(split_math(_hide_dollars(p)))
                                for p in paper.paragraphs if clean_text(p)])
    return found


#: Stands for an escaped ``\$`` while a text is split, so that a ``$`` left in the text
#: segments afterwards is known to be a lone one (the splitter shows both as ``$``).
_ESCAPED_DOLLAR = "\ue000"


def _hide_dollars(text: str) -> str:
    return clean_text(text).replace("\\$", _ESCAPED_DOLLAR)


def _restore(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    r"""Segments with the escaped dollars back: ``\\$`` in TeX, nothing in text."""
    return [(kind, value.replace(_ESCAPED_DOLLAR, "\\$" if kind == "tex" else ""))
            for kind, value in segments]


def _scan(field: str, blocks: Iterable[list[tuple[str, str]]]) -> list[Finding]:
    counts: Counter[str] = Counter()
    samples: dict[str, str] = {}
    for segments in blocks:
        for kind, value in segments:
            if kind == "tex":
                if tex_to_mathml(value) is None:
                    counts[FORMULA] += 1
                    samples.setdefault(FORMULA, _clip(f"${value}$", 0, len(value) + 2))
                else:
                    _count_bare(counts, samples, f"${value}$", math=True)
                continue
            text = _URL.sub(lambda m: " " * len(m.group()), value)
            for name, pattern in _CHECKS.items():
                hits = list(pattern.finditer(text))
                if hits:
                    counts[name] += len(hits)
                    samples.setdefault(name, _clip(value, hits[0].start(), hits[0].end()))
            _count_bare(counts, samples, text, math=False, shown=value)
    order = [*KINDS, FORMULA]
    return [Finding(field, kind, counts[kind], samples[kind]) for kind in order if counts[kind]]


def _count_bare(counts: Counter[str], samples: dict[str, str], text: str, math: bool,
                shown: str | None = None) -> None:
    """Count the ``bare`` findings of ``text``.

    ``text`` is a formula with its dollars, or text whose URLs are blanked out, ``shown``
    as the reader sees it (for the sample).
    """
    hits = bare_commands(text, math=math)
    if hits:
        counts["bare"] += len(hits)
        samples.setdefault("bare", _clip(shown or text, *hits[0]))


def _clip(text: str, start: int, end: int) -> str:
    left = max(start - CONTEXT, 0)
    right = min(end + CONTEXT, len(text))
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def is_loose(finding: Finding) -> bool:
    """True for residue shown as loose text (not a formula shown as code)."""
    return finding.kind != FORMULA


@dataclass(frozen=True)
class Summary:
    """Counts over an archive, for the report's last lines and the benchmark."""

    papers: int
    with_residue: int
    titles_with_residue: int
    with_formula_as_code: int
    formulas_as_code: int
    kinds: dict[str, int]

    def lines(self) -> list[str]:
        """The report's closing lines, as ``report text`` and the text benchmark print them."""
        share = 100 * self.with_residue / self.papers if self.papers else 0.0
        kinds = ", ".join(f"{kind} {self.kinds.get(kind, 0)}" for kind in KINDS)
        return [
            f"{self.with_residue} of {self.papers} papers ({share:.2f}%) show TeX residue "
            f"as text ({kinds} papers); {self.titles_with_residue} of them in the title",
            f"{self.formulas_as_code} formulas in {self.with_formula_as_code} papers are "
            "shown as TeX source (the converter refused them)",
        ]


def summarise(results: dict[str, list[Finding]], papers: int) -> Summary:
    """Counts of papers per kind from ``{paper id: findings}``."""
    kinds: Counter[str] = Counter()
    with_residue = titles = with_formula = formulas = 0
    for findings in results.values():
        loose = [f for f in findings if is_loose(f)]
        if loose:
            with_residue += 1
            kinds.update({f.kind for f in loose})
        if any(f.field == "title" for f in loose):
            titles += 1
        code = [f for f in findings if not is_loose(f)]
        if code:
            with_formula += 1
            formulas += sum(f.count for f in code)
    return Summary(papers, with_residue, titles, with_formula, formulas, dict(kinds))


def format_findings(path: str, findings: list[Finding]) -> str:
    """One line per record: ``path: field kind xN «sample»; ...``."""
    parts = [f"{f.field} {f.kind} x{f.count} «{f.sample}»" for f in findings]
    return f"{path}: " + "; ".join(parts)
