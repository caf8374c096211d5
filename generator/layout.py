"""Where things live: the archive's files, every generated page's path and URL, reserved ids.

The one place that knows the layout of the repository and of the site::

    archive/papers/<id>.yml    one Paper per file (the source of truth)
    archive/tags.yml           the tag vocabulary
    archive/tag_training.yml   hand-judged tags the learned tag layer is trained on
    archive/schema/*.json      JSON Schemas (also used by editors via the header comment)
    archive/dumps/             raw dumps as imported, for provenance

    docs/index.md              home page                     /
    docs/papers/index.md       all papers, A-Z               /papers/
    docs/papers/<id>.md        one paper                     /papers/<id>/
    docs/papers/letter/<a>.md  the A-Z list, one letter      /papers/letter/<a>/
    docs/tags/index.md         tags overview                 /tags/
    docs/tags/<id>.md          one tag (or an old tag id)    /tags/<id>/
    .../page/<n>.md            page n of a long listing      /tags/<id>/page/<n>/
    docs/search/index.md       search page                   /search/
    docs/search/index/         search index files and lunr.js
    docs/contributing.md       copy of CONTRIBUTING.md       /contributing/

Pages are MkDocs pages with ``use_directory_urls``: ``papers/<id>.md`` is served at
``papers/<id>/``.  URLs here are relative to the site root, without a leading slash, so
the site works under any base path.  The browser code gets the URL forms from the search
manifest (:data:`URL_FORMS`), not from a copy of its own.

Ids become file names and URLs beside the fixed pages, so a name a generated page uses is
reserved (:data:`RESERVED_IDS`): ``validate`` refuses it as a paper id, tag id or alias, and
new ids are never derived as one.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# ------------------------------------------------------------------ the archive

#: The archive folder, relative to the project (the folder holding mkdocs.yml).
ARCHIVE_DIR = "archive"
PAPERS_DIR = "papers"
TAGS_FILE = "tags.yml"
SCHEMA_DIR = "schema"
DUMPS_DIR = "dumps"
PAPER_SCHEMA = "paper.schema.json"
TAGS_SCHEMA = "tags.schema.json"
#: The hand-judged tags the learned tag layer is trained on (generator/tagmodel.py).
TRAINING_FILE = "tag_training.yml"
TRAINING_SCHEMA = "tag-training.schema.json"


@dataclass(frozen=True)
class Layout:
    """Paths of an archive rooted at ``root`` (the folder holding ``papers/``)."""

    root: Path

    @classmethod
    def of_project(cls, project: Path) -> Layout:
        """The archive of the project at ``project`` (the folder holding mkdocs.yml)."""
        return cls(project / ARCHIVE_DIR)

    @property
    def papers_dir(self) -> Path:
        """The folder of the paper records, ``archive/papers/``."""
        return self.root / PAPERS_DIR

    @property
    def tags_file(self) -> Path:
        """The curated vocabulary, ``archive/tags.yml``."""
        return self.root / TAGS_FILE

    @property
    def training_file(self) -> Path:
        """The hand-judged tags, ``archive/tag_training.yml``."""
        return self.root / TRAINING_FILE

    @property
    def dumps_dir(self) -> Path:
        """Where raw dumps are kept once imported, ``archive/dumps/``."""
        return self.root / DUMPS_DIR

    @property
    def schema_dir(self) -> Path:
        """The JSON Schemas of records and vocabulary, ``archive/schema/``."""
        return self.root / SCHEMA_DIR

    @property
    def import_journal(self) -> Path:
        """The renames an import is making, ``archive/.import-journal.json`` (git-ignored).

        Present only while an import renames, or after it was killed part-way; see
        :func:`generator.files.finish_journal`.
        """
        return self.root / ".import-journal.json"

    def paper_path(self, paper_id: str) -> Path:
        """The record file of ``paper_id``."""
        return self.papers_dir / f"{paper_id}.yml"

    def paper_files(self) -> list[Path]:
        """Every record file, sorted (the archive's order); none if no ``papers/``."""
        return sorted(self.papers_dir.glob("*.yml")) if self.papers_dir.exists() else []

    def rel(self, path: Path) -> str:
        """``path`` as problems name it: relative to the archive's parent when inside it."""
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)


