"""Generate: write every page of the site into ``docs/`` as real Markdown files.

Real files (not virtual pages) keep the pages inspectable and the site buildable by any
MkDocs-compatible builder.  Only files whose content changed are written, so
``mkdocs serve`` rebuilds only when something really changed, and pages whose record is
gone are deleted.  The generated areas are git-ignored: ``docs/index.md``,
``docs/papers/``, ``docs/tags/``, ``docs/months/`` and ``docs/contributing.md`` (a copy of
the repository's ``CONTRIBUTING.md``, so the contributor guide is a page of the site).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import os
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import api, files, outputs, parallel, records, related
from generator.archive import load_archive
from generator.cache import Cache, Inputs
from generator.feeds import site_feeds
from generator.layout import (
    API_DIR,
    CONTRIBUTING_PAGE,
    FEEDS_DIR,
    GENERATED_AREAS,
    GENERATED_DIRS,
    PAPER_SCHEMA,
    ROBOTS,
    STATS_PAGE,
    Layout,
    refuse_collisions,
    url_of,
)
from generator.layout import paper_page as paper_path
from generator.layout import tag_page as tag_path
from generator.model import RECORD, TRAINING, Archive, Paper, Problem
from generator.parallel import Child, ChildFailed
from generator.progress import Progress
from generator.render import Index, PagePlan, plan_site
from generator.schema import load_schema
from generator.search import (
    SCRIPT_DIR,
    SEARCH_DIR,
    remove_stale_search,
    search_contents,
    search_outputs,
)
from generator.stats import stats_page
from generator.textrules import printable

#: Generated folders of other files than pages (feeds, the static API): all of it is ours.
GENERATED_DATA_DIRS = (FEEDS_DIR, API_DIR)
#: Where the related-papers token cache lives (git-ignored); only speed depends on it.
CACHE_DIR = ".cache"
RELATED_CACHE = "related-features.json.gz"
MKDOCS_CONFIG = "mkdocs.yml"
CONTRIBUTING = "CONTRIBUTING.md"

#: Every entry of docs/ that generate writes (the search scripts are one folder inside the
#: hand-written docs/assets/); the rest of docs/ is hand-written.  ``make clean`` removes
#: exactly these, and ``mkdocs serve`` watches only the rest, so its own writes trigger no
#: second rebuild.
GENERATED_ENTRIES = (*GENERATED_AREAS, str(SCRIPT_DIR))


class ArchiveProblems(Exception):
    """The archive has problems; nothing was generated."""

    def __init__(self, problems: list[Problem], records: int) -> None:
        super().__init__(f"{len(problems)} problem(s) in {records} records")
        self.problems = problems
        self.records = records

    def __reduce__(self) -> tuple[type[ArchiveProblems], tuple[list[Problem], int]]:
        """Pickled with its problems, so that ``build`` can raise it from its child."""
        return ArchiveProblems, (self.problems, self.records)


@dataclass
class GenerateReport:
    """What one ``generate`` wrote, removed and left alone."""

    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    papers: int = 0
    tags: int = 0
    #: The newest ``added`` date: the site's "build date", so builds are reproducible.
    newest: str = ""
    #: Feeds and static API files (not pages), counted in ``written`` too.
    data_files: int = 0
    #: Warnings that stop nothing but concern the whole archive (a tag too broad or too
    #: thin, at its line in tags.yml), one line each, for ``generate`` and ``build`` to show.
    warnings: list[str] = field(default_factory=list)
    #: :attr:`generator.model.Vocabulary.training_off`: why the learned tag layer is off.
    learned_off: str = ""

    def summary(self) -> str:
        """The counts in one line, as ``generate`` and ``build`` print them."""
        unchanged = self.pages + self.data_files - len(self.written)
        return (f"{self.pages} pages and {self.data_files} feed and data files for "
                f"{self.papers} papers and {self.tags} tags: "
                f"{len(self.written)} written, {len(self.removed)} removed, "
                f"{unchanged} unchanged")


#: Below this many records to parse, a second process costs more than it saves.
PARALLEL_LOAD_RECORDS = 2000


def load_checked(root: Path, reuse: Callable[[Path], Paper | None] | None = None,
                 warnings: list[Problem] | None = None) -> Archive:
    """The archive, or :class:`ArchiveProblems` if ``validate`` would report an error.

    With ``reuse`` (papers from the generate cache) a problem found is reported after a
    reload without it, so that its line numbers are the real ones.  Without, a large
    archive is parsed on two cores (:func:`_parsed_in_a_child`).  Warnings are appended
    to ``warnings`` when given (see :func:`generator.archive.load_archive`).
    """
    helper = None
    if reuse is None:
        helper, reuse = _parsed_in_a_child(root)
    found: list[Problem] = []
    try:
        archive, problems = load_archive(root, reuse, found)
    finally:
        if helper is not None:
            helper.stop()
    # The hand-judged papers only train the tagger, which the site does not run: a problem
    # there switches the layer off (the report says so) and stops `validate`, not the site.
    problems = [p for p in problems if p.kind != TRAINING]
    if problems and reuse is not None:
        archive, problems = load_archive(root)
        problems = [p for p in problems if p.kind != TRAINING]
    if warnings is not None:
        warnings += found
    if problems:
        raise ArchiveProblems(problems, len(archive.papers))
    return archive


def _parsed_in_a_child(root: Path) -> tuple[Child[dict[str, Paper]] | None,
                                            Callable[[Path], Paper | None] | None]:
    """The second half of the records parsed in a child while this process parses the first.

    Returns the child and a ``reuse`` callback for :func:`load_archive` that hands over
    the child's papers (waiting for them when the parent reaches the second half), or
    ``(None, None)`` where a child does not pay.  A record the child found a problem in
    is not handed over, so the parent parses it and reports the problem itself; if the
    child fails, the parent parses everything.
    """
    paths = Layout(root).paper_files()
    if len(paths) < PARALLEL_LOAD_RECORDS or not parallel.can_fork():
        return None, None
    second = paths[len(paths) // 2:]
    helper = Child("parsing the records", functools.partial(_parse_records, root, second))
    first_of_second = second[0]
    papers: dict[str, Paper] | None = None

    def handed_over(path: Path) -> Paper | None:
        nonlocal papers
        if path < first_of_second:
            return None
        if papers is None:
            try:
                papers = helper.result()
            except ChildFailed:
                papers = {}
        return papers.get(path.name)

    return helper, handed_over


def _parse_records(root: Path, paths: list[Path]) -> dict[str, Paper]:
    """Each record of ``paths`` that loads without a problem, by file name (a child's work)."""
    layout = Layout(root)
    schema = load_schema(root, PAPER_SCHEMA)
    papers = {}
    for path in paths:
        paper, problems, _ = records.load_paper(path, schema, layout.rel(path))
        if paper is not None and not problems:
            papers[path.name] = paper
    return papers


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
    outputs.check_docs_dir(docs_dir, root.resolve().parent, root,
                           (*GENERATED_DIRS, *GENERATED_DATA_DIRS))
    docs_dir = docs_dir.resolve()
    cache = cache if cache is not None else Cache.open(docs_dir)
    inputs = cache.scan(root, repo_dir)
    if cache.fresh(inputs, docs_dir):
        return GenerateReport(**cache.data.get("summary", {}))
    warnings: list[Problem] = []
    archive = load_checked(root, cache.reuse(inputs), warnings)
    # Only the archive-wide warnings: `validate` lists the papers with too few tags.
    shown = [printable(str(p)) for p in warnings if p.kind != RECORD]
    return write_pages(archive, docs_dir, repo_dir, cache, inputs, load_schema(root), shown)


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
                cache: Cache | None = None, inputs: Inputs | None = None,
                record_schema: dict[str, Any] | None = None,
                warnings: Sequence[str] = ()) -> GenerateReport:
    """Write the rendered pages of ``archive``; delete generated pages no longer rendered.

    A page whose key (what it shows) is the one the cache recorded, and whose file is
    still as written, is not rendered at all.  The search index is rebuilt unless the
    cache says it was built from the same records and vocabulary.

    The stages that need nothing from one another run at the same time, on two cores
    (:mod:`generator.parallel`): related papers in a child process while this one renders
    the pages that do not show them and writes the feeds and the static API, then the
    search index in a child while this one renders the paper pages.  Every file is staged
    (:class:`generator.files.Staged`) and renamed into place only when all stages have
    succeeded, so a failure anywhere, a child's included, leaves ``docs/`` as it was.
    """
    docs_dir = docs_dir.resolve()
    cache = cache or Cache.disabled()
    _remove_leftovers(docs_dir)
    report = GenerateReport(papers=len(archive.papers), tags=len(archive.vocabulary.tags),
                            newest=max((p.added for p in archive.papers), default=""),
                            warnings=list(warnings),
                            learned_off=archive.vocabulary.training_off)
    search = inputs is None or not cache.search_fresh(inputs, docs_dir)
    staged = files.Staged()
    try:
        keys = _write_plans(archive, docs_dir, repo_dir, cache, report, record_schema or {},
                            staged, search)
    except ChildFailed as exc:
        raise GenerateFailed(str(exc)) from None
    finally:
        staged.discard()
    report.pages = len(keys) - report.data_files
    if inputs is not None:
        search_files = [str(p.relative_to(docs_dir)) for p in
                        sorted((docs_dir / SEARCH_DIR).parent.rglob("*")) if p.is_file()]
        sha_of = {name[: -len(".yml")]: entry[2] for name, entry in inputs.records.items()}
        cache.save(inputs, [(sha_of[p.id], p) for p in archive.papers if p.id in sha_of],
                   keys, search_files, docs_dir, dataclasses.asdict(
                       GenerateReport(pages=report.pages, papers=report.papers,
                                      tags=report.tags, newest=report.newest,
                                      data_files=report.data_files,
                                      warnings=report.warnings,
                                      learned_off=report.learned_off)))
    return report


