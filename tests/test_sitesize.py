"""The build's warning when the site nears GitHub Pages' 1 GB (generator/sitesize.py)."""

from __future__ import annotations

from pathlib import Path

from generator import sitesize


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for name, size in {"papers/a/index.html": 600, "papers/b/index.html": 500,
                       "api/papers.json": 700, "tags/t/index.html": 100,
                       "search/index/manifest.json": 50, "index.html": 30}.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    return site


def test_folders_are_counted_by_their_files_bytes(tmp_path: Path) -> None:
    assert sitesize.folder_sizes(_site(tmp_path)) == {
        "papers/": 1100, "api/": 700, "tags/": 100, "search/": 50, "index.html": 30}


def test_no_warning_up_to_nine_tenths_of_the_limit(tmp_path: Path) -> None:
    site = _site(tmp_path)  # 1,980 bytes
    assert sitesize.size_warning(site, limit=2200) is None  # exactly 90%
    assert sitesize.size_warning(site) is None  # the real limit: 1 GB


def test_one_line_naming_the_largest_folders_past_nine_tenths(tmp_path: Path) -> None:
    site = _site(tmp_path)
    warning = sitesize.size_warning(site, limit=2100)
    assert warning is not None and "\n" not in warning
    assert warning.startswith("warning: ") and "94% of" in warning
    assert warning.index("papers/") < warning.index("api/") < warning.index("tags/")
    assert "search/" not in warning  # the three largest only
    over = sitesize.size_warning(site, limit=1000)
    assert over is not None and "over the" in over
