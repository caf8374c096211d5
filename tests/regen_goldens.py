"""Regenerate the golden pages: ``python -m tests.regen_goldens`` (or ``make goldens``).

The goldens are what ``generate`` writes for the fixture archive (tests/fixtures/archive),
committed under tests/goldens/docs/.  Run this after an intended change to the pages and
review the diff before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.site import generate  # noqa: E402
from tests.conftest import copy_fixture_archive  # noqa: E402

GOLDENS = REPO / "tests" / "goldens" / "docs"


def generate_fixture(docs: Path) -> None:
    """What ``generate`` writes for the fixture archive, into ``docs``."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = copy_fixture_archive(Path(scratch) / "archive")
        generate(archive, docs, repo_dir=Path(scratch))
    # The search index (and the lunr.js copied beside it, never committed) has its own
    # tests (tests/test_search_*.py); the goldens keep the pages, the search page included.
    # So do the minified search scripts: they follow overrides/assets/javascripts/.
    shutil.rmtree(docs / "search" / "index", ignore_errors=True)
    shutil.rmtree(docs / "assets", ignore_errors=True)


def sync(fresh: Path, goldens: Path) -> tuple[list[str], list[str], int]:
    """Make ``goldens`` hold exactly the files of ``fresh``, touching only what differs.

    Returns the paths written and removed (relative, sorted) and the number unchanged, so
    a run after no change says so instead of claiming to have written every page.
    """
    want = {p.relative_to(fresh).as_posix(): p.read_bytes()
            for p in fresh.rglob("*") if p.is_file()}
    have = {p.relative_to(goldens).as_posix() for p in goldens.rglob("*") if p.is_file()} \
        if goldens.is_dir() else set()
    written = []
    for rel, data in sorted(want.items()):
        target = goldens / rel
        if rel in have and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(rel)
    removed = sorted(have - set(want))
    for rel in removed:
        (goldens / rel).unlink()
    for folder in sorted((p for p in goldens.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return written, removed, len(want) - len(written)


def main(goldens: Path = GOLDENS) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "docs"
        generate_fixture(fresh)
        written, removed, unchanged = sync(fresh, goldens)
    where = goldens.relative_to(REPO) if goldens.is_relative_to(REPO) else goldens
    for rel in written:
        print(f"wrote {where / rel}")
    for rel in removed:
        print(f"removed {where / rel}")
    if written or removed:
        print(f"goldens: {len(written)} written, {len(removed)} removed, {unchanged} unchanged;"
              " review the diff (git diff tests/goldens) before committing")
    else:
        print(f"goldens unchanged ({unchanged} pages in {where})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
