"""Evaluation of the tagger: quality on the hand-judged sample, coverage on real archives.

Prints figures and asserts nothing (quality goals live here, not in tests)::

    python -m benchmarks.tag_eval               # everything: judged sample, seed, 10k, 50k
    python -m benchmarks.tag_eval --quick       # judged sample and seed only
    python -m benchmarks.tag_eval --errors tuning   # per-paper misses on the tuning half

Judged sample (``benchmarks/data/tag_judgements.yml``): precision is the share of
suggested tags that are among the paper's judged topics (its *real* topics, not merely
defensible ones); recall is the share of judged topics that are suggested.  Each part is
reported on its own row, in the order the parts were judged: ``tuning`` is what the first
rules were tuned on, ``held-out`` the first honest figure; the rules were then tuned on
both and ``held-out-2`` gave the second honest figure; the third round of tuning used all
three, and ``held-out-3`` (``benchmarks/data/tag_judgements_blind.yml``, dataset papers
judged blind by someone who did not write the rules) gave the third.  Round 4 (a new
vocabulary) tuned on ``tuning-4`` (judged while reading the tagger's output) and scored
``held-out-4`` (judged without it) once; ``held-out-3``, re-judged by an independent judge
against the round-4 vocabulary, stays hidden while tuning (``--tuning-only``) and is scored
once per round, after its last rule change.  Coverage: the
share of papers with 0, 1, 2-6 and more than 6 tags, and the largest tag's share, on the
seed records, on the Hugging Face dataset (9,876 papers) and on both datasets together
(deduplicated by arXiv id), tagged in memory exactly as ``import`` would tag them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from benchmarks.tag_corpus import REPO, Item, all_items
from generator import yamlio
from generator.layout import Layout
from generator.model import Vocabulary
from generator.tagging import format_hits
from generator.tagmodel import explain, suggest_tags
from generator.tagpolicy import load_policy
from generator.vocabulary import load_vocabulary

#: Every judged part but the blind one: also the learned layer's training data, so its
#: figures for the model are in sample (``benchmarks.tag_model_cv`` cross-validates).
JUDGEMENTS = REPO / "archive" / "tag_training.yml"
#: The samples judged blind by someone who did not write the rules (splits ``held-out-3``,
#: ``held-out-5`` and ``held-out-6``),
#: kept as its own file, as the judges delivered it (plus round 7's labels of its new tags).
BLIND_JUDGEMENTS = REPO / "benchmarks" / "data" / "tag_judgements_blind.yml"
#: A second judge's tags for some blind parts (same keys, judged apart): the tagger is
#: scored against them too, next to how far the two judges agree.
SECOND_JUDGEMENTS = REPO / "benchmarks" / "data" / "tag_judgements_second.yml"
#: The judged parts in the order they were judged.  ``held-out-3`` (the independent judge's)
#: is re-judged for each new vocabulary; ``tuning-4`` was judged while reading the tagger's
#: output and tuned on; ``held-out-4`` was judged without it and scored once, after tuning.
SPLITS = ("tuning", "held-out", "held-out-2", "held-out-3", "tuning-4", "held-out-4",
          "train-5", "train-6", "held-out-5", "held-out-6", "held-out-7",
          "held-out-8", "held-out-9", "held-out-10", "held-out-11")
#: The parts not yet looked at while tuning: ``--tuning-only`` hides them.
UNSEEN = ("held-out-3", "held-out-5", "held-out-6", "held-out-7", "held-out-8", "held-out-9",
          "held-out-10", "held-out-11")
#: The blind parts judged against the vocabulary of today (108 tags), pooled in one more row:
#: the honest figure with the most papers behind it.
POOLED = ("held-out-7", "held-out-8", "held-out-9", "held-out-10", "held-out-11")
POLICY = load_policy(REPO / "archive")


def load_judgements(paths: Iterable[Path] = (JUDGEMENTS, BLIND_JUDGEMENTS),
                    vocabulary: Vocabulary | None = None) -> list[dict]:
    """The judged papers of every file that exists: key, source, split, title, tags.

    Given the vocabulary, each paper's tags are read as it reads them, like the learned
    layer's training data (:func:`generator.vocabulary.load_training`): a renamed tag's
    old id (kept as an alias) as the current one, and a narrower tag with its parent
    (:meth:`Vocabulary.closed`), so a judged *Quantization* paper is judged *Efficiency*
    too and a tagger that adds the parent is not counted wrong for it.
    """
    papers: list[dict] = []
    for path in paths:
        if path.exists():
            papers += yamlio.load_strict(path, 64 * 1024 * 1024).data["papers"]
    if vocabulary is not None:
        for paper in papers:
            paper["tags"] = list(vocabulary.closed(vocabulary.resolve(t) or t
                                                   for t in paper["tags"]))
    return papers


def quality(rows: Iterable[tuple[tuple[str, ...], set[str]]]) -> tuple[float, float, int, int]:
    """(precision, recall, suggested, judged) over (suggested, judged) pairs."""
    suggested = judged = right = 0
    for tags, truth in rows:
        suggested += len(tags)
        judged += len(truth)
        right += len(set(tags) & truth)
    return (right / suggested if suggested else 0.0, right / judged if judged else 0.0,
            suggested, judged)


def coverage(tagged: list[tuple[str, ...]]) -> dict[str, float | str]:
    """Shares of papers by number of tags, and the most used tag with its share."""
    n = len(tagged) or 1
    sizes = Counter(min(len(t), POLICY.max_tags + 1) for t in tagged)
    counts = Counter(t for tags in tagged for t in tags)
    top, top_n = counts.most_common(1)[0] if counts else ("-", 0)
    return {"0": sizes[0] / n, "1": sizes[1] / n,
            "2-6": sum(sizes[k] for k in range(2, POLICY.max_tags + 1)) / n,
            ">6": sizes[POLICY.max_tags + 1] / n,
            "top": top, "top_share": top_n / n,
            "under3": sum(1 for c in counts.values() if c < POLICY.min_papers_per_tag)}


def _tag_all(items: list[Item], vocabulary: Vocabulary) -> tuple[list[tuple[str, ...]], float]:
    start = time.perf_counter()
    tagged = [suggest_tags(i.title, i.abstract, vocabulary, POLICY) for i in items]
    return tagged, time.perf_counter() - start


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def main(argv: list[str]) -> int:
    """Run the tagging evaluation and print its tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tag_eval")
    parser.add_argument("--quick", action="store_true", help="judged sample and seed only")
    parser.add_argument("--tuning-only", action="store_true",
                        help=f"hide the figures of the parts still held out ({', '.join(UNSEEN)}),"
                             " while tuning rules")
    parser.add_argument("--rules", action="store_true",
                        help="the rules alone, without the learned layer")
    parser.add_argument("--errors", choices=[s for s in SPLITS if s not in UNSEEN],
                        help="list wrong and missed tags per paper of that part (only parts "
                             "already used for tuning)")
    args = parser.parse_args(argv)
    vocabulary, problems = load_vocabulary(Layout(REPO / "archive"))
    if problems:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 1
    if args.rules:
        vocabulary = replace(vocabulary, training=())
    print("tagger: " + ("the rules alone" if not vocabulary.training else
                        f"the learned layer, trained on {len(vocabulary.training)} judged papers "
                        "(figures on them are in sample; held-out-3 is not among them)"))
    corpora = all_items()
    by_key = {i.key: i for items in corpora.values() for i in items}
    judged = load_judgements(vocabulary=vocabulary)  # renamed ids followed, parents added

    print(f"Judged sample ({len(judged)} papers), {len(vocabulary.tags)} tags")
    print(f"{'part':<13} {'source':<7} {'papers':>6} {'precision':>9} {'recall':>7} "
          f"{'suggested':>9} {'judged':>6}")
    present = {j["split"] for j in judged}
    splits = [s for s in SPLITS if s in present and not (args.tuning_only and s in UNSEEN)]
    tagged: dict[str, tuple[str, ...]] = {}

    def suggested(key: str) -> tuple[str, ...]:
        """The tagger's tags of a judged paper, once (the pooled row repeats the blind parts)."""
        if key not in tagged:
            tagged[key] = suggest_tags(by_key[key].title, by_key[key].abstract, vocabulary,
                                       POLICY)
        return tagged[key]

    pooled = [s for s in POOLED if s in splits]
    parts = [(s, [j for j in judged if j["split"] == s]) for s in splits]
    if len(pooled) > 1:
        parts.append(("blind 108", [j for j in judged if j["split"] in pooled]))
    for split, part in parts:
        for source in ("seed", "hf", "arxiv", "all"):
            rows = [j for j in part if source in ("all", j["source"])]
            if not rows:
                continue
            pairs = [(suggested(j["key"]), set(j["tags"])) for j in rows]
            p, r, s, t = quality(pairs)
            print(f"{split:<13} {source:<7} {len(rows):>6} {_pct(p):>9} {_pct(r):>7} "
                  f"{s:>9} {t:>6}")
    if SECOND_JUDGEMENTS.exists():
        first = {j["key"]: set(j["tags"]) for j in judged}
        second = [j for j in load_judgements((SECOND_JUDGEMENTS,), vocabulary)
                  if j["split"] in splits]
        for split in sorted({j["split"] for j in second}, key=splits.index):
            rows = [j for j in second if j["split"] == split]
            p, r, s, t = quality((suggested(j["key"]), set(j["tags"])) for j in rows)
            print(f"{split + ' B':<13} {'all':<7} {len(rows):>6} {_pct(p):>9} {_pct(r):>7} "
                  f"{s:>9} {t:>6}")
            p, r, _, _ = quality((tuple(j["tags"]), first[j["key"]]) for j in rows)
            same = sum(set(j["tags"]) == first[j["key"]] for j in rows)
            print(f"{'':<13} second judge against the first: {_pct(p)} / {_pct(r)}, "
                  f"{same} of {len(rows)} papers identical")
    if args.errors:
        for j in judged:
            if j["split"] != args.errors:
                continue
            item = by_key[j["key"]]
            truth = set(j["tags"])
            shown = explain(item.title, item.abstract, vocabulary, POLICY)
            got = {s.tag for s, chosen, _ in shown if chosen}
            if got == truth:
                continue
            print(f"\n{j['key']}  {item.title[:90]}")
            for s, chosen, note in shown:
                mark = ("ok  " if s.tag in truth else "BAD ") if chosen else (
                    "MISS" if s.tag in truth else "    ")
                if chosen or s.tag in truth:
                    print(f"  {mark} {s.tag:<32} {s.score:>2}  {format_hits(s)}"
                          + (f"  ({note})" if note else ""))
            for tag in sorted(truth - {s.tag for s, _, _ in shown}):
                print(f"  MISS {tag:<32}  0")

    print(f"\n{'corpus':<22} {'papers':>7} {'0 tags':>7} {'1 tag':>7} {'2-6':>7} {'>6':>6} "
          f"{'largest tag':<28} {'share':>6} {'<3 p.':>5} {'ms/paper':>8}")
    sets = [("seed records", corpora["seed"])]
    if not args.quick:
        both = list({i.key: i for i in corpora["hf"] + corpora["arxiv"]}.values())
        sets += [("hf-daily-papers (10k)", corpora["hf"]), ("hf + arxiv (50k)", both)]
    for name, items in sets:
        tagged, seconds = _tag_all(items, vocabulary)
        c = coverage(tagged)
        print(f"{name:<22} {len(items):>7} {_pct(c['0']):>7} {_pct(c['1']):>7} "
              f"{_pct(c['2-6']):>7} {_pct(c['>6']):>6} {c['top']:<28} "
              f"{_pct(c['top_share']):>6} {c['under3']:>5} {1000 * seconds / len(items):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
