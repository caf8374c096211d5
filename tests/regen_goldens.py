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


def main() -> int:
    shutil.rmtree(GOLDENS, ignore_errors=True)
    generate_fixture(GOLDENS)
    count = sum(1 for path in GOLDENS.rglob("*") if path.is_file())
    print(f"wrote {count} golden pages to {GOLDENS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
