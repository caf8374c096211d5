"""Reading built pages for structural tests: links, scripts, attributes and visible text."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                  ("form", "action")}
#: <link rel=...> values that make the browser fetch the URL while loading the page.
FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}


@dataclass
class ParsedPage:
    """What the tests look at in one built HTML page."""

    title: str = ""
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, url)
    content_urls: list[str] = field(default_factory=list)  # hrefs inside the article
    requests: list[str] = field(default_factory=list)  # what the browser fetches on load
    scripts: list[tuple[str, ...]] = field(default_factory=list)    # sorted attribute pairs
    event_attributes: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    content_text: str = ""
    content_tags: list[str] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    lang: str = ""
    headings: list[int] = field(default_factory=list)  # levels, in order, of every h1-h6
    #: Form controls (not hidden inputs): (tag, attributes, inside a <label>)
    controls: list[tuple[str, dict[str, str], bool]] = field(default_factory=list)
    label_for: set[str] = field(default_factory=set)    # ids named by <label for=...>
    search_landmarks: list[str] = field(default_factory=list)  # aria-label of role=search


#: The id of the lean pages' main landmark, which holds their content.
LEAN_MAIN = "pa-main"


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._content_depth = 0
        self._in_title = False
        self._h1: list[str] | None = None
        self._text: list[str] = []
        self._labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.page.event_attributes.append((tag, name))
            if (tag, name) in URL_ATTRIBUTES:
                self.page.urls.append((tag, name, value))
        if tag in {"script", "img", "iframe"} and values.get("src"):
            self.page.requests.append(values["src"])
        if tag == "link" and set(values.get("rel", "").split()) & FETCHED_LINKS:
            self.page.requests.append(values.get("href", ""))
        if tag == "a" and self._content_depth and "href" in values:
            self.page.content_urls.append(values["href"])
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "script":
            self.page.scripts.append(tuple(sorted(f"{k}={v}" for k, v in values.items())))
        if tag == "meta" and "name" in values:
            self.page.meta[values["name"]] = values.get("content", "")
        if tag == "meta" and values.get("http-equiv") == "refresh":
            self.page.meta["refresh"] = values.get("content", "")
        # The content: Material's <article class="md-content__inner">, or on the lean pages
        # (overrides/lean.html) their <main id="pa-main">.
        material = tag == "article" and (self._content_depth
                                         or "md-content__inner" in values.get("class", ""))
        if material or (tag == "main" and values.get("id") == LEAN_MAIN):
            self._content_depth += 1
        if self._content_depth:
            self.page.content_tags.append(tag)
        if tag == "title":
            self._in_title = True
        self._read_accessibility(tag, values)
        if tag == "h1" and self._content_depth:
            self._h1 = []

    def _read_accessibility(self, tag: str, values: dict[str, str]) -> None:
        if tag == "html":
            self.page.lang = values.get("lang", "")
        if re.fullmatch(r"h[1-6]", tag):
            self.page.headings.append(int(tag[1]))
        if tag == "label":
            self._labels += 1
            if values.get("for"):
                self.page.label_for.add(values["for"])
        if tag in {"input", "select", "textarea"} and values.get("type") != "hidden":
            self.page.controls.append((tag, values, self._labels > 0))
        if values.get("role") == "search" or tag == "search":
            self.page.search_landmarks.append(values.get("aria-label", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._labels:
            self._labels -= 1
        if tag in {"article", "main"} and self._content_depth:
            self._content_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1" and self._h1 is not None:
            self.page.h1.append("".join(self._h1).strip())
            self._h1 = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._content_depth:
            self._text.append(data)
        if self._h1 is not None:
            self._h1.append(data)

    def close(self) -> None:
        super().close()
        self.page.content_text = " ".join("".join(self._text).split())


def parse(path: Path) -> ParsedPage:
    parser = _Parser()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.page


def page_file(site: Path, url_path: str) -> Path:
    """The file serving ``url_path`` (a path under the site root)."""
    target = site / url_path.lstrip("/")
    return target / "index.html" if url_path.endswith("/") or target.is_dir() else target


def resolve_internal(site: Path, page: Path, url: str, base_path: str = "/") -> Path | None:
    """The file an internal URL on ``page`` points at; None for external and fragment URLs.

    ``base_path`` is the path of site_url: absolute URLs (only 404.html uses them) start there.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        rel = posixpath.normpath(path[len(base_path):] if path.startswith(base_path) else path)
    else:
        here = posixpath.dirname(str(page.relative_to(site)))
        rel = posixpath.normpath(posixpath.join(here, path))
    if rel.startswith(".."):
        return site / "__outside_the_site__"
    return page_file(site, rel + ("/" if path.endswith("/") else ""))


