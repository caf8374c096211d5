"""Command-line interface: argument parsing and printing only; the work lives elsewhere.

``python -m generator <command> --help`` documents every command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__

DEFAULT_ROOT = Path("archive")

Handler = Callable[[argparse.Namespace], int]


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help="archive folder holding papers/, tags.yml and schema/ "
                             "(default: %(default)s)")


# ------------------------------------------------------------------ import


def _cmd_import(args: argparse.Namespace) -> int:
    from generator.importer import ImportError_, run_import

    try:
        report = run_import(args.dump, args.root, today=args.date, dry_run=args.dry_run,
                            keep_dump=not args.no_copy)
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    for line in report.details() if args.verbose else [
            line for line in report.details() if not line.startswith(("added", "updated"))]:
        print(line)
    prefix = "dry run, nothing written: " if args.dry_run else ""
    print(prefix + report.summary())
    return 0


def _setup_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import a raw dump (listing .txt or .jsonl[.xz]) into the archive",
        description="Clean every entry of DUMP and merge it into the archive: new papers "
                    "become records, unchanged ones are left alone, records edited by hand "
                    "are never overwritten (reported as conflicts). Nothing is written "
                    "unless the whole dump reads cleanly; re-importing a dump writes nothing.")
    p.add_argument("dump", type=Path, help="the dump file")
    _add_root(p)
    p.add_argument("--date", help="date to record as 'added' (default: today, YYYY-MM-DD)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--no-copy", action="store_true",
                   help="do not keep a copy of the dump under archive/dumps/")
    p.add_argument("-v", "--verbose", action="store_true", help="list every added/updated id")
    p.set_defaults(func=_cmd_import)


# ------------------------------------------------------------------ validate


def format_problem(problem, fmt: str) -> str:
    """One problem as text (``path:line: field: message``) or a GitHub annotation."""
    if fmt == "github":
        def esc(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(value: str) -> str:
            return esc(value).replace(":", "%3A").replace(",", "%2C")

        return (f"::error file={esc_prop(problem.path)},line={problem.line},"
                f"title={esc_prop(problem.field)}::{esc(problem.message)}")
    return str(problem)


def _cmd_validate(args: argparse.Namespace) -> int:
    from generator.records import load_archive

    archive, problems = load_archive(args.root)
    for problem in problems:
        print(format_problem(problem, args.format))
    if problems:
        print(f"{len(problems)} problem(s) in {len(archive.papers)} records", file=sys.stderr)
        return 1
    print(f"ok: {len(archive.papers)} records, {len(archive.vocabulary.tags)} tags",
          file=sys.stderr)
    return 0


def _setup_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="check every record and the tag vocabulary",
        description="Report ALL problems in one run, one per line as path:line: field: "
                    "message. Exit status 1 if there is any problem.")
    _add_root(p)
    p.add_argument("--format", choices=("text", "github"), default="text",
                   help="'github' prints workflow annotations (default: %(default)s)")
    p.set_defaults(func=_cmd_validate)


# ------------------------------------------------------------------ generate and build


def _print_problems(exc, fmt: str = "text") -> None:
    for problem in exc.problems:
        print(format_problem(problem, fmt))
    print(f"{exc}; nothing was generated", file=sys.stderr)


def _cmd_generate(args: argparse.Namespace) -> int:
    from generator.site import ArchiveProblems, generate

    try:
        report = generate(args.root, args.docs)
    except ArchiveProblems as exc:
        _print_problems(exc)
        return 1
    print(report.summary())
    return 0


def _setup_generate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate", help="write the Markdown of every paper and tag page into docs/",
        description="Validate the archive, then write the pages (docs/index.md, docs/papers/, "
                    "docs/tags/, docs/contributing.md). Only changed files are written; pages "
                    "whose record is gone are deleted. Nothing is written if the archive has "
                    "a problem.")
    _add_root(p)
    p.add_argument("--docs", type=Path, default=Path("docs"),
                   help="MkDocs docs folder (default: %(default)s)")
    p.set_defaults(func=_cmd_generate)


def _cmd_build(args: argparse.Namespace) -> int:
    from generator.build import BuildFailed, BuildPaths, build
    from generator.site import ArchiveProblems

    paths = BuildPaths(root=args.root, config=args.config, site_dir=args.site_dir)
    try:
        report = build(paths)
    except ArchiveProblems as exc:
        _print_problems(exc)
        return 1
    except BuildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{report.summary()}; site built into {args.site_dir}")
    return 0


def _setup_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", help="validate, generate and build the site into site/",
        description="validate (refusing on any problem) -> generate -> mkdocs build --strict. "
                    "The site is built in a fresh folder and swapped in only on success, so "
                    "a failed build leaves the previous site/ untouched.")
    _add_root(p)
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                   help="MkDocs configuration (default: %(default)s)")
    p.add_argument("--site-dir", type=Path, default=Path("site"),
                   help="where the built site goes (default: %(default)s)")
    p.set_defaults(func=_cmd_build)


# ------------------------------------------------------------------ main

SETUPS: list[Callable[[argparse._SubParsersAction], None]] = [
    _setup_import, _setup_validate, _setup_generate, _setup_build]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a browsable archive of research-paper abstracts.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for setup in SETUPS:
        setup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
