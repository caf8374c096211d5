"""The pre-commit hooks run the right checks on the right files, with no download.

pre-commit itself is optional for contributors, so the hooks are exercised here the way
pre-commit runs a local hook: the entry split into words, plus the matching file names
unless ``pass_filenames`` is false.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

from tests.conftest import ARCHIVE, REPO

CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def _matches(hook: dict, path: str) -> bool:
    return re.search(hook.get("files", ""), path) is not None


def _run(hook: dict, files: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(hook["entry"])
    if argv[0] == "python":
        argv[0] = sys.executable
    if hook.get("pass_filenames", True):
        argv += files
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_all_hooks_are_local_so_committing_needs_no_network():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert {hook["language"] for hook in HOOKS.values()} == {"system"}
    assert set(HOOKS) == {"validate-records", "ruff", "zizmor"}


def test_hooks_select_the_right_files():
    validate, ruff, zizmor = HOOKS["validate-records"], HOOKS["ruff"], HOOKS["zizmor"]
    assert _matches(validate, "archive/papers/best-first-beam-search.yml")
    assert _matches(validate, "archive/tags.yml")
    assert not _matches(validate, "generator/cli.py")
    assert _matches(ruff, "generator/cli.py") and _matches(ruff, "tests/test_new.py")
    assert not _matches(ruff, "archive/papers/x.yml")
    assert _matches(zizmor, ".github/workflows/check.yml")
    assert _matches(zizmor, ".github/dependabot.yml")
    assert not _matches(zizmor, ".github/ISSUE_TEMPLATE/add-paper.yml")


def test_validate_hook_passes_on_the_archive_and_blocks_a_broken_record(tmp_path):
    hook = HOOKS["validate-records"]
    assert hook["pass_filenames"] is False
    assert _run(hook, [], REPO).returncode == 0
    shutil.copytree(ARCHIVE, tmp_path / "archive")
    record = tmp_path / "archive" / "papers" / "best-first-beam-search.yml"
    record.write_text(record.read_text("utf-8") + 'colour: "red"\n', "utf-8")
    result = _run(hook, [], tmp_path)
    assert result.returncode == 1
    assert "archive/papers/best-first-beam-search.yml:2: (record): unknown field colour" \
        in result.stdout


def test_ruff_and_zizmor_hooks_pass_on_the_repository():
    python_files = [str(p.relative_to(REPO)) for p in sorted((REPO / "generator").glob("*.py"))]
    result = _run(HOOKS["ruff"], python_files, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    # `make test` runs inside .venv without putting its bin/ on PATH: use zizmor from there.
    beside = Path(sysconfig.get_path("scripts")) / "zizmor"
    hook = {**HOOKS["zizmor"]}
    if beside.exists():
        hook["entry"] = hook["entry"].replace("zizmor", str(beside), 1)
    workflows = [".github/workflows/check.yml", ".github/workflows/publish.yml"]
    result = _run(hook, workflows, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
