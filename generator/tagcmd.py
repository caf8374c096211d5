"""The ``tags`` commands: what the rules would change (suggest) and how tags are used (report).

After import, a record's ``tags`` are the truth and contributors edit them by hand; the
rules only *propose*.  So ``suggest`` is a review tool: it prints, per paper, which tags
the rules would add or drop.  With ``apply`` it writes the proposals, through the
importer, to records no contributor has edited (``Paper.edited``), and lists the edited
ones it left alone.  ``report`` checks the vocabulary's health against the limits that
make tag pages useful: no near-empty tags, no untagged papers, no tag so broad that its
page is just the archive again.

Everything here except :func:`apply_suggestions` is pure: it takes an Archive and returns
data, and the CLI prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from generator.importer import save_papers
from generator.model import Archive, Paper, Vocabulary
from generator.tagging import in_vocabulary_order, suggest_for

#: Limits from the tagging policy (docs/maintainers/tagging.md).
MIN_PAPERS_PER_TAG = 3
MIN_TAGS_PER_PAPER = 2
MAX_TAGS_PER_PAPER = 6
MAX_TAG_SHARE = 0.35


@dataclass(frozen=True)
class Suggestion:
    """The rules' proposal for one paper compared with its current tags."""

    paper_id: str
    current: tuple[str, ...]
    proposed: tuple[str, ...]
    edited: bool

    @property
    def add(self) -> tuple[str, ...]:
        return tuple(t for t in self.proposed if t not in self.current)

    @property
    def drop(self) -> tuple[str, ...]:
        return tuple(t for t in self.current if t not in self.proposed)

    @property
    def changes(self) -> bool:
        return bool(self.add or self.drop)


def _current_tags(paper: Paper, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The paper's tags with renamed ids followed to their current id."""
    return in_vocabulary_order((vocabulary.resolve(t) or t for t in paper.tags), vocabulary)


def suggest(archive: Archive, paper_id: str | None = None) -> list[Suggestion]:
    """One Suggestion per paper (or just ``paper_id``), in archive order.

    Raises:
        KeyError: ``paper_id`` is not in the archive.
    """
    papers = archive.papers
    if paper_id is not None:
        papers = tuple(p for p in papers if p.id == paper_id)
        if not papers:
            raise KeyError(paper_id)
    vocabulary = archive.vocabulary
    return [Suggestion(p.id, _current_tags(p, vocabulary), suggest_for(p, vocabulary), p.edited)
            for p in papers]


def format_suggestions(suggestions: list[Suggestion]) -> list[str]:
    """One line per paper whose tags would change: ``id: +added -dropped [edited]``."""
    lines = []
    for s in suggestions:
        if not s.changes:
            continue
        parts = [f"+{t}" for t in s.add] + [f"-{t}" for t in s.drop]
        note = "  [edited by hand: review, --apply skips it]" if s.edited else ""
        lines.append(f"{s.paper_id}: {' '.join(parts)}{note}")
    return lines


@dataclass(frozen=True)
class ApplyResult:
    written: tuple[Path, ...]
    skipped_edited: tuple[str, ...]


def papers_to_update(archive: Archive, suggestions: list[Suggestion],
                     ) -> tuple[list[Paper], list[str]]:
    """Records that would get the proposed tags, and ids of edited ones that are left alone."""
    by_id = {p.id: p for p in archive.papers}
    updates, skipped = [], []
    for s in suggestions:
        paper = by_id[s.paper_id]
        if paper.tags == s.proposed:
            continue
        if s.edited:
            skipped.append(s.paper_id)
            continue
        updates.append(replace(paper, tags=s.proposed))
    return updates, skipped


def apply_suggestions(root: Path, archive: Archive, suggestions: list[Suggestion],
                      ) -> ApplyResult:
    """Write the proposals to every unedited record whose tags differ from them."""
    updates, skipped = papers_to_update(archive, suggestions)
    return ApplyResult(tuple(save_papers(root, updates)), tuple(skipped))


@dataclass(frozen=True)
class TagReport:
    """Tag usage over the archive and everything that breaks the tagging policy."""

    total_papers: int
    counts: tuple[tuple[str, str, int], ...]  # (group, tag id, papers), vocabulary order
    rare: tuple[str, ...]
    broad: tuple[str, ...]
    few_tags: tuple[tuple[str, int], ...]
    many_tags: tuple[tuple[str, int], ...]
    unknown: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return not (self.rare or self.broad or self.few_tags or self.many_tags or self.unknown)


def report(archive: Archive) -> TagReport:
    """Count papers per tag and collect policy violations (see the module constants)."""
    vocabulary = archive.vocabulary
    counts: Counter[str] = Counter()
    unknown = []
    for paper in archive.papers:
        for tag in paper.tags:
            current = vocabulary.resolve(tag)
            if current is None:
                unknown.append((paper.id, tag))
            else:
                counts[current] += 1
    total = len(archive.papers)
    limit = MAX_TAG_SHARE * total
    rows = tuple((t.group, t.id, counts[t.id]) for t in vocabulary.tags)
    return TagReport(
        total_papers=total,
        counts=rows,
        rare=tuple(tid for _, tid, n in rows if n < MIN_PAPERS_PER_TAG),
        broad=tuple(tid for _, tid, n in rows if total and n > limit),
        few_tags=tuple((p.id, len(p.tags)) for p in archive.papers
                       if len(p.tags) < MIN_TAGS_PER_PAPER),
        many_tags=tuple((p.id, len(p.tags)) for p in archive.papers
                        if len(p.tags) > MAX_TAGS_PER_PAPER),
        unknown=tuple(unknown),
    )


def format_report(rep: TagReport) -> list[str]:
    """The report as text: a count table by group, then one line per problem."""
    lines = []
    group = None
    for tag_group, tag_id, n in rep.counts:
        if tag_group != group:
            group = tag_group
            lines.append(f"{group}:")
        share = 100 * n / rep.total_papers if rep.total_papers else 0.0
        lines.append(f"  {tag_id:<40} {n:>4}  {share:5.1f}%")
    lines += [f"RARE   tag {t}: fewer than {MIN_PAPERS_PER_TAG} papers" for t in rep.rare]
    lines += [f"BROAD  tag {t}: on more than {MAX_TAG_SHARE:.0%} of papers" for t in rep.broad]
    lines += [f"FEW    paper {pid}: {n} tag(s), fewer than {MIN_TAGS_PER_PAPER}"
              for pid, n in rep.few_tags]
    lines += [f"MANY   paper {pid}: {n} tags, more than {MAX_TAGS_PER_PAPER}"
              for pid, n in rep.many_tags]
    lines += [f"UNKNOWN paper {pid}: tag {t!r} is not in the vocabulary" for pid, t in rep.unknown]
    tagged = sum(1 for _ in rep.counts)
    lines.append(f"{rep.total_papers} papers, {tagged} tags: "
                 + ("ok" if rep.ok else "problems found"))
    return lines
