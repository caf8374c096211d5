"""The archive-wide tag limits warn and stop nothing; per-record tag rules stay errors.

A normal import of real papers took a clean clone past ``rareFromPapers`` (1,757 records):
every thin tag became a break at once, ``validate`` failed, ``build`` refused ("nothing
was generated") and the import had said nothing.  The limits are about the vocabulary, so
``import``, ``generate`` and ``build`` now show them as warnings and go on, ``validate``
lists them as warnings at their ``tags.yml`` line, and ``tags report`` exits 1 for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.cli import FIRST_WARNINGS, main
from tests.conftest import copy_fixture_archive, make_project, set_tag_policy
from tests.test_tags_cmd import DIFFUSION, _write

ABSTRACT = ("We train a diffusion model on ImageNet images and study classifier-free "
            "guidance for the conditional generation of images, at several scales.")
THIN_LINE = re.compile(r"^  (archive/)?tags\.yml:(\d+): tags\.\d+\.id: warning: tag "
                       r"'([a-z0-9-]+)' has 0 paper\(s\), fewer than 3", re.M)


def _dump(path: Path, n: int) -> Path:
    path.write_text("".join(json.dumps({"title": f"Diffusion study number {i}",
                                        "abstract": ABSTRACT}) + "\n" for i in range(n)),
                    encoding="utf-8")
    return path


@pytest.fixture
def small(empty_archive: Path) -> Path:
    """Two papers, and thin tags a break from four papers on (the real limit is 1,000)."""
    for i in range(2):
        _write(empty_archive, replace(DIFFUSION, id=f"p{i}", title=f"Paper {i}"))
    set_tag_policy(empty_archive, rareFromPapers=4)
    return empty_archive


def test_an_import_that_makes_tags_thin_says_so_and_goes_on(small: Path, tmp_path: Path,
                                                           capsys) -> None:
    dump = _dump(tmp_path / "dump.jsonl", 2)
    assert main(["import", str(dump), "--root", str(small), "--no-copy", "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^warning: this import would leave \d+ tag\(s\) too broad or too thin",
                     err, re.M)
    assert main(["import", str(dump), "--root", str(small), "--no-copy"]) == 0
    out = capsys.readouterr()
    assert "2 added" in out.out
    count = int(re.search(r"^warning: this import leaves (\d+) tag\(s\)", out.err, re.M)[1])
    listed = THIN_LINE.findall(out.err)
    assert len(listed) == FIRST_WARNINGS < count
    assert f"  ... and {count - FIRST_WARNINGS} more" in out.err
    tags_yml = (small / "tags.yml").read_text("utf-8").splitlines()
    for _, line, tag in listed:  # each names the tag's own line
        assert tags_yml[int(line) - 1].strip() in (f"- id: {tag}", f'- id: "{tag}"')
    # validate lists them as warnings and passes; tags report, the maintainer's tool, fails.
    assert main(["validate", "--root", str(small)]) == 0
    out = capsys.readouterr()
    assert re.search(r"^(archive/)?tags\.yml:\d+: tags\.\d+\.id: warning: tag ", out.out,
                     re.M)
    assert main(["tags", "report", "--root", str(small)]) == 1
    assert capsys.readouterr().out.rstrip().endswith("policy broken")
    # A further import brings no new break: nothing to say.
    assert main(["import", str(_dump(tmp_path / "more.jsonl", 3)), "--root", str(small),
                 "--no-copy"]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_an_import_that_keeps_the_archive_small_warns_of_nothing(small: Path, tmp_path: Path,
                                                                 capsys) -> None:
    assert main(["import", str(_dump(tmp_path / "dump.jsonl", 1)), "--root", str(small),
                 "--no-copy"]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_per_record_tag_rules_are_still_errors(small: Path, capsys) -> None:
    _write(small, replace(DIFFUSION, id="p0", title="Paper 0",
                          tags=("diffusion-models", "image-generation")))  # out of order
    _write(small, replace(DIFFUSION, id="p1", title="Paper 1", tags=("no-such-tag",)))
    assert main(["validate", "--root", str(small)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"papers/p0\.yml:\d+: tags: not in vocabulary order", out)
    assert re.search(r"papers/p1\.yml:\d+: tags\.0: unknown tag 'no-such-tag'", out)


def test_generate_goes_on_with_thin_tags_and_names_them(small: Path, tmp_path: Path,
                                                        capsys) -> None:
    set_tag_policy(small, rareFromPapers=1)
    docs = tmp_path / "docs"
    docs.mkdir()
    for _ in range(2):  # the second run is answered from the generate cache
        assert main(["generate", "--root", str(small), "--docs", str(docs)]) == 0
        err = capsys.readouterr().err
        assert re.search(r"^warning: the archive has \d+ tag\(s\) too broad or too thin", err,
                         re.M)
        assert len(THIN_LINE.findall(err)) == FIRST_WARNINGS
    assert (docs / "papers" / "p0.md").is_file()


@pytest.mark.build
def test_build_goes_on_with_thin_tags_and_names_them(tmp_path: Path, capsys,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    set_tag_policy(archive, rareFromPapers=1)  # the fixture's tag "unused" has no paper
    project = make_project(tmp_path / "project", archive)
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "warning: the archive has" in err
    assert re.search(r"^  archive/tags\.yml:\d+: tags\.\d+\.id: warning: tag 'unused' has 0 "
                     r"paper\(s\)", err, re.M)
    assert (project / "site" / "tags" / "unused" / "index.html").is_file()
