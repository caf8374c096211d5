"""The cleaner against its case table, and against the seed's tricky papers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.clean import clean_abstract, clean_title, extract_links

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "clean.yml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_clean_case(case):
    assert clean_abstract(case["raw"]) == case["clean"]
    if "links" in case:
        found = [{"kind": link.kind, "url": link.url} for link in extract_links(case["clean"])]
        assert found == case["links"]


def test_cleaning_is_idempotent_on_every_case():
    for case in CASES:
        once = clean_abstract(case["raw"])
        assert clean_abstract(once) == once, case["name"]


def test_title_cleaning_uses_the_same_rules():
    assert clean_title("  Aky\\\"urek's  \\%-Scaling ") == "Akyürek's %-Scaling"
