"""Citing a paper: the BibTeX entry parses back to what the record says.

It is read with bibtexparser, an independent reader, hostile names included; titles are
checked against a case table of real and hostile titles (``tests/cases/bibtex_titles.yml``)
and against what TeX would do with them; Highwire meta tags exist only when both authors
and a date are known.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
import yaml
from pylatexenc.latex2text import LatexNodes2Text

from generator import citation
from generator.model import Link, Paper

ABSTRACT = "An abstract long enough to be a real one, with some words in it."
HOSTILE_NAMES = (
    "Robert\"><script>alert('author')</script>",
    "}, title = {Injected}, x = {",
    "Tom and Jerry, Jr.",
    "\\input{/etc/passwd} 100% & #1 $x$ ^_~ {{ config.site_name }}",
    "@misc{evil, title={x}}",
    "Zoë Ångström-Ó Briain",
    "AND",
)


def _paper(**fields) -> Paper:
    base = {"id": "a-paper", "title": "A Paper", "abstract": ABSTRACT, "added": "2026-01-01",
            "source": "d.jsonl"}
    return Paper(**{**base, **fields})


def _split_names(value: str) -> list[str]:
    """Split an author field at `` and `` outside braces, as BibTeX does."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and value[i:i + 5].lower() == " and ":
            names.append(value[start:i])
            start = i = i + 5
            continue
        i += 1
    return [*names, value[start:]]


def _text(latex: str) -> str:
    # pylatexenc does not know LaTeX's \textbraceleft and \textbraceright (printed braces).
    latex = latex.replace(r"\textbraceleft{}", r"\{").replace(r"\textbraceright{}", r"\}")
    return LatexNodes2Text().latex_to_text(latex).replace("ˆ", "^")


def _parse(entry: str) -> dict[str, str]:
    library = bibtexparser.parse_string(entry)
    assert library.failed_blocks == [] and len(library.entries) == 1, entry
    parsed = library.entries[0]
    return {"type": parsed.entry_type, "key": parsed.key,
            **{f.key: f.value for f in parsed.fields}}


def test_arxiv_paper_entry_parses_back_to_the_record() -> None:
    paper = _paper(title="Diffusion Models: $O(n)$ Sampling & 100% More",
                   authors=("Ada Lovelace", "Émilie du Châtelet"), arxiv_id="2501.01234",
                   published="2025-01-02", categories=("cs.LG", "stat.ML"))
    fields = _parse(citation.bibtex(paper))
    assert fields["type"] == "misc" and fields["key"] == "lovelace2025diffusion"
    assert fields["title"] == r"Diffusion Models: {$O(n)$} Sampling \& 100\% More"
    assert _text(fields["title"]) == "Diffusion Models: O(n) Sampling & 100% More"
    assert [_text(n) for n in _split_names(fields["author"])] == list(paper.authors)
    assert (fields["year"], fields["month"]) == ("2025", "jan")
    assert (fields["eprint"], fields["archivePrefix"], fields["primaryClass"]) == (
        "2501.01234", "arXiv", "cs.LG")
    assert fields["url"] == "https://arxiv.org/abs/2501.01234"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_stays_one_author_of_one_entry(name: str) -> None:
    paper = _paper(authors=("First Author", name, "Last Author"), published="2024-03-01")
    fields = _parse(citation.bibtex(paper))
    assert set(fields) == {"type", "key", "title", "author", "year", "month"}
    names = [_text(n) for n in _split_names(fields["author"])]
    assert names == ["First Author", name, "Last Author"]
    assert _text(fields["title"]) == "A Paper"


def test_hostile_title_and_url_stay_inside_their_fields() -> None:
    paper = _paper(title="}, author = {Mallory}, note = {", links=(
        Link("paper", "https://example.org/{a}%20#x_y~z"),))
    fields = _parse(citation.bibtex(paper))
    assert set(fields) == {"type", "key", "title", "url"}
    assert _text(fields["title"]) == paper.title
    assert fields["url"] == "https://example.org/%7Ba%7D%20#x_y~z"


