"""`validate --changed-from REF` / `--only PATH`: a change's warnings, every error.

Each test builds a small git repository (base commit, then a change) and runs the command
as CI does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import ARCHIVE, REPO, set_tag_policy

RECORD = """\
id: "{id}"
title: "{title}"
abstract: |-
  An abstract that is long enough to satisfy the schema's minimum length rule.
tags: [{tags}]
links: []
added: "2026-11-28"
source: "manual"
"""

LM, REASONING = "language-models", "reasoning"
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, timeout=60,
                          capture_output=True, text=True).stdout


def _record(root: Path, name: str, *tags: str, title: str = "", extra: str = "") -> Path:
    path = root / "papers" / f"{name}.yml"
    text = RECORD.format(id=name, title=title or name.title(),
                         tags=", ".join(f'"{t}"' for t in tags))
    path.write_text(text + extra, encoding="utf-8")
    return path


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose base commit (tag ``base``) has three records with one tag each.

    With the real policy each is a warning (fewer than 2 tags); no archive-wide limit
    applies to three papers.
    """
    root = tmp_path / "archive"
    (root / "papers").mkdir(parents=True)
    shutil.copytree(ARCHIVE / "schema", root / "schema")
    shutil.copy(ARCHIVE / "tags.yml", root / "tags.yml")
    for name in ("alpha", "beta", "gamma"):
        _record(root, name, LM)
    _git(tmp_path, "init", "-q", "-b", "main")
    _commit(tmp_path, "base")
    _git(tmp_path, "tag", "base")
    return tmp_path


def _validate(repo: Path, capsys: pytest.CaptureFixture[str], *flags: str,
              ) -> tuple[int, str, str]:
    status = main(["validate", "--format", "github", "--root", str(repo / "archive"), *flags])
    out, err = capsys.readouterr()
    return status, out, err


def _annotated(out: str) -> list[str]:
    """Files with a ``::warning`` annotation, in order."""
    return [line.split("file=", 1)[1].split(",", 1)[0]
            for line in out.splitlines() if line.startswith("::warning")]


def test_only_the_changed_record_is_annotated(repo, capsys):
    _record(repo / "archive", "beta", LM, title="Beta, retitled")
    _commit(repo, "change beta")
    status, out, err = _validate(repo, capsys, "--changed-from", "base")
    assert status == 0
    assert _annotated(out) == ["archive/papers/beta.yml"]
    assert ("2 more warning(s) in records and tags this change does not touch; "
            "`python -m generator tags report` lists them") in err
    assert "ok: 3 records" in err and "3 warning(s)" in err


def test_without_a_change_every_warning_is_annotated_as_before(repo, capsys):
    _record(repo / "archive", "beta", LM, title="Beta, retitled")
    _commit(repo, "change beta")
    status, out, err = _validate(repo, capsys)
    assert status == 0
    assert _annotated(out) == [f"archive/papers/{n}.yml" for n in ("alpha", "beta", "gamma")]
    assert "does not touch" not in err


def test_errors_are_never_scoped(repo, capsys):
    # An error in a record the change does not touch still fails, annotated on its line.
    _record(repo / "archive", "alpha", LM, extra='colour: "red"\n')
    _commit(repo, "break alpha")
    _git(repo, "tag", "broken")
    _record(repo / "archive", "beta", LM, title="Beta, retitled")
    _commit(repo, "change beta")
    status, out, _ = _validate(repo, capsys, "--changed-from", "broken")
    assert status == 1
    assert "::error file=archive/papers/alpha.yml,line=1,title=(record)::unknown field colour" \
        in out
    assert _annotated(out) == ["archive/papers/beta.yml"]


def test_uncommitted_and_new_records_are_part_of_the_change(repo, capsys):
    # validate reads the working tree: an edit not yet committed (the pre-commit hook's
    # staged file) and a record git does not know yet are the change's.
    _record(repo / "archive", "gamma", LM, title="Gamma, edited")
    _record(repo / "archive", "delta", REASONING)
    status, out, err = _validate(repo, capsys, "--changed-from", "HEAD")
    assert status == 0
    assert _annotated(out) == ["archive/papers/delta.yml", "archive/papers/gamma.yml"]
    assert "2 more warning(s)" in err


@pytest.mark.parametrize("ref", ["nope", "--output=x", "base\nx"])
def test_a_bad_ref_is_one_note_then_every_warning(repo, capsys, ref):
    status, out, err = _validate(repo, capsys, f"--changed-from={ref}")
    assert status == 0
    notes = [line for line in out.splitlines() if line.startswith("::notice")]
    assert len(notes) == 1
    assert "showing the warnings of every record" in notes[0]
    assert len(_annotated(out)) == 3
    assert "Traceback" not in out + err
    assert not (repo / "archive" / "x").exists() and not (repo / "x").exists()


def test_outside_a_repository_the_note_names_git(tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE / "schema", root / "schema")
    shutil.copy(ARCHIVE / "tags.yml", root / "tags.yml")
    (root / "papers").mkdir()
    _record(root, "alpha", LM)
    status = main(["validate", "--root", str(root), "--changed-from", "main"])
    out, err = capsys.readouterr()
    assert status == 0
    lines = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(lines) == 1 and "git" in lines[0], err
    assert "alpha.yml:5: tags: warning: 1 tag(s)" in out
    assert "Traceback" not in err


