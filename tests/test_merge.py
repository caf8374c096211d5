"""Merge rules of the importer as a case table (tests/cases/merges.yml).

Dumps imported in several orders, with a hand edit in between, converge on one record
that has lost nothing, and a dump imported again writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.archive import load_archive
from generator.importer import run_import
from generator.layout import Layout

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "merges.yml").read_text("utf-8"))
A_ID = "diffusion-models-for-everything"
ABSTRACTS = {  # one paper's abstract as sources word it: most words shared, as in life
    "trending.txt": "We train diffusion models for everything and show that one model samples "
                    "images, audio and text alike; code at https://github.com/a/diffusion .",
    "daily.jsonl": "We train diffusion models for everything and show that one single model "
                   "samples images, audio and text.",
    "daily-fixed.jsonl": "We train diffusion models for everything and show that one single "
                         "model samples images, audio, video and text.",
    "edit": "We train diffusion models for everything and show that one model samples "
            "images, sounds and text alike",
}
A_ROW = {"title": "Diffusion Models for Everything", "abstract": ABSTRACTS["daily.jsonl"],
         "authors": ["Ada  Lovelace", "Émilie du Châtelet"], "arxiv_id": "2501.01234v2",
         "url": "https://arxiv.org/abs/2501.01234", "date": "2025-01-03",
         "published_at": "2025-01-02T00:00:00.000Z", "categories": ["cs.LG", "I.2.7", "stat.ML"]}
C_ROW = {"title": "A Paper Only the Daily Listing Has", "abstract": "c" * 80,
         "authors": ["Grace Hopper"], "arxiv_id": "2501.00007",
         "url": "https://arxiv.org/abs/2501.00007", "date": "2025-01-03",
         "published_at": "2025-01-01", "categories": ["cs.PL"]}


def _jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


DUMPS = {
    "trending.txt": ("Trending papers\nSubscribeDiffusion Models for Everything\n"
                     f"{ABSTRACTS['trending.txt']}\nA Paper Only the Trending List Has\n"
                     + "b" * 80 + "\n"),
    "daily.jsonl": _jsonl(C_ROW, A_ROW),
    "daily-fixed.jsonl": _jsonl(C_ROW, {**A_ROW, "abstract": ABSTRACTS["daily-fixed.jsonl"]}),
    "other-id.jsonl": _jsonl({**A_ROW, "arxiv_id": "2502.05678",
                              "url": "https://arxiv.org/abs/2502.05678"},
                             {**C_ROW, "title": "Yet Another Paper", "arxiv_id": "2501.00008",
                              "url": ""}),
    "retitled.jsonl": _jsonl({**A_ROW, "title": "Diffusion Models for Everything (v2)",
                              "date": "2025-02-01"}),
    "doubled.jsonl": _jsonl(A_ROW, {**A_ROW, "title": "Renamed but the same id"},
                            {**A_ROW, "arxiv_id": "", "url": ""}),
}


def _run(step: str, root: Path, tmp_path: Path):
    name, _, saved_as = step.partition(" as ")
    dump = tmp_path / "dumps-in" / (saved_as or name)
    dump.parent.mkdir(exist_ok=True)
    dump.write_text(DUMPS[name], encoding="utf-8")
    return run_import(dump, root, today="2026-01-10", keep_dump=False)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_merge_case(case, empty_archive, tmp_path):
    for step in case["steps"]:
        if step == "edit A":
            path = Layout(empty_archive).paper_path(A_ID)
            text = path.read_text("utf-8")
            path.write_text(text.replace(ABSTRACTS["trending.txt"].rstrip(" ."),
                                         ABSTRACTS["edit"]), "utf-8")
            continue
        report = _run(step["import"], empty_archive, tmp_path)
        got = {
            "added": len(report.added), "updated": len(report.updated),
            "unchanged": len(report.unchanged), "duplicates": len(report.duplicates),
            "written": len(report.written),
            "conflicts": [f"{'A' if c.id == A_ID else c.id}: {c.why or ', '.join(c.fields)}"
                          for c in report.conflicts],
            "rejected": [why for _, why in report.rejected],
        }
        want = {"added": 0, "updated": 0, "unchanged": 0, "duplicates": 0, "conflicts": [],
                "rejected": [], **{k: v for k, v in step.items() if k not in ("import", "fields")}}
        assert got == want, step["import"]
        if "fields" in step:
            assert report.field_summary() == step["fields"]
    archive, problems = load_archive(empty_archive)
    assert problems == []
    paper = archive.paper(A_ID)
    expected = case["A"]
    assert ABSTRACTS[expected["abstract_from"]].split(";")[0] in paper.abstract
    for name in ("authors", "categories", "arxiv_id", "published"):
        if name in expected:
            value = getattr(paper, name)
            assert (list(value) if isinstance(value, tuple) else value) == expected[name]
    if "links" in expected:
        assert [link.url for link in paper.links] == expected["links"]
    assert [[x.date, x.source, x.rank] for x in paper.listings] == expected["listings"]
