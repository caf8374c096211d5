"""The archive's typed model: Paper, Tag, Vocabulary, Archive and Problem.

Everything after loading works on these immutable objects, never on raw dicts.  This module
knows nothing of files: :mod:`generator.records` maps a Paper to its YAML file,
:mod:`generator.vocabulary` reads ``tags.yml`` and :mod:`generator.archive` loads it all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.identity import normalise_title

LINK_KINDS = ("code", "paper", "project", "data")


#: What a problem is about: one paper record, the vocabulary (``tags.yml``), the archive
#: as a whole (no papers folder, an unreadable schema), or the hand-judged papers the
#: learned tag layer is trained on (``tag_training.yml``: with a problem there the layer is
#: off, which changes what the tools suggest but not the site).  Callers decide by kind,
#: never by the text of a path (a record named ``...-tags.yml`` is still a record).
RECORD, VOCABULARY, ARCHIVE, TRAINING = "record", "vocabulary", "archive", "training"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the archive, printed as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    kind: str = RECORD
    #: A warning is shown (by ``validate``, as a ``::warning`` annotation on a pull request)
    #: but stops nothing: it names what a maintainer should look at, not a broken archive.
    #: Two kinds of rule are warnings: a paper with fewer tags than the policy asks for (an
    #: import of real papers leaves a few with one tag where the rules found no second
    #: topic; issue 13 accepts up to 10%), and the archive-wide limits of the tagging
    #: policy (a tag too broad or too thin: about the vocabulary, not about a record, see
    #: :mod:`generator.tagpolicy`).  The site must still build from both.
    warning: bool = False
    #: The file cannot be read as data at all (not YAML, not a mapping, not there), as
    #: opposed to merely invalid.  Stated by the reader that found it, never inferred from
    #: the field's text: a schema problem of the whole record (an unknown field) is also
    #: named ``(record)``, and it leaves the record readable.
    unreadable: bool = False

    def __str__(self) -> str:
        """The problem as every command prints it: ``path:line: field: message``."""
        severity = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.field}: {severity}{self.message}"


@dataclass(frozen=True)
class Link:
    """An outbound link of a paper: its kind (code, paper, project, data) and URL."""

    kind: str
    url: str


@dataclass(frozen=True, order=True)
class Listing:
    """One appearance of a paper in a dump: when it was listed, at which rank, in which dump.

    Ordered by date, then source, then rank: the order a record keeps them in, so the
    same history is the same bytes whatever order the dumps were imported in.
    """

    date: str
    source: str
    rank: int


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
        """The abstract's non-empty paragraphs."""
        return tuple(p for p in self.abstract.split("\n\n") if p.strip())

    @property
    def code_url(self) -> str | None:
        """The first code link, which pages and search results show as a badge."""
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
        """The record's fields in file order, as written to ``papers/<id>.yml``."""
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
    #: Narrower tags that make this broad one redundant: not suggested next to them.
    yields_to: tuple[str, ...] = ()
    #: Words of the tag's field, one of which the title or abstract must hold for the tag
    #: to be a candidate at all (empty: no such condition).  For a domain tag whose
    #: phrases also name things outside it ("X-ray" baggage scans, "CT" of wooden logs).
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag:
    """A tag of the vocabulary, with its rules and the old ids it replaced."""

    id: str
    name: str
    description: str
    group: str
    rules: TagRules = field(default_factory=TagRules)
    aliases: tuple[str, ...] = ()
    #: The broader tag this one is a narrower topic of ("" for none): a paper with this
    #: tag always has the parent too (:func:`close_under_parents`).  One level only.
    parent: str = ""


def close_under_parents(tags: Iterable[str], parents: Mapping[str, str]) -> tuple[str, ...]:
    """``tags`` with each narrower tag's parent added right after it, each tag once.

    The one home of the rule "a paper with a narrower tag has its parent too": the
    taggers, the hand-judged data (a judgement of *Quantization* is one of *Efficiency*
    as well) and the evaluations all close their sets through here.  ``parents`` maps a
    tag id to its parent's id (:meth:`Vocabulary.parents`); one level, so one pass.
    """
    out: dict[str, None] = {}
    for tag in tags:
        out[tag] = None
        parent = parents.get(tag)
        if parent:
            out[parent] = None
    return tuple(out)


@dataclass(frozen=True)
class JudgedPaper:
    """One paper of ``archive/tag_training.yml``: its text and its hand-judged tags."""

    key: str
    source: str
    split: str
    title: str
    abstract: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The tags in ``tags.yml`` order, and the groups they are shown in.

    ``training`` holds the hand-judged papers of ``archive/tag_training.yml`` that the
    learned tag layer (:mod:`generator.tagmodel`) is trained on; empty, the rules alone
    choose the tags.
    """

    groups: tuple[str, ...]
    tags: tuple[Tag, ...]
    training: tuple[JudgedPaper, ...] = ()
    #: Why the learned layer is off although ``tag_training.yml`` exists (one line naming
    #: its first problem), for the tools that suggest tags to say; "" when it is on or
    #: there is no such file.
    training_off: str = ""

    def by_id(self) -> dict[str, Tag]:
        """Tags by current id (aliases not included)."""
        return {tag.id: tag for tag in self.tags}

    def parents(self) -> dict[str, str]:
        """Each narrower tag's id -> its parent's id (tags without a parent left out)."""
        return {tag.id: tag.parent for tag in self.tags if tag.parent}

    def children(self) -> dict[str, tuple[str, ...]]:
        """Each parent's id -> its narrower tags' ids, in vocabulary order."""
        out: dict[str, list[str]] = {}
        for tag in self.tags:
            if tag.parent:
                out.setdefault(tag.parent, []).append(tag.id)
        return {parent: tuple(ids) for parent, ids in out.items()}

    def closed(self, tags: Iterable[str]) -> tuple[str, ...]:
        """``tags`` with their parents (:func:`close_under_parents`)."""
        return close_under_parents(tags, self.parents())

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
        """The paper with ``paper_id`` (which must exist)."""
        return next(p for p in self.papers if p.id == paper_id)


def archive_order(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    """Archive order: A-Z by title (case-insensitive), id breaking ties.  Deterministic."""
    return tuple(sorted(papers, key=lambda p: (normalise_title(p.title), p.title, p.id)))
