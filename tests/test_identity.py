"""Identity: titles that differ in meaning are different papers.

And a dump never replaces a record it does not confidently match.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import identity
from generator.archive import load_archive
from generator.cli import main
from generator.dumps import RawEntry
from generator.importer import plan_import

ABSTRACT = ("We study a problem that matters and report results on standard benchmarks, "
            "with code and data released for everyone to reproduce.")
OTHER = ("A completely unrelated contribution concerning protein folding kinetics, measured "
         "in wet laboratory experiments across several temperatures.")


@pytest.mark.parametrize("a, b", [
    ("C++ for Scientists", "C for Scientists"),
    ("Learning in C#", "Learning in C"),
    ("α-divergence Variational Inference", "a-divergence Variational Inference"),
    ("Аttention Is Enough", "Attention Is Enough"),  # Cyrillic А
    ("Τransformers at Scale", "Transformers at Scale"),  # Greek Τ
    ("A* Search Revisited", "A Search Revisited"),
    ("Q:", "Q-"),
    ("🙂", "😢"),
    ("🙂", "🙂"),
    ("...", "!!!"),
    ("?", "?"),
    ("P = NP", "P ≠ NP"),
])
def test_titles_that_differ_in_meaning_get_different_keys(a: str, b: str) -> None:
    assert identity.dedupe_key(a, ABSTRACT) != identity.dedupe_key(b, OTHER)


@pytest.mark.parametrize("a, b", [
    ("BERT: Pre-training of Deep Transformers", "BERT - Pre-training of deep transformers"),
    ("Schrödinger Bridges", "Schrodinger bridges"),
    ("ﬁne-tuning at Scale", "fine tuning at scale"),
    ("Ｖｉｓｉｏｎ Transformers", "Vision Transformers"),
    ("Vision & Language", "Vision and Language"),
    ("$k$-means, Revisited", "k-means revisited"),
    ("Don't Stop", "Dont stop"),
])
def test_spelling_variants_of_one_title_share_a_key(a: str, b: str) -> None:
    assert identity.dedupe_key(a, ABSTRACT) == identity.dedupe_key(b, OTHER)


def test_weak_titles_fall_back_to_the_arxiv_id_then_the_abstract() -> None:
    assert identity.dedupe_key("🙂", ABSTRACT, "2401.00001") == "x:2401.00001"
    assert identity.dedupe_key("🙂", OTHER, "2401.00001") == "x:2401.00001"
    assert identity.dedupe_key("Q:", ABSTRACT) == identity.dedupe_key("Q-", ABSTRACT)
    assert identity.dedupe_key("Q:", ABSTRACT) != identity.dedupe_key("Q:", OTHER)
    assert identity.arxiv_id(["https://github.com/x", "https://arxiv.org/abs/2401.12345v2"]) \
        == "2401.12345"


def test_same_paper_needs_matching_arxiv_ids_or_abstracts() -> None:
    assert identity.same_paper(ABSTRACT, "", ABSTRACT + " More.", "")
    assert not identity.same_paper(ABSTRACT, "", OTHER, "")
    assert not identity.same_paper(ABSTRACT, "2401.1", ABSTRACT, "2401.2")
    assert identity.same_paper(ABSTRACT, "2401.1", OTHER, "2401.1")


def test_ids_cost_a_constant_number_of_probes_per_title() -> None:
    class Counting(set):
        probes = 0

        def __contains__(self, item: object) -> bool:
            Counting.probes += 1
            return super().__contains__(item)

    allocator = identity.IdAllocator([])
    allocator.taken = Counting(allocator.taken)
    ids = [allocator.allocate("Attention Is All You Need") for _ in range(3000)]
    assert ids[:3] == ["attention-is-all-you-need", "attention-is-all-you-need-2",
                       "attention-is-all-you-need-3"]
    assert len(set(ids)) == 3000
    assert Counting.probes <= 3 * 3000


def _entry(title: str, abstract: str, line: int, url: str = "") -> RawEntry:
    return RawEntry(title, abstract, line, url)


def test_import_keeps_c_and_c_plus_plus_apart(empty_archive: Path) -> None:
    archive, _ = load_archive(empty_archive)
    report, papers = plan_import([_entry("C for Scientists", ABSTRACT, 1),
                                  _entry("C++ for Scientists", OTHER, 3)],
                                 archive, "d.jsonl", "2025-01-01")
    assert report.duplicates == []
    assert [p.id for p in papers] == ["c-for-scientists", "c-for-scientists-2"]


def _dump(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_dump_never_replaces_a_record_it_does_not_confidently_match(
        empty_archive: Path, tmp_path: Path, capsys) -> None:
    first = _dump(tmp_path / "first.jsonl", [{"title": "Graph Attention", "abstract": ABSTRACT}])
    assert main(["import", str(first), "--root", str(empty_archive), "--no-copy"]) == 0
    record = empty_archive / "papers" / "graph-attention.yml"
    before = record.read_bytes()
    # Same title, a different paper: the old key "updated" the record with this abstract.
    later = _dump(tmp_path / "later.jsonl", [{"title": "Graph attention!", "abstract": OTHER}])
    capsys.readouterr()
    assert main(["import", str(later), "--root", str(empty_archive), "--no-copy"]) == 0
    out = capsys.readouterr().out
    assert record.read_bytes() == before
    assert "conflict  graph-attention (dump line 1): same title, but the abstracts share " \
        "only" in out
    assert "0 updated" in out and "1 conflicts" in out
    # A small edit of the same paper's abstract still updates it.
    edited = _dump(tmp_path / "edited.jsonl", [{"title": "Graph Attention",
                                                "abstract": ABSTRACT + " Typo fixed."}])
    assert main(["import", str(edited), "--root", str(empty_archive), "--no-copy"]) == 0
    assert "1 updated" in capsys.readouterr().out


def test_different_arxiv_ids_under_one_title_are_a_conflict(empty_archive: Path,
                                                            tmp_path: Path, capsys) -> None:
    rows = [{"title": "Scaling Laws", "abstract": ABSTRACT,
             "url": "https://arxiv.org/abs/2401.00001"}]
    assert main(["import", str(_dump(tmp_path / "a.jsonl", rows)), "--root",
                 str(empty_archive), "--no-copy"]) == 0
    rows[0]["url"] = "https://arxiv.org/abs/2502.00002"
    rows[0]["abstract"] = ABSTRACT + " Revised."
    capsys.readouterr()
    assert main(["import", str(_dump(tmp_path / "b.jsonl", rows)), "--root",
                 str(empty_archive), "--no-copy"]) == 0
    out = capsys.readouterr().out
    assert "a different arXiv id (2502.00002, the record has 2401.00001)" in out
    text = (empty_archive / "papers" / "scaling-laws.yml").read_text()
    assert "2401.00001" in text and "Revised" not in text



def test_one_title_under_two_arxiv_ids_in_one_dump_keeps_the_first_and_says_so(
        empty_archive: Path, tmp_path: Path, capsys) -> None:
    # The case the upstream arXiv files hold five times in 40,717 papers (records.md): one
    # work submitted twice, its abstract rewritten. Neither entry may absorb the other.
    rows = [{"title": "Infinity Parser", "abstract": ABSTRACT,
             "url": "https://arxiv.org/abs/2506.03197"},
            {"title": "Infinity Parser", "abstract": ABSTRACT + " Now with 400K documents.",
             "url": "https://arxiv.org/abs/2510.15349"}]
    dump = _dump(tmp_path / "d.jsonl", rows)
    for _ in range(2):  # importing it again changes nothing and says the same
        capsys.readouterr()
        assert main(["import", str(dump), "--root", str(empty_archive), "--no-copy"]) == 0
        out = capsys.readouterr().out
        assert "1 rejected" in out
        assert "rejected  dump line 2: same title as infinity-parser but a different arXiv " \
            "id (2510.15349, the record has 2506.03197)" in out
        assert [p.name for p in (empty_archive / "papers").glob("*.yml")] == \
            ["infinity-parser.yml"]
    text = (empty_archive / "papers" / "infinity-parser.yml").read_text()
    assert "2506.03197" in text and "2510.15349" not in text and "400K" not in text
    assert "0 files written" in out

def test_validate_accepts_c_and_c_plus_plus_but_not_one_title_twice(seed_archive: Path,
                                                                    capsys) -> None:
    papers = seed_archive / "papers"
    template = next(iter(sorted(papers.glob("*.yml")))).read_text()
    for stem, title in (("c-lang", "C for Scientists"), ("cpp-lang", "C++ for Scientists")):
        text = "\n".join(f'id: "{stem}"' if line.startswith("id:") else
                         f'title: "{title}"' if line.startswith("title:") else line
                         for line in template.splitlines())
        (papers / f"{stem}.yml").write_text(text + "\n")
    _, problems = load_archive(seed_archive)
    assert [p for p in problems if p.field == "title"] == []
    (papers / "c-again.yml").write_text((papers / "c-lang.yml").read_text()
                                        .replace('id: "c-lang"', 'id: "c-again"'))
    _, problems = load_archive(seed_archive)
    assert [p.message for p in problems if p.field == "title"] == \
        ["same title as archive/papers/c-again.yml"]
