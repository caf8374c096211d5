r"""Related papers: the few papers most like each paper, by text, computed at build time.

Why this way.  A reader who found one good paper wants the next one on the same topic; the
alphabetical Previous/Next links said nothing.  The similarity is the classic one that
holds up on short scientific text without a model download:

* **Features**: folded words of the title and abstract (the title's counted
  :data:`TITLE_TIMES` times, as readers judge a paper's topic by it), singular (so "world
  models" meets "world model"), minus stop words and words of one letter, plus pairs of
  adjacent content words ("denoising diffusion"), which carry most of the topic.  Words
  every field of machine learning uses (:data:`GENERIC_WORDS`: "model", "learning",
  "data", "effective") are no feature alone, only in a pair with a topic word ("world
  model", "contrastive learning").  A stop word breaks a pair, except "of" ("chain of
  thought" pairs "chain thought").  Math is left out: ``$x$`` and ``$\theta$`` say
  nothing about the topic.
* **Weights**: TF-IDF with sublinear term frequency (``1 + log tf``, which saturates like
  BM25's), smoothed IDF, L2-normalised.  Features in one paper only cannot link two papers
  and are dropped; features in more than :data:`MAX_DF` of papers are dropped as
  boilerplate.  Each paper keeps its :data:`KEEP_TERMS` heaviest features, which bounds
  the work per paper.
* **Score**: cosine similarity (a sparse product of the feature matrix with itself, in
  row blocks, so memory stays bounded and no N x N matrix is ever dense), scaled by
  :data:`ONE_FEATURE_FACTOR` when the two papers share a single feature, plus
  :data:`TAG_WEIGHT` times the cosine of the two papers' tags weighted by rarity (sharing
  "speculative-decoding" says more than sharing "language-models"), plus
  :data:`AUTHOR_BONUS` for a shared author.  From :data:`MIN_TOPIC_PAPERS` papers on, the
  :data:`CANDIDATES` best of each paper are re-ranked by ``(1 - TOPIC_WEIGHT)`` times that
  score plus :data:`TOPIC_WEIGHT` times the cosine of their topic vectors
  (:mod:`generator.topics`: a 200-dimension latent semantic analysis of the TF-IDF rows),
  which weighs the two papers' themes against one rare shared phrase.
* **Every paper gets its five**: a paper with fewer text candidates than that is given the
  papers nearest by topic after them (at 47,714 papers one paper had none before).
* **Reason**: the shared features that contribute most, shown as "shares: ...": topic
  words and pairs, never a generic word alone (none for a paper found by topic only), nor
  a word that names nothing alone (:data:`REASON_FILLER`: "parameter", "long", "system";
  :class:`_Reasons`).  Only what is shown: the scores and lists are unchanged.

Tuned by reading: ``benchmarks/data/related_judgements.yml`` keeps the judged samples
(``python -m benchmarks.related_eval``) and ``related_pairs_judged.yml`` every other pair
read.  First related paper on the same topic, text score alone (main before round 4) ->
with the topic blend: tuning 25 -> 24 of 30, held-out 21 -> 21, real-10k 25 -> 25,
tuning-10k 23 -> 20 (all four tuned on for the text score, so they favour it), and on
``fresh-10k``, 60 papers neither was tuned on, 42 -> 43 of 60, all judged by the round's
tuner from blind sheets.  That is no measurable gain at 10,129 papers; ``held-out-3`` and
``blind-48k`` are kept for a judge who did not tune (``python -m benchmarks.related_sheet``
puts both versions on one blind sheet).  Tried and measured, and not kept (they did worse
or no better): BM25 term weights, a document-frequency cut for single words in place of the
generic-word list, weight caps, an IDF floor, title words weighted apart from title pairs,
shared-neighbour similarity, other tag weights, and in round 4 topic weights 0.2 and 0.5,
100, 300 and 400 dimensions, topic vectors of single words only, the topic cosine as a veto
(below 0.2 or 0.3, or below the median of a paper's candidates), a re-ranking of only the
candidates near the best text score, a bonus for shared title features and a stronger
scaling of pairs sharing two features.

Determinism: scores are rounded before ranking and ties go to the smaller paper id, so the
same archive gives the same lists on any machine.  Cost: tokenising is pure Python;
:class:`TokenCache` keeps each paper's features keyed by a hash of its text, so adding
twenty papers re-tokenises twenty; the vectorised product is redone each time (it depends on
every paper through IDF, and reusing old similarities would make the lists depend on the
order papers arrived in).  Memory: the product is made in blocks of at most
:data:`BLOCK_CELLS` cells, each paper's heaviest features are picked paper by paper, and
only features in two papers or more are counted by name; figures at 10,000 and 47,714
papers in ``docs/maintainers/performance.md``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, repeat
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.textrules import MATH_SPAN_RE, without_emphasis

#: How many related papers a page shows.
RELATED_PAPERS = 5
#: Features kept per paper (the heaviest), bounding the product's cost.
KEEP_TERMS = 40
#: Features in more than this share of papers are boilerplate ("we propose", "results").
MAX_DF = 0.15
#: ... but never fewer than this many papers per feature, so small archives keep topics.
SMALL_ARCHIVE_DF = 25
#: How many times a title's features count against the abstract's: a title names the topic.
TITLE_TIMES = 4
#: A related paper must score at least this much: below it, two papers share only a word.
MIN_SCORE = 0.08
#: Below this text cosine a pair is no candidate, whatever its tags and authors.
MIN_COSINE = 0.04
#: Weight of the tags' cosine (tags weighted by rarity, so sharing "speculative-decoding"
#: says more than sharing "language-models") added to the text's cosine.
TAG_WEIGHT = 0.1
#: Added for a shared author.
AUTHOR_BONUS = 0.05
#: A pair of papers that shares a single feature has its text cosine scaled by this: one
#: shared rare word ("say", "fruit", an acronym) links two papers more often by chance
#: than by topic, while a shared word with its pair ("diffusion" and "latent diffusion")
#: counts as two.
ONE_FEATURE_FACTOR = 0.7
#: Candidates per paper taken from the cosine ranking before tags and authors re-rank them.
CANDIDATES = 30
#: Archives with at least this many papers blend in topic vectors (:mod:`generator.topics`):
#: a latent analysis of a handful of papers has no themes to find.
MIN_TOPIC_PAPERS = 100
#: Weight of the topic cosine in a candidate's score, against (1 - this) of the text score.
TOPIC_WEIGHT = 0.3
#: Papers whose lists are completed by topic at once (bounds the dense block of cosines:
#: this many rows x all papers).
FILL_BLOCK = 128
#: Shared features named as the reason.
REASON_TERMS = 3
#: Cells (rows x papers) of the product computed at once, so its memory stays bounded
#: whatever the archive's size: a block is at most this many entries (about 50 MB), and
#: fewer as most pairs of papers share no feature.
BLOCK_CELLS = 1 << 22
#: Bump when the features change, so cached tokens of an older scheme are not reused.
FEATURES_VERSION = "5"

_WORD = re.compile(r"[^\W_]+")
# Links in abstracts ("https://github.com/org/repo", "www.site.org", "huggingface.co/x"): a third
# of real abstracts have one, and their pieces made features ("com icip") and reasons.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)
_DIMENSION = re.compile(r"\A[1-9]d\Z")

# Common English words and the boilerplate of abstracts: they link every paper to every
# other.  IDF would weaken them anyway; dropping them keeps word pairs meaningful.
STOP_WORDS = frozenset("""
a about above across after again against all almost also although always am among an and
another any are around as at based be because been before being below between both but by
can could did do does doing done due during each either enable enables enabling et etc
even ever every few for from further given had has have having here how however i if in
into is it its itself just large less like made make makes many may more most much must
new no nor not novel now of off often on once one only or other our ours out over own paper
per propose proposed proposes present presents rather same several shall should show shows
shown significantly since so some such than that the their them then there these they
this those through thus to too toward towards two under until up upon us use used uses
using various very via was way we well were what when where whether which while who whom
why will with within without work works would yet you your approach approaches method
methods result results study studies task tasks first second three existing recent
recently state art achieve achieves achieving demonstrate demonstrates experiments
experimental extensive introduce introduces including include includes provide provides
significant improve improves improved improvement performance framework frameworks
""".split())

# Words of every field of machine learning ("model", "learning", "data") and of academic
# prose ("effective", "challenge", "setting").  Alone they name no topic, so they are not
# features and never a reason; next to a topic word they still make a pair ("world model",
# "reward model", "contrastive learning"), which is where their meaning is.
GENERIC_WORDS = frozenset("""
ability able accuracy ai accurate accurately achieved add adding addition additionally
address addressed addressing advantage aim allow allowing amount analyse analysis analyze
application applied apply applying arbitrary aspect automatic automatically available
baseline benchmark benefit best better broad broadly call called capability capable
capture capturing challenge challenging code com common commonly compare compared
comparison competitive completely complex component comprehensive comprehensively
condition consider considered considering conventional cost critical crucial current
currently data dataset deep define defined degree demonstrated derived design designed
different direction directly diverse domain easily effective effectively effectiveness
efficiency efficient efficiently empirical empirically enhance enhanced enhancing entire
equipped essential evaluate evaluated evaluating evaluation experiment extensively extent
extra factor fashion feature final finally finding focus focuse form formulation free
fully furthermore future gain general github goal good help high highly http idea
important improving increase increased increasing information input insight key kind lack
larger lead learn learnable learned learning learnt led level leverage leveraged
leveraging limit limitation limited low main maintain maintaining major making manner
mechanism model modeling modelling module moreover naturally need needed network neural
notable notably number observation observe observed obtain obtained obtaining open
optimize optimized original outperform outperformed outperforming output overall overhead
paradigm part particular particularly pass perform performing pipeline possible potential
powerful practical practice previous previously principle prior problem process project
promising provided providing public publicly quality range real reduce reduced reducing
reduction regime release released remain remaining remarkable remarkably require required
requiring respectively rich richer run scale scenario scheme select selected set setting
similar simple simply size small solution solve solving source specific specifically stage
standard step strategies strategy strong stronger sub substantial substantially
successfully superior technique term theoretical theoretically time traditional train
trained training type typically understand understanding unified unify usually variant
variety version whenever wide widely www
""".split())
# Words of abstracts that are features (a topic word's pair needs them: "long context",
# "parameter efficient", "token pruning", "code generation", "world model") but say nothing
# as the reason two papers are related: "shares: parameter, long, system" was what readers
# saw.  A reason is none of these alone, and no pair made only of them ("real world", "end
# end", "long sequence").  Read off the reasons of 2,255 real papers.
REASON_FILLER = frozenset("""
aim answer aware art case cross driven effect end example existing field find generate
generated generating generation generative human impact instance inference insight
knowledge level long multi natural new parameter post pre prediction processing question
real representation response role sample score self sequence short space still system test
user value way wise world architecture algorithm computational computation content
development distribution grained step scale involved shot versus
""".split())


@dataclass(frozen=True)
class Related:
    """One related paper of a paper: its id, score and the shared features that explain it."""

    paper_id: str
    score: float
    shares: tuple[str, ...]


@dataclass(frozen=True)
class PaperText:
    """What similarity reads of a paper; a plain value so the module needs no archive type."""

    id: str
    title: str
    abstract: str
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> list[str]:
    """Content words of ``text``: no emphasis, math or links, folded, singular; "" breaks a pair."""
    return [t for t in map(_token, _WORD.findall(_fold(_plain(text)))) if t is not None]


def _plain(text: str) -> str:
    """``text`` without emphasis, math and links, each a break (" . ") between words.

    Every link :data:`_URL` matches has a "/" or a "www.", and most abstracts have
    neither: skipping the slow pattern there halves the time a paper's words take.
    """
    plain = MATH_SPAN_RE.sub(" . ", without_emphasis(text))
    if "/" in plain or "www." in plain.lower():
        plain = _URL.sub(" . ", plain)
    return plain


@lru_cache(maxsize=1 << 17)
def _token(word: str) -> str | None:
    """What one folded word becomes: itself or its singular, "" (a gap) or None (skipped).

    A stop word is a gap (pairs never span it: "models under concept drift" pairs no
    "model concept"), except "of", which joins compounds and is skipped: "chain of
    thought" pairs "chain thought", "mixture of experts" "mixture expert".  Single letters
    and numbers are gaps too, like formulas.  Cached: an archive has far fewer distinct
    words than words.
    """
    if word in STOP_WORDS:
        return None if word == "of" else ""
    if _meaningless(word):
        return ""
    single = _singular(word)
    return "" if single in STOP_WORDS else single


def _meaningless(word: str) -> bool:
    """Single letters, numbers and two-character codes like "m1" (but "3d" is a topic)."""
    if len(word) < 2 or word.isdigit():
        return True
    return len(word) == 2 and any(c.isdigit() for c in word) and not _DIMENSION.match(word)


# Plurals folded so "world models" meets "world model"; words whose "s" is not a plural's
# keep it ("analysis", "corpus", "class", "dynamics", "bias", "series").
_KEEP_S = ("ss", "us", "is", "ics", "ies")
_NOT_PLURAL = frozenset("bias atlas canvas alias gas chaos cosmos news lens always".split())
_ES_PLURAL = ("sses", "ches", "shes", "xes")


def _singular(word: str) -> str:
    """The singular of an English plural, by suffix; other words unchanged."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(_KEEP_S) \
            or word in _NOT_PLURAL or not word.isalpha():
        return word
    return word[:-2] if word.endswith(_ES_PLURAL) else word[:-1]


