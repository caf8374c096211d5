"""Merge a raw dump into the archive: the only code that writes records.

For each dump entry, in order: clean it, then

* drop it as a **duplicate** if an earlier entry of the same dump had the same arXiv id
  or dedupe key (and is confidently the same paper);
* **reject** it (with the reason) if it does not make a valid record;
* if a record of the same paper exists (same arXiv id, else the same dedupe key of
  :mod:`generator.identity` and confidently the same paper: no other arXiv id, most
  abstract words shared; otherwise a **conflict** naming why), merge the two
  (:func:`generator.merge.merge`: links and metadata unioned, this dump's listing
  appended, the text following the record's own dump): **unchanged** when that adds
  nothing; **updated** when it does and nobody edited the record since a tool wrote it
  (its ``fingerprint`` still matches); a **conflict** when a contributor edited it.
  An edited record is never overwritten;
* otherwise **add** a record with a new id derived from the title, tags from the rules,
  ``added`` today, ``source`` the dump's file name and its listing in this dump.

A listing's date is the day the dump gives (JSON Lines' ``date``), else the import's date:
for a record first imported from this very dump, the day it was added, so a re-import
on another day gives the record the same listing and writes nothing.

The whole dump is read, cleaned and planned before the first write, and every write is
atomic, so a bad dump leaves the archive exactly as it was, and re-importing the same dump
writes nothing.
"""

from __future__ import annotations

import stat
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator import clean, dates, files, identity, merge, outputs
from generator.archive import UnreadableRecords, load_for_writing, taken_ids
from generator.dumps import MAX_DUMP_BYTES, DumpError, RawEntry, read_bounded, read_dump
from generator.identity import paper_arxiv_id, paper_key
from generator.layout import Layout, record_source
from generator.limits import RecordLimits, committed
from generator.model import Archive, Link, Listing, Paper, Problem
from generator.progress import Progress
from generator.records import paper_to_yaml, parse_paper
from generator.render import plain_title
from generator.schema import load_schema
from generator.tagmodel import suggest_tags
from generator.tagpolicy import Policy, PolicyError, archive_breaks, load_policy
from generator.textrules import printable


class ImportError_(RuntimeError):
    """The import cannot start (bad dump, unreadable archive); nothing was written."""


@dataclass(frozen=True)
class Conflict:
    """A dump entry that may not replace the record ``id``.

    Either the record was edited by hand, or (``why`` set) the entry has the same key but is
    not confidently the same paper.
    """

    id: str
    line: int
    fields: tuple[str, ...]
    why: str = ""

    def describe(self) -> str:
        """One line for the import report: which record was kept, and why."""
        if self.why:
            return (f"conflict  {self.id} (dump line {self.line}): same title, but {self.why}; "
                    "record kept, entry not imported")
        return (f"conflict  {self.id} (dump line {self.line}): record edited by hand, dump "
                f"differs in {', '.join(self.fields)}; record kept")


@dataclass
class ImportReport:
    """What an import did or would do, entry by entry, by outcome."""

    source: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    #: Metadata an entry left out, with the reason: (dump line, note).
    notes: list[tuple[int, str]] = field(default_factory=list)
    #: Per field, how many new records have it and how many existing ones gained it.
    in_new: Counter[str] = field(default_factory=Counter)
    in_existing: Counter[str] = field(default_factory=Counter)
    #: Archive-wide tagging-policy warnings the import brings (tags too broad or too thin
    #: that were not before), as ``path:line: field: warning: message``.  They stop nothing.
    policy_warnings: list[str] = field(default_factory=list)
    #: Why the learned tag layer was off (the rules alone tagged the new papers), or "".
    learned_off: str = ""

    def summary(self) -> str:
        """The counts of each outcome, in one line."""
        line = (f"{self.source}: {len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.conflicts)} conflicts, "
                f"{len(self.duplicates)} duplicates, {len(self.rejected)} rejected; "
                f"{len(self.written)} files written")
        fields = self.field_summary()
        return f"{line}\n{fields}" if fields else line

    def field_summary(self) -> str:
        """Per field what the import added, e.g. ``links +30 (30 existing records)``."""
        parts = []
        for name in merge.MERGED_FIELDS:
            new, old = self.in_new[name], self.in_existing[name]
            if new or old:
                parts.append(f"{name} +{new + old}" + (f" ({old} existing)" if old else ""))
        return "fields added: " + ", ".join(parts) if parts else ""

    def details(self) -> list[str]:
        """One line per entry that was not simply unchanged."""
        lines = [f"added     {pid}" for pid in self.added]
        lines += [f"updated   {pid}" for pid in self.updated]
        lines += [c.describe() for c in self.conflicts]
        lines += [f"duplicate dump line {n}: same title as {other}" for n, other in self.duplicates]
        lines += [f"rejected  dump line {n}: {why}" for n, why in self.rejected]
        lines += [f"note      dump line {n}: {why}" for n, why in self.notes]
        return lines