def _remove_leftovers(docs_dir: Path) -> None:
    """Temporary files of a killed run: staged writes can be anywhere under our folders."""
    outputs.remove_tmp_leftovers(docs_dir)
    for name in (*GENERATED_DIRS, *GENERATED_DATA_DIRS, str(SEARCH_DIR), str(SCRIPT_DIR)):
        for folder, _, _ in os.walk(docs_dir / name):
            outputs.remove_tmp_leftovers(Path(folder))


def _similar(archive: Archive, tokens: Path | None) -> dict[str, list[related.Related]]:
    """Related papers of every paper (a child's work), keeping the token cache up to date."""
    cache = related.TokenCache(tokens)
    similar = related.related_papers(related.texts_of(archive.papers), cache)
    cache.save()
    return similar


def _write_plans(archive: Archive, docs_dir: Path, repo_dir: Path, cache: Cache,
                 report: GenerateReport, record_schema: dict[str, Any], staged: files.Staged,
                 search: bool) -> dict[str, str | None]:
    """Render and stage what changed, then commit it; returns every generated file's key.

    Pages with a key are rendered only when it changed; feeds, the static API and the
    statistics page (key ``None``) are made every time and written only if they differ.
    Paper pages show related papers, so their plans (and keys) are made once those are
    known; every other page is rendered while they are being found.
    """
    config = site_config(repo_dir)
    tokens = repo_dir / CACHE_DIR / RELATED_CACHE if (repo_dir / ".git").exists() else None
    children: list[Child[Any]] = []

    def start(child: Child[Any]) -> Child[Any]:
        children.append(child)
        return child

    try:
        finding = start(Child("finding related papers",
                              functools.partial(_similar, archive, tokens)))
        index = Index.of(archive, {}, config.site_url)
        plans = plan_site(archive, index)
        contributing = repo_dir / CONTRIBUTING
        _refuse_bad_outputs(plans, contributing.is_file(), docs_dir)
        paper_pages = {paper_path(p.id) for p in index.papers}
        progress = Progress("rendering pages", len(plans))

        def put(rel: str, text: str) -> None:
            if staged.write(docs_dir / rel, text):
                report.written.append(rel)

        def render(batch: list[PagePlan]) -> None:
            for plan in batch:
                if plan.key is None or cache.page_key(plan.path, docs_dir) != plan.key:
                    put(plan.path, plan.make().text)
                progress.advance()

        render([plan for plan in plans if plan.path not in paper_pages])
        stats = stats_page(index)
        put(stats.path, stats.text)
        data_keys: dict[str, str | None] = {stats.path: None}
        keep = [docs_dir / plan.path for plan in plans]
        _write_data(index, config, docs_dir, record_schema, report, data_keys, keep, staged)
        if contributing.is_file() or contributing.is_symlink():
            put(CONTRIBUTING_PAGE, _contributing_page(outputs.read_source(contributing)))
            data_keys[CONTRIBUTING_PAGE] = None
        index.similar.update(finding.result())
        indexing = start(Child("building the search index",
                               functools.partial(search_contents, archive, docs_dir))) \
            if search else None
        plans = plan_site(archive, index)
        render([plan for plan in plans if plan.path in paper_pages])
        progress.close()
        wanted = indexing.result() if indexing else {}
        for path, data in wanted.items():
            staged.write(path, data)
        staged.commit()
    finally:
        for child in children:
            child.stop()
    if indexing:
        remove_stale_search(docs_dir, wanted)
    if CONTRIBUTING_PAGE not in data_keys:
        _remove(docs_dir / CONTRIBUTING_PAGE, docs_dir, report)
    if not config.site_url:
        _remove(docs_dir / ROBOTS, docs_dir, report)
    _remove_stale(docs_dir, keep, report)
    return {**{plan.path: plan.key for plan in plans}, **data_keys}


