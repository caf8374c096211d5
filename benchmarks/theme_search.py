"""The theme's own search, the baseline our search is measured against.

``search_bench`` (speed and bytes) and ``search_relevance`` (ranking) both compare our
search with the one Material ships.  For that they need our pages built the theme's way:
its search plugin on, and our header and search box left out of the overrides so the
theme's own box is the one on the page.  How to make that variant of ``mkdocs.yml`` is
written here once, so a change to our config or partials is followed in one place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Our partials that replace the theme's header and search; the baseline drops them.
OUR_SEARCH_PARTIALS = ("partials/header.html", "partials/header-search.html")


def build_theme_site(docs: Path, work: Path, site: Path) -> Path:
    """Build the pages of ``docs`` with the theme's search into ``site``; return ``site``.

    The overrides without our search and the config variant are written under ``work``
    (scratch, git-ignored); the hooks stay, so the pages are ours but for the search.
    """
    overrides = work / "overrides-theme"
    shutil.rmtree(overrides, ignore_errors=True)
    shutil.copytree(REPO / "overrides", overrides)
    for own in OUR_SEARCH_PARTIALS:
        (overrides / own).unlink(missing_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = (config.replace("plugins: []", "plugins:\n  - search")
              .replace("custom_dir: overrides", f"custom_dir: {overrides}")
              .replace("docs_dir: docs", f"docs_dir: {docs}")
              .replace("  - generator/hooks.py", f"  - {REPO / 'generator' / 'hooks.py'}"))
    variant = work / "mkdocs-theme.yml"
    variant.write_text(config, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                    str(variant), "--site-dir", str(site)],
                   cwd=REPO, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return site
