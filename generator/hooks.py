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
* Front matter.  Material prints ``page.meta.title`` and ``description`` raw (in the nav
  of every page, ``<title>`` and the header).  Generated pages write them HTML-escaped
  (:mod:`generator.render`); the front matter of hand-written pages (``CONTRIBUTING.md``
  and ``docs/``) is escaped here, by :func:`escape_meta`, so that it shows as text too.
* Lean HTML.  After rendering, each page's inline theme icons become references into one
  sprite and the page is minified (:mod:`generator.htmlpost`): at 50,000 pages the chrome
  is most of the site's bytes, and GitHub Pages publishes at most 1 GB.
* ``mkdocs serve``.  The sources are watched: ``archive/``, ``CONTRIBUTING.md`` and the
  hand-written part of ``docs/``, not the pages ``generate`` writes, so an edit costs one
  rebuild, which regenerates the pages first (before, the rewritten pages set off a second
  full rebuild).  A new file or folder directly under ``docs/`` is seen after a restart.
* Problems while serving.  MkDocs leaves every request waiting for a rebuild that failed
  (its server blocks until a build succeeds), so the preview hung while a record was
  broken.  Here a rebuild that fails (the archive has problems, or MkDocs failed) keeps the
  last good pages, and every page served says what is wrong, escaped, until it is fixed.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import sys
from collections.abc import Callable, Iterable
from html import escape, unescape
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.utils import get_relative_url

from generator.htmlpost import SPRITE_PATH, IconSprite, post_process
from generator.layout import ARCHIVE_DIR, GENERATED_DIRS, STATS_PAGE, Layout

log = logging.getLogger("mkdocs.hooks.generator")

_DAY = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
#: ``serving``: started by ``mkdocs serve``; ``guarded``: on_serve wrapped the server, so a
#: failed rebuild keeps the last site; ``notice``: the HTML shown on every page, or None.
_state: dict[str, Any] = {"serving": False, "guarded": False, "notice": None}
#: At most this many problems are listed on a page (the terminal has them all).
NOTICE_LINES = 40
# An inline Markdown link target: ](target) or ](target "title").
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?P<rest>(?:\s+\"[^\"]*\")?\))")
#: The icons of every page built by this process, written as one sprite after the build.
_sprite = IconSprite()


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Give a hand-written page without a ``description`` one from its first paragraph.

    Otherwise every such page would repeat the site's description to search engines and
    link previews.  Generated pages always bring their own (generator/render.py).
    """
    if page.meta.get("description"):
        return html
    match = _FIRST_PARAGRAPH.search(html)
    if match:
        # The length the generated pages' descriptions are cut to, from their home.
        from generator.render import DESCRIPTION_CHARS

        text = " ".join(unescape(_TAG.sub("", match.group(1))).split())
        if len(text) > DESCRIPTION_CHARS:
            text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
        if text:
            page.meta["description"] = escape(text, quote=True)
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Icons as references into the sprite, and the page minified."""
    sprite_url = get_relative_url(SPRITE_PATH, page.url)
    return post_process(_sprite.rewrite(output, sprite_url))


def on_post_build(config: Any) -> None:
    """Write the sprite of every icon the pages of this build use; split a large sitemap."""
    from generator.sitemaps import split_sitemap

    target = Path(config.site_dir) / SPRITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_sprite.text(), encoding="utf-8")
    split_sitemap(Path(config.site_dir), config.site_url or "")


def edit_url(repo_url: str, edit_uri: str, edit_path: str) -> str:
    """``https://github.com/o/r`` + ``edit/main/`` + ``archive/papers/x.yml``."""
    return f"{repo_url.rstrip('/')}/{edit_uri.strip('/')}/{edit_path.lstrip('/')}"


def on_config(config: Any) -> Any:
    """Give the templates the site's layout, as ``config.extra.layout``.

    Page URLs and the sources of records come from :mod:`generator.layout`, their one home,
    so that no template restates a path that could drift from the generator's.
    """
    _project_dir(config)
    from generator.layout import template_values

    config.extra["layout"] = template_values()
    return config


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``mkdocs serve``; start with no notice."""
    _state.update(serving=command == "serve", guarded=False, notice=None)


#: Front-matter keys that are not text shown to readers: left as written.
_RAW_META = frozenset({"edit_path", "template", "hide", "search", "repo_links"})


def is_generated(src_uri: str) -> bool:
    """Pages written by generate, whose front matter render.py has escaped already."""
    return src_uri in ("index.md", STATS_PAGE) or \
        src_uri.split("/", 1)[0] in (*GENERATED_DIRS, "search")


def escape_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter with every text value HTML-escaped (keys in :data:`_RAW_META` aside).

    Escaping is made idempotent (unescape, then escape): a page the generator wrote
    outside :func:`is_generated`'s folders (``stats.md``) keeps its escaped title as it is.
    """
    def esc(value: Any) -> Any:
        if isinstance(value, str):
            return html.escape(html.unescape(value), quote=True)
        if isinstance(value, list):
            return [esc(item) for item in value]
        if isinstance(value, dict):
            return {key: esc(item) for key, item in value.items()}
        return value

    return {key: value if key in _RAW_META else esc(value) for key, value in meta.items()}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Escape a hand-written page's front matter; point its edit button at the real file.

    Every page's Markdown is read before any template is rendered, so the nav of each
    page already sees the escaped titles.  Also date the page in the sitemap by its own
    records (front matter ``lastmod``, written by the generator) instead of the build's
    date, which says nothing about the page.
    """
    if not is_generated(page.file.src_uri):
        page.meta = escape_meta(page.meta)
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
    """Watch the sources instead of generate's output; never leave a request waiting."""
    project = _project_dir(config)
    site = _site_module(project)
    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    for path in watched_sources(project, docs, site.GENERATED_ENTRIES, site.CONTRIBUTING):
        server.watch(str(path))
    server.builder = keep_last_site(server.builder)
    server.set_app(with_notice(server.get_app()))
    _state["guarded"] = True
    return server


