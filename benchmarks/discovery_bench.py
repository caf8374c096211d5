"""Discovery benchmark: related papers, feeds and the static API at 10,000 and 50,000 papers.

    python -m benchmarks.discovery_bench [--sizes 10000 50000] [--datasets DIR]
    python -m benchmarks.discovery_bench --archive .bench/site/50000/project/archive

Reads the real datasets (no import: the records are made in memory, as the archive would
hold them), then for each size prints CPU time and peak memory of: related papers with a
cold cache, with a warm cache, and after adding 20 new papers; the feeds; the static API
written to a scratch folder (and its size).  The figures go in
docs/maintainers/performance.md.  Each size runs in its own process, so peak memory is
that size's own.  Records read from the datasets have no tags (the tagger runs at
import); ``--archive`` measures an imported archive instead, tags included.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_DATASETS = next((base / "shared" / "datasets" for base in (REPO.parent, REPO.parent.parent)
                         if (base / "shared" / "datasets").is_dir()),
                        REPO.parent / "shared" / "datasets")
FILES = ("hf-daily-papers.jsonl.xz", "arxiv-2025.jsonl.xz")


def _papers(datasets: Path, count: int) -> list:
    from generator.model import Link, Paper

    out: list = []
    seen: set[str] = set()
    for name in FILES:
        with lzma.open(datasets / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                paper_id = "p" + (record.get("arxiv_id") or str(len(out))).replace(".", "-")
                if paper_id in seen:
                    continue
                seen.add(paper_id)
                links = (Link("paper", record["url"]),) if record.get("url") else ()
                out.append(Paper(id=paper_id, title=record["title"],
                                 abstract=record["abstract"], tags=(), links=links,
                                 added=record.get("date", "")[:10], source=name,
                                 authors=tuple(record.get("authors") or ())))
                if len(out) >= count:
                    return sorted(out, key=lambda p: p.id)
    return sorted(out, key=lambda p: p.id)


def _measure(label: str, func) -> object:
    start = time.process_time()
    result = func()
    print(f"  {label:<34} {time.process_time() - start:7.1f} s CPU, peak so far "
          f"{_peak_mb():5.0f} MB")
    return result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: int, datasets: Path, archive_dir: Path | None = None) -> None:
    """One size, in this process: prints one block of figures."""
    from generator import api, related
    from generator.feeds import site_feeds
    from generator.model import Archive, Vocabulary
    from generator.render import Index, paper_path, url_of

    if archive_dir is not None:
        from generator.archive import load_archive

        papers = list(load_archive(archive_dir)[0].papers)
    else:
        papers = _papers(datasets, size)
    print(f"{len(papers)} papers, peak memory after reading them {_peak_mb():.0f} MB")
    work = Path(tempfile.mkdtemp(prefix="discovery-bench-"))
    try:
        cache_path = work / "cache.json.gz"
        base = papers[:-20]  # the last 20 are "added" in the third run
        texts = related.texts_of(base)

        def cold() -> object:
            cache = related.TokenCache(cache_path)
            found = related.related_papers(texts, cache)
            cache.save()
            return found

        found = _measure("related papers, cold cache", cold)
        _measure("related papers, warm cache",
                 lambda: related.related_papers(texts, related.TokenCache(cache_path)))
        _measure("related papers, 20 papers added",
                 lambda: related.related_papers(related.texts_of(papers),
                                                related.TokenCache(cache_path)))
        empty = sum(1 for items in found.values() if not items)  # type: ignore[union-attr]
        print(f"  papers with no related paper       {empty} ({100 * empty / len(base):.1f}%)")
        archive = Archive(tuple(papers), Vocabulary((), ()))
        index = Index.of(archive, {}, "https://example.org/")
        _measure("feeds", lambda: site_feeds(index, "Bench"))
        records = [api.public_record(p.to_dict(), url_of(paper_path(p.id))) for p in papers]

        def write_api() -> None:
            from generator import files

            for item in api.api_files(records, [], {}):
                files.write_chunks_if_changed(work / "docs" / item.path, item.chunks)

        _measure("static API written", write_api)
        size_bytes = sum(p.stat().st_size for p in (work / "docs").rglob("*") if p.is_file())
        print(f"  static API size                    {size_bytes / 1e6:7.1f} MB")
        print(f"  peak memory (whole process)        {_peak_mb():7.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Build scratch archives of each size and print the discovery figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000],
                        help="archive sizes to measure (default: %(default)s)")
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS,
                        help="folder with the JSON Lines datasets (default: %(default)s)")
    parser.add_argument("--archive", type=Path,
                        help="measure this imported archive folder (with its tags and "
                             "authors) instead of records read from the datasets")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.archive:
        run_size(0, args.datasets, args.archive)
        return 0
    missing = [name for name in FILES if not (args.datasets / name).is_file()]
    if missing:
        print(f"error: {args.datasets}: no {', '.join(missing)} (see --datasets)",
              file=sys.stderr)
        return 2
    if args.one:
        run_size(args.one, args.datasets)
        return 0
    for size in args.sizes:
        print(f"== {size} papers requested")
        sys.stdout.flush()
        subprocess.run([sys.executable, "-m", "benchmarks.discovery_bench", "--one", str(size),
                        "--datasets", str(args.datasets)], cwd=REPO, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
