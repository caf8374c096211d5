"""The search as a reader uses it: Chromium through Playwright against the built site.

The site is built once per session (fixtures in conftest.py) and served on 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]

RESULT = ".pa-searchbox__panel .pa-result"
PAGE_RESULT = ".pa-page__results .pa-result"


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def test_header_box_finds_diffusion_papers_and_opens_one(page, site_server: str) -> None:
    page.goto(site_server + "papers/")
    page.fill("#pa-search-input", "diffusion")
    page.wait_for_selector(RESULT)
    titles = page.locator(RESULT + " .pa-result__title").all_text_contents()
    assert titles and all(titles[:3]) and "diffusion" in titles[0].lower()
    assert page.locator(RESULT + " mark").first.text_content().lower().startswith("diffusion")
    first = page.locator(RESULT).first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r".*/papers/[a-z0-9-]+/$"))
    assert page.url == href
    assert page.locator("h1").first.text_content().strip() == titles[0]
    assert not page.errors


def test_keyboard_slash_arrows_enter_escape(page, site_server: str) -> None:
    page.goto(site_server)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "pa-search-input"
    page.keyboard.type("forecasting")
    page.wait_for_selector(RESULT)
    page.keyboard.press("Escape")
    # Escape closes the panel; under load the browser may need a moment to paint that.
    page.wait_for_selector("#pa-search-panel", state="hidden", timeout=5000)
    page.keyboard.type(" ")
    page.wait_for_selector(RESULT)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = page.locator(RESULT).nth(1).get_attribute("href")
    assert page.locator(RESULT).nth(1).get_attribute("aria-selected") == "true"
    # the screen reader hears the selected option, and only options are in the listbox
    selected = page.locator(RESULT).nth(1).get_attribute("id")
    assert page.locator("#pa-search-input").get_attribute("aria-activedescendant") == selected
    assert page.locator("[role=listbox] > :not([role=option])").count() == 0
    page.keyboard.press("Enter")
    page.wait_for_url(target)


#: Counts, in the page, lunr index builds and loads as soon as lunr.js defines window.lunr.
COUNT_LUNR = """
Object.defineProperty(window, "lunr", {configurable: true, get() { return this.__lunr; },
  set(lunr) {
    window.__counts = {build: 0, load: 0};
    const build = lunr.Builder.prototype.build, load = lunr.Index.load;
    lunr.Builder.prototype.build = function () {
      __counts.build++; return build.apply(this, arguments); };
    lunr.Index.load = function () { __counts.load++; return load.apply(this, arguments); };
    this.__lunr = lunr;
  }});
