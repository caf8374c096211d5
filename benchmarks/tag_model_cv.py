"""Cross-validation of the learned tag layer (generator/tagmodel.py) against the rules alone.

Prints figures and asserts nothing::

    python -m benchmarks.tag_model_cv            # 5 folds over the judged papers
    python -m benchmarks.tag_model_cv --sweep    # ... and other thresholds

The papers are those of ``archive/tag_training.yml`` (every judged part but held-out-3,
which is never read here).  Each paper goes to one of :data:`FOLDS` folds by a hash of its
key (the same on every machine, whatever the file's order); the model is trained on the
other folds and scores the papers of its fold, so every paper is scored by a model that
never saw it.  The rules are scored on the same papers; they were tuned on the older parts
(tuning ... held-out-4) and never on ``train-5``, so ``train-5`` is out of sample for both.
Figures: precision / recall (as ``benchmarks.tag_eval`` counts them) and the share of papers
left with one tag.  The committed row is :meth:`TagModel.choose` of each fold's model (its
rare-tag fallback included); ``--sweep`` rows are other thresholds without that fallback.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.tag_corpus import REPO
from benchmarks.tag_eval import POLICY, quality
from generator import tagmodel
from generator.layout import Layout
from generator.model import JudgedPaper, Vocabulary
from generator.tagging import suggest_tags as rule_tags
from generator.tagging import with_parents
from generator.vocabulary import load_vocabulary

FOLDS = 5
#: The parts judged by independent judges as training data, each with rows of its own.
TRAIN_SPLITS = ("train-5", "train-6", "train-9")
#: Rows of the table: (name, which papers).
GROUPS: tuple[tuple[str, Callable[[JudgedPaper], bool]], ...] = (
    *((f"{split}, {name}", lambda p, split=split, source=source:
       p.split == split and source in (None, p.source))
      for split in TRAIN_SPLITS for name, source in (("HF", "hf"), ("arXiv", "arxiv"),
                                                     ("all", None))),
    ("older parts, seed", lambda p: p.split not in TRAIN_SPLITS and p.source == "seed"),
    ("older parts, HF", lambda p: p.split not in TRAIN_SPLITS and p.source == "hf"),
    ("older parts, arXiv", lambda p: p.split not in TRAIN_SPLITS and p.source == "arxiv"),
    ("older parts, all", lambda p: p.split not in TRAIN_SPLITS),
    ("everything", lambda p: True),
)


def fold_of(key: str) -> int:
    """The fold of a paper: a hash of its key, not its place in the file."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % FOLDS


#: Variants of the layer compared side by side on the same folds (``--variants``).
VARIANTS: dict[str, tagmodel.Options] = {
    "round 5": tagmodel.Options(text=False, add_from=None),
    "text score": tagmodel.Options(add_from=None),
    "text+add .25": tagmodel.Options(add_from=0.25),
    "text+add .35": tagmodel.Options(add_from=0.35),
    "text+add .45": tagmodel.Options(add_from=0.45),
    "text+add .15": tagmodel.Options(add_from=0.15),
    "text+add .25x4": tagmodel.Options(add_from=0.25, add_max=4),
    "add .25 l2 .3": tagmodel.Options(add_from=0.25, text_l2=0.3),
    "add .25 l2 3": tagmodel.Options(add_from=0.25, text_l2=3.0),
    "committed": tagmodel.Options(),
}


@dataclass(frozen=True)
class Scored:
    """One judged paper as its fold saw it: the ranked candidates and the fold's model."""

    ranked: list[tagmodel.Ranked]
    model: tagmodel.TagModel


def cross_validate(papers: list[JudgedPaper], options: tagmodel.Options | None = None,
                   ) -> dict[str, Scored]:
    """Every paper's ranked candidates from the model trained on the other folds."""
    vocabulary, _ = load_vocabulary(Layout(REPO / "archive"))
    scored: dict[str, Scored] = {}
    for fold in range(FOLDS):
        train = [p for p in papers if fold_of(p.key) != fold]
        model = tagmodel.TagModel(vocabulary, train, POLICY, options or tagmodel.Options())
        for p in papers:
            if fold_of(p.key) == fold:
                scored[p.key] = Scored(model.rank(p.title, p.abstract), model)
    return scored


