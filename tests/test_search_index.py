"""The prebuilt search index: content, ranking weights, determinism, sharding, size."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from lunr import get_default_builder

from generator.archive import load_archive
from generator.model import Archive, Vocabulary, archive_order
from generator.search import (
    FIELDS,
    LUNR_JS,
    MANIFEST,
    SEARCH_DIR,
    SEARCH_PAGE,
    build_search,
    field_weights,
    file_name,
    index_text,
    key_file,
    key_files,
    lookup_keys,
    ref_of,
    teaser,
    write_search,
)
from tests.conftest import ARCHIVE
from tests.search_cases import CASES, search_archive

BOOST = dict(FIELDS)


def _lunr_index(archive: Archive):
    """lunr.py's own index of the archive: the reference our weights must equal."""
    builder = get_default_builder()
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    names = {t.id: t.name for t in archive.vocabulary.tags}
    for position, paper in enumerate(archive.papers):
        tags = " ".join(f"{tag} {names.get(tag, tag)}" for tag in paper.tags)
        builder.add({"ref": ref_of(position), "title": index_text(paper.title),
                     "tags": index_text(tags), "abstract": index_text(paper.abstract),
                     "author": index_text(" ".join(paper.authors))})
    return builder.build()


def _decode(files: dict[str, str]) -> tuple[dict, dict[str, dict[str, dict[int, float]]], list]:
    """manifest, term -> field -> position -> boosted weight, and the documents in order."""
    manifest = json.loads(files[MANIFEST])
    postings: dict[str, dict[str, dict[int, float]]] = {}
    for shard in _shard_files(manifest):
        for entry in json.loads(files[shard])["terms"]:
            fields: dict[str, dict[int, float]] = {}
            for (name, boost), encoded in zip(FIELDS, entry[1:], strict=True):
                position, found = 0, {}
                for token in filter(None, encoded.split(",")):
                    position += int(token[:-2], 36)
                    found[position] = int(token[-2:], 36) / manifest["weightSteps"] * boost
                fields[name] = found
            postings[entry[0]] = fields
    docs = [d for chunk in _chunk_files(manifest) for d in json.loads(files[chunk])["docs"]]
    return manifest, postings, docs


def _shard_files(manifest: dict) -> list[str]:
    return [file_name("i", manifest["version"], n) for n in range(len(manifest["shards"]))]


def _chunk_files(manifest: dict) -> list[str]:
    return [file_name("d", manifest["version"], n) for n in range(manifest["docs"]["chunks"])]


def _facets_file(manifest: dict) -> str:
    return file_name("f", manifest["version"], 0)


@pytest.fixture(scope="module")
def seed() -> Archive:
    archive, problems = load_archive(ARCHIVE)
    assert not problems
    return archive


@pytest.fixture(scope="module")
def seed_files(seed: Archive) -> dict[str, str]:
    return build_search(seed).files


def test_every_record_is_in_the_document_store_in_archive_order(seed, seed_files) -> None:
    manifest, _, docs = _decode(seed_files)
    assert manifest["count"] == len(seed.papers) == len(docs)
    assert [d[0] for d in docs] == [p.id for p in seed.papers]
    for doc, paper in zip(docs, seed.papers, strict=True):
        assert doc[1] == paper.title
        assert doc[2] == list(paper.tags)
        assert doc[4] == (1 if paper.code_url else 0)


