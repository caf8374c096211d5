"""Relevance benchmark: does the search put the right papers first?  Ours, the theme's, Pagefind.

Usage (from the repository root; see docs/maintainers/search.md)::

    python -m benchmarks.search_relevance --root ARCHIVE [--skip-build] [--only ours]
    python -m benchmarks.search_relevance --root ARCHIVE --pool FILE   # unjudged papers
    python -m benchmarks.search_relevance --root ARCHIVE --make-known-items

ARCHIVE is the judged archive: the seed records plus the 9,876 Hugging Face papers
(``/work/shared/datasets/hf-daily-papers.jsonl.xz`` imported into a scratch copy of
``archive/``; 10,129 papers).  The judged queries are committed:

* ``benchmarks/relevance/topics.yml``: topic queries, each with a tune/held-out ``set``
  fixed by a seeded shuffle before anything was judged or tuned, and ``judged`` grades
  (2 about the topic, 1 partly, 0 not) for every paper any engine put in its top 10;
* ``benchmarks/relevance/known_items.yml``: known-item queries made reproducibly from the
  archive (:func:`make_known_items`: part of a title, the opening of an abstract, a title's
  content words shuffled), each naming the one paper it is after.

Engines, each as readers get it:

* ours: the site's ``search-core.js`` and the shipped lunr.js under node, on the index
  :func:`generator.search.build_search` makes of the archive, asked as the search page asks
  (the last word completed as a prefix, the top 20 re-ranked);
* theme: mkdocs-material's own search worker under node, fed the ``search_index.json`` its
  search plugin builds for the same pages (sections folded into their page);
* Pagefind (npm ``pagefind``, in ``.audit-tools``): its index of the same built pages (the
  article only, not the navigation), searched with its own ``pagefind.js`` in Chromium.

For the theme and Pagefind only paper pages count (a tag page or the A-Z list they return
is skipped, not scored as a miss): the comparison is generous to them.  A paper no one
judged counts as not relevant; the run prints how many of the top 10 were unjudged.

Figures: nDCG@10 (gains 2^grade - 1, ideal over all judged papers of the query),
precision@5 (grade >= 1) and MRR (first relevant paper in the top 10; for a known item,
its paper), per engine, for the tuning and the held-out queries separately.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.theme_search import build_theme_site
from generator.archive import load_archive
from generator.layout import GENERATED_AREAS, URL_FORMS
from generator.model import Archive
from generator.search import RESULTS_IN_BOX, RESULTS_PER_PAGE, build_search, minified_lunr_js
from tests.serving import chromium, serve

REPO = Path(__file__).resolve().parent.parent
SETS = REPO / "benchmarks" / "relevance"
TOPICS = SETS / "topics.yml"
KNOWN = SETS / "known_items.yml"
WORK = REPO / ".bench" / "relevance"
DRIVER = REPO / "tests" / "js" / "search_driver.js"
CORE_JS = REPO / "overrides" / "assets" / "javascripts" / "search-core.js"
THEME_DRIVER = REPO / "benchmarks" / "js" / "theme_search.js"
TOOLS = Path(os.environ.get("AUDIT_TOOLS", REPO / ".audit-tools"))
TOP = 10
#: node's heap for the theme's worker: 2.5 GB resident at 10,129 papers, so room to spare.
THEME_HEAP_MB = 6144
#: What the search page ranks by title and shows first.
PAGE = RESULTS_PER_PAGE
ENGINES = ("ours", "theme", "pagefind")
#: A paper page's URL, in any engine's result (the id is the group).
_PAPER_URL = re.compile("(?:^|/)" + re.escape(URL_FORMS["paper"]).replace(
    re.escape("{id}"), "([^/#?]+)"))
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("a an and are as at be by for from how in into is it its of on or our "
                  "the their this to via we what when where which with without".split())


# ------------------------------------------------------------------ query sets


def load_topics() -> list[dict]:
    """The judged topics: queries with graded papers, every later pool merged into ``judged``.

    A later pool (``judged_late``, ``judged_theme``) holds papers judged after the first
    pooling; a paper is judged once, in one of them.
    """
    topics = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))
    for topic in topics:
        for key in [k for k in topic if k.startswith("judged_")]:
            later = topic.pop(key)
            if set(later) & set(topic["judged"]):
                raise ValueError(f"{TOPICS}: {topic['query']!r}: {key} judges a paper again")
            topic["judged"] = {**topic["judged"], **later}
    return topics


def load_known() -> list[dict]:
    """The committed known-item queries, if any."""
    return yaml.safe_load(KNOWN.read_text(encoding="utf-8")) if KNOWN.exists() else []


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def make_known_items(archive: Archive, per_kind: int = 40, seed: int = 14) -> list[dict]:
    """Known-item queries, the same for the same archive and seed.

    Three kinds, ``per_kind`` each, of papers drawn at random: ``title-part`` (five
    consecutive title words), ``abstract-opening`` (the abstract's first ten words, as
    pasted) and ``title-words`` (three or four of the title's content words, shuffled: a
    half-remembered title).  A query is kept only if it names its paper alone (no other
    title holds the same run, no other abstract opens the same way), so each has one right
    answer.  Half of each kind, by the same seed, is held out of tuning.
    """
    rng = random.Random(seed)
    papers = list(archive.papers)
    titles = [" ".join(_words(p.title)) for p in papers]
    openings = [" ".join(_words(p.abstract)[:10]) for p in papers]
    out: list[dict] = []
    for kind in ("title-part", "abstract-opening", "title-words"):
        made: list[dict] = []
        order = list(range(len(papers)))
        rng.shuffle(order)
        for n in order:
            if len(made) >= per_kind:
                break
            words = _words(papers[n].title)
            if kind == "title-part":
                if len(words) < 7:
                    continue
                start = rng.randrange(0, len(words) - 5 + 1)
                query = " ".join(words[start:start + 5])
                if sum(query in t for t in titles) != 1:
                    continue
            elif kind == "abstract-opening":
                query = openings[n]
                if len(query.split()) < 10 or openings.count(query) != 1:
                    continue
            else:
                content = sorted({w for w in words if w not in _STOP and len(w) > 2})
                if len(content) < 4:
                    continue
                picked = rng.sample(content, rng.choice((3, 4)))
                query = " ".join(picked)
                if sum(all(w in t.split() for w in picked) for t in titles) != 1:
                    continue
            made.append({"query": query, "kind": kind, "paper": papers[n].id})
        for k, item in enumerate(made):
            item["set"] = "heldout" if k % 2 else "tune"
        out.extend(made)
    return out


# ------------------------------------------------------------------ engines


def run_ours(archive: Archive, queries: list[str], core: Path = CORE_JS,
             titles: tuple[str, ...] = ()) -> tuple[list[list[str]], list[str | None]]:
    """Top paper ids per query from the site's own client code under node.

    ``core``: another search-core.js, e.g. an earlier commit's, to compare with.
    ``titles`` are also typed in the header box (the last word as a prefix, its 8 results
    ranked by title), one index build for both: the second list is each one's first paper.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write_ours(archive, Path(tmp))
        return _ask_ours(folder, queries, core, titles)


