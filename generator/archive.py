"""The whole archive loaded: every record and the vocabulary, with every problem found.

Per-file checks live in :mod:`generator.records` and :mod:`generator.vocabulary`; this
module adds the rules that need more than one file (unique ids and titles, known tags) and
the guard that tools writing records use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import yamlio
from generator.identity import paper_key
from generator.layout import PAPER_SCHEMA, Layout
from generator.model import (
    ARCHIVE,
    RECORD,
    TRAINING,
    Archive,
    Paper,
    Problem,
    Vocabulary,
    archive_order,
)
from generator.records import load_paper
from generator.schema import load_schema
from generator.tagpolicy import PolicyError, archive_problems, load_policy, paper_problems
from generator.textrules import printable
from generator.vocabulary import load_vocabulary


class UnreadableRecords(RuntimeError):
    """Some record files cannot be read at all; the message lists them, one per line."""


def load_for_writing(root: Path) -> Archive:
    """Load the archive for a tool that adds or changes records.

    Refuses (raising :class:`UnreadableRecords`) while any record file cannot be read: a
    duplicate title or id could hide in it.  Merely invalid records are fine here; the
    tool's own output is checked separately.  An unreadable ``tag_training.yml`` only
    switches the learned layer off (``archive.vocabulary.training_off`` says so).
    """
    archive, problems = load_archive(root)
    fatal = [p for p in problems if p.unreadable and p.kind != TRAINING]
    if fatal:
        raise UnreadableRecords("\n".join(printable(str(p)) for p in fatal))
    return archive


def taken_ids(root: Path, archive: Archive) -> set[str]:
    """Ids a new record may not use: loaded ids plus every record file's name."""
    return {p.id for p in archive.papers} | {path.stem for path in Layout(root).paper_files()}


def load_archive(root: Path, reuse: Callable[[Path], Paper | None] | None = None,
                 warnings: list[Problem] | None = None) -> tuple[Archive, list[Problem]]:
    """Load every record and the vocabulary, returning ALL problems found.

    Warnings (:attr:`Problem.warning`) are not problems that stop anything: they are
    appended to ``warnings`` when the caller passes a list (``validate``, ``tags report``)
    and dropped otherwise, so that every caller that refuses to go on "if any problem is
    reported" keeps meaning errors.

    Papers with problems are still returned when usable, so that ``validate`` can check
    cross-record rules too; callers that build the site refuse to go on if any problem
    is reported.  ``reuse`` (the generate cache) may hand over the Paper a record file
    was loaded as last time, when its content and the schema are the same: that file is
    not parsed again.  Cross-record rules always run; a problem they find in a reused
    record is reported at line 1, so callers reload without ``reuse`` to report it.
    """
    layout = Layout(root)
    vocabulary, problems = load_vocabulary(layout)
    if not layout.papers_dir.is_dir():
        problems.append(Problem(layout.rel(layout.papers_dir), 1, "(archive)",
                                "no papers folder: is --root pointing at the archive?", ARCHIVE))
    try:
        schema = load_schema(root, PAPER_SCHEMA)
    except (OSError, ValueError) as exc:
        # Still load the records, so that every other problem is reported too.
        schema = {}
        problems.append(Problem(layout.rel(layout.schema_dir / PAPER_SCHEMA), 1,
                                "(file)", f"cannot read the record schema: {exc}", ARCHIVE,
                                unreadable=True))
    loaded: list[_Loaded] = []
    for path in layout.paper_files():
        rel = layout.rel(path)
        cached = reuse(path) if reuse is not None else None
        if cached is not None:
            loaded.append(_Loaded(cached, rel, None))
            continue
        paper, found, doc = load_paper(path, schema, rel)
        problems += found
        if paper is not None and doc is not None:
            loaded.append(_Loaded(paper, rel, doc))
    problems += _cross_record_problems(loaded, vocabulary)
    problems += _policy_problems(root, loaded, vocabulary)
    if warnings is not None:
        # The archive-wide ones first: a few lines about tags.yml, not lost behind
        # thousands of papers with one tag when only the first warnings are shown.
        warnings += sorted((p for p in problems if p.warning),
                           key=lambda p: (p.kind == RECORD, p))
    errors = sorted(p for p in problems if not p.warning)
    return Archive(archive_order(item.paper for item in loaded), vocabulary), errors


@dataclass(frozen=True)
class _Loaded:
    paper: Paper
    rel: str
    doc: yamlio.Document | None  # None for a paper the generate cache handed over

    def line_of(self, path: tuple[str | int, ...]) -> int:
        return self.doc.line_of(path) if self.doc is not None else 1


def _cross_record_problems(loaded: list[_Loaded], vocabulary: Vocabulary) -> list[Problem]:
    """Rules that need more than one record: unique ids, titles and arXiv ids, known tags."""
    problems: list[Problem] = []
    known = vocabulary.by_id()
    by_title: dict[str, str] = {}
    by_id: dict[str, str] = {}
    by_arxiv: dict[str, str] = {}
    for item in loaded:
        paper, rel, doc = item.paper, item.rel, item
        if paper.id in by_id:
            problems.append(Problem(rel, doc.line_of(("id",)), "id",
                                    f"duplicate id {paper.id!r} (also in {by_id[paper.id]})"))
        by_id.setdefault(paper.id, rel)
        key = paper_key(paper)
        if key and key in by_title:
            problems.append(Problem(rel, doc.line_of(("title",)), "title",
                                    f"same title as {by_title[key]}"))
        by_title.setdefault(key, rel)
        if paper.arxiv_id:
            if paper.arxiv_id in by_arxiv:
                problems.append(Problem(rel, doc.line_of(("arxiv_id",)), "arxiv_id",
                                        f"same arXiv id as {by_arxiv[paper.arxiv_id]}"))
            by_arxiv.setdefault(paper.arxiv_id, rel)
        if vocabulary.tags:
            for i, tag in enumerate(paper.tags):
                if tag not in known:
                    current = vocabulary.resolve(tag)
                    hint = f" (renamed: use {current!r})" if current else ""
                    problems.append(Problem(rel, doc.line_of(("tags", i)), f"tags.{i}",
                                            f"unknown tag {tag!r}{hint}"))
    return problems


def _policy_problems(root: Path, loaded: list[_Loaded], vocabulary: Vocabulary,
                     ) -> list[Problem]:
    """The tagging policy (:mod:`generator.tagpolicy`): per record, then per tag."""
    if not vocabulary.tags:
        return []
    try:
        policy = load_policy(root)
    except PolicyError as exc:
        return [exc.problem]
    problems = [Problem(item.rel, item.line_of(("tags",)), field, message, warning=warning)
                for item in loaded
                for field, message, warning in paper_problems(item.paper, vocabulary, policy)]
    return problems + archive_problems(root, [item.paper for item in loaded], vocabulary,
                                       policy)
