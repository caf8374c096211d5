"""The site's search index: built once with lunr.py, loaded by lunr.js without rebuilding.

Why a format of our own instead of ``lunr(...).serialize()``: the serialized index repeats
every ``field/ref`` pair, every posting as a nested object and every field vector as a
float list; for the 262 seed papers that is 2.46 MB.  The browser only needs, per term and
field, which documents contain it and with what weight.  So the build keeps exactly that:

``manifest.json``
    lunr version, fields with their boosts, document count, and the list of index shards
    (``first`` term + file) and document-store chunks.  Small, fetched first.
``i-<hash>.json``
    one shard: a contiguous, sorted range of terms.  Each entry is
    ``[term, title, tags, abstract]`` where each field is a posting string: comma-separated
    tokens, each the base-36 gap to the previous document position followed by a 2-digit
    base-36 weight.  The weight is the term's lunr.py field-vector score divided by the
    length of that document's field vector (so a shard never needs the rest of the
    vector), quantised to 1/1295.  The client multiplies it by the field boost.
``d-<hash>.json``
    a chunk of the document store in archive order: ``[id, title, tag ids, teaser,
    has_code]`` per paper, plus the tag names used by the chunk, for showing results.

Refs are base-36 positions in archive order, so they cost one to two characters.  Because
the weights are already normalised, a shard is self-contained: a client can fetch only the
shards whose term range covers the query's terms, rebuild the lunr serialized form of just
those terms (``invertedIndex`` plus ``fieldVectors`` whose magnitude is pinned to 1) and call
``lunr.Index.load``.  At the seed size everything fits in one shard and the client loads it
whole; :data:`SHARD_BYTES` is where the split starts.

Field boosts: lunr.js 2.3.9 divides each field score by the field vector's magnitude, which
cancels a build-time field boost; applying the boost on the normalised weights keeps the
intended order: a title hit outranks a tag hit outranks an abstract hit.

Where the files go: :func:`write_search` writes them, with the lunr.js shipped inside the
installed ``mkdocs`` package, into ``docs/search/index/`` during ``generate``, and the
search page (``templates/search-page.md``) to ``docs/search/index.md``.  All of
``docs/search/`` is generated and git-ignored like the rendered pages, and ``mkdocs build``
(or ``serve``) copies the files into the site unchanged.  File names carry a content hash
so browsers may cache them for good; the manifest is the only file whose name is fixed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lunr import get_default_builder

from generator import files
from generator.records import Archive, Paper

#: (field, boost).  Order is the order of the posting strings in a shard entry.
FIELDS: tuple[tuple[str, int], ...] = (("title", 10), ("tags", 5), ("abstract", 1))
#: Shard split threshold (bytes of JSON).  The seed index stays in one shard.
SHARD_BYTES = 512 * 1024
#: Papers per document-store chunk.
DOCS_PER_CHUNK = 5000
TEASER_CHARS = 220
#: lunr.js release the format is built for (the one the mkdocs package ships).
LUNR_VERSION = "2.3.9"
#: Quantisation steps of a weight: the largest number two base-36 digits can hold.
WEIGHT_STEPS = 36 * 36 - 1
SEARCH_DIR = Path("search") / "index"
#: The search page (``/search/``), from the template of the same name in templates/.
SEARCH_PAGE = Path("search") / "index.md"
_PAGE_TEMPLATE = Path(__file__).parent / "templates" / "search-page.md"
MANIFEST = "manifest.json"
LUNR_JS = "lunr.js"

_MATH_RE = re.compile(r"(?<!\\)\$((?:[^$\\]|\\.)+?)(?<!\\)\$")
_TEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+)")
_NON_WORD_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SearchFiles:
    """The generated search files: name (relative to the search folder) -> text."""

    files: dict[str, str]

    @property
    def manifest(self) -> dict:
        return json.loads(self.files[MANIFEST])


# ------------------------------------------------------------------ text for the index


def index_text(text: str) -> str:
    """Words lunr should index: math as its TeX source words, accents folded, lower case.

    Everything that is not a letter or digit becomes a space, so lunr's trimmer has nothing
    left to do and Python and JavaScript cannot disagree about where a word ends.
    """
    def _math_words(match: re.Match[str]) -> str:
        return " " + _TEX_COMMAND_RE.sub(r" \1 ", match.group(1)) + " "

    text = _MATH_RE.sub(_math_words, text).replace("\\$", "$")
    return " ".join(_NON_WORD_RE.sub(" ", fold(text)).split())


def fold(text: str) -> str:
    """Lower case without diacritics: ``Schrödinger`` and ``schrodinger`` match."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def display_text(text: str) -> str:
    """Abstract text as shown in a result: math keeps its TeX source, without ``$``."""
    text = _MATH_RE.sub(lambda m: m.group(1), text)
    return " ".join(text.replace("\\$", "$").split())


