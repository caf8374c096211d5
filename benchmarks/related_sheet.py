"""A blind judging sheet for related papers: this version's and another commit's, shuffled.

    python -m benchmarks.related_sheet --set held-out-3 --out .bench/sheet-h3
    python -m benchmarks.related_sheet --set blind-48k --archive DIR --out .bench/sheet-48k
    python -m benchmarks.related_sheet --score .bench/sheet-h3          # after judging

For each paper of a judged sample (:data:`benchmarks.related_eval.DRAWS`) it computes the
first related paper twice: with ``generator/related.py`` as it is in the working tree and
as it was at ``--other`` (a commit, default ``3544760``, main before round 4 of issue 15).
It writes two files into ``--out``:

* ``sheet.md``: one entry per distinct (paper, first related paper) pair, in a shuffled
  order, each with both titles and abstracts and a line to fill in; no method names, and a
  pair both versions chose appears once, so the judge cannot tell which version made it.
* ``key.json``: which entry belongs to which paper and which version.  Keep it away from
  the judge.

The judge writes ``answers.txt`` into the same folder, one line per entry: its number and
``yes`` or ``no`` ("same topic": a reader of the first paper would consider the related
paper to be about the same research topic, not just sharing a method word or a dataset).
``--score`` then prints each version's share of same-topic first neighbours.  A paper with
no related paper in a version counts as not the same topic.

Tags: both versions weigh shared tags a little, so an archive tagged with an older
vocabulary should be re-tagged first (copy ``archive/tags.yml`` into a copy of the archive,
then ``python -m generator tags suggest --root COPY --apply``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.related_eval import DRAWS, SEED_ARCHIVE_SETS, draw  # noqa: E402

#: main before round 4 of issue 15 (the text cosine the topic blend is compared with).
OTHER = "3544760"
#: The order of the sheet's entries.
SHEET_SEED = 15


def main(argv: list[str] | None = None) -> int:
    """Write a judging sheet and its key, or score a judged one."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(DRAWS), help="the sample to put on the sheet")
    parser.add_argument("--archive", type=Path, help="archive folder (default: the "
                        "repository's, for the samples drawn from the seed)")
    parser.add_argument("--other", default=OTHER, help=f"commit to compare with ({OTHER})")
    parser.add_argument("--out", type=Path, help="folder for sheet.md and key.json")
    parser.add_argument("--score", type=Path, metavar="FOLDER",
                        help="score FOLDER/answers.txt against FOLDER/key.json")
    args = parser.parse_args(argv)
    if args.score:
        return _score(args.score)
    if not args.set or not args.out:
        parser.error("--set and --out are needed to write a sheet")
    archive_dir = args.archive
    if archive_dir is None:
        if args.set not in SEED_ARCHIVE_SETS:
            parser.error(f"{args.set} is not drawn from the seed: name its archive (--archive)")
        archive_dir = REPO / "archive"
    return _write(args.set, archive_dir, args.other, args.out)


def _write(name: str, archive_dir: Path, other: str, out: Path) -> int:
    from generator import related
    from generator.archive import load_archive

    archive, _ = load_archive(archive_dir)
    by_id = {p.id: p for p in archive.papers}
    texts = related.texts_of(archive.papers)
    versions = {"current": related, f"at {other}": _module_at(other)}
    firsts: dict[str, dict[str, str | None]] = {}
    for label, module in versions.items():
        found = module.related_papers(texts)
        firsts[label] = {pid: (found[pid][0].paper_id if found.get(pid) else None)
                         for pid in draw(list(by_id), name)}
    pairs: dict[tuple[str, str], list[str]] = {}
    missing: list[dict[str, str]] = []
    for label, chosen in firsts.items():
        for pid, first in chosen.items():
            if first is None:
                missing.append({"paper": pid, "version": label})
            else:
                pairs.setdefault((pid, first), []).append(label)
    entries = sorted(pairs)
    random.Random(SHEET_SEED).shuffle(entries)
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# Related papers to judge: {name} ({len(entries)} pairs)", "",
             "For each pair: would a reader of A consider B to be about the same research",
             "topic (not just sharing a method word or a dataset)? Write one line per pair",
             "into answers.txt: its number and yes or no (\"7 yes\").", ""]
    for number, (pid, first) in enumerate(entries, 1):
        lines += [f"## {number}", "", *_described("A", by_id[pid]), "",
                  *_described("B", by_id[first]), "", "same topic: yes / no", ""]
    (out / "sheet.md").write_text("\n".join(lines), "utf-8")
    key = {"set": name, "archive": str(archive_dir), "versions": list(versions),
           "papers": len(next(iter(firsts.values()))),
           "entries": [{"number": n, "paper": pid, "related": first,
                        "versions": pairs[(pid, first)]}
                       for n, (pid, first) in enumerate(entries, 1)],
           "no_related_paper": missing}
    (out / "key.json").write_text(json.dumps(key, indent=1) + "\n", "utf-8")
    print(f"{out / 'sheet.md'}: {len(entries)} pairs for {key['papers']} papers "
          f"(key in {out / 'key.json'})")
    return 0


def _module_at(commit: str) -> ModuleType:
    """``generator/related.py`` as it was at ``commit``, loaded as a module of its own."""
    source = subprocess.run(["git", "show", f"{commit}:generator/related.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="related-at-"))
    path = folder / f"related_at_{commit}.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _described(letter: str, paper: object) -> list[str]:
    abstract = " ".join(paper.abstract.split())  # type: ignore[attr-defined]
    return [f"**{letter}: {paper.title}**", "",  # type: ignore[attr-defined]
            textwrap.fill(abstract[:1200] + ("..." if len(abstract) > 1200 else ""), 100)]


def _score(folder: Path) -> int:
    key = json.loads((folder / "key.json").read_text("utf-8"))
    answers: dict[int, bool] = {}
    for number, line in enumerate((folder / "answers.txt").read_text("utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[0].isdigit() or parts[1].lower() not in ("yes", "no"):
            print(f"{folder / 'answers.txt'}:{number}: expected 'NUMBER yes|no', "
                  f"got {line!r}", file=sys.stderr)
            return 2
        answers[int(parts[0])] = parts[1].lower() == "yes"
    unanswered = [e["number"] for e in key["entries"] if e["number"] not in answers]
    if unanswered:
        print(f"error: no answer for {', '.join(map(str, unanswered))}", file=sys.stderr)
        return 2
    for version in key["versions"]:
        same = sum(answers[e["number"]] for e in key["entries"] if version in e["versions"])
        print(f"{key['set']}: {version}: first related paper on the same topic for "
              f"{same} of {key['papers']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
