"""The built site's size against GitHub Pages' limit: a warning while there is still room.

GitHub Pages publishes a site of at most 1 GB, and the archive grows by dozens of papers a
day (845 MB at 47,714 papers).  A build that passes the limit is not refused by anything
here, but the deployment would fail later, far from the cause; so ``build`` says, in one
line, when the site passes :data:`WARN_SHARE` of the limit and which folders are largest
(docs/maintainers/performance.md says where the bytes go and what was cut).

Sizes are the files' bytes (what a deployment uploads), not the disk blocks ``du`` shows.
"""

from __future__ import annotations

import os
from pathlib import Path

#: GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB" (taken as 10^9
#: bytes, the smaller reading).
PAGES_LIMIT = 1_000_000_000
#: The share of the limit from which ``build`` warns.
WARN_SHARE = 0.9
#: Folders named in the warning, largest first.
LARGEST_SHOWN = 3


def folder_sizes(site: Path) -> dict[str, int]:
    """Bytes under each top-level entry of ``site`` (a file counts under its own name)."""
    sizes: dict[str, int] = {}
    with os.scandir(site) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                sizes[entry.name + "/"] = _tree_bytes(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                sizes[entry.name] = entry.stat(follow_symlinks=False).st_size
    return sizes


def _tree_bytes(folder: Path) -> int:
    total = 0
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
    return total


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def size_warning(site: Path, limit: int | None = None) -> str | None:
    """One line when ``site`` is over :data:`WARN_SHARE` of ``limit``, else None.

    ``limit`` defaults to :data:`PAGES_LIMIT` (read when called, so a test can lower it).
    """
    limit = PAGES_LIMIT if limit is None else limit
    sizes = folder_sizes(site)
    total = sum(sizes.values())
    if total <= WARN_SHARE * limit:
        return None
    largest = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:LARGEST_SHOWN]
    named = ", ".join(f"{name} {_mb(size)}" for name, size in largest)
    over = "over" if total > limit else f"{100 * total / limit:.0f}% of"
    return (f"warning: {site} is {_mb(total)}, {over} the {_mb(limit)} GitHub Pages "
            f"publishes; largest: {named}")
