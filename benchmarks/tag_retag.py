"""Re-tagging converges: ``tags suggest --apply`` run several times on a copy of an archive.

Prints figures and asserts nothing::

    python -m benchmarks.tag_retag ARCHIVE_DIR              # 3 passes
    python -m benchmarks.tag_retag ARCHIVE_DIR --passes 2

The records of ``ARCHIVE_DIR/papers`` are copied (to ``.bench/tag_retag/`` unless
``--work`` says otherwise) with the repository's ``tags.yml``, ``tag_training.yml`` and
schema, as a maintainer pulling a new tagger would have them, and each pass is
``python -m generator tags suggest --apply`` on the copy.  After the copy and after each
pass: the share of papers with 0 / 1 / 2-6 / more tags and the two largest tags; at the
end the same for a fresh import (the tagger on every paper, in memory) and how many
records nobody edited carry other tags than that.  Without a ratchet that count is 0 after
the first pass and every later pass writes nothing.  Heavy at 10,000 papers and more:
run it under the heavy-job lock.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.tag_corpus import REPO
from generator.archive import load_archive
from generator.cli import main as generator_main
from generator.model import Archive
from generator.tagmodel import suggest_for
from generator.tagpolicy import load_policy


def coverage(tag_sets: Sequence[tuple[str, ...]]) -> str:
    """``0 tags a%, 1 tag b%, 2-6 c%, >6 d%; largest x p%, y q%`` for these papers."""
    n = len(tag_sets) or 1
    counts = Counter(min(len(tags), 7) for tags in tag_sets)
    uses = Counter(tag for tags in tag_sets for tag in tags)
    largest = ", ".join(f"{tag} {papers / n:.1%}" for tag, papers in uses.most_common(2))
    middle = sum(counts[k] for k in range(2, 7))
    return (f"0 tags {counts[0] / n:.1%}, 1 tag {counts[1] / n:.1%}, 2-6 {middle / n:.1%}, "
            f">6 {counts[7] / n:.1%}; largest {largest}")


def _load(root: Path) -> Archive:
    archive, _problems = load_archive(root)
    return archive


def copy_archive(source: Path, work: Path) -> None:
    """``source``'s records with the repository's vocabulary, judgements and schema."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source / "papers", work / "papers")
    for name in ("tags.yml", "tag_training.yml"):
        shutil.copy(REPO / "archive" / name, work / name)
    shutil.copytree(REPO / "archive" / "schema", work / "schema")


def retag(work: Path) -> str:
    """One ``tags suggest --apply``; its last line (``N records written, ...``)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = generator_main(["tags", "suggest", "--apply", "--root", str(work)])
    lines = err.getvalue().strip().splitlines()
    return f"exit {status}: {lines[-1] if lines else ''}"


def main(argv: list[str] | None = None) -> int:
    """Copy, re-tag ``--passes`` times and print the figures; 0 unless the arguments are wrong."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, metavar="ARCHIVE_DIR",
                        help="an archive folder whose papers/ to re-tag (it is not changed)")
    parser.add_argument("--passes", type=int, default=3,
                        help="how many times to run tags suggest --apply (default 3)")
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "tag_retag",
                        help="where the copy goes (replaced; default .bench/tag_retag)")
    args = parser.parse_args(argv)
    if not (args.archive / "papers").is_dir():
        parser.error(f"no papers/ folder in {args.archive}")
    copy_archive(args.archive, args.work)
    archive = _load(args.work)
    print(f"{len(archive.papers)} records of {args.archive}, "
          f"{sum(p.edited for p in archive.papers)} edited by hand")
    print(f"  as copied: {coverage([p.tags for p in archive.papers])}")
    for n in range(1, args.passes + 1):
        start = time.perf_counter()
        said = retag(args.work)
        archive = _load(args.work)
        print(f"  pass {n} ({time.perf_counter() - start:.0f} s, {said}): "
              f"{coverage([p.tags for p in archive.papers])}")
    policy = load_policy(args.work)
    fresh = {p.id: suggest_for(p, archive.vocabulary, policy) for p in archive.papers}
    print(f"  fresh import: {coverage(list(fresh.values()))}")
    unedited = [p for p in archive.papers if not p.edited]
    differ = sum(1 for p in unedited if p.tags != fresh[p.id])
    print(f"  records nobody edited whose tags differ from a fresh import: {differ} of "
          f"{len(unedited)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