def _remove_stale(docs_dir: Path, keep: list[Path], report: GenerateReport) -> None:
    """Delete the generated files of an earlier run that this one did not make."""
    for name in GENERATED_DIRS:
        for path in files.remove_stale(docs_dir / name, keep, "*.md"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)
    for name in GENERATED_DATA_DIRS:
        keep.append(docs_dir / name / outputs.DOCS_MARKER)
        for path in files.remove_stale(docs_dir / name, keep, "*"):
            report.removed.append(str(path.relative_to(docs_dir)))
        outputs.mark_pages(docs_dir / name)


def _refuse_bad_outputs(plans: list[PagePlan], contributing: bool, docs_dir: Path) -> None:
    """Stop the run, before any page is written, on a page outside docs/ or a shared path.

    Two outputs on one path would silently replace one another, a hand-written page
    included; the error names both sources.

    The feeds and the API live in folders of their own (:data:`GENERATED_DATA_DIRS`), so
    their folders stand for them here.
    """
    for plan in plans:
        if posixpath.isabs(plan.path) or posixpath.normpath(plan.path).startswith(".."):
            raise ValueError(f"refusing to write outside {docs_dir}: {plan.path}")
    claimed = [(plan.path, plan.source) for plan in plans]
    claimed += [(STATS_PAGE, "the statistics page"), (ROBOTS, "robots.txt"),
                *((name, f"the generated {name}/ folder") for name in GENERATED_DATA_DIRS)]
    if contributing:
        claimed.append((CONTRIBUTING_PAGE, f"the copy of {CONTRIBUTING}"))
    refuse_collisions([*_hand_written(docs_dir), *claimed, *search_outputs()])


