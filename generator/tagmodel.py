"""A learned layer over the tag rules: which of a paper's rule candidates are its topics.

Why: the rules (:mod:`generator.tagging`) find the candidate tags and the words behind
them, but choosing among the candidates by fixed thresholds reached only about 66-74%
precision and 65-68% recall against independent judges on unseen papers.  With over a
thousand hand-judged papers committed (``archive/tag_training.yml``) a small model can
learn how much each kind of evidence is worth, per tag.

What it is, kept small enough to read:

* **Candidates** are the tags the rules score above zero (the evidence stays the rules'
  matched words, shown by ``tags suggest --explain``), and up to :data:`ADD_MAX` tags
  the rules missed that the text classifier scores :data:`ADD_FROM` or more (their
  evidence: the paper's words that raised that score most, also shown).
* **Features** per (paper, candidate tag): the rules' evidence (title keyword or hint,
  distinct abstract phrases, mentions, score, margin over the tag's threshold, whether the
  rules chose it, rank among the paper's candidates and share of its best score, a
  ``yields_to`` relation in play, a phrase in the first sentence or in a "we propose"
  sentence), the cosine between the paper's TF-IDF text vector and the tag's centroid of
  judged papers (words and adjacent pairs, as :func:`generator.related.features` cuts
  them), the score of a per-tag linear text classifier over the same TF-IDF vectors
  (:class:`TextClassifier`, :data:`TEXT_EVIDENCE`), and a bias per tag.
* **Model**: one logistic regression over all candidates (L2, Newton's method for a fixed
  number of steps from zeros: no random state, the same on every machine).  For the
  training papers the centroid cosine and the classifier's score are computed leaving
  the paper itself out, so the model does not learn to trust a text signal it would
  never see on new papers.
* **Choice**: candidates whose probability, rounded to :data:`ROUND` decimals (so float
  noise between machines cannot flip a decision), reaches :data:`THRESHOLD`, best first,
  at least one and at most the policy's maximum.

Trained when first needed, in the same process, from the committed file: no download, no
stored weights to drift from the data they came from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.model import JudgedPaper, Paper, Vocabulary
from generator.related import GENERIC_WORDS, STOP_WORDS
from generator.tagging import (
    Score,
    Tokens,
    brought_by_children,
    choose,
    context_notes,
    find,
    in_vocabulary_order,
    out_of_context,
    score_tokens,
    threshold,
    tokens,
    with_parents,
    yielded,
)
from generator.tagging import explain as rule_explain
from generator.tagging import suggest_tags as rule_tags
from generator.tagpolicy import Policy

#: L2 penalty on every weight (cross-validated: 0.3 to 3 score alike, 10 loses a point).
L2 = 1.0
#: Newton's method converges in about ten steps here; a fixed count keeps runs identical.
NEWTON_STEPS = 25
#: Probabilities are rounded to this many decimals before any comparison.
ROUND = 3
#: A candidate becomes a tag from this probability on ...
THRESHOLD = 0.55
#: ... and a paper's second-best candidate from this one, when it has one tag only: the
#: policy asks for two.  Cross-validated with the round-7 vocabulary (3,120 papers, the
#: layer as committed), 0.55 and 0.2 leave 8.2% of papers with one tag at 80.8% / 75.4%
#: precision / recall, where 0.5 and 0.3 left 13.3% at 81.1% / 75.9%
#: (docs/maintainers/tagging.md, round 7).
SECOND_THRESHOLD = 0.2
#: A tag with fewer judged papers than this is one the model cannot learn (a rare topic of
#: the field that the judged samples hardly met): where the rules choose it, it stays.
#: Without this the layer learned to drop the theory tags, which a 48,000-paper archive
#: then held once each (the policy wants 3 or more papers a tag).
RARE_POSITIVES = 10
#: Text features seen in fewer judged papers carry no evidence about a tag.
MIN_DF = 2
#: Ridge penalty of the text classifier (cross-validated, benchmarks.tag_model_cv).
TEXT_L2 = 1.0

_PROPOSE = frozenset({"propose", "introduce", "present", "develop"})
#: The evidence columns, in order (the per-tag biases follow them).
EVIDENCE = ("intercept", "title keyword", "title hint", "abstract phrases", "mentions",
            "score", "reached threshold", "margin", "chosen by rules", "rank",
            "share of best", "yields", "first sentence", "we-propose sentence",
            "centroid cosine", "cosine share of best", "broad tag")


#: Title words count this many times (readers judge a topic by the title first).
TITLE_TIMES = 3


def text_features(title: Tokens, abstract: Tokens) -> dict[str, int]:
    """Counts of a paper's content words and adjacent word pairs, the title weighted.

    Cut from the rules' own tokens (folded, singular), so the text is read once: stop
    words break pairs, a word ML papers all use (:data:`generator.related.GENERIC_WORDS`)
    is no feature alone, only in a pair.
    """
    counts: dict[str, int] = {}
    for toks, times in ((title, TITLE_TIMES), (abstract, 1)):
        stems, run = toks.stems, toks.run
        for i, word in enumerate(stems):
            if word in STOP_WORDS or len(word) < 2 or word.isdigit():
                continue
            if word not in GENERIC_WORDS:
                counts[word] = counts.get(word, 0) + times
            j = i + 1
            if j < len(stems) and run[j] == run[i]:
                other = stems[j]
                if not (other in STOP_WORDS or len(other) < 2 or other.isdigit()
                        or (word in GENERIC_WORDS and other in GENERIC_WORDS)):
                    pair = f"{word} {other}"
                    counts[pair] = counts.get(pair, 0) + times
    return counts


class TextSpace:
    """TF-IDF over the judged papers' words and pairs, and one centroid per tag."""

    def __init__(self, papers: Sequence[JudgedPaper], tag_ids: Sequence[str],
                 text_l2: float = TEXT_L2) -> None:
        counts = [text_features(tokens(p.title), tokens(p.abstract)) for p in papers]
        df: dict[str, int] = {}
        for c in counts:
            for term in c:
                df[term] = df.get(term, 0) + 1
        terms = sorted(t for t, n in df.items() if n >= MIN_DF)
        self.index = {t: i for i, t in enumerate(terms)}
        n = len(papers)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
        self.tag_row = {t: i for i, t in enumerate(tag_ids)}
        # One sparse row a paper (~150 of 24,000 terms): a dense matrix would be 600 MB.
        rows = [self._vector(c) for c in counts]
        labels = np.zeros((n, len(tag_ids)))
        for i, p in enumerate(papers):
            for t in p.tags:
                if t in self.tag_row:
                    labels[i, self.tag_row[t]] = 1.0
        self.classifier = TextClassifier(rows, len(terms), labels, text_l2)
        self.sums = np.zeros((len(tag_ids), len(terms)))  # tags x terms: unnormalised centroids
        for (cols, vals), judged in zip(rows, labels, strict=True):
            for tag in np.flatnonzero(judged).tolist():
                self.sums[tag, cols] += vals
        self.sq = np.einsum("ij,ij->i", self.sums, self.sums)
        # Each training paper's cosine with every centroid, leaving the paper itself out
        # of its own tags' centroids (its vector has norm 1).
        dots = np.zeros((n, len(tag_ids)))
        for i, (cols, vals) in enumerate(rows):
            dots[i] = self.sums[:, cols] @ vals
        loo_sq = np.maximum(self.sq[None, :] - 2 * labels * dots + labels, 0.0)
        self.train_cos = np.where(loo_sq > 1e-12,
                                  (dots - labels) / np.sqrt(np.maximum(loo_sq, 1e-12)), 0.0)

    def _vector(self, counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF vector (sublinear tf, L2-normalised) as (columns, values)."""
        known = sorted((self.index[t], k) for t, k in counts.items() if t in self.index)
        cols = np.array([j for j, _ in known], dtype=np.int64)
        vals = np.array([(1.0 + math.log(k)) * self.idf[j] for j, k in known])
        norm = float(np.sqrt(vals @ vals)) if len(vals) else 0.0
        return cols, (vals / norm if norm else vals)

    def cosines(self, title: Tokens, abstract: Tokens) -> np.ndarray:
        """The paper's cosine with every tag's centroid (by :attr:`tag_row`)."""
        return self.read(title, abstract)[0]

    def read(self, title: Tokens, abstract: Tokens,
             ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """The centroid cosines, the classifier's scores and the TF-IDF vector of a paper."""
        cols, vals = self._vector(text_features(title, abstract))
        dots = self.sums[:, cols] @ vals
        cos = np.where(self.sq > 0, dots / np.sqrt(np.maximum(self.sq, 1e-12)), 0.0)
        return cos, self.classifier.scores(cols, vals), (cols, vals)

    def terms(self) -> list[str]:
        """The terms by column."""
        out = [""] * len(self.index)
        for t, j in self.index.items():
            out[j] = t
        return out


class TextClassifier:
    """One linear text classifier per tag: ridge regression of the judged labels on TF-IDF.

    Why ridge (regularised least squares) and not logistic: with one sparse row per
    paper it has a closed form in the papers' kernel (``K = X X'``, papers x papers), so
    all tags train in one linear solve, and each training paper's *leave-one-out* score
    is exact and free (``y - (y - f) / (1 - h)``), which is what the stacked model must
    learn from: a score on a paper the classifier never saw.  The weights are kept as
    a terms x tags matrix, so a new paper's scores are its few non-zero terms times their
    rows, and the words behind a score can be shown.  No random state, no iteration.
    """

    def __init__(self, rows: Sequence[tuple[np.ndarray, np.ndarray]], terms: int,
                 labels: np.ndarray, l2: float = TEXT_L2) -> None:
        """Train on one sparse TF-IDF row (columns, values) per paper and its 0/1 labels."""
        n, tags = labels.shape
        self.weights = np.zeros((terms, tags))
        self.bias = np.zeros(tags)
        self.train_scores = np.zeros((n, tags))
        if n == 0:
            return
        kernel = np.ones((n, n))  # the constant column: an intercept per tag
        # K = X X' from the posting list of each term, in column order.
        posting: dict[int, tuple[list[int], list[float]]] = {}
        for i, (cols, vals) in enumerate(rows):
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                papers, values = posting.setdefault(j, ([], []))
                papers.append(i)
                values.append(v)
        for j in sorted(posting):
            idx, v = np.array(posting[j][0]), np.array(posting[j][1])
            kernel[np.ix_(idx, idx)] += np.outer(v, v)
        inverse = np.linalg.inv(kernel + l2 * np.eye(n))
        alpha = inverse @ labels
        for (cols, vals), a in zip(rows, alpha, strict=True):
            self.weights[cols] += vals[:, None] * a[None, :]
        self.bias = alpha.sum(axis=0)
        fitted = kernel @ alpha
        # Leave-one-out: H = K (K + l2 I)^-1 = I - l2 (K + l2 I)^-1, so 1 - h_ii is
        # l2 times the inverse's diagonal.
        self.train_scores = labels - (labels - fitted) / (l2 * np.diag(inverse))[:, None]

    def scores(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Every tag's score for a paper's TF-IDF vector (as columns and values)."""
        out: np.ndarray = vals @ self.weights[cols] + self.bias
        return out

    def reasons(self, cols: np.ndarray, vals: np.ndarray, tag: int, terms: list[str],
                top: int = 4) -> list[tuple[str, float]]:
        """The paper's terms that add most to the tag's score, with what each adds."""
        parts = vals * self.weights[cols, tag]
        order = sorted(range(len(cols)), key=lambda k: (-parts[k], int(cols[k])))
        return [(terms[int(cols[k])], float(parts[k])) for k in order[:top] if parts[k] > 0]


def _sentences(abstract: str) -> tuple[Tokens, Tokens]:
    """The first sentence and the "we propose/introduce/present" sentences, as tokens."""
    sentences = abstract.replace("\n", " ").split(". ")
    claims = [c for c in sentences if any(w in c.lower() for w in _PROPOSE)]
    return tokens(sentences[0]), tokens(". ".join(claims))


def evidence(abstract: str, scores: list[Score], chosen: set[str], vocabulary: Vocabulary,
             cos: np.ndarray, tag_row: dict[str, int]) -> np.ndarray:
    """The :data:`EVIDENCE` columns of each candidate in ``scores`` (rows in that order)."""
    by_id = vocabulary.by_id()
    named = {s.tag for s in scores if s.score >= threshold(by_id[s.tag])}
    first, claims = _sentences(abstract)
    top = scores[0].score if scores else 1
    best_cos = max((float(cos[tag_row[s.tag]]) for s in scores), default=0.0)
    rows = np.zeros((len(scores), len(EVIDENCE)))
    for k, s in enumerate(scores):
        tag = by_id[s.tag]
        keywords = set(tag.rules.keywords)
        title_kw = any(h.field == "title" and h.phrase in keywords for h in s.hits)
        in_title = any(h.field == "title" for h in s.hits)
        in_abs = [h for h in s.hits if h.field == "abstract"]
        limit = threshold(tag)
        c = float(cos[tag_row[s.tag]])
        rows[k] = [
            1.0, title_kw, in_title and not title_kw, min(len(in_abs), 5) / 5,
            math.log1p(sum(h.count for h in in_abs)), math.log1p(s.score), s.score >= limit,
            max(-3.0, min(3.0, s.score - limit)) / 3, s.tag in chosen, 1.0 / (1 + k),
            s.score / top if top else 0.0, yielded(tag, named) is not None,
            any(find(h.phrase, first) for h in in_abs),
            any(find(h.phrase, claims) for h in in_abs),
            c, c / best_cos if best_cos > 0 else 0.0, limit >= 4,
        ]
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = NEWTON_STEPS) -> np.ndarray:
    """Weights of an L2 logistic regression by Newton's method from zeros (deterministic)."""
    w = np.zeros(x.shape[1])
    ridge = l2 * np.eye(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + ridge @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge
        w -= np.linalg.solve(hess, grad)
    return w


@dataclass(frozen=True)
class Ranked:
    """One candidate tag of a paper: the rules' score and evidence, the model's probability.

    ``by_rules`` says whether the rules alone choose the tag for the paper: decided once,
    over the rules' own (score) order, so no later re-sorting can change it.
    """

    score: Score
    probability: float
    by_rules: bool


#: The text classifier's columns of a candidate's features (after :data:`EVIDENCE`).
TEXT_EVIDENCE = ("text score", "text share of best", "text rank", "added by text")
#: A tag the rules do not name becomes a candidate from this classifier score on.
ADD_FROM = 0.25
#: At most this many such candidates a paper, best first.
ADD_MAX = 2


@dataclass(frozen=True)
class Options:
    """What the layer reads (the defaults are what the tools use; the CV compares others)."""

    text: bool = True
    add_from: float | None = ADD_FROM
    add_max: int = ADD_MAX
    text_l2: float = TEXT_L2


def text_evidence(scores: list[Score], text: np.ndarray, tag_row: dict[str, int],
                  ) -> np.ndarray:
    """The :data:`TEXT_EVIDENCE` columns of each candidate (the classifier's view of it)."""
    own = np.array([text[tag_row[s.tag]] for s in scores], dtype=float)
    best = max(float(own.max()), 0.0) if len(scores) else 0.0
    rank = (text[None, :] > own[:, None]).sum(axis=1)  # tags scored higher
    rows = np.zeros((len(scores), len(TEXT_EVIDENCE)))
    rows[:, 0] = np.clip(own, -0.5, 1.5)
    rows[:, 1] = own / best if best > 0 else 0.0
    rows[:, 2] = 1.0 / (1 + rank)
    rows[:, 3] = [not s.hits for s in scores]
    return rows


def added(scores: list[Score], text: np.ndarray, tag_ids: Sequence[str], options: Options,
          blocked: frozenset[str] = frozenset()) -> list[Score]:
    """``scores`` and, after them, the tags the rules missed that the classifier rates high.

    An added candidate has score 0 and no hits: its evidence is the classifier's (the
    words :meth:`TextClassifier.reasons` gives, shown by ``tags suggest --explain``).
    A tag in ``blocked`` (:func:`generator.tagging.out_of_context`) is never added.
    """
    if options.add_from is None:
        return scores
    named = {s.tag for s in scores} | blocked
    rounded = np.round(text, ROUND)
    extra = sorted((-float(rounded[n]), n) for n in np.flatnonzero(rounded >= options.add_from)
                   .tolist() if tag_ids[n] not in named)
    return scores + [Score(tag_ids[n], 0) for _, n in extra[:options.add_max]]


class TagModel:
    """The trained layer: rule evidence and text similarity to per-tag probabilities."""

    def __init__(self, vocabulary: Vocabulary, papers: Sequence[JudgedPaper],
                 policy: Policy, options: Options = Options()) -> None:
        self.vocabulary = vocabulary
        self.policy = policy
        self.options = options
        self.tag_ids = [t.id for t in vocabulary.tags]
        papers = sorted(papers, key=lambda p: p.key)  # the file's order must not matter
        self.space = TextSpace(papers, self.tag_ids, options.text_l2)
        judged = Counter(t for paper in papers for t in paper.tags)
        self.rare = frozenset(t for t in self.tag_ids if judged[t] < RARE_POSITIVES)
        rows, labels = [], []
        train_text = self.space.classifier.train_scores
        for i, paper in enumerate(papers):
            # Trained on every candidate, out of context or not: those are the negatives
            # the model learns a domain tag's caution from (gated here too, it learned
            # to add Medical imaging to plant-disease papers).  Only choosing is gated.
            scores = score_tokens(tokens(paper.title), tokens(paper.abstract), vocabulary,
                                  frozenset())
            scores = added(scores, train_text[i], self.tag_ids, options)
            if scores:
                chosen = {s.tag for s in choose(scores, vocabulary, policy)}
                rows.append(self._design(paper.abstract, scores, self.space.train_cos[i],
                                         train_text[i], chosen))
                labels += [s.tag in paper.tags for s in scores]
        width = len(EVIDENCE) + len(TEXT_EVIDENCE) * options.text + len(self.tag_ids)
        if not rows:
            self.weights = np.zeros(width)
            return
        self.weights = fit(np.vstack(rows), np.array(labels, dtype=float))

    def _design(self, abstract: str, scores: list[Score], cos: np.ndarray,
                text: np.ndarray, chosen: set[str]) -> np.ndarray:
        bias = np.zeros((len(scores), len(self.tag_ids)))
        for k, s in enumerate(scores):
            bias[k, self.space.tag_row[s.tag]] = 1.0
        ev = evidence(abstract, scores, chosen, self.vocabulary, cos, self.space.tag_row)
        if not self.options.text:
            return np.hstack([ev, bias])
        return np.hstack([ev, text_evidence(scores, text, self.space.tag_row), bias])

    def rank(self, title: str, abstract: str) -> list[Ranked]:
        """Every candidate of the paper with its probability, most likely first.

        The candidates are the rules' and those :func:`added` from the text classifier.
        """
        return self._rank(tokens(title), tokens(abstract), abstract)[0]

    def _rank(self, title_toks: Tokens, abstract_toks: Tokens, abstract: str,
              ) -> tuple[list[Ranked], tuple[np.ndarray, np.ndarray]]:
        cos, text, vector = self.space.read(title_toks, abstract_toks)
        blocked = out_of_context(title_toks, abstract_toks, self.vocabulary)
        scores = added(score_tokens(title_toks, abstract_toks, self.vocabulary, blocked),
                       text, self.tag_ids, self.options, blocked)
        if not scores:
            return [], vector
        # The rules' own decision, once: a feature, and the fallback of the rare tags.
        chosen = {s.tag for s in choose(scores, self.vocabulary, self.policy)}
        x = self._design(abstract, scores, cos, text, chosen)
        p = np.round(1.0 / (1.0 + np.exp(-(x @ self.weights))), ROUND)
        order = {t: i for i, t in enumerate(self.tag_ids)}
        ranked = [Ranked(s, float(q), s.tag in chosen)
                  for s, q in zip(scores, p, strict=True)]
        ranked.sort(key=lambda r: (-r.probability, -r.score.score, order[r.score.tag]))
        return ranked, vector

    def reasons(self, vector: tuple[np.ndarray, np.ndarray], tag: str,
                ) -> list[tuple[str, float]]:
        """The words that raise the classifier's score of ``tag`` on a paper most."""
        if self._terms is None:
            self._terms = self.space.terms()
        return self.space.classifier.reasons(*vector, self.space.tag_row[tag], self._terms)

    _terms: list[str] | None = None

    def choose(self, ranked: list[Ranked]) -> list[Ranked]:
        """The candidates that become tags (:data:`THRESHOLD`, :data:`SECOND_THRESHOLD`).

        A rare tag (:data:`RARE_POSITIVES`) the rules choose for the paper
        (:attr:`Ranked.by_rules`, decided in :meth:`rank`) is kept whatever its probability.
        At least one (a paper with candidates gets its likeliest), at most the policy's
        maximum.  Closed under parents (:func:`generator.tagging.with_parents`): a chosen
        narrower tag brings its parent (its candidate where it has one, else a stand-in
        with probability 0 and no evidence), and the parent counts as the paper's second
        tag, so no weaker second candidate is added next to the pair.
        """
        return self.choose_why(ranked)[0]

    def choose_why(self, ranked: list[Ranked]) -> tuple[list[Ranked], dict[str, str]]:
        """:meth:`choose`, and each parent kept only for its child (parent -> child id)."""
        picked = [r for r in ranked if r.probability >= THRESHOLD
                  or (r.by_rules and r.score.tag in self.rare)][:self.policy.max_tags]
        if not picked:
            picked = ranked[:1]
        own = list(picked)
        picked = self._close(picked, ranked)
        if (len(picked) == 1 and len(ranked) > 1 and self.policy.min_tags > 1
                and ranked[1].probability >= SECOND_THRESHOLD and ranked[1] not in picked):
            own.append(ranked[1])
            picked = self._close([*picked, ranked[1]], ranked)
        return picked, brought_by_children((r.score.tag for r in own),
                                           (r.score.tag for r in picked), self.vocabulary)

    def _close(self, picked: list[Ranked], ranked: list[Ranked]) -> list[Ranked]:
        candidates = {r.score.tag: r for r in ranked}
        return with_parents(picked, lambda r: r.score.tag,
                            lambda tag: candidates.get(tag) or Ranked(Score(tag, 0), 0.0, False),
                            self.vocabulary, self.policy.max_tags)


_models: dict[tuple[object, ...], TagModel] = {}
#: The last (vocabulary, policy, model): hashing 1,520 judged papers to find the model
#: cost a third of a millisecond a paper, so the same objects are found by identity first.
_last: list[tuple[Vocabulary, Policy, TagModel]] = []


def model_for(vocabulary: Vocabulary, policy: Policy) -> TagModel | None:
    """The model trained on ``vocabulary.training`` (None without training data).

    Trained once per process for the same tags, judgements and policy (a few seconds).
    """
    if not vocabulary.training:
        return None
    if _last and _last[0][0] is vocabulary and _last[0][1] is policy:
        return _last[0][2]
    key = (vocabulary.groups, vocabulary.tags, vocabulary.training, policy)
    model = _models.get(key)
    if model is None:
        if len(_models) > 4:
            _models.clear()
        model = _models[key] = TagModel(vocabulary, vocabulary.training, policy)
    _last[:] = [(vocabulary, policy, model)]
    return model


def suggest_tags(title: str, abstract: str, vocabulary: Vocabulary, policy: Policy,
                 ) -> tuple[str, ...]:
    """Tag ids suggested for a paper, in vocabulary order (what the tools write).

    ``import``, ``new`` and ``tags suggest`` suggest through here.  With hand-judged
    papers in ``vocabulary.training`` the model chooses among the rules' candidates;
    without, the rules alone (:func:`generator.tagging.suggest_tags`).
    """
    model = model_for(vocabulary, policy)
    if model is None:
        return rule_tags(title, abstract, vocabulary, policy)
    picked = model.choose(model.rank(title, abstract))
    return in_vocabulary_order((r.score.tag for r in picked), vocabulary)


def suggest_for(paper: Paper, vocabulary: Vocabulary, policy: Policy) -> tuple[str, ...]:
    """:func:`suggest_tags` for a loaded record."""
    return suggest_tags(paper.title, paper.abstract, vocabulary, policy)


def explain(title: str, abstract: str, vocabulary: Vocabulary, policy: Policy,
            ) -> list[tuple[Score, bool, str]]:
    """Every candidate with its rule evidence, whether it is suggested, and a note.

    With the model: candidates most likely first, each note the model's probability and
    the text classifier's score (``model 0.912; text 0.64``, and ``yields to <id>`` where
    that rule is in play, ``from narrower tag <id>`` for a parent chosen for its child:
    listed last, with that note alone, when it was no candidate); a candidate the
    classifier added (no rule phrase matched) also names the paper's words that raised
    its score most (``text 0.52 from 'agent' +0.11, 'tool use' +0.08``); without
    the model, the rules' own explanation (:func:`generator.tagging.explain`).
    """
    model = model_for(vocabulary, policy)
    if model is None:
        return rule_explain(title, abstract, vocabulary, policy)
    return explain_with(model, title, abstract)


def explain_with(model: TagModel, title: str, abstract: str,
                 ) -> list[tuple[Score, bool, str]]:
    """:func:`explain` by a given model."""
    vocabulary = model.vocabulary
    title_toks, abstract_toks = tokens(title), tokens(abstract)
    ranked, vector = model._rank(title_toks, abstract_toks, abstract)
    text = model.space.classifier.scores(*vector) if model.options.text else None
    picked, brought = model.choose_why(ranked)
    chosen = {r.score.tag for r in picked}
    by_id = vocabulary.by_id()
    named = {r.score.tag for r in ranked if r.score.score >= threshold(by_id[r.score.tag])}
    candidates = {r.score.tag for r in ranked}
    out = []
    for r in [*ranked, *(r for r in picked if r.score.tag not in candidates)]:
        tag = r.score.tag
        if tag not in candidates:  # a parent with no evidence of its own
            out.append((r.score, True, f"from narrower tag {brought.get(tag, '?')}"))
            continue
        other = yielded(by_id[tag], named)
        note = f"model {r.probability:.3f}"
        if text is not None:
            note += f"; text {text[model.space.tag_row[tag]]:.2f}"
            if not r.score.hits:
                words = model.reasons(vector, tag)
                note += " from " + ", ".join(f"{w!r} +{v:.2f}" for w, v in words)
        note += f"; yields to {other}" if other else ""
        note += f"; from narrower tag {brought[tag]}" if tag in brought else ""
        out.append((r.score, tag in chosen, note))
    return out + context_notes(title_toks, abstract_toks, vocabulary)
