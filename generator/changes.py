"""Which warnings are a change's own: ``validate --changed-from REF`` and ``--only PATH``.

On a pull request ``validate --format github`` annotates every warning, and the seed
archive alone has about 25 records with one tag: every contributor saw up to 20 warnings
about records they never touched.  With a change in hand, ``validate`` annotates only the
warnings that are the change's and counts the others in one line.  Errors are never
scoped: an archive that is broken fails wherever it is broken.

A warning is the change's when

- it is on a record file the change added, modified or deleted (fewer tags than the
  policy asks for); or
- it is an archive-wide break of a tag (too thin, too broad; anchored at the tag's line in
  ``tags.yml``) and the change touched the vocabulary or the policy (``tags.yml``,
  ``schema/tags.schema.json``), or a changed record has that tag now or had it at the base
  (removing a tag is how a change makes it thin, adding one how it makes it broad).  A tag
  that a change of other records left thin, such as the eight that crossing
  ``rareFromPapers`` makes thin at once, is the maintainers' and stays in the count.

The changed files come from git (``git diff --name-only BASE...HEAD``, plus what differs
in the working tree, which is what ``validate`` reads: the pre-commit hook's staged files,
a contributor's uncommitted edit) or from a list of paths.  Git runs without a shell, with
a time limit, on resolved commit ids; anything it cannot answer is one :class:`ChangeError`
line, and the caller shows every warning.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import yamlio
from generator.layout import TAGS_SCHEMA, Layout
from generator.model import Archive, Problem
from generator.tagpolicy import break_tag
from generator.textrules import printable

#: Seconds one git command may take before validate gives up on scoping (and shows all).
GIT_TIMEOUT = 60
#: Largest output of one git command read, in bytes (48,000 record paths are about 4 MB).
MAX_GIT_OUTPUT = 64 * 1024 * 1024
#: Changed records whose base version is read for its tags; a change of more records (an
#: import, a re-tag) is about the vocabulary as a whole, so every tag counts as touched.
MAX_OLD_RECORDS = 2000


class ChangeError(Exception):
    """Why the changed files cannot be known, in one line."""


@dataclass(frozen=True)
class Change:
    """The files a change touched and the tags its records had before it."""

    #: Every touched file, resolved (deleted ones too).
    files: frozenset[Path]
    #: Tag ids (as written) the changed records had at the base.
    old_tags: frozenset[str] = frozenset()
    #: The change touched too many records to read: every tag counts as touched.
    every_tag: bool = False


def listed(paths: Iterable[Path]) -> Change:
    """The change made of ``paths`` (``--only``; the tags they had before are not known)."""
    return Change(frozenset(path.resolve() for path in paths))


def changed_from(ref: str, root: Path) -> Change:
    """Files that differ between the merge base of ``ref`` and HEAD, or the working tree.

    Raises:
        ChangeError: git is missing, ``root`` is not in a repository, ``ref`` is not a
            commit here (not fetched), or git failed or took too long.
    """
    if not ref or ref.startswith("-") or any(not ch.isprintable() for ch in ref):
        raise ChangeError(f"{printable(ref)!r} is not a git revision")
    if not root.is_dir():
        raise ChangeError(f"{root} is not a folder")
    top = Path(_git(["rev-parse", "--show-toplevel"], root).decode().strip())
    head = _commit("HEAD", root)
    base_ref = _commit(ref, root)
    try:
        base = _git(["merge-base", base_ref, head], root).decode().strip()
    except ChangeError:
        raise ChangeError(f"{ref!r} and HEAD share no history here (a shallow clone? "
                          "check out with fetch-depth: 0)") from None
    # ``-- .`` with the archive as the working folder: only the archive's files matter.
    names = _names(_git(["diff", "--name-only", "-z", "--no-renames", f"{base}...{head}",
                         "--", "."], root))
    names |= _names(_git(["diff", "--name-only", "-z", "--no-renames", "HEAD", "--", "."],
                         root))
    names |= _names(_git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name",
                          "--", "."], root))
    layout = Layout(root.resolve())
    records = sorted(n for n in names if _is_record(top / n, layout) and "\n" not in n)
    if len(records) > MAX_OLD_RECORDS:
        return Change(frozenset((top / n).resolve() for n in names), every_tag=True)
    return Change(frozenset((top / n).resolve() for n in names), _old_tags(base, records, root))


def split(warnings: Sequence[Problem], change: Change, archive: Archive, root: Path,
          ) -> tuple[list[Problem], list[Problem]]:
    """``(the change's warnings, the others)``, each in the order given."""
    layout = Layout(root.resolve())
    vocabulary = archive.vocabulary
    files = change.files
    every_tag = change.every_tag or bool(
        files & {layout.tags_file, layout.schema_dir / TAGS_SCHEMA})
    written = set(change.old_tags)
    for paper in archive.papers:
        if layout.paper_path(paper.id) in files:
            written.update(paper.tags)
    touched = {vocabulary.resolve(tag) for tag in written} - {None}
    ours: list[Problem] = []
    others: list[Problem] = []
    for problem in warnings:
        tag = break_tag(problem, vocabulary)
        if tag is not None:
            mine = every_tag or tag in touched
        else:
            mine = (layout.root.parent / problem.path).resolve() in files
        (ours if mine else others).append(problem)
    return ours, others


def _is_record(path: Path, layout: Layout) -> bool:
    return path.parent.resolve() == layout.papers_dir and path.suffix == ".yml"


def _names(output: bytes) -> set[str]:
    return {name.decode("utf-8", "surrogateescape") for name in output.split(b"\0") if name}


def _commit(ref: str, root: Path) -> str:
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root
                    ).decode().strip()
    except ChangeError:
        raise ChangeError(f"no commit {ref!r} in this repository (not fetched? in CI, check "
                          "out with fetch-depth: 0)") from None


def _old_tags(base: str, records: list[str], root: Path) -> frozenset[str]:
    """The tags ``records`` (paths from the top) had at ``base``; none for a new record."""
    if not records:
        return frozenset()
    request = "".join(f"{base}:{name}\n" for name in records).encode("utf-8", "surrogateescape")
    out = _git(["cat-file", "--batch"], root, request)
    tags: set[str] = set()
    at = 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # "<name> missing": the record is new
        size = int(header[2])
        blob, at = out[at:at + size], at + size + 1
        if header[1] != b"blob" or size > yamlio.MAX_RECORD_BYTES:
            continue
        try:
            data = yamlio.loads_strict(blob.decode("utf-8")).data
        except (UnicodeDecodeError, yamlio.YamlError):
            continue
        if isinstance(data, dict) and isinstance(data.get("tags"), list):
            tags.update(t for t in data["tags"] if isinstance(t, str))
    return frozenset(tags)


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run ``git ARGS`` (no shell, no prompt, a time limit); its output, or ChangeError."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin,
                                stdin=None if stdin is not None else subprocess.DEVNULL,
                                capture_output=True, timeout=GIT_TIMEOUT, env=env, check=False)
    except FileNotFoundError:
        raise ChangeError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise ChangeError(f"git {args[0]} took more than {GIT_TIMEOUT} s") from None
    except OSError as exc:
        raise ChangeError(f"cannot run git: {exc.strerror}") from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = printable(said[0][:200]) if said else f"exit status {result.returncode}"
        raise ChangeError(f"git {args[0]}: {reason}")
    if len(result.stdout) > MAX_GIT_OUTPUT:
        raise ChangeError(f"git {args[0]} printed more than {MAX_GIT_OUTPUT} bytes")
    return result.stdout
