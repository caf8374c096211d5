"""`mkdocs serve` as a maintainer uses it: one rebuild per edit, problems shown, no hang.

Runs the real server (the hooks in generator/hooks.py) on a scratch copy of the fixture
archive, on 127.0.0.1 at a free port, and reads its log and its pages.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_fixture_archive, make_project

pytestmark = pytest.mark.build

RECORD = "attention-on-graphs.yml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(log: Path, pattern: str, count: int, timeout: float = 180) -> str:
    """The log once ``pattern`` occurs ``count`` times in it; fails after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text("utf-8", errors="replace")
        if len(re.findall(pattern, text)) >= count:
            return text
        time.sleep(0.3)
    pytest.fail(f"no {count}x {pattern!r} in the serve log:\n{log.read_text('utf-8')[-3000:]}")


def _page(url: str) -> str:
    # A hanging server (the old behaviour while a record was broken) fails here, not later.
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, str]]:
    """A scratch project being served: (project, log file, base URL)."""
    archive = copy_fixture_archive(tmp_path / "archive-src")
    project = make_project(tmp_path / "project", archive)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=project, env=env,
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        text = _wait_for(log, r"Serving on http://127\.0\.0\.1:\d+(\S*)", 1)
        path = re.search(r"Serving on http://127\.0\.0\.1:\d+(\S*)", text).group(1)
        yield project, log, f"http://127.0.0.1:{port}{path}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_an_edit_rebuilds_once_and_a_broken_record_is_shown_not_hung(served) -> None:
    project, log, url = served
    record = project / "archive" / "papers" / RECORD
    good = record.read_text("utf-8")
    builds = len(re.findall("Building documentation", log.read_text("utf-8")))

    record.write_text(good.replace('title: "', 'title: "Edited: ', 1), "utf-8")
    _wait_for(log, "Reloading browsers", 1)
    time.sleep(4)  # several polls of the watcher: a second rebuild would have started
    text = log.read_text("utf-8")
    assert len(re.findall("Building documentation", text)) == builds + 1, text[-2000:]
    assert "Edited: " in _page(url + "papers/attention-on-graphs/")

    record.write_text(good.replace("added: ", "added: 'not-a-date' #", 1), "utf-8")
    _wait_for(log, "rebuild failed", 1)
    page = _page(url)
    assert 'id="pa-serve-notice"' in page
    assert f"archive/papers/{RECORD}" in page and "not-a-date" in page
    # The last good pages stay served meanwhile, the edited title included.
    assert "Edited: " in _page(url + "papers/attention-on-graphs/")

    record.write_text(good, "utf-8")
    _wait_for(log, "Reloading browsers", 3)
    assert 'id="pa-serve-notice"' not in _page(url)
