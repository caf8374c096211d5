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


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._content_depth = 0
        self._in_title = False
        self._h1: list[str] | None = None
        self._text: list[str] = []

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
        if tag == "article" and (self._content_depth
                                 or "md-content__inner" in values.get("class", "")):
            self._content_depth += 1
        if self._content_depth:
            self.page.content_tags.append(tag)
        if tag == "title":
            self._in_title = True
        if tag == "h1" and self._content_depth:
            self._h1 = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._content_depth:
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
    """What in ``html`` could run or load something: event attributes, script-scheme URLs,
    frames and plug-ins, ``<base>``, and redirects that leave the site."""
    parser = _HazardParser()
    parser.feed(html)
    parser.close()
    return parser.found
