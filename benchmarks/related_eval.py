"""Related papers against the hand-judged seed sample (benchmarks/data/related_judgements.yml).

    python -m benchmarks.related_eval [--archive archive]

For each judged paper, recomputes its related papers and says whether the first one is
still the judged one.  Prints the judged share of same-topic first neighbours, and how many
first neighbours changed since judging (those need judging again before the share is
quoted for the current code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

JUDGED = REPO / "benchmarks" / "data" / "related_judgements.yml"


def main(argv: list[str] | None = None) -> int:
    """Score the related papers against the judged sample and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=REPO / "archive",
                        help="archive folder (default: the repository's)")
    args = parser.parse_args(argv)
    from generator import related
    from generator.archive import load_archive

    archive, _ = load_archive(args.archive)
    by_id = {p.id: p for p in archive.papers}
    found = related.related_papers(related.texts_of(archive.papers))
    judged = yaml.safe_load(JUDGED.read_text("utf-8"))["judged"]
    same = changed = 0
    for item in judged:
        first = found.get(item["paper"]) or []
        title = by_id[first[0].paper_id].title if first else ""
        if title != item["first_related_title"]:
            changed += 1
            print(f"changed: {item['paper']}: now {title!r}")
        elif item["same_topic"]:
            same += 1
    unchanged = len(judged) - changed
    print(f"{len(judged)} judged papers; first related paper unchanged for {unchanged}")
    print(f"same topic (judged, unchanged ones): {same} of {unchanged}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
