"""Golden test: the fixture archive generates exactly the committed docs/ tree.

After an intended change, run ``python -m tests.regen_goldens`` and review the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.regen_goldens import GOLDENS, generate_fixture


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text("utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_fixture_archive_generates_the_golden_tree(tmp_path: Path) -> None:
    generate_fixture(tmp_path / "docs")
    got, want = _tree(tmp_path / "docs"), _tree(GOLDENS)
    assert sorted(got) == sorted(want), "pages added or missing; see python -m tests.regen_goldens"
    for name in sorted(want):
        if got[name] != want[name]:
            diff = "".join(difflib.unified_diff(
                want[name].splitlines(keepends=True), got[name].splitlines(keepends=True),
                f"goldens/{name}", f"generated/{name}"))
            raise AssertionError(f"{name} differs from its golden:\n{diff}")


def test_generating_twice_writes_identical_bytes(tmp_path: Path) -> None:
    generate_fixture(tmp_path / "a")
    generate_fixture(tmp_path / "b")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
