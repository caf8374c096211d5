"""Site benchmark: import N real records into a scratch project, then time generate and build.

    python -m benchmarks.site_bench [--records 5000] [--dump ../shared/datasets/...jsonl.xz]

Prints the figures recorded in docs/maintainers/performance.md.  Uses the repository's
tags.yml when there is one, else a small synthetic vocabulary, so tag pages are exercised.
Everything happens under .bench/site/ (git-ignored); the repository is not touched.
"""

from __future__ import annotations

import argparse
import lzma
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import datasets  # noqa: E402
from generator.build import BuildPaths, run_mkdocs  # noqa: E402
from generator.site import generate  # noqa: E402

#: The Hugging Face listings: the same kind of listing the seed dump was scraped from.
DEFAULT_DUMP = datasets.default_dir() / datasets.FILES[0]
SITE_INPUTS = ("mkdocs.yml", "overrides", "docs", "generator")
GENERATED = ("papers", "tags", "index.md", "contributing.md", "search")
SYNTHETIC_TAGS = {
    "Methods": ["diffusion", "reinforcement learning", "transformer", "graph neural network",
                "contrastive learning", "knowledge distillation", "mixture of experts",
                "retrieval augmented", "fine-tuning", "quantization"],
    "Applications": ["image generation", "video", "speech", "robot*", "code generation",
                     "mathematical reasoning", "medical", "autonomous driving", "3D",
                     "question answering"],
}


def _vocabulary_yaml() -> str:
    lines = ["groups:"] + [f'  - name: "{group}"' for group in SYNTHETIC_TAGS] + ["tags:"]
    for group, phrases in SYNTHETIC_TAGS.items():
        for phrase in phrases:
            tag_id = phrase.strip("*").replace(" ", "-").lower()
            lines += [f"  - id: {tag_id}", f'    name: "{phrase.strip("*").title()}"',
                      f'    description: "Papers about {phrase.strip("*")}."',
                      f'    group: "{group}"', "    rules:", f'      keywords: ["{phrase}"]']
    return "\n".join(lines) + "\n"


def _project(work: Path, dump: Path, records: int) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    project = work / "project"
    project.mkdir(parents=True)
    for name in SITE_INPUTS:
        ignore = shutil.ignore_patterns("__pycache__", *GENERATED)
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            shutil.copy(source, project / name)
    archive = project / "archive"
    shutil.copytree(REPO / "archive", archive, ignore=shutil.ignore_patterns("dumps"))
    if not (archive / "tags.yml").exists():
        (archive / "tags.yml").write_text(_vocabulary_yaml(), encoding="utf-8")
    subset = work / "subset.jsonl"
    with lzma.open(dump, "rt", encoding="utf-8") as source, subset.open("w") as out:
        for n, line in enumerate(source):
            if n >= records:
                break
            out.write(line)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "import", str(subset), "--root",
                    str(archive), "--no-copy", "--date", "2026-01-01"], cwd=project,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"import {records} records: {time.perf_counter() - started:.1f} s")
    return project


def main(argv: list[str] | None = None) -> int:
    """Import the records into a scratch project and print generate and build times."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000,
                        help="how many records of the dump to import (default: %(default)s)")
    parser.add_argument("--dump", type=Path, default=DEFAULT_DUMP,
                        help="a .jsonl or .jsonl.xz dump of real records "
                             "(default: %(default)s)")
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "site",
                        help="scratch project folder, replaced on each run "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.dump.is_file():
        parser.error(f"no dump at {args.dump}: pass --dump FILE "
                     "(the datasets are described in shared/datasets/README.md)")

    project = _project(args.work, args.dump, args.records)
    archive, docs = project / "archive", project / "docs"
    started = time.perf_counter()
    report = generate(archive, docs, project)
    cold = time.perf_counter() - started
    print(f"generate (cold): {cold:.1f} s, {report.summary()}")
    started = time.perf_counter()
    report = generate(archive, docs, project)
    print(f"generate (nothing changed): {time.perf_counter() - started:.1f} s, "
          f"{len(report.written)} written")
    started = time.perf_counter()
    run_mkdocs(BuildPaths(root=archive, config=project / "mkdocs.yml",
                          site_dir=project / "site"))
    built = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
    print(f"mkdocs build --strict: {built:.1f} s for {report.pages} pages "
          f"({1000 * built / max(report.pages, 1):.1f} ms/page), site {size / 1e6:.0f} MB")
    print(f"generate + build: {cold + built:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
