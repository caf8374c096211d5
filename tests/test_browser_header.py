"""The header on a phone: the site's name is shown whole, the page title replaces it in place.

At 390x844 the search box used to squeeze the name to "Pape..." (Material places both
header topics absolutely, so the name had no width of its own).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]

#: The header's name and page-title topics: text, widths, and where they sit.
TOPICS = """() => {
  const header = document.querySelector('.md-header').getBoundingClientRect();
  return [...document.querySelectorAll('.md-header__topic .md-ellipsis')].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent.trim(), full: e.scrollWidth, shown: e.clientWidth,
            inHeader: r.top >= header.top && r.bottom <= header.bottom,
            opacity: getComputedStyle(e.closest('.md-header__topic')).opacity};
  });
}"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 780), (768, 1024)])
def test_the_site_name_is_not_cut(browser, fixture_server: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(fixture_server)
        name = page.evaluate(TOPICS)[0]
        assert name["text"] == "Paper archive"
        assert name["shown"] >= name["full"], name
        box = page.locator("#pa-search-input").bounding_box()
        assert box is not None and box["width"] >= 80  # still a box one can type in
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()


def test_on_scroll_the_page_title_takes_the_names_place(browser, fixture_server: str):
    # A short viewport, so the small fixture paper scrolls past its heading.
    page = browser.new_page(viewport={"width": 390, "height": 300})
    try:
        page.goto(fixture_server + "papers/attention-on-graphs/")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function(
            "document.querySelector('.md-header__title--active') !== null", timeout=10000)
        page.wait_for_timeout(600)  # the theme's fade between the two topics
        name, title = page.evaluate(TOPICS)
        assert title["text"] == "Attention on Graphs"
        assert title["inHeader"] and title["opacity"] == "1", title
        assert name["opacity"] == "0"
    finally:
        page.close()
