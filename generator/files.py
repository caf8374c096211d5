"""All file writing goes through here, and every write is atomic.

A crash or a ``Ctrl-C`` mid-import or mid-build must never leave a half-written record or
page behind: we write to a temporary file in the same directory, flush it to disk and
rename it over the target, which POSIX guarantees to be atomic.  Only the importer (for
records) and the render/search stages (for generated files) call these functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one atomic rename (``durable``: see :func:`_stage`)."""
    tmp, _ = _stage(path, [data], durable)
    _replace(tmp, path)


def atomic_write_text(path: Path, text: str) -> None:
    r"""Write UTF-8 text with ``\n`` line endings, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _stage(path: Path, chunks: Iterable[bytes], durable: bool = True) -> tuple[str, bytes]:
    """Stage ``chunks`` in a flushed temporary file beside ``path``: its name and SHA-256.

    The one place a temporary file is written; memory holds one chunk at a time.  With
    ``durable`` (records, anything that is a source) the file is synced to disk before it
    is renamed into place, so even a power cut leaves the old or the new bytes.  Generated
    files (pages, the search index, the API) pass ``durable=False``: the rename still makes
    each write all-or-nothing for a killed run, and a page lost to a power cut is simply
    generated again (the cache compares each page's size and mtime), while one sync per
    file cost several minutes of a cold ``generate`` at 50,000 papers (about 100,000 files,
    3 to 5 ms each on this machine kind).  MkDocs writes ``site/`` without syncing too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp, digest.digest()


def _replace(tmp: str, path: Path) -> None:
    """Rename a staged file over ``path`` (atomic); on failure the staged file is removed."""
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all_if_changed(items: Iterable[tuple[Path, str | bytes]],
                         journal: Path | None = None) -> list[Path]:
    """Write every file of ``items`` whose content changed, or (on an error) none of them.

    Every new content is first staged in a temporary file beside its target; only when
    all are staged are they renamed into place.  A full disk or a read-only folder fails
    while staging, so an import either lands whole or leaves the archive as it was (the
    renames need no space).  Returns the paths written, in order.

    A kill between the first and the last rename would still land part of them (497 of
    1,000 records once), so with ``journal`` the staged renames are first written there,
    synced, and the journal is removed after the last; :func:`finish_journal`, at the
    next writing command, completes what a killed run left.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            raw = _as_bytes(data)
            if _holds(path, raw):
                continue
            staged.append((_stage(path, [raw])[0], path))
        if journal is not None and staged:
            _write_journal(journal, staged)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    if journal is not None and staged:
        journal.unlink()
    return [path for _, path in staged]


#: The journal's format; a journal of another version is not replayed.
JOURNAL_VERSION = 1


def _write_journal(journal: Path, staged: list[tuple[str, Path]]) -> None:
    """Record the renames about to be made, with each target's digest before them.

    Paths are relative to the journal's folder, so a moved checkout still recovers.
    """
    base = journal.parent.resolve()
    renames = [{"tmp": os.path.relpath(Path(tmp).resolve(), base),
                "target": os.path.relpath(path.resolve(), base),
                "before": _file_digest_hex(path)} for tmp, path in staged]
    data = {"version": JOURNAL_VERSION, "pid": os.getpid(), "renames": renames}
    atomic_write_bytes(journal, json.dumps(data, indent=1).encode("utf-8"))


def _file_digest_hex(path: Path) -> str | None:
    digest = _file_digest(path)
    return digest.hex() if digest is not None else None


class JournalError(Exception):
    """A journal that cannot be replayed; the message is one line naming it."""


def finish_journal(journal: Path) -> str | None:
    """Complete the renames a killed :func:`write_all_if_changed` left; say what was done.

    Roll forward: every staged file was complete and synced before the journal was
    written, so each one still waiting is renamed over its target, unless that target
    changed since (edited by hand after the kill): then it is kept and the staged file
    removed.  Returns one line for the user, or None when there was no journal (or it
    belongs to a run still going).  Raises :class:`JournalError` for an unreadable one.
    """
    try:
        with journal.open("rb") as handle:
            raw = handle.read(MAX_JOURNAL_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(f"{journal}: cannot read: {exc.strerror or exc}") from None
    try:
        if len(raw) > MAX_JOURNAL_BYTES:
            raise ValueError
        data: Any = json.loads(raw)
        if data["version"] != JOURNAL_VERSION:
            raise ValueError
        pid = int(data["pid"])
        moves = [(str(r["tmp"]), str(r["target"]), r["before"]) for r in data["renames"]]
        if not all(_journal_move_ok(*move) for move in moves):
            raise ValueError
    except (ValueError, TypeError, KeyError):
        raise JournalError(f"{journal}: not a journal this version can finish; check "
                           "git status in the archive, then delete it") from None
    if pid != os.getpid() and _alive(pid):
        return None
    base = journal.parent
    done = landed = kept = 0
    for tmp_name, target_name, before in moves:
        tmp, target = base / tmp_name, base / target_name
        if not tmp.exists():
            landed += 1
            continue
        if _file_digest_hex(target) != before:
            tmp.unlink(missing_ok=True)
            kept += 1
            continue
        try:
            os.replace(tmp, target)
        except FileNotFoundError:  # another process finished it meanwhile
            landed += 1
            continue
        done += 1
    journal.unlink(missing_ok=True)
    line = (f"{journal}: finished the write a killed run left part-way: {done} of "
            f"{len(moves)} files renamed into place now, {landed} had been already")
    return line + (f"; {kept} changed since were kept as they are" if kept else "")


def _journal_move_ok(tmp: str, target: str, before: object) -> bool:
    """Only what write_all_if_changed journals: a staged ``.<name>.*.tmp`` beside its target.

    Nothing else is ever renamed, whatever a journal says (a hand-made or committed one
    cannot move a file from outside the archive, or over one).
    """
    tmp_path, target_path = PurePosixPath(tmp), PurePosixPath(target)
    inside = all(not p.is_absolute() and ".." not in p.parts and p.name
                 for p in (tmp_path, target_path))
    return (inside and tmp_path.parent == target_path.parent
            and tmp_path.name.startswith(f".{target_path.name}.") and tmp_path.suffix == ".tmp"
            and (before is None or isinstance(before, str)))


#: A journal names each staged file twice: ~300 bytes a file, 1,000,000 files.
MAX_JOURNAL_BYTES = 300 * 1024 * 1024


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (the journal's own run, still renaming)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def write_if_changed(path: Path, data: str | bytes, *, durable: bool = True) -> bool:
    """Write ``data`` only when it differs from what is on disk.

    Unchanged files keep their mtime, so ``mkdocs serve`` does not rebuild for nothing and
    a re-import touches no file.  Returns whether the file was written.
    """
    raw = _as_bytes(data)
    if _holds(path, raw):
        return False
    atomic_write_bytes(path, raw, durable=durable)
    return True


def _as_bytes(data: str | bytes) -> bytes:
    """``data`` as the bytes a file holds (text is UTF-8)."""
    return data.encode("utf-8") if isinstance(data, str) else data


def _holds(path: Path, raw: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``raw``: writing it again changes nothing."""
    try:
        return path.read_bytes() == raw
    except FileNotFoundError:
        return False


def write_chunks_if_changed(path: Path, chunks: Iterable[bytes], *,
                            durable: bool = True) -> bool:
    """Like :func:`write_if_changed`, for content made as a stream (a 50 MB export).

    The chunks go to a temporary file and replace ``path`` only if the bytes differ, so
    memory holds one chunk at a time.  Returns whether the file was written.
    """
    tmp, digest = _stage(path, chunks, durable)
    if _file_digest(path) == digest:
        Path(tmp).unlink()
        return False
    _replace(tmp, path)
    return True


class Staged:
    """Writes held back until :meth:`commit`: a run that fails changes no file at all.

    Each new content is staged (unsynced, see :func:`_stage`) in a temporary file beside
    its target, so the final renames need no space and cannot fail for a full disk.
    ``generate`` stages every page, feed, API and search file while its stages run in
    parallel; only when all of them succeeded are the files renamed into place, and a
    failed or interrupted run removes what it staged (:meth:`discard`), leaving ``docs/``
    as it was.  A killed run leaves ``.<name>.<random>.tmp`` files, which the next one
    removes (:func:`generator.outputs.remove_tmp_leftovers`).
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    def write(self, path: Path, data: str | bytes) -> bool:
        """Stage ``data`` for ``path`` unless the file holds it already; whether it did."""
        raw = _as_bytes(data)
        if _holds(path, raw):
            return False
        with _signals_held():
            self._staged.append((_stage(path, [raw], durable=False)[0], path))
        return True

    def write_chunks(self, path: Path, chunks: Iterable[bytes]) -> bool:
        """Like :meth:`write`, for content made as a stream (one chunk in memory at a time)."""
        with _signals_held():
            tmp, digest = _stage(path, chunks, durable=False)
            self._staged.append((tmp, path))
        if _file_digest(path) == digest:
            self._staged.pop()
            Path(tmp).unlink()
            return False
        return True

    def commit(self) -> None:
        """Rename every staged file over its target, in the order they were staged."""
        staged, self._staged = self._staged, []
        for number, (tmp, path) in enumerate(staged):
            try:
                os.replace(tmp, path)
            except BaseException:
                self._staged = staged[number:]
                raise

    def discard(self) -> None:
        """Remove every staged file that was not committed."""
        staged, self._staged = self._staged, []
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a temporary file is made and recorded.

    An interruption between the two would leave a file nobody knows of; held, it arrives
    right after, when :meth:`Staged.discard` can remove the file.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _file_digest(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except FileNotFoundError:
        return None


def remove_stale(directory: Path, keep: Iterable[Path], pattern: str = "*") -> list[Path]:
    """Delete files under ``directory`` matching ``pattern`` that are not in ``keep``.

    Used after generating pages so that a page whose record is gone disappears too.
    Empty sub-directories left behind are removed.  Returns the deleted paths, sorted.
    Paths are compared by their real location (symbolic links and ``..`` resolved), with
    each folder resolved once: resolving 50,000 page paths one by one took seconds.
    """
    if not directory.exists():
        return []
    real_dirs: dict[Path, str] = {}

    def real(path: Path) -> str:
        parent = path.parent
        if parent not in real_dirs:
            real_dirs[parent] = os.path.realpath(parent)
        return os.path.join(real_dirs[parent], path.name)

    wanted = {real(p) for p in keep}
    removed = []
    for path in sorted(directory.rglob(pattern)):
        if real(path) not in wanted and path.is_file():
            path.unlink()
            removed.append(path)
    for sub in sorted((p for p in directory.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    return removed