def entry_to_paper(entry: RawEntry) -> Paper:
    """Clean one raw entry into a Paper without id, tags or provenance."""
    title = clean.clean_title(entry.title)
    abstract = clean.clean_abstract(entry.abstract)
    links = [Link(link.kind, link.url) for link in clean.extract_links(abstract)]
    if entry.url and entry.url.startswith(("http://", "https://")) \
            and all(link.url != entry.url for link in links):
        links.insert(0, Link(clean.link_kind(entry.url), entry.url))
    return Paper(id="", title=title, abstract=abstract, links=tuple(links),
                 authors=entry.authors, arxiv_id=entry.arxiv_id, published=entry.published,
                 categories=entry.categories)


#: Raw text may be this many times the record's bound before cleaning is even tried.
#: Cleaning removes markup (``\\emph{}``, spaces, TeX accents) but not three quarters of a
#: text: the longest raw abstract of the 50,580 real papers is 3,488 characters, and it
#: cleans to 3,488.  Without the bound a 360 KB abstract was cleaned only to be rejected.
RAW_TEXT_FACTOR = 4


def _raw_reject_reason(entry: RawEntry, limits: RecordLimits) -> str | None:
    """Why ``entry`` is too long to clean at all, or None (bounds the cleaning's time)."""
    for name, text, bound in (("title", entry.title, limits.title_max),
                              ("abstract", entry.abstract, limits.abstract_max)):
        if len(text) > RAW_TEXT_FACTOR * bound:
            return (f"{name} of {len(text)} characters before cleaning, over "
                    f"{RAW_TEXT_FACTOR} times the {bound}-character bound")
    return None


def _reject_reason(paper: Paper, limits: RecordLimits) -> str | None:
    """Why ``paper`` breaks one of the schema's bounds, or None if it keeps them all.

    Checked before the schema check, which enforces the same bounds again, because these
    messages say more plainly what was rejected than a JSON Schema error does.
    """
    if not paper.title:
        return "empty title"
    if len(paper.title) > limits.title_max:
        return f"title longer than {limits.title_max} characters"
    if len(paper.abstract) < limits.abstract_min:
        return f"abstract shorter than {limits.abstract_min} characters"
    if len(paper.abstract) > limits.abstract_max:
        return f"abstract longer than {limits.abstract_max} characters"
    return None


