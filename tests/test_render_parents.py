"""Tag pages and the tags overview show narrower tags with the tag they are part of."""

from __future__ import annotations

import re

from generator import render
from generator.model import Archive, Paper, Tag, Vocabulary, archive_order


def _paper(paper_id: str, tags: tuple[str, ...]) -> Paper:
    return Paper(id=paper_id, title=f"Paper {paper_id}", abstract="An abstract of some words.",
                 tags=tags, added="2024-01-01", source="manual")


HOSTILE = 'Eff <script>alert("x")</script> & co'
TAGS = (Tag("eff", HOSTILE, "Making models cheaper.", "G"),
        Tag("quant", "Quantization <b>bits</b>", "Fewer bits.", "G", parent="eff"),
        Tag("prune", "Pruning", "Fewer weights.", "G", parent="eff"),
        Tag("far", "Far child", "A narrower tag shown in another group.", "H", parent="eff"),
        Tag("other", "Other", "Unrelated.", "G"))
PAPERS = [_paper("a", ("eff", "quant", "other")), _paper("b", ("eff", "prune")),
          _paper("c", ("eff", "quant"))]


def _pages() -> dict[str, str]:
    archive = Archive(archive_order(PAPERS), Vocabulary(("G", "H"), TAGS))
    return {page.path: page.text for page in render.render_site(archive)}


def test_a_parent_page_links_its_narrower_tags_with_counts() -> None:
    page = _pages()["tags/eff.md"]
    assert "Narrower tags, whose papers are all listed here too" in page
    chips = re.findall(r'href="../(\w+)/">([^<]*(?:<[^s][^>]*>[^<]*)*?) <span '
                       r'class="pa-chip__count">(\d+)', page)
    assert [(t, n) for t, _, n in chips][:3] == [("far", "0"), ("prune", "1"), ("quant", "2")]
    # the family is not listed again as "related": only the unrelated tag is
    related = page.split("<h2>Related tags</h2>")[1]
    assert re.findall(r'href="../(\w+)/"', related) == ["other"]


def test_a_narrower_tag_page_says_what_it_is_part_of_escaped() -> None:
    page = _pages()["tags/quant.md"]
    assert ('· part of <a href="../eff/">Eff &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
            "&amp; co</a>") in page
    assert "<script>" not in page.split("---\n", 2)[2]
    assert "Narrower tags, whose" not in page


def test_the_overview_shows_narrower_tags_inside_their_parents_item() -> None:
    page = _pages()["tags/index.md"]
    assert "A narrower tag is shown after the tag it is part of" in page
    item = re.search(r'<li class="pa-family"[^>]*>(.*?)</ul></li>', page).group(1)
    assert re.findall(r'href="(\w+)/"', item) == ["eff", "far", "prune", "quant"]
    assert 'class="pa-chip pa-chip--narrower"' in item
    assert "&lt;script&gt;" in item and "<script>" not in item
    # each narrower tag of the parent's group appears once, inside the family item
    assert page.count('href="quant/"') == 1
    # one in another group stays in its group, marked with what it is part of
    group_h = page.split('id="group-2"')[1]
    assert re.search(r'href="far/".*?\(part of <a href="eff/">', group_h)


def test_without_narrower_tags_the_overview_says_nothing_about_them() -> None:
    archive = Archive(archive_order(PAPERS), Vocabulary(("G", "H"), tuple(
        Tag(t.id, t.name, t.description, t.group) for t in TAGS)))
    page = {p.path: p.text for p in render.render_site(archive)}["tags/index.md"]
    assert "narrower" not in page.lower()


def test_the_tags_api_names_a_narrower_tags_parent() -> None:
    from generator.site import _api_records

    archive = Archive(archive_order(PAPERS), Vocabulary(("G", "H"), TAGS))
    _, tags = _api_records(render.Index.of(archive))
    parents = {t["id"]: t.get("parent") for t in tags}
    assert parents == {"eff": None, "quant": "eff", "prune": "eff", "far": "eff",
                       "other": None}
