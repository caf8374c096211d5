"""The GitHub workflows keep their security properties (and zizmor agrees).

These read the workflow files as data, so a later edit that widens a token, unpins an
action, adds a risky trigger or inlines an expression into a script fails here, before it
reaches ``main``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PUBLISH = WORKFLOWS / "publish.yml"
SHA_PIN = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?P<comment>#.*)?$")


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    triggers = workflow.get("on", workflow.get(True))
    if isinstance(triggers, str):
        return {triggers: None}
    if isinstance(triggers, list):
        return dict.fromkeys(triggers)
    return triggers


def _all_workflows() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _is_writer(job: dict[str, Any]) -> bool:
    return any(value != "read" for value in job["permissions"].values())


def test_both_workflows_exist():
    assert {p.name for p in _all_workflows()} >= {"check.yml", "publish.yml"}


def test_triggers():
    assert set(_triggers(_load(CHECK))) == {"pull_request"}
    publish = _triggers(_load(PUBLISH))
    assert set(publish) == {"push", "workflow_dispatch"}
    assert publish["push"] == {"branches": ["main"]}
    for path in _all_workflows():
        assert "pull_request_target" not in _triggers(_load(path)), path.name
        assert "workflow_run" not in _triggers(_load(path)), path.name


@pytest.mark.parametrize("path", _all_workflows(), ids=lambda p: p.name)
def test_default_token_has_no_permissions_and_every_job_declares_its_own(path):
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {name}"


@pytest.mark.parametrize("path", _all_workflows(), ids=lambda p: p.name)
def test_only_the_pages_deploy_job_can_write(path):
    for name, job in _load(path)["jobs"].items():
        if not _is_writer(job):
            assert job["permissions"].get("contents") == "read", f"{path.name}: job {name}"
            continue
        assert (path, name) == (PUBLISH, "deploy"), f"{path.name}: job {name} can write"
        assert job["permissions"] == {"pages": "write", "id-token": "write"}
        assert job["environment"]["name"] == "github-pages"
        # The job holding the publishing token runs nothing from the repository.
        assert all("run" not in step for step in job["steps"])
        assert [step["uses"].split("@")[0] for step in job["steps"]] == ["actions/deploy-pages"]


def test_publish_builds_with_read_only_token_then_deploys():
    jobs = _load(PUBLISH)["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    assert set(jobs["build"]["permissions"].values()) == {"read"}
    used = [step["uses"].split("@")[0] for step in jobs["build"]["steps"] if "uses" in step]
    assert "actions/configure-pages" in used
    assert used[-1] == "actions/upload-pages-artifact"
    assert jobs["build"]["steps"][-1]["with"]["path"] == "site/"
    runs = [step["run"] for step in jobs["build"]["steps"] if "run" in step]
    # `make site` is `python -m generator build` in the hash-locked .venv (tests/test_lock.py).
    assert "make site" in runs


def test_deploys_do_not_overlap():
    concurrency = _load(PUBLISH)["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_pull_request_check_validates_tests_builds_and_uploads_a_preview():
    steps = _steps(_load(CHECK))
    runs = [step["run"] for step in steps if "run" in step]
    validate = next(s for s in steps if s.get("name") == "Validate records")
    assert '.venv/bin/python -m generator validate --format github "$@"' in validate["run"]
    # Warnings are scoped to the pull request by its base commit, handed over in env.
    assert validate["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    assert 'set -- --changed-from "$BASE_SHA"' in validate["run"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    # The tests are .ci/run, the command CI runs on a clean clone (`make test`).
    assert "bash .ci/run" in runs
    assert "make site" in runs
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "site/"
    # The preview comes after the build it uploads.
    build = next(s for s in steps if s.get("run") == "make site")
    assert steps.index(upload[0]) > steps.index(build)


@pytest.mark.parametrize("path", _all_workflows(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    lines = [m for m in map(USES_LINE.match, path.read_text("utf-8").splitlines()) if m]
    assert lines, path.name
    assert len(lines) == sum("uses" in step for step in _steps(_load(path)))
    for match in lines:
        assert SHA_PIN.match(match["ref"]), f"{path.name}: {match['ref']} is not a SHA pin"
        assert re.fullmatch(r"# v\d+\.\d+\.\d+", match["comment"] or ""), match.group(0)


def test_each_action_is_pinned_to_one_version_everywhere():
    pins: dict[str, set[str]] = {}
    for path in _all_workflows():
        for line in path.read_text("utf-8").splitlines():
            match = USES_LINE.match(line)
            if match:
                action = SHA_PIN.match(match["ref"])["action"]
                pins.setdefault(action, set()).add(f"{match['ref']} {match['comment']}")
    assert {action: len(refs) for action, refs in pins.items()} == dict.fromkeys(pins, 1)


@pytest.mark.parametrize("path", _all_workflows(), ids=lambda p: p.name)
def test_checkout_never_keeps_the_token(path):
    steps = _steps(_load(path))
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    # A job that runs scripts checked the repository out first.
    assert checkouts or not any("run" in s for s in steps)
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", _all_workflows(), ids=lambda p: p.name)
def test_no_expression_is_inlined_into_a_script(path):
    for step in _steps(_load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}: {step.get('name')}"


def test_dependabot_watches_actions_and_pip():
    config = _load(REPO / ".github" / "dependabot.yml")
    assert config["version"] == 2
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}


def _zizmor() -> str:
    """The zizmor installed beside this Python (``make test`` does not put it on PATH)."""
    beside = Path(sysconfig.get_path("scripts")) / "zizmor"
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    assert found, "zizmor is not installed: pip install -e '.[test]'"
    return found


@pytest.mark.parametrize("target", [".github/workflows/", ".github/"])
def test_zizmor_offline_reports_nothing(target):
    # The command of the issue, then all of .github/ so dependabot.yml is audited too (not
    # the repository root, which in a checkout also holds .venv/ and site/).
    result = subprocess.run([_zizmor(), "--offline", "--persona=auditor", target], cwd=REPO,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout
