"""Record metadata fields (authors, arxiv_id, published, categories, listings).

What ``validate`` says about each, how they are written and read back, how the schema's
bounds agree with :mod:`generator.metadata`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from generator import dates, metadata
from generator.archive import load_archive
from generator.model import Link, Listing, Paper
from generator.records import paper_to_yaml, parse_paper
from generator.schema import load_schema
from tests.conftest import ARCHIVE

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "record_fields.yml").read_text("utf-8"))
HEAD = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: "a-paper"
title: "A Paper"
"""
TAIL = """\
abstract: |-
  An abstract that is long enough to satisfy the schema's minimum length rule.
tags: []
links: []
added: "2026-11-28"
source: "manual"
"""


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_record_field_case(case, empty_archive):
    text = HEAD + case["yaml"].rstrip("\n").replace("\\u202e", "\u202e") + "\n" + TAIL
    (empty_archive / "papers" / "a-paper.yml").write_text(text, encoding="utf-8")
    problems = [str(p).removeprefix("archive/papers/a-paper.yml:")
                for p in load_archive(empty_archive)[1]]
    expected = [p.replace("{next_year}", str(dt.date.today().year + 1))
                for p in case["problems"]]
    assert problems == expected


FULL = Paper(
    id="a-paper", title="A Paper", abstract="An abstract long enough for the schema, " * 3,
    tags=("vision",), links=(Link("paper", "https://arxiv.org/abs/2501.01234"),),
    added="2026-11-28", source="daily.jsonl", authors=("Ada Lovelace", "Zoë O'Brien \"Z\""),
    arxiv_id="2501.01234", published="2025-01-02", categories=("cs.LG", "stat.ML"),
    listings=(Listing("2025-01-03", "daily.jsonl", 3), Listing("2026-11-28", "seed.txt", 12)),
)


@pytest.mark.parametrize("paper", [
    FULL,
    Paper(id="a-paper", title="A Paper", abstract=FULL.abstract, added="2026-11-28",
          source="manual"),
    Paper(id="a-paper", title="A Paper", abstract=FULL.abstract, added="2026-11-28",
          source="x.txt", listings=(Listing("2026-11-28", "x.txt", 1),)),
], ids=["every field", "no metadata", "listing only"])
def test_metadata_round_trips_to_identical_bytes(paper):
    schema = load_schema(ARCHIVE)
    text = paper_to_yaml(paper)
    loaded, problems = parse_paper(text, paper.id, schema, "a-paper.yml")
    assert problems == []
    assert loaded == paper
    assert paper_to_yaml(loaded) == text


def test_fields_absent_from_a_record_without_them():
    text = paper_to_yaml(Paper(id="a", title="A", abstract="x" * 60, added="2026-01-01",
                               source="manual"))
    for name in ("authors", "arxiv_id", "published", "categories", "listings"):
        assert f"\n{name}:" not in text


def test_listings_do_not_count_as_an_edit_and_metadata_does():
    stamped = FULL
    stamped = Paper(**{**stamped.__dict__, "fingerprint": stamped.content_fingerprint()})
    more = Paper(**{**stamped.__dict__, "listings": ()})
    assert not more.edited
    renamed = Paper(**{**stamped.__dict__, "authors": ("Ada King",)})
    assert renamed.edited


def test_the_largest_rank_is_the_schema_s():
    properties = json.loads((ARCHIVE / "schema" / "paper.schema.json").read_text())["properties"]
    rank = re.compile(properties["listings"]["items"]["properties"]["rank"]["pattern"])
    assert rank.match(str(metadata.MAX_RANK)) and not rank.match(str(metadata.MAX_RANK + 1))


@pytest.mark.parametrize(("raw", "expected"), [
    ("2501.01234", "2501.01234"), ("2501.01234v3", "2501.01234"),
    ("arXiv:2405.15738v1", "2405.15738"), (" 1412.1234 ", "1412.1234"),
    ("2513.01234", ""), ("hep-th/9901001", ""), ("2501.1234", ""), ("", ""),
])
def test_normalise_arxiv_id(raw, expected):
    assert metadata.normalise_arxiv_id(raw) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://arxiv.org/abs/2405.15738", "2405.15738"),
    ("http://arxiv.org/abs/2405.15738v2", "2405.15738"),
    ("https://arxiv.org/pdf/2405.15738v2.pdf", "2405.15738"),
    ("https://arxiv.org/abs/2405.15738/extra", ""),
    ("https://example.org/abs/2405.15738", ""),
    ("https://github.com/a/b", ""),
])
def test_arxiv_id_from_url(url, expected):
    assert metadata.arxiv_id_from_url(url) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (["cs.CV", "I.2.7", "68T50", "cs.CV", "cond-mat.stat-mech", "physics.comp-ph", "math-ph"],
     ("cs.CV", "cond-mat.stat-mech", "physics.comp-ph", "math-ph")),
    ([None, 3, "cs.LG "], ("cs.LG",)),
])
def test_normalise_categories(raw, expected):
    assert metadata.normalise_categories(raw) == expected


def test_normalise_authors_and_dates():
    assert metadata.normalise_authors(["  Ada   Lovelace ", "", None, "B"]) == ("Ada Lovelace", "B")
    assert metadata.normalise_date("2024-05-24T00:00:00.000Z") == "2024-05-24"
    assert metadata.normalise_date("2024-02-30") == ""
    assert metadata.normalise_date("yesterday") == ""


def test_merge_listings_one_per_dump_in_a_fixed_order():
    a, b = Listing("2025-01-03", "a.jsonl", 3), Listing("2024-06-01", "b.txt", 1)
    assert metadata.merge_listings([a], [b]) == metadata.merge_listings([b], [a]) == (b, a)
    assert metadata.merge_listings([a], [Listing("2030-01-01", "a.jsonl", 1)]) == (a,)


def test_two_records_with_one_arxiv_id(empty_archive):
    for pid in ("first", "second"):
        paper = Paper(id=pid, title=pid.title() + " Paper", abstract=FULL.abstract,
                      added="2026-01-01", source="manual", arxiv_id="2501.01234")
        (empty_archive / "papers" / f"{pid}.yml").write_text(paper_to_yaml(paper), "utf-8")
    problems = [str(p) for p in load_archive(empty_archive)[1]]
    assert problems == ["archive/papers/second.yml:7: arxiv_id: same arXiv id as "
                        "archive/papers/first.yml"]


def test_a_paper_s_own_dates_follow_the_one_date_rule(monkeypatch):
    """``published`` and listing dates are checked by dates.py's rule, with an earlier end.

    metadata.py used to state its own first year beside dates.py's first day, so moving
    one would have left the other behind.
    """
    today = dt.date(2026, 6, 1)
    assert metadata.date_problem("2027-12-31", today) is None
    assert "out of range" in metadata.date_problem("2028-01-01", today)
    assert dates.date_problem("2028-01-01", today) is None  # `added` may run ahead
    monkeypatch.setattr(dates, "EARLIEST", dt.date(2000, 1, 1))
    assert "out of range" in metadata.date_problem("1995-01-01", today)
