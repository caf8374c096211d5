"""Benchmark: import and validate real paper records at archive scale.

Prints a table of wall-clock figures; it asserts nothing (speed goals live here, not in
tests).  Uses the JSON Lines datasets in ``--datasets`` (default ``$PAPER_DATASETS``, see
their README)::

    python -m benchmarks.import_bench --datasets ../shared/datasets     # 1,000 / 10,000 / all
    python -m benchmarks.import_bench --datasets DIR 5000 20000
"""

from __future__ import annotations

import argparse
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import datasets

REPO = Path(__file__).resolve().parent.parent
DATASETS_ENV = "PAPER_DATASETS"


def _records(datasets: Path) -> list[str]:
    lines: list[str] = []
    for name in ("hf-daily-papers.jsonl.xz", "arxiv-2025.jsonl.xz"):
        path = datasets / name
        if path.exists():
            with lzma.open(path, "rt", encoding="utf-8") as handle:
                lines.extend(handle)
    return lines


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int,
                        help="numbers of papers to import (default: 1000 10000 all)")
    parser.add_argument("--datasets", type=Path, default=os.environ.get(DATASETS_ENV),
                        help=f"folder of the JSON Lines datasets (default: ${DATASETS_ENV})")
    args = parser.parse_args(argv)  # before loading anything: --help answers at once
    if args.datasets is None:
        parser.error(f"give --datasets FOLDER (or set ${DATASETS_ENV})")
    records = _records(Path(args.datasets))
    if not records:
        print(f"no datasets found under {args.datasets}", file=sys.stderr)
        return 1
    sizes = args.sizes or [1000, 10000, len(records)]
    print(f"{'papers':>8} {'import s':>9} {'re-import s':>12} {'validate s':>11}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "archive"
            shutil.copytree(REPO / "archive" / "schema", root / "schema")
            if (REPO / "archive" / "tags.yml").exists():
                shutil.copy(REPO / "archive" / "tags.yml", root / "tags.yml")
            (root / "papers").mkdir()
            dump = Path(tmp) / "dump.jsonl"
            dump.write_text("".join(records[:size]), encoding="utf-8")
            command = ["import", str(dump), "--root", str(root), "--no-copy",
                       "--date", "2026-01-01"]
            first = _timed(command)
            again = _timed(command)
            check = _timed(["validate", "--root", str(root)])
            count = len(list((root / "papers").glob("*.yml")))
        print(f"{count:>8} {first:>9.1f} {again:>12.1f} {check:>11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