def test_refs_point_at_the_paper_that_holds_the_term(seed, seed_files) -> None:
    """Each posting's position is a paper whose own text contains the term."""
    _, postings, _ = _decode(seed_files)
    index = _lunr_index(seed)
    for term, fields in postings.items():
        for field, found in fields.items():
            refs = sorted(int(ref, 36) for ref in index.inverted_index[term][field])
            assert sorted(found) == refs
    title_terms = [t for t, f in postings.items() if f["title"]]
    for term in title_terms[:: max(1, len(title_terms) // 50)]:
        for position in postings[term]["title"]:
            title_words = index_text(seed.papers[position].title).split()
            assert any(word.startswith(term[:3]) for word in title_words), (term, position)


@pytest.mark.parametrize("which", ["seed", "cases with authors"])
def test_weights_are_lunr_py_scores_over_the_field_vector_length(seed, which) -> None:
    """Our scoring equals lunr.py's builder: same terms, same papers, same weights."""
    archive = seed if which == "seed" else search_archive()
    assert which == "seed" or any(p.authors for p in archive.papers)
    index = _lunr_index(archive)
    ours = field_weights(archive)
    assert sorted(ours) == sorted(index.inverted_index)
    expected: dict[tuple[str, str, int], float] = {}
    for name, _ in FIELDS:
        for position in range(len(archive.papers)):
            vector = index.field_vectors[f"{name}/{ref_of(position)}"]
            pairs = dict(zip(vector.elements[0::2], vector.elements[1::2], strict=True))
            norm = math.sqrt(sum(v * v for v in pairs.values()))
            for term_index, score in pairs.items():
                expected[(name, position, term_index)] = score / norm
    got = {(name, position, index.inverted_index[term]["_index"]): weight
           for term, fields in ours.items()
           for (name, _), found in zip(FIELDS, fields, strict=True)
           for position, weight in found.items()}
    assert got.keys() == expected.keys()
    assert all(abs(got[key] - expected[key]) < 1e-12 for key in got)


def test_papers_without_tags_and_an_empty_vocabulary_are_indexed() -> None:
    archive = search_archive()
    bare = Archive(tuple(replace(p, tags=()) for p in archive.papers), Vocabulary((), ()))
    manifest, postings, docs = _decode(build_search(bare).files)
    assert len(docs) == len(archive.papers)
    assert manifest["tags"] == []
    assert all(not fields["tags"] for fields in postings.values())


def test_a_title_hit_weighs_more_than_a_tag_hit_more_than_an_abstract_hit() -> None:
    archive = search_archive()
    position = {p.id: i for i, p in enumerate(archive.papers)}
    _, postings, _ = _decode(build_search(archive).files)
    diffus = postings["diffus"]
    title_hit = diffus["title"][position["diffusion-world-model"]]
    tag_hit = diffus["tags"][position["speech-diffusion"]]
    # five times in its abstract, and a short abstract: lunr's best case for an abstract
    abstract_hit = diffus["abstract"][position["score-matching-for-images"]]
    assert title_hit > tag_hit > abstract_hit


def test_index_text_keeps_tex_words_and_folds_accents() -> None:
    for case in yaml.safe_load((CASES / "search_text.yml").read_text(encoding="utf-8")):
        assert index_text(case["text"]) == case["words"], case["text"]


def test_teaser_is_cut_at_a_word_and_shows_math_source() -> None:
    text = "We bound the error by $\\epsilon$ and " + "more words " * 40
    short = teaser(text, 60)
    assert short.endswith("…") and len(short) <= 61
    assert "\\epsilon" in short and "$" not in short
    assert teaser("Costs \\$5.", 60) == "Costs $5."


def test_output_is_deterministic_whatever_the_load_order() -> None:
    archive = search_archive()
    shuffled = Archive(archive_order(reversed(archive.papers)), archive.vocabulary)
    assert build_search(archive).files == build_search(shuffled).files
    assert build_search(archive).files == build_search(archive).files


def test_write_search_writes_once_and_removes_stale_files(tmp_path: Path) -> None:
    archive = search_archive()
    target = tmp_path / SEARCH_DIR
    written = write_search(archive, tmp_path)
    names = sorted(p.name for p in target.iterdir())
    assert sorted(p.name for p in written if p.parent == target) == names
    assert tmp_path / SEARCH_PAGE in written
    assert LUNR_JS in names and MANIFEST in names
    assert (target / LUNR_JS).read_text(encoding="utf-8").count("lunr.Index.load") >= 1
    assert write_search(archive, tmp_path) == []
    smaller = Archive(archive.papers[1:], archive.vocabulary)
    write_search(smaller, tmp_path)
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    expected = {MANIFEST, LUNR_JS, _facets_file(manifest), *_shard_files(manifest),
                *_chunk_files(manifest),
                *(file_name("w", manifest["version"], n)
                  for n in range(len(manifest["vocabulary"]))),
                *(file_name("k", manifest["version"], n) for n in range(manifest["keys"]))}
    assert {p.name for p in target.iterdir()} == expected


def test_shards_are_sorted_contiguous_ranges_of_the_same_entries() -> None:
    archive = search_archive()
    whole = build_search(archive).files
    split = build_search(archive, shard_bytes=400).files
    manifest = json.loads(split[MANIFEST])
    assert len(manifest["shards"]) > 3
    seen = []
    for first, shard in zip(manifest["shards"], _shard_files(manifest), strict=True):
        terms = json.loads(split[shard])["terms"]
        assert terms[0][0] == first
        seen += terms
    assert [e[0] for e in seen] == sorted(e[0] for e in seen)
    assert _decode(split)[1] == _decode(whole)[1]


def test_compact_index_is_far_smaller_than_lunr_serialize(seed, seed_files) -> None:
    """Same refs, same terms: the shards are a fraction of lunr's own serialized form."""
    naive = json.dumps(_lunr_index(seed).serialize(), separators=(",", ":")).encode()
    manifest = json.loads(seed_files[MANIFEST])
    ours = b"".join(seed_files[s].encode("utf-8") for s in _shard_files(manifest))
    assert len(ours) * 3 < len(naive)
    assert len(gzip.compress(ours)) * 2 < len(gzip.compress(naive))


def test_hostile_text_is_stored_verbatim_as_json_text() -> None:
    archive = search_archive()
    hostile = next(p for p in archive.papers if p.id == "hostile-record")
    _, _, docs = _decode(build_search(archive).files)
    doc = next(d for d in docs if d[0] == hostile.id)
    assert doc[1] == hostile.title
    assert "<script>alert(2)</script>" in doc[3]


def test_a_paper_with_an_unknown_tag_is_found_and_filtered_by_its_id() -> None:
    """The manifest names vocabulary tags only (the client shows an unknown tag's id)."""
    archive = search_archive()
    odd = replace(archive.papers[0], tags=("not-in-vocabulary",))
    files = build_search(Archive((odd, *archive.papers[1:]), archive.vocabulary)).files
    manifest, postings, _ = _decode(files)
    assert [t[0] for t in manifest["tags"]] == sorted(t.id for t in archive.vocabulary.tags)
    assert postings["vocabulari"]["tags"]
    assert json.loads(files[_facets_file(manifest)])["tags"]["not-in-vocabulary"] == "0"


def test_facets_list_the_papers_of_each_tag_and_with_code() -> None:
    archive = search_archive()
    manifest, _, _ = _decode(files := build_search(archive).files)
    facets = json.loads(files[_facets_file(manifest)])

    def positions(gaps: str) -> list[int]:
        out, position = [], 0
        for token in filter(None, gaps.split(",")):
            position += int(token, 36)
            out.append(position)
        return out

    tagged = {tag: [i for i, p in enumerate(archive.papers) if tag in p.tags]
              for p in archive.papers for tag in p.tags}
    assert {t: positions(g) for t, g in facets["tags"].items()} == tagged
    assert positions(facets["code"]) == [i for i, p in enumerate(archive.papers) if p.code_url]


def test_the_manifest_does_not_grow_with_the_papers() -> None:
    """Per-paper data lives in chunks and facets; the manifest holds ranges and the vocabulary."""
    archive = search_archive()
    many = Archive(archive_order(
        replace(p, id=f"{p.id}-{n}", title=f"{p.title} {n}")
        for n in range(40) for p in archive.papers), archive.vocabulary)
    small = build_search(archive, docs_per_chunk=1000).files[MANIFEST]
    large = build_search(many, docs_per_chunk=1000).files[MANIFEST]
    assert len(large) - len(small) < 200


def test_the_search_scripts_are_minified_and_still_load(tmp_path: Path) -> None:
    """Written where a docs file takes the theme's copy's place, smaller, same exports."""
    import shutil
    import subprocess

    write_search(search_archive(), tmp_path)
    script = tmp_path / "assets" / "javascripts" / "search-core.js"
    source = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts"
    assert script.stat().st_size < 0.8 * (source / "search-core.js").stat().st_size
    assert (tmp_path / "assets" / "javascripts" / "search.js").is_file()
    if shutil.which("node"):
        done = subprocess.run(["node", "-e", "console.log(Object.keys(require(process.argv[1]))"
                               ".join(' '))", str(script)], capture_output=True, text=True,
                              check=True)
        assert "Engine" in done.stdout.split() and "highlight" in done.stdout.split()


def test_ids_and_whole_author_names_are_keys_in_their_hashed_file() -> None:
    archive = search_archive()
    bundle = build_search(archive, shard_bytes=300, docs_per_chunk=3)
    manifest = json.loads(bundle.files[MANIFEST])
    keys = lookup_keys(archive.papers)
    position = {paper.id: k for k, paper in enumerate(archive.papers)}
    assert keys["a:2501.01234"] == ["2501.01234", _base36_gaps([position["speech-diffusion"]])]
    assert keys["n:kaiming he"][0] == "Kaiming He"
    assert keys["n:kaiming he"][1] == _base36_gaps([position["residual-tricks"]])
    assert "n:kaiming" not in keys and "n:he" not in keys   # one word: a plain term
    assert manifest["keys"] == 1   # a small archive: one file
    parts = key_files(keys, key_bytes=64)
    assert len(parts) > 3
    found = {}
    for n, part in enumerate(parts):
        for row in part:
            assert key_file(row[0], len(parts)) == n
            found[row[0]] = row[1:]
    assert found == keys
    found = {}
    for n in range(manifest["keys"]):
        for row in json.loads(bundle.files[file_name("k", manifest["version"], n)])["keys"]:
            assert key_file(row[0], manifest["keys"]) == n
            found[row[0]] = row[1:]
    assert found == keys


def _base36_gaps(positions: list[int]) -> str:
    out, previous = [], 0
    for p in positions:
        out.append(ref_of(p - previous))
        previous = p
    return ",".join(out)
