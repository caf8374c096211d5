"""Built pages of papers with citation metadata.

Highwire meta tags (only with authors and a date, escaped once), a BibTeX entry that
parses, and the month pages linked from home and papers.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from generator.archive import load_archive
from tests.conftest import ARCHIVE, copy_fixture_archive

pytestmark = pytest.mark.build


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.pairs.append((values["name"], values.get("content") or ""))


def _citation_meta(page: Path) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(page.read_text("utf-8"))
    return parser.pairs


def _bibtex(page: Path) -> str:
    match = re.search(r'<code id="pa-bibtex">(.*?)</code>', page.read_text("utf-8"), re.S)
    assert match, page
    return html.unescape(match.group(1))


@pytest.fixture(scope="module")
def fixture_papers(tmp_path_factory):
    archive, problems = load_archive(copy_fixture_archive(tmp_path_factory.mktemp("a") / "a"))
    assert problems == []
    return {p.id: p for p in archive.papers}


def test_meta_tags_only_where_authors_and_a_date_are_known(fixture_site: Path,
                                                           fixture_papers) -> None:
    for paper_id, paper in fixture_papers.items():
        pairs = _citation_meta(fixture_site / "papers" / paper_id / "index.html")
        if paper.authors and (paper.published or paper.arxiv_id):
            assert pairs[0] == ("citation_title", paper.title)
            assert [v for k, v in pairs if k == "citation_author"] == list(paper.authors)
            assert ("citation_arxiv_id", paper.arxiv_id) in pairs
        else:
            assert pairs == [], paper_id


def test_hostile_authors_are_one_meta_tag_each_escaped_once(fixture_site: Path) -> None:
    page = fixture_site / "papers" / "hostile-record" / "index.html"
    authors = [v for k, v in _citation_meta(page) if k == "citation_author"]
    assert authors[0] == "Robert\"><script>alert('author')</script>"
    assert len(authors) == 4
    assert "&amp;amp;" not in page.read_text("utf-8").split("</head>")[0]


@pytest.mark.parametrize("paper_id", ["hostile-record", "attention-on-graphs"])
def test_the_built_bibtex_parses_back(fixture_site: Path, fixture_papers, paper_id) -> None:
    library = bibtexparser.parse_string(_bibtex(fixture_site / "papers" / paper_id /
                                                "index.html"))
    assert library.failed_blocks == [] and len(library.entries) == 1
    entry = library.entries[0]
    paper = fixture_papers[paper_id]
    # pylatexenc does not know LaTeX's \textbraceleft and \textbraceright (printed braces).
    title = entry["title"].replace(r"\textbraceleft{}", r"\{").replace(r"\textbraceright{}",
                                                                       r"\}")
    assert LatexNodes2Text().latex_to_text(title) == paper.title
    assert entry["eprint"] == paper.arxiv_id and entry["archivePrefix"] == "arXiv"


def test_month_pages_exist_and_are_linked(fixture_site: Path) -> None:
    home = (fixture_site / "index.html").read_text("utf-8")
    assert 'href="months/2024-03/"' in home and 'href="months/"' in home
    index = (fixture_site / "months" / "index.html").read_text("utf-8")
    assert re.findall(r'href="(\d{4}-\d\d)/"', index) == ["2024-03", "2024-02"]
    march = (fixture_site / "months" / "2024-03" / "index.html").read_text("utf-8")
    assert 'id="day-2024-03-04"' in march
    assert re.findall(r'href="../../papers/([\w-]+)/"', march) == ["hostile-record",
                                                                   "attention-on-graphs"]
    paper = (fixture_site / "papers" / "attention-on-graphs" / "index.html").read_text("utf-8")
    assert 'href="../../months/2024-02/#day-2024-02-10"' in paper


def test_the_seed_pages_carry_no_meta_tags(built_site: Path) -> None:
    archive, _ = load_archive(ARCHIVE)
    for paper in archive.papers[:20]:
        assert _citation_meta(built_site / "papers" / paper.id / "index.html") == []
