"""Generate: write every page of the site into ``docs/`` as real Markdown files.

Real files (not virtual pages) keep the pages inspectable and the site buildable by any
MkDocs-compatible builder.  Only files whose content changed are written, so
``mkdocs serve`` rebuilds only when something really changed, and pages whose record is
gone are deleted.  The generated areas are git-ignored: ``docs/index.md``,
``docs/papers/``, ``docs/tags/`` and ``docs/contributing.md`` (a copy of the repository's
``CONTRIBUTING.md``, so the contributor guide is a page of the site).
"""

from __future__ import annotations

import contextlib
import io
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import api, files, outputs, related
from generator.archive import load_archive
from generator.feeds import FEEDS_DIR, site_feeds
from generator.model import Archive, Problem
from generator.render import Index, paper_path, render_site, tag_path, url_of
from generator.schema import load_schema
from generator.search import write_search
from generator.stats import stats_page

#: Folders under docs/ that generate owns entirely: anything else in them is stale.
GENERATED_DIRS = ("papers", "tags")
#: Generated folders of other files than pages (feeds, the static API): all of it is ours.
GENERATED_DATA_DIRS = (FEEDS_DIR, api.API_DIR)
#: Where build caches live (git-ignored); only speed depends on them, never output.
CACHE_DIR = ".cache"
RELATED_CACHE = "related-features.json.gz"
MKDOCS_CONFIG = "mkdocs.yml"
ROBOTS = "robots.txt"
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
    #: Feeds and static API files (not pages), counted in ``written`` too.
    data_files: int = 0

    def summary(self) -> str:
        unchanged = self.pages + self.data_files - len(self.written)
        return (f"{self.pages} pages and {self.data_files} feed and data files for "
                f"{self.papers} papers and {self.tags} tags: "
                f"{len(self.written)} written, {len(self.removed)} removed, "
                f"{unchanged} unchanged")


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
    outputs.check_docs_dir(docs_dir, root.resolve().parent, root,
                           (*GENERATED_DIRS, *GENERATED_DATA_DIRS))
    archive = load_checked(root)
    return write_pages(archive, docs_dir, repo_dir, load_schema(root))


@dataclass(frozen=True)
class SiteConfig:
    """What pages need of mkdocs.yml: feeds and link previews want absolute URLs."""

    site_name: str = "Paper archive"
    site_url: str = ""


def site_config(repo_dir: Path) -> SiteConfig:
    """``site_name`` and ``site_url`` from ``repo_dir/mkdocs.yml`` (defaults if absent).

    Read with MkDocs' own loader so ``!ENV`` values resolve as ``mkdocs build`` sees them.
    """
    path = repo_dir / MKDOCS_CONFIG
    if not path.is_file():
        return SiteConfig()
    from mkdocs.config import load_config

    with contextlib.redirect_stderr(io.StringIO()):
        config = load_config(str(path))
    return SiteConfig(str(config.site_name or SiteConfig.site_name),
                      str(config.site_url or ""))


def write_pages(archive: Archive, docs_dir: Path, repo_dir: Path,
                record_schema: dict[str, Any] | None = None) -> GenerateReport:
    """Write the rendered pages of ``archive``; delete generated pages no longer rendered."""
    docs_dir = docs_dir.resolve()
    for folder in (docs_dir, *(docs_dir / name for name in (*GENERATED_DIRS,
                                                            *GENERATED_DATA_DIRS))):
        outputs.remove_tmp_leftovers(folder)
    report = GenerateReport(papers=len(archive.papers), tags=len(archive.vocabulary.tags),
                            newest=max((p.added for p in archive.papers), default=""))
    keep: list[Path] = []
    config = site_config(repo_dir)
    cache = related.TokenCache(repo_dir / CACHE_DIR / RELATED_CACHE
                               if (repo_dir / ".git").exists() else None)
    similar = related.related_papers(related.texts_of(archive.papers), cache)
    cache.save()
    index = Index.of(archive, similar, config.site_url)
    pages = [(page.path, page.text) for page in render_site(archive, index)]
    stats = stats_page(index)
    pages.append((stats.path, stats.text))
    data_files = 0
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
    for rel, data in site_feeds(index, config.site_name):
        if files.write_if_changed(docs_dir / rel, data):
            report.written.append(rel)
        keep.append(docs_dir / rel)
        data_files += 1
    robots = docs_dir / ROBOTS
    if config.site_url:
        text = f"User-agent: *\nAllow: /\n\nSitemap: {config.site_url.rstrip('/')}/sitemap.xml\n"
        if files.write_if_changed(robots, text):
            report.written.append(ROBOTS)
        data_files += 1
    else:
        _remove(robots, docs_dir, report)
    for item in api.api_files(*_api_records(index), record_schema or {}):
        if files.write_chunks_if_changed(docs_dir / item.path, item.chunks):
            report.written.append(item.path)
        keep.append(docs_dir / item.path)
        data_files += 1
    for name in GENERATED_DIRS:
        for path in files.remove_stale(docs_dir / name, keep, "*.md"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)
    for name in GENERATED_DATA_DIRS:
        keep.append(docs_dir / name / outputs.DOCS_MARKER)
        for path in files.remove_stale(docs_dir / name, keep, "*"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)
    write_search(archive, docs_dir)
    report.pages = len(pages)
    report.data_files = data_files
    return report


def _api_records(index: Index) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Public paper records and tag summaries for :func:`generator.api.api_files`."""
    papers = [api.public_record(p.to_dict(), url_of(paper_path(p.id))) for p in index.papers]
    tags = [{"id": t.id, "name": t.name, "group": t.group, "description": t.description,
             "count": len(index.papers_by_tag[t.id]), "url": url_of(tag_path(t.id))}
            for t in sorted(index.tags.values(), key=lambda t: t.id)]
    return papers, tags


def _contributing_page(text: str) -> str:
    """The guide with front matter pointing "edit" at the real file, not the copy."""
    if text.startswith("---\n"):
        return text
    return f'---\nedit_path: "{CONTRIBUTING}"\nrepo_links: true\n---\n\n{text}'


def _remove(path: Path, docs_dir: Path, report: GenerateReport) -> None:
    if path.is_file():
        path.unlink()
        report.removed.append(str(path.relative_to(docs_dir)))
