"""Generate: write every page of the site into ``docs/`` as real Markdown files.

Real files (not virtual pages) keep the pages inspectable and the site buildable by any
MkDocs-compatible builder.  Only files whose content changed are written, so
``mkdocs serve`` rebuilds only when something really changed, and pages whose record is
gone are deleted.  The generated areas are git-ignored: ``docs/index.md``,
``docs/papers/``, ``docs/tags/`` and ``docs/contributing.md`` (a copy of the repository's
``CONTRIBUTING.md``, so the contributor guide is a page of the site).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import posixpath
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import files, outputs
from generator.archive import load_archive
from generator.cache import Cache, Inputs
from generator.layout import (
    CONTRIBUTING_PAGE,
    GENERATED_AREAS,
    GENERATED_DIRS,
    refuse_collisions,
)
from generator.model import Archive, Paper, Problem
from generator.render import PagePlan, plan_site
from generator.search import SEARCH_DIR, search_outputs, write_search

CONTRIBUTING = "CONTRIBUTING.md"


class ArchiveProblems(Exception):
    """The archive has problems; nothing was generated."""

    def __init__(self, problems: list[Problem], records: int) -> None:
        super().__init__(f"{len(problems)} problem(s) in {records} records")
        self.problems = problems
        self.records = records


@dataclass
class GenerateReport:
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    papers: int = 0
    tags: int = 0
    #: The newest ``added`` date: the site's "build date", so builds are reproducible.
    newest: str = ""

    def summary(self) -> str:
        return (f"{self.pages} pages for {self.papers} papers and {self.tags} tags: "
                f"{len(self.written)} written, {len(self.removed)} removed, "
                f"{self.pages - len(self.written)} unchanged")


def load_checked(root: Path, reuse: Callable[[Path], Paper | None] | None = None) -> Archive:
    """The archive, or :class:`ArchiveProblems` if ``validate`` would report anything.

    With ``reuse`` (papers from the generate cache) a problem found is reported after a
    reload without it, so that its line numbers are the real ones.
    """
    archive, problems = load_archive(root, reuse)
    if problems and reuse is not None:
        archive, problems = load_archive(root)
    if problems:
        raise ArchiveProblems(problems, len(archive.papers))
    return archive


def generate(root: Path, docs_dir: Path, repo_dir: Path | None = None, *,
             cache: Cache | None = None) -> GenerateReport:
    """Load, check and render the archive at ``root`` into ``docs_dir``.

    ``repo_dir`` is where ``CONTRIBUTING.md`` is looked for (default: ``docs_dir``'s parent).
    Raises :class:`ArchiveProblems` (writing nothing) if the archive does not validate, and
    :class:`generator.outputs.OutputRefused` if ``docs_dir`` must not be written into.
    ``cache`` (default: the one for ``docs_dir``, see :mod:`generator.cache`) lets a run
    with nothing changed return at once and a run with one changed record render only the
    pages that show it; pass ``Cache.disabled()`` for a full run.
    """
    repo_dir = repo_dir or docs_dir.resolve().parent
    # The archive's own project, whatever repo_dir says: archive/ lives in the project root.
    outputs.check_docs_dir(docs_dir, root.resolve().parent, root, GENERATED_DIRS)
    docs_dir = docs_dir.resolve()
    cache = cache if cache is not None else Cache.open(docs_dir)
    inputs = cache.scan(root, repo_dir)
    if cache.fresh(inputs, docs_dir):
        return GenerateReport(**cache.data.get("summary", {}))
    archive = load_checked(root, cache.reuse(inputs))
    return write_pages(archive, docs_dir, repo_dir, cache, inputs)


def write_pages(archive: Archive, docs_dir: Path, repo_dir: Path,
                cache: Cache | None = None, inputs: Inputs | None = None) -> GenerateReport:
    """Write the rendered pages of ``archive``; delete generated pages no longer rendered.

    A page whose key (what it shows) is the one the cache recorded, and whose file is
    still as written, is not rendered at all.  The search index is built at the same
    time in a second process (it is a third of the work and needs nothing from the pages),
    unless the cache says it was built from the same records and vocabulary.
    """
    docs_dir = docs_dir.resolve()
    cache = cache or Cache.disabled()
    for folder in (docs_dir, *(docs_dir / name for name in GENERATED_DIRS)):
        outputs.remove_tmp_leftovers(folder)
    report = GenerateReport(papers=len(archive.papers), tags=len(archive.vocabulary.tags),
                            newest=max((p.added for p in archive.papers), default=""))
    plans = plan_site(archive)
    _refuse_bad_outputs(plans, (repo_dir / CONTRIBUTING).is_file(), docs_dir)
    search = None
    if inputs is None or not cache.search_fresh(inputs, docs_dir):
        search = _SearchJob(archive, docs_dir)
    try:
        keys = _write_plans(plans, docs_dir, repo_dir, cache, report)
    finally:
        if search is not None:
            search.wait()
    report.pages = len(keys)
    if inputs is not None:
        search_files = [str(p.relative_to(docs_dir)) for p in
                        sorted((docs_dir / SEARCH_DIR).parent.rglob("*")) if p.is_file()]
        sha_of = {name[: -len(".yml")]: entry[2] for name, entry in inputs.records.items()}
        cache.save(inputs, [(sha_of[p.id], p) for p in archive.papers if p.id in sha_of],
                   keys, search_files, docs_dir, dataclasses.asdict(
                       GenerateReport(pages=report.pages, papers=report.papers,
                                      tags=report.tags, newest=report.newest)))
    return report


def _refuse_bad_outputs(plans: list[PagePlan], contributing: bool, docs_dir: Path) -> None:
    """Before anything is written or the search job starts: a page outside docs/, or two
    outputs on one path (one would silently replace the other, a hand-written page
    included), stop the run."""
    for plan in plans:
        if posixpath.isabs(plan.path) or posixpath.normpath(plan.path).startswith(".."):
            raise ValueError(f"refusing to write outside {docs_dir}: {plan.path}")
    claimed = [(plan.path, plan.source) for plan in plans]
    if contributing:
        claimed.append((CONTRIBUTING_PAGE, f"the copy of {CONTRIBUTING}"))
    refuse_collisions([*_hand_written(docs_dir), *claimed, *search_outputs()])


def _hand_written(docs_dir: Path) -> list[tuple[str, str]]:
    """The files of docs/ that generate does not make (hand-written pages, styles, scripts),
    as ``(docs path, source)``; the generated areas are not walked (50,000 pages)."""
    found = []
    for folder, dirs, names in os.walk(docs_dir):
        rel = Path(folder).relative_to(docs_dir).as_posix()
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in GENERATED_AREAS]
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = name if rel == "." else f"{rel}/{name}"
            if not name.startswith(".") and path not in GENERATED_AREAS:
                found.append((path, f"the hand-written docs/{path}"))
    return found


def _write_plans(plans: list[PagePlan], docs_dir: Path, repo_dir: Path, cache: Cache,
                 report: GenerateReport) -> dict[str, str | None]:
    """Render and write what changed; returns every generated page's path and key."""
    keys: dict[str, str | None] = {}
    keep: list[Path] = []

    def put(rel: str, text: str) -> None:
        if files.write_if_changed(docs_dir / rel, text):
            report.written.append(rel)

    for plan in plans:
        keys[plan.path] = plan.key
        keep.append(docs_dir / plan.path)
        if plan.key is None or cache.page_key(plan.path, docs_dir) != plan.key:
            put(plan.path, plan.make().text)
    contributing = repo_dir / CONTRIBUTING
    if contributing.is_file():
        put(CONTRIBUTING_PAGE, _contributing_page(contributing.read_text("utf-8")))
        keys[CONTRIBUTING_PAGE] = None
    else:
        _remove(docs_dir / CONTRIBUTING_PAGE, docs_dir, report)
    for name in GENERATED_DIRS:
        for path in files.remove_stale(docs_dir / name, keep, "*.md"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)
    return keys


class _SearchJob:
    """``write_search`` in a forked child process while the parent renders pages.

    Forking is only safe in a process with one thread (``mkdocs serve`` has several), so
    there the index is built in this process, after the pages.  A failure in the child is
    reported as one line, as any other error.
    """

    def __init__(self, archive: Archive, docs_dir: Path) -> None:
        self.archive, self.docs_dir = archive, docs_dir
        self.process = None
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(
                target=_search_child, args=(archive, docs_dir))
            self.process.start()

    def wait(self) -> None:
        if self.process is None:
            write_search(self.archive, self.docs_dir)
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"building the search index failed "
                               f"(exit {self.process.exitcode}); see the message above")


def _search_child(archive: Archive, docs_dir: Path) -> None:
    try:
        write_search(archive, docs_dir)
    except Exception as exc:  # the child's error is printed as one line, never a traceback
        print(f"search index: {type(exc).__name__}: {exc}", file=sys.stderr)
        os._exit(1)


def _contributing_page(text: str) -> str:
    """The guide with front matter pointing "edit" at the real file, not the copy."""
    if text.startswith("---\n"):
        return text
    return f'---\nedit_path: "{CONTRIBUTING}"\nrepo_links: true\n---\n\n{text}'


def _remove(path: Path, docs_dir: Path, report: GenerateReport) -> None:
    if path.is_file():
        path.unlink()
        report.removed.append(str(path.relative_to(docs_dir)))
