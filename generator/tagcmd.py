"""The ``tags`` commands: what the rules would change (suggest) and how tags are used (report).

After import, a record's ``tags`` are the truth and contributors edit them by hand; the
rules only *propose*.  So ``suggest`` is a review tool: it prints, per paper, which tags
the rules would add or drop (and, asked to explain, the words behind each tag).  With
``apply`` it writes the proposals, through the importer, to records no contributor has
edited (``Paper.edited``), and lists the edited ones it left alone; in those it only
renames ids the vocabulary has renamed (an alias becomes its tag's current id) and adds
the parent a narrower tag lacks (``parent`` in ``tags.yml``: a paper with *Quantization*
has *Efficiency*), which keeps what the contributor chose and follows from it.
``report`` summarises tag use against the policy (:mod:`generator.tagpolicy`): counts per
tag (narrower tags under their parent), the worst cases, totals.

The proposal for a record no person edited is exactly what a fresh ``import`` would give
the paper, even where that is fewer tags than the policy's minimum: its current tags are an
older tagger's output, and filling up from them would keep tags no current rule gives, so
every re-tag could add a tag and none could take it away again (a ratchet: an archive
re-tagged often drifts from a freshly imported one, and its broad tags grow).  Applying twice
is applying once.  Only in a record edited by hand, whose tags a person chose, do the current
tags (still in the vocabulary) fill a short proposal up to the minimum, best-scored first;
``--apply`` never writes such a record anyway, so there the fill-up only keeps ``suggest``
from listing a person's tag as dropped where the rules have nothing better to offer.

Everything here except :func:`apply_suggestions` is pure: it takes an Archive and returns
data, and the CLI prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.importer import save_edited_tags, save_papers
from generator.model import Archive, Paper, Vocabulary
from generator.tagging import in_vocabulary_order, score_paper
from generator.tagmodel import suggest_for
from generator.tagpolicy import Policy, count_problem, missing_parents, tag_uses

#: How many cases of each kind ``tags report`` lists; the totals count all of them.
WORST_CASES = 20


@dataclass(frozen=True)
class Suggestion:
    """The rules' proposal for one paper compared with its current tags."""

    paper_id: str
    current: tuple[str, ...]
    proposed: tuple[str, ...]
    edited: bool
    #: The tags as the record writes them (``current`` follows renamed ids, adds
    #: missing parents and sorts).
    written: tuple[str, ...] = ()
    #: (parent, narrower tag) for each proposed parent whose narrower tag is proposed too:
    #: the listing says where such a parent comes from.
    parents: tuple[tuple[str, str], ...] = ()
    #: The policy's most tags a paper: an edited record is never rewritten past it.
    max_tags: int | None = None

    @property
    def add(self) -> tuple[str, ...]:
        """Tags the rules propose that the paper does not have."""
        return tuple(t for t in self.proposed if t not in self.current)

    @property
    def drop(self) -> tuple[str, ...]:
        """Tags the paper has that the rules would not give it."""
        return tuple(t for t in self.current if t not in self.proposed)

    @property
    def changes(self) -> bool:
        """Whether ``--apply`` would rewrite this record's tags."""
        return bool(self.add or self.drop)

    @property
    def rewrite(self) -> tuple[str, ...] | None:
        """What ``--apply`` writes into the record, or None when it writes nothing.

        The proposal into an unedited record; into one edited by hand only the renamed ids
        brought up to date and the missing parents added, since a person chose those tags,
        unless a parent would take it past the policy's maximum: which tag to drop is the
        person's call, and ``validate`` says what is missing.
        """
        if self.edited and self.max_tags is not None and len(self.current) > self.max_tags:
            return None
        target = self.current if self.edited else self.proposed
        return target if target != self.written else None


