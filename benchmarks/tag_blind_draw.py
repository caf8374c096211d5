"""Redraw the blind held-out-3 sample of the tag evaluation, and check it against the file.

``benchmarks/data/tag_judgements_blind.yml`` was judged by someone who had not written the
rules, from papers drawn by this procedure (first run outside the repository, so that the
judge never touched the tagger): one ``random.Random(20261201)``, 40 Hugging Face papers
first, then 40 arXiv papers from the same generator, each over the sorted keys of its
source, skipping every key already judged (then in ``tag_judgements.yml``, now
``archive/tag_training.yml``), every paper whose cleaned title + abstract is under 400
characters, and (arXiv) the keys the Hugging Face draw took (4,289 papers are in both
files).  Nothing of the tagger is imported.

    python -m benchmarks.tag_blind_draw            # redraw; compare with the judged keys
    python -m benchmarks.tag_blind_draw --write F  # also write the drawn papers as JSON

The cleaner has changed since the draw (emphasis is kept now), so a paper near the
400-character line could move in or out of a pool; the comparison says whether it did.
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
from pathlib import Path

import yaml

from benchmarks import datasets
from generator import clean

DATA = datasets.REPO / "benchmarks" / "data"
SEED = 20261201
PER_SOURCE = 40
MIN_CHARS = 400
SOURCES = (("hf-daily-papers.jsonl.xz", "hf"), ("arxiv-2025.jsonl.xz", "arxiv"))
#: The parts of the judged sample that existed when the sample was drawn: later parts
#: (tuning-4, held-out-4, drawn around these keys) must not shift the redraw.
DRAWN_BEFORE = ("tuning", "held-out", "held-out-2")


def _load(path: Path, source: str) -> dict[str, dict[str, str]]:
    """The cleaned papers of one dataset by key (``arxiv:<id>``, as tag_corpus keys them)."""
    items = {}
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            key = f"arxiv:{row['arxiv_id']}"
            items[key] = {"key": key, "source": source,
                          "title": clean.clean_title(row["title"]),
                          "abstract": clean.clean_abstract(row["abstract"])}
    return items


def draw(folder: Path) -> list[dict[str, str]]:
    """The sample, drawn as it was for the judge."""
    judged = {p["key"] for p in yaml.safe_load(
        (datasets.REPO / "archive" / "tag_training.yml").read_text(encoding="utf-8"))["papers"]
              if p.get("split") in DRAWN_BEFORE}
    pick = random.Random(SEED)
    taken: set[str] = set()
    out: list[dict[str, str]] = []
    for name, source in SOURCES:
        items = _load(folder / name, source)
        pool = sorted(k for k, item in items.items()
                      if k not in judged and k not in taken
                      and len(item["title"]) + len(item["abstract"]) >= MIN_CHARS)
        chosen = pick.sample(pool, PER_SOURCE)
        taken.update(chosen)
        out += [items[k] for k in chosen]
    return out


def main() -> None:
    """Redraw, compare with the judged file, optionally write the drawn papers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    datasets.add_option(parser)
    parser.add_argument("--write", type=Path, metavar="FILE",
                        help="write the drawn papers (key, source, title, abstract) as JSON")
    args = parser.parse_args()
    datasets.dataset_files(args.datasets, parser)
    sample = draw(args.datasets)
    judged = [p["key"] for p in yaml.safe_load(
        (DATA / "tag_judgements_blind.yml").read_text(encoding="utf-8"))["papers"]]
    drawn = [p["key"] for p in sample]
    same = len(set(drawn) & set(judged))
    print(f"drew {len(drawn)} papers; {same} of the {len(judged)} judged keys redrawn"
          + (" (the same sample)" if drawn == judged else ""))
    if args.write:
        args.write.write_text(json.dumps(sample, ensure_ascii=False, indent=1), "utf-8")
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
