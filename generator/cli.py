"""Command-line interface: argument parsing and printing only; the work lives elsewhere.

``python -m generator <command> --help`` documents every command.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.layout import ARCHIVE_DIR, DUMPS_DIR, TAGS_SOURCE, Layout, record_source
from generator.model import LINK_KINDS
from generator.textrules import printable

if TYPE_CHECKING:
    from typing import TypeAlias

    from generator.model import Archive, Problem
    from generator.site import ArchiveProblems
    from generator.tagpolicy import Policy

    #: What ``add_subparsers`` returns: each command's setup adds its parser to it (generic
    #: only in the type stubs, hence named for the type checker alone).
    _Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


DEFAULT_ROOT = Path(ARCHIVE_DIR)


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help="archive folder holding papers/, tags.yml and schema/ "
                             "(default: %(default)s)")


def _add_group(sub: _Commands, name: str, help: str, description: str) -> _Commands:
    """A command made of subcommands (``tags``, ``report``): one of them must be named."""
    parser = sub.add_parser(name, help=help, description=description)
    group = parser.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
    group.required = True
    return group


def _add_date(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", help="date to record as 'added' (default: today, YYYY-MM-DD)")


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
    print_warnings(report.policy_warnings,
                   "this import would leave" if args.dry_run else "this import leaves",
                   report.learned_off)
    return 0


def _setup_import(sub: _Commands) -> None:
    p = sub.add_parser(
        "import", help="import a raw dump (listing .txt or .jsonl[.xz]) into the archive",
        description="Clean every entry of DUMP and merge it into the archive: new papers "
                    "become records, unchanged ones are left alone, records edited by hand "
                    "are never overwritten (reported as conflicts). Nothing is written "
                    "unless the whole dump reads cleanly; re-importing a dump writes nothing.")
    p.add_argument("dump", type=Path, help="the dump file")
    _add_root(p)
    _add_date(p)
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--no-copy", action="store_true",
                   help=f"do not keep a copy of the dump under {ARCHIVE_DIR}/{DUMPS_DIR}/")
    p.add_argument("-v", "--verbose", action="store_true", help="list every added/updated id")
    p.set_defaults(func=_cmd_import)


# ------------------------------------------------------------------ validate


def _github_text(value: str) -> str:
    """Text for a GitHub workflow command's message."""
    # GitHub decodes %25, %0D and %0A; every other control is shown escaped.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(value)


def format_problem(problem: Problem, fmt: str) -> str:
    """One problem as text (``path:line: field: message``) or a GitHub annotation."""
    if fmt == "github":
        def esc_prop(value: str) -> str:
            return _github_text(value).replace(":", "%3A").replace(",", "%2C")

        level = "warning" if problem.warning else "error"
        return (f"::{level} file={esc_prop(problem.path)},line={problem.line},"
                f"title={esc_prop(problem.field)}::{_github_text(problem.message)}")
    return printable(str(problem))


def _cmd_validate(args: argparse.Namespace) -> int:
    from generator.archive import load_archive

    warnings: list[Problem] = []
    archive, problems = load_archive(args.root, warnings=warnings)
    for problem in problems:
        print(format_problem(problem, args.format))
    ours, others = _scope_warnings(args, warnings, archive)
    shown = ours[:args.max_warnings] if args.max_warnings >= 0 else ours
    for problem in shown:
        print(format_problem(problem, args.format))
    if len(shown) < len(ours):
        print(f"... and {len(ours) - len(shown)} more warning(s) "
              "(--max-warnings -1 lists them all; `tags report` summarises them)",
              file=sys.stderr)
    if others:
        print(f"{len(others)} more warning(s) in records and tags this change does not "
              "touch; `python -m generator tags report` lists them", file=sys.stderr)
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    if problems:
        print(f"{len(problems)} problem(s){noted} in {len(archive.papers)} records",
              file=sys.stderr)
        return 1
    print(f"ok: {len(archive.papers)} records, {len(archive.vocabulary.tags)} tags{noted}",
          file=sys.stderr)
    return 0


def _scope_warnings(args: argparse.Namespace, warnings: list[Problem], archive: Archive,
                    ) -> tuple[list[Problem], list[Problem]]:
    """``(warnings to show, warnings only counted)``: all shown unless a change is named."""
    from generator import changes

    if args.only:
        return changes.split(warnings, changes.listed(args.only), archive, args.root)
    if args.changed_from is None:
        return warnings, []
    try:
        change = changes.changed_from(args.changed_from, args.root)
    except changes.ChangeError as exc:
        note = (f"--changed-from {printable(args.changed_from)}: {exc}; "
                "showing the warnings of every record")
        if args.format == "github":
            print(_format_note(note))
        else:
            print(f"note: {note}", file=sys.stderr)
        return warnings, []
    return changes.split(warnings, change, archive, args.root)