def features(title: str, abstract: str) -> dict[str, int]:
    """Feature counts of one paper: topic words and adjacent word pairs, the title weighted.

    A generic word ("model") is no feature alone but pairs with a topic word ("world
    model"); a pair of two generic words ("model performance") is none.
    """
    counts: dict[str, int] = {}
    for text, times in ((title, TITLE_TIMES), (abstract, 1)):
        words = _words(text)
        for i, word in enumerate(words):
            if not word:
                continue
            generic = word in GENERIC_WORDS
            if not generic:
                counts[word] = counts.get(word, 0) + times
            if i + 1 < len(words) and words[i + 1] and \
                    not (generic and words[i + 1] in GENERIC_WORDS):
                pair = f"{word} {words[i + 1]}"
                counts[pair] = counts.get(pair, 0) + times
    return counts


def text_key(title: str, abstract: str) -> str:
    """Cache key of a paper's features: a hash of exactly the text they are made from."""
    payload = json.dumps([FEATURES_VERSION, title, abstract], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def encode(counts: dict[str, int]) -> str:
    """One paper's features as one string, ``terms<TAB>counts``, as the cache stores them.

    Terms one a line, counts space-separated.  At 50,000 papers six million features held
    as dicts of strings were over a gigabyte; as one string a paper they are about a
    hundred megabytes.
    """
    return "\n".join(counts) + "\t" + " ".join(map(str, counts.values()))


def decode(encoded: str) -> dict[str, int]:
    """The feature counts of :func:`encode`'s string (for tests and inspection)."""
    terms, numbers = encoded.split("\t")
    if not terms:
        return {}
    return dict(zip(terms.split("\n"), map(int, numbers.split(" ")), strict=True))


class TokenCache:
    """Features per paper text, kept between builds in one gzipped JSON file.

    Only a pure function of one paper's text is cached, so a build with the cache and one
    without give identical results.  A missing, unreadable or foreign cache file is
    ignored (and rewritten): the cache can only save time, never change output.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, str] = {}
        self._used: set[str] = set()
        self.hits = 0
        self.misses = 0
        if path is not None:
            try:
                with gzip.open(path, "rt", encoding="utf-8") as handle:
                    data = json.load(handle)
                if isinstance(data, dict) and data.get("version") == FEATURES_VERSION:
                    entries = data.get("entries", {})
                    if isinstance(entries, dict) and all(
                            isinstance(v, str) and v.count("\t") == 1 for v in entries.values()):
                        self._entries = entries
            except (OSError, ValueError, EOFError):
                self._entries = {}

    def encoded(self, title: str, abstract: str) -> str:
        """The encoded features (:func:`encode`) of one paper's text, cached when unchanged."""
        key = text_key(title, abstract)
        self._used.add(key)
        found = self._entries.get(key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        made = encode(features(title, abstract))
        self._entries[key] = made
        return made

    def save(self) -> None:
        """Write the entries this build used (others are dropped), if anything was new."""
        if self.path is None or (self.misses == 0 and len(self._used) == len(self._entries)):
            return
        from generator import files

        entries = {key: self._entries[key] for key in sorted(self._used)}
        raw = json.dumps({"version": FEATURES_VERSION, "entries": entries},
                         ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        data = gzip.compress(raw.encode("utf-8"), compresslevel=1, mtime=0)
        files.atomic_write_bytes(self.path, data)


def related_papers(papers: Sequence[PaperText], cache: TokenCache | None = None,
                   count: int = RELATED_PAPERS) -> dict[str, list[Related]]:
    """For every paper id, up to ``count`` related papers, best first (ties by id)."""
    cache = cache or TokenCache(None)
    n = len(papers)
    result: dict[str, list[Related]] = {paper.id: [] for paper in papers}
    if n < 2:
        return result
    matrix, names = _tfidf([cache.encoded(p.title, p.abstract) for p in papers])
    reasons = _Reasons(names)
    tags = _tag_matrix(papers)
    authors = _author_matrix(papers)
    by_id = sorted(range(n), key=lambda i: papers[i].id)
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[by_id] = np.arange(n)
    topic = _topics(matrix, by_id)
    present = matrix.copy()
    present.data[:] = 1.0
    for rows, cols, cosine in _candidates(matrix):
        alone = _row_dots(present, rows, cols) < 1.5
        score = np.where(alone, ONE_FEATURE_FACTOR * cosine, cosine)
        score += TAG_WEIGHT * _row_dots(tags, rows, cols)
        score += AUTHOR_BONUS * (_row_dots(authors, rows, cols) > 0)
        if topic is not None:
            score = (1.0 - TOPIC_WEIGHT) * score + TOPIC_WEIGHT * _topic_dots(topic, rows, cols)
        score = np.round(score, 6)
        order = np.lexsort((id_rank[cols], -score, rows))
        rows, cols, score = rows[order], cols[order], score[order]
        if topic is None:
            good = score >= MIN_SCORE
            rows, cols, score = rows[good], cols[good], score[good]
        starts = np.searchsorted(rows, rows, side="left")
        first = np.arange(len(rows)) - starts < count
        for row, col, value in zip(rows[first].tolist(), cols[first].tolist(),
                                   score[first].tolist(), strict=True):
            result[papers[row].id].append(
                Related(papers[col].id, value, reasons.shares(matrix, row, col)))
    if topic is not None:
        _fill_by_topic(papers, result, topic, id_rank, matrix, reasons, min(count, n - 1))
    for paper in papers:
        items = result[paper.id]
        if any(item.shares for item in items):
            spelled = _Spelling(paper.title, paper.abstract)
            result[paper.id] = [replace(item, shares=tuple(map(spelled.term, item.shares)))
                                for item in items]
    return result


def _topics(matrix: sparse.csr_matrix, by_id: list[int]) -> np.ndarray | None:
    """Unit topic vectors of the papers (rows in the caller's order), or None if too few.

    Computed on the rows in id order, so the vectors do not depend on the order the
    papers came in.
    """
    if matrix.shape[0] < MIN_TOPIC_PAPERS:
        return None
    from generator.topics import topic_vectors

    ordered = topic_vectors(matrix[by_id])
    vectors = np.empty_like(ordered)
    vectors[by_id] = ordered
    return vectors


def _topic_dots(topic: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The topic cosine of row ``rows[i]`` with row ``cols[i]``, for every ``i``, rounded."""
    dots: np.ndarray = np.einsum("ij,ij->i", topic[rows], topic[cols], dtype=np.float64)
    return np.round(dots, 6)


def _fill_by_topic(papers: Sequence[PaperText], result: dict[str, list[Related]],
                   topic: np.ndarray, id_rank: np.ndarray, matrix: sparse.csr_matrix,
                   reasons: _Reasons, count: int) -> None:
    """Give every paper with fewer than ``count`` related papers the next nearest by topic.

    A paper whose text shares (almost) nothing with any other still gets its list: the
    papers nearest in topic space, scored as a candidate whose text score is zero, and
    the list is then ordered by score again (ties by id).
    """
    short = [i for i, p in enumerate(papers) if len(result[p.id]) < count]
    index = {p.id: i for i, p in enumerate(papers)}
    for start in range(0, len(short), FILL_BLOCK):
        block = short[start:start + FILL_BLOCK]
        cosines = np.round((topic[block] @ topic.T).astype(np.float64), 6)
        for offset, row in enumerate(block):
            items = result[papers[row].id]
            taken = {r.paper_id for r in items}
            values = cosines[offset]
            for col in np.lexsort((id_rank, -values)).tolist():
                if len(items) >= count:
                    break
                if col == row or papers[col].id in taken:
                    continue
                items.append(Related(papers[col].id, round(TOPIC_WEIGHT * float(values[col]), 6),
                                     reasons.shares(matrix, row, col)))
            items.sort(key=lambda r: (-r.score, id_rank[index[r.paper_id]]))


class _Spelling:
    """How a paper itself writes the features it shares, for the "shares: ..." reason.

    Features are folded singulars ("smile", "mixture expert"), which misspell words whose
    final "s" is no plural (SMILES, the molecule notation, became "smile") and drop the
    "of" of compounds.  Shown to readers, each term is spelled as the paper writes it
    (folded): "smiles", "mixture of experts"; a term the text cannot be matched to (a
    pair across a formula, say) is shown as it is.
    """

    def __init__(self, title: str, abstract: str) -> None:
        self.words: list[list[str]] = [_WORD.findall(_fold(_plain(text)))
                                       for text in (title, abstract)]

    def term(self, term: str) -> str:
        """``term`` (one feature name) in the paper's own spelling."""
        first, *rest = term.split(" ")
        for words in self.words:
            for i in self._places(words, first):
                if not rest:
                    return words[i]
                j, joined = i + 1, words[i]
                if j < len(words) and words[j] == "of":
                    j, joined = j + 1, f"{joined} of"
                if j < len(words) and _token(words[j]) == rest[0]:
                    return f"{joined} {words[j]}"
        return term

    @staticmethod
    def _places(words: list[str], token: str) -> Iterator[int]:
        """Where a word that folds to ``token`` stands: itself, or a plural of it.

        ``list.index`` does the scanning: the reasons of 50,000 papers are spelled in
        seconds, where tokenising every word again took several times as long.
        """
        for spelling in (token, f"{token}s", f"{token}es"):
            at = -1
            while True:
                try:
                    at = words.index(spelling, at + 1)
                except ValueError:
                    break
                if _token(spelling) == token:
                    yield at


def _row_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The dot product of row ``rows[i]`` with row ``cols[i]``, for every ``i``."""
    return np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()


def _tfidf(encoded: list[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """The pruned, L2-normalised TF-IDF matrix (papers x features) and the feature names."""
    n = len(encoded)
    df = _document_frequencies(encoded)
    # In a small archive a topic word is in more than MAX_DF of papers; only cap there
    # what is in nearly all of them.
    limit = max(int(MAX_DF * n), min(n - 1, SMALL_ARCHIVE_DF))
    names = sorted(term for term, k in df.items() if 2 <= k <= limit)
    df_of = np.array([df[term] for term in names], dtype=np.float64)
    del df
    idf = np.log((1.0 + n) / (1.0 + df_of)) + 1.0
    del df_of
    column = {term: i for i, term in enumerate(names)}
    # Each paper's KEEP_TERMS heaviest features (ties by feature name order), picked paper
    # by paper: all papers' features at once, before the cut, were six arrays of some
    # five million entries at 50,000 papers, the peak of the whole computation.
    sizes = np.zeros(n + 1, dtype=np.int64)
    cols: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for number, text in enumerate(encoded):
        terms, numbers = text.split("\t")
        if not terms:
            continue
        col = np.fromiter(map(column.get, terms.split("\n"), repeat(-1)), dtype=np.int64)
        keep = col >= 0
        col = col[keep]
        tf = np.fromiter(map(int, numbers.split(" ")), dtype=np.float64)[keep]
        weight = (1.0 + np.log(tf)) * idf[col]
        if len(col) > KEEP_TERMS:
            top = np.lexsort((col, -weight))[:KEEP_TERMS]
            col, weight = col[top], weight[top]
        order = np.argsort(col)
        norm = np.sqrt(np.dot(weight, weight))
        cols.append(col[order].astype(np.int32))
        weights.append(weight[order] / (norm if norm > 0 else 1.0))
        sizes[number + 1] = len(col)
    del column
    indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
    data = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, np.cumsum(sizes)), shape=(n, len(names)))
    return matrix, names


def _terms(text: str) -> list[str]:
    """The feature names of one :func:`encode`'d paper."""
    terms = text[:text.index("\t")]
    return terms.split("\n") if terms else []


def _document_frequencies(encoded: list[str]) -> Counter[str]:
    """How many papers have each feature, for the features in two papers or more.

    Most features are in one paper only (word pairs mostly) and can link nothing, yet
    counting them all as strings was the peak of memory.  So a first pass keeps only
    each feature's hash, and the exact counts are made of the features whose hash occurs
    twice or more.  The hash function (Python's, different in every process) only
    decides how many single-paper features a collision lets through to be counted, never
    a count: the result is the same in every process.
    """
    count = sum(text.count("\n", 0, text.index("\t")) + 1 for text in encoded
                if not text.startswith("\t"))
    hashes = np.fromiter((hash(term) for text in encoded for term in _terms(text)),
                         dtype=np.int64, count=count)
    ordered = np.sort(hashes)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    del ordered
    df: Counter[str] = Counter()
    if len(repeated) == 0:
        return df
    at = np.searchsorted(repeated, hashes)
    np.minimum(at, len(repeated) - 1, out=at)
    shared = repeated[at] == hashes
    del at, hashes, repeated
    start = 0
    for text in encoded:
        terms = _terms(text)
        df.update(compress(terms, shared[start:start + len(terms)]))
        start += len(terms)
    return df


def _candidates(matrix: sparse.csr_matrix) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per block of rows: (row, column, cosine) of each row's most similar other rows.

    At most :data:`CANDIDATES` a row, in row order, ties by column (so never by the
    product's order).
    """
    n = matrix.shape[0]
    transposed = matrix.T.tocsr()
    step = max(1, BLOCK_CELLS // n)
    for start in range(0, n, step):
        block = matrix[start:start + step] @ transposed
        # Most pairs share a word or two; dropping them at once (not row by row) is most of
        # the speed at 50,000 papers, and such a pair could only pass MIN_SCORE on tags.
        block.data[block.data < MIN_COSINE] = 0.0
        block.eliminate_zeros()
        rows_out: list[np.ndarray] = []
        cols_out: list[np.ndarray] = []
        vals_out: list[np.ndarray] = []
        for offset in range(block.shape[0]):
            row = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            cols = block.indices[lo:hi]
            vals = np.round(block.data[lo:hi], 9)
            keep = cols != row
            cols, vals = cols[keep], vals[keep]
            if len(cols) > CANDIDATES:
                order = np.lexsort((cols, -vals))[:CANDIDATES]
                cols, vals = cols[order], vals[order]
            rows_out.append(np.full(len(cols), row, dtype=np.int64))
            cols_out.append(cols.astype(np.int64))
            vals_out.append(vals)
        if rows_out:
            yield np.concatenate(rows_out), np.concatenate(cols_out), np.concatenate(vals_out)


def _tag_matrix(papers: Sequence[PaperText]) -> sparse.csr_matrix:
    """Papers x tags, weighted by rarity (smoothed IDF) and L2-normalised.

    Two papers' dot product is then the cosine of their tags.
    """
    return _normalised_rows([sorted(set(p.tags)) for p in papers], weighted=True)


def _author_matrix(papers: Sequence[PaperText]) -> sparse.csr_matrix:
    """Papers x authors, one where a paper has the author.

    A dot product above zero is a shared author.
    """
    return _normalised_rows([sorted(set(p.authors)) for p in papers], weighted=False)


def _normalised_rows(values: list[list[str]], weighted: bool) -> sparse.csr_matrix:
    n = len(values)
    column: dict[str, int] = {}
    df: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    for number, items in enumerate(values):
        for item in items:
            col = column.setdefault(item, len(column))
            if col == len(df):
                df.append(0)
            df[col] += 1
            rows.append(number)
            cols.append(col)
    row_of = np.array(rows, dtype=np.int64)
    col_of = np.array(cols, dtype=np.int64)
    if not weighted:
        return sparse.csr_matrix((np.ones(len(rows)), (row_of, col_of)),
                                 shape=(n, len(column)))
    idf = np.log((1.0 + n) / (1.0 + np.array(df, dtype=np.float64))) + 1.0
    weight = idf[col_of]
    norms = np.sqrt(np.bincount(row_of, weights=weight * weight, minlength=n))
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix((weight / norms[row_of], (row_of, col_of)),
                               shape=(n, len(column)))
    matrix.sort_indices()
    return matrix


class _Reasons:
    """Which shared features may be shown as the reason ("shares: ...") two papers relate.

    A feature is shown unless it says nothing on its own: a word of
    :data:`REASON_FILLER`, or a pair of filler words only ("real world").  A pair with any
    other word ("long context", "code generation") is shown.  A cut by document frequency
    was tried too (single words in more than 10% of 2,255 real papers): beyond the filler
    it removed only topic words ("attention", "vision", "transformer", "reasoning", "3d",
    "prompt"), so it was not kept.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.shown = [_informative(name) for name in names]

    def shares(self, matrix: sparse.csr_matrix, row: int, col: int) -> tuple[str, ...]:
        """The shown shared features of two papers (rows of ``matrix``), most weight first."""
        return _pick(self.names, [i for i in _shared(matrix, row, col) if self.shown[i]])


def _informative(name: str) -> bool:
    """Whether a feature names anything as a reason: not filler alone, nor a filler pair."""
    words = name.split(" ")
    if len(words) == 1:
        return name not in REASON_FILLER
    return not all(w in REASON_FILLER for w in words)


def _shared(matrix: sparse.csr_matrix, row: int, col: int) -> list[int]:
    """Features of both rows, most contribution to their cosine first (ties by feature)."""
    ptr, idx, data = matrix.indptr, matrix.indices, matrix.data
    a = slice(ptr[row], ptr[row + 1])
    b = slice(ptr[col], ptr[col + 1])
    weights = dict(zip(idx[b].tolist(), data[b].tolist(), strict=True))
    return [i for _, i in sorted((-(w * weights[i]), i) for i, w in
                                 zip(idx[a].tolist(), data[a].tolist(), strict=True)
                                 if i in weights)]


def _pick(names: list[str], shared: list[int]) -> tuple[str, ...]:
    """Up to :data:`REASON_TERMS` of ``shared`` (feature numbers, best first), a word once."""
    picked: list[str] = []
    used: set[str] = set()
    for term in map(names.__getitem__, shared):
        # "free guidance" adds nothing after "classifier free": one mention of each word.
        words = set(term.split(" "))
        if words & used:
            continue
        used |= words
        picked.append(term)
        if len(picked) == REASON_TERMS:
            break
    return tuple(picked)


def texts_of(papers: Iterable[object]) -> list[PaperText]:
    """:class:`PaperText` of archive papers (any object with id, title, abstract, tags)."""
    return [PaperText(p.id, p.title, p.abstract, tuple(getattr(p, "tags", ())),  # type: ignore[attr-defined]
                      tuple(getattr(p, "authors", ())))
            for p in papers]
