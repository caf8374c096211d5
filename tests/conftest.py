"""Shared fixtures: repository paths and a scratch copy of an archive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.layout import GENERATED_AREAS
from tests.serving import CHROMIUM, chromium, serve

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = REPO / "archive"
SEED = ARCHIVE / "dumps" / "000_fb1509d298712f5e.txt"

os.environ.setdefault("TZ", "UTC")
# The generate cache (generator/cache.py) of the tests' scratch folders: not the user's.
os.environ.setdefault("PAPER_ARCHIVE_CACHE", tempfile.mkdtemp(prefix="paper-archive-cache-"))


def set_tag_policy(root: Path, **numbers: float) -> None:
    """Change numbers of the tagging policy in the schema copy under ``root``."""
    schema_path = root / "schema" / "tags.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["x-tag-policy"].update(numbers)
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


@pytest.fixture
def empty_archive(tmp_path: Path) -> Path:
    """An archive folder with the real schemas and vocabulary but no papers.

    Its papers carry whatever tags the rules find for test texts, so the minimum number of
    tags per paper is 0 here; the policy itself is tested with the real numbers
    (tests/test_tag_policy.py) on archives that keep them.
    """
    root = tmp_path / "archive"
    (root / "papers").mkdir(parents=True)
    shutil.copytree(ARCHIVE / "schema", root / "schema")
    if (ARCHIVE / "tags.yml").exists():
        shutil.copy(ARCHIVE / "tags.yml", root / "tags.yml")
    set_tag_policy(root, minTagsPerPaper=0)
    return root


@pytest.fixture
def seed_archive(tmp_path: Path) -> Path:
    """A scratch copy of the committed archive, safe to modify."""
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE, root)
    return root


# ------------------------------------------------------------------ the site

FIXTURE_ARCHIVE = REPO / "tests" / "fixtures" / "archive"
#: What a site build needs from the repository, copied into a scratch project.
SITE_INPUTS = ("mkdocs.yml", "overrides", "docs", "generator", "CONTRIBUTING.md")
#: Generated under docs/ by `generate`; never copied from the working tree.
GENERATED = GENERATED_AREAS


def copy_fixture_archive(dest: Path) -> Path:
    """The fixture archive (with the repository's real schemas) at ``dest``.

    One number of the tagging policy is relaxed in the copy: the fixture keeps an untagged
    paper on purpose, to pin how the site shows one (an import can leave such a paper
    until a contributor tags it), and ``validate`` would otherwise refuse it.
    """
    shutil.copytree(FIXTURE_ARCHIVE, dest)
    shutil.copytree(ARCHIVE / "schema", dest / "schema")
    set_tag_policy(dest, minTagsPerPaper=0)
    return dest


def make_project(dest: Path, archive: Path) -> Path:
    """A scratch copy of the site's inputs around ``archive``, ready for `generator build`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", *GENERATED) if name == "docs" \
                else shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.is_file():
            shutil.copy(source, dest / name)
    shutil.copytree(archive, dest / "archive", ignore=shutil.ignore_patterns("dumps"))
    return dest


def build_project(project: Path) -> Path:
    """Run the README's build (`python -m generator build`) in ``project``; return site/."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
        text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)
    if result.returncode != 0:
        pytest.fail(f"site build failed:\n{result.stdout}\n{result.stderr}")
    return project / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real archive built once per session; returns the site folder."""
    project = make_project(tmp_path_factory.mktemp("real") / "project", ARCHIVE)
    return build_project(project)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive (tags, math, the hostile record) built once per session."""
    base = tmp_path_factory.mktemp("fixture")
    archive = copy_fixture_archive(base / "archive")
    return build_project(make_project(base / "project", archive))


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL of the real site served on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def fixture_server(fixture_site: Path) -> Iterator[str]:
    """Base URL of the fixture site served on 127.0.0.1."""
    with serve(fixture_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, once per session.

    Skipped where no Chromium is installed, except in CI (``CI`` set), where a missing
    browser must fail the run rather than silently skip the browser tests.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with chromium() as browser:
        yield browser


# ------------------------------------------------------------------ markers

#: Fixtures that start Chromium or run a full MkDocs build, and the marker a test using one
#: (directly or through another fixture) gets, so `make test-fast`
#: (``-m "not browser and not build and not slow"``) leaves it out without anyone having to
#: remember the marker.
MARKER_OF_FIXTURE = {"browser": "browser", "built_site": "build", "fixture_site": "build",
                     "hostile_project": "build"}


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test that needs Chromium or a full build by the fixtures it uses."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in fixtures and item.get_closest_marker(marker) is None:
                item.add_marker(marker)