def record_source(paper_id: str) -> str:
    """The repository path of a paper's record (what "edit this page" opens)."""
    return f"{ARCHIVE_DIR}/{PAPERS_DIR}/{paper_id}.yml"


#: The repository path of the vocabulary (what "edit" opens on a tag page).
TAGS_SOURCE = f"{ARCHIVE_DIR}/{TAGS_FILE}"

# ------------------------------------------------------------------ the site's pages
# Paths are relative to MkDocs' docs_dir, in POSIX form.

HOME = "index.md"
PAPERS_INDEX = f"{PAPERS_DIR}/index.md"
TAGS_DIR = "tags"
TAGS_INDEX = f"{TAGS_DIR}/index.md"
SEARCH_DIR = "search"
SEARCH_PAGE = f"{SEARCH_DIR}/index.md"
#: The search index files, lunr.js and the manifest.
SEARCH_INDEX_DIR = f"{SEARCH_DIR}/index"
ABOUT_PAGE = "about.md"
STATS_PAGE = "stats.md"
MONTHS_DIR = "months"
MONTHS_INDEX = f"{MONTHS_DIR}/index.md"
#: The Atom feeds (:mod:`generator.feeds`): files, not pages, served at these paths.
FEEDS_DIR = "feeds"
SITE_FEED = f"{FEEDS_DIR}/all.xml"
#: The static API (:mod:`generator.api`) and robots.txt: files, not pages.
API_DIR = "api"
ROBOTS = "robots.txt"
CONTRIBUTING_PAGE = "contributing.md"
#: Folders that generate owns entirely: anything else in them is stale and removed.
GENERATED_DIRS = (PAPERS_DIR, TAGS_DIR, MONTHS_DIR)
#: Everything generate writes at the top of docs/ (all of it git-ignored); the rest of
#: docs/ is written by hand.
GENERATED_AREAS = (HOME, CONTRIBUTING_PAGE, STATS_PAGE, ROBOTS, *GENERATED_DIRS, SEARCH_DIR,
                   FEEDS_DIR, API_DIR)


def tag_feed_path(tag_id: str) -> str:
    """The Atom feed of one tag, ``feeds/tags/<id>.xml``."""
    return f"{FEEDS_DIR}/{TAGS_DIR}/{tag_id}.xml"


def paper_page(paper_id: str) -> str:
    """The page of a paper, ``papers/<id>.md``, served at ``/papers/<id>/``."""
    return f"{PAPERS_DIR}/{paper_id}.md"


def tag_page(tag_id: str) -> str:
    """The page of a tag, or of a tag's former id (a redirect to its new page)."""
    return f"{TAGS_DIR}/{tag_id}.md"


#: One letter of the A-Z list: ``papers/letter/<a..z|other>/``.  Paper ids have no ``/``,
#: so no paper page can ever sit at such a path.
LETTER_DIR = f"{PAPERS_DIR}/letter"


def month_path(month: str) -> str:
    """First page of a month's listings, ``months/<YYYY-MM>/``.

    Page n is ``months/<YYYY-MM>/page/<n>/`` (:func:`listing_page_path`).
    """
    return f"{MONTHS_DIR}/{month}.md"


def letter_path(anchor: str) -> str:
    """One letter's page of the A-Z list (``anchor``: ``a`` to ``z`` or ``other``)."""
    return f"{LETTER_DIR}/{anchor}.md"


