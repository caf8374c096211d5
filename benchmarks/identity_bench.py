"""How the dedupe keys merge papers on the real datasets: ``python -m benchmarks.identity_bench``.

For each dataset, and for both together, every entry is cleaned as the importer cleans it
and keyed by the first key (``slugify(title)``) and by :func:`generator.identity.dedupe_key`.
A key group holding entries with different arXiv ids merged distinct papers (data loss on
import); one arXiv id under several keys is a duplicate the key missed.  Also prints the
abstract overlap of the pairs, which sets :data:`generator.identity.SAME_ABSTRACT`, a
sample of each kind of merge to read, and the time to derive ids for titles sharing a slug.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from generator import identity
from generator.dumps import RawEntry
from generator.identity import normalise_title
from generator.importer import entry_to_paper
from generator.model import Paper

#: Where the datasets are unless --datasets says: $PAPER_DATASETS.
DATASETS_ENV = "PAPER_DATASETS"


def load(path: Path) -> list[tuple[Paper, str]]:
    """Cleaned papers with their arXiv ids (from the dump's ``url``, as the importer sees it)."""
    out = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle, start=1):
            obj = json.loads(line)
            paper = entry_to_paper(RawEntry(obj["title"], obj["abstract"], n, obj.get("url", "")))
            out.append((paper, identity.arxiv_id(link.url for link in paper.links)))
    return out


def groups(entries: list[tuple[Paper, str]], key: Callable[[Paper, str], str]) -> dict:
    """The entries grouped by ``key``: key -> the (paper, arXiv id) pairs sharing it."""
    by_key: dict[str, list[tuple[Paper, str]]] = defaultdict(list)
    for paper, arxiv in entries:
        by_key[key(paper, arxiv)].append((paper, arxiv))
    return by_key


def old_key(paper: Paper, arxiv: str) -> str:
    """The first release's dedupe key: the normalised title alone."""
    return normalise_title(paper.title)


def new_key(paper: Paper, arxiv: str) -> str:
    """The importer's dedupe key (:func:`generator.identity.dedupe_key`)."""
    return identity.dedupe_key(paper.title, paper.abstract, arxiv)


def report(name: str, entries: list[tuple[Paper, str]], rng: random.Random,
           sample: int) -> None:
    """Print, for one dataset, what each key merged wrongly and what it missed."""
    papers = len({arxiv for _, arxiv in entries})
    print(f"\n## {name}: {len(entries)} entries, {papers} distinct arXiv ids")
    print("| key | keys | groups merging distinct papers | papers lost to a merge "
          "| same paper under 2+ keys |")
    print("|---|---|---|---|---|")
    merged_samples = {}
    split: dict[str, set[str]] = {}
    for label, key in (("old slugify", old_key), ("new dedupe_key", new_key)):
        by_key = groups(entries, key)
        bad = {k: g for k, g in by_key.items() if len({a for _, a in g}) > 1}
        lost = sum(len({a for _, a in g}) - 1 for g in bad.values())
        keys_per_id: dict[str, set[str]] = defaultdict(set)
        for k, g in by_key.items():
            for _, a in g:
                keys_per_id[a].add(k)
        missed = sum(1 for ks in keys_per_id.values() if len(ks) > 1)
        print(f"| {label} | {len(by_key)} | {len(bad)} | {lost} | {missed} |")
        merged_samples[label] = bad
        split[label] = {a for a, ks in keys_per_id.items() if len(ks) > 1}
    titles_of: dict[str, list[str]] = defaultdict(list)
    for paper, arxiv in entries:
        titles_of[arxiv].append(paper.title)
    old_split, new_split = split["old slugify"], split["new dedupe_key"]
    for label, ids in (("split by the new key only", new_split - old_split),
                       ("split by the old key only", old_split - new_split)):
        print(f"\n{label}: {len(ids)} papers")
        for a in sorted(ids)[:sample]:
            print(f"- [{a}] " + " | ".join(repr(t) for t in titles_of[a]))
    old_bad, new_bad = merged_samples["old slugify"], merged_samples["new dedupe_key"]
    for label, bad in (("merged by the old key only", old_bad), ("merged by the new key", new_bad)):
        keys = sorted(bad)
        if label.endswith("only"):
            new_groups = {frozenset(a for _, a in g) for g in new_bad.values()}
            keys = [k for k in keys if frozenset(a for _, a in bad[k]) not in new_groups]
        print(f"\n{label}: {len(keys)} groups; sample:")
        for k in rng.sample(keys, min(sample, len(keys))):
            titles = " | ".join(f"{p.title!r} [{a}]" for p, a in bad[k][:3])
            overlap = identity.abstract_overlap(bad[k][0][0].abstract, bad[k][1][0].abstract)
            print(f"- {titles} (abstract overlap {overlap:.2f})")


