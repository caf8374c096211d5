"""The module graph follows the one-way flow: no module imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _imports(path: Path) -> set[str]:
    """Generator modules ``path`` imports anywhere (a deferred import is still a use)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "generator":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("generator."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("generator."))
    return found


def test_no_import_cycles():
    graph = {p.stem: _imports(p) for p in GENERATOR.glob("*.py")}
    graph = {name: {m for m in deps if m in graph and m != name} for name, deps in graph.items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", "import cycle: " + " -> ".join([*trail, name])
        state[name] = "open"
        for dep in sorted(graph[name]):
            visit(dep, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_the_model_knows_no_files_and_no_stage():
    """Every stage reads the model; the model reads none of them."""
    assert _imports(GENERATOR / "model.py") <= {"identity"}
    assert _imports(GENERATOR / "textrules.py") == set()
    assert _imports(GENERATOR / "layout.py") == set()


def test_the_architecture_doc_names_every_module():
    """The picture is drawn from the code: a module it does not name is a room nobody finds."""
    doc = (GENERATOR.parent / "docs" / "maintainers" / "architecture.md").read_text("utf-8")
    missing = [p.name for p in sorted(GENERATOR.glob("*.py"))
               if not p.name.startswith("__") and p.name not in doc]
    assert missing == []


def _constants(path: Path) -> dict[str, object]:
    """Module-level ``NAME = literal`` assignments of ``path`` (upper-case names)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) and node.value else [])
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue  # computed from another module's fact: taken, not restated
    return found


def test_no_two_modules_state_the_same_constant():
    """One name with one value in two modules is one fact with two homes, which drift.

    The description length (hooks, render) and the longest formula (mathml, mathtext)
    were each written out twice.
    """
    homes: dict[tuple[str, str], list[str]] = {}
    for path in sorted(GENERATOR.glob("*.py")):
        for name, value in _constants(path).items():
            homes.setdefault((name, repr(value)), []).append(path.name)
    assert {fact: where for fact, where in homes.items() if len(where) > 1} == {}


def test_every_home_the_architecture_doc_names_exists():
    """The table of homes names real modules and the names they define.

    A renamed function left the table pointing at nothing (``tagging.phrase_pattern``).
    """
    import importlib
    import re

    doc = (GENERATOR.parent / "docs" / "maintainers" / "architecture.md").read_text("utf-8")
    table = doc[doc.index("| fact |"):doc.index("Checked with grep")]
    missing = []
    for row in [line for line in table.splitlines()[2:] if line.startswith("|")]:
        home = row.strip("|").split("|")[1]
        modules = [importlib.import_module(f"generator.{m}")
                   for m in re.findall(r"`(\w+)\.py`", home)]
        for name in re.findall(r"`([A-Za-z_][\w.]*)`", home):
            if name.endswith((".py", ".json")):
                continue
            if "." in name:
                module, _, attr = name.partition(".")
                owners = [importlib.import_module(f"generator.{module}")]
            else:
                owners, attr = modules, name
            if not any(hasattr(owner, attr) for owner in owners):
                missing.append(name)
    assert missing == []
