"""Query handling of the real client code (search-core.js + lunr.js), run under node.

Each case of tests/cases/search_queries.yml is searched against the small archive of
search_papers.yml, indexed by the generator exactly as for the site.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.archive import load_archive
from generator.model import Archive, Paper, Vocabulary, archive_order
from generator.search import RESULTS_IN_BOX, build_search, key_file, minified_lunr_js
from generator.textrules import browser_text_rules
from tests.conftest import ARCHIVE
from tests.search_cases import search_archive, search_queries

REPO = Path(__file__).resolve().parent.parent
CORE_JS = REPO / "overrides" / "assets" / "javascripts" / "search-core.js"
DRIVER = REPO / "tests" / "js" / "search_driver.js"
CASES = search_queries()

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")


def _write_index(target: Path, archive=None, **options) -> Path:
    for name, text in build_search(archive or search_archive(), **options).files.items():
        (target / name).write_text(text, encoding="utf-8")
    (target / "lunr.js").write_bytes(minified_lunr_js())  # the lunr.js the site ships
    return target


def _run(index_dir: Path, cases: list[dict], tmp_path: Path) -> list[dict]:
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(cases), encoding="utf-8")
    done = subprocess.run(["node", str(DRIVER), str(index_dir), str(CORE_JS), str(queries)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> list[dict]:
    tmp = tmp_path_factory.mktemp("search")
    return _run(_write_index(tmp), CASES, tmp)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["query"] for c in CASES])
def test_query_case(index: int, answers: list[dict]) -> None:
    case, got = CASES[index], answers[index]
    ids = got["ids"]
    if "first" in case:
        assert ids and ids[0] == case["first"], ids
    for paper_id in case.get("has", []):
        assert paper_id in ids
    for paper_id in case.get("lacks", []):
        assert paper_id not in ids
    if "count" in case:
        assert len(ids) == case["count"], ids
    if "fallback" in case:
        assert got["fallback"] is case["fallback"]
    if "negated" in case:
        assert got["negated"] is case["negated"]
    if "match" in case:
        assert (got["match"], got["allCount"]) == (case["match"], case["all_count"]), got
    if "corrected" in case:
        assert got["corrected"] == case["corrected"]
    if "named" in case:
        assert got["named"] == case["named"], got
        assert got["shownNamed"][0] == (case["named"] or None)


def test_results_name_the_index_terms_they_matched(answers: list[dict]) -> None:
    got = answers[[c["query"] for c in CASES].index("diffusion")]
    assert all("diffus" in terms for terms in got["terms"])


def test_sharded_index_answers_like_one_shard(tmp_path: Path, answers: list[dict]) -> None:
    """Split into many tiny shards, every query still finds the same papers in order."""
    sharded = tmp_path / "sharded"
    sharded.mkdir()
    _write_index(sharded, shard_bytes=300, docs_per_chunk=3, key_bytes=64)
    manifest = json.loads((sharded / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) > 5 and manifest["keys"] > 3  # ids and names hashed apart
    got = _run(sharded, CASES, tmp_path)
    assert [g["ids"] for g in got] == [a["ids"] for a in answers]
    assert [g["named"] for g in got] == [a["named"] for a in answers]


def _typo_archive() -> Archive:
    """Thirty papers on diffusion models, transformers and llama, and the rare words.

    A typo in a paper or two (difusion, transfomer) and a model name one letter from a
    common word (llada).
    """
    papers = [Paper(id=f"common-{n}", title=f"Diffusion model number {n}",
                    abstract=f"A transformer and a llama study, case {n}.")
              for n in range(30)]
    papers += [
        Paper(id="difuse-net", title="DiFuse-Net: depth", abstract="Depth with difusion."),
        Paper(id="transfomer-typo", title="Sparse attention",
              abstract="A transfomer for quantization of weights."),
        Paper(id="quantization", title="Quantization of transformer weights",
              abstract="Weights in four bits."),
        Paper(id="llada", title="LLaDA, a language model", abstract="Masked llada decoding."),
    ]
    return Archive(archive_order(papers), Vocabulary((), ()))


def test_a_rare_or_unknown_word_is_corrected_per_word_and_a_rare_name_is_not(
        tmp_path: Path) -> None:
    """A word rarer than any vocabulary word is corrected, whatever the rest finds.

    To the vocabulary word nearest by edits; one a letter replaced away from a
    common word (a model name) is kept; an ordinary query fetches no vocabulary.
    """
    folder = tmp_path / "typo"
    folder.mkdir()
    _write_index(folder, archive=_typo_archive(), shard_bytes=300, docs_per_chunk=4)
    cases = [{"query": q, "page": True, "show": 20} for q in (
        "difusion model", "transfomer quantization", "transfomer", "llada", "diffusion model",
        "trasformer")]
    cases.append({"query": "difusion model", "page": True, "show": 20, "verbatim": True})
    got = _run(folder, cases, tmp_path)
    difusion, quant, alone, llada, plain, unknown, verbatim = got
    assert difusion["corrected"] == "diffusion model"
    assert difusion["ids"][0].startswith("common-") and difusion["count"] == 30
    assert quant["corrected"] == "transformer quantization"
    assert quant["ids"][0] == "quantization"
    assert alone["corrected"] == "transformer"
    assert llada["corrected"] is None and llada["ids"][0] == "llada"
    assert plain["corrected"] is None
    assert not [f for f in plain["files"] if f.startswith("w-")]
    assert unknown["corrected"] == "transformer"   # not in the index at all
    assert verbatim["corrected"] is None and verbatim["ids"][0] == "difuse-net"


def test_the_key_hash_is_the_same_in_python_and_javascript(tmp_path: Path) -> None:
    keys = ["a:2507.03745", "n:kaiming he", "n:zoë müller", "n:\u674e \u660e", "n:\U0001d49c x"]
    script = ("const c=require(process.argv[1]);"
              "process.stdout.write(JSON.stringify(JSON.parse(process.argv[2])"
              ".map((k)=>[7, 700].map((n)=>c.keyFile(k, n)))))")
    done = subprocess.run(["node", "-e", script, str(CORE_JS), json.dumps(keys)],
                          capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == [[key_file(k, n) for n in (7, 700)] for k in keys]


def test_a_query_loads_only_the_shards_and_documents_it_needs(tmp_path: Path) -> None:
    """Plain, malformed and all-exclusion queries each fetch one shard of many.

    No index of every paper is built, and only the shown results' documents are fetched.
    """
    sharded = tmp_path / "sharded"
    sharded.mkdir()
    _write_index(sharded, shard_bytes=300, docs_per_chunk=1)
    manifest = json.loads((sharded / "manifest.json").read_text(encoding="utf-8"))
    papers = manifest["count"]
    queries = [{"query": q, "show": 1} for q in ("diffusion", "diffusion^", "-diffusion")]
    got = _run(sharded, queries, tmp_path)
    for query, answer in zip(queries, got, strict=True):
        assert answer["ids"] and answer["count"] > 1, query
        assert answer["shards"] == 1 < len(manifest["shards"]), query
        assert answer["vectors"] < papers * len(manifest["fields"]) / 2, query
        fetched_docs = [f for f in answer["files"] if f.startswith("d-")]
        assert len(fetched_docs) < papers, query
    assert len([f for f in got[2]["files"] if f.startswith("d-")]) == 1


def test_while_typing_a_split_index_completes_only_words_of_three_letters(
        tmp_path: Path) -> None:
    """`di` completes in a one-shard index; in a split one it would fetch a letter's range."""
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    whole.mkdir()
    sharded.mkdir()
    _write_index(whole)
    _write_index(sharded, shard_bytes=300)
    typed = [{"query": "di", "prefix": True}, {"query": "dif", "prefix": True}]
    small, split = _run(whole, typed, tmp_path), _run(sharded, typed, tmp_path)
    assert "diffusion-world-model" in small[0]["ids"]
    assert split[0]["ids"] == [] and split[0]["shards"] == 1
    assert split[1]["ids"][0] == small[1]["ids"][0] == "diffusion-world-model"