def listing_page_path(first: str, number: int) -> str:
    """Page ``number`` (from 1) of the listing whose first page is ``first``.

    Page 1 keeps the listing's own path, so a published URL (``/tags/<id>/``) stays the
    first page; page n is ``<listing>/page/<n>/`` (``tags/<id>/page/2.md``).
    """
    if number <= 1:
        return first
    stem = first[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/page/{number}.md" if stem else f"page/{number}.md"


def url_of(path: str) -> str:
    """The URL (relative to the site root) MkDocs serves the docs file ``path`` at.

    ``x.md`` and ``x/index.md`` are both ``x/``; the home page is ``""``; other files keep
    their path.
    """
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    for index in ("index", "README"):  # MkDocs serves README.md as the folder's page too
        if stem == index:
            return ""
        if stem.endswith("/" + index):
            return stem[: -len(index)]
    return stem + "/"


def site_file(path: str) -> str:
    """The file of the built site that the docs file ``path`` becomes."""
    url = url_of(path)
    return url + "index.html" if path.endswith(".md") else url


def paper_url(paper_id: str) -> str:
    """The published URL of a paper's page, relative to the site root."""
    return url_of(paper_page(paper_id))


def tag_url(tag_id: str) -> str:
    """The published URL of a tag's page, relative to the site root."""
    return url_of(tag_page(tag_id))


#: URL forms the browser code fills in (``{id}``), shipped in the search manifest.
URL_FORMS = {
    "paper": paper_url("{id}"),
    "tag": tag_url("{id}"),
    "search": url_of(SEARCH_PAGE),
    # where a search that found nothing sends the reader: the tags overview, the A-Z list
    "tags": url_of(TAGS_INDEX),
    "papers": url_of(PAPERS_INDEX),
}



def template_values() -> dict[str, str]:
    """What the theme templates (``overrides/``) need of the layout.

    :mod:`generator.hooks` sets it as ``config.extra.layout``: page URLs for the ``url``
    filter and the record sources the edit button names, so no template restates a path.
    """
    return {
        "papers": url_of(PAPERS_INDEX),
        "tags": url_of(TAGS_INDEX),
        "search": url_of(SEARCH_PAGE),
        "search_index": SEARCH_INDEX_DIR + "/",
        "record_prefix": f"{ARCHIVE_DIR}/{PAPERS_DIR}/",
        "tags_source": TAGS_SOURCE,
    }


# ------------------------------------------------------------------ reserved ids

#: Names that may not be a paper id, tag id or tag alias, and why.  ``index`` is the page
#: of the folder itself (the A-Z list, the tags overview); ``page`` and ``letter`` are the
#: folders of listing pages (``papers/page/2/``, ``papers/letter/a/``): a paper or tag of
#: that name would have its URL where readers expect a listing.
RESERVED_IDS = {
    "index": "papers/index.md and tags/index.md are the A-Z list and the tags overview",
    "page": "the numbered pages of long lists are .../page/<n>/",
    "letter": "papers/letter/<a>/ are the A-Z list by letter",
}


def reserved_message(name: str) -> str | None:
    """Why ``name`` may not be an id, or None if it may."""
    reason = RESERVED_IDS.get(name)
    if reason is None:
        return None
    return f"{name!r} is a reserved name ({reason}); choose another"


# ------------------------------------------------------------------ one output, one path


class OutputCollision(ValueError):
    """Two generated outputs would land on the same file; nothing was written."""


def refuse_collisions(outputs: Iterable[tuple[str, str]]) -> None:
    """Raise :class:`OutputCollision` if two ``(docs path, source)`` outputs share a file.

    Compared by the file of the built site, so ``x.md`` and ``x/index.md`` collide too.
    The message names both sources, so the reader knows which record to change.
    """
    seen: dict[str, tuple[str, str]] = {}
    for path, source in outputs:
        key = site_file(posixpath.normpath(path))
        if key in seen:
            first_path, first_source = seen[key]
            where = path if path == first_path else f"{first_path} and {path}"
            raise OutputCollision(f"{where}: {first_source} and {source} would both "
                                  f"become {key} in the site; rename one of them")
        seen[key] = (path, source)
