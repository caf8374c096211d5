"""The lean pages (overrides/lean.html): what a reader uses is there, the theme's bulk is not.

Paper, tag, A-Z letter and month pages are built on a skeleton of our own instead of
Material's base.html (docs/maintainers/performance.md says what it saved).  These tests
read the built fixture site: the header search, the edit link, the skip link, the
landmarks and the short navigation are in each kind of lean page, Material's navigation
tree, palette form and bundle are not, and the hand-written pages keep Material's skeleton.
The browser tests drive the palette toggle (and its persistence to and from Material's
pages), the header title, the sections list and the header search from a paper page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LEAN_PAGES = {
    "paper": "papers/attention-on-graphs/index.html",
    "tag": "tags/graph-learning/index.html",
    "letter": "papers/letter/a/index.html",
    "month": "months/2024-03/index.html",
}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def _elements(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(path.read_text("utf-8"))
    return parser.elements


def _find(elements, tag: str, **attrs: str) -> list[dict[str, str]]:
    return [a for t, a in elements if t == tag
            and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


@pytest.mark.build
@pytest.mark.parametrize("kind", sorted(LEAN_PAGES))
def test_a_lean_page_has_what_a_reader_uses(fixture_site: Path, kind: str) -> None:
    path = fixture_site / LEAN_PAGES[kind]
    elements = _elements(path)
    (html,) = _find(elements, "html")
    assert html["lang"] == "en" and html["dir"] == "ltr"
    # Skip link to the main landmark, which holds the page's own content.
    (skip,) = [a for t, a in elements if t == "a" and "md-skip" in a.get("class", "")]
    (main,) = _find(elements, "main")
    assert skip["href"] == "#" + main["id"]
    assert len(_find(elements, "header")) == 1
    # The header search: a labelled GET form to the search page (it works without
    # JavaScript) with its combobox; lean.js, the page's one script, loads the box's.
    (form,) = _find(elements, "form", role="search")
    assert form["aria-label"] and form["action"].endswith("search/")
    assert form.get("method", "get") == "get"
    (box,) = _find(elements, "input", id="pa-search-input")
    assert box["role"] == "combobox" and box["name"] == "q"
    assert box.get("type", "text") == "text"
    scripts = [a["src"].rsplit("/", 1)[-1] for t, a in elements if t == "script" and "src" in a]
    assert scripts == ["lean.js"]
    # The site navigation: a labelled landmark whose one link (JavaScript adds the
    # sections) goes to the home page.
    (nav,) = _find(elements, "nav", class_="pa-sitenav")
    assert nav["aria-label"] == "Navigation"
    labels = [a.get("aria-label") for t, a in elements if t == "nav"]
    assert all(labels) and len(labels) == len(set(labels))  # landmarks told apart
    # The logo (first link after the skip link) and the navigation's one link: home.
    links = [a["href"] for t, a in elements if t == "a"]
    nav_link = links[-1]
    for href in (links[1], nav_link):
        assert (path.parent / href).resolve() == fixture_site.resolve(), href
    # Material's navigation tree, drawer, palette form, bundle and config are not there.
    text = path.read_text("utf-8")
    for theirs in ("md-nav__item", "md-sidebar", "__drawer", "__palette", "md-option",
                   "__config", "data-md-component", "md-top", "md-dialog", "md-footer"):
        assert theirs not in text, theirs
    assert not any(name.startswith("bundle.") for name in scripts)
    # Icons are drawn by lean.css, not written into the page; search.css is in lean.css.
    assert "<svg" not in text
    sheets = [a["href"].rsplit("/", 1)[-1] for t, a in elements
              if t == "link" and a.get("rel") == "stylesheet"]
    assert sheets[-1] == "lean.css" and "search.css" not in sheets


@pytest.mark.build
@pytest.mark.parametrize(("kind", "label"), [("paper", "Edit this record"),
                                             ("tag", "Edit the tags")])
def test_paper_and_tag_pages_link_their_source(fixture_site: Path, kind: str,
                                               label: str) -> None:
    html = (fixture_site / LEAN_PAGES[kind]).read_text("utf-8")
    (edit,) = re.findall(r'<a href="([^"]+)" rel="edit">'
                         r"(?:<svg[^>]*>.*?</svg>)?([^<]*)</a>", html)
    assert edit[1] == label
    # After the page, out of the title's way (on a phone it squeezed the heading).
    assert html.index('rel="edit"') > html.index("</article>")
    source = ("archive/papers/attention-on-graphs.yml" if kind == "paper"
              else "archive/tags.yml")
    assert edit[0].endswith("/edit/main/" + source)


@pytest.mark.build
@pytest.mark.parametrize("page", ["index.html", "tags/index.html", "404.html", "about/index.html"])
def test_every_hand_written_page_has_one_skip_link_to_its_content(fixture_site: Path,
                                                                  page: str) -> None:
    # Material writes one only to the first entry of a page's table of contents: the home
    # page (raw-HTML headings, no TOC) had none, and 14 Tabs went through the navigation.
    elements = _elements(fixture_site / page)
    (skip,) = [a for t, a in elements if t == "a" and "md-skip" in a.get("class", "")]
    target = skip["href"].removeprefix("#")
    assert [a for _, a in elements if a.get("id") == target], (page, target)
    assert skip is next(a for t, a in elements if t == "a")  # the first link of the page


@pytest.mark.build
def test_hand_written_pages_keep_materials_skeleton(fixture_site: Path) -> None:
    text = (fixture_site / "about" / "index.html").read_text("utf-8")
    assert "md-nav__item" in text and "__palette" in text and 'id="__config"' in text
    assert re.search(r'src="[^"]*bundle\.[0-9a-f]+\.min\.js"', text)


@pytest.mark.build
def test_lean_js_carries_the_palettes_and_sections_of_the_config(fixture_site: Path) -> None:
    import yaml

    script = (fixture_site / "assets" / "javascripts" / "lean.js").read_text("utf-8")
    assert "{%" not in script and "{{" not in script  # rendered, not copied
    palettes = json.loads(re.search(r"var palettes = (.*);", script).group(1))
    config = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    wanted = config["theme"]["palette"]
    assert [p["color"]["scheme"] for p in palettes] == [p["scheme"] for p in wanted]
    assert [p["name"] for p in palettes] == [p["toggle"]["name"] for p in wanted]
    assert all(p["icon"].startswith("<svg") for p in palettes)
    sections = json.loads(re.search(r"var sections = (.*);", script).group(1))
    names = [name for name, _ in sections]
    assert names[0] == "Home" and {"Papers", "Tags", "Search"} <= set(names)
    # The header search's scripts, which the lean pages do not name, in their order.
    scripts = json.loads(re.search(r"var searchScripts = (.*);", script).group(1))
    assert [path.rsplit("/", 1)[-1] for path in scripts] == ["search-core.js", "search.js"]
    assert all((fixture_site / path).is_file() for path in scripts)


@pytest.mark.build
def test_lean_css_is_the_search_boxs_stylesheet_and_the_themes_icons(fixture_site: Path) -> None:
    from urllib.parse import unquote

    sheet = (fixture_site / "assets" / "stylesheets" / "lean.css").read_text("utf-8")
    assert "{%" not in sheet and "{{" not in sheet  # rendered, not copied
    search = (REPO / "overrides" / "assets" / "stylesheets" / "search.css").read_text("utf-8")
    assert search.strip() in sheet
    icons = [unquote(uri) for uri in re.findall(r'--pa-icon: url\("data:image/svg\+xml;'
                                                  r'charset=utf-8,([^"]+)"\)', sheet)]
    assert len(icons) == 2 and all(icon.startswith("<svg") for icon in icons)
    # The same icons the hand-written pages show (the sprite holds every icon in use).
    sprite = (fixture_site / "assets" / "images" / "icons.svg").read_text("utf-8")
    for icon in icons:
        assert re.search(r"<path d=\"([^\"]+)\"", icon).group(1) in sprite


def test_lean_skeleton_names_the_theme_stylesheets_materials_base_does() -> None:
    # Material's base.html writes its two stylesheets with hashed names; lean.html writes
    # them too, so an upgrade of the theme must change both (or the pages lose their look).
    import material

    base = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    lean = (REPO / "overrides" / "lean.html").read_text("utf-8")
    pattern = r"assets/stylesheets/(?:main|palette)\.[0-9a-f]+\.min\.css"
    assert sorted(re.findall(pattern, lean)) == sorted(re.findall(pattern, base))
    assert len(re.findall(pattern, lean)) == 2


# ------------------------------------------------------------------ in the browser

PAPER = "papers/attention-on-graphs/"
SCHEME = "document.documentElement.dataset.mdColorScheme"


@pytest.fixture
def watched_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="light")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


@pytest.mark.browser
def test_palette_choice_holds_from_a_paper_page_to_a_hand_written_page_and_back(
        watched_page, fixture_server: str) -> None:
    page = watched_page
    page.goto(fixture_server + PAPER)
    assert page.evaluate(SCHEME) == "default"
    toggle = page.locator("#pa-palette")
    assert toggle.get_attribute("aria-label") == "Switch to dark mode"
    toggle.click()
    assert page.evaluate(SCHEME) == "slate"
    assert toggle.get_attribute("aria-label") == "Switch to light mode"
    # Material's page reads the same stored choice...
    page.goto(fixture_server + "about/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.locator("label[title='Switch to light mode']").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    # ...and its choice holds on the next lean page (a tag page).
    page.goto(fixture_server + "tags/graph-learning/")
    assert page.evaluate(SCHEME) == "default"
    assert page.locator("#pa-palette").get_attribute("aria-label") == "Switch to dark mode"
    page.locator("#pa-palette").click()
    page.goto(fixture_server + "about/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert page.errors == []


@pytest.mark.browser
def test_a_dark_system_gets_the_dark_palette_until_the_reader_chooses(
        browser, fixture_server: str) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(fixture_server + PAPER)
        assert page.evaluate(SCHEME) == "slate"
    finally:
        context.close()


@pytest.mark.browser
def test_sections_are_listed_and_header_search_answers_on_a_paper_page(
        watched_page, fixture_server: str) -> None:
    page = watched_page
    page.goto(fixture_server + PAPER)
    names = page.locator("nav.pa-sitenav a").all_inner_texts()
    assert names[0] == "Home" and {"Papers", "Tags", "Search", "About"} <= set(names)
    assert len(names) == len(set(names))
    page.locator("nav.pa-sitenav a", has_text="Tags").click()
    page.wait_for_url("**/tags/")
    page.goto(fixture_server + PAPER)
    page.fill("#pa-search-input", "graph")
    page.wait_for_selector(".pa-searchbox__panel .pa-result")
    page.press("#pa-search-input", "Enter")
    page.wait_for_url("**/search/?q=graph*")
    assert page.errors == []


@pytest.mark.browser
def test_header_search_without_javascript_is_a_form_to_the_search_page(
        browser, fixture_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(fixture_server + PAPER)
        page.fill("#pa-search-input", "graph networks")
        page.press("#pa-search-input", "Enter")
        page.wait_for_url("**/search/?q=graph+networks")
    finally:
        context.close()


@pytest.mark.browser
def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(
        watched_page, fixture_server: str) -> None:
    page = watched_page
    page.goto(fixture_server + PAPER)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "md-skip"
    assert page.locator(".md-skip").is_visible()
    # Material shows focus on its header buttons only where its bundle marked them; here
    # the browser's :focus-visible does (docs/stylesheets/site.css).
    for _ in range(2):  # the logo, then the palette toggle
        page.keyboard.press("Tab")
        assert "md-header__button" in page.evaluate("document.activeElement.className")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.goto(fixture_server + PAPER)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#pa-main"


@pytest.mark.browser
def test_phone_shows_the_logo_and_the_sections_below_the_content(
        browser, fixture_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(fixture_server + PAPER)
        assert page.locator(".md-header .md-logo").is_visible()
        nav = page.locator("nav.pa-sitenav").bounding_box()
        content = page.locator("main .md-content__inner").bounding_box()
        assert nav is not None and content is not None
        assert nav["y"] >= content["y"] + content["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.browser
def test_the_home_pages_skip_link_passes_the_navigation_and_the_palette_shows_focus(
        watched_page, fixture_server: str) -> None:
    page = watched_page
    page.goto(fixture_server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("md-skip")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first stop after the skip: in the content, not the nav
    assert page.evaluate("!!document.activeElement.closest('.md-content')")
    # Material's palette toggle: focus is on its hidden radio input; the ring on its label.
    page.goto(fixture_server)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('md-option')"):
            break
    label = "document.activeElement.nextElementSibling"
    assert page.evaluate(f"getComputedStyle({label}).outlineStyle") != "none"
    assert page.errors == []


@pytest.mark.browser
def test_a_lean_page_ends_with_its_edit_link_and_a_footer_naming_the_repository(
        watched_page, fixture_server: str) -> None:
    page = watched_page
    page.goto(fixture_server + PAPER)
    footer = page.locator("footer.md-footer a").first
    assert footer.get_attribute("href") == "https://github.com/paper-archive/paper-archive"
    edit = page.locator("a[rel=edit]").bounding_box()
    article = page.locator("article.pa-paper").bounding_box()
    assert edit is not None and article is not None
    assert edit["y"] >= article["y"] + article["height"] - 1
    assert page.errors == []


@pytest.mark.browser
def test_a_phones_first_screen_shows_a_papers_links_and_a_tags_first_paper(
        browser, fixture_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(fixture_server + PAPER)
        box = page.locator(".pa-links").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844
        page.goto(fixture_server + "tags/graph-learning/")
        first = page.locator("ul.pa-list > li").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= 844
    finally:
        context.close()