def test_what_is_not_known_is_not_written() -> None:
    fields = _parse(citation.bibtex(_paper()))
    assert set(fields) == {"type", "key", "title"} and fields["key"] == "a_paper"
    only_id = _parse(citation.bibtex(_paper(arxiv_id="1412.1234")))
    assert (only_id["year"], only_id["month"], only_id["eprint"]) == ("2014", "dec", "1412.1234")
    assert "primaryClass" not in only_id


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, []),
    ({"authors": ("Ada Lovelace",)}, []),
    ({"published": "2025-01-02"}, []),
    ({"arxiv_id": "2501.01234"}, []),
    ({"authors": ("Ada Lovelace", "B. C."), "published": "2025-01-02"},
     [("citation_title", "A Paper"), ("citation_author", "Ada Lovelace"),
      ("citation_author", "B. C."), ("citation_publication_date", "2025/01/02")]),
    ({"authors": ("Ada Lovelace",), "arxiv_id": "2501.01234"},
     [("citation_title", "A Paper"), ("citation_author", "Ada Lovelace"),
      ("citation_publication_date", "2025/01"), ("citation_arxiv_id", "2501.01234"),
      ("citation_pdf_url", "https://arxiv.org/pdf/2501.01234")]),
], ids=["nothing", "authors only", "date only", "arxiv id only", "authors and date",
        "authors and arxiv id"])
def test_highwire_tags_only_with_authors_and_a_date(fields, expected) -> None:
    assert citation.highwire(_paper(**fields)) == expected


TITLE_CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "bibtex_titles.yml").read_text("utf-8"))
#: What a title's BibTeX may hold outside its formulas: the commands that print a character.
_TEXT_COMMANDS = {"textbackslash", "textasciicircum", "textasciitilde", "textbraceleft",
                  "textbraceright"}


def _tex_problems(value: str) -> list[str]:
    """What TeX or BibTeX would do with ``value`` beyond setting text and formulas."""
    problems = []
    depth = 0
    for char in value:  # BibTeX counts every brace, escaped or not
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            problems.append("a brace closes the field early")
            break
    if depth > 0:
        problems.append("a brace is left open")
    pieces = re.split(r"((?<!\\)\$(?:\\.|[^\\$])+\$)", value)
    for number, piece in enumerate(pieces):
        formula = number % 2 == 1
        names = re.findall(r"\\([A-Za-z]+)", piece)
        allowed = citation.MATH_COMMANDS if formula else _TEXT_COMMANDS
        problems += [f"\\{name} is not allowed here" for name in names if name not in allowed]
        if re.search(r"(?<!\\)[%&#]", piece):
            problems.append(f"an unescaped %, & or # in {piece!r}")
        if "^^" in piece:
            problems.append("TeX's ^^ character notation")
        if not formula and re.search(r"(?<!\\)[$^_~]", piece):
            problems.append(f"math or a tie in text: {piece!r}")
        if not formula and "{\\" in piece:
            # BibTeX's "special character": a style changes the case of its letters.
            problems.append(f"a brace group opens on a backslash in {piece!r}")
    return problems


def _sentence_case(value: str) -> str:
    """BibTeX's ``change.case$`` with ``"t"``, as ``plain.bst`` applies it to a title.

    Every ASCII capital outside braces becomes lower case but the first character and the
    first after a colon and a space; what braces hold stays as it is.
    """
    out, depth = [], 0
    for i, char in enumerate(value):
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif depth == 0 and "A" <= char <= "Z" and i and not re.search(r":\s+$", value[:i]):
            char = char.lower()
        out.append(char)
    return "".join(out)


def test_the_sentence_case_check_lowercases_what_is_not_braced() -> None:
    assert _sentence_case("Deep Learning: A Survey of {GPT} Models") == (
        "Deep learning: A survey of {GPT} models")
    assert _sentence_case(r"NVIDIA $\Delta$") == r"Nvidia $\delta$"  # why both are braced


@pytest.mark.parametrize("case", TITLE_CASES, ids=[c["name"] for c in TITLE_CASES])
def test_title_as_bibtex(case) -> None:
    assert citation.title_value(case["title"]) == case["bibtex"]
    fields = _parse(citation.bibtex(_paper(title=case["title"])))
    assert set(fields) == {"type", "key", "title"}
    assert fields["title"] == case["bibtex"]  # not braced whole: the style sets its case
    assert _tex_problems(case["bibtex"]) == []
    if "sentence" in case:  # what a sentence-case style (plain, IEEE, ACL) prints
        assert _text(_sentence_case(case["bibtex"])) == case["sentence"]


def test_the_tex_check_finds_what_it_looks_for() -> None:
    """The check above can fail: the old escaping and hostile values do not pass it."""
    assert _tex_problems(r"\textbackslash{}\$100") == []  # literal, but the old form
    assert _tex_problems(r"$\input{x}$") == [r"\input is not allowed here"]
    assert _tex_problems(r"x}, y = {") == ["a brace closes the field early"]
    assert _tex_problems(r"100% $a^^5c$") != []
    assert _tex_problems(r"A^2") == ["math or a tie in text: 'A^2'"]
    assert _tex_problems(r"{\&T}") == [r"a brace group opens on a backslash in '{\\&T}'"]


