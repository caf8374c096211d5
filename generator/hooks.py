"""MkDocs hooks (``hooks:`` in mkdocs.yml): edit links to the real sources, live regeneration.

Kept small on purpose; the pages themselves are written by ``python -m generator generate``.

* Edit URLs.  Generated pages say in their front matter which repository file they come
  from (``edit_path``: ``archive/papers/<id>.yml`` for a paper, ``archive/tags.yml`` for a
  tag, ``""`` for pages with no single source).  "Edit this record" must open the record,
  never the generated Markdown, which is not even committed.  Hand-written pages under
  ``docs/`` get ``docs/<path>``, because ``edit_uri`` points at the repository root.
* ``mkdocs serve``.  ``archive/`` is watched too; before each rebuild the pages are
  regenerated.  Generation writes only files whose content changed, so a change costs one
  extra rebuild (for the pages it rewrote) and then the loop settles: no rebuild loop.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.generator")

ARCHIVE_DIR = "archive"
_state = {"serving": False}


def edit_url(repo_url: str, edit_uri: str, edit_path: str) -> str:
    """``https://github.com/o/r`` + ``edit/main/`` + ``archive/papers/x.yml``."""
    return f"{repo_url.rstrip('/')}/{edit_uri.strip('/')}/{edit_path.lstrip('/')}"


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Point the page's edit button at the file a contributor should really edit."""
    if not config.repo_url or not config.edit_uri:
        return markdown
    edit_path = page.meta.get("edit_path")
    if edit_path is None:
        edit_path = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    page.edit_url = edit_url(config.repo_url, config.edit_uri, edit_path) if edit_path else None
    return markdown


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    server.watch(str(_project_dir(config) / ARCHIVE_DIR))
    return server


def on_pre_build(config: Any) -> None:
    """While serving, bring docs/ up to date with archive/ before MkDocs reads it."""
    if not _state["serving"]:
        return
    project = _project_dir(config)
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    from generator.site import ArchiveProblems, generate

    try:
        report = generate(project / ARCHIVE_DIR, Path(config.docs_dir), project)
    except ArchiveProblems as exc:
        for problem in exc.problems:
            log.warning(str(problem))
        log.warning("pages not regenerated: fix the problems above")
        return
    if report.written or report.removed:
        log.info(f"generate: {report.summary()}")


def _project_dir(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent
