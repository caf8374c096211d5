"""The one file-writing module: atomic writes, write-if-changed, stale-file removal."""

from __future__ import annotations

import os
from pathlib import Path

from generator import files


def test_write_if_changed_keeps_mtime_when_equal(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.md"
    assert files.write_if_changed(target, "x")
    before = target.stat().st_mtime_ns
    assert not files.write_if_changed(target, "x")
    assert target.stat().st_mtime_ns == before
    assert files.write_if_changed(target, b"y") and target.read_bytes() == b"y"


def test_remove_stale_matches_real_paths(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "papers" / "old").mkdir(parents=True)
    for name in ("keep.md", "stale.md", "old/gone.md", "notes.txt"):
        (docs / "papers" / name).write_text(name)
    alias = tmp_path / "alias"
    os.symlink(docs, alias)
    keep = [alias / "papers" / "keep.md"]  # the same file, reached through a link
    removed = files.remove_stale(docs / "papers", keep, "*.md")
    assert sorted(p.name for p in removed) == ["gone.md", "stale.md"]
    assert sorted(p.name for p in (docs / "papers").iterdir()) == ["keep.md", "notes.txt"]
    assert files.remove_stale(tmp_path / "missing", keep) == []


def test_staged_writes_land_only_on_commit_and_discard_leaves_nothing(tmp_path: Path) -> None:
    from generator.files import Staged

    kept, changed, new = tmp_path / "kept.md", tmp_path / "changed.md", tmp_path / "d" / "new.md"
    kept.write_text("same\n")
    changed.write_text("old\n")
    staged = Staged()
    assert not staged.write(kept, "same\n")
    assert staged.write(changed, "new\n") and staged.write_chunks(new, [b"a", b"b"])
    assert changed.read_text() == "old\n" and not new.exists()
    staged.commit()
    assert changed.read_text() == "new\n" and new.read_bytes() == b"ab"
    assert staged.write(changed, "newer\n")
    staged.discard()
    assert changed.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["changed.md", "d", "kept.md", "new.md"]
