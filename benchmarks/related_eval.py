"""Related papers against the hand-judged samples (benchmarks/data/related_judgements.yml).

    python -m benchmarks.related_eval                         # every judged sample
    python -m benchmarks.related_eval --show held-out         # print a sample for judging
    python -m benchmarks.related_eval --set real-10k --archive .bench/r10k/archive
    python -m benchmarks.related_eval --template held-out-2   # entries to fill in, for a judge

Each sample names its archive and how its papers are drawn (deterministically, from the
sorted ids).  For each judged paper the script recomputes its related papers and says
whether the first one is still the judged one; it prints the judged share of same-topic
first neighbours and how many first neighbours changed since judging (those need judging
again before the share is quoted for the current code).  ``--show`` prints, for each
drawn paper, its title and abstract and its first related paper's, to judge by reading.

Which sample is which matters: ``tuning``, ``held-out``, ``real-10k``, ``tuning-10k``
and ``fresh-10k`` have all been seen while the similarity was tuned, so their shares
flatter.  ``held-out-2`` (the seed draw's papers 61 to 90) was judged by someone who did not
tune, after round 3; ``held-out-3`` (papers 91 to 120) and ``blind-48k`` (30 papers of the
47,714-paper archive) are kept for a judge after round 4, and nobody tuning may look at
them.  Until judged, a ``judged`` list is empty and the script says so; ``--template``
prints its entries (the current first related paper of each, ``same_topic`` left for the
judge) to paste into the YAML file and complete.  To judge two versions of the method
blind, side by side, use ``python -m benchmarks.related_sheet``.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

JUDGED = REPO / "benchmarks" / "data" / "related_judgements.yml"
#: The seed of every draw, and the draws: (skip, take) of one random.sample of the ids.
SEED = 20261201
DRAWS = {"tuning": (0, 30), "held-out": (30, 30), "held-out-2": (60, 30),
         "held-out-3": (90, 30), "real-10k": (0, 30), "tuning-10k": (30, 30),
         "fresh-10k": (60, 60), "blind-48k": (0, 30)}
#: Draws with a seed of their own (the 47,714-paper archive holds the 10,129 papers).
DRAW_SEEDS = {"blind-48k": 20261202}
#: The samples judged on the repository's own archive (the others need --archive).
SEED_ARCHIVE_SETS = ("tuning", "held-out", "held-out-2", "held-out-3")


def draw(ids: list[str], name: str) -> list[str]:
    """The papers of sample ``name``: a deterministic draw from the sorted ids."""
    skip, take = DRAWS[name]
    rng = random.Random(DRAW_SEEDS.get(name, SEED))
    return rng.sample(sorted(ids), skip + take)[skip:]


def main(argv: list[str] | None = None) -> int:
    """Score the related papers against the judged samples and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=REPO / "archive",
                        help="archive folder (default: the repository's)")
    parser.add_argument("--set", choices=sorted(DRAWS), action="append",
                        help="judged sample(s) to score (default: those of the archive)")
    parser.add_argument("--show", choices=sorted(DRAWS),
                        help="print this sample's papers and first related papers")
    parser.add_argument("--template", choices=sorted(DRAWS),
                        help="print this sample's YAML entries for a judge to complete")
    args = parser.parse_args(argv)
    from generator import related
    from generator.archive import load_archive

    archive, _ = load_archive(args.archive)
    by_id = {p.id: p for p in archive.papers}
    found = related.related_papers(related.texts_of(archive.papers))
    if args.template:
        entries = []
        for paper_id in draw(list(by_id), args.template):
            first = found.get(paper_id) or []
            entries.append({"paper": paper_id,
                            "first_related_title": by_id[first[0].paper_id].title if first else "",
                            "same_topic": None})
        print(yaml.safe_dump({"judged": entries}, sort_keys=False, allow_unicode=True, width=100),
              end="")
        return 0
    if args.show:
        for number, paper_id in enumerate(draw(list(by_id), args.show), 1):
            first = found.get(paper_id) or []
            print(f"{number}. {paper_id}")
            _print(by_id[paper_id])
            if first:
                print(f"   -> first related (shares: {', '.join(first[0].shares)}):")
                _print(by_id[first[0].paper_id])
            else:
                print("   -> no related paper")
            print()
        return 0
    judged = yaml.safe_load(JUDGED.read_text("utf-8"))["sets"]
    names = args.set or ([n for n in SEED_ARCHIVE_SETS if n in judged]
                         if args.archive.resolve() == (REPO / "archive").resolve() else [])
    if not names:
        print("error: name the judged sample(s) of this archive with --set", file=sys.stderr)
        return 2
    for name in names:
        items = judged[name]["judged"] or []
        if not items:
            print(f"{name}: not judged yet")
            continue
        unfinished = [item["paper"] for item in items if item.get("same_topic") is None]
        if unfinished:
            print(f"error: {name}: no same_topic for {', '.join(unfinished)}", file=sys.stderr)
            return 2
        same = changed = 0
        for item in items:
            first = found.get(item["paper"]) or []
            title = by_id[first[0].paper_id].title if first else ""
            if title != item["first_related_title"]:
                changed += 1
                print(f"{name}: changed: {item['paper']}: now {title!r}")
            elif item["same_topic"]:
                same += 1
        unchanged = len(items) - changed
        print(f"{name}: {len(items)} judged papers, first related paper unchanged for "
              f"{unchanged}; same topic: {same} of {unchanged}")
    return 0


def _print(paper: object) -> None:
    print(f"   {paper.title}  [{', '.join(paper.tags)}]")  # type: ignore[attr-defined]
    abstract = " ".join(paper.abstract.split())  # type: ignore[attr-defined]
    print(textwrap.indent(textwrap.fill(abstract[:700], 96), "      "))


if __name__ == "__main__":
    raise SystemExit(main())