def teaser(abstract: str, limit: int = TEASER_CHARS) -> str:
    """The start of the abstract, cut at a word boundary, ending in an ellipsis if cut."""
    text = display_text(abstract)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.") + "…"


def tag_names(archive: Archive) -> dict[str, str]:
    """Display name per vocabulary tag id; a tag missing from the vocabulary is its own name."""
    return {tag.id: tag.name or tag.id for tag in archive.vocabulary.tags}


def ref_of(position: int) -> str:
    """The short lunr ref of the paper at ``position`` in archive order (base 36)."""
    return _base36(position)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number == 0:
        return "0"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(reversed(out))


def _index_document(position: int, paper: Paper, names: dict[str, str]) -> dict[str, str]:
    tags = " ".join(f"{tag} {names.get(tag, tag)}" for tag in paper.tags)
    return {
        "ref": ref_of(position),
        "title": index_text(paper.title),
        "tags": index_text(tags),
        "abstract": index_text(paper.abstract),
    }


# ------------------------------------------------------------------ building


def build_lunr_index(archive: Archive):
    """The lunr.py index of the archive: refs are base-36 archive positions."""
    builder = get_default_builder()
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    names = tag_names(archive)
    for position, paper in enumerate(archive.papers):
        builder.add(_index_document(position, paper, names))
    return builder.build()


def build_search(archive: Archive, shard_bytes: int = SHARD_BYTES,
                 docs_per_chunk: int = DOCS_PER_CHUNK) -> SearchFiles:
    """All search files for ``archive``; same archive -> byte-identical files."""
    index = build_lunr_index(archive)
    entries = _encode_entries(index, len(archive.papers))
    out: dict[str, str] = {}
    shards = []
    for chunk in _split_entries(entries, shard_bytes):
        name = _store(out, "i", {"terms": chunk})
        shards.append({"first": chunk[0][0], "file": name})
    chunks = []
    for start in range(0, len(archive.papers), docs_per_chunk):
        papers = archive.papers[start:start + docs_per_chunk]
        name = _store(out, "d", _document_chunk(papers))
        chunks.append({"first": start, "file": name})
    manifest = {
        "format": 2,
        "lunr": LUNR_VERSION,
        "fields": [{"name": name, "boost": boost} for name, boost in FIELDS],
        "count": len(archive.papers),
        "weightSteps": WEIGHT_STEPS,
        "pipeline": index.pipeline.serialize(),
        "shards": shards,
        "docs": {"size": docs_per_chunk, "chunks": chunks},
        "facets": _store(out, "f", _facets(archive.papers)),
        "tags": sorted([tag_id, name] for tag_id, name in tag_names(archive).items()),
    }
    out[MANIFEST] = _json(manifest)
    return SearchFiles(dict(sorted(out.items())))


