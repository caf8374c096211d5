"""The tagging policy, asserted over the committed archive (docs/maintainers/tagging.md)."""

from __future__ import annotations

from collections import Counter

import pytest

from generator import tagcmd
from generator.archive import load_archive
from generator.model import Archive
from tests.conftest import ARCHIVE


@pytest.fixture(scope="module")
def archive() -> Archive:
    loaded, problems = load_archive(ARCHIVE)
    assert [str(p) for p in problems] == []
    return loaded


def test_vocabulary_size_and_groups(archive: Archive) -> None:
    vocab = archive.vocabulary
    assert 30 <= len(vocab.tags) <= 70
    assert {t.group for t in vocab.tags} == set(vocab.groups)


def test_every_paper_has_two_to_six_tags(archive: Archive) -> None:
    bad = {p.id: len(p.tags) for p in archive.papers
           if not tagcmd.MIN_TAGS_PER_PAPER <= len(p.tags) <= tagcmd.MAX_TAGS_PER_PAPER}
    assert bad == {}


def test_every_tag_has_three_papers_and_none_is_too_broad(archive: Archive) -> None:
    counts = Counter(t for p in archive.papers for t in p.tags)
    limit = tagcmd.MAX_TAG_SHARE * len(archive.papers)
    assert {t.id: counts[t.id] for t in archive.vocabulary.tags
            if counts[t.id] < tagcmd.MIN_PAPERS_PER_TAG} == {}
    assert {t: n for t, n in counts.items() if n > limit} == {}
    assert tagcmd.report(archive).ok


def test_tags_are_known_and_in_vocabulary_order(archive: Archive) -> None:
    order = {t.id: i for i, t in enumerate(archive.vocabulary.tags)}
    for paper in archive.papers:
        assert all(t in order for t in paper.tags), paper.id
        assert list(paper.tags) == sorted(paper.tags, key=order.__getitem__), paper.id


def test_rules_and_tool_written_tags_agree(archive: Archive) -> None:
    """A rule change must be applied (tags suggest --apply) in the same commit."""
    drift = [s.paper_id for s in tagcmd.suggest(archive) if s.changes and not s.edited]
    assert drift == []
