"""Build: validate -> generate -> ``mkdocs build --strict``, swapped into ``site/`` atomically.

A site is published only from an archive with no problem at all, and only when MkDocs
reports no warning.  The build goes into a fresh folder beside ``site/``; only when it
succeeds is it swapped in, so a failed build leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.site import GenerateReport, generate


class BuildFailed(Exception):
    """MkDocs did not finish cleanly; ``site/`` was left untouched."""


@dataclass(frozen=True)
class BuildPaths:
    root: Path          # the archive
    config: Path        # mkdocs.yml
    site_dir: Path      # where the finished site ends up

    @property
    def project(self) -> Path:
        return self.config.resolve().parent

    @property
    def docs_dir(self) -> Path:
        """``docs_dir`` as mkdocs.yml sets it (relative to the config file)."""
        text = self.config.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_PermissiveLoader) or {}
        return self.project / str(data.get("docs_dir", "docs"))


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it uses MkDocs' ``!ENV``/``!relative`` tags."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def build(paths: BuildPaths) -> GenerateReport:
    """Validate and generate (raising ``ArchiveProblems``), then build and swap in the site."""
    report = generate(paths.root, paths.docs_dir, paths.project)
    run_mkdocs(paths, source_date_epoch(report.newest))
    return report


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
        _swap(fresh, site_dir)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _swap(fresh: Path, site_dir: Path) -> None:
    """Put ``fresh`` where ``site_dir`` is; the old site is removed only afterwards."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        os.replace(site_dir, old / site_dir.name)
    os.replace(fresh, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
