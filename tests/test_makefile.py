"""The maintainer's loop through make: help, the serve port, clean, goldens.

Each runs the real Makefile (``make -n`` where running it would install or serve), so a
target that drifts from what README and CONTRIBUTING say fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests import regen_goldens
from tests.conftest import REPO

MAKEFILE = REPO / "Makefile"
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _make(*args: str, cwd: Path = REPO) -> str:
    result = subprocess.run(["make", "--no-print-directory", "-f", str(MAKEFILE), *args],
                            cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_help_lists_every_target_with_its_comment():
    shown = dict(re.findall(r"^  make (\S+)\s+(.+)$", _make("help"), re.M))
    phony = re.search(r"^\.PHONY: (.+)$", MAKEFILE.read_text("utf-8"), re.M).group(1).split()
    # `check` is the default goal's alias for `test`; every other target says what it does.
    assert set(shown) == set(phony) - {"check"}
    assert shown["test-fast"].startswith("lint, then every test but browser")
    assert all(text.strip() for text in shown.values())


@pytest.mark.parametrize(("target", "commands"), [
    ("lint", ["ruff check generator tests benchmarks", "mypy"]),
    ("test", ["ruff check generator tests benchmarks", "mypy", "pytest"]),
    ("test-fast", ["ruff check generator tests benchmarks", "mypy", "pytest -q -m"]),
])
def test_lint_and_the_test_targets_run_ruff_and_mypy_first(target, commands):
    ran = [line.split(" -m ", 1)[1] for line in _make("-n", target).splitlines()
           if line.startswith(".venv/bin/python -m ") and " pip " not in line]
    assert len(ran) == len(commands)
    assert all(r.startswith(c) for r, c in zip(ran, commands, strict=True))


def test_the_docstring_rules_hold_everywhere_but_for_test_functions():
    """``make lint``'s ruff runs the docstring rules (D) with no per-file waivers.

    Waivers for "code merged after the docstring pass" once covered 28 files; the only
    exception left is the policy that a test's name, not a docstring, says what it checks.
    """
    lint = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["ruff"]["lint"]
    assert "D" in lint["select"]
    assert lint["per-file-ignores"] == {"tests/**": ["D101", "D102", "D103", "D107"]}


def test_help_is_also_what_plain_make_help_prints_first():
    assert _make("help").splitlines()[0].startswith("  make help")


@pytest.mark.parametrize(("args", "address"), [((), "127.0.0.1:8000"),
                                                (("PORT=8001",), "127.0.0.1:8001")])
def test_serve_port_is_a_variable(args, address):
    # -n prints the commands without running them; setup is up to date in a checkout that
    # ran the tests, so only the serve lines remain.
    out = _make("-n", "serve", *args)
    serve = [line for line in out.splitlines() if "mkdocs serve" in line]
    assert serve and serve[-1].endswith(f"-a {address}")


def test_clean_removes_every_generated_page_and_keeps_the_hand_written_ones(tmp_path):
    from generator.site import GENERATED_ENTRIES

    docs = tmp_path / "docs"
    (docs / "maintainers").mkdir(parents=True)
    (docs / "about.md").write_text("# About\n")
    (docs / "maintainers" / "x.md").write_text("# X\n")
    for name in GENERATED_ENTRIES:
        path = docs / name
        if path.suffix:
            path.write_text("generated\n")
        else:
            (path / "deep").mkdir(parents=True)
            (path / "deep" / "page.md").write_text("generated\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "keep.yml").write_text("id: keep\n")
    # docs/assets/ is hand-written (the link-preview image) around the generated scripts.
    (docs / "assets" / "images").mkdir(parents=True)
    (docs / "assets" / "images" / "card.png").write_bytes(b"png")
    (tmp_path / ".cache").mkdir()  # the related-papers token cache (generator/site.py)
    (tmp_path / ".cache" / "related-features.json.gz").write_bytes(b"gz")
    _make("clean", cwd=tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "archive", "archive/keep.yml", "docs", "docs/about.md", "docs/assets",
        "docs/assets/images", "docs/assets/images/card.png", "docs/maintainers",
        "docs/maintainers/x.md"]


def test_goldens_say_unchanged_when_nothing_changed(tmp_path, capsys):
    goldens = tmp_path / "goldens"
    regen_goldens.main(goldens)
    first = capsys.readouterr().out
    assert re.search(r"goldens: (\d+) written, 0 removed, 0 unchanged", first)
    mtimes = {p: p.stat().st_mtime_ns for p in goldens.rglob("*") if p.is_file()}

    regen_goldens.main(goldens)
    assert capsys.readouterr().out.startswith(f"goldens unchanged ({len(mtimes)} pages")
    assert {p: p.stat().st_mtime_ns for p in goldens.rglob("*") if p.is_file()} == mtimes

    stale = goldens / "papers" / "gone.md"
    stale.write_text("old\n")
    (goldens / "index.md").write_text("edited\n")
    regen_goldens.main(goldens)
    out = capsys.readouterr().out
    assert "goldens: 1 written, 1 removed" in out
    assert "wrote" in out and "index.md" in out and "removed" in out and not stale.exists()



@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                    reason="needs a git checkout")
def test_nothing_the_checkout_ignores_is_committed():
    """A committed ``.venv`` link replaced every merging worktree's own environment.

    git treats ignored files as expendable, so a merge that brings a tracked path where a
    worktree keeps an ignored one (its ``.venv``) deletes that without a word.
    """
    tracked_but_ignored = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"], cwd=REPO,
        capture_output=True, text=True, check=True).stdout.split()
    assert tracked_but_ignored == []
