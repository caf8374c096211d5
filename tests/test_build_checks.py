"""The checks ``build`` makes before it writes anything accept what generate itself made.

At 50,000 papers ``docs/api/papers.json`` is 95 MB and ``papers.csv`` 22 MB: ``build``
checked docs/ with only the page folders as generate's own, so these files counted as
hand-written, over the 2 MB bound for those, and every full build of a large archive
stopped before it began (``generate`` alone passed, as it names the data folders too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build as build_module
from generator import outputs
from generator.build import BuildPaths
from tests.conftest import copy_fixture_archive, make_project


class _Checked(Exception):
    """Raised in place of generate: the checks before it passed."""


def test_build_accepts_large_files_in_the_generated_data_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", copy_fixture_archive(tmp_path / "archive"))
    api = project / "docs" / "api"
    api.mkdir(parents=True, exist_ok=True)
    (api / outputs.DOCS_MARKER).write_text(outputs.DOCS_MARKER_TEXT, encoding="utf-8")
    (api / "papers.json").write_bytes(b" " * (outputs.MAX_DOCS_FILE_BYTES + 1))

    def checked(*args: object, **kwargs: object) -> None:
        raise _Checked

    monkeypatch.setattr(build_module, "generate", checked)
    paths = BuildPaths(root=project / "archive", config=project / "mkdocs.yml",
                       site_dir=project / "site")
    with pytest.raises(_Checked):
        build_module.build(paths)


def test_a_large_hand_written_file_is_still_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", copy_fixture_archive(tmp_path / "archive"))
    (project / "docs" / "big.md").write_bytes(b" " * (outputs.MAX_DOCS_FILE_BYTES + 1))
    paths = BuildPaths(root=project / "archive", config=project / "mkdocs.yml",
                       site_dir=project / "site")
    with pytest.raises(outputs.OutputRefused, match=r"big\.md"):
        build_module.build(paths)
