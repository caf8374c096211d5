"""Coverage and speed of learned-layer variants on an archive's records (no judgements read).

Prints figures and asserts nothing::

    python -m benchmarks.tag_model_coverage ARCHIVE_DIR [--variants "round 5,committed"]

Each variant of :data:`benchmarks.tag_model_cv.VARIANTS` is trained on the committed
``archive/tag_training.yml`` (timed), then tags every record of ``ARCHIVE_DIR/papers`` in
memory from its title and abstract, as ``import`` would (timed, without reading the files).
Figures: share of papers with 0 / 1 / 2-6 / more tags, the largest tag's share, the tags
on fewer than 3 papers and over 30%.  Heavy at 48,000 papers: run it under the heavy-job
lock.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from benchmarks.tag_corpus import REPO
from benchmarks.tag_eval import POLICY
from benchmarks.tag_model_cv import VARIANTS
from generator import tagmodel
from generator.layout import Layout
from generator.vocabulary import load_vocabulary

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_papers(archive: Path) -> list[tuple[str, str]]:
    """(title, abstract) of every record, in file-name order."""
    out = []
    for path in sorted((archive / "papers").glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        out.append((str(data.get("title", "")), str(data.get("abstract", ""))))
    return out


def main(argv: list[str]) -> int:
    """Train each variant, tag the archive's papers, print one line each."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tag_model_coverage")
    parser.add_argument("archive", type=Path, help="an archive directory (with papers/)")
    parser.add_argument("--variants", default="round 5,committed",
                        help=f"comma-separated, of: {', '.join(VARIANTS)}")
    args = parser.parse_args(argv)
    vocabulary, problems = load_vocabulary(Layout(REPO / "archive"))
    if problems:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 1
    start = time.perf_counter()
    papers = read_papers(args.archive)
    print(f"{len(papers)} papers read in {time.perf_counter() - start:.0f} s")
    print(f"{'variant':<16} {'train s':>7} {'tag s':>6} {'ms/paper':>8}  0 tags  1 tag  2-6"
          "    >6   largest tag            under 3  over 30%")
    for name in [n.strip() for n in args.variants.split(",") if n.strip()]:
        start = time.perf_counter()
        model = tagmodel.TagModel(vocabulary, vocabulary.training, POLICY, VARIANTS[name])
        trained = time.perf_counter() - start
        start = time.perf_counter()
        chosen = [[r.score.tag for r in model.choose(model.rank(t, a))] for t, a in papers]
        tagged = time.perf_counter() - start
        counts = [len(c) for c in chosen]
        per_tag = Counter(t for c in chosen for t in c)
        n = len(papers) or 1
        share = Counter(min(c, 7) for c in counts)
        top, top_n = per_tag.most_common(1)[0] if per_tag else ("-", 0)
        under = sorted(t for t in model.tag_ids if per_tag[t] < 3)
        over = sorted(t for t in model.tag_ids if per_tag[t] > 0.3 * n)
        print(f"{name:<16} {trained:>7.1f} {tagged:>6.1f} {1000 * tagged / n:>8.2f}"
              f"  {100 * share[0] / n:5.1f}% {100 * share[1] / n:5.1f}%"
              f" {100 * sum(share[k] for k in range(2, 7)) / n:5.1f}% {100 * share[7] / n:4.1f}%"
              f"  {top} {100 * top_n / n:.1f}%  {len(under)} {under[:4]}  {len(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