@pytest.mark.slow
def test_every_seed_title_typed_in_the_header_box_finds_its_paper_first(tmp_path: Path) -> None:
    """Each of the 262 titles, typed as in the box, finds its own paper first.

    As in the box: the last word as a prefix, only the top 8 re-ranked by title and fetched.
    """
    seed, problems = load_archive(ARCHIVE)
    assert not problems
    index = tmp_path / "seed"
    index.mkdir()
    _write_index(index, seed)
    typed = [{"query": p.title, "prefix": True, "show": RESULTS_IN_BOX} for p in seed.papers]
    got = _run(index, typed, tmp_path)
    assert [g["ids"][0] if g["ids"] else None for g in got] == [p.id for p in seed.papers]


def test_fuzzy_terms_are_bounded_in_distance_and_number() -> None:
    """Fuzzy search is bounded: ``~N`` is capped, and so is the number of fuzzy terms.

    lunr's automaton grows exponentially with N, and one query may hold many fuzzy terms;
    short words get a smaller distance or none.
    """
    queries = ["transformer~12", "abc~2 defghi~9 x~1",
               "aaaaaa~2 bbbbbb~2 cccccc~2 dddddd~2", "title:graph~5^2"]
    script = (f"const c = require({json.dumps(str(CORE_JS))});"
              f"c.useRules({json.dumps(browser_text_rules())});"
              f"console.log(JSON.stringify({json.dumps(queries)}.map(q => c.parseQuery(q).text)))")
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                          check=True)
    assert json.loads(done.stdout) == ["transformer~2", "abc~1 defghi~2 x",
                                       "aaaaaa~2 bbbbbb~2 cccccc~2 dddddd", "title:graph~1^2"]