def test_no_git_at_all_is_a_note(repo, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    status, out, _ = _validate(repo, capsys, "--changed-from", "base")
    assert status == 0
    assert "::notice title=validate::--changed-from base: git is not installed" in out
    assert len(_annotated(out)) == 3


def test_only_names_the_changed_files(repo, capsys):
    status, out, err = _validate(repo, capsys, "--only",
                                 str(repo / "archive" / "papers" / "gamma.yml"))
    assert status == 0
    assert _annotated(out) == ["archive/papers/gamma.yml"]
    assert "2 more warning(s)" in err


def _broad_policy(repo: Path) -> None:
    """Every tag on more than half of the papers is too broad; committed as the base."""
    set_tag_policy(repo / "archive", shareFromPapers=1, maxTagShare=0.5)
    _commit(repo, "policy")
    _git(repo, "tag", "-f", "policy")


def test_a_tag_wide_warning_is_the_change_of_a_record_with_that_tag(repo, capsys):
    _broad_policy(repo)
    _record(repo / "archive", "delta", REASONING)
    _commit(repo, "add delta")
    status, out, _ = _validate(repo, capsys, "--changed-from", "policy")
    assert status == 0
    # language-models is on 3 of 4 papers: too broad, but delta does not carry it.
    assert _annotated(out) == ["archive/papers/delta.yml"]
    _record(repo / "archive", "epsilon", LM)
    _commit(repo, "add epsilon")
    status, out, _ = _validate(repo, capsys, "--changed-from", "policy")
    assert _annotated(out) == ["archive/tags.yml", "archive/papers/delta.yml",
                               "archive/papers/epsilon.yml"]
    assert f"tag {LM!r} is on 4 of 5 papers" in out



def _tag_annotations(out: str) -> list[str]:
    """The annotations of archive-wide tag warnings (at tags.yml lines)."""
    return [line for line in out.splitlines()
            if line.startswith("::warning file=archive/tags.yml,")]

def test_a_tag_wide_warning_is_the_change_of_a_record_that_had_that_tag(repo, capsys):
    # Removing a tag is how a change makes it thin: the record had it at the base only.
    set_tag_policy(repo / "archive", rareFromPapers=1)
    _record(repo / "archive", "alpha", LM, REASONING)
    _commit(repo, "alpha also on reasoning")
    _git(repo, "tag", "thin")
    _record(repo / "archive", "alpha", LM)
    _commit(repo, "alpha drops reasoning")
    status, out, err = _validate(repo, capsys, "--changed-from", "thin")
    assert status == 0
    tag_lines = _tag_annotations(out)
    # reasoning (the tag alpha dropped) is annotated; the 100-odd other thin tags of a
    # three-paper archive are only counted.
    assert len(tag_lines) == 1 and f"tag {REASONING!r} has 0 paper(s)" in tag_lines[0]
    assert "more warning(s) in records and tags this change does not touch" in err


def test_a_vocabulary_change_owns_every_tag_wide_warning(repo, capsys):
    _broad_policy(repo)
    tags = repo / "archive" / "tags.yml"
    tags.write_text(tags.read_text("utf-8") + "\n", encoding="utf-8")
    _commit(repo, "touch tags.yml")
    status, out, _ = _validate(repo, capsys, "--changed-from", "policy")
    assert status == 0
    assert _annotated(out) == ["archive/tags.yml"]


def test_the_pre_commit_hook_lists_the_warnings_of_the_staged_records(repo):
    # The hook's own command, as pre-commit runs it at the repository's top: a staged
    # record's warning is listed, the two untouched ones are counted.
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "validate-records")
    argv = hook["entry"].split()
    assert argv[:3] == ["python", "-m", "generator"] and not hook["pass_filenames"]
    _record(repo / "archive", "beta", LM, title="Beta, staged")
    _git(repo, "add", "-A")
    result = subprocess.run([sys.executable, *argv[1:]], cwd=repo, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**GIT_ENV, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "archive/papers/beta.yml:5: tags: warning: 1 tag(s): a paper should have at least 2 "
        "(add 1 from archive/tags.yml)"]
    assert "2 more warning(s)" in result.stderr


def test_a_deleted_record_touches_the_tags_it_had(repo, capsys):
    set_tag_policy(repo / "archive", rareFromPapers=1)
    _record(repo / "archive", "delta", LM, REASONING)
    _commit(repo, "delta")
    _git(repo, "tag", "with-delta")
    (repo / "archive" / "papers" / "delta.yml").unlink()
    _commit(repo, "delete delta")
    status, out, _ = _validate(repo, capsys, "--changed-from", "with-delta")
    assert status == 0
    tag_lines = _tag_annotations(out)
    assert len(tag_lines) == 1 and f"tag {REASONING!r} has 0 paper(s)" in tag_lines[0]
    assert _annotated(out) == ["archive/tags.yml"]