@pytest.mark.parametrize("name", ["input", "include", "write", "immediate", "openout",
                                  "openin", "read", "catcode", "def", "edef", "gdef", "let",
                                  "csname", "expandafter", "newcommand", "renewcommand",
                                  "usepackage", "end", "begin", "special", "url", "href",
                                  "verb", "char", "string", "uppercase", "lowercase",
                                  "jobname", "makeatletter", "documentclass"])
def test_no_command_that_acts_is_allowed_in_a_title_formula(name: str) -> None:
    assert name not in citation.MATH_COMMANDS
    assert citation.title_value(f"A $\\{name}{{x}}$ B").count("$") == 0


@pytest.mark.parametrize("count", [1, citation.MAX_CITED_AUTHORS,
                                   citation.MAX_CITED_AUTHORS + 1, 573])
def test_past_the_cap_the_entry_names_the_first_authors_and_others(count: int) -> None:
    authors = tuple(f"Author Number{i}" for i in range(count))
    names = _split_names(_parse(citation.bibtex(_paper(authors=authors)))["author"])
    shown = min(count, citation.MAX_CITED_AUTHORS)
    assert names[:shown] == list(authors[:shown])
    # "others" unbraced is BibTeX's and biblatex's keyword for "and more": "et al."
    assert names[shown:] == (["others"] if count > citation.MAX_CITED_AUTHORS else [])


def test_corporate_authors_and_a_person_named_others_are_braced_whole() -> None:
    authors = ("NVIDIA", "Kimi Team", "Ada Lovelace", "others", "DeepSeek-AI",
               "\\input{x}")
    names = _split_names(_parse(citation.bibtex(_paper(authors=authors)))["author"])
    assert names == ["{NVIDIA}", "{Kimi Team}", "Ada Lovelace", "{others}",
                     "{DeepSeek-AI}",
                     # Not {\...}, a "special character" to BibTeX's name parser.
                     r"{{\textbackslash{}input\textbraceleft{}x\textbraceright{}}}"]
    assert [_text(n) for n in names] == list(authors)


@pytest.mark.parametrize(("fields", "year", "month"), [
    ({"arxiv_id": "2606.15007"}, "2026", "jun"),
    ({"arxiv_id": "2501.00001", "published": "2024-12-31"}, "2024", "dec"),
    ({"published": "2023-07-04"}, "2023", "jul"),
    ({"listings": ()}, None, None),
], ids=["arxiv id", "the record's date first", "date only", "neither: no year"])
def test_the_year_comes_from_the_date_else_the_arxiv_id(fields, year, month) -> None:
    parsed = _parse(citation.bibtex(_paper(**fields)))
    assert (parsed.get("year"), parsed.get("month")) == (year, month)


def _keyed(paper_id: str, added: str, title: str = "Bench Marks") -> Paper:
    return _paper(id=paper_id, added=added, title=title, authors=("Li Wang",),
                  published="2026-01-01")


def test_keys_are_unique_and_the_first_paper_keeps_its_key() -> None:
    first = _keyed("z-first", "2026-01-01")
    second, third = _keyed("a-second", "2026-02-01"), _keyed("b-third", "2026-02-01")
    other = _keyed("other", "2026-01-01", title="Other Things")
    papers = [third, other, second, first]
    keys = citation.cite_keys(papers)
    assert keys == {"z-first": "wang2026bench", "a-second": "wang2026benchb",
                    "b-third": "wang2026benchc", "other": "wang2026other"}
    assert citation.cite_keys(reversed(papers)) == keys  # the input order does not matter
    # A paper added later never changes an older key, even one whose own key is a
    # suffixed key already taken.
    later = _paper(id="later", added="2026-03-01", title="Benchb Marks",
                   authors=("Li Wang",), published="2026-01-01")
    assert citation.cite_key(later) == "wang2026benchb"
    again = citation.cite_keys([*papers, later])
    assert {k: again[k] for k in keys} == keys and again["later"] == "wang2026benchbb"
    assert len(set(again.values())) == len(again)


def test_the_entry_uses_the_archive_key() -> None:
    entry = citation.bibtex(_keyed("x", "2026-01-01"), "wang2026benchb")
    assert _parse(entry)["key"] == "wang2026benchb"


def test_keys_past_z_take_two_letters() -> None:
    keys = citation.cite_keys([_keyed(f"p{n:02}", "2026-01-01") for n in range(28)])
    assert [keys["p00"], keys["p01"], keys["p25"], keys["p26"], keys["p27"]] == [
        "wang2026bench", "wang2026benchb", "wang2026benchz", "wang2026benchaa",
        "wang2026benchab"]