def _format_note(text: str) -> str:
    """A GitHub ``::notice`` line (shown on the run's summary, on no file)."""
    return f"::notice title=validate::{_github_text(text)}"


def _setup_validate(sub: _Commands) -> None:
    p = sub.add_parser(
        "validate", help="check every record and the tag vocabulary",
        description="Report ALL problems in one run, one per line as path:line: field: "
                    "message. Exit status 1 if there is any problem. Warnings (a tag too "
                    "broad or too thin for the archive, a paper with fewer tags than the "
                    "policy asks for) are listed after them, as path:line: field: warning: "
                    "message, and do not change the status.")
    _add_root(p)
    p.add_argument("--format", choices=("text", "github"), default="text",
                   help="'github' prints workflow annotations (default: %(default)s)")
    p.add_argument("--max-warnings", type=int, default=20, metavar="N",
                   help="list at most N warnings, -1 for all (default: %(default)s)")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--changed-from", metavar="REF",
                       help="list only the warnings of what changed since REF (git: its merge "
                            "base with HEAD, and the working tree); errors are all listed. "
                            "Without git or REF: every warning, with a note")
    scope.add_argument("--only", nargs="+", type=Path, metavar="PATH",
                       help="list only the warnings of these changed files (and of the tags "
                            "their records have); errors are all listed")
    p.set_defaults(func=_cmd_validate)


# ------------------------------------------------------------------ new


#: Largest abstract file read by ``new`` (an abstract is at most 10,000 characters).
MAX_ABSTRACT_FILE_BYTES = 1024 * 1024


def _read_abstract_file(name: str) -> str:
    """The abstract from a regular file (or standard input), bounded in size."""
    from generator.dumps import DumpError, check_regular_file, read_bounded
    from generator.newrecord import NewRecordError

    if name == "-":
        text = sys.stdin.read(MAX_ABSTRACT_FILE_BYTES + 1)
        if len(text) > MAX_ABSTRACT_FILE_BYTES:
            raise NewRecordError(f"standard input: over {MAX_ABSTRACT_FILE_BYTES} characters")
        return text
    path = Path(name)
    try:
        check_regular_file(path, DumpError)
        raw = read_bounded(path, MAX_ABSTRACT_FILE_BYTES)
    except DumpError as exc:
        raise NewRecordError(f"--abstract-file {exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewRecordError(printable(f"--abstract-file {path}: not UTF-8 text (byte "
                                       f"{exc.start})")) from None


