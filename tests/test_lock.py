"""Every install uses the hash-locked ``requirements.txt``, and the lock covers pyproject.toml.

"Same commit, same site" needs the same dependency files on every machine: the lock pins
each package to one version with the hashes of its files, and every door that installs
(``make setup``, and through it ``make site``, ``.ci/run`` and both workflows) installs from
it with ``--require-hashes`` before adding the project itself with ``--no-deps``. These tests
read the files as data, so a new dependency added to pyproject.toml without ``make lock``,
or a workflow step that goes back to ``pip install -e .``, fails here.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

LOCK = REPO / "requirements.txt"
MAKEFILE = REPO / "Makefile"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)\s*\\?$")
HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\s*\\?$")


def _locked() -> dict[str, tuple[str, int]]:
    """Package name (normalised) -> (pinned version, number of hashes), from the lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in LOCK.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match["name"])
            assert current not in pins, f"{current} is pinned twice"
            pins[current] = (match["version"], 0)
        elif HASH.match(line):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        else:
            pytest.fail(f"requirements.txt: unexpected line {line!r}")
    return pins


def _declared() -> list[Requirement]:
    """Every requirement pyproject.toml states: runtime, the test extra, the build backend."""
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"]["test"],
             *PYPROJECT["build-system"]["requires"]]
    return [Requirement(text) for text in texts]


def _recipe(target: str) -> list[str]:
    r"""The command lines of a Makefile rule, joined where they continue with ``\``."""
    lines = MAKEFILE.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe: list[str] = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        if recipe and recipe[-1].endswith("\\"):
            recipe[-1] = recipe[-1][:-1] + " " + line.strip()
        else:
            recipe.append(line.strip())
    return recipe


def _runs(workflow: str) -> list[str]:
    data = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text("utf-8"))
    return [step["run"].strip() for job in data["jobs"].values()
            for step in job.get("steps", []) if "run" in step]


def test_every_locked_package_has_its_hashes():
    pins = _locked()
    assert pins
    assert {name: hashes for name, (_, hashes) in pins.items() if hashes == 0} == {}


@pytest.mark.parametrize("requirement", _declared(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement):
    pins = _locked()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement} is not in requirements.txt: run `make lock`"
    version = pins[name][0]
    assert requirement.specifier.contains(version, prereleases=True), \
        f"requirements.txt pins {name}=={version}, outside {requirement}: run `make lock`"


def test_the_tests_run_in_the_locked_environment():
    # make setup installed exactly the lock; a stale .venv (say, after a merge changed the
    # lock without `make setup`) would test other versions than CI does.
    drift = {}
    for name, (version, _) in _locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            drift[name] = (version, installed)
    assert drift == {}, "locked (version, installed) differ: run `make setup`"


def test_setup_installs_the_lock_with_hashes_then_the_project_without_dependencies():
    assert re.search(r"^LOCK := requirements\.txt$", MAKEFILE.read_text("utf-8"), re.M)
    pip = [shlex.split(line) for line in _recipe("$(VENV)/.installed") if " pip install" in line]
    assert len(pip) == 2, pip
    locked, project = pip
    assert "--require-hashes" in locked and locked[locked.index("-r") + 1] == "$(LOCK)"
    assert "--no-deps" in project and project[-1] == "."
    # Without build isolation the build backend (setuptools) also comes from the lock.
    assert "--no-build-isolation" in project


def test_every_door_installs_through_make_setup():
    rules = {line.split(":", 1)[0]: line.split(":", 1)[1].split("##")[0].split()
             for line in MAKEFILE.read_text("utf-8").splitlines()
             if re.match(r"^[a-z-]+:", line)}

    def needs_setup(target: str) -> bool:
        return "setup" in rules[target] or any(needs_setup(t) for t in rules[target])

    for target in ("site", "test", "test-fast", "lint", "serve", "validate", "goldens", "bench"):
        assert needs_setup(target), target
    ci = [line for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()
          if line and not line.startswith("#")]
    assert ci[-1] == "make test"
    assert not any("pip install" in line for line in ci)


def test_check_workflow_runs_ci_run_and_installs_only_from_the_lock():
    runs = _runs("check.yml")
    assert runs[0] == "make setup"
    assert "bash .ci/run" in runs
    assert "make site" in runs
    assert not any("pip install" in run for run in runs)
    # The validation step uses the environment make setup created.
    assert any(".venv/bin/python -m generator validate --format github" in run for run in runs)


def test_publish_workflow_builds_with_the_locked_environment():
    runs = _runs("publish.yml")
    assert runs == ["make setup", "make site"]


def test_lock_header_records_the_command_make_lock_runs():
    header = LOCK.read_text("utf-8").splitlines()[:6]
    command = next(line.strip("# ").strip() for line in header
                   if line.strip("# ").startswith("pip-compile "))
    recorded = set(shlex.split(command)[1:])
    recipe = next(line for line in _recipe("lock") if "pip-compile" in line)
    words = shlex.split(recipe.replace("$(LOCK)", "requirements.txt"))
    options = words[words.index(".lock-tools/bin/pip-compile") + 1:]
    made = {word for word in options if word not in {"--quiet", "$(if", "$(UPGRADE),--upgrade)"}}
    assert made == recorded


def test_dependabot_refreshes_the_lock():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text("utf-8"))
    pip = [u for u in config["updates"] if u["package-ecosystem"] == "pip"]
    # Dependabot's pip updater reads requirement files ending in .txt in this directory.
    assert [u["directory"] for u in pip] == ["/"]
    assert LOCK.parent == REPO and LOCK.suffix == ".txt"


def test_lock_was_resolved_against_pypi_only():
    text = LOCK.read_text("utf-8")
    assert "--index-url" not in text and "--find-links" not in text
    assert "file://" not in text and "/opt/" not in text


@pytest.mark.parametrize("hook", ["build_wheel", "build_editable"])
def test_the_package_builds_without_a_single_setuptools_warning(tmp_path, hook):
    # A license table and a package list that left out generator/templates made setuptools
    # print 93 lines of warnings on every `make setup`; -W error turns any warning into a
    # failure, so a new one fails here first.
    shutil.copytree(REPO / "generator", tmp_path / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tmp_path / name)
    code = f"from setuptools import build_meta as b; print(b.{hook}('dist'))"
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stdout + result.stderr
    wheel = tmp_path / "dist" / result.stdout.split()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    if hook == "build_wheel":
        assert "generator/templates/search-page.md" in names
