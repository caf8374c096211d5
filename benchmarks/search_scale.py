"""Search at scale: index build time, file sizes, and what one query downloads.

Usage (from the repository root)::

    python -m benchmarks.search_scale --root ARCHIVE [--query Q ...] [--shard-bytes N]
                                      [--docs-per-chunk N]

ARCHIVE is an archive folder (``papers/``, ``tags.yml``), e.g. a scratch one filled with
``python -m generator import`` from the real-record datasets.  The script

* loads it and times :func:`generator.search.build_search` alone (no mkdocs build);
* prints the number of index shards and document chunks with their sizes, raw and gzipped
  (as a server would send them);
* replays each query through the real client (``search-core.js`` + lunr.js under node, a
  fresh engine per query, as a first search on a new page) and adds up the files it
  fetched: the header box (documents for the first 8 results) and the search page (its
  first page of 20 results and the facet file).  lunr.js, the manifest and our scripts are counted
  too, so the figure is the whole first search.  "ms" is node's time from the query to
  the shown results' documents, reading the files from disk (no network).

Figures, not assertions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.archive import load_archive
from generator.search import (
    MANIFEST,
    RESULTS_IN_BOX,
    RESULTS_PER_PAGE,
    build_search,
    file_name,
    minified_lunr_js,
)

REPO = Path(__file__).resolve().parent.parent
DRIVER = REPO / "tests" / "js" / "search_driver.js"
SCRIPTS = REPO / "overrides" / "assets"
CORE_JS = SCRIPTS / "javascripts" / "search-core.js"
#: Our files every search fetches besides the index (the page's scripts and stylesheet).
CLIENT = (CORE_JS, SCRIPTS / "javascripts" / "search.js", SCRIPTS / "stylesheets" / "search.css")
QUERIES = ("diffusion", "time series forecasting", "transfomer~1", "forecast*",
           "large language model reasoning", "title:diffusion -video")
BOX, PAGE = RESULTS_IN_BOX, RESULTS_PER_PAGE


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def _sizes(texts: list[bytes]) -> str:
    if not texts:
        return "none"
    raw = [len(t) for t in texts]
    packed = [_gz(t) for t in texts]
    return (f"{len(texts)} files, total {sum(raw) / 1e6:.2f} MB raw / "
            f"{sum(packed) / 1e6:.2f} MB gz; median {statistics.median(raw) / 1e3:.1f} KB / "
            f"{statistics.median(packed) / 1e3:.1f} KB gz; largest {max(raw) / 1e3:.1f} KB / "
            f"{max(packed) / 1e3:.1f} KB gz")


def replay(files: dict[str, str], queries: list[dict]) -> list[dict]:
    """Run the queries through the client under node; per query, the files it fetched."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / "lunr.js").write_bytes(minified_lunr_js())
        spec = folder / "queries.json"
        spec.write_text(json.dumps(queries), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(["node", str(DRIVER), str(folder), str(CORE_JS), str(spec)],
                              capture_output=True, text=True, check=True)
        print(f"replay of {len(queries)} searches in node: "
              f"{time.perf_counter() - started:.1f} s")
        return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Load an archive, build its index, print sizes and what each query fetches."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="archive folder")
    parser.add_argument("--query", action="append", help="query to replay (repeatable)")
    parser.add_argument("--shard-bytes", type=int, help="default: the build's choice")
    parser.add_argument("--docs-per-chunk", type=int, help="default: the build's choice")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    archive, problems = load_archive(args.root)
    print(f"loaded {len(archive.papers)} papers ({len(problems)} problems) in "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    bundle = build_search(archive, shard_bytes=args.shard_bytes,
                          docs_per_chunk=args.docs_per_chunk)
    print(f"build_search: {time.perf_counter() - started:.1f} s "
          f"({platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')})")

    files = {name: text.encode("utf-8") for name, text in bundle.files.items()}
    manifest = json.loads(files[MANIFEST])
    lunr_js = minified_lunr_js()
    fixed = {MANIFEST: files[MANIFEST], "lunr.js": lunr_js,
             **{path.name: path.read_bytes() for path in CLIENT}}
    version = manifest["version"]
    print("shards: " + _sizes([files[file_name("i", version, n)]
                               for n in range(len(manifest["shards"]))]))
    print(f"doc chunks ({manifest['docs']['size']} papers each): "
          + _sizes([files[file_name("d", version, n)]
                    for n in range(manifest["docs"]["chunks"])]))
    print("facets: " + _sizes([files[file_name("f", version, 0)]]))
    print("manifest: " + _sizes([files[MANIFEST]]))
    print("lunr.js + our scripts and stylesheet: "
          + _sizes([lunr_js, *(path.read_bytes() for path in CLIENT)]))

    queries = args.query or list(QUERIES)
    cases = [{"query": q, "prefix": False, "show": BOX} for q in queries]
    cases += [{"query": q, "prefix": False, "show": PAGE, "code": False, "tag": "",
               "facets": True} for q in queries]
    answers = replay(bundle.files, cases)
    print()
    print("| query | results | box: files | box KB raw / gz | box ms | page: files "
          "| page KB raw / gz | page ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, query in enumerate(queries):
        row = [f"`{query}`", str(answers[n]["count"])]
        for answer in (answers[n], answers[n + len(queries)]):
            fetched = [files[name] for name in answer["files"]] + list(fixed.values())
            row.append(str(len(fetched)))
            row.append(f"{sum(map(len, fetched)) / 1e3:.0f} / "
                       f"{sum(map(_gz, fetched)) / 1e3:.0f}")
            row.append(f"{answer['ms']:.0f}")
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
