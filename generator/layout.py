"""Where things live: the archive's files.

The one place that knows the on-disk layout of the archive::

    archive/papers/<id>.yml    one Paper per file (the source of truth)
    archive/tags.yml           the tag vocabulary
    archive/schema/*.json      JSON Schemas (also used by editors via the header comment)
    archive/dumps/             raw dumps as imported, for provenance
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    """Paths of an archive rooted at ``root`` (the folder holding ``papers/``)."""

    root: Path

    @property
    def papers_dir(self) -> Path:
        return self.root / "papers"

    @property
    def tags_file(self) -> Path:
        return self.root / "tags.yml"

    @property
    def dumps_dir(self) -> Path:
        return self.root / "dumps"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    def paper_path(self, paper_id: str) -> Path:
        return self.papers_dir / f"{paper_id}.yml"

    def paper_files(self) -> list[Path]:
        return sorted(self.papers_dir.glob("*.yml")) if self.papers_dir.exists() else []

    def rel(self, path: Path) -> str:
        """``path`` as problems name it: relative to the archive's parent when inside it."""
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)
