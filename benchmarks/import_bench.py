"""Benchmark: import and validate real paper records at archive scale.

Prints a table of wall-clock figures; it asserts nothing (speed goals live here, not in
tests).  Uses the JSON Lines datasets in ``shared/datasets/`` (see its README; the folder
is found beside the repository or a parent, or given with ``--datasets``)::

    python -m benchmarks.import_bench            # 1,000 / 10,000 / all records
    python -m benchmarks.import_bench 5000 20000
    python -m benchmarks.import_bench --datasets /path/to/datasets 2000
"""

from __future__ import annotations

import argparse
import lzma
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import datasets

REPO = Path(__file__).resolve().parent.parent


def _records(files: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in files:
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            lines.extend(handle)
    return lines


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.import_bench", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", metavar="N",
                        help="archive sizes to time, in records taken from the start of the "
                             "datasets (default: 1000, 10000 and all of them)")
    datasets.add_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Time import, re-import and validate at each size; print one row per size."""
    parser = _parser()
    args = parser.parse_args(argv)  # before loading anything: --help answers at once
    if any(size < 1 for size in args.sizes):
        parser.error("sizes must be at least 1")
    records = _records(datasets.dataset_files(args.datasets, parser))
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