def pick(ranked: list[tagmodel.Ranked], first: float, second: float,
         vocabulary: Vocabulary) -> list[str]:
    """:meth:`TagModel.choose` with other thresholds (and no rare-tag fallback).

    Closed under parents as the committed choice is (the judged tags are), so the rows
    compare thresholds, not closure.
    """
    picked = [r for r in ranked if r.probability >= first][:POLICY.max_tags] or ranked[:1]
    picked = [r.score.tag for r in picked]
    if len(picked) == 1 and len(ranked) > 1 and ranked[1].probability >= second:
        picked.append(ranked[1].score.tag)
    return with_parents(picked, str, str, vocabulary, POLICY.max_tags)


def _calibration(papers: list[JudgedPaper], scored: dict[str, Scored]) -> None:
    """Whether the probabilities can be trusted, and where the committed choice goes wrong.

    Per probability band, the share of candidates that are judged topics; per place in
    the committed choice (first tag, second, ...), the share that are right.
    """
    truth = {p.key: set(p.tags) for p in papers}
    bands: dict[int, list[int]] = {}
    places: dict[int, list[int]] = {}
    for key, s in scored.items():
        for r in s.ranked:
            band = bands.setdefault(min(int(r.probability * 10), 9), [0, 0])
            band[0] += 1
            band[1] += r.score.tag in truth[key]
        for k, r in enumerate(s.model.choose(s.ranked)):
            place = places.setdefault(min(k, 3), [0, 0])
            place[0] += 1
            place[1] += r.score.tag in truth[key]
    print("candidates by probability band: share that are judged topics (candidates)")
    print("  " + "  ".join(f"{b / 10:.1f}-: {100 * h / n:.0f}% ({n})"
                           for b, (n, h) in sorted(bands.items())))
    print("committed choice, precision of the 1st / 2nd / 3rd / later tags")
    print("  " + "  ".join(f"{100 * h / n:.1f}% ({n})" for _, (n, h) in sorted(places.items())))


def variants(papers: list[JudgedPaper], scored: dict[str, Scored], vocabulary: Vocabulary,
             ) -> list[tuple[str, dict[str, list[str]]]]:
    """The decision variants of :mod:`benchmarks.tag_decisions`, on the same folds."""
    from benchmarks import tag_decisions as d

    candidates = d.candidates_of(papers, vocabulary)
    stats = {fold: d.PairStats.of([p for p in papers if fold_of(p.key) != fold], candidates)
             for fold in range(FOLDS)}
    print("judged topics no rule offers, per fold: "
          + ", ".join(f"{100 * s.missed:.1f}%" for s in stats.values()))
    _calibration(papers, scored)
    rows: list[tuple[str, Callable[[Scored, d.PairStats], list[tagmodel.Ranked]]]] = []
    for beta in (1.0, 0.8, 0.6, 0.5):
        rows.append((f"expected F b={beta}",
                     lambda s, st, beta=beta: d.expected_f(s.ranked, s.model, beta, st.missed)))
    for second, weight, veto in ((0.3, 5, None), (0.3, 10, None), (0.25, 5, None),
                                 (0.3, 5, 5), (0.3, 5, 10), (0.2, 5, None)):
        rows.append((f"pairs {second} w{weight}" + (f" veto{veto}" if veto else ""),
                     lambda s, st, a=second, w=weight, v=veto: d.paired(s.ranked, s.model, st,
                                                                      a, w, v)))
    for bar in (0.6, 0.7):
        rows.append((f"catch-all {bar}", lambda s, st, bar=bar: d.catch_all(s.ranked, s.model,
                                                                             bar)))
    frontier = ((0.5, 0.15), (0.5, 0.2), (0.6, 0.2), (0.5, 0.25), (0.55, 0.25), (0.6, 0.25),
                (0.55, 0.3), (0.6, 0.3), (0.45, 0.35), (0.5, 0.35), (0.45, 0.4), (0.55, 0.4))
    for first, second in frontier:
        rows.append((f"t {first}+{second}", lambda s, st, a=first, b=second:
                     d.thresholds(s.ranked, s.model, a, b)))
    out = [(name, {k: [r.score.tag for r in decide(s, stats[fold_of(k)])]
                   for k, s in scored.items()}) for name, decide in rows]
    again = d.stacked({k: s.ranked for k, s in scored.items()},
                      {p.key: set(p.tags) for p in papers},
                      {k: fold_of(k) for k in scored}, stats, vocabulary)
    for first, second in ((0.5, 0.2), (0.5, 0.25), (0.5, 0.3), (0.55, 0.3), (0.55, 0.35)):
        out.append((f"stacked t {first}+{second}",
                    {k: [r.score.tag for r in d.thresholds(again[k], s.model, first, second)]
                     for k, s in scored.items()}))
    return out


