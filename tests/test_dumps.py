"""The listing parser against its case table and the real seed."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest
import yaml

from generator.dumps import DumpError, parse_listing, read_dump
from tests.conftest import SEED

HERE = Path(__file__).parent / "cases"
CASES = yaml.safe_load((HERE / "listings.yml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_listing_case(case):
    path = HERE / "listings" / case["file"]
    if "error" in case:
        with pytest.raises(DumpError) as err:
            read_dump(path)
        assert case["error"] in str(err.value)
    else:
        entries = read_dump(path)
        assert [[e.title, e.line] for e in entries] == case["entries"]
        assert all(not e.abstract.endswith(" ") for e in entries)


def test_seed_has_262_papers_and_subscribe_is_stripped():
    entries = read_dump(SEED)
    assert len(entries) == 262
    assert entries[0].title.startswith("UAlign: Pushing the Limit")
    assert entries[0].line == 3


def test_jsonl_dump_plain_and_xz(tmp_path):
    rows = [{"title": "T one", "abstract": "A" * 80, "url": "https://arxiv.org/abs/1"},
            {"title": "T two", "abstract": "B" * 80}]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    plain = tmp_path / "d.jsonl"
    plain.write_text(text)
    packed = tmp_path / "d.jsonl.xz"
    packed.write_bytes(lzma.compress(text.encode()))
    for path in (plain, packed):
        entries = read_dump(path)
        assert [(e.title, e.url, e.line) for e in entries] == [
            ("T one", "https://arxiv.org/abs/1", 1), ("T two", "", 2)]


def test_jsonl_bad_line_is_named(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"title": "a", "abstract": "b"}\n{oops\n')
    with pytest.raises(DumpError, match=r"d.jsonl:2: invalid JSON"):
        read_dump(path)


def test_jsonl_metadata_ranks_per_day_and_notes(tmp_path):

    rows = [
        {"title": "One", "abstract": "a" * 60, "date": "2025-01-03", "arxiv_id": "2501.01234v3",
         "authors": [" Ada  Lovelace ", "", 7], "categories": ["cs.LG", "68T50"],
         "published_at": "2025-01-02T10:00:00Z"},
        {"title": "Two", "abstract": "b" * 60, "date": "2025-01-04", "arxiv_id": "hep-th/9901001",
         "url": "https://arxiv.org/abs/2501.00002v1"},
        {"title": "Three", "abstract": "c" * 60, "date": "2025-01-03", "published": "2025-02-30"},
        {"title": "Four", "abstract": "d" * 60, "authors": "not a list"},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    one, two, three, four = read_dump(path)
    assert (one.arxiv_id, one.authors, one.categories, one.published, one.listed, one.rank) == (
        "2501.01234", ("Ada Lovelace",), ("cs.LG",), "2025-01-02", "2025-01-03", 1)
    # a malformed id is left out with a note; the paper's own arXiv URL still names it
    assert (two.arxiv_id, two.rank) == ("2501.00002", 1)
    assert two.notes == ("arxiv_id 'hep-th/9901001' is not a new-style arXiv id; left out",)
    assert (three.rank, three.published, three.notes) == (
        2, "", ("published '2025-02-30' is not a usable date; left out",))
    assert (four.authors, four.listed, four.rank) == ((), "", 1)


def test_listing_entries_are_ranked_in_listing_order():
    entries = parse_listing("Title A\n" + "a" * 60 + "\nTitle B\n" + "b" * 60 + "\n")
    assert [(e.title, e.rank, e.listed) for e in entries] == [
        ("Title A", 1, ""), ("Title B", 2, "")]