def watched_sources(project: Path, docs: Path, generated: Iterable[str],
                    contributing: str) -> list[Path]:
    """What a rebuild depends on: the archive, the guide, the hand-written part of docs/."""
    skip = set(generated)
    paths = [entry for entry in sorted(docs.iterdir()) if entry.name not in skip] \
        if docs.is_dir() else []
    paths += [path for path in (project / contributing, project / ARCHIVE_DIR) if path.exists()]
    return paths


class KeptLastSite(Exception):
    """Raised before MkDocs cleans the site, so the last good pages stay served."""


def on_pre_build(config: Any) -> None:
    """While serving, bring docs/ up to date with archive/ before MkDocs reads it."""
    if not _state["serving"]:
        return
    project = _project_dir(config)
    site = _site_module(project)
    from generator.layout import OutputCollision
    from generator.outputs import OutputRefused
    from generator.textrules import printable

    try:
        report = site.generate(Layout.of_project(project).root, Path(config.docs_dir), project)
    except site.ArchiveProblems as exc:
        lines = [printable(str(problem)) for problem in exc.problems]
        _kept(lines, f"{len(lines)} problem(s): pages not regenerated")
        return
    except (OutputRefused, OutputCollision) as exc:
        _kept([printable(str(exc))], "pages not regenerated")
        return
    _state["notice"] = None
    if report.written or report.removed:
        log.info(f"generate: {report.summary()}")


def _kept(lines: list[str], summary: str) -> None:
    """Report what stops generate; while guarded, keep serving the last good pages."""
    for line in lines:
        log.warning(line)
    _state["notice"] = problems_notice(lines)
    if _state["guarded"]:
        raise KeptLastSite(summary) from None
    log.warning(f"{summary}: fix the problems above")


def keep_last_site(builder: Callable[..., None]) -> Callable[..., None]:
    """``builder``, except that a failure keeps the last site served, with a notice on it.

    MkDocs' server answers no request until a rebuild succeeds (curl waited ten minutes
    while a record was broken); returning normally lets it serve again and reload the
    browsers, which then show what went wrong.
    """
    def build(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except (Exception, SystemExit) as exc:  # MkDocs' Abort is a SystemExit
            if not isinstance(exc, KeptLastSite):
                _state["notice"] = failure_notice(str(exc) or type(exc).__name__)
            log.error(f"rebuild failed ({exc}): serving the last pages, with the problem "
                      "shown on each; save a fix to rebuild")
        else:
            _state["notice"] = None
    return build


def problems_notice(lines: list[str]) -> str:
    """The banner for an archive with problems: each ``path:line: field: message``, escaped."""
    shown = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines[:NOTICE_LINES])
    more = f"<p>and {len(lines) - NOTICE_LINES} more (see the terminal)</p>" \
        if len(lines) > NOTICE_LINES else ""
    return _notice("problems", f"The archive has {len(lines)} problem(s), so these pages are "
                   "from before the last edit. Fix them and save: the page reloads.",
                   f"<ul>{shown}</ul>{more}")


def failure_notice(message: str) -> str:
    """The banner for a rebuild that failed for another reason (the terminal has details)."""
    return _notice("failure", "The last rebuild failed; these pages may be out of date.",
                   f"<pre>{html.escape(message[:2000])}</pre>")


def _notice(kind: str, headline: str, body: str) -> str:
    style = ("margin:0;padding:.8em 1.2em;background:#fff3cd;color:#3b2a00;"
             "border-bottom:2px solid #c9a227;font:14px/1.5 system-ui,sans-serif")
    return (f'<div id="pa-serve-notice" role="alert" data-kind="{kind}" style="{style}">'
            f"<strong>make serve: {html.escape(headline)}</strong>{body}</div>")


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def with_notice(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The server's WSGI ``app``, with the current notice at the top of every HTML page."""
    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        notice = _state["notice"]
        if not notice:
            return app(environ, start_response)
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer.update(status=status, headers=headers)
            return lambda data: None

        body = app(environ, capture)
        headers = answer.get("headers", [])
        types = [value for key, value in headers if key.lower() == "content-type"]
        if not types or not types[0].startswith("text/html"):
            start_response(answer["status"], headers)
            return body
        try:
            content = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close:
                close()
        content = insert_notice(content, notice.encode("utf-8"))
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(answer["status"], [*headers, ("Content-Length", str(len(content)))])
        return [content]
    return serve


def insert_notice(page: bytes, notice: bytes) -> bytes:
    """``page`` with ``notice`` right after its ``<body>`` tag (or first, if it has none)."""
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + notice + page[at:]


def _site_module(project: Path) -> ModuleType:
    """``generator.site`` of the project being served (the hooks file is loaded by path)."""
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    from generator import site

    return site


def _project_dir(config: Any) -> Path:
    """The project holding mkdocs.yml, importable so that the generator found is its own."""
    project = Path(config.config_file_path).resolve().parent
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return project