def _current_tags(paper: Paper, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The paper's tags with renamed ids followed to their current id, parents added."""
    return in_vocabulary_order(vocabulary.closed(vocabulary.resolve(t) or t
                                                 for t in paper.tags), vocabulary)


def propose(paper: Paper, vocabulary: Vocabulary, policy: Policy) -> tuple[str, ...]:
    """The tagger's tags; in a record edited by hand, filled up from the person's own.

    A tool-written record's tags are never a fill-up source (see the module docstring):
    they came from a tagger, not a person, so the proposal is what an import would write.
    Closed under parents like the tagger's own choice: a narrower tag kept from the
    person's tags brings its parent.
    """
    proposed = list(suggest_for(paper, vocabulary, policy))
    if paper.edited and len(proposed) < policy.min_tags:
        known = {t.id for t in vocabulary.tags}
        scores = {s.tag: s.score for s in score_paper(paper.title, paper.abstract, vocabulary)}
        keep = sorted((t for t in _current_tags(paper, vocabulary)
                       if t in known and t not in proposed),
                      key=lambda t: -scores.get(t, 0))
        proposed = list(vocabulary.closed([*proposed, *keep[:policy.min_tags - len(proposed)]]))
    return in_vocabulary_order(proposed, vocabulary)


def suggest(archive: Archive, policy: Policy, paper_id: str | None = None) -> list[Suggestion]:
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
    out = []
    for p in papers:
        proposed = propose(p, vocabulary, policy)
        family = {(parent, child) for child, parent in vocabulary.parents().items()
                  if child in proposed}
        out.append(Suggestion(p.id, _current_tags(p, vocabulary), proposed, p.edited,
                              p.tags, tuple(sorted(family)), policy.max_tags))
    return out


def format_suggestions(suggestions: list[Suggestion]) -> list[str]:
    """One line per paper whose record ``--apply`` would change or skip.

    ``id: +added -dropped [edited]``, or, when only the order or renamed ids differ,
    ``id: rewritten as <tags>``; so ``--apply`` writes exactly what is listed.  An added
    parent says which narrower tag it is part of the proposal for:
    ``+efficiency (parent of quantization)``.
    """
    lines = []
    for s in suggestions:
        if s.changes:
            brought: dict[str, str] = {}
            for parent, child in s.parents:
                brought.setdefault(parent, child)
            parts = [f"+{t}" + (f" (parent of {brought[t]})" if t in brought else "")
                     for t in s.add]
            parts += [f"-{t}" for t in s.drop]
            note = "  [edited by hand: review, --apply skips it]" if s.edited else ""
            if s.edited and s.rewrite is not None:
                note = ("  [edited by hand: --apply only updates its renamed tag ids and "
                        "adds missing parents]")
            lines.append(f"{s.paper_id}: {' '.join(parts)}{note}")
        elif s.rewrite is not None:
            why = ("renamed tag ids or missing parents" if s.edited
                   else "order, renamed tag ids or missing parents only")
            lines.append(f"{s.paper_id}: rewritten as {' '.join(s.rewrite)} ({why})")
    return lines


@dataclass(frozen=True)
class ApplyResult:
    """The records ``--apply`` rewrote and those it left alone because they were edited."""

    written: tuple[Path, ...]
    skipped_edited: tuple[str, ...]
    renamed_in_edited: tuple[str, ...]


def papers_to_update(archive: Archive, suggestions: list[Suggestion],
                     ) -> tuple[list[Paper], list[str], list[Paper]]:
    """Records that get the proposed tags, ids of edited ones left alone, renamed ids.

    The third list: edited records whose renamed tag ids are brought up to date and
    missing parents added (nothing else of them changes).
    """
    by_id = {p.id: p for p in archive.papers}
    updates, skipped, renamed = [], [], []
    for s in suggestions:
        paper = by_id[s.paper_id]
        if s.edited:
            skipped.append(s.paper_id)
            if s.current != paper.tags and s.rewrite is not None:
                renamed.append(replace(paper, tags=s.current))
            continue
        if paper.tags != s.proposed:
            updates.append(replace(paper, tags=s.proposed))
    return updates, skipped, renamed


def apply_suggestions(root: Path, archive: Archive, suggestions: list[Suggestion],
                      ) -> ApplyResult:
    """Write the proposals to every unedited record whose tags differ from them."""
    updates, skipped, renamed = papers_to_update(archive, suggestions)
    written = save_papers(root, updates) + save_edited_tags(root, renamed)
    return ApplyResult(tuple(written), tuple(skipped), tuple(p.id for p in renamed))


@dataclass(frozen=True)
class TagReport:
    """Tag use over the archive and everything that breaks the tagging policy."""

    total_papers: int
    policy: Policy
    counts: tuple[tuple[str, str, int, float], ...]  # (group, tag, papers, share)
    rare: tuple[str, ...]
    rare_is_error: bool
    broad: tuple[str, ...]
    few_tags: tuple[tuple[str, int], ...]  # fewest first
    many_tags: tuple[tuple[str, int], ...]  # most first
    unknown: tuple[tuple[str, str], ...]
    #: (paper id, message) for each narrower tag whose parent the record lacks.
    missing_parents: tuple[tuple[str, str], ...] = ()
    #: Each narrower tag's parent (child id -> parent id), for the table's layout.
    parents: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """No real policy break.

        Thin tags in a small archive are only notes, and papers with too few tags only
        warnings (as in ``validate``): an import of real papers leaves some with the one
        topic the rules could find, and the report lists them for a person to add one.
        """
        return not (self.broad or self.many_tags or self.unknown or self.missing_parents
                    or (self.rare and self.rare_is_error))


def report(archive: Archive, policy: Policy) -> TagReport:
    """Count papers per tag and collect policy violations."""
    vocabulary = archive.vocabulary
    papers = list(archive.papers)
    uses = tag_uses(papers, vocabulary, policy)
    group = {t.id: t.group for t in vocabulary.tags}
    unknown = [(p.id, t) for p in papers for t in p.tags if vocabulary.resolve(t) is None]
    few = sorted(((p.id, len(p.tags)) for p in papers if len(p.tags) < policy.min_tags),
                 key=lambda c: (c[1], c[0]))
    many = sorted(((p.id, len(p.tags)) for p in papers if len(p.tags) > policy.max_tags),
                  key=lambda c: (-c[1], c[0]))
    return TagReport(
        total_papers=len(papers), policy=policy,
        counts=tuple((group[u.tag], u.tag, u.papers, u.share) for u in uses),
        rare=tuple(u.tag for u in sorted(uses, key=lambda u: u.papers) if u.rare),
        rare_is_error=bool(uses) and uses[0].rare_is_error,
        broad=tuple(u.tag for u in sorted(uses, key=lambda u: -u.share) if u.broad),
        few_tags=tuple(few), many_tags=tuple(many), unknown=tuple(unknown),
        missing_parents=tuple((p.id, m) for p in papers for m in missing_parents(p, vocabulary)),
        parents=tuple(vocabulary.parents().items()))


def _worst(label: str, lines: list[str], total: int) -> list[str]:
    shown = lines[:WORST_CASES]
    more = f" (showing the worst {len(shown)})" if total > len(shown) else ""
    return [f"{label}: {total}{more}"] + [f"  {line}" for line in shown]


def format_report(rep: TagReport) -> list[str]:
    """The report as text: a count table by group, the worst cases per problem, totals.

    In the table a narrower tag sits indented under its parent (``- quantization``), or,
    where the parent is in another group, says ``(in <parent>)``: a parent's count then
    reads as the whole topic, its narrower tags' as parts of it.
    """
    policy = rep.policy
    lines = []
    parents = dict(rep.parents)
    group_of = {tag_id: tag_group for tag_group, tag_id, _n, _s in rep.counts}
    under: dict[str, list[tuple[str, str, int, float]]] = {}
    for row in rep.counts:
        parent = parents.get(row[1])
        if parent and group_of.get(parent) == row[0]:
            under.setdefault(parent, []).append(row)
    group = None
    for tag_group, tag_id, n, share in rep.counts:
        if tag_id in parents and tag_id in {r[1] for r in under.get(parents[tag_id], [])}:
            continue  # printed under its parent
        if tag_group != group:
            group = tag_group
            lines.append(f"{group}:")
        part = f" (in {parents[tag_id]})" if tag_id in parents else ""
        lines.append(f"  {tag_id + part:<40} {n:>6}  {100 * share:5.1f}%")
        for _g, child, k, child_share in under.get(tag_id, []):
            lines.append(f"    - {child:<36} {k:>6}  {100 * child_share:5.1f}%")
    if rep.few_tags:
        lines += _worst(f"papers with fewer than {policy.min_tags} tags",
                        [f"{pid}: {count_problem(n, policy)}" for pid, n in rep.few_tags],
                        len(rep.few_tags))
    if rep.many_tags:
        lines += _worst(f"papers with more than {policy.max_tags} tags",
                        [f"{pid}: {count_problem(n, policy)}" for pid, n in rep.many_tags],
                        len(rep.many_tags))
    if rep.unknown:
        lines += _worst("unknown tags", [f"{pid}: {t!r} is not in the vocabulary"
                                         for pid, t in rep.unknown], len(rep.unknown))
    if rep.missing_parents:
        lines += _worst("narrower tags without their parent",
                        [f"{pid}: {message}" for pid, message in rep.missing_parents],
                        len(rep.missing_parents))
    if rep.broad:
        shares = {tag_id: share for _g, tag_id, _n, share in rep.counts}
        lines += _worst(f"tags on more than {policy.max_tag_share:.0%} of papers",
                        [f"{t}: {shares[t]:.0%}" for t in rep.broad], len(rep.broad))
    if rep.rare:
        label = f"tags with fewer than {policy.min_papers_per_tag} papers"
        if not rep.rare_is_error:
            label += (f" (a note, not a break, until the archive has "
                      f"{policy.rare_from_papers} papers)")
        papers = {tag_id: n for _g, tag_id, n, _s in rep.counts}
        lines += _worst(label, [f"{t}: {papers[t]} paper(s)" for t in rep.rare], len(rep.rare))
    tagged = sum(1 for *_, n, _s in rep.counts if n)
    lines.append(f"total: {rep.total_papers} papers, {len(rep.counts)} tags ({tagged} used), "
                 f"{len(rep.few_tags) + len(rep.many_tags)} papers outside "
                 f"{policy.min_tags}-{policy.max_tags} tags, {len(rep.unknown)} unknown tags, "
                 f"{len(rep.broad)} too broad, {len(rep.rare)} thin, "
                 f"{len(rep.missing_parents)} narrower tags without their parent "
                 f"({len(parents)} narrower tags under "
                 f"{len(set(parents.values()))} parents): "
                 + ("ok" if rep.ok else "policy broken"))
    return lines
