"""The judged samples of related papers: disjoint draws, and an unjudged sample said so."""

from __future__ import annotations

import json

import yaml

from benchmarks import related_eval
from tests.conftest import REPO


def _seed_ids() -> list[str]:
    return [path.stem for path in (REPO / "archive" / "papers").glob("*.yml")]


def test_the_seed_samples_are_thirty_papers_each_and_disjoint() -> None:
    drawn = [set(related_eval.draw(_seed_ids(), name)) for name in related_eval.SEED_ARCHIVE_SETS]
    assert [len(ids) for ids in drawn] == [30] * len(drawn)
    assert len(set().union(*drawn)) == 30 * len(drawn)


def test_every_drawn_sample_has_its_entry_in_the_judgements_file() -> None:
    judged = yaml.safe_load(related_eval.JUDGED.read_text("utf-8"))["sets"]
    assert set(judged) == set(related_eval.DRAWS)


def test_an_empty_sample_is_reported_unjudged_and_a_half_judged_one_refused(
        tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "judged.yml"
    monkeypatch.setattr(related_eval, "JUDGED", path)
    path.write_text(yaml.safe_dump({"sets": {"tuning": {"judged": []}}}), "utf-8")
    assert related_eval.main(["--set", "tuning"]) == 0
    assert capsys.readouterr().out.strip() == "tuning: not judged yet"
    first = related_eval.draw(_seed_ids(), "tuning")[0]
    path.write_text(yaml.safe_dump({"sets": {"tuning": {"judged": [
        {"paper": first, "first_related_title": "", "same_topic": None}]}}}), "utf-8")
    assert related_eval.main(["--set", "tuning"]) == 2
    assert f"no same_topic for {first}" in capsys.readouterr().err


def test_the_blind_sheet_scores_each_version_on_the_pairs_it_chose(tmp_path, capsys) -> None:
    from benchmarks import related_sheet

    key = {"set": "held-out-3", "versions": ["current", "at abc"], "papers": 2,
           "entries": [{"number": 1, "paper": "p", "related": "q", "versions": ["current"]},
                       {"number": 2, "paper": "p", "related": "r", "versions": ["at abc"]},
                       {"number": 3, "paper": "s", "related": "t",
                        "versions": ["current", "at abc"]}],
           "no_related_paper": []}
    (tmp_path / "key.json").write_text(json.dumps(key), "utf-8")
    (tmp_path / "answers.txt").write_text("1 yes\n2 no\n\n3 YES\n", "utf-8")
    assert related_sheet.main(["--score", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "held-out-3: current: first related paper on the same topic for 2 of 2",
        "held-out-3: at abc: first related paper on the same topic for 1 of 2"]
    (tmp_path / "answers.txt").write_text("1 yes\n2 maybe\n", "utf-8")
    assert related_sheet.main(["--score", str(tmp_path)]) == 2
    assert "answers.txt:2: expected 'NUMBER yes|no'" in capsys.readouterr().err
    (tmp_path / "answers.txt").write_text("1 yes\n", "utf-8")
    assert related_sheet.main(["--score", str(tmp_path)]) == 2
    assert "no answer for 2, 3" in capsys.readouterr().err