def _write_ours(archive: Archive, folder: Path) -> Path:
    """The site's search files for ``archive`` in ``folder``, with the lunr.js it ships."""
    for name, text in build_search(archive).files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "lunr.js").write_bytes(minified_lunr_js())
    return folder


def _ask_ours(folder: Path, queries: list[str], core: Path = CORE_JS,
              titles: tuple[str, ...] = ()) -> tuple[list[list[str]], list[str | None]]:
    """Ask the index in ``folder`` as the search page (and the header box, ``titles``) asks."""
    specs = ([{"query": q, "page": True, "show": PAGE} for q in queries]
             + [{"query": t, "prefix": True, "show": RESULTS_IN_BOX} for t in titles])
    spec = folder / "queries.json"
    spec.write_text(json.dumps(specs), encoding="utf-8")
    done = subprocess.run(["node", str(DRIVER), str(folder), str(core), str(spec)],
                          capture_output=True, text=True, check=True)
    answers = json.loads(done.stdout)
    return ([a["ids"][:TOP] for a in answers[:len(queries)]],
            [a["ids"][0] if a["ids"] else None for a in answers[len(queries):]])


#: The field boosts tried by ``--tune-boosts`` (title, tags; abstract stays 1: only the
#: ratios matter, every score scaling with them alike).  Authors (3) are not tuned: no
#: judged query names a person.
BOOST_GRID = tuple((title, tags) for title in (3, 5, 10, 20) for tags in (0, 2, 5, 10))