def test_fuzzy_terms_past_the_expansion_budget_are_searched_as_typed(tmp_path: Path) -> None:
    """``Engine.MAX_EXPANDED`` bounds the words fuzzy terms may expand to (here: none)."""
    index_dir = _write_index(tmp_path)
    script = f"""
const fs = require("fs"), path = require("path");
const lunr = require(path.resolve({json.dumps(str(index_dir))}, "lunr.js"));
const core = require({json.dumps(str(CORE_JS))});
const dir = {json.dumps(str(index_dir) + "/")};
const read = (f) => Promise.resolve(JSON.parse(fs.readFileSync(f, "utf8")));
(async () => {{
  const manifest = await read(dir + "manifest.json");
  const out = [];
  for (const budget of [1000, 0]) {{
    core.Engine.MAX_EXPANDED = budget;
    for (const q of ["transfomer~1", "transformer~1"]) {{
      const found = await new core.Engine(lunr, manifest, dir, read).search(q);
      out.push(found.results.length);
    }}
  }}
  console.log(JSON.stringify(out));
}})();
"""
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                          check=True)
    wide_typo, wide_exact, narrow_typo, narrow_exact = json.loads(done.stdout)
    assert wide_typo > 0 and narrow_typo == 0  # the typo finds nothing once searched as typed
    assert narrow_exact > 0 and wide_exact >= narrow_exact


def test_a_title_phrase_checks_a_bounded_number_of_document_chunks(tmp_path: Path) -> None:
    """`title:"graph generation"` over 60 titles holding both words, one paper a chunk.

    At most Engine.PHRASE_CHUNKS (24) chunks are fetched to check the phrase: of the 24
    papers checked, those holding it come first (match "phrase", allCount of them), then
    the 36 not checked; the 14 checked ones without it are gone.  A one-chunk index checks
    every paper.
    """
    papers = [Paper(id=f"apart-{n:02d}", title=f"Generation of graph data, part {n}",
                    abstract="Graphs made one node at a time.") for n in range(50)]
    papers += [Paper(id=f"phrase-{n:02d}", title=f"Graph generation with flows, part {n}",
                     abstract="Graphs made one node at a time.") for n in range(10)]
    archive = Archive(archive_order(papers), Vocabulary((), ()))
    (tmp_path / "split").mkdir()
    (tmp_path / "one").mkdir()
    split = _write_index(tmp_path / "split", archive, shard_bytes=300, docs_per_chunk=1)
    got = _run(split, [{"query": 'title:"graph generation"', "show": 1}], tmp_path)[0]
    assert len([f for f in got["files"] if f.startswith("d-")]) <= 24
    assert got["match"] == "phrase" and 0 < got["allCount"] <= 10, got
    assert got["count"] == got["allCount"] + 60 - 24 and got["ids"][0].startswith("phrase-")
    got = _run(_write_index(tmp_path / "one", archive),
               [{"query": 'title:"graph generation"'}], tmp_path)[0]
    assert got["match"] == "all" and sorted(got["ids"]) == [f"phrase-{n:02d}" for n in range(10)]
