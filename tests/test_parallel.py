"""generate on two cores: the same bytes as on one, and a failure or Ctrl-C leaves nothing.

The stages run in forked children (generator/parallel.py); these tests check what a user
sees: the pages of a parallel run are those of a serial one, byte for byte; a stage that
fails in a child is one line of error, with ``docs/`` (and ``site/``) as they were and no
temporary file or process left; an interrupted run cleans up the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator import cli, parallel, site
from generator.cache import Cache
from generator.parallel import Child, ChildFailed
from tests.conftest import REPO, copy_fixture_archive


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def children() -> set[int]:
    """The child processes of this one that have not been reaped (zombies included).

    The session's servers and browser are children too, so a test compares the set
    before and after (:func:`no_children_left`).
    """
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


@pytest.fixture
def no_children_left():
    """A check that the test left no child process of its own behind."""
    before = children()
    return lambda: children() <= before


def _boom() -> None:
    raise RuntimeError("the index\nbroke")


# ------------------------------------------------------------------ the child itself


def test_a_child_computes_in_another_process_and_sends_the_result_back(no_children_left) -> None:
    child = Child("asking the pid", os.getpid, fork=True)
    assert child.result() != os.getpid()
    assert no_children_left()


def test_without_fork_the_same_work_runs_here_when_asked() -> None:
    child = Child("asking the pid", os.getpid, fork=False)
    assert child.result() == os.getpid()


def test_a_failing_child_is_one_line_naming_the_stage(capfd, no_children_left) -> None:
    child = Child("building the search index", _boom, fork=True)
    with pytest.raises(ChildFailed) as failed:
        child.result()
    assert str(failed.value) == "building the search index failed: RuntimeError: the index\\nbroke"
    assert "Traceback" not in capfd.readouterr().err
    assert no_children_left()


def test_a_child_that_dies_says_so() -> None:
    child = Child("finding related papers", lambda: os.kill(os.getpid(), signal.SIGKILL),
                  fork=True)
    with pytest.raises(ChildFailed, match=r"finding related papers failed: .*killed by signal 9"):
        child.result()


def test_stopping_a_running_child_ends_and_reaps_it(no_children_left) -> None:
    child = Child("sleeping", lambda: time.sleep(60), fork=True)
    started = time.monotonic()
    child.stop()
    child.stop()
    assert time.monotonic() - started < parallel.STOP_SECONDS
    assert no_children_left()


# ------------------------------------------------------------------ generate


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A seed archive (262 real papers) and the contributor guide beside it."""
    import shutil

    shutil.copy(REPO / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    shutil.copytree(REPO / "archive", tmp_path / "archive",
                    ignore=shutil.ignore_patterns("dumps"))
    return tmp_path


def _same_bytes_both_ways(archive: Path, out: Path, monkeypatch) -> int:
    """Generate ``archive`` forking and not; assert both wrote the same files; their count."""
    forked: list[str] = []
    start = Child.__init__

    def spy(self, what, work, *, fork=None):
        start(self, what, work, fork=fork)
        if self.process is not None:
            forked.append(what)

    monkeypatch.setattr(Child, "__init__", spy)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    site.generate(archive, out / "two", out, cache=Cache.disabled())
    assert forked == ["finding related papers", "building the search index"]
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    site.generate(archive, out / "one", out, cache=Cache.disabled())
    assert len(forked) == 2
    one, two = tree(out / "one"), tree(out / "two")
    assert one == two
    return len(one)


def test_parallel_and_serial_generate_write_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    assert _same_bytes_both_ways(archive, tmp_path, monkeypatch) > 20


@pytest.mark.slow
def test_parallel_and_serial_generate_write_the_same_bytes_for_the_seed(project: Path,
                                                                        monkeypatch) -> None:
    assert _same_bytes_both_ways(project / "archive", project, monkeypatch) > 500


@pytest.mark.parametrize("stage", ["_similar", "search_contents"])
def test_a_stage_failing_in_a_child_leaves_docs_as_it_was(tmp_path: Path, monkeypatch, capsys,
                                                          stage: str, no_children_left) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    docs = tmp_path / "docs"
    assert cli.main(["generate", "--root", str(archive), "--docs", str(docs)]) == 0
    before = tree(docs)
    record = next((archive / "papers").glob("*.yml"))
    record.write_text(record.read_text("utf-8").replace("title: ", "title: Changed ", 1),
                      encoding="utf-8")
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(site, stage, lambda *args: _boom())
    capsys.readouterr()
    assert cli.main(["generate", "--root", str(archive), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "failed: RuntimeError" in err
    assert tree(docs) == before
    assert no_children_left()


@pytest.mark.build
def test_a_child_failing_in_build_leaves_site_and_docs_as_they_were(tmp_path: Path, monkeypatch,
                                                                    capsys) -> None:
    from tests.conftest import build_project, make_project

    project = make_project(tmp_path / "p", copy_fixture_archive(tmp_path / "fixture"))
    site_dir = build_project(project)
    before_site, before_docs = tree(site_dir), tree(project / "docs")
    (project / "archive" / "tags.yml").write_text(
        (project / "archive" / "tags.yml").read_text("utf-8") + "\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(site, "_similar", lambda *args: _boom())
    monkeypatch.setenv("PAPER_ARCHIVE_CACHE", str(tmp_path / "cache"))
    capsys.readouterr()
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert tree(site_dir) == before_site and tree(project / "docs") == before_docs
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_an_interruption_in_the_parent_stops_the_children_and_writes_nothing(
        tmp_path: Path, monkeypatch, no_children_left) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    docs = tmp_path / "docs"
    monkeypatch.setattr(parallel, "can_fork", lambda: True)

    def interrupted(index):
        raise KeyboardInterrupt

    monkeypatch.setattr(site, "stats_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        site.generate(archive, docs, tmp_path, cache=Cache.disabled())
    assert [p for p in docs.rglob("*") if p.is_file()] == []
    assert no_children_left()


#: Runs a command with a related-papers stage that waits (so the test can interrupt it
#: while a child runs) and says, in ``marker``, the child's pid once it has started.
_SLOW_COMMAND = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from generator import cli, site
    # As a command typed at a terminal: a runner that started the suite in the background
    # hands its children Ctrl-C ignored (POSIX), and Python then keeps ignoring it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    marker = Path(sys.argv[1])
    def slow(*args):
        marker.write_text(str(os.getpid()))
        time.sleep(120)
    site._similar = slow
    sys.exit(cli.main(sys.argv[2:]))
""")


def session_processes(session: int) -> list[int]:
    """Every live process of a session (zombies are dead: not counted)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def interrupt_while_finding_related(command: list[str], cwd: Path, marker: Path,
                                    how: int) -> tuple[int, str]:
    """Start ``command``, send ``how`` once related papers are being found; exit and stderr.

    Also checks that no process of the run is left once it has ended.
    """
    process = subprocess.Popen([sys.executable, "-c", _SLOW_COMMAND, str(marker), *command],
                               cwd=cwd, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               env={**os.environ, "PAPER_ARCHIVE_CACHE": str(marker.parent)})
    deadline = time.monotonic() + 120
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    # A Ctrl-C reaches the whole process group, the children included.
    os.killpg(process.pid, how) if how == signal.SIGINT else process.send_signal(how)
    _, err = process.communicate(timeout=60)
    assert session_processes(process.pid) == []
    return process.returncode, err


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_during_generate_cleans_up(tmp_path: Path, how: int) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    docs = tmp_path / "docs"
    code, err = interrupt_while_finding_related(
        ["generate", "--root", str(archive), "--docs", str(docs)], REPO, tmp_path / "pid", how)
    assert code == 130 and err == "interrupted\n"
    assert [p for p in docs.rglob("*") if p.is_file()] == []


@pytest.mark.build
def test_ctrl_c_during_build_leaves_site_and_docs_as_they_were(tmp_path: Path) -> None:
    from tests.conftest import build_project, make_project

    project = make_project(tmp_path / "p", copy_fixture_archive(tmp_path / "fixture"))
    site_dir = build_project(project)
    before_site, before_docs = tree(site_dir), tree(project / "docs")
    (project / "archive" / "tags.yml").write_text(
        (project / "archive" / "tags.yml").read_text("utf-8") + "\n", encoding="utf-8")
    code, err = interrupt_while_finding_related(["build"], project, tmp_path / "pid",
                                                signal.SIGINT)
    assert code == 130 and err == "interrupted\n"
    assert tree(site_dir) == before_site and tree(project / "docs") == before_docs
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


# ------------------------------------------------------------------ loading on two cores


def test_records_parsed_half_in_a_child_load_as_in_one_process(project: Path,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(site, "PARALLEL_LOAD_RECORDS", 10)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    helpers: list[object] = []
    split = site._parsed_in_a_child
    monkeypatch.setattr(site, "_parsed_in_a_child",
                        lambda root: helpers.append(1) or split(root))
    two = site.load_checked(project / "archive")
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    one = site.load_checked(project / "archive")
    assert helpers and len(one.papers) == 262 and one == two


def test_a_problem_in_the_childs_half_is_reported_as_in_one_process(
        project: Path, monkeypatch, no_children_left) -> None:
    last = sorted((project / "archive" / "papers").glob("*.yml"))[-1]
    last.write_text(last.read_text("utf-8").replace("\ntitle:", "\ntitle: [", 1),
                    encoding="utf-8")
    monkeypatch.setattr(site, "PARALLEL_LOAD_RECORDS", 10)
    found = []
    for fork in (True, False):
        monkeypatch.setattr(parallel, "can_fork", lambda fork=fork: fork)
        with pytest.raises(site.ArchiveProblems) as problems:
            site.load_checked(project / "archive")
        found.append([str(p) for p in problems.value.problems])
    assert found[0] == found[1] and last.name in found[0][0]
    assert no_children_left()


def test_a_generate_child_killed_in_build_is_one_line(tmp_path: Path, monkeypatch,
                                                      capsys) -> None:
    from tests.conftest import make_project

    project = make_project(tmp_path / "p", copy_fixture_archive(tmp_path / "fixture"))
    monkeypatch.chdir(project)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr("generator.build.generate",
                        lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == (
        "error: generating the pages failed: the process ended without a result "
        "(killed by signal 9)\n")
    assert not (project / "site").exists()
