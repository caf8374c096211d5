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
left with one tag.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable

from benchmarks.tag_corpus import REPO
from benchmarks.tag_eval import POLICY, quality
from generator import tagmodel
from generator.layout import Layout
from generator.model import JudgedPaper
from generator.tagging import suggest_tags as rule_tags
from generator.vocabulary import load_vocabulary

FOLDS = 5
#: Rows of the table: (name, which papers).
GROUPS: tuple[tuple[str, Callable[[JudgedPaper], bool]], ...] = (
    ("train-5, HF", lambda p: p.split == "train-5" and p.source == "hf"),
    ("train-5, arXiv", lambda p: p.split == "train-5" and p.source == "arxiv"),
    ("train-5, all", lambda p: p.split == "train-5"),
    ("train-6, HF", lambda p: p.split == "train-6" and p.source == "hf"),
    ("train-6, arXiv", lambda p: p.split == "train-6" and p.source == "arxiv"),
    ("train-6, all", lambda p: p.split == "train-6"),
    ("older parts, seed", lambda p: p.split not in ("train-5", "train-6") and p.source == "seed"),
    ("older parts, HF", lambda p: p.split not in ("train-5", "train-6") and p.source == "hf"),
    ("older parts, arXiv", lambda p: p.split not in ("train-5", "train-6") and p.source == "arxiv"),
    ("older parts, all", lambda p: p.split not in ("train-5", "train-6")),
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


def cross_validate(papers: list[JudgedPaper], options: tagmodel.Options | None = None,
                   ) -> dict[str, list[tagmodel.Ranked]]:
    """Every paper's ranked candidates from the model trained on the other folds."""
    vocabulary, _ = load_vocabulary(Layout(REPO / "archive"))
    ranked: dict[str, list[tagmodel.Ranked]] = {}
    for fold in range(FOLDS):
        train = [p for p in papers if fold_of(p.key) != fold]
        model = tagmodel.TagModel(vocabulary, train, POLICY, options or tagmodel.Options())
        for p in papers:
            if fold_of(p.key) == fold:
                ranked[p.key] = model.rank(p.title, p.abstract)
    return ranked


def pick(ranked: list[tagmodel.Ranked], first: float, second: float) -> list[str]:
    """:meth:`TagModel.choose` with other thresholds."""
    picked = [r for r in ranked if r.probability >= first][:POLICY.max_tags] or ranked[:1]
    if len(picked) == 1 and len(ranked) > 1 and ranked[1].probability >= second:
        picked.append(ranked[1])
    return [r.score.tag for r in picked]


def _cell(rows: list[JudgedPaper], chosen: dict[str, list[str]]) -> str:
    prec, rec, _, _ = quality((chosen[p.key], set(p.tags)) for p in rows)
    one = sum(len(chosen[p.key]) == 1 for p in rows) / (len(rows) or 1)
    return f"{100 * prec:4.1f} / {100 * rec:4.1f} / {100 * one:4.1f}"


def _table(papers: list[JudgedPaper], taggers: list[tuple[str, dict[str, list[str]]]]) -> None:
    print("precision / recall / share of papers with one tag, %")
    print(f"{'papers':<20} {'n':>5}  " + "  ".join(f"{name:<20}" for name, _ in taggers))
    for group, keep in GROUPS:
        rows = [p for p in papers if keep(p)]
        print(f"{group:<20} {len(rows):>5}  "
              + "  ".join(f"{_cell(rows, chosen):<20}" for _, chosen in taggers))


def main(argv: list[str]) -> int:
    """Run the cross-validation and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tag_model_cv")
    parser.add_argument("--sweep", action="store_true", help="also other thresholds")
    parser.add_argument("--variants", default="round 5,committed",
                        help=f"comma-separated, of: {', '.join(VARIANTS)}")
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
    settings = [(tagmodel.THRESHOLD, tagmodel.SECOND_THRESHOLD)]
    if args.sweep:
        settings += [(a, b) for a in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6) for b in (0.2, 0.3, 1.0)
                     if (a, b) != settings[0]]
    for variant in names:
        start = time.perf_counter()
        ranked = cross_validate(papers, VARIANTS[variant])
        seconds = time.perf_counter() - start
        held = sum(len({r.score.tag for r in ranked[p.key]} & set(p.tags)) for p in papers)
        total = sum(len(p.tags) for p in papers)
        print(f"{variant}: {len(papers)} judged papers, {FOLDS} folds ({seconds:.0f} s); "
              f"the candidates hold {100 * held / total:.1f}% of the judged topics")
        for first, second in settings:
            name = f"{variant} {first:.2f}" + (f"+{second:.2f}" if second < 1 else "")
            taggers.append((name, {k: pick(v, first, second) for k, v in ranked.items()}))
    for start in range(0, len(taggers), 4):
        _table(papers, taggers[:1] + taggers[max(1, start):start + 4] if start else taggers[:4])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
