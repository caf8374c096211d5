"""URLs in abstracts: links on the paper page, text everywhere else, hostile ones inert.

The case table (``tests/cases/abstract_links.yml``) says what a paragraph becomes; the
other tests check the rules every link must follow whatever the input, that the cleaner
turns an HTML link of a listing into its URL at import (so the record is clean), and that
views without markup (teasers, JSON-LD) hold no link.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator import clean, render
from generator.model import Paper
from generator.textrules import anchors_as_text, rich_paragraphs, rich_teaser

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "abstract_links.yml").read_text("utf-8"))
STREAMDIT_END = ('We provide video results and more examples in our project website: '
                 '<a href="https://cumulo-autumn.github.io/StreamDiT/">this https URL.</a>')


def _paper(abstract: str) -> Paper:
    return Paper(id="a-paper", title="A Paper", abstract=abstract, added="2026-01-01",
                 source="d.jsonl")


def _page_paragraph(text: str) -> str:
    return render.rich_styled(rich_paragraphs(text)[0], links=True)


class _Links(HTMLParser):
    """Every element of a fragment, and the attributes and text of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] = (self._open["text"] or "") + data


def _links(fragment: str) -> _Links:
    parser = _Links()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_paragraph_with_urls_as_in_the_case_table(case: dict) -> None:
    assert _page_paragraph(case["text"]) == case["html"]
    if "plain" in case:
        assert render.plain_abstract(_paper(case["text"])) == case["plain"]


HOSTILE = [
    *(case["text"] for case in CASES),
    'x <a href="https://a.org/">https://b.org/"><script>alert(1)</script></a>',
    "<a href='https://a.org'>single quotes</a> <A HREF=\"HTTPS://A.ORG\">upper</A>",
    "https://a.org/<script>alert(1)</script> https://a.org/`x` https://a.org/\\x",
    "JaVaScRiPt:alert(1) https://a.org/?javascript:alert(1) https://a.org/#\"x",
    "https://" + "a" * 5000 + ".org/x",
    "<a href=\"https://a.org\">" + "x" * 400 + "</a>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_link_is_a_plain_http_link_to_its_own_text(text: str) -> None:
    """Whatever the text, only ``<a>`` elements are added, each a nofollow http(s) link.

    A link's text is the URL it points to (or that URL without its ``https://``).
    """
    fragment = _page_paragraph(text)
    parsed = _links(fragment)
    assert set(parsed.tags) <= {"a", "strong", "em", "math", "mrow", "msub", "mi", "mn"}
    for link in parsed.links:
        assert set(link) == {"href", "rel", "text"}, link
        assert link["rel"] == "nofollow"
        href = link["href"] or ""
        assert re.fullmatch(r"https?://[^\s<>\"`\\]+", href, re.IGNORECASE), href
        assert href in (link["text"], "https://" + (link["text"] or "")), link
    assert "<script" not in fragment and "<img" not in fragment


def test_the_cleaner_makes_an_html_link_its_url_at_import() -> None:
    """StreamDiT's abstract (arXiv 2507.03745) as its listing gave it."""
    cleaned = clean.clean_abstract("Our model enables real-time applications. " + STREAMDIT_END)
    assert cleaned.endswith("project website: https://cumulo-autumn.github.io/StreamDiT/.")
    assert "<a" not in cleaned
    assert [link.url for link in clean.extract_links(cleaned)] == [
        "https://cumulo-autumn.github.io/StreamDiT/"]


def test_a_stored_html_link_shows_as_a_re_imported_one_would() -> None:
    """Records imported before the cleaner knew links render the same as after."""
    stored, reimported = STREAMDIT_END, clean.clean_abstract(STREAMDIT_END)
    assert _page_paragraph(stored) == _page_paragraph(reimported)
    assert render.plain_abstract(_paper(stored)) == render.plain_abstract(_paper(reimported))


@pytest.mark.parametrize("text", [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://x.org" onclick="alert(1)">x</a>',
    '<a href="https://x.org/"><b>x</b></a>',
    '<a href="https://x.org/">x</b>',
    "<a href=https://x.org/>unquoted</a>",
])
def test_an_html_link_not_in_the_plain_form_stays_as_it_is(text: str) -> None:
    assert anchors_as_text(text) == text
    assert clean.clean_abstract(text).count("<a") == 1


def test_teasers_and_plain_views_hold_no_link() -> None:
    """A teaser sits inside a link to the paper; JSON-LD and feeds are plain text."""
    paper = _paper("Code at https://github.com/org/repo and github.com/org/other. " * 3)
    assert "<a" not in render.rich_styled(rich_teaser(paper.abstract))
    assert "<a" not in render.plain_abstract(paper) and "<a" not in render.first_sentence(paper)
    assert "https://github.com/org/repo" in render.plain_abstract(paper)
