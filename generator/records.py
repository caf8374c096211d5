"""The archive's typed records: Paper and Tag, how they map to files, and how they load.

This is the one place that knows the on-disk layout of the archive::

    archive/papers/<id>.yml    one Paper per file (the source of truth)
    archive/tags.yml           the tag vocabulary
    archive/schema/*.json      JSON Schemas (also used by editors via the header comment)
    archive/dumps/             raw dumps as imported, for provenance

Everything after loading works on the immutable objects defined here, never on raw dicts.
Loading never raises on bad content: it returns the valid objects plus a list of
:class:`Problem` so ``validate`` can report every problem in one run.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from slugify import slugify

from generator import metadata, yamlio
from generator.metadata import Listing

# \Z, not $: Python's $ also matches before a final newline, and "x\n" is no id.
PAPER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
TAG_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\Z")
LINK_KINDS = ("code", "paper", "project", "data")
PAPER_FIELDS = ("id", "title", "authors", "abstract", "tags", "links", "arxiv_id", "published",
                "categories", "listings", "added", "source", "fingerprint")
#: Ids are cut at a word boundary to stay readable in URLs.
ID_MAX_LENGTH = 60
MAX_VOCABULARY_BYTES = 1024 * 1024
#: Characters that are not text: controls (tab and newlines aside), non-characters, what
#: YAML and JavaScript read as line breaks (U+2028, U+2029), and the bidi embedding,
#: override and isolate controls, which reorder everything after them up to the end of the
#: paragraph: a title ending in U+202E shows the page's next words backwards.
#: One positive character class (not "[^text]|[bidi]"): a scan with it is 3x faster, and
#: pages show titles and teasers many times over.
NOT_TEXT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the archive, printed as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def visible_text(text: str) -> str:
    """Record text as a reader should see it: whitespace runs collapsed, and characters that
    are not text (:data:`NOT_TEXT_RE`) shown as U+FFFD, so nothing invisible acts on the page.

    ``validate`` refuses such characters; this is the fallback for every output.
    """
    return " ".join(NOT_TEXT_RE.sub("\ufffd", text).split())


def not_text_message(text: str) -> str | None:
    """Why ``text`` is refused for holding a character that is not text, or None."""
    match = NOT_TEXT_RE.search(text)
    if match is None:
        return None
    char = match.group()
    name = unicodedata.name(char, "a control character")
    return (f"contains U+{ord(char):04X} ({name}) at character {match.start() + 1}, which "
            "is not text; delete it")


@dataclass(frozen=True)
class Link:
    kind: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper.  ``abstract`` is clean text: paragraphs split by blank lines, ``$math$``.

    ``authors``, ``arxiv_id``, ``published``, ``categories`` and ``listings`` are empty
    unless a source gave them (see :mod:`generator.metadata`); a record written to disk
    holds only the ones that are not empty.
    """

    id: str
    title: str
    abstract: str
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    added: str = ""
    source: str = ""
    fingerprint: str = ""
    authors: tuple[str, ...] = ()
    arxiv_id: str = ""
    published: str = ""
    categories: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.abstract.split("\n\n") if p.strip())

    @property
    def code_url(self) -> str | None:
        return next((link.url for link in self.links if link.kind == "code"), None)

    def content_fingerprint(self) -> str:
        """Hash of what a contributor may edit; compared with ``fingerprint``.

        The metadata fields join the hash only when one is set, so records without them
        (the seed's) keep the fingerprint they were written with.  ``listings`` is the
        importer's own bookkeeping, not an edit, and stays out.
        """
        content: list[Any] = [self.title, self.abstract, list(self.tags),
                              [[link.kind, link.url] for link in self.links]]
        if self.authors or self.arxiv_id or self.published or self.categories:
            content.append([list(self.authors), self.arxiv_id, self.published,
                            list(self.categories)])
        payload = json.dumps(content, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def edited(self) -> bool:
        """True when the record no longer matches what a tool last wrote."""
        return self.fingerprint != self.content_fingerprint()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.authors:
            data["authors"] = list(self.authors)
        data["abstract"] = self.abstract
        data["tags"] = list(self.tags)
        data["links"] = [{"kind": link.kind, "url": link.url} for link in self.links]
        if self.arxiv_id:
            data["arxiv_id"] = self.arxiv_id
        if self.published:
            data["published"] = self.published
        if self.categories:
            data["categories"] = list(self.categories)
        if self.listings:
            data["listings"] = [{"date": item.date, "source": item.source,
                                 "rank": str(item.rank)} for item in self.listings]
        data["added"] = self.added
        data["source"] = self.source
        if self.fingerprint:
            data["fingerprint"] = self.fingerprint
        return data


@dataclass(frozen=True)
class TagRules:
    """Phrases that suggest a tag; see :mod:`generator.tagging` for how they are scored."""

    keywords: tuple[str, ...] = ()
    title_keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_score: int = 0


@dataclass(frozen=True)
class Tag:
    id: str
    name: str
    description: str
    group: str
    rules: TagRules = field(default_factory=TagRules)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[str, ...]
    tags: tuple[Tag, ...]

    def by_id(self) -> dict[str, Tag]:
        return {tag.id: tag for tag in self.tags}

    def resolve(self, tag_id: str) -> str | None:
        """Current id for ``tag_id``, following aliases (old ids of renamed tags)."""
        for tag in self.tags:
            if tag.id == tag_id or tag_id in tag.aliases:
                return tag.id
        return None


@dataclass(frozen=True)
class Archive:
    """Everything later stages read: papers in archive order and the vocabulary."""

    papers: tuple[Paper, ...]
    vocabulary: Vocabulary

    def paper(self, paper_id: str) -> Paper:
        return next(p for p in self.papers if p.id == paper_id)


# ------------------------------------------------------------------ layout and naming


@dataclass(frozen=True)
class Layout:
    """Paths of an archive rooted at ``root`` (the folder holding ``papers/``)."""

    root: Path

    @property
    def papers_dir(self) -> Path:
        return self.root / "papers"

    @property
    def tags_file(self) -> Path:
        return self.root / "tags.yml"

    @property
    def dumps_dir(self) -> Path:
        return self.root / "dumps"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    def paper_path(self, paper_id: str) -> Path:
        return self.papers_dir / f"{paper_id}.yml"

    def paper_files(self) -> list[Path]:
        return sorted(self.papers_dir.glob("*.yml")) if self.papers_dir.exists() else []


RECORD_HEADER = "# yaml-language-server: $schema=../schema/paper.schema.json"


def normalise_title(title: str) -> str:
    """Key for duplicate detection: transliterated, lower case, punctuation dropped."""
    return slugify(title, separator=" ")


def derive_id(title: str, taken: Iterable[str]) -> str:
    """A new paper id from its title, unique among ``taken`` (``-2``, ``-3``... on clash)."""
    base = slugify(title, max_length=ID_MAX_LENGTH, word_boundary=True, save_order=True) or "paper"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: ID_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def paper_to_yaml(paper: Paper) -> str:
    """The canonical bytes of a record; :func:`load_paper` of them gives ``paper`` back."""
    return yamlio.dump_canonical(paper.to_dict(), RECORD_HEADER, frozenset({"abstract"}))


# ------------------------------------------------------------------ loading


def _schema(layout: Layout, name: str) -> dict[str, Any]:
    path = layout.schema_dir / name
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _validator(schema_json: str) -> Any:
    """One compiled validator per schema: building it is most of the cost of a check."""
    from jsonschema import Draft202012Validator, validators

    checker = validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})
    return checker(json.loads(schema_json))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` as JSON Schema means it: an ECMA-262 regex, where ``$`` ends the text.

    jsonschema uses Python's ``re``, whose ``$`` also matches before a final newline, so
    ``"old-id\\n"`` would pass ``^[a-z0-9-]+$`` and become a file name and a URL with a
    newline in them, while an editor (ECMA semantics) rejects it.
    """
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=64)
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with each ``$`` anchor (not escaped, not in a class) as ``\\Z``."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def schema_problems(data: Any, schema: dict[str, Any], doc: yamlio.Document,
                    rel: str) -> list[Problem]:
    """JSON Schema violations as Problems, pointing at the offending line."""
    problems = []
    validator = _validator(json.dumps(schema, sort_keys=True))
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.path)
        field_name = ".".join(str(p) for p in path) or "(record)"
        problems.append(Problem(rel, doc.line_of(path), field_name, _schema_message(error)))
    return problems


def _schema_message(error: Any) -> str:
    """Plain-English messages for the schema keywords contributors will actually hit."""
    kind, value, inst = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        return f"missing required field {', '.join(missing)}"
    if kind == "additionalProperties":
        extra = sorted(k for k in inst if k not in error.schema.get("properties", {}))
        return f"unknown field {', '.join(extra)}"
    if kind == "minLength":
        if value == 1:
            return "must not be empty"
        return f"is too short ({len(inst)} characters, minimum {value})"
    if kind == "maxLength":
        return f"is too long ({len(inst)} characters, maximum {value})"
    if kind == "pattern":
        return f"{inst!r} does not match the expected form {value}"
    if kind == "enum":
        return f"{inst!r} is not one of {', '.join(value)}"
    if kind == "type":
        expected = {"array": "a list", "object": "a mapping", "string": "text"}.get(value, value)
        return f"must be {expected}"
    if kind == "uniqueItems":
        return "has duplicate entries"
    if kind == "minItems":
        return "must not be empty (leave the field out instead)" if value == 1 \
            else f"needs at least {value} entries"
    if kind == "maxItems":
        return f"has {len(inst)} entries, maximum {value}"
    return error.message


def _tuple(data: dict[str, Any], key: str) -> tuple:
    value = data.get(key)
    return tuple(value) if isinstance(value, list) else ()


def paper_from_dict(data: dict[str, Any]) -> Paper:
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
        return None, [Problem(rel, exc.line, "(file)", exc.message)], None
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
        return None, [Problem(rel, exc.line, "(file)", exc.message)]
    return _check_paper(doc, stem, schema, rel)


def _check_paper(doc: yamlio.Document, stem: str, schema: dict[str, Any], rel: str,
                 ) -> tuple[Paper | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [Problem(rel, 1, "(record)", "must be a mapping of field: value")]
    problems = schema_problems(doc.data, schema, doc, rel)
    paper = paper_from_dict(doc.data)
    if paper.id != stem:
        problems.append(Problem(rel, doc.line_of(("id",)), "id",
                                f"{paper.id!r} must equal the file name {stem!r}"))
    for name in ("title", "abstract"):
        message = not_text_message(getattr(paper, name))
        if message:
            problems.append(Problem(rel, doc.line_of((name,)), name, message))
    problems += _metadata_problems(paper, doc, rel)
    for i, link in enumerate(paper.links):
        if link.url and not re.match(r"^https?://", link.url, re.IGNORECASE):
            scheme = link.url.split(":", 1)[0] if ":" in link.url else "(none)"
            problems.append(Problem(rel, doc.line_of(("links", i, "url")), f"links.{i}.url",
                                    f"URL scheme {scheme!r} is not allowed; use http or https"))
    return paper, problems


def _metadata_problems(paper: Paper, doc: yamlio.Document, rel: str) -> list[Problem]:
    """What the schema's patterns cannot say: real ids and dates, text-only names, one
    listing per dump (see :mod:`generator.metadata`)."""
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


def load_schema(root: Path, name: str = "paper.schema.json") -> dict[str, Any]:
    return _schema(Layout(root), name)


def _rules_from(data: Any) -> TagRules:
    if not isinstance(data, dict):
        return TagRules()
    try:
        min_score = int(data.get("min_score", 0))
    except ValueError:
        min_score = 0
    return TagRules(
        keywords=tuple(_tuple(data, "keywords")),
        title_keywords=tuple(_tuple(data, "title_keywords")),
        exclude=tuple(_tuple(data, "exclude")),
        min_score=min_score,
    )


def load_vocabulary(layout: Layout) -> tuple[Vocabulary, list[Problem]]:
    """Load ``tags.yml``; a missing file is an empty vocabulary (not yet curated)."""
    path = layout.tags_file
    rel = _rel(path, layout)
    if not path.exists():
        return Vocabulary((), ()), []
    try:
        doc = yamlio.load_strict(path, MAX_VOCABULARY_BYTES)
    except yamlio.YamlError as exc:
        return Vocabulary((), ()), [Problem(rel, exc.line, "(file)", exc.message)]
    problems = []
    schema_file = layout.schema_dir / "tags.schema.json"
    if schema_file.exists():
        problems += schema_problems(doc.data, _schema(layout, "tags.schema.json"), doc, rel)
    data = doc.data if isinstance(doc.data, dict) else {}
    groups = tuple(str(g.get("name", "")) if isinstance(g, dict) else str(g)
                   for g in data.get("groups") or [])
    problems += _not_text_problems(data, doc, rel)
    tags = []
    seen: dict[str, tuple[str, int]] = {}
    for i, item in enumerate(data.get("tags") or []):
        if not isinstance(item, dict):
            continue
        tag = Tag(
            id=str(item.get("id", "")),
            name=str(item.get("name", "")),
            description=str(item.get("description", "")),
            group=str(item.get("group", "")),
            rules=_rules_from(item.get("rules")),
            aliases=tuple(str(a) for a in _tuple(item, "aliases")),
        )
        line = doc.line_of(("tags", i, "id"))
        names = [(tag.id, f"tags.{i}.id", line)] + [
            (alias, f"tags.{i}.aliases.{k}", doc.line_of(("tags", i, "aliases", k)))
            for k, alias in enumerate(tag.aliases)]
        for name, where, at in names:
            if name in seen:
                first_kind, first_line = seen[name]
                problems.append(Problem(rel, at, where, f"{name!r} is already used as "
                                        f"{first_kind} on line {first_line}"))
            else:
                seen[name] = ("an id" if where.endswith(".id") else "an alias", at)
        if groups and tag.group not in groups:
            problems.append(Problem(rel, doc.line_of(("tags", i, "group")), f"tags.{i}.group",
                                    f"unknown group {tag.group!r}; groups are {', '.join(groups)}"))
        problems += _rule_problems(tag, i, doc, rel)
        tags.append(tag)
    return Vocabulary(groups, tuple(tags)), problems


def _not_text_problems(data: dict[str, Any], doc: yamlio.Document, rel: str,
                       ) -> list[Problem]:
    """Group and tag names and descriptions holding characters that are not text."""
    fields = [("groups", "name"), ("groups", "description"), ("tags", "name"),
              ("tags", "description"), ("tags", "group")]
    problems = []
    for section, key in fields:
        items = data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(key) if isinstance(item, dict) else None
            message = not_text_message(value) if isinstance(value, str) else None
            if message:
                problems.append(Problem(rel, doc.line_of((section, i, key)),
                                        f"{section}.{i}.{key}", message))
    return problems


def _rule_problems(tag: Tag, index: int, doc: yamlio.Document, rel: str) -> list[Problem]:
    """Rule phrases that would not compile, pointing at the phrase's own line."""
    from generator.tagging import phrase_problems  # tagging builds on these types

    return [Problem(rel, doc.line_of(("tags", index, "rules", name, k)),
                    f"tags.{index}.rules.{name}.{k}", message)
            for name, k, message in phrase_problems(tag)]


def _rel(path: Path, layout: Layout) -> str:
    try:
        return str(path.relative_to(layout.root.parent))
    except ValueError:
        return str(path)


def archive_order(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    """Archive order: A-Z by title (case-insensitive), id breaking ties.  Deterministic."""
    return tuple(sorted(papers, key=lambda p: (normalise_title(p.title), p.title, p.id)))


class UnreadableRecords(RuntimeError):
    """Some record files cannot be read at all; the message lists them, one per line."""


def load_for_writing(root: Path) -> Archive:
    """Load the archive for a tool that adds or changes records.

    Refuses (raising :class:`UnreadableRecords`) while any record file cannot be read: a
    duplicate title or id could hide in it.  Merely invalid records are fine here; the
    tool's own output is checked separately.
    """
    archive, problems = load_archive(root)
    fatal = [p for p in problems if p.field in ("(file)", "(record)")]
    if fatal:
        raise UnreadableRecords("\n".join(str(p) for p in fatal))
    return archive


def taken_ids(root: Path, archive: Archive) -> set[str]:
    """Ids a new record may not use: loaded ids plus every record file's name."""
    return {p.id for p in archive.papers} | {path.stem for path in Layout(root).paper_files()}


def load_archive(root: Path) -> tuple[Archive, list[Problem]]:
    """Load every record and the vocabulary, returning ALL problems found.

    Papers with problems are still returned when usable, so that ``validate`` can check
    cross-record rules too; callers that build the site refuse to go on if any problem
    is reported.
    """
    layout = Layout(root)
    vocabulary, problems = load_vocabulary(layout)
    if not layout.papers_dir.is_dir():
        problems.append(Problem(_rel(layout.papers_dir, layout), 1, "(archive)",
                                "no papers folder: is --root pointing at the archive?"))
    try:
        schema = _schema(layout, "paper.schema.json")
    except (OSError, ValueError) as exc:
        # Still load the records, so that every other problem is reported too.
        schema = {}
        problems.append(Problem(_rel(layout.schema_dir / "paper.schema.json", layout), 1,
                                "(file)", f"cannot read the record schema: {exc}"))
    loaded: list[_Loaded] = []
    for path in layout.paper_files():
        rel = _rel(path, layout)
        paper, found, doc = load_paper(path, schema, rel)
        problems += found
        if paper is not None and doc is not None:
            loaded.append(_Loaded(paper, rel, doc))
    problems += _cross_record_problems(loaded, vocabulary)
    return Archive(archive_order(item.paper for item in loaded), vocabulary), sorted(problems)


@dataclass(frozen=True)
class _Loaded:
    paper: Paper
    rel: str
    doc: yamlio.Document


def _cross_record_problems(loaded: list[_Loaded], vocabulary: Vocabulary) -> list[Problem]:
    """Rules that need more than one record: unique ids, titles and arXiv ids, known tags."""
    problems: list[Problem] = []
    known = vocabulary.by_id()
    by_title: dict[str, str] = {}
    by_id: dict[str, str] = {}
    by_arxiv: dict[str, str] = {}
    for item in loaded:
        paper, rel, doc = item.paper, item.rel, item.doc
        if paper.id in by_id:
            problems.append(Problem(rel, doc.line_of(("id",)), "id",
                                    f"duplicate id {paper.id!r} (also in {by_id[paper.id]})"))
        by_id.setdefault(paper.id, rel)
        key = normalise_title(paper.title)
        if key and key in by_title:
            problems.append(Problem(rel, doc.line_of(("title",)), "title",
                                    f"same title as {by_title[key]}"))
        by_title.setdefault(key, rel)
        if paper.arxiv_id:
            if paper.arxiv_id in by_arxiv:
                problems.append(Problem(rel, doc.line_of(("arxiv_id",)), "arxiv_id",
                                        f"same arXiv id as {by_arxiv[paper.arxiv_id]}"))
            by_arxiv.setdefault(paper.arxiv_id, rel)
        if vocabulary.tags:
            for i, tag in enumerate(paper.tags):
                if tag not in known:
                    current = vocabulary.resolve(tag)
                    hint = f" (renamed: use {current!r})" if current else ""
                    problems.append(Problem(rel, doc.line_of(("tags", i)), f"tags.{i}",
                                            f"unknown tag {tag!r}{hint}"))
    return problems
