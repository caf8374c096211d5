"""The listing parser against its case table and the real seed."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest
import yaml

from generator.dumps import DumpError, read_dump
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
