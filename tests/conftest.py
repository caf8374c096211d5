"""Shared fixtures: repository paths and a scratch copy of an archive."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = REPO / "archive"
SEED = ARCHIVE / "dumps" / "000_fb1509d298712f5e.txt"

os.environ.setdefault("TZ", "UTC")


@pytest.fixture
def empty_archive(tmp_path: Path) -> Path:
    """An archive folder with the real schemas and vocabulary but no papers."""
    root = tmp_path / "archive"
    (root / "papers").mkdir(parents=True)
    shutil.copytree(ARCHIVE / "schema", root / "schema")
    if (ARCHIVE / "tags.yml").exists():
        shutil.copy(ARCHIVE / "tags.yml", root / "tags.yml")
    return root


@pytest.fixture
def seed_archive(tmp_path: Path) -> Path:
    """A scratch copy of the committed archive, safe to modify."""
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE, root)
    return root