def plan_import(entries: list[RawEntry], archive: Archive, source: str, today: str,
                progress: Progress | None = None, root: Path | None = None,
                schema: dict[str, Any] | None = None, policy: Policy | None = None,
                ) -> tuple[ImportReport, list[Paper]]:
    """Decide what happens to every entry; returns the report and the papers to write.

    With ``root``, new ids also avoid the names of record files that did not load.  With
    ``schema``, every record about to be written is first checked exactly as ``validate``
    would check it; one that fails is **rejected** with the reason, and the rest of the
    dump still goes in.  New papers get the tags the rules suggest under ``policy`` (read
    from ``root`` when not given).
    """
    if policy is None:
        policy = load_policy(root) if root is not None else None
    report = ImportReport(source)
    limits = RecordLimits.from_schema(schema) if schema is not None else committed()
    by_key = {paper_key(p): p for p in archive.papers}
    by_arxiv = {_arxiv(p): p for p in archive.papers if _arxiv(p)}
    ids = identity.IdAllocator({p.id for p in archive.papers} if root is None
                               else taken_ids(root, archive))
    seen: dict[str, tuple[str, Paper]] = {}  # dedupe key or "arxiv:<id>" -> first of the dump
    planned: dict[str, Paper] = {}           # record id -> the record as it will be written
    for entry in entries:
        if progress:
            progress.advance()
        raw_reason = _raw_reject_reason(entry, limits)
        if raw_reason:
            report.rejected.append((entry.line, raw_reason))
            continue
        candidate = entry_to_paper(entry)
        key, arxiv = paper_key(candidate), _arxiv(candidate)
        keys = [key] + ([f"arxiv:{arxiv}"] if arxiv else [])
        earlier = seen.get(keys[-1]) or seen.get(key)
        if earlier is not None:
            why = _not_same_paper(candidate, earlier[1])
            if why:
                report.rejected.append((entry.line, f"same title as {earlier[0]} but {why}"))
            else:
                report.duplicates.append((entry.line, earlier[0]))
            continue
        reason = _reject_reason(candidate, limits)
        if reason:
            report.rejected.append((entry.line, reason))
            continue
        report.notes += [(entry.line, note) for note in entry.notes]
        # The same paper: one arXiv id, else one dedupe key and confidently the same paper.
        current = by_arxiv.get(arxiv) if arxiv else None
        if current is None:
            current = by_key.get(key)
        if current is not None:
            for k in keys:
                seen[k] = (current.id, current)
            why = _not_same_paper(candidate, current)
            if why:
                report.conflicts.append(Conflict(current.id, entry.line, (), why))
                continue
            day = entry.listed or (current.added if current.source == source else today)
            merged, changed = merge.merge(current, candidate, Listing(day, source, entry.rank),
                                          source)
            if not changed:
                report.unchanged.append(current.id)
            elif current.edited:
                report.conflicts.append(Conflict(current.id, entry.line, changed))
            else:
                merged = replace(merged, fingerprint=merged.content_fingerprint())
                reason = _invalid_reason(merged, schema)
                if reason:
                    report.rejected.append((entry.line, reason))
                    continue
                planned[merged.id] = merged
                report.updated.append(current.id)
                report.in_existing.update(changed)
                _index(merged, current, by_key, by_arxiv)
            continue
        # The id of a new paper comes from the title as readers see it (math as text):
        # "$\mathcal{B}^{3}$-Net" gives b3-net, not mathcal-b-3-net.  Existing ids stay.
        new_id = ids.allocate(plain_title(candidate.title))
        tags = (suggest_tags(candidate.title, candidate.abstract, archive.vocabulary, policy)
                if policy is not None else ())
        listing = Listing(entry.listed or today, source, entry.rank)
        paper = replace(candidate, id=new_id, tags=tags, added=today, source=source,
                        listings=(listing,))
        paper = replace(paper, fingerprint=paper.content_fingerprint())
        reason = _invalid_reason(paper, schema)
        if reason:
            report.rejected.append((entry.line, reason))
            continue
        for k in keys:
            seen[k] = (new_id, paper)
        planned[new_id] = paper
        report.added.append(new_id)
        report.in_new.update(name for name in merge.MERGED_FIELDS
                             if name not in ("title", "abstract") and getattr(paper, name))
        _index(paper, None, by_key, by_arxiv)
    return report, list(planned.values())


def _arxiv(paper: Paper) -> str:
    """The paper's arXiv id: its record field, else the one its links name."""
    return paper.arxiv_id or paper_arxiv_id(paper)


def _index(paper: Paper, old: Paper | None, by_key: dict[str, Paper],
           by_arxiv: dict[str, Paper]) -> None:
    """Point the lookups at ``paper`` (replacing ``old``), so later entries see it."""
    if old is not None and paper_key(old) != paper_key(paper):
        by_key.pop(paper_key(old), None)
    by_key[paper_key(paper)] = paper
    if _arxiv(paper):
        by_arxiv[_arxiv(paper)] = paper


def _not_same_paper(entry: Paper, record: Paper) -> str | None:
    """Why ``entry`` is not confidently the paper ``record`` although their keys are equal."""
    a, b = _arxiv(entry), _arxiv(record)
    if identity.same_paper(entry.abstract, a, record.abstract, b):
        return None
    if a and b:
        return f"a different arXiv id ({a}, the record has {b})"
    overlap = identity.abstract_overlap(entry.abstract, record.abstract)
    return f"the abstracts share only {overlap:.0%} of their words"