#: Elements a page of this site never needs and record text must never produce.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base",
                      "portal"}
#: Attributes whose value a browser may load or navigate to.
URL_BEARING = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
               "background", "ping", "srcset", "codebase", "cite"}
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class _HazardParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"<{tag}>")
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            # Browsers drop ASCII whitespace and controls anywhere in a URL's scheme.
            if name in URL_BEARING and _SCRIPT_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc":
                self.found.append(f"<{tag} srcdoc>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = values.get("content", "").partition("url=")[2].strip()
            if re.match(r"^([a-z][a-z0-9+.-]*:|//|/)", target, re.IGNORECASE):
                self.found.append(f"<meta refresh to {target!r}>")


def hazards(html: str) -> list[str]:
    """What in ``html`` could run or load something.

    Event attributes, script-scheme URLs, frames and plug-ins, ``<base>``, and redirects
    that leave the site.
    """
    parser = _HazardParser()
    parser.feed(html)
    parser.close()
    return parser.found


def site_url_of(site: Path) -> str:
    """The site_url a built site was made for: what every URL of its sitemap starts with."""
    sitemap = site / "sitemap.xml"
    locs = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap.read_text("utf-8")) \
        if sitemap.is_file() else []
    if not locs:
        return ""
    prefix = posixpath.commonprefix(locs)
    return prefix[:prefix.rindex("/") + 1]


@dataclass
class LinkReport:
    """Every URL in a built site, sorted into broken internal links and external links."""

    checked: int = 0
    broken: list[str] = field(default_factory=list)   # "page: <tag attr=url>: why"
    external: list[str] = field(default_factory=list)  # sorted, unique


def check_links(site: Path) -> LinkReport:
    """Check every internal URL of every page in ``site``: the file exists, the #anchor too.

    Links and sources (``URL_ATTRIBUTES``) and meta-refresh targets are resolved relative to
    their page; absolute paths and full URLs under the site's own site_url (canonical links,
    the 404 page) are checked as internal.  External URLs are collected, never fetched.
    """
    site_url = site_url_of(site)
    base_path = urlsplit(site_url).path or "/"
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    report = LinkReport()
    external: set[str] = set()
    for path, page in pages.items():
        found = [(tag, attr, url) for tag, attr, url in page.urls]
        if "refresh" in page.meta:
            found.append(("meta", "refresh", _refresh_target(page.meta["refresh"])))
        for tag, attr, url in found:
            report.checked += 1
            where = f"{path.relative_to(site)}: <{tag} {attr}={url!r}>"
            if site_url and url.startswith(site_url):
                url = base_path + url[len(site_url):]
            problem = _link_problem(site, path, url, base_path, pages, external)
            if problem:
                report.broken.append(f"{where}: {problem}")
    report.external = sorted(external)
    return report


def _refresh_target(content: str) -> str:
    """The URL of a ``<meta http-equiv="refresh" content="0; url=...">``."""
    match = re.search(r"url\s*=\s*['\"]?([^'\"]*)", content, re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _link_problem(site: Path, page: Path, url: str, base_path: str,
                  pages: dict[Path, ParsedPage], external: set[str]) -> str:
    """Why ``url`` on ``page`` is broken, or "" when it is fine (or external)."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https", "mailto"}:
        external.add(url)
        return ""
    if parts.scheme or parts.netloc:
        return f"unexpected URL scheme {parts.scheme or '//'!r}"
    if not url:
        return "empty URL"
    target = page if not parts.path else resolve_internal(site, page, url, base_path)
    if target is None or not target.is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id {fragment!r}"
    return ""


# ------------------------------------------------------------------ in the browser

#: Elements of a paper page whose box reaches outside the content column (1 px slack), and
#: the column itself: nothing a record holds may paint over the rest of the page.
OUTSIDE_COLUMN = """() => {
  const column = document.querySelector('.md-content__inner');
  const c = column.getBoundingClientRect();
  const out = [];
  for (const el of column.querySelectorAll('.pa-paper *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1
        || r.bottom > c.bottom + 1) {
      out.push(el.tagName.toLowerCase() + ' ' + [r.left, r.top, r.right, r.bottom]
        .map(Math.round).join(','));
    }
  }
  return {outside: out, column: [c.left, c.top, c.right, c.bottom].map(Math.round)};
}"""
