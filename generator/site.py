"""Generate: write every page of the site into ``docs/`` as real Markdown files.

Real files (not virtual pages) keep the pages inspectable and the site buildable by any
MkDocs-compatible builder.  Only files whose content changed are written, so
``mkdocs serve`` rebuilds only when something really changed, and pages whose record is
gone are deleted.  The generated areas are git-ignored: ``docs/index.md``,
``docs/papers/``, ``docs/tags/`` and ``docs/contributing.md`` (a copy of the repository's
``CONTRIBUTING.md``, so the contributor guide is a page of the site).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from generator import files, outputs
from generator.archive import load_archive
from generator.model import Archive, Problem
from generator.render import render_site
from generator.search import write_search

#: Folders under docs/ that generate owns entirely: anything else in them is stale.
GENERATED_DIRS = ("papers", "tags")
CONTRIBUTING = "CONTRIBUTING.md"
CONTRIBUTING_PAGE = "contributing.md"


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


def load_checked(root: Path) -> Archive:
    """The archive, or :class:`ArchiveProblems` if ``validate`` would report anything."""
    archive, problems = load_archive(root)
    if problems:
        raise ArchiveProblems(problems, len(archive.papers))
    return archive


def generate(root: Path, docs_dir: Path, repo_dir: Path | None = None) -> GenerateReport:
    """Load, check and render the archive at ``root`` into ``docs_dir``.

    ``repo_dir`` is where ``CONTRIBUTING.md`` is looked for (default: ``docs_dir``'s parent).
    Raises :class:`ArchiveProblems` (writing nothing) if the archive does not validate, and
    :class:`generator.outputs.OutputRefused` if ``docs_dir`` must not be written into.
    """
    repo_dir = repo_dir or docs_dir.resolve().parent
    # The archive's own project, whatever repo_dir says: archive/ lives in the project root.
    outputs.check_docs_dir(docs_dir, root.resolve().parent, root, GENERATED_DIRS)
    archive = load_checked(root)
    return write_pages(archive, docs_dir, repo_dir)


def write_pages(archive: Archive, docs_dir: Path, repo_dir: Path) -> GenerateReport:
    """Write the rendered pages of ``archive``; delete generated pages no longer rendered."""
    docs_dir = docs_dir.resolve()
    for folder in (docs_dir, *(docs_dir / name for name in GENERATED_DIRS)):
        outputs.remove_tmp_leftovers(folder)
    report = GenerateReport(papers=len(archive.papers), tags=len(archive.vocabulary.tags),
                            newest=max((p.added for p in archive.papers), default=""))
    keep: list[Path] = []
    pages = [(page.path, page.text) for page in render_site(archive)]
    contributing = repo_dir / CONTRIBUTING
    if contributing.is_file():
        pages.append((CONTRIBUTING_PAGE, _contributing_page(contributing.read_text("utf-8"))))
    else:
        _remove(docs_dir / CONTRIBUTING_PAGE, docs_dir, report)
    for rel, text in pages:
        if posixpath.isabs(rel) or posixpath.normpath(rel).startswith(".."):
            raise ValueError(f"refusing to write outside {docs_dir}: {rel}")
        target = docs_dir / rel
        if files.write_if_changed(target, text):
            report.written.append(rel)
        keep.append(target)
    for name in GENERATED_DIRS:
        for path in files.remove_stale(docs_dir / name, keep, "*.md"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)
    write_search(archive, docs_dir)
    report.pages = len(pages)
    return report


def _contributing_page(text: str) -> str:
    """The guide with front matter pointing "edit" at the real file, not the copy."""
    if text.startswith("---\n"):
        return text
    return f'---\nedit_path: "{CONTRIBUTING}"\nrepo_links: true\n---\n\n{text}'


def _remove(path: Path, docs_dir: Path, report: GenerateReport) -> None:
    if path.is_file():
        path.unlink()
        report.removed.append(str(path.relative_to(docs_dir)))
