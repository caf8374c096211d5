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
        if case.get("idempotent") is False:
            continue
        once = clean_abstract(case["raw"])
        assert clean_abstract(once) == once, case["name"]


def test_title_cleaning_uses_the_same_rules():
    assert clean_title("  Aky\\\"urek's  \\%-Scaling ") == "Akyürek's %-Scaling"


def test_cleaner_removes_exactly_what_validate_refuses():
    """The cleaner and textrules.NOT_TEXT_RE agree on every code point.

    Tab and line ends aside, so a cleaned scrape is never refused and nothing valid is
    dropped.
    """
    from generator import clean, textrules

    # Characters the cleaner turns into plain spaces or drops although they are text.
    spacing = set("\u200b\u200c\u200d\ufeff")
    for point in [*range(0x10000), 0x1F642, 0x1FFFE, 0x10FFFF]:
        char = chr(point)
        if char in "\t\n\r":
            continue
        survives = char in clean._whitespace(f"a{char}b")
        if textrules.NOT_TEXT_RE.match(char):
            assert not survives, hex(point)
        elif char not in spacing and not char.isspace():
            assert survives, hex(point)


def test_cleaned_scrape_is_accepted_by_validate():
    from generator.textrules import not_text_message

    raw = "A\x00B\x07C\x1bD\x7fE\x85F\u2028G\u2029H\u202aI\u202eJ\u2066K\u2069L\ufffeM"
    for cleaned in (clean_title(raw), clean_abstract(raw)):
        assert not_text_message(cleaned) is None
        assert cleaned.replace(" ", "") == "ABCDEFGHIJKLM"
