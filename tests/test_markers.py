"""`make test-fast` leaves out exactly the tests that start Chromium or build a whole site.

The markers are set by hand on whole modules, and by tests/conftest.py on every test that
asks for a browser or built-site fixture (directly or through another fixture), so a new
test cannot slip a full build into the fast run by forgetting its marker.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def _collect(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


def _fast_expression() -> str:
    match = re.search(r"^FAST_TESTS := (.+)$", (REPO / "Makefile").read_text("utf-8"), re.M)
    assert match, "Makefile defines FAST_TESTS"
    return match.group(1)


def test_make_test_fast_runs_ruff_and_pytest_with_the_fast_selection():
    text = (REPO / "Makefile").read_text("utf-8")
    rule, recipe = text.split("\ntest-fast:", 1)[1].split("\n", 1)
    recipe = recipe.split("\n\n", 1)[0]
    assert rule.split("##")[0].split() == ["lint"]  # ruff and mypy first (test_makefile.py)
    assert '-m "$(FAST_TESTS)"' in recipe
    assert _fast_expression() == "not browser and not build and not slow"


def test_fast_selection_skips_tests_that_use_a_built_site_through_a_fixture():
    modules = ["tests/test_hostile.py", "tests/test_browser_site.py"]
    everything = _collect(*modules)
    fast = _collect("-m", _fast_expression(), *modules)
    # test_hostile.py's first test only reads the archive, but that archive comes from a
    # fixture that runs a full build: it is marked by the fixture, not by hand.
    assert "tests/test_hostile.py::test_every_door_let_the_payloads_in" in everything
    assert "tests/test_hostile.py::test_every_door_let_the_payloads_in" not in fast
    assert not any("test_browser_site.py" in test for test in fast)
    # Tests of the same module that need no build stay in the fast run.
    assert any("test_validate_refuses_every_unsafe_link" in test for test in fast)
    assert fast < everything