def tune_boosts(archive: Archive, topics: list[dict], known: list[dict],
                grid: tuple[tuple[float, float], ...] = BOOST_GRID,
                ) -> tuple[list[dict], dict[str, list[list[str]]]]:
    """Ours on the *tuning* queries only, for each (title, tags) boost of ``grid``.

    Returns a row of figures per boost and each boost's top 10 per tuning topic (what
    ``--pool`` lists the unjudged papers of).

    One index is built; the client applies the boosts it reads from the manifest (the
    weights in the shards are normalised per field, so a boost is the manifest's alone),
    so each grid point rewrites the manifest and asks again.
    """
    topics = [t for t in topics if t["set"] == "tune"]
    known = [k for k in known if k["set"] == "tune"]
    queries = [t["query"] for t in topics] + [k["query"] for k in known]
    cases = [{"set": "tune", "grades": t["judged"]} for t in topics]
    items = [{"set": "tune", "grades": {k["paper"]: 1}} for k in known]
    rows = []
    runs: dict[str, list[list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write_ours(archive, Path(tmp))
        manifest_file = folder / "manifest.json"
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        for title, tags in grid:
            boosts = {"title": title, "tags": tags}
            for field in manifest["fields"]:
                field["boost"] = boosts.get(field["name"], field["boost"])
            manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
            ranked = _ask_ours(folder, queries)[0]
            runs[f"{title}/{tags}"] = ranked[:len(topics)]
            topic = score(cases, {"ours": ranked[:len(topics)]})["ours"]["tune"]
            item = score(items, {"ours": ranked[len(topics):]})["ours"]["tune"]
            rows.append({"title": title, "tags": tags, **topic, "known mrr": item["mrr"]})
            print(f"title {title} tags {tags}: nDCG@10 {topic['ndcg@10']:.3f} P@5 "
                  f"{topic['p@5']:.3f} known MRR {item['mrr']:.3f}", file=sys.stderr)
    return rows, runs


def _paper_ids(locations: list[str], limit: int = TOP) -> list[str]:
    ids: list[str] = []
    for location in locations:
        match = _PAPER_URL.search(location)
        if match and match.group(1) not in ids:
            ids.append(match.group(1))
    return ids[:limit]


def run_theme(site: Path, queries: list[str]) -> list[list[str]]:
    """Top paper ids per query from the theme's search worker under node.

    Its progress (index build, each query's seconds) goes to our stderr as it comes: at
    10,129 papers the worker builds its index in about 20 s of CPU and 1.2 GB of heap,
    then takes seconds per query (every word is completed as a prefix and every matching
    page highlighted), a ten-word query the longest.
    """
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "queries.json"
        spec.write_text(json.dumps(queries), encoding="utf-8")
        done = subprocess.run(["node", f"--max-old-space-size={THEME_HEAP_MB}",
                               str(THEME_DRIVER), str(worker),
                               str(site / "search" / "search_index.json"), str(spec),
                               str(TOP * 4)],
                              stdout=subprocess.PIPE, text=True, check=True)
    return [_paper_ids(pages) for pages in json.loads(done.stdout)]


#: In the page: Pagefind's own search API, the top pages' URLs per query.
_PAGEFIND = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const out = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    const top = found ? found.results.slice(0, %d) : [];
    out.push((await Promise.all(top.map((r) => r.data()))).map((d) => d.url));
  }
  return out;
}"""


def run_pagefind(site: Path, queries: list[str]) -> list[list[str]]:
    """Top paper ids per query from Pagefind's index of the site, in Chromium."""
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "about/")
        urls = page.evaluate(_PAGEFIND % (TOP * 2), queries)
    return [_paper_ids(found) for found in urls]