def _encode_entries(index, count: int) -> list[list[str]]:
    """One ``[term, posting per field...]`` list per term, sorted as JavaScript sorts."""
    field_names = [name for name, _ in FIELDS]
    weights = _normalised_weights(index, field_names, count)
    entries = []
    for term in sorted(index.inverted_index, key=_js_order):
        posting = index.inverted_index[term]
        term_index = posting["_index"]
        row = [term]
        for field in field_names:
            positions = sorted(int(ref, 36) for ref in posting[field])
            tokens, previous = [], 0
            for position in positions:
                weight = weights[(field, position)][term_index]
                tokens.append(_base36(position - previous) + _weight_digits(weight))
                previous = position
            row.append(",".join(tokens))
        entries.append(row)
    return entries


def _normalised_weights(index, field_names: list[str], count: int,
                        ) -> dict[tuple[str, int], dict[int, float]]:
    """Per (field, position): term index -> weight / length of that field vector."""
    weights: dict[tuple[str, int], dict[int, float]] = {}
    for position in range(count):
        for field in field_names:
            vector = index.field_vectors.get(f"{field}/{ref_of(position)}")
            elements = list(vector.elements) if vector is not None else []
            pairs = dict(zip(elements[0::2], elements[1::2], strict=True))
            norm = math.sqrt(sum(v * v for v in pairs.values()))
            weights[(field, position)] = {k: (v / norm if norm else 0.0)
                                          for k, v in pairs.items()}
    return weights


def _weight_digits(weight: float) -> str:
    """Two base-36 digits for a weight in (0, 1]; never 0 so a match always scores."""
    step = min(WEIGHT_STEPS, max(1, round(weight * WEIGHT_STEPS)))
    return _base36(step).rjust(2, "0")


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


def _document_chunk(papers: tuple[Paper, ...]) -> dict:
    return {
        "docs": [[p.id, p.title, list(p.tags), teaser(p.abstract), 1 if p.code_url else 0]
                 for p in papers],
    }


def _facets(papers: tuple[Paper, ...]) -> dict:
    """Which papers have each tag, and which have code: what the search page filters on.

    Position lists, gap-encoded in base 36 like the postings, so the search page can count
    and filter thousands of results by tag without fetching their documents.
    """
    tagged: dict[str, list[int]] = {}
    for position, paper in enumerate(papers):
        for tag in paper.tags:
            tagged.setdefault(tag, []).append(position)
    code = [position for position, paper in enumerate(papers) if paper.code_url]
    return {"code": _gaps(code),
            "tags": {tag: _gaps(positions) for tag, positions in sorted(tagged.items())}}


def _gaps(positions: list[int]) -> str:
    """Sorted positions as comma-separated base-36 gaps to the previous one."""
    previous, out = 0, []
    for position in positions:
        out.append(_base36(position - previous))
        previous = position
    return ",".join(out)


def _store(out: dict[str, str], prefix: str, data: dict) -> str:
    text = _json(data)
    name = f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.json"
    out[name] = text
    return name


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------ writing


def lunr_js_source() -> Path:
    """lunr.js as shipped by the installed mkdocs package (never committed here)."""
    import mkdocs

    return Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / LUNR_JS


def write_search(archive: Archive, docs_dir: Path) -> list[Path]:
    """Write the search page, the index files and lunr.js under ``docs_dir/search``.

    Stale index files are deleted.  Returns the paths written (unchanged files are left
    alone, keeping their mtime, so ``mkdocs serve`` does not rebuild for nothing).
    """
    target = docs_dir / SEARCH_DIR
    bundle = build_search(archive)
    wanted = {target / name: text.encode("utf-8") for name, text in bundle.files.items()}
    wanted[target / LUNR_JS] = lunr_js_source().read_bytes()
    wanted[docs_dir / SEARCH_PAGE] = _PAGE_TEMPLATE.read_bytes()
    written = [path for path, data in wanted.items() if files.write_if_changed(path, data)]
    files.remove_stale(target, list(wanted))
    return written
