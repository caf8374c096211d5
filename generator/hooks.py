"""MkDocs hooks (``hooks:`` in mkdocs.yml): edit links to the real sources, live regeneration.

Kept small on purpose; the pages themselves are written by ``python -m generator generate``.

* Edit URLs.  Generated pages say in their front matter which repository file they come
  from (``edit_path``: ``archive/papers/<id>.yml`` for a paper, ``archive/tags.yml`` for a
  tag, ``""`` for pages with no single source).  "Edit this record" must open the record,
  never the generated Markdown, which is not even committed.  Hand-written pages under
  ``docs/`` get ``docs/<path>``, because ``edit_uri`` points at the repository root.
* Repository links.  ``docs/contributing.md`` is a copy of the root ``CONTRIBUTING.md``
  (front matter ``repo_links: true``), whose relative links (``archive/tags.yml``) point at
  repository files, not pages; they are sent to the file on GitHub instead of failing the
  strict build as broken links.
* Lean HTML.  After rendering, each page's inline theme icons become references into one
  sprite and the page is minified (:mod:`generator.htmlpost`): at 50,000 pages the chrome
  is most of the site's bytes, and GitHub Pages publishes at most 1 GB.
* ``mkdocs serve``.  ``archive/`` is watched too; before each rebuild the pages are
  regenerated.  Generation writes only files whose content changed, so a change costs one
  extra rebuild (for the pages it rewrote) and then the loop settles: no rebuild loop.
"""

from __future__ import annotations

import logging
import posixpath
import re
import sys
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

from generator.htmlpost import SPRITE_PATH, IconSprite, post_process

log = logging.getLogger("mkdocs.hooks.generator")

_DAY = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_state = {"serving": False}
# An inline Markdown link target: ](target) or ](target "title").
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?P<rest>(?:\s+\"[^\"]*\")?\))")
#: The icons of every page built by this process, written as one sprite after the build.
_sprite = IconSprite()


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
DESCRIPTION_CHARS = 160


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Give a hand-written page without a ``description`` one from its first paragraph.

    Otherwise every such page would repeat the site's description to search engines and
    link previews.  Generated pages always bring their own (generator/render.py).
    """
    if page.meta.get("description"):
        return html
    match = _FIRST_PARAGRAPH.search(html)
    if match:
        text = " ".join(unescape(_TAG.sub("", match.group(1))).split())
        if len(text) > DESCRIPTION_CHARS:
            text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
        if text:
            page.meta["description"] = escape(text, quote=True)
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    sprite_url = get_relative_url(SPRITE_PATH, page.url)
    return post_process(_sprite.rewrite(output, sprite_url))


def on_post_build(config: Any) -> None:
    target = Path(config.site_dir) / SPRITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_sprite.text(), encoding="utf-8")


def edit_url(repo_url: str, edit_uri: str, edit_path: str) -> str:
    """``https://github.com/o/r`` + ``edit/main/`` + ``archive/papers/x.yml``."""
    return f"{repo_url.rstrip('/')}/{edit_uri.strip('/')}/{edit_path.lstrip('/')}"


def on_config(config: Any) -> Any:
    """Give the templates the site's layout (``config.extra.layout``): page URLs and the
    sources of records, from :mod:`generator.layout`, their one home."""
    _project_dir(config)
    from generator.layout import template_values

    config.extra["layout"] = template_values()
    return config


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Point the page's edit button at the file a contributor should really edit.

    Also date the page in the sitemap by its own records (front matter ``lastmod``, written
    by the generator) instead of the build's date, which says nothing about the page.
    """
    lastmod = page.meta.get("lastmod")
    if isinstance(lastmod, str) and _DAY.match(lastmod):
        page.update_date = lastmod
    if not config.repo_url or not config.edit_uri:
        return markdown
    edit_path = page.meta.get("edit_path")
    if edit_path is None:
        edit_path = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    page.edit_url = edit_url(config.repo_url, config.edit_uri, edit_path) if edit_path else None
    if page.meta.get("repo_links"):
        markdown = link_repository_files(markdown, config.repo_url, config.edit_uri,
                                         _docs_paths(files))
    return markdown


def link_repository_files(markdown: str, repo_url: str, edit_uri: str,
                          docs_paths: set[str]) -> str:
    """Point relative links that are not pages of the site at the file on GitHub."""
    blob = edit_uri.strip("/").replace("edit/", "blob/", 1)

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        path = target.split("#", 1)[0]
        if not path or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) \
                or path.startswith("/") or posixpath.normpath(path) in docs_paths:
            return match.group(0)
        url = edit_url(repo_url, blob, posixpath.normpath(path)) + target[len(path):]
        return f"]({url}{match.group('rest')}"

    return _LINK.sub(replace, markdown)


def _docs_paths(files: Any) -> set[str]:
    return {f.src_uri for f in files} if files is not None else set()


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    from generator.layout import Layout

    server.watch(str(Layout.of_project(_project_dir(config)).root))
    return server


def on_pre_build(config: Any) -> None:
    """While serving, bring docs/ up to date with archive/ before MkDocs reads it."""
    if not _state["serving"]:
        return
    project = _project_dir(config)
    from generator.layout import Layout, OutputCollision
    from generator.site import ArchiveProblems, generate

    try:
        report = generate(Layout.of_project(project).root, Path(config.docs_dir), project)
    except ArchiveProblems as exc:
        for problem in exc.problems:
            log.warning(str(problem))
        log.warning("pages not regenerated: fix the problems above")
        return
    except OutputCollision as exc:
        log.warning(f"{exc}; pages not regenerated")
        return
    if report.written or report.removed:
        log.info(f"generate: {report.summary()}")


def _project_dir(config: Any) -> Path:
    """The project holding mkdocs.yml, importable so that the generator found is its own."""
    project = Path(config.config_file_path).resolve().parent
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return project
