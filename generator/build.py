"""Build: validate -> generate -> ``mkdocs build --strict``, swapped into ``site/`` atomically.

A site is published only from an archive with no problem at all, and only when MkDocs
reports no warning.  The build goes into a fresh folder beside ``site/``; only when it
succeeds is it swapped in, so a failed build leaves the previous ``site/`` as it was.

Before anything is written the output folders are checked (:mod:`generator.outputs`): a
``--site-dir`` that is, holds or lies in a source, or is not a site this tool made, is
refused.  The swap exchanges the two folders in one ``renameat2(RENAME_EXCHANGE)`` where
the kernel has it, so there is no moment without ``site/``; elsewhere it falls back to two
renames, and a run killed between them has its old site put back by the next build.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import outputs
from generator.layout import GENERATED_DIRS
from generator.parallel import Child, ChildFailed
from generator.site import GENERATED_DATA_DIRS, GenerateFailed, GenerateReport, generate
from generator.textrules import printable

#: Largest mkdocs.yml read: the real one is 2 KB.
MAX_CONFIG_BYTES = 256 * 1024


class BuildFailed(Exception):
    """MkDocs did not finish cleanly, or the configuration cannot be read.

    ``site/`` was left untouched.  The message is one line naming the file.
    """

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


@dataclass(frozen=True)
class BuildPaths:
    """Where a build reads the archive and the MkDocs config, and where the site goes."""

    root: Path          # the archive
    config: Path        # mkdocs.yml
    site_dir: Path      # where the finished site ends up

    @property
    def project(self) -> Path:
        """The project folder: the one holding ``mkdocs.yml``."""
        return self.config.resolve().parent

    @property
    def docs_dir(self) -> Path:
        """``docs_dir`` as MkDocs itself reads it from mkdocs.yml.

        Read through MkDocs' own config loader, so ``!ENV`` and ``!relative`` values, the
        default and the path relative to the config file are what ``mkdocs build`` will use
        (a YAML reader of our own once made ``docs_dir: !ENV ...`` into ``<project>/None``).

        Raises :class:`BuildFailed` (one line naming the file) when the configuration is
        missing, not a file, too big, not UTF-8, not a YAML mapping or refused by MkDocs.
        """
        _read_config(self.config)
        return _mkdocs_docs_dir(self.config)


def _mkdocs_docs_dir(config: Path) -> Path:
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        loaded = load_config(config_file=str(config))
    except MkDocsException as exc:
        raise BuildFailed(f"{config}: MkDocs refuses the configuration ({exc})") from None
    docs = loaded["docs_dir"]
    if not isinstance(docs, str) or not docs.strip():
        raise BuildFailed(f"{config}: docs_dir must be a folder name")
    return Path(docs)


def _read_config(config: Path) -> dict[str, Any]:
    try:
        if not config.is_file():
            what = "is a folder, not a file" if config.is_dir() else "no such file"
            raise BuildFailed(f"{config}: {what}")
        if config.stat().st_size > MAX_CONFIG_BYTES:
            raise BuildFailed(f"{config}: over {MAX_CONFIG_BYTES} bytes, not a MkDocs "
                              "configuration")
        text = config.read_bytes().decode("utf-8")
        data = yaml.load(text, Loader=_PermissiveLoader)
    except UnicodeDecodeError:
        raise BuildFailed(f"{config}: not a MkDocs configuration (not UTF-8 text)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise BuildFailed(f"{config}{line}: not a MkDocs configuration ({problem})") from None
    except OSError as exc:
        raise BuildFailed(f"{config}: cannot read: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        raise BuildFailed(f"{config}: not a MkDocs configuration (not a mapping)")
    return data


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it uses MkDocs' ``!ENV``/``!relative`` tags."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def build(paths: BuildPaths) -> GenerateReport:
    """Validate and generate (raising ``ArchiveProblems``), then build and swap in the site.

    Raises :class:`generator.outputs.OutputRefused` before writing anything when the site
    or docs folder must not be written into.  Generate runs in a child process
    (:func:`_generate_apart`), MkDocs in another.
    """
    docs_dir = paths.docs_dir
    outputs.check_site_dir(paths.site_dir, paths.project, paths.root, docs_dir)
    # The same folders generate owns: its feeds and API hold files over the docs/ size
    # bound at 50,000 papers (papers.json is 95 MB), which are not hand-written.
    outputs.check_docs_dir(docs_dir, paths.project, paths.root,
                           (*GENERATED_DIRS, *GENERATED_DATA_DIRS))
    report = _generate_apart(paths, docs_dir)
    # Again over what generate left, the moment before MkDocs copies docs/ into the site.
    outputs.check_docs_sources(docs_dir.resolve(), (*GENERATED_DIRS, *GENERATED_DATA_DIRS))
    run_mkdocs(paths, source_date_epoch(report.newest))
    return report


def _generate_apart(paths: BuildPaths, docs_dir: Path) -> GenerateReport:
    """``generate`` in a child process, which gives all its memory back when it ends.

    The archive, the index and the pages' data stayed in this process while MkDocs ran
    (its own peak is 1.4 GB at 50,000 papers): the two together went over the 2 GB the
    build may use.  Errors come back as themselves (:class:`generator.parallel.Child`).
    """
    child = Child("generating the pages",
                  functools.partial(generate, paths.root, docs_dir, paths.project), relay=True)
    try:
        return child.result()
    except ChildFailed as exc:  # it died without a word (the kernel's OOM killer)
        raise GenerateFailed(str(exc)) from None
    finally:
        child.stop()


def source_date_epoch(newest: str) -> str | None:
    """The build's timestamp: midnight UTC of the newest record's ``added`` date.

    MkDocs stamps the sitemap (``lastmod``) and its gzip header with the build time unless
    ``SOURCE_DATE_EPOCH`` is set; deriving it from the records makes two builds of the same
    archive byte-identical, on any day.  An explicit ``SOURCE_DATE_EPOCH`` wins.
    """
    if os.environ.get("SOURCE_DATE_EPOCH") or not newest:
        return None
    try:
        day = dt.datetime.strptime(newest, "%Y-%m-%d").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return str(int(day.timestamp()))


def run_mkdocs(paths: BuildPaths, epoch: str | None = None) -> None:
    """``mkdocs build --strict`` into a temporary folder, then swap it in for ``site_dir``."""
    site_dir = paths.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    outputs.tidy_site_leftovers(site_dir)
    fresh = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(paths.config.resolve()), "--site-dir", str(fresh)]
    try:
        # Material's banner about MkDocs 2 says nothing about this build.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        if epoch:
            env["SOURCE_DATE_EPOCH"] = epoch
        result = subprocess.run(command, cwd=paths.project, env=env, check=False)
        if result.returncode != 0:
            raise BuildFailed(f"mkdocs build --strict failed (exit {result.returncode}); "
                              f"{site_dir} was left as it was")
        os.chmod(fresh, 0o755)
        outputs.mark_site(fresh)
        _swap(fresh, site_dir)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _swap(fresh: Path, site_dir: Path) -> None:
    """Put ``fresh`` where ``site_dir`` is; the old site is removed only afterwards.

    With an atomic exchange the old site ends up at ``fresh``, which the caller removes.
    """
    if not site_dir.exists():
        os.replace(fresh, site_dir)
        return
    if exchange(fresh, site_dir):
        return
    old = Path(tempfile.mkdtemp(prefix=outputs.old_prefix(site_dir), dir=site_dir.parent))
    os.replace(site_dir, old / site_dir.name)
    os.replace(fresh, site_dir)
    shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2``); False if unsupported.

    Any other failure is raised as ``OSError``.
    """
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
