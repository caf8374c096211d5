"""Issue forms and the pull-request template are well formed.

GitHub silently falls back to a blank issue when a form is invalid, so the rules GitHub
enforces on issue forms are checked here instead of discovered by a confused contributor.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import REPO

FORMS = sorted(p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml")
               if p.name != "config.yml")
INPUT_TYPES = {"input", "textarea", "dropdown", "checkboxes"}


def test_the_three_forms_exist():
    names = {yaml.safe_load(p.read_text("utf-8"))["name"] for p in FORMS}
    assert names == {"Correct a paper", "Add a paper", "Propose a tag"}


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_follows_githubs_rules(path):
    form = yaml.safe_load(path.read_text("utf-8"))
    assert form["name"] and form["description"]
    assert isinstance(form.get("labels", []), list)
    body = form["body"]
    assert any(item["type"] in INPUT_TYPES for item in body)
    ids = [item["id"] for item in body if "id" in item]
    assert len(ids) == len(set(ids))
    labels = []
    for item in body:
        assert item["type"] in INPUT_TYPES | {"markdown"}
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", item["id"])
        labels.append(item["attributes"]["label"])
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert options and len(options) == len(set(options))
    assert len(labels) == len(set(labels))


def test_pull_request_template_has_a_checklist():
    text = (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    items = re.findall(r"^- \[ \] .+", text, re.MULTILINE)
    assert len(items) >= 4
    assert any("python -m generator validate" in item for item in items)
