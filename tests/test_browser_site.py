"""Browser tests: Debian's Chromium through Playwright, on sites served from 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.html_tools import OUTSIDE_COLUMN

pytestmark = pytest.mark.browser

HOSTILE_TITLE = ("A <b> & \"q\" <script>alert('title')</script> <img src=x onerror=alert('img')> "
                 "{{ config.site_name }} {onclick=alert('attr')}")


class Watched:
    """A page plus everything it tried: dialogs opened and hosts contacted."""

    def __init__(self, browser, **context) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.context.close()


def test_home_to_tag_to_paper(watched: Watched, fixture_server: str) -> None:
    page = watched.page
    page.goto(fixture_server)
    assert page.locator("article h1").inner_text() == "Paper archive"
    page.locator(".pa-home a.pa-chip", has_text="Graph learning").click()
    page.wait_for_url("**/tags/graph-learning/")
    assert page.locator("article h1").inner_text() == "Graph learning"
    page.locator(".pa-list a", has_text="Attention on Graphs").click()
    page.wait_for_url("**/papers/attention-on-graphs/")
    assert page.locator("article h1").inner_text() == "Attention on Graphs"
    assert page.locator(".pa-paper a.pa-chip").all_inner_texts() == ["Graph learning",
                                                                    "Transformers"]
    maths = page.locator(".pa-abstract math")
    assert maths.count() == 3
    box = maths.first.bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    assert page.locator("a.md-button", has_text="Code").get_attribute("href") == \
        "https://github.com/example/attention-on-graphs"
    assert watched.dialogs == []
    assert watched.hosts == {urlsplit(fixture_server).netloc}


def test_hostile_page_fires_nothing_and_shows_text(watched: Watched,
                                                   fixture_server: str) -> None:
    page = watched.page
    page.goto(fixture_server + "papers/hostile-record/")
    page.wait_for_load_state("load")
    for link in page.locator(".pa-abstract a, .pa-links a").all():
        link.hover()
    assert page.locator("article h1").inner_text() == HOSTILE_TITLE
    assert page.title() == f"{HOSTILE_TITLE} - Paper archive"
    text = page.locator(".pa-abstract").inner_text()
    assert "<script>alert('abstract')</script>" in text
    assert "[click me](javascript:alert('md'))" in text
    assert page.locator(".pa-abstract img, .pa-abstract script").count() == 0
    # The abstract's links are the http(s) URLs in its text, nofollow, each to itself.
    links = page.locator(".pa-abstract a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.rel, a.textContent])")
    assert links and all(href == text and href.startswith("https://example.org")
                         and rel == "nofollow" for href, rel, text in links), links
    # $\\rule{200em}{200em}$ must not paint a wall across the page or widen it.
    box = page.locator(".pa-abstract").bounding_box()
    assert box is not None and box["height"] < 600
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert watched.dialogs == []


def test_tags_overview_sorts_by_count_and_name(watched: Watched, fixture_server: str) -> None:
    page = watched.page
    page.goto(fixture_server + "tags/")
    first_group = page.locator("ul.pa-taglist").first
    by_name = first_group.locator("li").evaluate_all("items => items.map(i => i.dataset.name)")
    assert by_name == sorted(by_name)
    page.get_by_role("button", name="by count").click()
    counts = first_group.locator("li").evaluate_all("items => items.map(i => +i.dataset.count)")
    assert counts == sorted(counts, reverse=True)
    page.get_by_role("button", name="by name").click()
    again = first_group.locator("li").evaluate_all("items => items.map(i => i.dataset.name)")
    assert again == by_name


def test_dark_mode_toggle_and_phone_layout(browser, fixture_server: str) -> None:
    w = Watched(browser, viewport={"width": 390, "height": 844}, color_scheme="light")
    try:
        page = w.page
        page.goto(fixture_server + "papers/bayesian-vision-transformers/")
        # A paper page is a lean page (overrides/lean.html): its palette is set on <html>
        # by lean.js, whose toggle is a button (tests/test_lean_pages.py has the rest).
        scheme = "document.documentElement.dataset.mdColorScheme"
        assert page.evaluate(scheme) == "default"
        page.locator("button[title='Switch to dark mode']").click()
        assert page.evaluate(scheme) == "slate"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        w.context.close()


def test_real_paper_renders_its_math(watched: Watched, site_server: str) -> None:
    page = watched.page
    page.goto(site_server + "papers/a-simple-and-provable-scaling-law-for-the-test-time-compute/")
    assert "Scaling Law" in page.locator("article h1").inner_text()
    math = page.locator(".pa-abstract math")
    # The formula, and p_gen and p_comp, which the scrape left in prose without their $.
    assert math.count() == 3
    assert max(math.nth(i).bounding_box()["width"] for i in range(3)) > 50
    assert watched.hosts == {urlsplit(site_server).netloc}


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_nothing_on_a_paper_page_reaches_outside_the_content_column(
        browser, fixture_server: str, viewport: dict) -> None:
    w = Watched(browser, viewport=viewport)
    try:
        for paper in ("hostile-record", "attention-on-graphs", "bayesian-vision-transformers",
                      "zero-shot-probabilistic-graphs"):
            w.page.goto(fixture_server + f"papers/{paper}/")
            w.page.wait_for_load_state("load")
            measured = w.page.evaluate(OUTSIDE_COLUMN)
            assert measured["outside"] == [], (paper, measured)
            assert w.page.evaluate("document.documentElement.scrollWidth <= innerWidth"), paper
    finally:
        w.context.close()


def test_cite_copies_the_bibtex_and_authors_expand(browser, fixture_server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(fixture_server + "papers/attention-on-graphs/")
        entry = page.locator("#pa-bibtex").inner_text()
        assert entry.startswith("@misc{lovelace2024attention,")
        button = page.locator("button.pa-copy")
        button.click()
        page.locator(".pa-copy__status", has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == entry
        details = page.locator("details.pa-authors")
        assert not details.locator("p").is_visible()
        details.locator("summary").click()
        assert details.locator("p").inner_text().endswith("Grace Hopper")
    finally:
        context.close()


def test_cite_without_javascript_shows_the_entry_and_no_dead_button(browser,
                                                                    fixture_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(fixture_server + "papers/attention-on-graphs/")
        assert page.locator("#pa-bibtex").is_visible()
        assert page.locator("button.pa-copy").count() == 0
    finally:
        context.close()


def test_month_page_fits_a_phone(browser, fixture_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for url in ("months/2024-03/", "papers/hostile-record/"):
            page.goto(fixture_server + url)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, url
    finally:
        context.close()


def test_wide_tables_are_keyboard_reachable_regions(watched: Watched, fixture_server: str) -> None:
    """On a phone the theme's scrolling table boxes take the focus, each under its own name."""
    watched.context.close()
    watched.context = watched.page.context.browser.new_context(
        viewport={"width": 390, "height": 844})
    page = watched.page = watched.context.new_page()
    page.goto(fixture_server + "maintainers/performance/")
    page.wait_for_selector(".md-typeset__scrollwrap[tabindex='0']")
    boxes = page.locator(".md-typeset__scrollwrap")
    assert boxes.count() == page.locator(".md-typeset table").count() > 3
    labels = [boxes.nth(i).get_attribute("aria-label") for i in range(boxes.count())]
    assert all(boxes.nth(i).get_attribute("role") == "region" for i in range(boxes.count()))
    assert all(label and label.startswith("Table") for label in labels)
    assert len(set(labels)) == len(labels)
    # A table under a heading is named after it.
    first_heading = page.locator(".md-typeset h2").first.inner_text().rstrip("¶").strip()
    assert any(label.endswith(": " + first_heading) for label in labels if label)
    # A keyboard can scroll a wide one: focus it, press the right arrow.
    wide = next(i for i in range(boxes.count())
                if boxes.nth(i).evaluate("e => e.scrollWidth > e.clientWidth"))
    boxes.nth(wide).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=boxes.nth(wide).element_handle())
