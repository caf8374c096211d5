"""One record file and its Paper: ``archive/papers/<id>.yml``, read strictly, written canonically.

So :func:`load_paper` of :func:`paper_to_yaml` gives the same Paper back.

Loading never raises on bad content: it returns the Paper (when usable) plus a list of
:class:`~generator.model.Problem` so ``validate`` can report every problem in one run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator import dates, metadata, yamlio
from generator.layout import PAPER_SCHEMA, SCHEMA_DIR, reserved_message
from generator.model import Link, Listing, Paper, Problem
from generator.schema import schema_problems
from generator.textrules import emphasis_message, not_text_message, printable

#: Tells editors which schema a record follows (relative to ``papers/``).
RECORD_HEADER = f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{PAPER_SCHEMA}"


def paper_to_yaml(paper: Paper) -> str:
    """The canonical bytes of a record; :func:`load_paper` of them gives ``paper`` back."""
    return yamlio.dump_canonical(paper.to_dict(), RECORD_HEADER, frozenset({"abstract"}))


def _tuple(data: dict[str, Any], key: str) -> tuple[Any, ...]:
    value = data.get(key)
    return tuple(value) if isinstance(value, list) else ()


def paper_from_dict(data: dict[str, Any]) -> Paper:
    """A :class:`Paper` from a loaded record mapping (checked by the schema before)."""
    links = tuple(
        Link(kind=str(item.get("kind", "")), url=str(item.get("url", "")))
        for item in data.get("links") or [] if isinstance(item, dict)
    )
    return Paper(
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        abstract=str(data.get("abstract", "")),
        tags=tuple(str(t) for t in _tuple(data, "tags")),
        links=links,
        added=str(data.get("added", "")),
        source=str(data.get("source", "")),
        fingerprint=str(data.get("fingerprint", "")),
        authors=tuple(str(a) for a in _tuple(data, "authors")),
        arxiv_id=str(data.get("arxiv_id", "")),
        published=str(data.get("published", "")),
        categories=tuple(str(c) for c in _tuple(data, "categories")),
        listings=tuple(_listing(item) for item in _tuple(data, "listings")
                       if isinstance(item, dict)),
    )


def _listing(item: dict[str, Any]) -> Listing:
    rank = str(item.get("rank", ""))
    return Listing(date=str(item.get("date", "")), source=str(item.get("source", "")),
                   rank=int(rank) if rank.isascii() and rank.isdigit() else 0)


def load_paper(path: Path, schema: dict[str, Any], rel: str | None = None,
               ) -> tuple[Paper | None, list[Problem], yamlio.Document | None]:
    """Load one record file; see :func:`parse_paper`."""
    rel = rel or str(path)
    try:
        doc = yamlio.load_strict(path)
    except yamlio.YamlError as exc:
        return None, [Problem(rel, exc.line, "(file)", exc.message, unreadable=True)], None
    return (*_check_paper(doc, path.stem, schema, rel), doc)


def parse_paper(text: str, stem: str, schema: dict[str, Any], rel: str,
                ) -> tuple[Paper | None, list[Problem]]:
    """Parse and check a record's text as if it were the file ``<stem>.yml``.

    Returns the Paper (None when unusable) and its problems.  Schema problems in some
    fields do not hide a usable Paper, so cross-record checks can still run.
    """
    try:
        doc = yamlio.loads_strict(text)
    except yamlio.YamlError as exc:
        return None, [Problem(rel, exc.line, "(file)", exc.message, unreadable=True)]
    return _check_paper(doc, stem, schema, rel)


def _check_paper(doc: yamlio.Document, stem: str, schema: dict[str, Any], rel: str,
                 ) -> tuple[Paper | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [Problem(rel, 1, "(record)", "must be a mapping of field: value",
                              unreadable=True)]
    problems = schema_problems(doc.data, schema, doc, rel)
    paper = paper_from_dict(doc.data)
    if paper.id != stem:
        problems.append(Problem(rel, doc.line_of(("id",)), "id",
                                f"{paper.id!r} must equal the file name {stem!r}"))
    if isinstance(doc.data.get("added"), str) and not any(p.field == "added" for p in problems):
        problem = dates.date_problem(paper.added)
        if problem:
            problems.append(Problem(rel, doc.line_of(("added",)), "added", problem))
    reserved = reserved_message(paper.id)
    if reserved:
        problems.append(Problem(rel, doc.line_of(("id",)), "id", reserved))
    for name in ("title", "abstract"):
        message = not_text_message(getattr(paper, name)) or emphasis_message(
            getattr(paper, name), allowed=name == "abstract")
        if message:
            problems.append(Problem(rel, doc.line_of((name,)), name, message))
    if paper.title != paper.title.strip() and not any(p.field == "title" for p in problems):
        problems.append(Problem(rel, doc.line_of(("title",)), "title",
                                "starts or ends with a space or line break; delete it"))
    problems += _metadata_problems(paper, doc, rel)
    reported = {problem.field for problem in problems}  # one line per field is enough
    problems += [p for p in _control_problems(doc, rel) if p.field not in reported]
    for i, link in enumerate(paper.links):
        if link.url and not re.match(r"^https?://", link.url, re.IGNORECASE):
            scheme = link.url.split(":", 1)[0] if ":" in link.url else "(none)"
            problems.append(Problem(rel, doc.line_of(("links", i, "url")), f"links.{i}.url",
                                    f"URL scheme {scheme!r} is not allowed; use http or https"))
    return paper, problems


#: Checked as text with their own messages (:func:`_check_paper`, authors' names).
_TEXT_FIELDS = ("title", "abstract", "authors")
#: Single-line values may hold no tab or line break either (a URL, a dump's file name).
_LINE_BREAK_RE = re.compile("[\t\n\r]")


def _control_problems(doc: yamlio.Document, rel: str) -> list[Problem]:
    """Every other string of the record must be text too: no control character at all.

    A NUL or an ESC in ``links[].url`` or ``source`` passed validate and reached a page's
    ``href`` and ``api/papers.csv`` raw; the schema's patterns cannot see every field.
    """
    problems: list[Problem] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if not path and key in _TEXT_FIELDS:
                    continue
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, str):
            message = not_text_message(value)
            if message is None and (match := _LINE_BREAK_RE.search(value)):
                message = (f"contains {printable(match.group())} at character "
                           f"{match.start() + 1}; this field is one line, delete it")
            if message:
                field_name = ".".join(str(part) for part in path)
                problems.append(Problem(rel, doc.line_of(path), field_name, message))

    walk(doc.data, ())
    return problems


def _metadata_problems(paper: Paper, doc: yamlio.Document, rel: str) -> list[Problem]:
    """What the schema's patterns cannot say.

    Real ids and dates, text-only names, one listing per dump (see
    :mod:`generator.metadata`).
    """
    found: list[tuple[tuple[str | int, ...], str | None]] = []
    if paper.arxiv_id and metadata.ARXIV_ID_RE.match(paper.arxiv_id):
        found.append((("arxiv_id",), metadata.arxiv_id_problem(paper.arxiv_id)))
    if paper.published and metadata.DATE_RE.match(paper.published):
        found.append((("published",), metadata.date_problem(paper.published)))
    for i, name in enumerate(paper.authors):
        found.append((("authors", i), not_text_message(name)))
    sources: set[str] = set()
    for i, listing in enumerate(paper.listings):
        if metadata.DATE_RE.match(listing.date):
            found.append((("listings", i, "date"), metadata.date_problem(listing.date)))
        if listing.source in sources:
            found.append((("listings", i, "source"),
                          f"{listing.source!r} is listed twice; one listing per dump"))
        sources.add(listing.source)
    return [Problem(rel, doc.line_of(path), ".".join(map(str, path)), message)
            for path, message in found if message]
