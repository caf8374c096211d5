"""Ways the learned tag layer could decide, compared on the cross-validation's folds.

Used by ``python -m benchmarks.tag_model_cv --variants``.  Every variant takes a paper's
ranked candidates (probabilities from the model of its fold) and what that fold's training
papers say (:class:`PairStats`), and returns the tags it would give; nothing here looks at
the paper's own judgement, so the figures stay cross-validated.  The variants:

* ``expected F``: per paper, the top ``k`` candidates that maximise the expected F-beta
  under the model's probabilities (each candidate a topic with its probability, the
  judged topics the rules miss counted in), instead of fixed thresholds;
* ``pairs``: the second tag conditioned on the first, from how often the judges of the
  training folds gave the two together when the rules offered both; and a veto on pairs
  the judges never gave together although the rules offered both many times;
* ``catch-all``: a higher bar for the broad tags (threshold 4 or more, e.g.
  language-models) as a second or later tag;
* ``stacked``: a second logistic regression that re-scores each candidate from its
  probability and the paper's context (its rank, the top candidate, the judges' pair rate
  with the top tag, how many candidates are strong), then the thresholds;
* ``t a+b``: the committed rule with other thresholds, so each variant can be compared
  with the thresholds that leave the same share of papers with one tag.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from generator import tagmodel
from generator.model import JudgedPaper, Vocabulary
from generator.tagging import score_paper, threshold


@dataclass(frozen=True)
class PairStats:
    """Counts over training papers: for a pair (a, b) of rule candidates of one paper."""

    #: papers where a is a judged topic and b a rule candidate
    offered: Counter[tuple[str, str]]
    #: ... and b is a judged topic too
    together: Counter[tuple[str, str]]
    #: share of the judged topics that are no rule candidate (what recall cannot reach)
    missed: float

    @classmethod
    def of(cls, papers: Iterable[JudgedPaper], candidates: dict[str, list[str]]) -> PairStats:
        """The counts over ``papers`` (a fold's training papers), their candidates given."""
        offered: Counter[tuple[str, str]] = Counter()
        together: Counter[tuple[str, str]] = Counter()
        judged = found = 0
        for p in papers:
            cands = candidates[p.key]
            truth = set(p.tags)
            judged += len(truth)
            found += len(truth & set(cands))
            for a in cands:
                if a not in truth:
                    continue
                for b in cands:
                    if b != a:
                        offered[a, b] += 1
                        together[a, b] += b in truth
        return cls(offered, together, 1 - found / judged if judged else 0.0)

    def conditional(self, a: str, b: str, prior: float, weight: float) -> float:
        """P(b is a topic | a is one, both offered), shrunk towards ``prior``."""
        n = self.offered[a, b]
        return (self.together[a, b] + weight * prior) / (n + weight)

    def never(self, a: str, b: str, at_least: int) -> bool:
        """The judges never gave b with a although the rules offered it ``at_least`` times."""
        return self.offered[a, b] >= at_least and self.together[a, b] == 0


def candidates_of(papers: Iterable[JudgedPaper], vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Every judged paper's rule candidates (computed once, shared by the folds)."""
    return {p.key: [s.tag for s in score_paper(p.title, p.abstract, vocabulary)]
            for p in papers}


Ranked = list[tagmodel.Ranked]


def _rare_kept(ranked: Ranked, model: tagmodel.TagModel) -> list[tagmodel.Ranked]:
    return [r for r in ranked if r.by_rules and r.score.tag in model.rare]


def expected_f(ranked: Ranked, model: tagmodel.TagModel, beta: float, missed: float,
               min_first: float = 0.0) -> list[tagmodel.Ranked]:
    """The top-k candidates with the highest expected F-beta (k >= 1), rare tags kept.

    Expected F-beta of the top k, as the usual plug-in estimate:
    (1 + b^2) * sum(p_1..p_k) / (k + b^2 * E[topics]), E[topics] = sum(p) / (1 - missed).
    """
    if not ranked:
        return []
    probs = [r.probability for r in ranked]
    topics = sum(probs) / (1 - missed)
    b2 = beta * beta
    best_k, best, run = 1, -1.0, 0.0
    for k in range(1, min(len(ranked), model.policy.max_tags) + 1):
        run += probs[k - 1]
        f = (1 + b2) * run / (k + b2 * topics)
        if f > best + 1e-12:
            best_k, best = k, f
    picked = ranked[:best_k]
    for r in _rare_kept(ranked, model):
        if r not in picked and len(picked) < model.policy.max_tags:
            picked.append(r)
    return picked


def paired(ranked: Ranked, model: tagmodel.TagModel, stats: PairStats, second: float,
           weight: float, veto: int | None) -> list[tagmodel.Ranked]:
    """The committed first choice; a second tag by its probability given the first tag.

    Above :data:`THRESHOLD` a candidate is kept unless the judges never gave it with the
    paper's top tag (``veto``: offered that many times); a paper left with one tag gets the
    candidate with the best conditional probability if it reaches ``second``.
    """
    picked = [r for r in ranked if r.probability >= tagmodel.THRESHOLD
              or (r.by_rules and r.score.tag in model.rare)][:model.policy.max_tags]
    if not picked:
        picked = ranked[:1]
    if not picked:
        return []
    top = picked[0].score.tag
    if veto is not None:
        picked = [picked[0]] + [r for r in picked[1:] if not stats.never(top, r.score.tag, veto)
                                or (r.by_rules and r.score.tag in model.rare)]
    if len(picked) == 1 and len(ranked) > 1:
        rest = [(stats.conditional(top, r.score.tag, r.probability, weight), r)
                for r in ranked[1:]]
        best_p, best = max(rest, key=lambda x: x[0])
        if best_p >= second:
            picked.append(best)
    return picked


def catch_all(ranked: Ranked, model: tagmodel.TagModel, broad_bar: float,
              ) -> list[tagmodel.Ranked]:
    """The committed choice, with broad tags as a second-or-later tag only from ``broad_bar``."""
    picked = model.choose(ranked)
    by_id = model.vocabulary.by_id()
    out = picked[:1] + [r for r in picked[1:]
                        if threshold(by_id[r.score.tag]) < 4 or r.probability >= broad_bar]
    return out


def thresholds(ranked: Ranked, model: tagmodel.TagModel, first: float, second: float,
               ) -> list[tagmodel.Ranked]:
    """:meth:`TagModel.choose` with other thresholds, the rare-tag fallback kept."""
    picked = [r for r in ranked if r.probability >= first
              or (r.by_rules and r.score.tag in model.rare)][:model.policy.max_tags]
    picked = picked or ranked[:1]
    if len(picked) == 1 and len(ranked) > 1 and ranked[1].probability >= second:
        picked.append(ranked[1])
    return picked


def _logit(p: float) -> float:
    p = min(max(p, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


def context(ranked: Ranked, stats: PairStats, vocabulary: Vocabulary) -> np.ndarray:
    """Second-stage features of each candidate: its logit, its rank, the paper's context.

    The context: the top candidate's logit, the judges' rate of giving this tag with the
    top one (:meth:`PairStats.conditional`), how many candidates reach 0.5, a broad tag,
    and (for the top one) the runner-up's logit.
    """
    by_id = vocabulary.by_id()
    top = ranked[0].score.tag
    strong = sum(r.probability >= 0.5 for r in ranked) / 3
    runner = _logit(ranked[1].probability) if len(ranked) > 1 else 0.0
    rows = []
    for i, r in enumerate(ranked):
        pair = stats.conditional(top, r.score.tag, r.probability, 5) if i else r.probability
        rows.append([1.0, _logit(r.probability), i == 0, i == 1, i == 2, i >= 3,
                     _logit(ranked[0].probability) * (i > 0), _logit(pair) * (i > 0), strong,
                     threshold(by_id[r.score.tag]) >= 4, runner * (i == 0)])
    return np.array(rows, dtype=float)


def stacked(ranked: dict[str, Ranked], truth: dict[str, set[str]], fold: dict[str, int],
            stats: dict[int, PairStats], vocabulary: Vocabulary) -> dict[str, Ranked]:
    """Every paper's candidates re-scored by a second logistic regression over context.

    For the papers of one fold, the second stage is fitted on the cross-validated
    probabilities of the other folds' papers (so it never sees the fold's judgements
    directly; the first-stage models that scored those papers did see them, a mild leak
    that flatters this variant, if anything).
    """
    x = {k: context(r, stats[fold[k]], vocabulary) for k, r in ranked.items() if r}
    y = {k: np.array([c.score.tag in truth[k] for c in ranked[k]], dtype=float) for k in x}
    out: dict[str, Ranked] = {k: r for k, r in ranked.items() if not r}
    for f in sorted(set(fold.values())):
        train = [k for k in sorted(x) if fold[k] != f]
        w = tagmodel.fit(np.vstack([x[k] for k in train]), np.concatenate([y[k] for k in train]))
        for k in sorted(x):
            if fold[k] == f:
                p = np.round(1.0 / (1.0 + np.exp(-(x[k] @ w))), tagmodel.ROUND)
                again = [replace(c, probability=float(q))
                         for c, q in zip(ranked[k], p, strict=True)]
                out[k] = sorted(again, key=lambda c: -c.probability)  # stable: ties keep rank
    return out
