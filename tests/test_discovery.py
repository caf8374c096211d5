"""Discovery: related papers, feeds, link previews, statistics charts and the static API."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from generator import api, charts, feeds, related, render, stats
from generator.model import Archive, Link, Paper, Tag, Vocabulary, archive_order
from tests.conftest import REPO

CASES = Path(__file__).parent / "cases"
RELATED_CASES = yaml.safe_load((CASES / "related.yml").read_text("utf-8"))
SITE = "https://example.org/base/"
HOSTILE = "</script><script>alert(1)</script> <!-- & \"q\" \u2028"


def _case_papers() -> list[related.PaperText]:
    return [related.PaperText(p["id"], p["title"], p["abstract"], tuple(p.get("tags", ())))
            for p in RELATED_CASES["papers"]]


# ------------------------------------------------------------------ related papers


@pytest.mark.parametrize("case", RELATED_CASES["expect"], ids=lambda c: c["paper"])
def test_first_related_paper_is_on_the_same_topic(case: dict) -> None:
    found = related.related_papers(_case_papers())[case["paper"]]
    assert found, "no related paper"
    assert found[0].paper_id in case["first_in"]
    for absent in case.get("never", []):
        assert absent not in [r.paper_id for r in found]


def test_related_papers_are_deterministic_whatever_the_input_order() -> None:
    papers = _case_papers()
    expected = related.related_papers(papers)
    shuffled = papers[:]
    random.Random(7).shuffle(shuffled)
    # Archive order is by id; the result must not depend on the order papers come in.
    assert related.related_papers(sorted(shuffled, key=lambda p: p.id)) == expected
    assert related.related_papers(papers) == expected


def test_related_never_lists_the_paper_itself_and_stays_within_the_count() -> None:
    for paper_id, items in related.related_papers(_case_papers(), count=3).items():
        assert paper_id not in [r.paper_id for r in items]
        assert len(items) <= 3
        scores = [r.score for r in items]
        assert scores == sorted(scores, reverse=True)


def test_ties_go_to_the_smaller_id() -> None:
    text = "Sparse attention kernels for long context transformers on accelerators."
    papers = [related.PaperText(i, f"Kernels {i}", text) for i in ("c", "a", "b")]
    papers.append(related.PaperText("d", "Other", "Protein folding with language models."))
    found = related.related_papers(sorted(papers, key=lambda p: p.id))
    assert [r.paper_id for r in found["c"]] == ["a", "b"]


def test_reason_names_shared_key_terms_once() -> None:
    found = related.related_papers(_case_papers())
    for items in found.values():
        for item in items:
            words = [w for term in item.shares for w in term.split() if w != "of"]
            assert len(words) == len(set(words)), item.shares
            assert item.shares, item


def test_reason_leaves_out_words_that_name_nothing_alone() -> None:
    """Filler ("parameter", "long") is no reason alone, nor a pair of filler; other pairs are."""
    shared = ("Spiking neurons with parameter sharing over long horizons; the parameter "
              "count of long runs. Spiking neurons again.")
    papers = [related.PaperText("a", "Spiking parameter long", shared),
              related.PaperText("b", "Spiking parameter long too", shared + " More."),
              *(related.PaperText(f"x{i}", f"Everyday note {i}", f"Everyday note {i} about "
                                  f"glacier {i} topics.") for i in range(40))]
    shares = related.related_papers(papers)["a"][0].shares
    assert shares and not {"parameter", "long"} & set(shares), shares
    assert any("spiking" in term for term in shares), shares
    assert related._informative("long context") and related._informative("world model")
    assert not related._informative("real world") and not related._informative("long")



def test_reason_is_spelled_as_the_paper_writes_it() -> None:
    # Features are folded singulars: SMILES (molecule strings) would read "smile", and
    # "mixture of experts" would lose its "of".  The reason shows the paper's own words.
    text = ("Generating molecules from SMILES strings with a mixture of experts model. "
            "The SMILES grammar constrains the mixture of experts decoder.")
    papers = [related.PaperText("a", "SMILES mixture of experts", text),
              related.PaperText("b", "SMILES mixture of experts again", text + " More."),
              related.PaperText("c", "Protein folding", "Proteins fold with language models.")]
    shares = related.related_papers(papers)["a"][0].shares
    assert "smiles" in shares and "smile" not in shares, shares
    assert "experts" in shares, shares
    spelled = related._Spelling("Chain-of-Thought for SMILES",
                                "World models and mixtures of experts.")
    assert [spelled.term(t) for t in ("chain thought", "smile", "world model", "mixture expert",
                                      "unseen term")] == [
        "chain of thought", "smiles", "world models", "mixtures of experts", "unseen term"]


def test_token_cache_gives_the_same_result_and_retokenises_only_changes(tmp_path: Path) -> None:
    papers = _case_papers()
    path = tmp_path / "cache.json.gz"
    cold = related.TokenCache(path)
    first = related.related_papers(papers, cold)
    cold.save()
    assert cold.misses == len(papers)
    warm = related.TokenCache(path)
    assert related.related_papers(papers, warm) == first
    assert (warm.hits, warm.misses) == (len(papers), 0)
    changed = [*papers[:-1], related.PaperText(papers[-1].id, "Changed title", "New text.")]
    again = related.TokenCache(path)
    related.related_papers(changed, again)
    assert (again.hits, again.misses) == (len(papers) - 1, 1)


def test_cached_features_are_the_features() -> None:
    found = related.features("Denoising diffusion models", "Chain of thought; 3D scenes.")
    assert related.decode(related.encode(found)) == found
    assert related.decode(related.encode({})) == {}


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.json.gz"
    path.write_bytes(b"not gzip")
    cache = related.TokenCache(path)
    assert related.related_papers(_case_papers(), cache) == related.related_papers(_case_papers())


def test_features_drop_math_stop_words_and_pair_content_words() -> None:
    found = related.features("Chain-of-Thought Prompting", "We use $\\alpha$ in the model.")
    assert found["chain thought"] == related.TITLE_TIMES  # "of" joins a compound
    assert "alpha" not in found and "the" not in found
    assert "3d" in related.features("3D scenes", "") and "m1" not in related.features("M1", "")


def test_the_title_outweighs_the_abstract() -> None:
    found = related.features("Graph transformers", "Graph transformers for molecules.")
    assert found["graph transformer"] == related.TITLE_TIMES + 1
    assert found["molecule"] == 1


def test_generic_words_only_count_in_pairs_with_a_topic_word() -> None:
    found = related.features("", "A world model and a reward model improve model performance.")
    assert "model" not in found and "performance" not in found
    assert "world model" in found and "reward model" in found
    assert "model performance" not in found  # two generic words say nothing


def test_plurals_meet_their_singular_and_other_words_keep_their_s() -> None:
    found = related.features("", "Diffusion models, classes, analysis, corpus, dynamics.")
    assert {"diffusion model", "class", "corpus", "dynamics"} <= set(found)
    assert "diffusion models" not in found and "analysi" not in found


def test_stop_words_other_than_of_break_pairs() -> None:
    found = related.features("", "Forecasting under concept drift with mixture of experts.")
    assert "forecasting concept" not in found and "drift mixture" not in found
    assert "concept drift" in found and "mixture expert" in found


def test_a_rare_shared_tag_counts_more_than_a_common_one() -> None:
    # "a" shares its text equally with "b" and "c" and one tag with each: with "c" a tag
    # few papers have, with "b" one most papers have, so "c" comes first (ties by id
    # would put "b" first).
    text = "Sparse attention kernels for long context transformers on accelerators."
    papers = [related.PaperText("a", "Kernels", text, ("rare", "common")),
              related.PaperText("b", "Kernels", text, ("common",)),
              related.PaperText("c", "Kernels", text, ("rare",)),
              *(related.PaperText(f"z{i}", f"Protein folding {i}", "Protein folding with "
                                  f"language models number {i}.", ("common",))
                for i in range(6))]
    found = related.related_papers(papers)
    assert [r.paper_id for r in found["a"][:2]] == ["c", "b"]


def test_a_shared_author_adds_to_the_score() -> None:
    text = "Sparse attention kernels for long context transformers on accelerators."
    papers = [related.PaperText("a", "Kernels", text, authors=("Ada Lovelace",)),
              related.PaperText("b", "Kernels", text),
              related.PaperText("c", "Kernels", text, authors=("Ada Lovelace",)),
              related.PaperText("d", "Other", "Protein folding with language models.")]
    found = related.related_papers(papers)
    assert [r.paper_id for r in found["a"]] == ["c", "b"]  # not "b" first, as ties by id


def test_document_frequencies_count_exactly_the_features_of_two_papers_or_more() -> None:
    encoded = [related.encode(related.features(p.title, p.abstract)) for p in _case_papers()]
    encoded.append(related.encode({}))
    naive = Counter(term for text in encoded for term in related.decode(text))
    assert related._document_frequencies(encoded) == {t: k for t, k in naive.items() if k >= 2}


def test_related_papers_do_not_depend_on_the_process_string_hashes() -> None:
    # Document frequencies are first filtered by Python's hash(), which differs from one
    # process to the next: the lists must not.
    script = ("from generator import related; from tests.test_discovery "
              "import _case_papers; print(repr(sorted(related.related_papers(_case_papers())"
              ".items())))")
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}
                           ).stdout for seed in ("1", "2")}
    assert len(outs) == 1 and "Related(" in outs.pop()


def test_a_pair_sharing_one_feature_only_is_scaled_down(monkeypatch) -> None:
    # "a" shares only the word "alpha" with "b", and "alpha", "beta" and "alpha beta" with
    # "c": scaling single-feature pairs changes a-b's score alone, by exactly the factor.
    papers = [related.PaperText("a", "Alpha beta", ""), related.PaperText("b", "Alpha gamma", ""),
              related.PaperText("c", "Alpha beta delta", ""),
              related.PaperText("d", "Gamma delta", "")]

    def scores(factor: float) -> dict[str, float]:
        monkeypatch.setattr(related, "ONE_FEATURE_FACTOR", factor)
        return {r.paper_id: r.score for r in related.related_papers(papers)["a"]}

    full, half = scores(1.0), scores(0.5)
    assert half["c"] == full["c"]
    assert half["b"] == pytest.approx(full["b"] / 2, abs=1e-6)


# ------------------------------------------------------------------ pages


def _paper(paper_id: str, title: str, tags=("t",), added="2024-01-01", links=(),
           abstract="Diffusion models denoise images step by step. Second sentence here.") -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, tags=tuple(tags),
                 links=tuple(links), added=added, source="manual")


def _index(papers: list[Paper], tags=None) -> render.Index:
    tags = tags or (Tag("t", "Topic", "About the topic.", "G"),
                    Tag("u", "Other <topic>", "", "G"))
    archive = Archive(archive_order(papers), Vocabulary(("G",), tuple(tags)))
    similar = related.related_papers(related.texts_of(archive.papers))
    return render.Index.of(archive, similar, SITE)


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_paper_page_lists_related_papers_instead_of_alphabetical_neighbours() -> None:
    papers = [_paper("a", "Denoising diffusion for images"),
              _paper("b", "Diffusion models that denoise images faster"),
              _paper("c", "Graph neural networks", abstract="Message passing on graphs "
                     "with attention over neighbours. Another sentence.")]
    index = _index(papers)
    page = render.paper_page(index, 0).text
    assert 'rel="prev"' not in page and 'rel="next"' not in page
    assert '<h2 id="pa-related-title">Related papers</h2>' in page
    assert 'href="../b/"' in page and "shares:" in page


def test_code_badge_on_page_and_in_lists() -> None:
    papers = [_paper("a", "With code", links=[Link("code", "https://github.com/x/y")]),
              _paper("b", "Without code")]
    index = _index(papers)
    assert render.CODE_BADGE.strip() in render.paper_page(index, 0).text
    assert render.CODE_BADGE.strip() not in render.paper_page(index, 1).text
    tag_page = render.tag_pages(index, index.tags["t"])[0].text
    assert tag_page.count(render.CODE_BADGE) == 1


def test_meta_description_is_the_first_sentence_as_plain_text() -> None:
    paper = _paper("a", "T", abstract="We study $x^2$ e.g. in the wild. Then more text.")
    assert render.first_sentence(paper) == "We study x² e.g. in the wild."


def test_json_ld_is_a_scholarly_article_and_safe_in_a_script() -> None:
    abstract = f"First {HOSTILE} and $x^2$ here.\n\nSecond   paragraph <!-- \u2028 end."
    paper = _paper("a", HOSTILE, links=[Link("code", "https://github.com/x/y")],
                   abstract=abstract)
    front = _front(render.paper_page(_index([paper]), 0).text)
    raw = front["json_ld"]
    for bad in ("</", "<!--", "\u2028"):
        assert bad not in raw
    data = json.loads(raw)
    assert data["@type"] == "ScholarlyArticle"
    assert data["headline"] == render.clean_text(HOSTILE)
    # The abstract as plain text: the hostile markup as characters, math as Unicode,
    # paragraphs apart, no TeX.
    assert data["abstract"] == (f"First {render.clean_text(HOSTILE)} and x² here.\n\n"
                                "Second paragraph <!-- \ufffd end.")
    assert data["url"] == SITE + "papers/a/"
    assert data["keywords"] == ["Topic"]
    assert data["codeRepository"] == "https://github.com/x/y"
    assert front["og_type"] == "article" and front["lastmod"] == "2024-01-01"


def test_tag_pages_link_their_feed() -> None:
    index = _index([_paper("a", "One")])
    page = render.tag_pages(index, index.tags["t"])[0].text
    assert _front(page)["feed"] == "feeds/tags/t.xml"
    assert 'href="../../feeds/tags/t.xml"' in page


# ------------------------------------------------------------------ feeds


def test_feeds_parse_cleanly_and_carry_exactly_their_tag(tmp_path: Path) -> None:
    papers = [_paper(f"p{n:02}", f"Paper {n} {HOSTILE}", tags=("t",) if n % 2 else ("t", "u"),
                     added=f"2024-{1 + n % 12:02}-{1 + n % 28:02}") for n in range(60)]
    index = _index(papers)
    out = dict(feeds.site_feeds(index, "Site <name>"))
    assert set(out) == {"feeds/all.xml", "feeds/tags/t.xml", "feeds/tags/u.xml",
                        "feeds/sitemap.xml", "feeds/tags/sitemap.xml"}
    for path, data in out.items():
        if path.endswith("sitemap.xml"):
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert not caught, (path, [str(w.message) for w in caught])
        assert len(parsed.entries) <= feeds.FEED_ENTRIES
    tagged_u = feeds.newest_first(index.papers_by_tag["u"])[:feeds.FEED_ENTRIES]
    parsed = feedparser.parse(out["feeds/tags/u.xml"])
    assert [e.id for e in parsed.entries] == [SITE + f"papers/{p.id}/" for p in tagged_u]
    assert all({t.term for t in e.tags} >= {"u"} for e in parsed.entries)
    entry = parsed.entries[0]
    assert HOSTILE.split()[0] in entry.title  # stays text, not markup
    assert entry.updated.startswith(tagged_u[0].added)
    assert entry.summary == "Diffusion models denoise images step by step. Second sentence here."


def test_no_feeds_without_a_site_url() -> None:
    archive = Archive(archive_order([_paper("a", "One")]),
                      Vocabulary(("G",), (Tag("t", "Topic", "", "G"),)))
    assert feeds.site_feeds(render.Index.of(archive), "Site") == []


# ------------------------------------------------------------------ charts and stats


def test_charts_are_svg_with_one_bar_per_value() -> None:
    bars = [charts.Bar(f"Tag <{n}>", n, str(n)) for n in range(1, 8)]
    for svg in (charts.horizontal_bars("c", "T", "D", bars), charts.columns("c", "T", "D", bars)):
        root = ET.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.tag == f"{ns}svg" and root.get("role") == "img"
        assert root.find(f"{ns}title").text == "T" and root.find(f"{ns}desc").text == "D"
        assert len([r for r in root.iter(f"{ns}rect") if r.get("class") == "pa-bar"]) == 7


def test_stats_page_has_four_charts_each_with_a_table() -> None:
    papers = [_paper(f"p{n}", f"Paper {n}", tags=("t", "u") if n < 6 else ("t",),
                     links=[Link("code", "https://github.com/a/b")] if n % 2 else ())
              for n in range(10)]
    page = stats.stats_page(_index(papers)).text
    body = page.split("---\n", 2)[2]
    assert body.count('<svg class="pa-chart"') == 4
    assert body.count("<table") == 4
    assert "Other &lt;topic&gt;" in body and "<topic>" not in body
    svgs = [ET.fromstring(chunk[: chunk.index("</svg>") + 6])
            for chunk in ("<svg" + part for part in body.split("<svg")[1:])]
    tag_bars = [r for r in svgs[0].iter("{http://www.w3.org/2000/svg}rect")]
    assert len(tag_bars) == 2  # two tags


# ------------------------------------------------------------------ the static API


def _api(papers: list[Paper]) -> dict[str, bytes]:
    index = _index(papers)
    records = [api.public_record(p.to_dict(), render.url_of(render.paper_path(p.id)))
               for p in index.papers]
    tags = [{"id": t.id, "name": t.name, "count": len(index.papers_by_tag[t.id])}
            for t in index.tags.values()]
    schema = json.loads((Path(__file__).parent.parent / "archive" / "schema" /
                         "paper.schema.json").read_text("utf-8"))
    return {f.path: b"".join(f.chunks) for f in api.api_files(records, tags, schema)}


def test_api_validates_against_its_schema_and_round_trips_to_the_records() -> None:
    papers = [_paper("a", HOSTILE, links=[Link("code", "https://github.com/x/y")]),
              _paper("b", "=HYPERLINK(\"http://evil\")")]
    out = _api(papers)
    paper_schema = json.loads(out[f"api/schema/v{api.API_VERSION}/paper.schema.json"])
    papers_schema = json.loads(out[f"api/schema/v{api.API_VERSION}/papers.schema.json"])
    registry = Registry().with_resource("paper.schema.json",
                                        Resource.from_contents(paper_schema))
    document = json.loads(out["api/papers.json"])
    jsonschema.Draft202012Validator(papers_schema, registry=registry).validate(document)
    assert document["count"] == 2
    for paper, record in zip(archive_order(papers), document["papers"], strict=True):
        expected = {k: v for k, v in paper.to_dict().items() if k != "fingerprint"}
        assert {k: v for k, v in record.items() if k != "url"} == expected
        assert json.loads(out[f"api/papers/{paper.id}.json"]) == record
        jsonschema.validate(record, paper_schema)
    tags = json.loads(out["api/tags.json"])
    assert tags["count"] == 2 and {t["id"] for t in tags["tags"]} == {"t", "u"}


def test_csv_export_is_one_row_per_paper_and_formula_safe() -> None:
    out = _api([_paper("a", "=1+1"), _paper("b", "Plain, with \"quotes\"\nand a newline")])
    rows = list(csv.DictReader(io.StringIO(out["api/papers.csv"].decode("utf-8"))))
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["title"] == "'=1+1"
    assert rows[1]["title"] == "Plain, with \"quotes\"\nand a newline"
    assert rows[0]["url"] == "papers/a/"


def test_csv_neutralises_a_formula_behind_spaces_tabs_or_returns() -> None:
    titles = [" =HYPERLINK(\"http://evil\")", "  +1", "\t-1", "\r@SUM(A1)", "\tPlain",
              "A - B = C"]
    out = _api([_paper(f"p{i}", title) for i, title in enumerate(titles)])
    rows = list(csv.DictReader(io.StringIO(out["api/papers.csv"].decode("utf-8"))))
    assert {r["id"]: r["title"] for r in rows} == {
        f"p{i}": ("'" + title if i < 5 else title) for i, title in enumerate(titles)}


def test_csv_leaves_the_abstract_to_the_json_files() -> None:
    out = _api([_paper("a", "One", abstract="A long abstract, only in the JSON files.")])
    header = out["api/papers.csv"].decode("utf-8").splitlines()[0].split(",")
    assert "abstract" not in header and {"id", "title", "url", "tags"} <= set(header)
    assert "only in the JSON files" not in out["api/papers.csv"].decode("utf-8")
    assert "only in the JSON files" in out["api/papers/a.json"].decode("utf-8")
    assert "only in the JSON files" in out["api/papers.json"].decode("utf-8")


def test_schemas_of_earlier_versions_stay_published() -> None:
    out = _api([_paper("a", "One")])
    assert json.loads(out["api/papers.json"])["version"] == api.API_VERSION == 2
    for version in (1, 2):
        schema = json.loads(out[f"api/schema/v{version}/papers.schema.json"])
        assert schema["properties"]["version"] == {"const": version}
        assert f"api/schema/v{version}/paper.schema.json" in out


def test_api_streams_without_building_the_whole_file() -> None:
    records = [{"id": f"p{n}", "title": "t"} for n in range(1000)]
    chunks = list(api.papers_json(records))
    assert len(chunks) == 1002 and max(len(c) for c in chunks) < 200