def overlaps(hf: list[tuple[Paper, str]], ax: list[tuple[Paper, str]]) -> None:
    """Abstract overlap of one paper's two versions, and of distinct papers with one title."""
    by_id = {a: p for p, a in ax}
    same = [identity.abstract_overlap(p.abstract, by_id[a].abstract) for p, a in hf if a in by_id]
    for p, a in hf:
        if a in by_id and identity.abstract_overlap(p.abstract, by_id[a].abstract) < 0.5:
            print(f"\nlow overlap for one paper [{a}]: {p.abstract[:150]!r} vs "
                  f"{by_id[a].abstract[:150]!r}")
    by_title = groups(hf + ax, new_key)
    differ = [identity.abstract_overlap(g[0][0].abstract, g[1][0].abstract)
              for g in by_title.values() if len(g) > 1 and g[0][1] != g[1][1]]
    print("\n## abstract overlap (Jaccard of words of 4+ letters)")
    for label, values in (("one paper in both datasets", same),
                          ("different arXiv ids, one new key", differ)):
        if not values:
            print(f"- {label}: none")
            continue
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        below = sum(v < identity.SAME_ABSTRACT for v in values)
        print(f"- {label}: {len(values)} pairs, min {min(values):.2f}, 1st pct {q[0]:.2f}, "
              f"median {statistics.median(values):.2f}, max {max(values):.2f}; "
              f"{below} under {identity.SAME_ABSTRACT}")


def id_timing(count: int) -> None:
    """Print how long ids take for ``count`` titles that all share one slug."""
    titles = ["Attention Is All You Need"] * count
    start = time.perf_counter()
    allocator = identity.IdAllocator([])
    ids = [allocator.allocate(t) for t in titles]
    took = time.perf_counter() - start
    assert len(set(ids)) == count
    print(f"\n## ids for {count} titles sharing one slug: {took:.3f} s")


def main(argv: list[str] | None = None) -> int:
    """Load the datasets and print the identity figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.identity_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=os.environ.get(DATASETS_ENV),
                        help="folder holding hf-daily-papers.jsonl.xz and arxiv-2025.jsonl.xz "
                             f"(default: ${DATASETS_ENV})")
    parser.add_argument("--sample", type=int, default=12, help="merges to print per kind")
    parser.add_argument("--seed", type=int, default=9,
                        help="random seed of the printed samples (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.datasets is None:
        parser.error(f"give --datasets FOLDER (or set ${DATASETS_ENV})")
    args.datasets = Path(args.datasets)
    hf_path, ax_path = (args.datasets / "hf-daily-papers.jsonl.xz",
                        args.datasets / "arxiv-2025.jsonl.xz")
    for path in (hf_path, ax_path):
        if not path.is_file():
            parser.error(f"{path}: no such file (see --datasets)")
    rng = random.Random(args.seed)
    hf, ax = load(hf_path), load(ax_path)
    report("hf-daily-papers", hf, rng, args.sample)
    report("arxiv-2025", ax, rng, args.sample)
    report("both", hf + ax, rng, args.sample)
    overlaps(hf, ax)
    id_timing(16000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
