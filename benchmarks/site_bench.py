"""Site benchmark: the whole pipeline at 262, 10,000 and 50,000 real papers, one table.

    python -m benchmarks.site_bench [--sizes 262,10000,50000] [--runs 3] [--runs-large 1]

For each size it makes (once, then reuses) a scratch project under ``.bench/site/<n>/``
(git-ignored): the repository's site inputs and an archive of the seed plus the first
records of the shared datasets (Hugging Face listings, then arXiv), imported with the real
vocabulary.  A reused project whose vocabulary or schemas are no longer the
repository's is imported again (:func:`stale_archive_inputs`).  Then it runs each stage
as its own process and reports, median of ``--runs`` runs (``--runs-large`` for 50,000
and more, where three runs do not fit in an afternoon), wall time and CPU time (the
process and its children, so the search index built in a second process counts) and the
peak memory of the largest process and of the whole process tree (sampled PSS):

* import (only when the archive is made), validate;
* generate cold (empty cache, no docs) and generate with nothing changed;
* the search index alone (:func:`generator.search.build_search`, in-process timing);
* related papers and the static API export alone (:data:`STAGE_TIMERS`): CPU time and
  peak memory, also over what the loaded archive takes;
* bare ``mkdocs build`` of the same generated pages with the hooks removed from the config
  (what MkDocs and Material cost by themselves);
* full ``python -m generator build`` from a cold cache (validate, generate, MkDocs with our
  hooks), and the ratio full/bare;
* the built site: size, file count, the 5 largest HTML pages, and the share of a paper
  page's HTML that is the paper (the ``<article class="pa-paper">``), median over pages.

``--compare-minifiers`` also builds the smallest size with each of the page post-processors
of :mod:`generator.htmlpost` and prints their sizes and times.  ``--sizes`` takes
``100000`` too: records beyond the datasets are copies with new ids, titles and spliced
abstracts (:func:`_copy`).  ``--steps`` runs only some stages and keeps their figures
beside the project, so that a large run can be done one stage (one heavy-job lock) at a
time, e.g. ``--sizes 100000 --steps prepare``, then ``--steps generate-cold,generate-noop``,
``--steps bare``, ``--steps full-cold,site``.

Figures, not assertions: the goals live in docs/maintainers/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import lzma
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.layout import GENERATED_AREAS
from generator.sitesize import PAGES_LIMIT

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / ".bench" / "site"
#: The shared datasets sit beside the clone (../shared), or beside a worktree's parent.
DATASETS = next((base / "shared" / "datasets" for base in (REPO.parent, REPO.parent.parent)
                 if (base / "shared" / "datasets").is_dir()),
                REPO.parent / "shared" / "datasets")
DUMPS = ("hf-daily-papers.jsonl.xz", "arxiv-2025.jsonl.xz")
SITE_INPUTS = ("mkdocs.yml", "overrides", "docs", "generator", "CONTRIBUTING.md")
#: What generate writes at the top of docs/, from its one home: removed for a cold run,
#: never copied (a shorter list here once left the months, feeds and API in place).
GENERATED = GENERATED_AREAS
SEED_PAPERS = 262


@dataclass
class Run:
    """One measured process: wall and CPU seconds, peak memory, and what it printed.

    ``rss_mb`` is the largest single process's peak; ``tree_mb`` the peak of the whole
    process tree's proportional set size (PSS: a page shared by a forked child counts
    half in each), sampled; ``tree_rss_mb`` the peak of the tree's summed RSS, which
    counts shared pages once per process (an upper bound).
    """

    wall: float
    cpu: float
    rss_mb: float
    out: str = ""
    tree_mb: float = 0.0
    tree_rss_mb: float = 0.0


@dataclass
class Row:
    """One archive size's column of the table: every stage's runs and the built site's figures."""

    size: int
    papers: int = 0
    stages: dict[str, list[Run]] = field(default_factory=dict)
    site: dict = field(default_factory=dict)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` and measure it: wall, CPU of it and its children, peak RSS.

    The memory of the whole process tree (the generator forks workers, ``build`` runs
    MkDocs as a child) is sampled meanwhile by :class:`TreeMemory`.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeMemory(process.pid)
    sampler.start()
    out = process.stdout.read() if process.stdout else ""
    sampler.stop()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{out[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out,
               sampler.peak_pss / 1024, sampler.peak_rss / 1024)


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants from ``/proc`` (Linux).

    ``ru_maxrss`` of :func:`os.wait4` is the largest single process's peak; the goal
    (peak memory <= 2 GB) is about the whole tree, parallel workers included.  Sampled
    every 0.1 s, so a peak shorter than that can be missed; the figures are in KiB.
    """

    INTERVAL = 0.1

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_pss = 0
        self.peak_rss = 0
        self._done = threading.Event()

    def run(self) -> None:
        """Sample until :meth:`stop`, keeping the peaks."""
        while not self._done.wait(self.INTERVAL):
            pss = rss = 0
            for pid in self._tree():
                pss += _proc_kib(f"/proc/{pid}/smaps_rollup", "Pss:")
                rss += _proc_kib(f"/proc/{pid}/status", "VmRSS:")
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)

    def stop(self) -> None:
        """End the sampling (the process has ended or closed its output)."""
        self._done.set()
        self.join()

    def _tree(self) -> list[int]:
        """The root and every process whose parent chain leads to it."""
        parent: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", encoding="ascii") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except (OSError, IndexError, UnicodeDecodeError):
                    continue
                parent[int(entry.name)] = int(fields[1])
        tree, changed = {self.pid}, True
        while changed:
            more = {pid for pid, ppid in parent.items() if ppid in tree} - tree
            changed = bool(more)
            tree |= more
        return sorted(tree)


def _proc_kib(path: str, key: str) -> int:
    """The ``key`` line of a /proc status-like file, in KiB (0 if the process is gone)."""
    try:
        with open(path, encoding="ascii") as source:
            for line in source:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# ------------------------------------------------------------------ the scratch project


def _records(count: int, target: Path, known: set[str] = frozenset()) -> int:
    """Write the first ``count`` dataset records (then copies with new ids) to ``target``.

    Beyond the datasets (about 47,500 papers: the two files share some, and the seed some
    of them), each further record is a copy of a dataset record (:func:`_copy`).  A copy
    round skips the records whose paper it has already copied (a paper listed in both
    files), and the rounds make up for the lines of the first pass that the import will
    merge with a paper before them (:func:`_keys`; ``known``: the keys of the archive's
    papers), so that ``count`` lines give about ``count`` new papers.  Returns the lines
    written.
    """
    written = repeats = 0
    seen = set(known)
    previous: dict = {}
    with target.open("w", encoding="utf-8") as out:
        for name in DUMPS:
            with lzma.open(DATASETS / name, "rt", encoding="utf-8") as source:
                for line in source:
                    if written >= count:
                        return written
                    out.write(line)
                    written += 1
                    previous = json.loads(line)
                    keys = _keys(previous)
                    repeats += not keys.isdisjoint(seen)
                    seen |= keys
        count += repeats
        copy = 0
        while written < count:
            copy += 1
            copied: set[str] = set()
            in_round = 0
            for name in DUMPS:
                with lzma.open(DATASETS / name, "rt", encoding="utf-8") as source:
                    for line in source:
                        if written >= count:
                            return written
                        record = json.loads(line)
                        keys = _keys(record)
                        if not keys.isdisjoint(copied):
                            continue
                        copied |= keys
                        out.write(json.dumps(_copy(record, previous, copy, in_round)) + "\n")
                        previous = record
                        written += 1
                        in_round += 1
    return written


def _keys(record: dict) -> set[str]:
    """The keys under which the import takes two dataset records for one paper."""
    from generator.identity import dedupe_key

    arxiv = record.get("arxiv_id") or ""
    keys = {dedupe_key(record.get("title", ""), record.get("abstract", ""), arxiv)}
    return keys | {f"arxiv:{arxiv}"} if arxiv else keys


def archive_keys(archive: Path) -> set[str]:
    """:func:`_keys` of the papers of ``archive`` (the seed's, before the import)."""
    from generator.archive import load_archive
    from generator.identity import paper_arxiv_id, paper_key

    papers = load_archive(archive)[0].papers
    arxiv = {p.arxiv_id or paper_arxiv_id(p) for p in papers}
    return {paper_key(p) for p in papers} | {f"arxiv:{a}" for a in arxiv if a}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _copy(record: dict, previous: dict, copy: int, number: int) -> dict:
    """Copy ``copy`` of a dataset record: a new arXiv id, URL and title, a spliced abstract.

    ``number`` is the copy's place in its round (under 100,000: the datasets are smaller).

    The abstract is the first half of the record's sentences followed by the second half of
    ``previous``'s (the record written before the original), so that a copy is no exact text
    duplicate of its original: related papers and search see a copy as close to two
    originals, not identical to one.  Abstracts of one sentence are kept as they are.
    """
    copied = dict(record)
    copied["title"] = f"{record['title']} (copy {copy})"
    copied["arxiv_id"] = f"{9000 + copy}.{number:05d}"  # a valid id: five digits
    copied["url"] = f"https://arxiv.org/abs/{copied['arxiv_id']}"
    own = _SENTENCE_END.split(record.get("abstract", ""))
    other = _SENTENCE_END.split(previous.get("abstract", ""))
    if len(own) > 1 and len(other) > 1:
        copied["abstract"] = " ".join(own[: len(own) // 2] + other[len(other) // 2:])
    return copied


def project(size: int) -> tuple[Path, Run | None]:
    """The scratch project for ``size`` papers: made once (timing the import), then reused."""
    work = BENCH / str(size)
    root = work / "project"
    ready = work / "ready"
    if ready.exists():
        stale = stale_archive_inputs(root)
        if not stale:
            _refresh_inputs(root)
            return root, None
        print(f"{size} papers: the scratch archive was imported with another "
              f"{', '.join(stale)}: importing it again", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    root.mkdir(parents=True)
    _refresh_inputs(root)
    shutil.copytree(REPO / "archive", root / "archive", ignore=shutil.ignore_patterns("dumps"))
    imported = None
    if size > SEED_PAPERS:
        dump = work / "records.jsonl"
        _records(size - SEED_PAPERS, dump, archive_keys(root / "archive"))
        imported = run([sys.executable, "-m", "generator", "import", str(dump), "--root",
                        "archive", "--no-copy", "--date", "2026-01-01"], root)
    ready.write_text("archive imported\n")
    return root, imported


#: What an imported archive was made with besides the records: the vocabulary tags each
#: record at import, and the schemas decide what a valid record is.  Copying the code
#: (``_refresh_inputs``) does not bring these up to date; a change means a new import.
ARCHIVE_INPUTS = ("tags.yml", "schema")


def stale_archive_inputs(root: Path) -> list[str]:
    """The archive inputs of the scratch project at ``root`` that differ from the repository's.

    A reused project once kept the ``tags.yml`` and schemas of the day it was imported, and
    after the vocabulary changed every stage failed on tags the repository no longer had.
    """
    stale = []
    for name in ARCHIVE_INPUTS:
        if _tree_bytes(REPO / "archive" / name) != _tree_bytes(root / "archive" / name):
            stale.append(f"archive/{name}")
    return stale


def _tree_bytes(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or ``path`` itself) by relative name, with its bytes."""
    if path.is_file():
        return {"": path.read_bytes()}
    if not path.is_dir():
        return {}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _refresh_inputs(root: Path) -> None:
    """The repository's current site inputs (templates, code), never its generated pages."""
    for name in SITE_INPUTS:
        source, target = REPO / name, root / name
        if target.is_dir():
            keep = [target / g for g in GENERATED] if name == "docs" else []
            for child in target.iterdir():
                if child in keep:
                    continue
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", *GENERATED))
        elif source.exists():
            shutil.copy(source, target)
    (root / "mkdocs-bare.yml").write_text(bare_config(), encoding="utf-8")


def bare_config() -> str:
    """mkdocs.yml without the hooks: what MkDocs and Material cost by themselves.

    The templates read the site's layout from ``config.extra.layout``, which the hooks
    fill in (``on_config``); without it the bare build failed on the first page, so the
    values are written into the bare config instead (MkDocs' ``INHERIT`` takes everything
    else from mkdocs.yml; lists such as ``hooks`` are replaced, not merged).
    """
    from generator.layout import template_values

    return (f"INHERIT: mkdocs.yml\nhooks: []\n"
            f"extra:\n  layout: {json.dumps(template_values(), sort_keys=True)}\n")


def _clean_docs(root: Path) -> None:
    for name in GENERATED:
        path = root / "docs" / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


# ------------------------------------------------------------------ the stages


def _record(row: Row, stage: str, result: Run) -> None:
    """Keep one stage's figures, and print them at once.

    A 50,000-paper run takes an hour, and a stage that fails late must not take the
    figures of the others with it.
    """
    row.stages.setdefault(stage, []).append(result)
    print(f"  {row.size}: {stage}: {result.wall:.1f} s wall, {result.cpu:.1f} s CPU, "
          f"{result.rss_mb:,.0f} MB largest process, {result.tree_mb:,.0f} MB tree (PSS), "
          f"{result.tree_rss_mb:,.0f} MB tree (RSS sum)", file=sys.stderr, flush=True)


#: Every stage :func:`measure` runs, in order; ``--steps`` names them by their short names.
STAGES = {"validate": "validate", "generate-cold": "generate cold",
          "generate-noop": "generate no-op", "search": "search index",
          "related": "related papers", "api": "API export", "bare": "bare mkdocs build",
          "full-cold": "full build (cold cache)", "full-warm": "full build (warm cache)"}
#: The stages of ``--builds-only``: the rows behind full/bare.
BUILD_STAGES = ("generate cold", "generate no-op", "bare mkdocs build",
                "full build (cold cache)", "full build (warm cache)")


def stage_env(root: Path) -> dict[str, str]:
    """The environment of every measured process: the scratch project's own cache."""
    return {"PAPER_ARCHIVE_CACHE": str(root.parent / "cache"), "NO_MKDOCS_2_WARNING": "1"}


def run_stage(stage: str, root: Path) -> Run:
    """Run one stage in the project at ``root`` and measure it.

    The cold stages start without cache (``generate cold`` also without generated pages),
    the no-op and warm ones must follow a cold one: what a first build and a rebuild cost.
    """
    env, py = stage_env(root), sys.executable
    cache = Path(env["PAPER_ARCHIVE_CACHE"])
    if stage == "validate":
        return run([py, "-m", "generator", "validate", "--root", "archive"], root, env)
    if stage in ("generate cold", "full build (cold cache)"):
        shutil.rmtree(cache, ignore_errors=True)
    if stage == "generate cold":
        _clean_docs(root)
    if stage in ("generate cold", "generate no-op"):
        return run([py, "-m", "generator", "generate"], root, env)
    if stage == "search index":
        search = run([py, "-c", _SEARCH_TIMER], root, env)
        seconds = float(search.out.split()[-1])
        return Run(seconds, seconds, search.rss_mb)
    if stage in STAGE_TIMERS:
        return stage_run(stage, root, env)
    if stage == "bare mkdocs build":
        return run([py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs-bare.yml",
                    "-d", str(root.parent / "site-bare")], root, env)
    return run([py, "-m", "generator", "build"], root, env)


def measure(size: int, runs: int, builds_only: bool = False,
            stages: list[str] | None = None, figures: bool = True) -> Row:
    """The ``stages`` (all, or those of ``builds_only``) at ``size`` papers, ``runs`` times.

    With ``figures``, also the built site's figures (:func:`site_figures`).
    """
    root, imported = project(size)
    row = Row(size)
    if imported:
        row.stages["import"] = [imported]
    if stages is None:
        stages = list(BUILD_STAGES if builds_only else STAGES.values())
    for _ in range(runs):
        for stage in stages:
            _record(row, stage, run_stage(stage, root))
    row.papers = len(list((root / "archive" / "papers").glob("*.yml")))
    if figures and (root / "site").is_dir():
        row.site = site_figures(root / "site")
    return row


def saved_row(row: Row, root: Path) -> Row:
    """``row`` merged into the figures kept beside the project (``steps.json``), and saved.

    A 100,000-paper run is done in steps (``--steps``), one process each, so that the
    machine's other heavy jobs can run between them; a stage measured again replaces the
    figures it had.
    """
    path = root.parent / "steps.json"
    saved = json.loads(path.read_text("utf-8")) if path.exists() else {}
    stages = {name: [_run_of(x) for x in runs] for name, runs in saved.get("stages", {}).items()}
    # The prepare script of the first 100,000-paper run kept the import at the top level.
    if "import" in saved:
        stages.setdefault("import", [_run_of(x) for x in saved["import"]])
    stages.update(row.stages)
    merged = Row(row.size, row.papers, stages, row.site or saved.get("site", {}))
    path.write_text(json.dumps({"stages": {k: [_asdict(x) for x in v] for k, v in stages.items()},
                                "site": merged.site}, indent=1), encoding="utf-8")
    return merged


def _asdict(result: Run) -> dict:
    fields = dict(vars(result))
    fields["out"] = fields["out"][-2000:]
    return fields


def _run_of(fields: dict) -> Run:
    return (StageRun if "base_mb" in fields else Run)(**fields)


_SEARCH_TIMER = """
import time
from pathlib import Path
from generator.site import load_checked
from generator.search import build_search
archive = load_checked(Path("archive"))
started = time.process_time()
build_search(archive)
print(time.process_time() - started)
"""


#: Stages timed alone, in a process of their own that first loads the archive (issue 15
#: asks for the time and memory of related papers and of the exports).  Each prints its
#: CPU seconds, the process's peak RSS once the archive is loaded, and its peak RSS at the
#: end: the difference is what the stage itself needs on top of the archive.
STAGE_TIMERS = {
    "related papers": """
from generator import related
related.related_papers(related.texts_of(archive.papers), related.TokenCache(None))
""",
    "API export": """
import shutil
from generator import api, files
from generator.render import Index
from generator.schema import load_schema
from generator.site import _api_records
out = Path("..") / "api-export"
shutil.rmtree(out, ignore_errors=True)
papers, tags = _api_records(Index.of(archive))
for item in api.api_files(papers, tags, load_schema(Path("archive"))):
    files.write_chunks_if_changed(out / item.path, item.chunks)
""",
}

_STAGE_FRAME = """
import resource, time
from pathlib import Path
from generator.site import load_checked
archive = load_checked(Path("archive"))
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
{stage}
print(time.process_time() - started, loaded / 1024,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


@dataclass
class StageRun(Run):
    """A stage timed alone: ``rss_mb`` is its process's peak, ``base_mb`` that after loading."""

    base_mb: float = 0.0


def stage_run(stage: str, root: Path, env: dict[str, str]) -> StageRun:
    """Time one of :data:`STAGE_TIMERS` in its own process (CPU of the stage alone)."""
    done = run([sys.executable, "-c", _STAGE_FRAME.format(stage=STAGE_TIMERS[stage])], root, env)
    seconds, base, peak = (float(x) for x in done.out.split()[-3:])
    return StageRun(seconds, seconds, peak, base_mb=base)


def site_figures(site: Path) -> dict:
    """Size, file count, largest pages and the paper's share of a paper page's HTML.

    The share says how much of what a reader downloads is the paper rather than theme;
    the bytes and files of each top-level folder say where the size comes from.
    """
    files = [p for p in site.rglob("*") if p.is_file()]
    sizes = {p: p.stat().st_size for p in files}
    pages = sorted((p for p in files if p.suffix == ".html"), key=lambda p: -sizes[p])
    shares = []
    for page in sorted((site / "papers").glob("*/index.html"))[:400]:
        text = page.read_text("utf-8")
        match = re.search(r'<article class="pa-paper">.*?</article>', text, re.DOTALL)
        if match:
            shares.append(len(match.group(0).encode()) / len(text.encode()))
    paper_pages = [p.stat().st_size for p in (site / "papers").glob("*/index.html")]
    folders: dict[str, list[int]] = {}
    for path, size in sizes.items():
        parts = path.relative_to(site).parts
        entry = folders.setdefault(parts[0] + "/" if len(parts) > 1 else "(top)", [0, 0])
        entry[0] += size
        entry[1] += 1
    return {
        "bytes": sum(sizes.values()),
        "files": len(files),
        "largest": [(str(p.relative_to(site)), sizes[p]) for p in pages[:5]],
        "over_300k": sum(1 for p in pages if sizes[p] > 300 * 1024),
        "over_300k_pages": [(str(p.relative_to(site)), sizes[p]) for p in pages
                            if sizes[p] > 300 * 1024][:20],
        "paper_share": statistics.median(shares) if shares else 0.0,
        "paper_page_median": statistics.median(paper_pages) if paper_pages else 0,
        "folders": dict(sorted(folders.items(), key=lambda item: -item[1][0])),
    }


def compare_minifiers(size: int) -> None:
    """Print HTML bytes and build time with each page post-processor of generator.htmlpost.

    The figures behind the choice of post-processor (docs/maintainers/performance.md).
    """
    root, _ = project(size)
    env = stage_env(root)
    run([sys.executable, "-m", "generator", "generate"], root, env)
    print(f"\npage post-processing, {size} papers (mkdocs build; HTML bytes of all pages)")
    for name in ("none", "strip-indentation", "minify-html"):
        out = root.parent / f"site-{name}"
        try:
            result = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], root,
                         {**env, "PA_HTML_POST": name})
        except SystemExit as exc:
            print(f"  {name}: not run ({str(exc).splitlines()[-1]})")
            continue
        html = sum(p.stat().st_size for p in out.rglob("*.html"))
        print(f"  {name:18} {html / 1e6:7.2f} MB  {result.cpu:6.1f} s CPU")


# ------------------------------------------------------------------ the table


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(rows: list[Row], runs: dict[int, int]) -> str:
    """The Markdown table of docs/maintainers/performance.md: a stage a row, a size a column."""
    stages = ["import", "validate", "generate cold", "generate no-op", "search index",
              *STAGE_TIMERS, "bare mkdocs build", "full build (cold cache)",
              "full build (warm cache)"]
    head = "| stage | " + " | ".join(f"{r.papers:,} papers ({runs[r.size]} run"
                                     f"{'s' if runs[r.size] > 1 else ''})" for r in rows) + " |"
    lines = [head, "|" + " --- |" * (len(rows) + 1)]
    for stage in stages:
        cells = []
        for r in rows:
            wall, cpu = _stage_median(r, stage, "wall"), _stage_median(r, stage, "cpu")
            cells.append("–" if wall is None or cpu is None
                         else f"{wall:.1f} s wall, {cpu:.1f} s CPU")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")

    def ratio(r: Row, kind: str, attr: str) -> str:
        value = _ratio(r, kind, attr)
        return "–" if value is None else f"{value:.2f}x"

    for kind in ("cold", "warm"):
        lines.append(f"| full/bare, {kind} cache | " + " | ".join(
            f"{ratio(r, kind, 'wall')} wall, {ratio(r, kind, 'cpu')} CPU" for r in rows) + " |")
    for stage in STAGE_TIMERS:
        lines.append(f"| {stage}: peak memory (over the loaded archive) | " + " | ".join(
            f"{max(x.rss_mb for x in r.stages[stage]):,.0f} MB (+"
            f"{max(x.rss_mb - getattr(x, 'base_mb', 0) for x in r.stages[stage]):,.0f} MB)"
            if r.stages.get(stage) else "–" for r in rows) + " |")
    lines.append("| peak memory (largest process) | " + " | ".join(
        f"{max((x.rss_mb for runs_ in r.stages.values() for x in runs_), default=0):,.0f} MB"
        for r in rows) + " |")
    for stage in ("generate cold", "full build (cold cache)", "full build (warm cache)",
                  "bare mkdocs build"):
        lines.append(f"| peak memory of the process tree, {stage}: PSS (RSS sum) | " + " | ".join(
            f"{max(x.tree_mb for x in r.stages[stage]):,.0f} MB "
            f"({max(x.tree_rss_mb for x in r.stages[stage]):,.0f} MB)"
            if r.stages.get(stage) else "–" for r in rows) + " |")
    if not all(r.site for r in rows):
        return "\n".join(lines)
    lines.append("| site size, files | " + " | ".join(
        f"{r.site['bytes'] / 1e6:,.0f} MB, {r.site['files']:,}" for r in rows) + " |")
    lines.append("| HTML pages over 300 KB | " + " | ".join(
        str(r.site["over_300k"]) for r in rows) + " |")
    lines.append("| paper page (median), share that is the paper | " + " | ".join(
        f"{r.site['paper_page_median'] / 1024:.1f} KB, {100 * r.site['paper_share']:.0f}%"
        for r in rows) + " |")
    for n in range(5):
        lines.append(f"| largest page {n + 1} | " + " | ".join(
            (f"{r.site['largest'][n][0]} {r.site['largest'][n][1] / 1024:.0f} KB"
             if len(r.site["largest"]) > n else "–") for r in rows) + " |")
    for r in rows:
        lines.append(f"\n{r.papers:,} papers, by folder of site/ (bytes per paper):\n")
        lines.append("| folder | size | files | bytes per paper |\n| --- | --- | --- | --- |")
        for name, (size, count) in r.site.get("folders", {}).items():
            lines.append(f"| `{name}` | {size / 1e6:,.1f} MB | {count:,} | "
                         f"{size / max(r.papers, 1):,.0f} |")
        for name, size in r.site.get("over_300k_pages", []):
            lines.append(f"\nover 300 KB: {name} {size / 1024:,.0f} KB")
    return "\n".join(lines)


def _stage_median(row: Row, stage: str, attr: str) -> float | None:
    done = row.stages.get(stage)
    return _median([getattr(x, attr) for x in done]) if done else None


def _ratio(row: Row, kind: str, attr: str) -> float | None:
    full = _stage_median(row, f"full build ({kind} cache)", attr)
    bare = _stage_median(row, "bare mkdocs build", attr)
    return full / bare if full is not None and bare else None


def _tree_peak(row: Row) -> float | None:
    peaks = [x.tree_mb for runs_ in row.stages.values() for x in runs_ if x.tree_mb]
    return max(peaks) if peaks else None


def _largest_folders(row: Row) -> str:
    folders = list(row.site.get("folders", {}).items())[:3]
    return "largest: " + ", ".join(f"`{name}` {size / 1e6:,.0f} MB"
                                   for name, (size, _) in folders)


def _generate_against_bare(row: Row) -> str:
    cold = _stage_median(row, "generate cold", "cpu")
    bare = _stage_median(row, "bare mkdocs build", "cpu")
    if cold is None or bare is None:
        return ""
    return f"generate from nothing: {cold:.0f} s CPU; the bare build: {bare:.0f} s"


def _pages_over(row: Row) -> str:
    return ", ".join(name for name, _ in row.site.get("over_300k_pages", [])[:3])


def _megabytes(value: float) -> str:
    return f"{value / 1e6:,.0f} MB"


def _times(value: float) -> str:
    return f"{value:.2f}x"


@dataclass(frozen=True)
class Target:
    """One of issue 16's targets, for the archive sizes it is set for (``low`` <= size < ``high``).

    ``figure`` reads a row's figure (None when the run did not measure it), ``shown``
    prints one, and ``why`` says what the row's own figures show about a miss (the
    analysis is in docs/maintainers/performance.md).
    """

    goal: str
    low: int
    high: int
    figure: Callable[[Row], float | None]
    limit: float
    shown: Callable[[float], str]
    why: Callable[[Row], str] = lambda row: ""


#: Issue 16's targets.  The site limits are GitHub Pages' own
#: (:data:`generator.sitesize.PAGES_LIMIT`): 50,000 papers should fit twice over, 100,000
#: once.  Search latency is measured by benchmarks/search_bench.py, not here.
TARGETS = (
    Target("site ≤ 500 MB", 50000, 100000, lambda r: r.site.get("bytes"),
           PAGES_LIMIT / 2, _megabytes, _largest_folders),
    Target("no HTML page over 300 KB", 50000, 100000, lambda r: r.site.get("over_300k"),
           0, lambda v: f"{v:.0f} pages", _pages_over),
    Target("full build ≤ 1.25x the bare build, cold cache (CPU)", 50000, 100000,
           lambda r: _ratio(r, "cold", "cpu"), 1.25, _times, _generate_against_bare),
    Target("the same in wall time", 50000, 100000, lambda r: _ratio(r, "cold", "wall"),
           1.25, _times, _generate_against_bare),
    Target("the same, warm cache (CPU)", 50000, 100000, lambda r: _ratio(r, "warm", "cpu"),
           1.25, _times),
    Target("generate with nothing changed ≤ 5 s (wall)", 50000, 100000,
           lambda r: _stage_median(r, "generate no-op", "wall"), 5.0,
           lambda v: f"{v:.1f} s"),
    Target("peak memory ≤ 2 GB (process tree, PSS)", 50000, 100000, _tree_peak, 2000,
           lambda v: f"{v:,.0f} MB"),
    Target("no HTML page over 300 KB", 100000, 10**9, lambda r: r.site.get("over_300k"),
           0, lambda v: f"{v:.0f} pages", _pages_over),
    Target("the build under 4 GB of memory (process tree, PSS)", 100000, 10**9, _tree_peak,
           4000, lambda v: f"{v:,.0f} MB"),
    Target("site under 1 GB", 100000, 10**9, lambda r: r.site.get("bytes"), PAGES_LIMIT,
           _megabytes, _largest_folders),
)


def targets_table(rows: list[Row]) -> str:
    """Each target against the rows of the sizes it is set for: met, or missed by how much.

    Issue 16 is done when the benchmark shows its targets met "or says by how much each is
    missed and why": this is that table.  A row of another size is not judged against a
    target (a 10,000-paper site says nothing about 50,000), and a figure the run did not
    measure is shown as such rather than as a verdict.
    """
    lines = ["| target | papers | measured | verdict | the run's own figures |",
             "| --- | --- | --- | --- | --- |"]
    for target in TARGETS:
        for row in (r for r in rows if target.low <= r.size < target.high):
            value = target.figure(row)
            if value is None:
                lines.append(f"| {target.goal} | {row.papers:,} | not measured | – | |")
                continue
            if value <= target.limit:
                verdict, why = "met", ""
            else:
                verdict = (f"**missed by {100 * (value - target.limit) / target.limit:.0f}%**"
                           if target.limit else "**missed**")
                why = target.why(row)
            lines.append(f"| {target.goal} | {row.papers:,} | {target.shown(value)} | "
                         f"{verdict} | {why} |")
    if len(lines) == 2:
        return "(no size of this run has targets: they are set at 50,000 and 100,000 papers)"
    return "\n".join(lines)


def main() -> int:
    """Measure each size asked for and print the table (and the minifiers if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="262,10000,50000",
                        help="comma-separated archive sizes (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per size below 50,000 papers; the median is shown (default 3)")
    parser.add_argument("--runs-large", type=int, default=1,
                        help="runs at 50,000 papers and more (default 1)")
    parser.add_argument("--builds-only", action="store_true",
                        help="only generate and the builds (no validate, search, related "
                             "or API timed alone): the rows behind full/bare")
    parser.add_argument("--compare-minifiers", action="store_true",
                        help="also compare our HTML post-processing with minify-html")
    parser.add_argument("--steps", metavar="STEP,...",
                        help="only these stages, in this order (" + ", ".join(
                            ["prepare", *STAGES, "site"]) + "); their figures are kept "
                        "in .bench/site/<n>/steps.json and the table shows every stage kept "
                        "there, so a large run can be done one step (one lock) at a time")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = {size: args.runs if size < 50000 else args.runs_large for size in sizes}
    steps = args.steps.split(",") if args.steps else None
    unknown = set(steps or ()) - {"prepare", "site", *STAGES}
    if unknown:
        parser.error(f"unknown step(s): {', '.join(sorted(unknown))}")
    rows = []
    for size in sizes:
        print(f"{size} papers ...", file=sys.stderr, flush=True)
        if steps is None:
            rows.append(measure(size, runs[size], args.builds_only))
            continue
        row = measure(size, runs[size], stages=[STAGES[s] for s in steps if s in STAGES],
                      figures="site" in steps)
        rows.append(saved_row(row, BENCH / str(size) / "project"))
    cpus = os.cpu_count()
    print(f"site_bench {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{cpus} CPUs, load average {os.getloadavg()[0]:.1f}, Python "
          f"{platform.python_version()}\n")
    print(table(rows, runs))
    print("\nIssue 16's targets (search latency: benchmarks/search_bench.py):\n")
    print(targets_table(rows))
    if args.compare_minifiers:
        compare_minifiers(sizes[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