def _cell(rows: list[JudgedPaper], chosen: dict[str, list[str]]) -> str:
    prec, rec, _, _ = quality((chosen[p.key], set(p.tags)) for p in rows)
    one = sum(len(chosen[p.key]) == 1 for p in rows) / (len(rows) or 1)
    return f"{100 * prec:4.1f} / {100 * rec:4.1f} / {100 * one:4.1f}"


def _table(papers: list[JudgedPaper], taggers: list[tuple[str, dict[str, list[str]]]]) -> None:
    print("precision / recall / share of papers with one tag, %")
    print(f"{'papers':<20} {'n':>5}  " + "  ".join(f"{name:<20}" for name, _ in taggers))
    for group, keep in GROUPS:
        rows = [p for p in papers if keep(p)]
        if not rows:  # a part not judged yet (train-9)
            continue
        print(f"{group:<20} {len(rows):>5}  "
              + "  ".join(f"{_cell(rows, chosen):<20}" for _, chosen in taggers))


#: The columns of the side-by-side summary (``--decisions``): the independent judges' parts.
SUMMARY = ("train-5, all", "train-6, all", "train-9, all", "everything")


def _summary(papers: list[JudgedPaper], taggers: list[tuple[str, dict[str, list[str]]]],
             ) -> None:
    """One row per tagger, one column per judged part: every variant on the same folds."""
    groups = dict(GROUPS)
    rows = {g: [p for p in papers if groups[g](p)] for g in SUMMARY}
    print("precision / recall / share of papers with one tag, %")
    print(f"{'tagger':<26} " + " ".join(f"{g + f' ({len(rows[g])})':<20}" for g in SUMMARY))
    for name, chosen in taggers:
        print(f"{name:<26} " + " ".join(f"{_cell(rows[g], chosen):<20}" for g in SUMMARY))


def main(argv: list[str]) -> int:
    """Run the cross-validation and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tag_model_cv")
    parser.add_argument("--sweep", action="store_true", help="also other thresholds")
    parser.add_argument("--variants", default="committed",
                        help="layers to compare, comma-separated, of: "
                             f"{', '.join(VARIANTS)} (default: %(default)s)")
    parser.add_argument("--decisions", action="store_true",
                        help="also other ways to decide (benchmarks/tag_decisions.py)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(unknown)}")
    vocabulary, problems = load_vocabulary(Layout(REPO / "archive"))
    if problems or not vocabulary.training:
        print("\n".join(str(p) for p in problems) or "no training data", file=sys.stderr)
        return 1
    papers = sorted(vocabulary.training, key=lambda p: p.key)
    taggers = [("rules alone", {p.key: list(rule_tags(p.title, p.abstract, vocabulary, POLICY))
                                for p in papers})]
    total = sum(len(p.tags) for p in papers)
    for variant in names:
        start = time.perf_counter()
        scored = cross_validate(papers, VARIANTS[variant])
        seconds = time.perf_counter() - start
        held = sum(len({r.score.tag for r in scored[p.key].ranked} & set(p.tags))
                   for p in papers if p.key in scored)
        print(f"{variant}: {len(papers)} judged papers, {FOLDS} folds ({seconds:.0f} s); "
              f"the candidates hold {100 * held / total:.1f}% of the judged topics")
        taggers.append((variant, {k: [r.score.tag for r in s.model.choose(s.ranked)]
                                  for k, s in scored.items()}))
        if args.sweep:
            for first, second in [(a, b) for a in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
                                  for b in (0.2, 0.3, 1.0)]:
                name = f"{variant} {first:.2f}" + (f" + {second:.2f}" if second < 1 else "")
                taggers.append((name, {k: pick(s.ranked, first, second, vocabulary)
                                       for k, s in scored.items()}))
    if args.decisions:
        taggers += variants(papers, scored, vocabulary)
        _summary(papers, taggers)
        return 0
    for start in range(0, len(taggers), 4):
        _table(papers, taggers[:1] + taggers[max(1, start):start + 4] if start else taggers[:4])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
