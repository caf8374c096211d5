"""Archive -> the text of every generated page.  Pure: no files, no clock, no config.

This is the ONE place where record text (titles, abstracts, tag names and descriptions,
group names, link URLs) is turned into markup, and so the one place that escapes it.
Record text comes from scrapes and strangers' pull requests, and MkDocs + Material print
page titles raw, so the rules are:

* Titles go into front matter already HTML-escaped (Material prints ``page.meta.title``
  without escaping, so the reader sees it literally, once).
* Page bodies are raw HTML blocks.  Python-Markdown passes raw HTML through untouched, so
  record text never meets Markdown (no headings, tables, ``{attr}`` lists or
  ``[x](javascript:)`` links) and is only ever present HTML-escaped.
* Math is converted by :mod:`generator.mathml`, which writes its own markup from an
  allow-list; on failure the TeX source is shown as escaped text.
* Links are written only for ``http``/``https`` URLs (also those in an abstract's text,
  :func:`linked_text`); record ids are written into paths
  only when they have the id form, so nothing can point outside ``docs/``.

Pages use ``use_directory_urls`` URLs: ``papers/<id>.md`` is served at ``/papers/<id>/``.
All links between generated pages are relative, so the site works under any base path.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from generator import citation, layout, metadata
from generator.identity import PAPER_ID_RE, TAG_ID_RE, normalise_title
from generator.layout import (
    HOME,
    MONTHS_INDEX,
    PAPERS_INDEX,
    SITE_FEED,
    STATS_PAGE,
    TAGS_INDEX,
    letter_path,
    listing_page_path,
    month_path,
    tag_feed_path,
    url_of,
)
from generator.layout import paper_page as paper_path
from generator.layout import tag_page as tag_path
from generator.mathml import tex_to_mathml
from generator.mathtext import segments_to_text, tex_to_text
from generator.model import Archive, Paper, Tag
from generator.months import (
    MONTH_PAGE_PAPERS,
    Appearance,
    Calendar,
    Month,
    calendar,
    listed_day,
    newest_first,
)
from generator.related import Related
from generator.textrules import (
    TEASER_CHARS,
    URL_RE,
    Segment,
    Styled,
    link_target,
    paragraphs,
    rich_paragraphs,
    rich_teaser,
    split_math,
    trim_url,
    visible_text,
)

#: The tooltip of a formula shown as its TeX source because it could not be converted.
TEX_FALLBACK_TITLE = "TeX source: this formula could not be rendered"
DESCRIPTION_CHARS = 160
RELATED_TAGS = 8
#: Papers per page of a tag listing.  Each item carries a teaser (about 0.5 KB of HTML), so
#: a page stays near 60 KB however common the tag: "Large language models" was one 7.3 MB
#: page at 48,000 papers.
TAG_PAGE_PAPERS = 100
#: Titles per page of one letter of the A-Z list (about 0.2 KB each).
LETTER_PAGE_PAPERS = 400
#: Page numbers the pager shows on each side of the current one (plus the first and last).
PAGER_WINDOW = 2
LINK_LABELS = {"code": "Code", "project": "Project page", "paper": "Paper", "data": "Data"}
#: Authors named before "et al."; a list at most one longer is shown whole.
AUTHORS_SHOWN = 5
#: Months on the home page's "Browse by date".
HOME_MONTHS = 6
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
OTHER_GROUP = "Other"
#: Shown after a paper's title wherever it is listed, and on its page, when it has code.
CODE_BADGE = ' <span class="pa-badge" title="Code is available">code</span>'
#: Longest meta description (the abstract's first sentence): what search engines show.
SENTENCE_CHARS = 300

_SAFE_URL = re.compile(r"^https?://[^\s<>\"`\\\x00-\x1f\x7f]+\Z", re.IGNORECASE)


# ------------------------------------------------------------------ escaping (the one place)


def clean_text(text: str) -> str:
    """Record text with non-text characters shown as U+FFFD and whitespace runs collapsed.

    ``validate`` refuses those characters (controls, U+2028, bidi overrides); this keeps a
    page harmless even so (see :func:`generator.textrules.visible_text`).
    """
    return visible_text(text)


def esc(text: str) -> str:
    """Record text as HTML text or attribute value: displays literally, runs nothing."""
    return html.escape(clean_text(text), quote=True)


def safe_url(url: str) -> str | None:
    """The URL escaped for an ``href``, or None unless it is a plain http(s) URL."""
    url = url.strip()
    return html.escape(url, quote=True) if _SAFE_URL.match(url) else None


def rich(segments: Iterable[Segment]) -> str:
    """Segments as HTML: escaped text and MathML (or the escaped TeX if it will not convert)."""
    return "".join(_math_html(value, kind) if kind != "text" else html.escape(value, quote=True)
                   for kind, value in segments)


def _math_html(tex: str, kind: str) -> str:
    """One formula as MathML, a ``display`` one as a block; else its TeX in ``<code>``."""
    display = kind == "display"
    mathml = tex_to_mathml(tex, display=display)
    if mathml is not None:
        return mathml
    dollars = "$$" if display else "$"
    return (f'<code class="pa-tex" title="{TEX_FALLBACK_TITLE}">'
            f"{esc(dollars + tex + dollars)}</code>")


def rich_styled(segments: Iterable[Styled], links: bool = False) -> str:
    """Styled segments as HTML: :func:`rich`, with emphasis as ``<strong>``/``<em>``.

    The segments come from :func:`generator.textrules.rich_segments`.

    The element names come from :data:`generator.textrules.EMPHASIS`, never from the
    record, and each run is closed before the next opens, so the markup is always nested.
    With ``links`` (a paper's abstract; not a teaser, which sits inside a link), each URL
    in the text is a link (:func:`linked_text`).
    """
    text_html = linked_text if links else functools.partial(html.escape, quote=True)
    out: list[str] = []
    shown: tuple[str, ...] = ()
    for kind, value, style in segments:
        same = 0
        while same < min(len(shown), len(style)) and shown[same] == style[same]:
            same += 1
        out += [f"</{name}>" for name in reversed(shown[same:])]
        out += [f"<{name}>" for name in style[same:]]
        shown = style
        out.append(_math_html(value, kind) if kind != "text" else text_html(value))
    out += [f"</{name}>" for name in reversed(shown)]
    return "".join(out)


def linked_text(text: str) -> str:
    """Text as HTML with each URL in it a link to itself: the one place links are made.

    A URL is what :data:`generator.textrules.URL_RE` finds (so ``github.com/a/b`` too,
    pointing at ``https://``), trimmed of the sentence's punctuation; the link is written
    only when the target is a plain http(s) URL (:func:`safe_url`).  Its text is the URL as
    written, escaped; ``rel="nofollow"``, since the record's author, not the archive,
    vouches for it.  Everything else is escaped text, so ``javascript:`` or a quote stays
    text.
    """
    # Every URL holds "://" or, for a code host without a scheme, ".co": a plain substring
    # test spares 4 in 5 abstracts the URL scan, 20 times slower.
    if "://" not in text and ".co" not in text.lower():
        return html.escape(text, quote=True)
    out: list[str] = []
    pos = 0
    for match in URL_RE.finditer(text):
        url = trim_url(match.group())
        target = safe_url(link_target(url))
        if target is None or url.endswith("://"):
            continue
        out += [html.escape(text[pos:match.start()], quote=True),
                f'<a href="{target}" rel="nofollow">{html.escape(url, quote=True)}</a>']
        pos = match.start() + len(url)
    out.append(html.escape(text[pos:], quote=True))
    return "".join(out)


def plain(segments: Iterable[Segment]) -> str:
    """Segments as plain text (math as readable Unicode), for meta descriptions."""
    return "".join(tex_to_text(value) if kind == "tex" else value for kind, value in segments)


def heading_segments(title: str) -> list[Segment]:
    r"""A title as segments, the way page headings and lists show it (math as MathML).

    Titles hold no emphasis (``validate`` refuses it): a ``\\textbf{`` in one is text.
    """
    return split_math(clean_text(title), emphasis=False)


def plain_title(title: str) -> str:
    """A title as plain text (math as readable Unicode), for ``<title>``, search and JSON."""
    return segments_to_text(heading_segments(title))


@lru_cache(maxsize=65536)
def title_html(title: str) -> str:
    """A title as HTML: escaped text and MathML, made once per title (lists repeat them)."""
    return rich(heading_segments(title))


# ------------------------------------------------------------------ page scaffolding


@dataclass(frozen=True)
class Page:
    """One generated page: its path under ``docs/`` and its full text."""

    path: str
    text: str


def href(from_path: str, to_path: str) -> str:
    """Relative link from the page at ``from_path`` to the page at ``to_path``.

    Page URLs are clean relative paths (no ``.`` or ``..`` parts), so the link is the
    climb out of what the two do not share, then the rest of the target: the same as
    ``posixpath.relpath``, which first makes both paths absolute against the working
    directory and was a tenth of rendering at 50,000 papers (a page has dozens of links).
    """
    base = [part for part in url_of(from_path).split("/") if part]
    target = [part for part in url_of(to_path).split("/") if part]
    if "." in base or ".." in base or "." in target or ".." in target:
        rel = posixpath.relpath("/".join(target) or ".", "/".join(base) or ".")
        return "./" if rel == "." else rel + "/"
    shared = 0
    for mine, theirs in zip(base, target, strict=False):
        if mine != theirs:
            break
        shared += 1
    rel = "/".join([".."] * (len(base) - shared) + target[shared:])
    return rel + "/" if rel else "./"


def _front_matter(fields: dict[str, object]) -> str:
    """YAML front matter; values as JSON, which YAML reads as flow scalars and lists."""
    lines = ["---"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _page(path: str, fields: dict[str, object], body: list[str]) -> Page:
    """Front matter, then the body as ONE raw HTML block: no blank line inside it."""
    lines = [line for line in body if line.strip()]
    return Page(path, _front_matter(fields) + "\n".join(lines) + "\n")


def file_href(from_path: str, file_path: str) -> str:
    """Relative link from the page at ``from_path`` to a file (not a page) of the site."""
    return posixpath.relpath(file_path, url_of(from_path) or ".")


def _feed_button(from_path: str, feed_path: str, label: str) -> str:
    return (f'<a class="md-button pa-feed" href="{file_href(from_path, feed_path)}" '
            f'type="application/atom+xml">{label}</a>')


def page_count(items: int, per_page: int) -> int:
    """Pages a listing of ``items`` needs: at least one, so an empty listing has its page."""
    return max(1, -(-items // per_page))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ------------------------------------------------------------------ the archive's structure


@dataclass(frozen=True)
class Index:
    """What several pages need, computed once in one pass over the papers."""

    papers: tuple[Paper, ...]
    tags: dict[str, Tag]
    #: Each tag's papers newest first (:func:`generator.months.newest_first`): its pages'
    #: order, as on arXiv's and Hugging Face's listings and in the tag's feed.
    papers_by_tag: dict[str, list[Paper]]
    related: dict[str, list[tuple[str, int]]]
    groups: list[tuple[str, list[Tag]]]
    resolve: dict[str, str]
    group_of: dict[str, tuple[int, str]]  # tag id -> (group number, group name)
    calendar: Calendar
    #: Related papers per paper id (:mod:`generator.related`); empty when not computed.
    similar: dict[str, list[Related]] = field(default_factory=dict)
    #: The site's absolute base URL (``site_url``), for link previews; "" when unset.
    site_url: str = ""
    by_id: dict[str, Paper] = field(default_factory=dict)
    #: Each paper's BibTeX key, unique across the archive (:func:`citation.cite_keys`).
    cite_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, archive: Archive, similar: dict[str, list[Related]] | None = None,
           site_url: str = "") -> Index:
        """The index of ``archive``, leaving out ids no page can be written for."""
        papers = tuple(p for p in archive.papers if PAPER_ID_RE.match(p.id))
        tags = {t.id: t for t in archive.vocabulary.tags if TAG_ID_RE.match(t.id)}
        resolve = _resolver(archive.vocabulary.tags, tags)
        papers_by_tag: dict[str, list[Paper]] = {tag_id: [] for tag_id in tags}
        pairs: dict[str, Counter[str]] = defaultdict(Counter)
        for paper in newest_first(papers):
            current = sorted({resolve[t] for t in paper.tags if t in resolve})
            for tag_id in current:
                papers_by_tag[tag_id].append(paper)
                for other in current:
                    if other != tag_id:
                        pairs[tag_id][other] += 1
        # A parent and its narrower tags are linked as such on their pages, not again as
        # "related" (a narrower tag's papers all have the parent: it would always lead).
        family = {(t.id, t.parent) for t in tags.values() if t.parent in tags}
        family |= {(b, a) for a, b in family}
        related = {
            tag_id: sorted(((other, n) for other, n in pairs[tag_id].items()
                            if (tag_id, other) not in family),
                           key=lambda kv: (-kv[1], kv[0]))[:RELATED_TAGS]
            for tag_id in tags
        }
        groups = _groups(archive, tags)
        group_of = {tag.id: (number, name) for number, (name, members) in
                    enumerate(groups, start=1) for tag in members}
        return cls(papers, tags, papers_by_tag, related, groups, resolve, group_of,
                   calendar(papers), similar or {}, site_url,
                   {paper.id: paper for paper in papers}, citation.cite_keys(papers))

    def parent_of(self, tag: Tag) -> Tag | None:
        """The tag ``tag`` is a narrower topic of, when it has a page."""
        return self.tags.get(tag.parent) if tag.parent else None

    def narrower(self, tag: Tag) -> list[Tag]:
        """The narrower tags of ``tag`` that have a page, by name."""
        return sorted((t for t in self.tags.values() if t.parent == tag.id), key=_tag_sort_key)

    def tag_ids_of(self, paper: Paper) -> list[str]:
        """The paper's tags that have a page, in record order, aliases followed."""
        out = []
        for tag_id in paper.tags:
            current = self.resolve.get(tag_id)
            if current and current not in out:
                out.append(current)
        return out


def _resolver(all_tags: Sequence[Tag], tags: dict[str, Tag]) -> dict[str, str]:
    """Map every tag id and alias to the current id (ids win over aliases on a clash)."""
    resolve: dict[str, str] = {}
    for tag in all_tags:
        if tag.id in tags:
            for alias in tag.aliases:
                resolve.setdefault(alias, tag.id)
    for tag_id in tags:
        resolve[tag_id] = tag_id
    return resolve


def _groups(archive: Archive, tags: dict[str, Tag]) -> list[tuple[str, list[Tag]]]:
    """Tags by group in vocabulary group order; tags of no known group go last."""
    order = list(dict.fromkeys(archive.vocabulary.groups))
    members: dict[str, list[Tag]] = {name: [] for name in order}
    for tag in tags.values():
        group = tag.group if tag.group in members else OTHER_GROUP
        members.setdefault(group, []).append(tag)
    return [(name, sorted(items, key=_tag_sort_key)) for name, items in members.items() if items]


def _tag_sort_key(tag: Tag) -> tuple[str, str]:
    return (clean_text(tag.name).casefold(), tag.id)


def published_aliases(index: Index) -> list[tuple[str, Tag]]:
    """Each old tag id that keeps its URLs (page and feed), with the tag it now names.

    Sorted by tag, then alias; an alias that is a current id, repeats an earlier one or
    cannot be a URL is left out.  The alias pages and the alias feeds both come from here,
    so every old URL that has one has the other.
    """
    taken = set(index.tags)
    out = []
    for tag in sorted(index.tags.values(), key=lambda t: t.id):
        for alias in sorted(set(tag.aliases)):
            if alias in taken or not TAG_ID_RE.match(alias):
                continue
            taken.add(alias)
            out.append((alias, tag))
    return out


def _alias_pages(archive: Archive, index: Index) -> Iterable[tuple[str, Page]]:
    """A small page at each old tag URL that sends readers to the renamed tag.

    A published URL keeps working after a rename; the page says which tag it comes from.
    """
    for alias, tag in published_aliases(index):
        path = tag_path(alias)
        target = href(path, tag_path(tag.id))
        yield f"alias {alias!r} of tag {tag.id!r} ({layout.TAGS_SOURCE})", _page(path, {
            "title": f"Renamed: {esc(tag.name)}",
            "template": "alias.html",
            "redirect": target,
            "hide": ["navigation", "toc", "footer"],
            "edit_path": "",
            "short_nav": True,
        }, [
            '<div class="pa-alias">',
            f"<h1>This tag is now “{esc(tag.name)}”</h1>",
            f'<p>The tag <code>{esc(alias)}</code> was renamed. Its papers are at '
            f'<a href="{target}">{esc(tag.name)}</a>.</p>',
            "</div>",
        ])


# ------------------------------------------------------------------ fragments


def _chip(from_path: str, tag: Tag, count: int | None = None, narrower: bool = False) -> str:
    number = f' <span class="pa-chip__count">{count}</span>' if count is not None else ""
    css = "pa-chip pa-chip--narrower" if narrower else "pa-chip"
    return (f'<a class="{css}" href="{href(from_path, tag_path(tag.id))}">'
            f"{esc(tag.name)}{number}</a>")


def _chips(from_path: str, tags: Iterable[tuple[Tag, int | None]], label: str) -> str:
    items = "".join(f"<li>{_chip(from_path, tag, count)}</li>" for tag, count in tags)
    return f'<ul class="pa-chips" aria-label="{label}">{items}</ul>' if items else ""


def _paper_item(from_path: str, paper: Paper, *, teaser: bool, date: bool = False,
                byline: bool = False, listed: str = "", day: str = "") -> str:
    """One row of a listing: the title (and code badge), then what the listing asks for.

    ``listed`` is already HTML (a date and rank); ``day`` starts the byline: the date a tag
    page sorts by, so a reader sees why the row is where it is.
    """
    link = f'<a href="{href(from_path, paper_path(paper.id))}">{title_html(paper.title)}</a>'
    extra = CODE_BADGE if paper.code_url else ""
    if date and paper.added:
        extra += f' <span class="pa-date">{esc(paper.added)}</span>'
    if listed:
        extra += f' <span class="pa-date">{listed}</span>'
    if day or (byline and paper.authors):
        parts = [_time(day)] if day else []
        if byline and paper.authors:
            parts.append(esc(_short_authors(paper.authors)))
        extra += f'<div class="pa-byline">{" · ".join(parts)}</div>'
    if teaser:
        extra += f'<div class="pa-teaser">{_teaser_html(paper)}</div>'
    return f"<li>{link}{extra}</li>"


@lru_cache(maxsize=65536)
def _teaser_html(paper: Paper) -> str:
    """A paper's teaser as HTML, made once per paper.

    It appears on every tag page of the paper, on the home page and elsewhere; made again
    for each, its math would be converted again each time.
    """
    return rich_styled(rich_teaser(paper.abstract, TEASER_CHARS))


def _paper_links(paper: Paper) -> str:
    """Outbound links as buttons, the code link first; unsafe URLs are not written.

    With an arXiv id, its abstract page and PDF come first among the paper links, and a
    record link to that same abstract page is not repeated as "Paper".
    """
    links = [(link.kind, LINK_LABELS.get(link.kind, "Link"), link.url) for link in paper.links]
    if paper.arxiv_id:
        links = [item for item in links
                 if metadata.arxiv_id_from_url(item[2]) != paper.arxiv_id]
        links[:0] = [("paper", "arXiv", metadata.arxiv_abs_url(paper.arxiv_id)),
                     ("paper", "PDF", metadata.arxiv_pdf_url(paper.arxiv_id))]
    order = list(LINK_LABELS)
    links.sort(key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    buttons: list[str] = []
    for _, label, raw in links:
        url = safe_url(raw)
        if url is None:
            continue
        style = "md-button md-button--primary" if not buttons else "md-button"
        # nofollow: record links come from strangers.  No noopener: it only matters with
        # target="_blank", which these links do not have.
        buttons.append(f'<a class="{style}" href="{url}" rel="nofollow">{label}</a>')
    return f'<p class="pa-links">{" ".join(buttons)}</p>' if buttons else ""


def _short_authors(authors: Sequence[str]) -> str:
    """``A, B, C, D, E et al.`` (plain text): a byline that stays one line in listings."""
    names = [clean_text(a) for a in authors]
    if len(names) <= AUTHORS_SHOWN + 1:
        return ", ".join(names)
    return ", ".join(names[:AUTHORS_SHOWN]) + " et al."


def _authors(paper: Paper) -> str:
    """The byline of a paper page; a long list is shortened and opens in a <details>.

    Each name is written once: the summary holds the first :data:`AUTHORS_SHOWN`, the
    opened list the rest (it once repeated the first ones, 85 bytes of most such pages).
    """
    if not paper.authors:
        return ""
    names = [esc(a) for a in paper.authors]
    if len(names) <= AUTHORS_SHOWN + 1:
        return f'<p class="pa-authors">{", ".join(names)}</p>'
    rest = names[AUTHORS_SHOWN:]
    return (f'<details class="pa-authors"><summary>{", ".join(names[:AUTHORS_SHOWN])} '
            f'<span class="pa-authors__all">and {len(rest)} more</span></summary>'
            f'<p>{", ".join(rest)}</p></details>')


_MACHINE_DATE = re.compile(r"\A\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")


def _time(date: str) -> str:
    """``<time>`` of a date; its text is the machine-readable value when it is one.

    Then HTML needs no ``datetime`` attribute repeating it (24 bytes a date).
    """
    if _MACHINE_DATE.match(date):
        return f"<time>{date}</time>"
    return f'<time datetime="{esc(date)}">{esc(date)}</time>'


def _dates(index: Index, paper: Paper, path: str) -> str:
    """Published date and each listing, linked to its day on the month pages."""
    parts = []
    if paper.published:
        parts.append(f"Published {_time(paper.published)}")
    shown = []
    for listing in sorted(paper.listings, key=lambda item: (item.date, item.rank)):
        where = index.calendar.where.get((paper.id, listing.date))
        if where is None or listing.date in shown:
            continue
        shown.append(listing.date)
        target = href(path, listing_page_path(month_path(where[0]), where[1]))
        parts.append(f'listed <a href="{target}#day-{esc(listing.date)}">'
                     f"{_time(listing.date)}</a> {rank_html(listing.date, listing.rank)}")
    if not parts:
        return ""
    text = " · ".join(parts)
    return f'<p class="pa-dates">{text[0].upper()}{text[1:]}</p>'


def _categories(paper: Paper) -> str:
    if not paper.categories:
        return ""
    # Styled as plain text by the list's class (site.css): no <span class=...> in each, and
    # not as the tag chips, which are links (these are not).
    items = "".join(f"<li>{esc(c)}</li>" for c in paper.categories)
    return f'<ul class="pa-categories" aria-label="arXiv categories">{items}</ul>'


def _cite(paper: Paper, key: str) -> str:
    """The "Cite" block: the BibTeX entry; ``cite.js`` adds its copy button and status."""
    # Line by line, keeping the indentation esc() would collapse; the entry is made of
    # visible_text() values (generator.citation), so no character in it is not text.
    entry = "\n".join(html.escape(line, quote=True)
                      for line in citation.bibtex(paper, key).split("\n"))
    return ('<section class="pa-cite" aria-labelledby="pa-cite-title">'
            '<h2 id="pa-cite-title">Cite</h2>'
            f'<pre class="pa-bibtex"><code id="pa-bibtex">{entry}</code></pre>'
            "</section>")


# ------------------------------------------------------------------ pages


def paper_page(index: Index, position: int) -> Page:
    """The page of the paper at ``position`` in archive order."""
    paper = index.papers[position]
    path = paper_path(paper.id)
    tag_ids = index.tag_ids_of(paper)
    unknown = [t for t in paper.tags if t not in index.resolve]
    chips = _chips(path, ((index.tags[t], None) for t in tag_ids), "Tags")
    if unknown:
        chips += "".join(f'<span class="pa-chip pa-chip--plain">{esc(t)}</span>' for t in unknown)
    body = [
        '<article class="pa-paper">',
        f"<h1>{title_html(paper.title)}</h1>",
        _authors(paper),
        f'<p class="pa-badges">{CODE_BADGE.strip()}</p>' if paper.code_url else "",
        chips,
        _paper_links(paper),
        _dates(index, paper, path),
        _categories(paper),
        '<section class="pa-abstract" aria-label="Abstract">',
        *(f"<p>{rich_styled(segments, links=True)}</p>"
          for segments in rich_paragraphs(paper.abstract)),
        "</section>",
        _cite(paper, index.cite_keys.get(paper.id) or citation.cite_key(paper)),
        f'<p class="pa-meta">Added {esc(paper.added)}</p>' if paper.added else "",
        _similar_list(index, paper),
        "</article>",
    ]
    description = first_sentence(paper)
    fields: dict[str, object] = {
        "title": esc(plain_title(paper.title)),
        "edit_path": layout.record_source(paper.id),
        "description": esc(description),
        "og_type": "article",
        "lastmod": paper.added,
        "hide": ["toc", "footer"],
        "short_nav": True,
        "json_ld": _scholarly_article(index, paper),
        "cite": True,
    }
    # Highwire tags for Google Scholar: overrides/main.html prints these values as they
    # are, so they are escaped here like every other record text.  After edit_path, which
    # generate's output check looks for near the top of a page.
    tags = citation.highwire(paper)
    if tags:
        fields["citation"] = [[name, esc(content)] for name, content in tags]
    return _page(path, fields, body)


def first_sentence(paper: Paper) -> str:
    """The abstract's first sentence as plain text, math as readable Unicode.

    It is the page's description (for search engines and link previews), which holds
    text only; at most SENTENCE_CHARS, cut at a word.
    """
    paras = paragraphs(paper.abstract)
    if not paras:
        return plain_title(paper.title)
    text = " ".join(plain(paras[0]).split())
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start() + 1] if match else text
    if len(sentence) > SENTENCE_CHARS:
        sentence = sentence[:SENTENCE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return sentence


def plain_abstract(paper: Paper) -> str:
    """The abstract as plain text (math as readable Unicode, no emphasis markup).

    Paragraphs stay apart (a blank line between them), whitespace inside one is one space.
    """
    return "\n\n".join(" ".join(plain(para).split()) for para in paragraphs(paper.abstract))


# A sentence ends at . ! or ? followed by space and a capital or digit ("e.g. the" does not).
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9])")


def script_json(value: object) -> str:
    r"""``value`` as JSON that is safe inside ``<script>``.

    No ``</``, ``<!--`` or line breaks that JavaScript reads differently (``<``, ``>``,
    ``&``, U+2028/9 are ``\u`` escapes).
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def absolute(index: Index, path: str) -> str:
    """The absolute URL of a generated page, or "" when the site has no ``site_url``."""
    if not index.site_url:
        return ""
    return index.site_url.rstrip("/") + "/" + url_of(path)


def _scholarly_article(index: Index, paper: Paper) -> str:
    """JSON-LD ``ScholarlyArticle`` of a paper, for search engines (safe for ``<script>``).

    The ``abstract`` is plain text (:func:`plain_abstract`), as issue 15 asks; no
    ``description``, which would repeat the meta description (the first sentence).  The
    abstract here costs about 1.4 KB a page; the bytes were found elsewhere in the page
    (docs/maintainers/performance.md, "Page diet").
    """
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": plain_title(paper.title),
    }
    abstract = plain_abstract(paper)
    if abstract:
        data["abstract"] = abstract
    url = absolute(index, paper_path(paper.id))
    if url:
        data["url"] = url
    keywords = [clean_text(index.tags[t].name) for t in index.tag_ids_of(paper)]
    if keywords:
        data["keywords"] = keywords
    authors = list(getattr(paper, "authors", ()) or ())
    if authors:
        data["author"] = [{"@type": "Person", "name": clean_text(a)} for a in authors]
    # Only the paper's own date: the day it was imported is not when it was published.
    published = getattr(paper, "published", "")
    if published:
        data["datePublished"] = published
    arxiv_id = getattr(paper, "arxiv_id", "")
    if arxiv_id:
        data["sameAs"] = f"https://arxiv.org/abs/{arxiv_id}"
    code = paper.code_url
    if code and safe_url(code):
        data["codeRepository"] = code
    return script_json(data)


def _similar_list(index: Index, paper: Paper) -> str:
    """Up to five related papers, each with the shared key terms that explain it."""
    path = paper_path(paper.id)
    items = []
    for related in index.similar.get(paper.id, ()):
        other = index.by_id.get(related.paper_id)
        if other is None:
            continue
        # Styled by its place (site.css: the item's span that is not the badge), not by a
        # class in each of five items on 50,000 pages.
        shares = (f' <span>shares: {esc(", ".join(related.shares))}</span>'
                  if related.shares else "")
        badge = CODE_BADGE if other.code_url else ""
        link = f'<a href="{href(path, paper_path(other.id))}">{title_html(other.title)}</a>'
        items.append(f"<li>{link}{badge}{shares}</li>")
    if not items:
        return ""
    return ('<section class="pa-related" aria-labelledby="pa-related-title">'
            '<h2 id="pa-related-title">Related papers</h2>'
            f'<ul class="pa-list pa-list--related">{"".join(items)}</ul></section>')


def pager(first: str, number: int, pages: int, label: str) -> str:
    """Links to the other pages of a listing: previous/next (``rel``) and page numbers.

    Shows the first and last page and :data:`PAGER_WINDOW` pages either side of the
    current one, so a 150-page listing still has a short pager.  The current page is
    marked ``aria-current`` and is not a link.  ``label`` is already escaped.
    """
    if pages <= 1:
        return ""
    here = listing_page_path(first, number)

    def link(to: int, text: str, rel: str = "") -> str:
        rel_attr = f' rel="{rel}"' if rel else ""
        return (f'<a href="{href(here, listing_page_path(first, to))}"{rel_attr}>'
                f"{text}</a>")

    shown = sorted({1, pages} | set(range(max(1, number - PAGER_WINDOW),
                                          min(pages, number + PAGER_WINDOW) + 1)))
    items, previous = [], 0
    for n in shown:
        if n > previous + 1:
            items.append('<li class="pa-pager__gap" aria-hidden="true">…</li>')
        items.append(f'<li><span aria-current="page">{n}</span></li>' if n == number
                     else f"<li>{link(n, str(n))}</li>")
        previous = n
    prev = link(number - 1, "Previous", "prev") if number > 1 else ""
    nxt = link(number + 1, "Next", "next") if number < pages else ""
    return (f'<nav class="pa-pager" aria-label="Pages of {label}">'
            f'{prev}<ol class="pa-pager__pages">{"".join(items)}</ol>{nxt}</nav>')


def _range_text(number: int, per_page: int, total: int) -> str:
    first = (number - 1) * per_page + 1
    return f"{first}–{min(number * per_page, total)} of {total}"


def tag_pages(index: Index, tag: Tag) -> list[Page]:
    """The tag's listing in pages of :data:`TAG_PAGE_PAPERS`; page 1 at ``/tags/<id>/``."""
    papers = index.papers_by_tag[tag.id]
    pages = page_count(len(papers), TAG_PAGE_PAPERS)
    return [_tag_page(index, tag, number, pages) for number in range(1, pages + 1)]


def _tag_page(index: Index, tag: Tag, number: int, pages: int) -> Page:
    first = tag_path(tag.id)
    path = listing_page_path(first, number)
    papers = index.papers_by_tag[tag.id]
    shown = papers[(number - 1) * TAG_PAGE_PAPERS: number * TAG_PAGE_PAPERS]
    related = [(index.tags[other], n) for other, n in index.related[tag.id]]
    group_number, group = index.group_of[tag.id]
    of_pages = f", page {number} of {pages}" if number > 1 else ""
    # A narrower tag says what it is part of on every page: its papers are listed there too.
    parent = index.parent_of(tag)
    part_of = (f' · part of <a href="{href(path, tag_path(parent.id))}">{esc(parent.name)}</a>'
               if parent else "")
    body = [
        '<article class="pa-tag">',
        f"<h1>{esc(tag.name)}</h1>" if number == 1
        else f'<h1>{esc(tag.name)} <span class="pa-page-of">page {number}</span></h1>',
        f'<p class="pa-meta">{_count(len(papers), "paper")}, newest first · group '
        f'<a href="{href(path, TAGS_INDEX)}#group-{group_number}">{esc(group)}</a>'
        f"{part_of}</p>",
    ]
    if number == 1 and clean_text(tag.description):
        body.append(f'<p class="pa-description">{esc(tag.description)}</p>')
    narrower = index.narrower(tag)
    if number == 1 and narrower:
        # A few chips (one to three today): they say what the broad listing is made of.
        body += ['<p class="pa-narrower-note">Narrower tags, whose papers are all '
                 "listed here too:</p>",
                 _chips(path, ((t, len(index.papers_by_tag[t.id])) for t in narrower),
                        "Narrower tags")]

    heading = "Papers" if pages == 1 else \
        f"Papers {_range_text(number, TAG_PAGE_PAPERS, len(papers))}"
    body.append(f"<h2>{heading}</h2>")
    if shown:
        body += ['<ul class="pa-list">',
                 *(_paper_item(path, p, teaser=True, byline=True, day=listed_day(p))
                   for p in shown), "</ul>"]
    else:
        body.append("<p>No paper has this tag yet.</p>")
    body.append(pager(first, number, pages, esc(tag.name)))
    # After the papers: above them, eight chips filled a phone's first screen (issue 12
    # of the reader trial), and a reader comes to a tag page for its papers.
    if number == 1 and related:
        body += ["<h2>Related tags</h2>", _chips(path, related, "Related tags")]
    body.append(f"<p>{_feed_button(path, tag_feed_path(tag.id), 'Feed of this tag')}</p>")
    body.append("</article>")
    description = clean_text(tag.description) or f"Papers tagged {clean_text(tag.name)}"
    return _page(path, {
        "title": esc(tag.name) + of_pages,
        "description": esc(description[:DESCRIPTION_CHARS]),
        "feed": tag_feed_path(tag.id),
        "feed_title": f"{esc(tag.name)}: newest papers",
        "lastmod": max((p.added for p in papers), default=""),
        "hide": ["toc", "footer"],
        "edit_path": layout.TAGS_SOURCE,
        "short_nav": True,
    }, body)


def tags_index_page(index: Index) -> Page:
    """The tags overview: every tag by group, with its number of papers."""
    path = TAGS_INDEX
    body = [
        '<article class="pa-tags">',
        "<h1>Tags</h1>",
        f"<p>{_count(len(index.tags), 'tag')} in {_count(len(index.groups), 'group')}. "
        "Each tag page lists its papers and the tags most often used with it."
        + (" A narrower tag is shown after the tag it is part of, whose page lists its "
           "papers too." if any(t.parent in index.tags for t in index.tags.values()) else "")
        + "</p>",
        '<p class="pa-sort" hidden>Sort: <button type="button" class="md-button" '
        'data-sort="name" aria-pressed="true">by name</button> <button type="button" '
        'class="md-button" data-sort="count" aria-pressed="false">by count</button></p>',
    ]
    if not index.tags:
        body.append("<p>The tag vocabulary is empty.</p>")
    for number, (group, tags) in enumerate(index.groups, start=1):
        body.append(f'<h2 id="group-{number}">{esc(group)}</h2>')
        body.append('<ul class="pa-taglist" data-sortable>')
        for tag in tags:
            parent = index.parent_of(tag)
            if parent is not None and parent.group == tag.group:
                continue  # shown with its parent, below
            count = len(index.papers_by_tag[tag.id])
            # A parent and its narrower tags are one item, so sorting keeps them together.
            narrower = "".join(
                f"<li>{_chip(path, t, len(index.papers_by_tag[t.id]), narrower=True)}</li>"
                for t in index.narrower(tag))
            family = (f'<ul class="pa-narrower" aria-label="Narrower tags of '
                      f'{esc(tag.name)}">{narrower}</ul>' if narrower else "")
            part_of = (f' <span class="pa-part-of">(part of <a href="'
                       f'{href(path, tag_path(parent.id))}">{esc(parent.name)}</a>)</span>'
                       if parent is not None else "")
            css = ' class="pa-family"' if family else ""
            body.append(f'<li{css} data-name="{esc(tag.name.casefold())}" data-count="{count}">'
                        f"{_chip(path, tag, count)}{part_of}{family}</li>")
        body.append("</ul>")
    body.append("</article>")
    return _page(path, {
        "title": "Tags",
        "description": "All tags of the archive by group, with paper counts.",
        "template": "tags-overview.html",
        "hide": ["toc"],
        "edit_path": layout.TAGS_SOURCE,
    }, body)


def _letter(paper: Paper) -> str:
    key = normalise_title(plain_title(paper.title))[:1].upper()
    return key if "A" <= key <= "Z" else "#"


def _by_letter(index: Index) -> list[tuple[str, list[Paper]]]:
    """Papers by first letter of the title, ``#`` (digits, symbols) first, then A to Z."""
    by_letter: dict[str, list[Paper]] = {}
    for paper in index.papers:
        by_letter.setdefault(_letter(paper), []).append(paper)
    return [(k, by_letter[k]) for k in sorted(by_letter, key=lambda k: (k != "#", k))]


def _letters_nav(from_path: str, letters: list[tuple[str, list[Paper]]], current: str) -> str:
    links = []
    for letter, _ in letters:
        if letter == current:
            links.append(f'<span aria-current="page">{letter}</span>')
        else:
            target = href(from_path, letter_path(_anchor(letter)))
            links.append(f'<a href="{target}">{letter}</a>')
    return f'<nav class="pa-letters" aria-label="Letters">{" ".join(links)}</nav>'


def papers_index_page(index: Index, letters: list[tuple[str, list[Paper]]]) -> Page:
    """The A-Z overview: each letter with its count, linking to the letter's pages.

    The list itself is split by letter (:func:`letter_page`): one page of 48,000 titles
    was 7.9 MB.  Each letter keeps its old anchor (``#letter-a``) here.
    """
    path = PAPERS_INDEX
    body = [
        '<article class="pa-az">',
        "<h1>All papers</h1>",
        f"<p>{_count(len(index.papers), 'paper')}, A to Z by title.</p>",
        _letters_nav(path, letters, ""),
    ]
    if letters:
        body.append('<ul class="pa-letter-counts">')
        for letter, papers in letters:
            target = href(path, letter_path(_anchor(letter)))
            body.append(f'<li id="letter-{_anchor(letter)}"><a href="{target}">'
                        f'{"0–9 and symbols" if letter == "#" else letter}</a> '
                        f'<span class="pa-meta">{_count(len(papers), "paper")}</span></li>')
        body.append("</ul>")
    body.append("</article>")
    return _page(path, {
        "title": "All papers",
        "description": "Every paper of the archive, A to Z by title.",
        "hide": ["toc"],
        "edit_path": "",
    }, body)


def letter_page(letters: list[tuple[str, list[Paper]]], which: int, number: int) -> Page:
    """Page ``number`` of the letter ``letters[which]``, in pages of :data:`LETTER_PAGE_PAPERS`."""
    letter, papers = letters[which]
    first = letter_path(_anchor(letter))
    pages = page_count(len(papers), LETTER_PAGE_PAPERS)
    name = "0–9 and symbols" if letter == "#" else letter
    path = listing_page_path(first, number)
    shown = papers[(number - 1) * LETTER_PAGE_PAPERS: number * LETTER_PAGE_PAPERS]
    of_pages = f", page {number} of {pages}" if number > 1 else ""
    body = [
        '<article class="pa-az">',
        f"<h1>Papers: {name}</h1>",
        f'<p class="pa-meta">{_count(len(papers), "paper")}'
        + (f", {_range_text(number, LETTER_PAGE_PAPERS, len(papers))}" if pages > 1 else "")
        + f' · <a href="{href(path, PAPERS_INDEX)}">all letters</a></p>',
        _letters_nav(path, letters, letter),
        '<ul class="pa-list pa-list--compact">',
        *(_paper_item(path, p, teaser=False) for p in shown),
        "</ul>",
        pager(first, number, pages, f"letter {name}"),
        "</article>",
    ]
    return _page(path, {
        "title": f"Papers: {name}{of_pages}",
        "description": f"Papers of the archive whose title starts with {name}.",
        "hide": ["toc"],
        "edit_path": "",
        "short_nav": True,
    }, body)


def _anchor(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


# ------------------------------------------------------------------ browsing by date


def month_name(month: str) -> str:
    """``2025-03`` -> ``March 2025``."""
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def day_name(date: str) -> str:
    """``2025-03-07`` -> ``7 March 2025``."""
    return f"{int(date[8:10])} {month_name(date[:7])}"


def months_index_page(index: Index) -> Page:
    """Every month with a listing, by year, newest first, with its count of papers."""
    path = MONTHS_INDEX
    cal = index.calendar
    listed = sum(len(m.items) for m in cal.months)
    papers = len({item.paper.id for m in cal.months for item in m.items})
    # A paper listed in two months is on both months' pages: say what each number counts.
    of_papers = f"{papers:,} paper{'s' if papers != 1 else ''}"
    counted = (of_papers.replace("paper", "listed paper", 1) if listed == papers
               else f"{listed:,} listings of {of_papers}")
    body = [
        '<article class="pa-months">',
        "<h1>Browse by date</h1>",
        f"<p>{counted} in {_count(len(cal.months), 'month')}, newest "
        "first. Each month lists its papers day by day, in the order of the listing they "
        "appeared in.</p>" if cal.months else "<p>No paper has a listing date yet.</p>",
    ]
    for year, months in cal.by_year():
        body.append(f'<h2 id="year-{year}">{year}</h2>')
        body.append('<ul class="pa-monthlist">' + "".join(
            f'<li><a href="{href(path, month_path(m.month))}">{month_name(m.month)}</a> '
            f'<span class="pa-chip__count">{len(m.items)}</span></li>' for m in months)
            + "</ul>")
    body.append("</article>")
    return _page(path, {
        "title": "Browse by date",
        "description": "The papers of the archive by the month and day they were listed.",
        "hide": ["toc"],
        "edit_path": "",
    }, body)


def _month_page(month: Month, number: int, newer: Month | None, older: Month | None) -> Page:
    first = month_path(month.month)
    path = listing_page_path(first, number)
    name = month_name(month.month)
    shown = month.page(number)
    starts: dict[str, int] = {}
    for position, item in enumerate(month.items):
        starts.setdefault(item.date, position // MONTH_PAGE_PAPERS + 1)
    days_nav = " ".join(
        f'<a href="{href(path, listing_page_path(first, starts[date]))}#day-{date}">'
        f"{int(date[8:10])}</a>" for date, _ in month.days)
    title = name if number == 1 else f"{name}, page {number}"
    body = [
        '<article class="pa-month">',
        f"<h1>{name}</h1>" if number == 1
        else f'<h1>{name} <span class="pa-page-of">page {number}</span></h1>',
        f'<p class="pa-meta">{_count(len(month.items), "paper")} listed on '
        f'{_count(len(month.days), "day")} · <a href="{href(path, MONTHS_INDEX)}">'
        "All months</a></p>",
        f'<nav class="pa-days" aria-label="Days of {name}">Days: {days_nav}</nav>',
    ]
    counts = dict(month.days)
    day = ""
    for item in shown:
        if item.date != day:
            if day:
                body.append("</ul>")
            day = item.date
            continued = starts[day] < number
            label = " (continued)" if continued else ""
            # The id on a continued day too: a paper on this page links its day here.
            body.append(f'<h2 id="day-{day}">{day_name(day)}{label} '
                        f'<span class="pa-day-count">{_count(counts[day], "paper")}</span></h2>')
            body.append('<ul class="pa-list pa-list--ranked">')
        body.append(_paper_item(path, item.paper, teaser=True, byline=True))
    if day:
        body.append("</ul>")
    body.append(pager(first, number, month.pages, name))
    around = []
    if newer is not None:
        around.append(f'<a class="pa-next" rel="next" href="{href(path, month_path(newer.month))}">'
                      f'<span class="pa-dir">Newer</span> {month_name(newer.month)}</a>')
    if older is not None:
        around.append(f'<a class="pa-prev" href="{href(path, month_path(older.month))}">'
                      f'<span class="pa-dir">Older</span> {month_name(older.month)}</a>')
    if around:
        body.append('<nav class="pa-prevnext" aria-label="Other months">' + "".join(around)
                    + "</nav>")
    body.append("</article>")
    return _page(path, {
        "title": title,
        "description": f"Papers listed in {name}, day by day.",
        "hide": ["toc", "footer"],
        "short_nav": True,
        "edit_path": "",
    }, body)


def rank_html(date: str, rank: int) -> str:
    """A paper's rank in a day's listing, said in words: "#8 that day", explained on hover.

    No class (site.css styles it as the one span of the dates): it is on 50,000 pages.
    """
    return (f'<span title="rank {rank} in the {esc(date)} listing">'
            f"#{rank} that day</span>")


def _latest_item(path: str, item: Appearance) -> str:
    return _paper_item(path, item.paper, teaser=True, byline=True,
                       listed=f"{_time(item.date)} {rank_html(item.date, item.rank)}")


def home_page(index: Index) -> Page:
    """The home page: search box, counts, the tags by group and the newest papers."""
    path = HOME
    latest = index.calendar.latest
    body = [
        '<article class="pa-home">',
        "<h1>Paper archive</h1>",
        '<p class="pa-lead">A browsable archive of research-paper abstracts: each paper has '
        "its own page with the abstract, rendered math and links to code, and tags lead to "
        "related work.</p>",
        f'<form class="pa-search" action="{href(path, layout.SEARCH_PAGE)}" method="get"'
        ' role="search"'
        ' aria-label="Search the archive">'
        '<label for="pa-q" class="pa-visually-hidden">Search the archive</label>'
        '<input id="pa-q" type="search" name="q" placeholder="Search titles and abstracts"'
        ' autocomplete="off"> <button type="submit" class="md-button md-button--primary">'
        "Search</button></form>",
        f'<p class="pa-stats"><a href="{href(path, PAPERS_INDEX)}"><strong>'
        f"{len(index.papers)}</strong> papers</a> · <a href=\"{href(path, TAGS_INDEX)}\">"
        f"<strong>{len(index.tags)}</strong> tags</a>"
        + (f' · <a href="{href(path, MONTHS_INDEX)}"><strong>{len(index.calendar.months)}'
           "</strong> months</a>" if index.calendar.months else "") + "</p>",
    ]
    if index.groups:
        body.append("<h2>Browse by topic</h2>")
        for group, tags in index.groups:
            body.append(f"<h3>{esc(group)}</h3>")
            ranked = sorted(tags, key=lambda t: (-len(index.papers_by_tag[t.id]),
                                                 *_tag_sort_key(t)))
            body.append(_chips(path, ((t, len(index.papers_by_tag[t.id])) for t in ranked),
                               esc(group)))
    if latest:
        body += ["<h2>Latest</h2>", '<ul class="pa-list">',
                 *(_latest_item(path, item) for item in latest), "</ul>"]
    if index.calendar.months:
        months = index.calendar.months[:HOME_MONTHS]
        body += ['<h2>Browse by date</h2>', '<ul class="pa-monthlist">', *(
            f'<li><a href="{href(path, month_path(m.month))}">{month_name(m.month)}</a> '
            f'<span class="pa-chip__count">{len(m.items)}</span></li>' for m in months),
            f'<li><a href="{href(path, MONTHS_INDEX)}">All months</a></li>', "</ul>"]
    body.append(f'<p><a href="{href(path, PAPERS_INDEX)}">All papers A–Z</a> · '
                f'<a href="{href(path, TAGS_INDEX)}">All tags</a> · '
                f'<a href="{href(path, MONTHS_INDEX)}">By date</a> · '
                f'<a href="{href(path, STATS_PAGE)}">Statistics</a> · '
                f'<a href="{href(path, layout.ABOUT_PAGE)}">About</a> · '
                f'{_feed_button(path, SITE_FEED, "Feed of new papers")}</p>')
    body.append("</article>")
    return _page(path, {
        "title": "Home",
        "description": "A browsable archive of research-paper abstracts, tagged by topic.",
        "hide": ["toc"],
        "edit_path": "",
    }, body)


# ------------------------------------------------------------------ the plan of the site


@dataclass(frozen=True)
class PagePlan:
    """A page not yet rendered: its path, what it shows (``key``) and how to render it.

    ``key`` is a digest of exactly the data the page shows, so a page whose key is the one
    it had at the last ``generate`` would render to the same text and need not be rendered
    (see :mod:`generator.cache`).  ``None``: a page with no key, rendered every time (the
    home page, the overviews and redirects: a handful, and they show archive-wide counts).
    Within one generator version only: the cache drops every key when the code changes.
    """

    path: str
    key: str | None
    make: Callable[[], Page]
    #: What the page shows, named in the error if two outputs would share a path.
    source: str = ""


def _digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def plan_site(archive: Archive, index: Index | None = None) -> list[PagePlan]:
    """Every generated page as a :class:`PagePlan`, sorted by path.

    ``index`` is :meth:`Index.of` the archive, passed in when the caller computed it with
    related papers and the site URL (:func:`generator.site.write_pages`).
    """
    index = index or Index.of(archive)
    letters = _by_letter(index)
    papers = {p.id: _digest(p) for p in index.papers}
    plans = [PagePlan(HOME, None, lambda: home_page(index), "the home page"),
             PagePlan(PAPERS_INDEX, None, lambda: papers_index_page(index, letters),
                      "the A-Z list"),
             PagePlan(TAGS_INDEX, None, lambda: tags_index_page(index), "the tags overview")]
    letter_keys = tuple(letter for letter, _ in letters)
    for which, (letter, members) in enumerate(letters):
        pages = page_count(len(members), LETTER_PAGE_PAPERS)
        for number in range(1, pages + 1):
            shown = members[(number - 1) * LETTER_PAGE_PAPERS: number * LETTER_PAGE_PAPERS]
            key = _digest(letter_keys, which, number, len(members),
                          [(p.id, p.title) for p in shown])
            path = listing_page_path(letter_path(_anchor(letter)), number)
            plans.append(PagePlan(path, key,
                                  functools.partial(letter_page, letters, which, number),
                                  f"the A-Z list ({path})"))
    for position, paper in enumerate(index.papers):
        similar = [(r.paper_id, r.shares, index.by_id[r.paper_id].title,
                    bool(index.by_id[r.paper_id].code_url))
                   for r in index.similar.get(paper.id, ()) if r.paper_id in index.by_id]
        tags = [(t, index.resolve.get(t), index.tags[index.resolve[t]].name
                 if t in index.resolve else None) for t in paper.tags]
        shown_at = [index.calendar.where.get((paper.id, item.date)) for item in paper.listings]
        # The cite key depends on the other papers (a clash adds a letter), so it is part
        # of the page's key like its related papers.
        key = _digest(papers[paper.id], similar, tags, index.site_url, shown_at,
                      index.cite_keys.get(paper.id))
        plans.append(PagePlan(paper_path(paper.id), key,
                              functools.partial(paper_page, index, position),
                              f"paper {paper.id!r} ({layout.record_source(paper.id)})"))
    for tag in index.tags.values():
        members = index.papers_by_tag[tag.id]
        pages = page_count(len(members), TAG_PAGE_PAPERS)
        related = [(other, index.tags[other].name, n) for other, n in index.related[tag.id]]
        for number in range(1, pages + 1):
            shown = members[(number - 1) * TAG_PAGE_PAPERS: number * TAG_PAGE_PAPERS]
            parent = index.parent_of(tag)
            family = ((parent.id, parent.name) if parent else None,
                      [(t.id, t.name, len(index.papers_by_tag[t.id]))
                       for t in index.narrower(tag)] if number == 1 else None)
            key = _digest(tag, index.group_of[tag.id], len(members), number,
                          [papers[p.id] for p in shown], related if number == 1 else None,
                          max((p.added for p in members), default=""), family)
            plans.append(PagePlan(listing_page_path(tag_path(tag.id), number), key,
                                  functools.partial(_tag_page, index, tag, number, pages),
                                  f"tag {tag.id!r} ({layout.TAGS_SOURCE})"))
    for source, page in _alias_pages(archive, index):
        plans.append(PagePlan(page.path, None, functools.partial(lambda page: page, page),
                              source))
    plans.append(PagePlan(MONTHS_INDEX, None, lambda: months_index_page(index),
                          "the month listings"))
    plans += _month_plans(index, papers)
    return sorted(plans, key=lambda plan: plan.path)


def _month_plans(index: Index, papers: dict[str, str]) -> list[PagePlan]:
    """Each page of each month, keyed by what it shows.

    Its papers (as listed), the month's days (which decide where each day starts) and the
    neighbouring months' names.
    """
    months = index.calendar.months
    plans = []
    for k, month in enumerate(months):
        newer = months[k - 1] if k else None
        older = months[k + 1] if k + 1 < len(months) else None
        for number in range(1, month.pages + 1):
            shown = [(a.date, a.rank, papers[a.paper.id]) for a in month.page(number)]
            key = _digest(month.month, number, month.pages, month.days, shown,
                          newer and newer.month, older and older.month)
            plans.append(PagePlan(listing_page_path(month_path(month.month), number), key,
                                  functools.partial(_month_page, month, number, newer, older),
                                  f"the listings of {month.month}"))
    return plans


def render_site(archive: Archive, index: Index | None = None) -> list[Page]:
    """Every generated page, sorted by path.  Same archive, same bytes."""
    return [plan.make() for plan in plan_site(archive, index)]
