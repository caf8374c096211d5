"""Limits: record bounds come from the schema, the tag policy from one module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import limits
from generator.importer import run_import
from generator.limits import RecordLimits
from tests.conftest import ARCHIVE

REPO = Path(__file__).resolve().parent.parent


def test_record_bounds_are_the_schema_s():
    schema = json.loads((ARCHIVE / "schema" / "paper.schema.json").read_text("utf-8"))
    fields = schema["properties"]
    assert limits.committed() == RecordLimits(
        title_max=fields["title"]["maxLength"], abstract_min=fields["abstract"]["minLength"],
        abstract_max=fields["abstract"]["maxLength"], tags_max=fields["tags"]["maxItems"],
        links_max=fields["links"]["maxItems"], authors_max=fields["authors"]["maxItems"],
        author_chars_max=fields["authors"]["items"]["maxLength"],
        categories_max=fields["categories"]["maxItems"],
        listings_max=fields["listings"]["maxItems"])


def test_a_schema_without_a_bound_is_refused_not_guessed():
    with pytest.raises(ValueError, match="no maxLength for 'title'"):
        RecordLimits.from_schema({"properties": {"title": {}}})
    schema = json.loads((ARCHIVE / "schema" / "paper.schema.json").read_text("utf-8"))
    del schema["properties"]["authors"]["items"]["maxLength"]
    with pytest.raises(ValueError, match="no maxLength for 'authors' items"):
        RecordLimits.from_schema(schema)


def test_import_applies_the_target_archive_s_schema(empty_archive, tmp_path):
    """Tightening a bound in the archive's schema is all it takes to change the import."""
    path = empty_archive / "schema" / "paper.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    schema["properties"]["title"]["maxLength"] = 40
    path.write_text(json.dumps(schema), encoding="utf-8")
    dump = tmp_path / "dump.jsonl"
    abstract = "An abstract long enough for the schema, about a method and its results."
    dump.write_text(json.dumps({"title": "A title of well over forty characters, surely",
                                "abstract": abstract}) + "\n", encoding="utf-8")
    report = run_import(dump, empty_archive, today="2026-01-01", dry_run=True)
    assert report.rejected == [(1, "title longer than 40 characters")]


def test_limits_are_stated_only_in_limits_and_the_schema():
    """No other module restates a record bound or the tag policy.

    The copies in five places had drifted; the policy's numbers are the tags schema's
    (x-tag-policy).  The links, authors, categories and listings bounds were restated in
    merge.py and metadata.py after that.
    """
    stated = ("MAX_TAG_SHARE =", "MIN_PAPERS_PER_TAG =", "MIN_TAGS_PER_PAPER =",
              "MAX_TAGS_PER_PAPER =", "MAX_TITLE_CHARS =", "MIN_ABSTRACT_CHARS =",
              "MAX_ABSTRACT =", "= 0.35", "10000", "than 3 papers", "MAX_LINKS =",
              "MAX_AUTHORS =", "MAX_AUTHOR_CHARS =", "MAX_CATEGORIES =", "MAX_LISTINGS =")
    for path in (REPO / "generator").glob("*.py"):
        if path.name != "limits.py":
            text = path.read_text(encoding="utf-8")
            assert not [s for s in stated if s in text], path.name


def test_the_docs_state_the_limits_the_code_applies():
    contributing = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    bounds = limits.committed()
    assert f"{bounds.abstract_min} to {bounds.abstract_max:,} characters" in contributing


def test_what_the_schema_states_and_the_code_compiles_agree():
    """Id forms and link kinds are the schema's; the code's compiled copies must match."""
    from generator.identity import PAPER_ID_RE, TAG_ID_RE
    from generator.model import LINK_KINDS
    from generator.render import LINK_LABELS

    paper = json.loads((ARCHIVE / "schema" / "paper.schema.json").read_text("utf-8"))
    tags = json.loads((ARCHIVE / "schema" / "tags.schema.json").read_text("utf-8"))
    fields = paper["properties"]
    assert PAPER_ID_RE.pattern == fields["id"]["pattern"].replace("$", "\\Z")
    assert TAG_ID_RE.pattern == fields["tags"]["items"]["pattern"].replace("$", "\\Z")
    assert TAG_ID_RE.pattern == \
        tags["properties"]["tags"]["items"]["properties"]["id"]["pattern"].replace("$", "\\Z")
    assert list(LINK_KINDS) == fields["links"]["items"]["properties"]["kind"]["enum"]
    assert set(LINK_LABELS) == set(LINK_KINDS)