def _hand_written(docs_dir: Path) -> list[tuple[str, str]]:
    """The files of docs/ that generate does not make, as ``(docs path, source)``.

    Hand-written pages, styles and scripts claim their paths too.  The generated areas
    are not walked: they hold 50,000 pages, none of them hand-written.
    """
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


def _write_data(index: Index, config: SiteConfig, docs_dir: Path, record_schema: dict[str, Any],
                report: GenerateReport, keys: dict[str, str | None], keep: list[Path],
                staged: files.Staged) -> None:
    """Feeds, robots.txt and the static API: files, not pages, staged only if changed.

    Without a ``site_url`` there is no robots.txt; the caller removes an old one.
    """

    def done(rel: str, written: bool) -> None:
        if written:
            report.written.append(rel)
        keys[rel] = None
        keep.append(docs_dir / rel)
        report.data_files += 1

    for rel, data in site_feeds(index, config.site_name):
        done(rel, staged.write(docs_dir / rel, data))
    if config.site_url:
        robots = (f"User-agent: *\nAllow: /\n\n"
                  f"Sitemap: {config.site_url.rstrip('/')}/sitemap.xml\n")
        done(ROBOTS, staged.write(docs_dir / ROBOTS, robots))
    papers, tags = _api_records(index)
    for item in api.api_files(papers, tags, record_schema):
        done(item.path, staged.write_chunks(docs_dir / item.path, item.chunks))


def _api_records(index: Index) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Public paper records and tag summaries for :func:`generator.api.api_files`."""
    papers = [api.public_record(p.to_dict(), url_of(paper_path(p.id))) for p in index.papers]
    tags = [{"id": t.id, "name": t.name, "group": t.group, "description": t.description,
             "count": len(index.papers_by_tag[t.id]), "url": url_of(tag_path(t.id)),
             # Only on a narrower tag: a reader of the data finds the whole topic's papers
             # under the parent (they all carry it), as the site's pages say.
             **({"parent": t.parent} if index.parent_of(t) else {})}
            for t in sorted(index.tags.values(), key=lambda t: t.id)]
    return papers, tags


class GenerateFailed(Exception):
    """Generating failed for a reason outside the archive (a full disk); one line."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


def _contributing_page(text: str) -> str:
    """The guide with front matter pointing "edit" at the real file, not the copy."""
    if text.startswith("---\n"):
        return text
    return f'---\nedit_path: "{CONTRIBUTING}"\nrepo_links: true\n---\n\n{text}'


def _remove(path: Path, docs_dir: Path, report: GenerateReport) -> None:
    if path.is_file():
        path.unlink()
        report.removed.append(str(path.relative_to(docs_dir)))
