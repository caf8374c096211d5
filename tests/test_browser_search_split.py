"""The header box over a split index (issue 16): what a large archive's search fetches when.

The seed archive's index is one shard, fetched whole on intent.  An archive of thousands of
papers is split into shards fetched per query; these tests rebuild the seed site's index
split into many small shards (the same code path as 50,000 papers, in a test's time) and
hold chosen shard requests in Playwright, so what shows while a shard is on its way is a
behaviour the test controls, never a race it times.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.archive import load_archive
from generator.search import LUNR_JS, MANIFEST, SEARCH_DIR, build_search
from tests.conftest import ARCHIVE
from tests.serving import serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

RESULT = ".pa-searchbox__panel .pa-result"
PANEL = "#pa-search-panel"
PAPER = "papers/diffusion-world-model/"


@pytest.fixture(scope="module")
def split_server(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed site with its search index split into many shards and document chunks."""
    site = tmp_path_factory.mktemp("split") / "site"
    shutil.copytree(built_site, site)
    index = site / SEARCH_DIR
    for old in index.iterdir():
        if old.name != LUNR_JS:
            old.unlink()
    archive, problems = load_archive(ARCHIVE)
    assert not [p for p in problems if not p.warning]
    for name, text in build_search(archive, shard_bytes=2000, docs_per_chunk=4).files.items():
        (index / name).write_text(text, encoding="utf-8")
    assert len(json.loads((index / MANIFEST).read_text(encoding="utf-8"))["shards"]) > 20
    with serve(site) as url:
        yield url


def _shard_count(page) -> int:
    return page.evaluate("""fetch('../../search/index/manifest.json')
        .then(r => r.json()).then(m => m.shards.length)""")


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


class Shards:
    """Shard requests, let through until ``hold`` is set, then kept until ``release()``."""

    def __init__(self, page) -> None:
        self.hold = False
        self.held: list = []
        self.asked: list[str] = []
        page.route("**/search/index/i-*.json", self._route)

    def _route(self, route) -> None:
        self.asked.append(route.request.url)
        if self.hold:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.hold = False
        while self.held:
            self.held.pop().continue_()


def _until(page, condition, seconds: float = 20) -> None:
    """Let the page run (and Playwright dispatch its routes) until ``condition()`` holds."""
    for _ in range(int(seconds * 50)):
        if condition():
            return
        page.wait_for_timeout(20)
    raise AssertionError("timed out")


def _settled(page, query: str) -> None:
    """Wait until the box shows the results of ``query`` itself, not of a shorter one."""
    page.wait_for_function(
        """q => { const p = document.querySelector('#pa-search-panel'),
                        more = p.querySelector('.pa-searchbox__more');
                  return !p.hidden && !p.hasAttribute('aria-busy') && more &&
                         new URL(more.href).searchParams.get('q') === q; }""", arg=query)


def test_focus_loads_the_engine_and_the_first_keystrokes_find_results(page,
                                                                     split_server) -> None:
    """Focus alone fetches lunr.js and the manifest, no shard; typing right after it works.

    The box ends on the whole query's results, having fetched a few of the shards.
    """
    shards = Shards(page)
    page.goto(split_server + PAPER, wait_until="networkidle")
    assert not shards.asked
    page.focus("#pa-search-input")
    page.wait_for_function("""performance.getEntriesByType('resource').some(e =>
        e.name.endsWith('/search/index/manifest.json')) && !!window.lunr""")
    assert not shards.asked
    page.keyboard.type("diffusion", delay=40)
    page.wait_for_selector(RESULT)
    _settled(page, "diffusion")
    assert "diffusion" in page.locator(RESULT).first.text_content().lower()
    assert len(set(shards.asked)) < _shard_count(page) / 4
    assert not page.errors


def test_one_letter_is_searched_only_when_its_word_is_rare(page, split_server) -> None:
    """`n` has 19 postings in the seed: searched under the default bound, not under 18.

    (The letter `n` of `O(n)`, `N-gram` ...; `s` of "model's" was the example until an
    apostrophe joined the word: at 47,714 papers it was in 11,099, past
    Engine.LETTER_POSTINGS.)
    """
    page.goto(split_server + PAPER, wait_until="networkidle")
    page.focus("#pa-search-input")
    page.keyboard.type("n")
    page.wait_for_selector(RESULT)
    page.keyboard.press("Backspace")
    page.wait_for_selector(PANEL, state="hidden")
    page.evaluate("PaperSearch.Engine.LETTER_POSTINGS = 18")
    page.keyboard.type("n")   # its shard is in already: the bound alone decides
    page.wait_for_timeout(300)
    assert page.locator(PANEL).is_hidden()
    page.keyboard.type("eural")
    _settled(page, "neural")
    assert not page.errors


def _longer_query_waiting(page, split_server: str) -> Shards:
    """"diffusion" typed and answered, then " video" typed with its shard held back.

    The longer query needs a shard of its own; it waits until :meth:`Shards.release`.
    """
    shards = Shards(page)
    page.goto(split_server + PAPER, wait_until="networkidle")
    page.focus("#pa-search-input")
    page.keyboard.type("diffusion")
    _settled(page, "diffusion")
    shards.hold = True
    page.keyboard.type(" video")
    _until(page, lambda: bool(shards.held))
    return shards


def test_results_so_far_stay_while_a_longer_query_loads(page, split_server) -> None:
    """While the shard of a word typed on is on its way, the first word's results stay.

    They are marked busy; the longer query's results replace them when the shard arrives.
    """
    shards = _longer_query_waiting(page, split_server)
    page.wait_for_timeout(200)
    assert page.locator(PANEL).get_attribute("aria-busy") == "true"
    assert page.locator(RESULT).count() > 0
    assert page.locator("#pa-search-input").input_value() == "diffusion video"
    shards.release()
    _settled(page, "diffusion video")
    assert "video" in page.locator(RESULT).first.text_content().lower()
    assert not page.errors


def test_a_query_arriving_after_escape_does_not_reopen_the_box(page, split_server) -> None:
    shards = _longer_query_waiting(page, split_server)
    page.keyboard.press("Escape")
    assert page.locator(PANEL).is_hidden()
    shards.release()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.locator(PANEL).is_hidden()
    page.keyboard.type(" model")
    _settled(page, "diffusion video model")
    assert not page.errors
