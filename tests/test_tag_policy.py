"""The tagging policy in validate, new and the schema (generator/tagpolicy.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.archive import load_archive
from generator.cli import main
from generator.tagpolicy import PolicyError, load_policy
from tests.conftest import set_tag_policy

ABSTRACT = ("We study sorting networks as fixed circuits and count their comparators for "
            "small inputs, with exhaustive search over all candidate networks.")


def _set_tags(root: Path, paper_id: str, tags: list[str]) -> Path:
    path = root / "papers" / f"{paper_id}.yml"
    text = path.read_text(encoding="utf-8")
    block = "tags:\n" + "".join(f'  - "{t}"\n' for t in tags) if tags else "tags: []\n"
    text = re.sub(r"^tags:.*?(?=^links:)", block, text, count=1, flags=re.M | re.S)
    path.write_text(text, encoding="utf-8")
    return path


def _first_paper(root: Path) -> str:
    return sorted((root / "papers").glob("*.yml"))[0].stem


def _no_short_records(root: Path) -> None:
    """Give the seed copy's records with fewer than 2 tags two, so counts start at none.

    The committed seed keeps some papers on the one tag the tagger finds (a warning);
    these tests count the warnings of the records they change.
    """
    archive, _ = load_archive(root)
    ids = [t.id for t in archive.vocabulary.tags if not t.parent]  # no parent to add
    short = [p.id for p in archive.papers if len(p.tags) < 2]
    for k, paper_id in enumerate(short):  # a different pair each, so no tag grows too broad
        at = 2 * k % (len(ids) - 1)
        _set_tags(root, paper_id, ids[at:at + 2])


def test_policy_numbers_live_in_the_schema(seed_archive: Path) -> None:
    schema = json.loads((seed_archive / "schema" / "tags.schema.json").read_text("utf-8"))
    stated = schema["x-tag-policy"]
    policy = load_policy(seed_archive)
    assert (policy.min_tags, policy.max_tags, policy.min_papers_per_tag, policy.max_tag_share) \
        == (stated["minTagsPerPaper"], stated["maxTagsPerPaper"], stated["minPapersPerTag"],
            stated["maxTagShare"])
    set_tag_policy(seed_archive, maxTagsPerPaper=4)
    assert load_policy(seed_archive).max_tags == 4


@pytest.mark.parametrize(("tags", "message", "status"), [
    (["time-series"], "warning: 1 tag(s): a paper should have at least 2", 0),
    ([], "warning: 0 tag(s): a paper should have at least 2 (add 2", 0),
    (["language-models", "reasoning", "agents", "multimodal", "images", "video", "code"],
     "7 tags: a paper may have at most 6 (drop 1)", 1),
    (["time-series", "language-models"], "not in vocabulary order", 1),
])
def test_validate_reports_tag_counts_and_order_at_the_record_line(seed_archive: Path, capsys,
                                                                  tags, message,
                                                                  status) -> None:
    """Too few tags is a warning (the status stays 0), too many or out of order an error."""
    _no_short_records(seed_archive)
    paper_id = _first_paper(seed_archive)
    _set_tags(seed_archive, paper_id, tags)
    assert main(["validate", "--root", str(seed_archive)]) == status
    lines = [ln for ln in capsys.readouterr().out.splitlines() if message in ln]
    assert len(lines) == 1
    assert re.match(rf"^(archive/)?papers/{paper_id}\.yml:\d+: tags: ", lines[0]), lines[0]


def test_papers_with_too_few_tags_still_build_and_validate_caps_the_list(
        seed_archive: Path, tmp_path: Path, capsys) -> None:
    """An import of real papers leaves some with one tag: the site must still generate."""
    _no_short_records(seed_archive)
    ids = sorted(p.stem for p in (seed_archive / "papers").glob("*.yml"))[:25]
    for paper_id in ids:
        _set_tags(seed_archive, paper_id, ["time-series"])
    assert main(["validate", "--root", str(seed_archive)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count(": tags: warning: 1 tag(s)") == 20
    assert "... and 5 more warning(s)" in captured.err
    assert "25 warning(s)" in captured.err
    assert main(["validate", "--root", str(seed_archive), "--max-warnings", "-1"]) == 0
    assert capsys.readouterr().out.count(": tags: warning: ") == 25
    archive, problems = load_archive(seed_archive)
    assert problems == [] and len(archive.papers) == 262
    warnings: list = []
    load_archive(seed_archive, warnings=warnings)
    assert len(warnings) == 25 and all(w.warning for w in warnings)


def test_validate_warns_of_a_too_broad_tag_at_its_line_in_tags_yml(seed_archive: Path,
                                                                  capsys) -> None:
    """An archive-wide limit is a warning: it is about the vocabulary, not a record."""
    set_tag_policy(seed_archive, maxTagShare=0.05)
    assert main(["validate", "--root", str(seed_archive)]) == 0
    out = capsys.readouterr().out
    hit = [ln for ln in out.splitlines() if "over the 5% limit" in ln]
    assert hit and all(": warning: tag '" in ln for ln in hit)
    path, line, field = hit[0].split(":")[:3]
    assert path.endswith("tags.yml") and re.fullmatch(r" tags\.\d+\.id", field)
    tag_id = re.search(r"tag '([^']+)'", hit[0]).group(1)
    assert f'id: "{tag_id}"' in (seed_archive / "tags.yml").read_text("utf-8").splitlines()[
        int(line) - 1]


def test_thin_tags_are_warned_of_only_in_a_large_archive(seed_archive: Path,
                                                         capsys) -> None:
    warnings: list = []
    _, problems = load_archive(seed_archive, warnings=warnings)
    assert problems == []  # the seed has thin tags, but only 262 papers
    assert not [w for w in warnings if w.path.endswith("tags.yml")]
    set_tag_policy(seed_archive, rareFromPapers=100)
    # Listed first (before the papers with one tag), however few warnings are shown.
    assert main(["validate", "--root", str(seed_archive), "--max-warnings", "1"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"(archive/)?tags\.yml:\d+: tags\.\d+\.id: warning: tag "
                        r"'[a-z0-9-]+' has \d paper\(s\), fewer than 3: .*\n", out)
    assert main(["tags", "report", "--root", str(seed_archive)]) == 1  # the maintainer's tool


def test_a_schema_without_the_policy_is_reported(seed_archive: Path, capsys) -> None:
    path = seed_archive / "schema" / "tags.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    del schema["x-tag-policy"]
    path.write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(PolicyError):
        load_policy(seed_archive)
    assert main(["validate", "--root", str(seed_archive)]) == 1
    assert "schema/tags.schema.json:1: x-tag-policy: missing" in capsys.readouterr().out


def test_policy_problems_become_github_annotations(seed_archive: Path, capsys) -> None:
    paper_id = _first_paper(seed_archive)
    _set_tags(seed_archive, paper_id, ["time-series", "language-models"])
    assert main(["validate", "--root", str(seed_archive), "--format", "github"]) == 1
    out = capsys.readouterr().out
    pattern = (rf"^::error file=(archive/)?papers/{paper_id}\.yml,line=\d+,title=tags::"
               "not in vocabulary order")
    assert re.search(pattern, out, re.M)
    _set_tags(seed_archive, paper_id, ["time-series"])
    assert main(["validate", "--root", str(seed_archive), "--format", "github"]) == 0
    out = capsys.readouterr().out
    pattern = (rf"^::warning file=(archive/)?papers/{paper_id}\.yml,line=\d+,title=tags::"
               r"1 tag\(s\)")
    assert re.search(pattern, out, re.M)


def _new(root: Path, tmp_path: Path, *extra: str) -> int:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT, encoding="utf-8")
    return main(["new", "--root", str(root), "--title", "Optimal Sorting Networks Revisited",
                 "--abstract-file", str(abstract), "--date", "2025-01-02", *extra])


def test_new_refuses_too_few_tags_and_says_what_to_add(seed_archive: Path, tmp_path: Path,
                                                       capsys) -> None:
    before = sorted(p.name for p in (seed_archive / "papers").iterdir())
    assert _new(seed_archive, tmp_path) == 1
    err = capsys.readouterr().err
    assert "a paper needs at least 2: add" in err and "--tag ID" in err and "--force" in err
    assert "nothing was written" in err
    assert _new(seed_archive, tmp_path, "--tag", "no-such-tag") == 1
    assert "'no-such-tag' is not in archive/tags.yml" in capsys.readouterr().err
    assert sorted(p.name for p in (seed_archive / "papers").iterdir()) == before


def test_new_takes_tags_by_hand_and_the_record_validates(seed_archive: Path, tmp_path: Path,
                                                         capsys) -> None:
    assert _new(seed_archive, tmp_path, "--tag", "search-and-planning", "--tag",
                "algorithms-with-predictions") == 0
    archive, problems = load_archive(seed_archive)
    assert problems == []
    paper = archive.paper("optimal-sorting-networks-revisited")
    assert set(paper.tags) >= {"search-and-planning", "algorithms-with-predictions"}


def test_new_with_force_writes_and_validate_then_reports_it(seed_archive: Path,
                                                            tmp_path: Path, capsys) -> None:
    _no_short_records(seed_archive)
    assert _new(seed_archive, tmp_path, "--force") == 0
    capsys.readouterr()
    assert main(["validate", "--root", str(seed_archive)]) == 0  # too few tags: a warning
    out = capsys.readouterr().out
    assert re.search(r"papers/optimal-sorting-networks-revisited\.yml:\d+: tags: warning: ", out)
