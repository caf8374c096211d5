"""The generate cache: nothing changed, nothing done; one change, only what shows it redone."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cache as cache_module
from generator import parallel, records, render, site
from generator.cache import Cache
from generator.site import generate
from tests.conftest import copy_fixture_archive

#: Pages rendered on every run that does any work: they show archive-wide counts.
KEYLESS = {"index.md", "papers/index.md", "tags/index.md", "months/index.md",
           "tags/graph-networks.md"}


class Counter:
    """Counts, per run, the pages rendered, the records parsed and the search builds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rendered: set[str] = set()
        self.parsed: list[str] = []
        self.searches = 0
        plan_site, load_paper, search_contents = render.plan_site, records.load_paper, \
            site.search_contents

        def counted_plans(archive, index=None):
            return [render.PagePlan(plan.path, plan.key, self._counted(plan))
                    for plan in plan_site(archive, index)]

        def counted_load(path, *args, **kwargs):
            self.parsed.append(path.name)
            return load_paper(path, *args, **kwargs)

        def counted_search(*args, **kwargs):
            self.searches += 1
            return search_contents(*args, **kwargs)

        monkeypatch.setattr(site, "plan_site", counted_plans)
        monkeypatch.setattr("generator.archive.load_paper", counted_load)
        monkeypatch.setattr(site, "search_contents", counted_search)
        # Counted in this process: a child (related papers, search) would count in its own.
        monkeypatch.setattr(parallel, "can_fork", lambda: False)

    def _counted(self, plan: render.PagePlan):
        def make():
            self.rendered.add(plan.path)
            return plan.make()
        return make

    def reset(self) -> None:
        self.rendered, self.parsed, self.searches = set(), [], 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = copy_fixture_archive(tmp_path / "archive")
    (tmp_path / "CONTRIBUTING.md").write_text("# Contributing\n")
    cache_dir = tmp_path / "cache"
    counter = Counter(monkeypatch)

    def run():
        counter.reset()
        return generate(archive, tmp_path / "docs", tmp_path,
                        cache=Cache.open(tmp_path / "docs", cache_dir))

    return archive, tmp_path / "docs", run, counter


def test_nothing_changed_renders_parses_and_indexes_nothing(project) -> None:
    _archive, _docs, run, counter = project
    first = run()
    assert counter.rendered and counter.searches == 1 and len(counter.parsed) == 6
    second = run()
    assert (counter.rendered, counter.parsed, counter.searches) == (set(), [], 0)
    assert second.written == [] and second.pages == first.pages
    assert second.summary().startswith(
        f"{first.pages} pages and {first.data_files} feed and data files for 6 papers")


def test_a_changed_record_rerenders_only_the_pages_that_show_it(project) -> None:
    archive, docs, run, counter = project
    run()
    record = archive / "papers" / "zero-shot-probabilistic-graphs.yml"
    record.write_text(record.read_text().replace("abstract: |-\n  ", "abstract: |-\n  Revised. "))
    run()
    assert counter.parsed == ["zero-shot-probabilistic-graphs.yml"]
    # Its page and the listings that show its teaser; its neighbours show only its title.
    tags = {f"tags/{t}.md" for t in ("graph-learning", "probabilistic", "hostile-tag")}
    assert counter.rendered == KEYLESS | {"papers/zero-shot-probabilistic-graphs.md"} | tags
    assert counter.searches == 1
    assert "Revised." in (docs / "papers" / "zero-shot-probabilistic-graphs.md").read_text()


def test_a_changed_tag_description_rerenders_only_its_tag_pages(project) -> None:
    archive, _docs, run, counter = project
    run()
    tags = archive / "tags.yml"
    tags.write_text(tags.read_text().replace("Attention-based sequence models.",
                                             "Models built on attention."))
    run()
    assert counter.parsed == []  # the records are the same: their papers come from the cache
    assert counter.rendered == KEYLESS | {"tags/transformers.md"}
    assert counter.searches == 1  # the index carries the vocabulary


def test_a_new_generator_version_rerenders_everything(project, monkeypatch) -> None:
    _archive, _docs, run, counter = project
    first = run()
    everything = set(counter.rendered)
    monkeypatch.setattr(cache_module, "generator_version", lambda: "another template")
    run()
    assert counter.rendered == everything and len(counter.parsed) == 6
    assert counter.searches == 1
    # all but the contributing guide (copied) and the statistics page (no plan)
    assert len(everything) == first.pages - 2


def test_a_page_edited_by_hand_is_rendered_again(project) -> None:
    _archive, docs, run, counter = project
    run()
    page = docs / "papers" / "attention-on-graphs.md"
    page.write_text("edited\n")
    run()
    assert "papers/attention-on-graphs.md" in counter.rendered
    assert page.read_text().startswith("---\n")


def test_a_problem_in_a_cached_record_is_reported_at_its_real_line(project) -> None:
    archive, _docs, run, _counter = project
    run()
    tags = archive / "tags.yml"
    tags.write_text(tags.read_text().replace("id: transformers", "id: sequence-models"))
    with pytest.raises(site.ArchiveProblems) as caught:
        run()
    lines = {str(p) for p in caught.value.problems if "transformers" in p.message}
    assert "archive/papers/attention-on-graphs.yml:6: tags.1: unknown tag 'transformers'" \
        in lines


def test_cached_papers_are_the_papers_the_records_load_as(project, tmp_path) -> None:
    archive, docs, run, _counter = project
    run()
    cache = Cache.open(docs, tmp_path / "cache")
    inputs = cache.scan(archive, tmp_path)
    reuse = cache.reuse(inputs)
    fresh, _ = site.load_archive(archive)
    assert [reuse(archive / "papers" / f"{p.id}.yml") for p in fresh.papers] == \
        list(fresh.papers)


def test_no_cache_renders_everything_to_the_same_pages(tmp_path, monkeypatch) -> None:
    from generator.cli import main

    copy_fixture_archive(tmp_path / "archive")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAPER_ARCHIVE_CACHE", str(tmp_path / "cache"))
    assert main(["generate"]) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "docs").rglob("*") if p.is_file()}
    counter = Counter(monkeypatch)
    assert main(["generate", "--no-cache"]) == 0
    assert len(counter.parsed) == 6 and counter.searches == 1
    assert {p: p.read_bytes() for p in (tmp_path / "docs").rglob("*") if p.is_file()} == before


def test_an_unwritable_cache_folder_only_costs_a_full_run(tmp_path) -> None:
    archive = copy_fixture_archive(tmp_path / "archive")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n")
    report = generate(archive, tmp_path / "docs", tmp_path, cache=Cache.open(
        tmp_path / "docs", blocked / "cache"))
    assert report.pages and (tmp_path / "docs" / "index.md").is_file()