# ------------------------------------------------------------------ building


def build_sites(root: Path) -> Path:
    """The archive's pages built with the theme's search plugin on, then Pagefind's index.

    Everything under ``.bench/relevance/`` (git-ignored); returns the built site.
    """
    shutil.rmtree(WORK, ignore_errors=True)
    docs = WORK / "docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns(*GENERATED_AREAS))
    subprocess.run([sys.executable, "-m", "generator", "generate", "--root", str(root),
                    "--docs", str(docs)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    site = build_theme_site(docs, WORK, WORK / "site")
    subprocess.run([str(TOOLS / "node_modules" / ".bin" / "pagefind"), "--site", str(site),
                    "--root-selector", "article"], check=True, stdout=subprocess.DEVNULL)
    return site


# ------------------------------------------------------------------ scoring


def ndcg(ranked: list[str], grades: dict[str, int], k: int = TOP) -> float:
    """nDCG@k of one ranking against graded judgements (gain 2^grade - 1)."""
    gain = sum((2 ** grades.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def precision(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    """The share of the top ``k`` judged relevant (grade 1 or more)."""
    return sum(1 for p in ranked[:k] if grades.get(p, 0) >= 1) / k


def reciprocal_rank(ranked: list[str], grades: dict[str, int], k: int = TOP) -> float:
    """1 / the rank of the first relevant paper in the top ``k``, else 0."""
    return next((1 / (i + 1) for i, p in enumerate(ranked[:k]) if grades.get(p, 0) >= 1), 0.0)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def score(cases: list[dict], runs: dict[str, list[list[str]]]) -> dict:
    """Per engine and set: mean nDCG@10, P@5, MRR, and unjudged papers in the top 10."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    for engine, ranked in runs.items():
        for which in ("tune", "heldout", "all"):
            picked = [(c, r) for c, r in zip(cases, ranked, strict=True)
                      if which == "all" or c["set"] == which]
            table.setdefault(engine, {})[which] = {
                "n": len(picked),
                "ndcg@10": _mean([ndcg(r, c["grades"]) for c, r in picked]),
                "p@5": _mean([precision(r, c["grades"]) for c, r in picked]),
                "mrr": _mean([reciprocal_rank(r, c["grades"]) for c, r in picked]),
                "unjudged": sum(1 for c, r in picked for p in r if p not in c["grades"]),
            }
    return table


def print_table(title: str, table: dict, metrics: tuple[str, ...]) -> None:
    """One Markdown table: an engine per row, a metric per column."""
    engines = list(table)
    print(f"\n{title}\n")
    print("| set | metric | " + " | ".join(engines) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in engines) + " |")
    for which in ("tune", "heldout", "all"):
        n = table[engines[0]][which]["n"]
        for metric in metrics:
            cells = [f"{table[e][which][metric]:.3f}" if metric != "unjudged"
                     else str(table[e][which][metric]) for e in engines]
            print(f"| {which} ({n}) | {metric} | " + " | ".join(cells) + " |")


# ------------------------------------------------------------------ main


def _runs(engines: tuple[str, ...], archive: Archive, site: Path, queries: list[str],
          before: Path | None = None, titles: tuple[str, ...] = (),
          saved: dict[str, list[list[str]]] | None = None, save: Path | None = None,
          ) -> tuple[dict[str, list[list[str]]], list[str | None]]:
    """Each engine's top 10 per query, and the first paper of each of ``titles``.

    The titles are typed in our header box; ``saved`` engines are taken as they are.
    ``save``: written after each engine, so a long run is not lost to a later failure.
    """
    runs: dict[str, list[list[str]]] = {}
    first: list[str | None] = []
    if before:
        runs["ours before"] = run_ours(archive, queries, before)[0]
    for engine in engines:
        started = time.perf_counter()
        if saved and engine in saved:
            runs[engine] = saved[engine]
            print(f"{engine}: {len(queries)} queries reused", file=sys.stderr)
        elif engine == "ours":
            runs[engine], first = run_ours(archive, queries, titles=titles)
        elif engine == "theme":
            runs[engine] = run_theme(site, queries)
        else:
            runs[engine] = run_pagefind(site, queries)
        if not (saved and engine in saved):
            print(f"{engine}: {len(queries)} queries in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
        if save:
            save.write_text(json.dumps({"queries": queries, "runs": runs}), encoding="utf-8")
    return runs, first


# ------------------------------------------------------------------ what readers paste


#: The forms a reader pastes an arXiv id in (``{}``: the id).
ID_FORMS = ("{}", "{}v1", "arXiv:{}", "https://arxiv.org/abs/{}")


def typo_of(word: str) -> str:
    """A typo made by dropping the middle letter (``transformer`` -> ``transormer``)."""
    return word[:len(word) // 2] + word[len(word) // 2 + 1:]


def reader_queries(archive: Archive, known: list[dict]) -> list[dict]:
    """Queries derived from the known items' papers, no judging needed.

    Per paper with an arXiv id its :data:`ID_FORMS` (the paper first); its first author's
    whole name (two to four words: a paper by that author first); its title-part query
    with the middle letter of the longest word of 7 letters or more dropped (the paper in
    the top 10, as the query without the typo finds it).  ``set`` is the known item's, so
    the held-out half is reported apart.
    """
    by_id = {p.id: p for p in archive.papers}
    out: list[dict] = []
    for item in known:
        paper = by_id[item["paper"]]
        if item["kind"] == "title-part":
            words = item["query"].split()
            long = [w for w in words if len(w) >= 7 and w.isalpha()]
            if long:
                word = max(long, key=len)
                typo = " ".join(typo_of(w) if w == word else w for w in words)
                out.append({"kind": "typo", "set": item["set"], "query": typo,
                            "wanted": {paper.id}})
        if paper.arxiv_id and item["kind"] == "title-part":
            out += [{"kind": "arXiv id", "set": item["set"], "query": form.format(paper.arxiv_id),
                     "wanted": {paper.id}} for form in ID_FORMS]
        if paper.authors and item["kind"] == "title-part" and 2 <= len(
                paper.authors[0].split()) <= 4:
            name = paper.authors[0]
            out.append({"kind": "author name", "set": item["set"], "query": name,
                        "wanted": {p.id for p in archive.papers if name in p.authors}})
    return out


def reader_table(archive: Archive, known: list[dict], before: Path | None) -> None:
    """Print how often the wanted paper comes first (ids, names) or in the top 10 (typos)."""
    cases = reader_queries(archive, known)
    queries = [c["query"] for c in cases]
    cores = {"ours": CORE_JS, **({"ours before": before} if before else {})}
    runs = {name: run_ours(archive, queries, core)[0] for name, core in cores.items()}
    print(f"\nPasted ids, author names, typos ({len(cases)} queries from the known items' "
          f"papers; first: the wanted paper first; top 10: among the first 10)\n")
    print("| kind | set | queries | " + " | ".join(f"{e} first | {e} top 10" for e in runs)
          + " |")
    print("| --- | --- | ---: | " + " | ".join("---: | ---:" for _ in runs) + " |")
    for kind in ("arXiv id", "author name", "typo"):
        for part in ("tune", "heldout"):
            picked = [n for n, c in enumerate(cases) if c["kind"] == kind and c["set"] == part]
            if not picked:
                continue
            cells = []
            for ranked in runs.values():
                first = sum(1 for n in picked if ranked[n][:1] and ranked[n][0] in
                            cases[n]["wanted"])
                top = sum(1 for n in picked if set(ranked[n][:TOP]) & cases[n]["wanted"])
                cells.append(f"{first} | {top}")
            print(f"| {kind} | {part} | {len(picked)} | " + " | ".join(cells) + " |")


def _known_ids(ranked: list[str], ids: set[str]) -> list[str]:
    """Paper ids of a page URL mapped to the archive's where only hyphens differ.

    A site built from an earlier import of the same dump may spell an id's slug with a
    hyphen more (``x-2-gaussian-...`` for ``x2-gaussian-...``): the same paper.
    """
    bare = {i.replace("-", ""): i for i in ids}
    return [p if p in ids else bare.get(p.replace("-", ""), p) for p in ranked]


def write_pool(path: Path, archive: Archive, topics: list[dict],
               runs: dict[str, list[list[str]]]) -> int:
    """The pooled papers not judged yet, shuffled per query (blind to the engine)."""
    by_id = {p.id: p for p in archive.papers}
    pool = []
    for n, topic in enumerate(topics):
        found = sorted({p for ranked in runs.values() for p in ranked[n]} - set(topic["judged"]))
        random.Random(n).shuffle(found)
        for paper_id in found:
            paper = by_id[paper_id]
            pool.append({"query": topic["query"], "paper": paper_id, "title": paper.title,
                         "abstract": paper.abstract})
    path.write_text(json.dumps(pool, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(pool)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen engines on the topics and known items and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the judged archive folder")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse the theme/Pagefind site in .bench/relevance/")
    parser.add_argument("--only", action="append", choices=ENGINES,
                        help="run only this engine (repeatable); default: all three")
    parser.add_argument("--pool", type=Path, help="write the unjudged pooled papers here")
    parser.add_argument("--before", type=Path, metavar="CORE_JS",
                        help="also run ours with this search-core.js (e.g. `git show "
                             "REV:overrides/assets/javascripts/search-core.js`)")
    parser.add_argument("--save-runs", type=Path, metavar="FILE",
                        help="write every engine's top 10 per query here (JSON)")
    parser.add_argument("--load-runs", type=Path, metavar="FILE", action="append",
                        help="take the engines of a --save-runs file from it instead of "
                             "running them (the theme's search takes long at 10,000 papers); "
                             "repeatable, a later file's engine wins")
    parser.add_argument("--site", type=Path, default=WORK / "site",
                        help="the built site of the theme and Pagefind (default: the one "
                             "this script builds in .bench/relevance/site)")
    parser.add_argument("--tune-boosts", action="store_true",
                        help="ours only, on the tuning queries only: the field boost grid "
                             "(BOOST_GRID), one table row per boost")
    parser.add_argument("--reader", action="store_true",
                        help="also the pasted-id, author-name and typo queries made from the "
                             "known items' papers (ours, and --before)")
    parser.add_argument("--make-known-items", action="store_true",
                        help=f"(re)write {KNOWN.relative_to(REPO)} from the archive")
    args = parser.parse_args(argv)

    archive, problems = load_archive(args.root)
    if args.make_known_items:
        items = make_known_items(archive)
        KNOWN.write_text("# Known-item queries (benchmarks/search_relevance.py "
                         "--make-known-items; seed 14).\n"
                         + yaml.safe_dump(items, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
        print(f"{len(items)} known-item queries written to {KNOWN}")
        return 0
    engines = tuple(args.only or ENGINES)
    site = args.site

    topics = load_topics()
    known = load_known()
    by_id = {p.id for p in archive.papers}
    known = [k for k in known if k["paper"] in by_id]
    if args.tune_boosts:
        rows, grid_runs = tune_boosts(archive, topics, known)
        if args.save_runs:
            tuning = [t["query"] for t in topics if t["set"] == "tune"]
            args.save_runs.write_text(json.dumps({"queries": tuning, "runs": grid_runs}),
                                      encoding="utf-8")
        if args.pool:
            tuning = [t for t in topics if t["set"] == "tune"]
            print(f"{write_pool(args.pool, archive, tuning, grid_runs)} unjudged pooled papers "
                  f"written to {args.pool}")
            return 0
        print(f"Field boosts on the tuning queries, {time.strftime('%Y-%m-%d')}; "
              f"{len(archive.papers)} papers; abstract 1, author 3\n")
        print("| title | tags | topic nDCG@10 | topic P@5 | topic MRR | unjudged | "
              "known-item MRR |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r['title']} | {r['tags']} | {r['ndcg@10']:.3f} | {r['p@5']:.3f} | "
                  f"{r['mrr']:.3f} | {r['unjudged']} | {r['known mrr']:.3f} |")
        return 0
    queries = [t["query"] for t in topics] + [k["query"] for k in known]
    saved: dict[str, list[list[str]]] = {}
    for path in args.load_runs or ():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["queries"] != queries:
            parser.error(f"{path}: made for other queries")
        saved.update({e: r for e, r in stored["runs"].items() if e in engines})
    if (set(engines) - {"ours"} - set(saved) and not (args.skip_build and site.exists())
            and args.site == WORK / "site"):
        site = build_sites(args.root)
    # the seed records present: each title typed in the box should find its paper first
    held = {p.id for p in archive.papers}
    seed = {p.id: p.title for p in load_archive(REPO / "archive")[0].papers if p.id in held}
    runs, first = _runs(engines, archive, site, queries, args.before,
                        tuple(seed.values()) if "ours" in engines else (), saved, args.save_runs)
    runs = {e: [_known_ids(ranked, by_id) for ranked in r] for e, r in runs.items()}
    topic_runs = {e: r[:len(topics)] for e, r in runs.items()}
    known_runs = {e: r[len(topics):] for e, r in runs.items()}
    if args.pool:
        print(f"{write_pool(args.pool, archive, topics, topic_runs)} unjudged pooled papers "
              f"written to {args.pool}")
        return 0

    print(f"Relevance benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"{len(archive.papers)} papers ({len(problems)} problems)")
    cases = [{"set": t["set"], "grades": t["judged"]} for t in topics]
    print_table(f"Topic queries ({len(topics)}; graded by reading, pooled top {TOP})",
                score(cases, topic_runs), ("ndcg@10", "p@5", "mrr", "unjudged"))
    items = [{"set": k["set"], "grades": {k["paper"]: 1}} for k in known]
    print_table(f"Known-item queries ({len(known)})", score(items, known_runs), ("mrr",))
    for kind in ("title-part", "abstract-opening", "title-words"):
        picked = [n for n, k in enumerate(known) if k["kind"] == kind]
        means = {e: _mean([reciprocal_rank(r[n], items[n]["grades"]) for n in picked])
                 for e, r in known_runs.items()}
        line = ", ".join(f"{e} {m:.3f}" for e, m in means.items())
        print(f"known-item MRR, {kind} ({len(picked)}): {line}")
    if first:
        missed = [i for i, found in zip(seed, first, strict=True) if found != i]
        print(f"\nseed titles typed in the header box: {len(seed) - len(missed)} of {len(seed)} "
              f"find their paper first" + (f"; not: {', '.join(missed)}" if missed else ""))
    if args.reader:
        reader_table(archive, known, args.before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
