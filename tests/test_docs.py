"""Docs stay honest: every CLI command has help text and is documented in the README."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from generator.cli import build_parser
from tests.conftest import REPO


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from _commands(sub, (*prefix, name))


COMMANDS = list(_commands(build_parser()))


def test_the_contract_commands_exist():
    names = {" ".join(name) for name, _ in COMMANDS}
    assert {"import", "validate", "generate", "build", "new", "tags",
            "tags suggest", "tags report"} <= names


@pytest.mark.parametrize(("name", "parser"), COMMANDS, ids=[" ".join(n) for n, _ in COMMANDS])
def test_every_command_has_help(name, parser):
    assert (parser.description or "").strip(), f"{name} has no description"
    for action in parser._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, f"{' '.join(name)} {action.option_strings} has no help"


def test_help_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO,
                            capture_output=True, text=True, check=True)
    for name, _ in COMMANDS:
        if len(name) == 1:
            assert name[0] in result.stdout


@pytest.mark.parametrize("name", sorted({n[0] for n, _ in COMMANDS}))
def test_every_command_is_in_the_readme(name):
    readme = (REPO / "README.md").read_text("utf-8")
    assert f"python -m generator {name}" in readme
