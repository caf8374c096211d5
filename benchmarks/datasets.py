"""Where the benchmarks find the real-record datasets (``shared/datasets/``).

A clone of the repository sits beside ``shared/`` (CI lays a copy of it there, as
``../shared``); a worktree sits a level or more deeper.  So the default is the first
``shared/datasets`` beside the repository or beside one of its parent folders, and every
benchmark that reads the datasets takes ``--datasets DIR`` to say otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The files described in shared/datasets/README.md, smaller first.
FILES = ("hf-daily-papers.jsonl.xz", "arxiv-2025.jsonl.xz")


def default_dir() -> Path:
    """The nearest ``shared/datasets`` folder beside the repository or a parent of it."""
    for base in REPO.parents:
        candidate = base / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "datasets"


def add_option(parser: argparse.ArgumentParser) -> None:
    """``--datasets DIR``, with the default shown in ``--help``."""
    parser.add_argument("--datasets", type=Path, default=default_dir(), metavar="DIR",
                        help="folder with the real-record datasets, "
                             f"{' and '.join(FILES)} (default: %(default)s)")


def dataset_files(folder: Path, parser: argparse.ArgumentParser) -> list[Path]:
    """The dataset files present in ``folder``; a usage error (exit 2) when there are none."""
    found = [folder / name for name in FILES if (folder / name).is_file()]
    if not found:
        parser.error(f"no datasets in {folder} (looked for {', '.join(FILES)}): "
                     "pass --datasets DIR, the folder described in shared/datasets/README.md")
    return found
