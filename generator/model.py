"""The archive's typed model: Paper, Tag, Vocabulary, Archive and Problem.

Everything after loading works on these immutable objects, never on raw dicts.  This module
knows nothing of files: :mod:`generator.records` maps a Paper to its YAML file,
:mod:`generator.vocabulary` reads ``tags.yml`` and :mod:`generator.archive` loads it all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.identity import normalise_title

LINK_KINDS = ("code", "paper", "project", "data")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the archive, printed as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Link:
    kind: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper.  ``abstract`` is clean text: paragraphs split by blank lines, ``$math$``."""

    id: str
    title: str
    abstract: str
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    added: str = ""
    source: str = ""
    fingerprint: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.abstract.split("\n\n") if p.strip())

    @property
    def code_url(self) -> str | None:
        return next((link.url for link in self.links if link.kind == "code"), None)

    def content_fingerprint(self) -> str:
        """Hash of what a contributor may edit; compared with ``fingerprint``."""
        payload = json.dumps(
            [self.title, self.abstract, list(self.tags),
             [[link.kind, link.url] for link in self.links]],
            ensure_ascii=False,
        )
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def edited(self) -> bool:
        """True when the record no longer matches what a tool last wrote."""
        return self.fingerprint != self.content_fingerprint()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "tags": list(self.tags),
            "links": [{"kind": link.kind, "url": link.url} for link in self.links],
            "added": self.added,
            "source": self.source,
        }
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


def archive_order(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    """Archive order: A-Z by title (case-insensitive), id breaking ties.  Deterministic."""
    return tuple(sorted(papers, key=lambda p: (normalise_title(p.title), p.title, p.id)))