def _cmd_new(args: argparse.Namespace) -> int:
    from generator.newrecord import NewRecordError, new_record, parse_link, read_interactive

    try:
        links = [parse_link(spec) for spec in args.link]
        if args.title is not None:
            if args.abstract_file is None:
                raise NewRecordError("--title needs --abstract-file FILE "
                                     "(or --abstract-file - to read standard input)")
            title, abstract = args.title, _read_abstract_file(args.abstract_file)
        elif sys.stdin.isatty():
            title, abstract = read_interactive()
            if args.abstract_file is not None:
                abstract = _read_abstract_file(args.abstract_file)
        else:
            raise NewRecordError("no --title given and standard input is not a terminal: "
                                 "run it in a terminal to be asked, or give --title and "
                                 "--abstract-file")
        made = new_record(args.root, title, abstract, today=args.date, links=links,
                          paper_id=args.id, dry_run=args.dry_run, tags=args.tag,
                          force=args.force)
    except (NewRecordError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, NewRecordError) and exc.learned_off:
            print(f"warning: {exc.learned_off}", file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    from generator.records import paper_to_yaml

    if made.written:
        print(f"wrote {made.path}")
    else:
        print(paper_to_yaml(made.paper), end="")
        print(f"dry run: {made.path} is valid and was not written", file=sys.stderr)
    tags = ", ".join(made.paper.tags) or "(none)"
    if made.learned_off:
        print(f"warning: {made.learned_off}", file=sys.stderr)
    print(f"suggested tags: {tags}; review them in the file against {TAGS_SOURCE}",
          file=sys.stderr)
    return 0


def _setup_new(sub: _Commands) -> None:
    p = sub.add_parser(
        "new", help="add a paper by hand: write a new, valid record",
        description=f"Create {record_source('<id>')} from a title and an abstract, cleaned "
                    "like an import, with the id derived from the title (never reusing an "
                    "existing id or file) and tags suggested by the vocabulary's rules. A "
                    "paper whose title is already in the archive is refused. Without "
                    "--title, asks for the title and abstract in a terminal.")
    _add_root(p)
    p.add_argument("--title", help="the paper's title (TeX accents and math are cleaned)")
    p.add_argument("--abstract-file", metavar="FILE",
                   help="file holding the abstract, paragraphs split by a blank line "
                        "('-' reads standard input)")
    p.add_argument("--link", action="append", default=[], metavar="KIND=URL",
                   help=f"a link (KIND: {', '.join(LINK_KINDS)}; or a bare URL); repeatable. "
                        "URLs in the abstract are added too")
    p.add_argument("--id", help="use this id instead of the one derived from the title")
    p.add_argument("--tag", action="append", default=[], metavar="ID",
                   help=f"add this tag from {TAGS_SOURCE} to the ones the rules suggest; "
                        "repeatable")
    p.add_argument("--force", action="store_true",
                   help="write the record even if its tags break the tagging policy "
                        "(validate will report it until you fix the tags)")
    _add_date(p)
    p.add_argument("--dry-run", action="store_true",
                   help="print the record instead of writing it")
    p.set_defaults(func=_cmd_new)


# ------------------------------------------------------------------ tags


def _load_for_tags(root: Path) -> tuple[Archive, Policy] | None:
    """The archive and its policy, or None after printing what stops the tags commands.

    Problems of single records and the policy's own findings do not stop them (reviewing
    those is what they are for); an unreadable record, vocabulary or policy does.  A
    problem of ``tag_training.yml`` (the learned layer off) is said in one line; it stops
    ``tags suggest`` (:func:`_cmd_tags_suggest`), not ``tags report``.
    """
    from generator.archive import load_archive
    from generator.model import RECORD, TRAINING
    from generator.tagpolicy import PolicyError, load_policy

    archive, problems = load_archive(root)
    # Unreadable records, and any problem of the vocabulary or the archive as a whole,
    # told by kind (a record named ...-tags.yml is a record): the tags commands read every
    # record and the vocabulary's rules.
    fatal = [p for p in problems if (p.unreadable or p.kind != RECORD) and p.kind != TRAINING]
    try:
        policy = load_policy(root)
    except PolicyError as exc:
        fatal.append(exc.problem)
    for problem in sorted(set(fatal)):
        print(format_problem(problem, "text"), file=sys.stderr)
    if archive.vocabulary.training_off:
        print(f"warning: {archive.vocabulary.training_off}", file=sys.stderr)
    return None if fatal else (archive, policy)


def _print_evidence(archive: Archive, policy: Policy, paper_ids: list[str]) -> None:
    from generator.tagging import format_hits
    from generator.tagmodel import explain

    by_id = {p.id: p for p in archive.papers}
    for paper_id in paper_ids:
        paper = by_id[paper_id]
        print(f"{paper_id}: evidence")
        for score, chosen, note in explain(paper.title, paper.abstract, archive.vocabulary,
                                           policy):
            mark = "+" if chosen else " "
            note = f"  ({note})" if note else ""
            print(f"  {mark} {score.tag:<32} {score.score:>3}  {format_hits(score)}{note}")


def _cmd_tags_suggest(args: argparse.Namespace) -> int:
    from generator import tagcmd

    loaded = _load_for_tags(args.root)
    if loaded is None:
        print("error: fix the problems above first (python -m generator validate)",
              file=sys.stderr)
        return 1
    archive, policy = loaded
    if archive.vocabulary.training_off:
        # What the rules alone suggest is not what import and new suggest once the file is
        # fixed, and --apply would re-tag every unedited record with it.
        print("error: tags suggest needs the learned layer: fix the judgement named above "
              "first", file=sys.stderr)
        return 1
    try:
        suggestions = tagcmd.suggest(archive, policy, args.paper)
    except KeyError:
        print(f"error: no paper with id {args.paper!r}", file=sys.stderr)
        return 1
    for line in tagcmd.format_suggestions(suggestions):
        print(line)
    if args.explain or args.paper:
        _print_evidence(archive, policy, [s.paper_id for s in suggestions
                                          if s.changes or args.paper])
    changing = sum(s.changes for s in suggestions)
    if not args.apply:
        print(f"{changing} of {len(suggestions)} papers would change; nothing written "
              "(use --apply to write unedited records)", file=sys.stderr)
        return 0
    result = tagcmd.apply_suggestions(args.root, archive, suggestions)
    renamed = set(result.renamed_in_edited)
    for paper_id in result.skipped_edited:
        note = " (renamed tag ids updated)" if paper_id in renamed else ""
        print(f"skipped {paper_id}: edited by hand, tags left as they are{note}",
              file=sys.stderr)
    print(f"{len(result.written)} records written, {len(result.skipped_edited)} edited "
          "records skipped", file=sys.stderr)
    return 0


def _cmd_tags_report(args: argparse.Namespace) -> int:
    from generator import tagcmd

    loaded = _load_for_tags(args.root)
    if loaded is None:
        return 1
    rep = tagcmd.report(*loaded)
    for line in tagcmd.format_report(rep):
        print(line)
    return 0 if rep.ok else 1


def _setup_tags(sub: _Commands) -> None:
    tags_sub = _add_group(
        sub, "tags", help="review tag suggestions and tag usage",
        description="Tags are assigned by the rules in tags.yml when a paper is imported; "
                    "after that the record's tags are edited by hand. These commands help "
                    "maintainers keep the rules and the assignments in shape.")
    s = tags_sub.add_parser(
        "suggest", help="list the tags the rules would add or drop, per paper",
        description="Print one line per paper whose tags differ from what the rules in "
                    "tags.yml suggest: '+tag' would be added, '-tag' dropped. Writes nothing "
                    "unless --apply is given; even then, records edited by hand are never "
                    "rewritten (they are listed instead).")
    _add_root(s)
    s.add_argument("--paper", metavar="ID", help="only this paper")
    s.add_argument("--apply", action="store_true",
                   help="write the suggested tags into records nobody edited by hand")
    s.add_argument("--explain", action="store_true",
                   help="under each changed paper, the words that gave each tag its score "
                        "and the model's view of it (always shown with --paper)")
    s.set_defaults(func=_cmd_tags_suggest)
    r = tags_sub.add_parser(
        "report", help="papers per tag, and tags or papers outside the limits",
        description="Print every tag with its number and share of papers, then the worst "
                    "cases of each policy break (papers with too few or too many tags, "
                    "unknown tags, tags too broad or too thin) and the totals. The limits "
                    "are those of schema/tags.schema.json (x-tag-policy). Exit status 1 "
                    "only for a real break of the policy.")
    _add_root(r)
    r.set_defaults(func=_cmd_tags_report)
# ------------------------------------------------------------------ report


def _cmd_report_text(args: argparse.Namespace) -> int:
    from generator import residue
    from generator.archive import load_archive

    archive, problems = load_archive(args.root)
    fatal = [p for p in problems if p.unreadable]
    for problem in fatal:
        print(format_problem(problem, "text"), file=sys.stderr)
    results = {}
    for paper in archive.papers:
        findings = residue.find_residue(paper)
        if not args.formulas:
            findings = [f for f in findings if residue.is_loose(f)]
        if findings:
            results[paper.id] = findings
            print(residue.format_findings(str(Layout(args.root).paper_path(paper.id)), findings))
    summary = residue.summarise(results, len(archive.papers))
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 1 if summary.with_residue or fatal else 0


def _setup_report(sub: _Commands) -> None:
    report_sub = _add_group(
        sub, "report", help="reports on the archive's content (text residue)",
        description="Reports that help maintainers check the archive after an import; "
                    "they write nothing.")
    t = report_sub.add_parser(
        "text", help="list records whose page still shows TeX or markup residue",
        description="Print one line per record whose rendered title or abstract shows TeX "
                    "as text: backslash commands, a $ without a partner, { or } outside "
                    "math, -- between words (URLs are not searched). The last lines (on "
                    "standard error) count papers per kind. Exit status 1 if any record "
                    "shows residue.")
    _add_root(t)
    t.add_argument("--formulas", action="store_true",
                   help="also list formulas the converter refused (shown as TeX source in "
                        "a code element); they never change the exit status")
    t.set_defaults(func=_cmd_report_text)


# ------------------------------------------------------------------ generate and build


def _print_problems(exc: ArchiveProblems, fmt: str = "text") -> None:
    for problem in exc.problems:
        print(format_problem(problem, fmt))
    print(f"{exc}; nothing was generated", file=sys.stderr)


def _generating(work: Callable[[], str]) -> int:
    """Run ``work`` (generate, or a build that generates first) and print how it ended.

    ``generate`` and ``build`` end the same ways, so one place says how each is shown:
    what a later stage adds as a failure is then added once, for both.  ``work`` returns
    the line printed on success.
    """
    from generator.build import BuildFailed
    from generator.layout import OutputCollision
    from generator.outputs import OutputRefused
    from generator.site import ArchiveProblems, GenerateFailed

    try:
        done = work()
    except ArchiveProblems as exc:
        _print_problems(exc)
        return 1
    except OutputCollision as exc:
        print(f"error: {exc}; nothing was generated", file=sys.stderr)
        return 1
    except OutputRefused as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    except (BuildFailed, GenerateFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(done)
    return 0


#: Warnings listed by ``import``, ``generate`` and ``build`` after their one-line count.
FIRST_WARNINGS = 5


def print_warnings(lines: Sequence[str], what: str, learned_off: str = "") -> None:
    """Archive-wide warnings on standard error: one line counting them, then the first few.

    They stop nothing (the command did its work); ``tags report`` lists them all.
    ``learned_off`` (:attr:`generator.model.Vocabulary.training_off`) comes first, alone.
    """
    if learned_off:
        print(f"warning: {learned_off}", file=sys.stderr)
    if not lines:
        return
    print(f"warning: {what} {len(lines)} tag(s) too broad or too thin for the archive-wide "
          "tagging policy (this stops nothing; `python -m generator tags report` lists "
          "them all):", file=sys.stderr)
    for line in lines[:FIRST_WARNINGS]:
        print(f"  {printable(line)}", file=sys.stderr)
    if len(lines) > FIRST_WARNINGS:
        print(f"  ... and {len(lines) - FIRST_WARNINGS} more", file=sys.stderr)


def _cmd_generate(args: argparse.Namespace) -> int:
    from generator.cache import Cache
    from generator.site import generate

    def work() -> str:
        report = generate(args.root, args.docs,
                          cache=Cache.disabled() if args.no_cache else None)
        print_warnings(report.warnings, "the archive has", report.learned_off)
        return report.summary()

    return _generating(work)


def _setup_generate(sub: _Commands) -> None:
    p = sub.add_parser(
        "generate", help="write the Markdown of every paper and tag page into docs/",
        description="Validate the archive, then write the pages (docs/index.md, docs/papers/, "
                    "docs/tags/, docs/months/, docs/contributing.md). Only changed files are "
                    "written; pages whose record is gone are deleted. Nothing is written if the "
                    "archive has a problem. A cache outside the repository (PAPER_ARCHIVE_CACHE, "
                    "default ~/.cache/paper-archive) lets a run skip the records and pages that "
                    "did not change.")
    _add_root(p)
    p.add_argument("--docs", type=Path, default=Path("docs"),
                   help="MkDocs docs folder (default: %(default)s)")
    p.add_argument("--no-cache", action="store_true",
                   help="read every record and render every page (the output is the same)")
    p.set_defaults(func=_cmd_generate)


def _cmd_build(args: argparse.Namespace) -> int:
    from generator.build import BuildPaths, build
    from generator.sitesize import size_warning

    paths = BuildPaths(root=args.root, config=args.config, site_dir=args.site_dir)

    def work() -> str:
        report = build(paths)
        print_warnings(report.warnings, "the archive has", report.learned_off)
        return f"{report.summary()}; site built into {args.site_dir}"

    status = _generating(work)
    warning = size_warning(args.site_dir) if status == 0 else None
    if warning:  # a warning, not a failure: the site is built and may still be published
        print(warning, file=sys.stderr)
    return status


def _setup_build(sub: _Commands) -> None:
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

SETUPS: list[Callable[[_Commands], None]] = [
    _setup_import, _setup_validate, _setup_generate, _setup_build, _setup_new, _setup_tags,
    _setup_report]


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m generator`` parser, with every command's subparser."""
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
    """Run one command and return its exit status (130 when interrupted)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # A SIGTERM (``timeout``, a CI runner cancelling) ends the run as a Ctrl-C does, so
    # the same clean-up runs: child processes stopped, staged files removed.
    previous = signal.signal(signal.SIGTERM, _interrupt) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        if _writes(args) and not _finished_killed_write(args.root):
            return 1
        status: int = args.func(args)
        return status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # The last net for the environment failing under us (disk full, read-only, a
        # file vanishing): one line naming the file, never a traceback.
        print(f"error: {os_error_line(exc)}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command writes records or pages from them (not a dry run, not a report)."""
    if getattr(args, "root", None) is None or getattr(args, "dry_run", False):
        return False
    command = getattr(args, "command", None)
    return command in ("import", "new", "generate", "build") or (
        command == "tags" and bool(getattr(args, "apply", False)))


def _finished_killed_write(root: Path) -> bool:
    """Finish an import killed part-way (one line on stderr); False if it cannot be."""
    from generator.importer import ImportError_, finish_killed_write
    from generator.layout import Layout

    try:
        finish_killed_write(Layout(root))
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def os_error_line(exc: OSError) -> str:
    """``path: reason`` for an ``OSError``, as one printable line."""
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return printable(f"{where}: {reason}" if where != "" else reason)