def _invalid_reason(paper: Paper, schema: dict[str, Any] | None) -> str | None:
    """Why ``paper`` would fail ``validate``, in one line, or None."""
    if schema is None:
        return None
    problems = _self_check(paper, schema)
    return "; ".join(f"{p.field}: {p.message}" for p in problems) or None


def _check_archive(root: Path) -> Archive:
    papers = Layout(root).papers_dir
    if not papers.is_dir():
        raise ImportError_(printable(f"{papers}: no papers folder; is --root pointing at "
                                     "the archive?"))
    try:
        return load_for_writing(root)
    except UnreadableRecords as exc:
        raise ImportError_(f"cannot import while records are unreadable:\n{exc}") from None


def run_import(dump: Path, root: Path, today: str | None = None, dry_run: bool = False,
               keep_dump: bool = True) -> ImportReport:
    """Import ``dump`` into the archive at ``root``; see the module docstring."""
    layout = Layout(root)
    if not dry_run:  # before the archive is read: a plan over half an import could clash
        finish_killed_write(layout)
    try:
        today = dates.check_date(today)
    except ValueError as exc:
        raise ImportError_(str(exc)) from None
    try:
        schema = load_schema(root)
        limits = RecordLimits.from_schema(schema)
    except (OSError, ValueError) as exc:
        _check_archive(root)  # a missing archive is named as such, not as its schema
        raise ImportError_(f"cannot read the record schema: {exc}") from None
    try:
        entries = read_dump(dump, limits)
    except DumpError as exc:
        raise ImportError_(str(exc)) from None
    archive = _check_archive(root)
    progress = Progress("importing", len(entries))
    # Every record is checked, as `validate` would, before it is planned for writing.
    try:
        policy = load_policy(root)
    except PolicyError as exc:
        raise ImportError_(str(exc)) from None
    try:
        copy = _dump_copy(dump, layout, keep_dump)
    except DumpError as exc:
        raise ImportError_(str(exc)) from None
    except OSError as exc:
        raise ImportError_(printable(f"{exc.filename or dump}: cannot read: "
                                     f"{exc.strerror or exc}")) from None
    report, to_write = plan_import(entries, archive, dump.name, today, progress, root, schema,
                                   policy)
    progress.close()
    report.policy_warnings = _breaks_brought(root, archive, to_write, policy)
    report.learned_off = archive.vocabulary.training_off
    if dry_run:
        return report
    writes: list[tuple[Path, str | bytes]] = []
    try:
        _tidy(layout)
        if copy is not None:
            writes.append((layout.dumps_dir / dump.name, copy))
        writes += [(layout.paper_path(paper.id), paper_to_yaml(paper)) for paper in to_write]
        # All or nothing: a full disk part-way must not leave half an import behind.
        report.written += files.write_all_if_changed(writes, layout.import_journal)
    except DumpError as exc:
        raise ImportError_(str(exc)) from None
    except OSError as exc:
        where = exc.filename if exc.filename is not None else layout.papers_dir
        raise ImportError_(printable(f"{where}: cannot write: {exc.strerror or exc}")) from None
    return report


def _breaks_brought(root: Path, archive: Archive, to_write: list[Paper], policy: Policy,
                    ) -> list[str]:
    """The archive-wide policy breaks after the import that were not there before it.

    Warnings, not refusals: crossing ``rareFromPapers`` with a normal import makes every
    thin tag a break at once, and the records are not what is wrong.
    """
    before = archive_breaks(root, list(archive.papers), archive.vocabulary, policy)
    after = {p.id: p for p in archive.papers} | {p.id: p for p in to_write}
    return [printable(str(problem)) for key, problem in
            archive_breaks(root, list(after.values()), archive.vocabulary, policy).items()
            if key not in before]


