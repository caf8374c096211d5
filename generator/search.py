"""The site's search index: scored at build time, loaded by lunr.js without rebuilding.

Why a format of our own instead of lunr.py's ``serialize()``: the serialized index repeats
every ``field/ref`` pair, every posting as a nested object and every field vector as a
float list; for the 262 seed papers that is 2.46 MB.  The browser only needs, per term and
field, which documents contain it and with what weight.  So the build keeps exactly that,
in files named ``<kind>-<version>-<n>.json`` (one content hash of the whole index as the
version, see :func:`file_name`):

``manifest.json``
    version, lunr version, fields with their boosts, document count, the first term of
    each index shard, the document-chunk size and count, the search pipeline, the tag
    vocabulary, and what the browser must not restate: the page URL forms
    (:mod:`generator.layout`), the folding rule (:mod:`generator.textrules`) and the
    number of results shown.  Small and fixed-named, fetched first.
``i-<version>-<n>.json``
    shard n: a contiguous, sorted range of terms.  Each entry is
    ``[term, title, tags, abstract]`` where each field is a posting string: comma-separated
    tokens, each the base-36 gap to the previous document position followed by a 2-digit
    base-36 weight.  The weight is the term's lunr score in that document's field vector
    divided by the length of that vector (so a shard never needs the rest of the vector),
    quantised to 1/1295.  The client multiplies it by the field boost.
``d-<version>-<n>.json``
    chunk n of the document store in archive order: ``[id, title, tag ids, teaser,
    has_code]`` per paper, for showing results.  Titles, teasers and tag names are
    :func:`~generator.textrules.visible_text` (what the pages show); the client inserts them
    as text nodes only.
``w-<version>-<n>.json``
    the vocabulary typos are corrected against (:func:`vocabulary`), one file per first
    letter (the manifest's ``vocabulary`` lists them), fetched only when a query finds
    almost nothing: a few KB, where the whole list is 66 KB gzipped at 10,000 papers.  A
    typo in a word's first letter is not corrected.
``k-<version>-<n>.json``
    exact keys (:func:`lookup_keys`): an arXiv id (``a:2507.03745``) or an author's whole
    name (``n:kaiming he``) -> the papers that carry it.  Hashed into files of about
    :data:`KEY_BYTES` (:func:`key_file`; the manifest's ``keys`` is their number), so a
    pasted id or a typed name costs one small file, not a shard of the term index.
``f-<version>-0.json``
    the facets: per tag, and for "has code", the positions of its papers (base-36 gaps),
    so the search page counts and filters thousands of results without their documents.

Refs are base-36 positions in archive order, so they cost one to three characters.
Because the weights are already normalised, a shard is self-contained: a client fetches
only the shards whose term range covers the query's terms, rebuilds the lunr serialized
form of just those terms (``invertedIndex`` plus ``fieldVectors`` whose magnitude is pinned
to 1) and calls ``lunr.Index.load``.  A small archive (:data:`WHOLE_BYTES`) is one shard
and one chunk, fetched whole ahead of the first query; a large one is split into
:data:`SHARD_BYTES` shards and :data:`DOCS_PER_CHUNK`-paper chunks fetched per query.

Scores are lunr.py's (BM25 with its constants and its tokenizing pipeline), computed in
:func:`field_weights` rather than through lunr.py's builder, which is several times
slower; the tests compare the two.  Field boosts: lunr.js 2.3.9 divides each field score
by the field vector's magnitude, which cancels a build-time field boost; applying the
boost on the normalised weights keeps the intended order: a title hit outranks a tag hit
outranks an abstract hit.

Where the files go: :func:`write_search` writes them, with lunr.js from the installed
``mkdocs`` package (minified), into ``docs/search/index/`` during ``generate``, and the
search page (``templates/search-page.md``) to ``docs/search/index.md``.  All of
``docs/search/`` is generated and git-ignored like the rendered pages, and ``mkdocs build``
(or ``serve``) copies the files into the site unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lunr import get_default_builder
from lunr.token import Token

from generator import files, layout
from generator.metadata import paper_year
from generator.model import Archive, Paper
from generator.render import plain_title
from generator.textrules import (
    TEASER_CHARS,
    browser_text_rules,
    search_words,
    source_text,
    split_math,
    teaser_segments,
    visible_text,
)

#: (field, boost).  Order is the order of the posting strings in a shard entry.
#: ``author`` (names, where a source gave them) ranks between the title and the abstract:
#: a reader typing a name wants that person's papers before papers whose abstract says it.
#: Last, so the postings of the older fields keep their places in a shard entry.
#: Title 10, tags 2, abstract 1: the best of a grid on the relevance benchmark's tuning
#: queries (``python -m benchmarks.search_relevance --tune-boosts``; tags were 5, guessed).
FIELDS: tuple[tuple[str, int], ...] = (("title", 10), ("tags", 2), ("abstract", 1),
                                       ("author", 3))
#: An index (shards + documents) up to this many bytes of JSON is one shard and one
#: document chunk, which the client fetches whole ahead of the first query: the seed
#: archive's case.  A larger one is split as below and fetched per query.
WHOLE_BYTES = 512 * 1024
#: Shard split threshold (bytes of JSON) of a large index.
SHARD_BYTES = 32 * 1024
#: Papers per document-store chunk of a large index: a shown result costs its chunk.
DOCS_PER_CHUNK = 8
#: Results the header box shows, and the search page shows per "Show more" (and ranks by
#: title); the browser reads both from the manifest.
RESULTS_IN_BOX = 8
RESULTS_PER_PAGE = 20
#: Authors named in a result before "et al.".
BYLINE_AUTHORS = 3
#: Typo corrections: words in at least this many papers, at most this many words.
VOCABULARY_MIN_PAPERS = 2
VOCABULARY_WORDS = 20000
#: Bytes of JSON per exact-key file (arXiv ids, whole author names): one is fetched per
#: pasted id or typed name, so it is kept a tenth of a term shard.
KEY_BYTES = 8 * 1024
#: Words of an author name looked up whole (``Kaiming He``: 2); one word is a plain term.
NAME_WORDS = (2, 4)
#: lunr.js release the format is built for (the one the mkdocs package ships).
LUNR_VERSION = "2.3.9"
#: Quantisation steps of a weight: the largest number two base-36 digits can hold.
WEIGHT_STEPS = 36 * 36 - 1
#: Hex digits of the index version that every file name but the manifest's carries.
VERSION_CHARS = 10
SEARCH_DIR = layout.SEARCH_INDEX_DIR
#: The search page (``/search/``), from the template of the same name in templates/.
SEARCH_PAGE = layout.SEARCH_PAGE
_PAGE_TEMPLATE = Path(__file__).parent / "templates" / "search-page.md"
MANIFEST = "manifest.json"
LUNR_JS = "lunr.js"

_TEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+)")


@dataclass(frozen=True)
class SearchFiles:
    """The generated search files: name (relative to the search folder) -> text."""

    files: dict[str, str]


# ------------------------------------------------------------------ text for the index


def index_text(text: str) -> str:
    """Words lunr should index: math as its TeX source words, folded for search.

    Folded as :func:`generator.textrules.fold` says; the browser folds queries by the same
    rule, so a word in the index is the word a reader types.

    Everything that is not a letter or digit becomes a space, so lunr's trimmer has nothing
    left to do and Python and JavaScript cannot disagree about where a word ends.
    """
    parts = [" " + _TEX_COMMAND_RE.sub(r" \1 ", value) + " " if kind == "tex" else value
             for kind, value in split_math(text)]
    return " ".join(search_words("".join(parts)))


def teaser(abstract: str, limit: int = TEASER_CHARS) -> str:
    """The page's teaser as plain text, math as its TeX source.

    Cut by :func:`generator.textrules.teaser_segments`, as the tag pages' teaser is, so a
    search result shows the same words as the tag pages.
    """
    return source_text(teaser_segments(abstract, limit))


def tag_names(archive: Archive) -> dict[str, str]:
    """Display name per vocabulary tag id; a tag missing from the vocabulary is its own name."""
    return {tag.id: visible_text(tag.name) or tag.id for tag in archive.vocabulary.tags}


def ref_of(position: int) -> str:
    """The short lunr ref of the paper at ``position`` in archive order (base 36)."""
    return _base36(position)


@functools.lru_cache(maxsize=65536)
def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number == 0:
        return "0"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(reversed(out))


def _index_words(paper: Paper, names: dict[str, str]) -> dict[str, list[str]]:
    """The words of each indexed field, as lunr's tokenizer would find them.

    :func:`index_text` leaves nothing but words and single spaces, so a split is enough.
    """
    tags = " ".join(f"{tag} {names.get(tag, tag)}" for tag in paper.tags)
    return {
        "title": index_text(plain_title(paper.title)).split(),
        "tags": index_text(tags).split(),
        "abstract": index_text(paper.abstract).split(),
        "author": index_text(" ".join(paper.authors)).split(),
    }


# ------------------------------------------------------------------ building


#: lunr.py's default pipelines: indexing (trimmer, stop-word filter, stemmer) and search.
_DEFAULT = get_default_builder()
_PIPELINE = _DEFAULT.pipeline
#: lunr's scoring constants (BM25), as its builder has them.
_K1, _B = _DEFAULT._k1, _DEFAULT._b


@functools.lru_cache(maxsize=1 << 18)
def _pipeline_term(word: str) -> str | None:
    """The index term lunr.py's pipeline makes of ``word`` (None: a stop word).

    Cached: stemming every word of every abstract was two thirds of the build time, and
    an archive has far fewer distinct words than words.
    """
    done = _PIPELINE.run([Token(word)])
    if len(done) > 1:
        raise ValueError(f"lunr pipeline split {word!r}: {done}")
    return str(done[0]) if done else None


def field_weights(archive: Archive,
                  seen: dict[str, int] | None = None) -> dict[str, list[dict[int, float]]]:
    """Per index term, per field (in :data:`FIELDS` order): paper position -> weight.

    The weight is the score lunr.py's builder gives the term in that paper's field vector
    (BM25 with lunr's k1, b, idf and field boost, rounded to 3 places as lunr does) divided
    by the length of that field vector.  Computed here rather than read from a lunr.py
    index because lunr.py's builder spends most of a 50,000-paper build on token objects,
    metadata copies and a token set the browser never sees; the test suite checks these
    weights against lunr.py's own index.

    ``seen``, if given, is filled with each indexed word (before stemming) and the number
    of papers holding it: what :func:`vocabulary` corrects typos against.
    """
    names = tag_names(archive)
    counts: list[list[dict[str, int]]] = [[] for _ in FIELDS]
    lengths: list[list[int]] = [[] for _ in FIELDS]
    for paper in archive.papers:
        document = _index_words(paper, names)
        for k, (field, _) in enumerate(FIELDS):
            terms = [t for t in map(_pipeline_term, document[field]) if t is not None]
            frequencies: dict[str, int] = {}
            for term in terms:
                frequencies[term] = frequencies.get(term, 0) + 1
            counts[k].append(frequencies)
            lengths[k].append(len(terms))
        if seen is not None:
            for word in set(document["title"]).union(document["abstract"]):
                seen[word] = seen.get(word, 0) + 1
    total = len(archive.papers)
    documents_with: dict[str, int] = {}   # summed over fields, as lunr's idf counts
    for per_field in counts:
        for frequencies in per_field:
            for term in frequencies:
                documents_with[term] = documents_with.get(term, 0) + 1
    idf = {term: math.log(1 + abs((total - n + 0.5) / (n + 0.5)))
           for term, n in documents_with.items()}
    weights: dict[str, list[dict[int, float]]] = {
        term: [{} for _ in FIELDS] for term in documents_with}
    for k, (_, boost) in enumerate(FIELDS):
        average = sum(lengths[k]) / total if total else 0.0
        for position, frequencies in enumerate(counts[k]):
            if not frequencies:
                continue
            # lunr's operations in lunr's order, so that rounding agrees to the last bit
            damping = _K1 * (1 - _B + _B * (lengths[k][position] / average))
            scores = {term: round(idf[term] * ((_K1 + 1) * tf) / (damping + tf) * boost, 3)
                      for term, tf in frequencies.items()}
            norm = math.sqrt(sum(v * v for v in scores.values()))
            for term, score in scores.items():
                weights[term][k][position] = score / norm if norm else 0.0
    return weights


def build_search(archive: Archive, shard_bytes: int | None = None,
                 docs_per_chunk: int | None = None,
                 key_bytes: int = KEY_BYTES) -> SearchFiles:
    """All search files for ``archive``; same archive -> byte-identical files.

    Without sizes, a small archive gets one shard and one document chunk (see
    :data:`WHOLE_BYTES`), a large one :data:`SHARD_BYTES` and :data:`DOCS_PER_CHUNK`.
    """
    seen: dict[str, int] = {}
    entries = _encode_entries(field_weights(archive, seen))
    docs = [_document(paper) for paper in archive.papers]
    if shard_bytes is None and docs_per_chunk is None:
        whole = sum(len(_json(e).encode("utf-8")) + 1 for e in entries)
        whole += sum(len(_json(d).encode("utf-8")) + 1 for d in docs)
        if whole > WHOLE_BYTES:
            shard_bytes, docs_per_chunk = SHARD_BYTES, DOCS_PER_CHUNK
    docs_per_chunk = docs_per_chunk or max(1, len(docs))
    shards = _split_entries(entries, shard_bytes or sys.maxsize)
    texts = {
        "i": [_json({"terms": shard}) for shard in shards],
        "d": [_json({"docs": docs[start:start + docs_per_chunk]})
              for start in range(0, len(docs), docs_per_chunk)],
        "f": [_json(_facets(archive.papers))],
    }
    keys = key_files(lookup_keys(archive.papers), key_bytes)
    texts["k"] = [_json({"keys": part}) for part in keys]
    letters: dict[str, list[list[Any]]] = {}
    words = vocabulary(seen)
    for entry in words:
        letters.setdefault(entry[0][0], []).append(entry)
    texts["w"] = [_json({"words": letters[letter]}) for letter in sorted(letters)]
    digest = hashlib.sha256()
    for kind, parts in texts.items():
        for text in parts:
            digest.update(f"{kind}{len(text)}:".encode() + text.encode("utf-8"))
    version = digest.hexdigest()[:VERSION_CHARS]
    out = {file_name(kind, version, n): text
           for kind, parts in texts.items() for n, text in enumerate(parts)}
    manifest = {
        "format": 4,
        "version": version,
        "lunr": LUNR_VERSION,
        "fields": [{"name": name, "boost": boost} for name, boost in FIELDS],
        "count": len(archive.papers),
        "weightSteps": WEIGHT_STEPS,
        "pipeline": _DEFAULT.search_pipeline.serialize(),
        "shards": [shard[0][0] for shard in shards],
        "docs": {"size": docs_per_chunk, "chunks": len(texts["d"])},
        "tags": sorted([tag_id, name] for tag_id, name in tag_names(archive).items()),
        "urls": layout.URL_FORMS,
        "text": browser_text_rules(),
        "results": {"box": RESULTS_IN_BOX, "page": RESULTS_PER_PAGE},
        "vocabulary": sorted(letters),
        # papers of the vocabulary's rarest word: a query word in fewer is not in it
        "vocabularyMin": words[-1][1] if words else 0,
        "keys": len(keys),
    }
    out[MANIFEST] = _json(manifest)
    return SearchFiles(dict(sorted(out.items())))


def vocabulary(seen: dict[str, int]) -> list[list[Any]]:
    """``[[word, papers], ...]``, most frequent first: what a typo is corrected to.

    Words of titles and abstracts as typed (folded, not stemmed: a correction is shown to
    the reader), in at least :data:`VOCABULARY_MIN_PAPERS` papers (a word in one paper is
    as likely a typo as a target), of letters only and long enough to be corrected at all;
    at most :data:`VOCABULARY_WORDS`, so the file stays small at 50,000 papers.  The client
    fetches it only when a query finds almost nothing and holds a word the index lacks.
    """
    kept = [(word, n) for word, n in seen.items()
            if n >= VOCABULARY_MIN_PAPERS and len(word) >= 4 and word.isalpha()]
    kept.sort(key=lambda pair: (-pair[1], pair[0]))
    return [[word, n] for word, n in kept[:VOCABULARY_WORDS]]


def lookup_keys(papers: tuple[Paper, ...]) -> dict[str, list[Any]]:
    """Exact keys -> ``[shown form, positions]``: arXiv ids and whole author names.

    Why not index terms: a pasted id folds into two number words (``2507 03745``) that
    thousands of abstracts share, and a name's words are scored apart (``Kaiming`` in one
    author, ``He`` a stop word), so neither finds its paper first.  The browser folds a
    query the same way (``n:`` + its words joined by a space) and asks for the key's file.
    The shown form is the name as the first paper writes it (a result says which author
    matched even when its byline stops at "et al.").
    """
    found: dict[str, list[Any]] = {}

    def add(key: str, shown: str, position: int) -> None:
        entry = found.setdefault(key, [shown, []])
        if not entry[1] or entry[1][-1] != position:
            entry[1].append(position)

    for position, paper in enumerate(papers):
        if paper.arxiv_id:
            add("a:" + paper.arxiv_id.lower(), paper.arxiv_id, position)
        for author in paper.authors:
            words = index_text(author).split()
            if NAME_WORDS[0] <= len(words) <= NAME_WORDS[1]:
                add("n:" + " ".join(words), visible_text(author), position)
    return {key: [shown, _gaps(positions)] for key, (shown, positions) in found.items()}


def key_file(key: str, files: int) -> int:
    """The number of the key file holding ``key``: FNV-1a (32 bits) of its UTF-16 units.

    search-core.js computes the same (``keyFile``); UTF-16 because that is what a
    JavaScript string is made of.
    """
    digest = 0x811C9DC5
    data = key.encode("utf-16-le")
    for k in range(0, len(data), 2):
        digest = ((digest ^ (data[k] | data[k + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return digest % files


def key_files(keys: dict[str, list[Any]],
              key_bytes: int = KEY_BYTES) -> list[list[list[Any]]]:
    """The keys hashed into files of about ``key_bytes`` each, each sorted by key."""
    if not keys:
        return []
    total = sum(len(_json([key, *value]).encode("utf-8")) + 1 for key, value in keys.items())
    count = max(1, math.ceil(total / key_bytes))
    parts: list[list[list[Any]]] = [[] for _ in range(count)]
    for key in sorted(keys):
        parts[key_file(key, count)].append([key, *keys[key]])
    return parts


def file_name(kind: str, version: str, number: int) -> str:
    """``<kind>-<version>-<n>.json``: kinds i, d, f, k, w (see the module docstring).

    One version for the whole index instead of a hash per file: the manifest would
    otherwise list thousands of hashes at 50,000 papers, and a new paper shifts every
    position after it, so the files all change together anyway.
    """
    return f"{kind}-{version}-{number}.json"


def _encode_entries(weights: dict[str, list[dict[int, float]]]) -> list[list[str]]:
    """One ``[term, posting per field...]`` list per term, sorted as JavaScript sorts."""
    entries = []
    for term in sorted(weights, key=_js_order):
        row = [term]
        for found in weights[term]:
            tokens, previous = [], 0
            for position in sorted(found):
                tokens.append(_base36(position - previous) + _weight_digits(found[position]))
                previous = position
            row.append(",".join(tokens))
        entries.append(row)
    return entries


def _weight_digits(weight: float) -> str:
    """Two base-36 digits for a weight in (0, 1]; never 0 so a match always scores."""
    return _WEIGHT_DIGITS[min(WEIGHT_STEPS, max(1, round(weight * WEIGHT_STEPS)))]


_WEIGHT_DIGITS = [_base36(step).rjust(2, "0") for step in range(WEIGHT_STEPS + 1)]


def _js_order(term: str) -> bytes:
    """JavaScript compares strings by UTF-16 code units; lunr.js needs its terms sorted so."""
    return term.encode("utf-16-be")


def _split_entries(entries: list[list[str]], shard_bytes: int) -> list[list[list[str]]]:
    """Contiguous term ranges of about ``shard_bytes`` each (at least one shard)."""
    shards: list[list[list[str]]] = [[]]
    size = 0
    for entry in entries:
        entry_size = len(_json(entry).encode("utf-8")) + 1
        if shards[-1] and size + entry_size > shard_bytes:
            shards.append([])
            size = 0
        shards[-1].append(entry)
        size += entry_size
    return shards if shards[0] else []


def _document(paper: Paper) -> list[object]:
    """What a result shows: ``[id, title, tag ids, teaser, has code, byline]``.

    As the pages show it; the byline is :data:`BYLINE_AUTHORS` names, then "et al.".
    """
    names = [visible_text(a) for a in paper.authors]
    byline = ", ".join(names) if len(names) <= BYLINE_AUTHORS + 1 else \
        ", ".join(names[:BYLINE_AUTHORS]) + " et al."
    return [paper.id, plain_title(paper.title), list(paper.tags),
            teaser(paper.abstract), 1 if paper.code_url else 0, byline]


def _facets(papers: tuple[Paper, ...]) -> dict[str, object]:
    """Which papers have each tag, and which have code: what the search page filters on.

    Position lists, gap-encoded in base 36 like the postings, so the search page can count
    and filter thousands of results by tag without fetching their documents.
    """
    tagged: dict[str, list[int]] = {}
    for position, paper in enumerate(papers):
        for tag in paper.tags:
            tagged.setdefault(tag, []).append(position)
    code = [position for position, paper in enumerate(papers) if paper.code_url]
    years: dict[str, list[int]] = {}
    for position, paper in enumerate(papers):
        year = paper_year(paper)
        if year:
            years.setdefault(year, []).append(position)
    return {"code": _gaps(code),
            "tags": {tag: _gaps(positions) for tag, positions in sorted(tagged.items())},
            "years": {year: _gaps(positions) for year, positions in sorted(years.items())}}


def _gaps(positions: list[int]) -> str:
    """Sorted positions as comma-separated base-36 gaps to the previous one."""
    previous, out = 0, []
    for position in positions:
        out.append(_base36(position - previous))
        previous = position
    return ",".join(out)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------ writing


def lunr_js_source() -> Path:
    """lunr.js as shipped by the installed mkdocs package (never committed here)."""
    import mkdocs

    return Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / LUNR_JS


def minified_lunr_js() -> bytes:
    """lunr.js without its comments and indentation, its licence header kept first.

    mkdocs ships lunr.js unminified (100 KB, 25 KB gzipped): a quarter of what the seed
    site's first search downloads.  rjsmin only strips comments and whitespace, so the
    code that runs is the same.
    """
    import rjsmin

    source = lunr_js_source().read_text(encoding="utf-8")
    header = source[:source.index("*/") + 2] if source.startswith("/**") else ""
    minified: str = rjsmin.jsmin(source)
    return (header + "\n" + minified + "\n").encode("utf-8")


def search_outputs() -> list[tuple[str, str]]:
    """What :func:`write_search` writes, as ``(docs path, source)`` for the collision check."""
    return [(SEARCH_PAGE, "the search page"),
            (f"{SEARCH_DIR}/{MANIFEST}", "the search index")]
#: The site's search scripts (sources in overrides/, which the theme would copy as they are).
SCRIPTS = ("search-core.js", "search.js")
SCRIPT_SOURCE = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts"
SCRIPT_DIR = Path("assets") / "javascripts"


def minified_script(name: str) -> bytes:
    """One of our search scripts minified like lunr.js (comments and whitespace only).

    Written into ``docs/assets/javascripts/``, where a docs file takes the place of the
    theme's copy of the same path: the URL the pages load stays the same.
    """
    import rjsmin

    minified: str = rjsmin.jsmin((SCRIPT_SOURCE / name).read_text(encoding="utf-8"))
    return (minified + "\n").encode()


def write_search(archive: Archive, docs_dir: Path) -> list[Path]:
    """Write the search page, the index, lunr.js and the minified search scripts.

    The index and lunr.js go under ``docs_dir/search``, the scripts under
    ``docs_dir/assets/javascripts``.

    Stale index files are deleted.  Returns the paths written (unchanged files are left
    alone, keeping their mtime, so ``mkdocs serve`` does not rebuild for nothing).
    """
    wanted = search_contents(archive, docs_dir)
    written = [path for path, data in wanted.items()
               if files.write_if_changed(path, data, durable=False)]
    remove_stale_search(docs_dir, wanted)
    return written


def search_contents(archive: Archive, docs_dir: Path) -> dict[Path, bytes]:
    """Every file :func:`write_search` writes, by path, with its bytes: nothing written.

    ``generate`` computes these in a child process and writes them itself (generator/site.py).
    """
    target = docs_dir / SEARCH_DIR
    bundle = build_search(archive)
    wanted = {target / name: text.encode("utf-8") for name, text in bundle.files.items()}
    wanted[target / LUNR_JS] = minified_lunr_js()
    wanted[docs_dir / SEARCH_PAGE] = _PAGE_TEMPLATE.read_bytes()
    for name in SCRIPTS:
        wanted[docs_dir / SCRIPT_DIR / name] = minified_script(name)
    return wanted


def remove_stale_search(docs_dir: Path, wanted: dict[Path, bytes]) -> None:
    """Delete the index files of an earlier run that ``wanted`` no longer has."""
    target = docs_dir / SEARCH_DIR
    files.remove_stale(target, [path for path in wanted if path.parent == target])