"""


def test_the_site_has_one_search_fed_by_the_prebuilt_index(page, site_server: str,
                                                            built_site: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(COUNT_LUNR)
    page.goto(site_server)
    assert page.locator("#pa-search-input").count() == 1
    assert page.locator(".md-search").count() == 0
    actions = page.locator("form[role=search]").evaluate_all("fs => fs.map(f => f.action)")
    assert actions and set(actions) == {site_server + "search/"}
    assert not (built_site / "search" / "search_index.json").exists()
    # A reader cannot type before the page has painted; on a loaded machine the paint can
    # come after the load event that goto() waits for.
    page.wait_for_function(
        "performance.getEntriesByName('first-contentful-paint').length > 0")
    page.fill("#pa-search-input", "transformer")
    page.wait_for_selector(RESULT)
    fetched = [url for url in requests if "/search/index/" in url]
    assert any(url.endswith("/manifest.json") for url in fetched)
    assert any(url.endswith("/lunr.js") for url in fetched)
    assert page.evaluate("window.__counts") == {"build": 0, "load": 1}
    # lazily: nothing of the search was requested before the page had painted
    first_fetch, first_paint = page.evaluate("""() => [
        Math.min(...performance.getEntriesByType("resource")
            .filter(e => e.name.includes("/search/index/")).map(e => e.startTime)),
        performance.getEntriesByName("first-contentful-paint")[0].startTime]""")
    assert first_fetch > first_paint


def test_search_page_filters_by_tag_and_counts_facets(page, fixture_server: str) -> None:
    page.goto(fixture_server + "search/?q=graphs&tag=probabilistic")
    page.wait_for_selector(PAGE_RESULT)
    titles = page.locator(PAGE_RESULT + " .pa-result__title").all_text_contents()
    assert "Zero-Shot Probabilistic Graphs" in titles
    assert "Attention on Graphs" not in titles
    assert page.locator(".pa-page__results a button").count() == 0  # no button inside a link
    facet = page.locator(".pa-facet[data-tag=probabilistic]")
    assert facet.get_attribute("aria-pressed") == "true"
    assert int(facet.locator(".pa-facet__count").text_content()) == len(titles)
    facet.click()  # clear the tag filter
    page.wait_for_function("!location.search.includes('tag=')")
    page.wait_for_function(
        f"document.querySelectorAll('{PAGE_RESULT}').length > {len(titles)}")
    counts = {
        b.get_attribute("data-tag"): int(b.locator(".pa-facet__count").text_content())
        for b in page.locator(".pa-facet").all()
    }
    assert counts["graph-learning"] >= 2 and "unused" not in counts
    page.locator(".pa-facet[data-tag=vision]").click()
    page.wait_for_function("location.search.includes('tag=vision')")
    assert page.url.endswith("search/?q=graphs&tag=vision")


def test_search_page_has_code_filter_and_empty_state(page, fixture_server: str) -> None:
    page.goto(fixture_server + "search/?q=graphs&code=1")
    page.wait_for_selector(PAGE_RESULT)
    titles = page.locator(PAGE_RESULT + " .pa-result__title").all_text_contents()
    assert "Attention on Graphs" in titles and "Zero-Shot Probabilistic Graphs" not in titles
    page.fill("#pa-page-input", "zzzqqq")
    page.wait_for_selector(".pa-page__empty")
    assert "No papers match \u201czzzqqq\u201d" in page.locator(".pa-page__empty").text_content()
    assert page.locator(".pa-page__empty a", has_text="tags").get_attribute(
        "href").endswith("/tags/")


def test_malformed_query_falls_back_instead_of_breaking(page, fixture_server: str) -> None:
    page.goto(fixture_server + "search/?q=" + "graphs%20title%3A")
    page.wait_for_selector(PAGE_RESULT)
    assert "not understood" in page.locator(".pa-page__status").text_content()
    assert not page.errors


def test_hostile_record_text_stays_text(page, fixture_server: str) -> None:
    page.goto(fixture_server)
    page.fill("#pa-search-input", "alert")
    page.wait_for_selector(RESULT)
    titles = page.locator(RESULT + " .pa-result__title").all_text_contents()
    assert any("<script>alert('title')</script>" in t for t in titles)
    assert page.locator(".pa-searchbox__panel script, .pa-searchbox__panel img").count() == 0
    page.goto(fixture_server + "search/?q=evil")
    page.wait_for_selector(PAGE_RESULT)
    chips = page.locator(PAGE_RESULT + " .pa-chip").all_text_contents()
    assert any(c.startswith("<img src=x onerror=alert('tag')>") for c in chips)
    assert page.locator(".pa-page img").count() == 0
    page.wait_for_timeout(200)
    assert page.dialogs == []


def test_search_page_without_javascript_links_to_tags_and_a_z(browser,
                                                                fixture_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(fixture_server + "search/?q=graphs")
        # the form is painted at once (no shift when scripts run), and says why it is idle
        assert "Search needs JavaScript" in page.locator("article").inner_text()
        assert page.locator(".pa-page__filter-toggle").is_hidden()
        hrefs = page.locator("article a").evaluate_all("els => els.map(a => a.href)")
        assert fixture_server + "tags/" in hrefs and fixture_server + "papers/" in hrefs
    finally:
        context.close()


def test_search_page_shows_results_a_page_at_a_time(page, site_server: str) -> None:
    page.goto(site_server + "search/?q=model")
    page.wait_for_selector(PAGE_RESULT)
    total = int(page.locator(".pa-page__status").text_content().split()[0])
    first = page.locator(PAGE_RESULT).count()
    assert first < total
    more = page.locator(".pa-page__more")
    assert f"{total - first} left" in more.text_content()
    more.click()
    page.wait_for_function(
        f"document.querySelectorAll('{PAGE_RESULT}').length > {first}")
    titles = page.locator(PAGE_RESULT + " a.pa-result__title")
    assert page.evaluate("document.activeElement.href") == titles.nth(first).evaluate(
        "a => a.href")
    hrefs = titles.evaluate_all("els => els.map(a => a.href)")
    assert len(hrefs) == len(set(hrefs)) == min(total, 2 * first)
    assert not page.errors


def test_a_query_of_only_exclusions_lists_every_other_paper(page, fixture_server: str) -> None:
    page.goto(fixture_server + "search/?q=-graphs")
    page.wait_for_selector(PAGE_RESULT)
    assert "only excludes" in page.locator(".pa-page__status").text_content()
    titles = page.locator(PAGE_RESULT + " .pa-result__title").all_text_contents()
    assert titles and not any("graphs" in t.lower() for t in titles)


@pytest.mark.parametrize("pasted", ["2402.05678", "arXiv:2402.05678v2",
                                    "https://arxiv.org/abs/2402.05678"])
def test_a_pasted_arxiv_id_finds_its_paper_in_the_box_and_on_the_page(
        page, fixture_server: str, pasted: str) -> None:
    page.goto(fixture_server)
    page.fill("#pa-search-input", pasted)
    page.wait_for_selector(RESULT)
    assert page.locator(RESULT).first.locator(".pa-result__title").text_content() == \
        "Attention on Graphs"
    page.goto(fixture_server + "search/?q=" + pasted.replace(":", "%3A").replace("/", "%2F"))
    page.wait_for_selector(PAGE_RESULT)
    assert page.locator(PAGE_RESULT).first.locator(".pa-result__title").text_content() == \
        "Attention on Graphs"
    assert page.locator(".pa-page__status").text_content().startswith("1 paper")


def test_a_whole_author_name_ranks_and_shows_that_author(page, fixture_server: str) -> None:
    """Grace Hopper is the eighth author: the byline stops at three, so the match is added."""
    page.goto(fixture_server + "search/?q=grace%20hopper")
    page.wait_for_selector(PAGE_RESULT)
    first = page.locator(PAGE_RESULT).first
    assert first.locator(".pa-result__title").text_content() == "Attention on Graphs"
    authors = first.locator(".pa-result__authors")
    assert "et al." in authors.text_content()
    assert authors.locator("mark").text_content() == "Grace Hopper"


def test_a_quoted_author_is_one_whole_author_in_that_field(page, fixture_server: str) -> None:
    """A quoted author is one author of that name, words in order, in that field only.

    `author:"Wei Liu"` found titles with "Liu" in them: the quotes were dropped and the
    second word searched every field.
    """
    page.goto(fixture_server + "search/?q=" + quote('author:"Grace Hopper"'))
    page.wait_for_selector(PAGE_RESULT)
    titles = page.locator(PAGE_RESULT + " .pa-result__title").all_text_contents()
    assert titles == ["Attention on Graphs"]
    assert page.locator(PAGE_RESULT + " .pa-result__authors mark").text_content() == "Grace Hopper"
    # a title word, two authors' names, the name backwards: none is that one author
    for query in ('author:"Grace Graphs"', 'author:"Mary Mirzakhani"', 'author:"Hopper Grace"'):
        page.goto(fixture_server + "search/?q=" + quote(query))
        page.wait_for_selector(".pa-page__empty")
        assert page.locator(PAGE_RESULT).count() == 0, query
    # The header box, quote still open (off the search page: there it drives the page).
    page.goto(fixture_server + "papers/")
    page.fill("#pa-search-input", 'author:"grace hopper')
    page.wait_for_selector(RESULT)
    assert page.locator(RESULT + " .pa-result__title").all_text_contents() == \
        ["Attention on Graphs"]
    assert page.errors == []


def test_a_hostile_query_that_finds_nothing_stays_text(page, fixture_server: str) -> None:
    query = 'author:"<img src=x onerror=alert(1)><script>alert(2)</script> zzqq"'
    page.goto(fixture_server + "search/?q=" + quote(query))
    page.wait_for_selector(".pa-page__empty")
    assert query in page.locator(".pa-page__empty").text_content()
    assert page.locator(".pa-page img, .pa-page script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []


def test_back_undoes_a_filter_and_forward_redoes_it(page, fixture_server: str) -> None:
    page.goto(fixture_server + "search/?q=graphs")
    page.wait_for_selector(".pa-facet")
    before = page.locator(".pa-page__status").text_content()
    facet = page.locator(".pa-facet[data-tag]").first
    tag = facet.get_attribute("data-tag")
    facet.click()
    page.wait_for_function(f"location.search.includes('tag={tag}')")
    page.wait_for_selector(f".pa-facet[data-tag='{tag}'][aria-pressed=true]")
    page.go_back()
    page.wait_for_function("!location.search.includes('tag=')")
    page.wait_for_selector(f".pa-facet[data-tag='{tag}'][aria-pressed=false]")
    assert page.locator(".pa-page__status").text_content() == before
    assert "/search/" in page.url and "q=graphs" in page.url
    page.go_forward()
    page.wait_for_selector(f".pa-facet[data-tag='{tag}'][aria-pressed=true]")
    assert page.errors == []


def test_the_slash_hint_is_only_offered_with_a_keyboard(browser, fixture_server: str) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    try:
        tab = phone.new_page()
        tab.goto(fixture_server)
        tab.wait_for_load_state("load")
        assert tab.locator("#pa-search-input").get_attribute("placeholder") == "Search papers"
    finally:
        phone.close()
    desk = browser.new_context()
    try:
        tab = desk.new_page()
        tab.goto(fixture_server)
        tab.wait_for_function("document.querySelector('#pa-search-input').placeholder"
                              ".includes('/')")
    finally:
        desk.close()