def _dump_copy(dump: Path, layout: Layout, keep_dump: bool) -> bytes | None:
    """The bytes to keep in ``archive/dumps/<name>``, or None when there is nothing to copy.

    A stored dump of the same name holding other bytes (another folder's ``papers.jsonl``,
    or a file named like the committed seed dump) is never replaced, and the import is
    refused: records name their dump (``source``) and follow its text, so the two cannot
    share a name.  Same bytes: the copy is a no-op.  Nothing to copy with ``--no-copy``, or
    when the dump is the stored one itself.
    """
    if not keep_dump or dump.resolve().parent == layout.dumps_dir.resolve():
        return None
    data = read_bounded(dump, MAX_DUMP_BYTES)
    stored = layout.dumps_dir / dump.name
    if _holds_other_bytes(stored, data):
        raise ImportError_(printable(
            f"{stored}: holds another dump of the name {dump.name}; rename {dump} before "
            "importing it (or, to replace the stored dump with a corrected one, delete it "
            "first)"))
    return data


def _holds_other_bytes(path: Path, data: bytes) -> bool:
    """True when something other than a regular file with exactly ``data`` is at ``path``."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return True
    return path.read_bytes() != data


def _tidy(layout: Layout) -> None:
    """Remove the temporary files killed writes left in the folders records go to."""
    for folder in (layout.papers_dir, layout.dumps_dir):
        outputs.remove_tmp_leftovers(folder)


def finish_killed_write(layout: Layout) -> None:
    """Complete the renames of an import (or ``tags --apply``) killed part-way.

    Called at the start of every command that writes records or pages (before it reads
    the archive), so none works on half an import; the one line saying so goes to stderr.
    """
    try:
        line = files.finish_journal(layout.import_journal)
    except files.JournalError as exc:
        raise ImportError_(printable(str(exc))) from None
    if line:
        print(printable(line), file=sys.stderr)


def save_papers(root: Path, papers: list[Paper]) -> list[Path]:
    """Write whole records that a tool changed (e.g. ``tags suggest --apply``).

    The caller decides *what* changes and must never pass a record a contributor edited;
    here the fingerprint is renewed (so the record counts as tool-written again) and the
    canonical bytes are written only when they differ, all or none (a full disk part-way
    changes nothing).  Returns the paths written.
    """
    layout = Layout(root)
    _tidy(layout)
    stamped = [replace(paper, fingerprint=paper.content_fingerprint()) for paper in papers]
    return files.write_all_if_changed(
        [(layout.paper_path(paper.id), paper_to_yaml(paper)) for paper in stamped],
        layout.import_journal)


def _self_check(paper: Paper, schema: dict[str, Any]) -> list[Problem]:
    """Validate a record's bytes in memory, before anything is written."""
    rel = record_source(paper.id)
    loaded, problems = parse_paper(paper_to_yaml(paper), paper.id, schema, rel)
    if loaded != paper:
        problems.append(Problem(rel, 1, "(record)", "does not round-trip to the same record"))
    return problems


def save_edited_tags(root: Path, papers: list[Paper]) -> list[Path]:
    """Write records a contributor edited whose tag ids the vocabulary has renamed.

    The caller changes nothing but alias ids to current ids; the old fingerprint is kept,
    so the record still counts as edited by hand and no tool overwrites it later.
    """
    layout = Layout(root)
    return [layout.paper_path(p.id) for p in papers
            if files.write_if_changed(layout.paper_path(p.id), paper_to_yaml(p))]


def create_record(root: Path, paper: Paper, dry_run: bool = False) -> Path:
    """Write one new record made by hand (``python -m generator new``); return its path.

    The bytes are checked with the same strict reader ``validate`` uses before anything
    is written, and an existing file is never replaced: a new record must not silently
    take over a paper someone else added.  With ``dry_run`` everything is checked and
    nothing is written.  Raises :class:`ImportError_` saying why when it refuses.
    """
    path = Layout(root).paper_path(paper.id)
    problems = _self_check(paper, load_schema(root))
    if problems:
        raise ImportError_("the record would be invalid (nothing written):\n"
                           + "\n".join(printable(str(p)) for p in problems))
    if path.exists():
        raise ImportError_(f"{path} already exists; a new record never replaces one "
                           "(edit that file instead, or choose another id)")
    if not dry_run:
        _tidy(Layout(root))
        files.atomic_write_text(path, paper_to_yaml(paper))
    return path
