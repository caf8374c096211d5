"""The benchmark scripts are usable as documented: help for every option, clear errors.

Benchmarks print figures and are not run here (they take minutes on real data); these
tests only drive their command lines: ``--help`` answers at once without loading anything,
every option says what it does, a missing datasets folder is one clear line, and each
script is listed in the README.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import benchmarks
from benchmarks import datasets, import_bench, search_bench
from tests.conftest import REPO

SCRIPTS = sorted(info.name for info in pkgutil.iter_modules(benchmarks.__path__)
                 if hasattr(importlib.import_module(f"benchmarks.{info.name}"), "main"))


class _Parsed(Exception):
    """Raised instead of parsing, to hand the parser back to the test."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        super().__init__()
        self.parser = parser


def _parser_of(script: str, monkeypatch: pytest.MonkeyPatch) -> argparse.ArgumentParser:
    """The argument parser ``script``'s ``main`` builds, caught as it starts parsing."""
    def parse(self, args=None, namespace=None):
        raise _Parsed(self)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse)
    main = importlib.import_module(f"benchmarks.{script}").main
    monkeypatch.setattr("sys.argv", [script])
    with pytest.raises(_Parsed) as caught:
        main([]) if inspect.signature(main).parameters else main()
    return caught.value.parser


def test_the_benchmarks_are_found():
    assert {"import_bench", "search_bench", "search_scale", "site_bench"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_option_has_help(script, monkeypatch):
    parser = _parser_of(script, monkeypatch)
    options = [action for action in parser._actions
               if not isinstance(action, argparse._HelpAction)]
    assert options, script
    assert [action.dest for action in options if not (action.help or "").strip()] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_is_in_the_readme(script):
    assert f"python -m benchmarks.{script}" in (REPO / "README.md").read_text("utf-8")


def test_import_bench_help_loads_nothing(monkeypatch, capsys):
    # It used to read both datasets (about 50,000 records) and then crash on "--help".
    monkeypatch.setattr(import_bench, "_records", lambda files: pytest.fail("loaded data"))
    with pytest.raises(SystemExit) as exit_:
        import_bench.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--datasets DIR" in out and "archive sizes" in out


def test_import_bench_names_a_missing_datasets_folder(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        import_bench.main(["--datasets", str(tmp_path / "nowhere"), "10"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"no datasets in {tmp_path / 'nowhere'}" in err and "--datasets DIR" in err


def test_datasets_default_is_found_beside_a_parent_of_the_checkout(tmp_path, monkeypatch):
    found = tmp_path / "shared" / "datasets"
    found.mkdir(parents=True)
    monkeypatch.setattr(datasets, "REPO", tmp_path / "wt" / "branch")
    assert datasets.default_dir() == found


def test_search_table_of_our_site_alone_has_no_missing_figures():
    # `search_bench --site` measures only ours: the theme columns used to print nan.
    text = search_bench.table({"ours": {"search bytes, raw (KB)": 12.5}}, 3, "diffusion")
    assert "nan" not in text and "| metric | ours |" in text and "| 12.5 |" in text
    both = search_bench.table({"ours": {"m": 2.0}, "theme": {"m": 4.0}}, 3, "q")
    assert "| m | 2.0 | 4.0 | 0.50 |" in both


def test_benchmark_outputs_stay_out_of_the_repository():
    assert ".bench/" in (REPO / ".gitignore").read_text("utf-8").split()
    assert Path(datasets.__file__).parent == REPO / "benchmarks"
