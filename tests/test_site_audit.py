"""The cheap part of the outside audits, kept green on every build (docs/maintainers/audits.md).

The validator, axe and Lighthouse are maintainers' tools (``benchmarks/audit_site.py``);
what they would catch that a parser sees in the built HTML is checked here on the real
archive and the fixture archive: no broken internal link or anchor, a page language, a
label for every form control, headings that do not skip a level, and search landmarks
that a screen reader can tell apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.html_tools import check_links, parse, site_url_of

pytestmark = pytest.mark.build

#: The theme's CSS-only state switches (menu drawer, table of contents): checkboxes that are
#: never shown, so no one has to read their label.
THEME_TOGGLE = "md-toggle"


@pytest.fixture(scope="module", params=["real", "fixture"])
def site(request, built_site: Path, fixture_site: Path) -> Path:
    return built_site if request.param == "real" else fixture_site


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, object]:
    return {path.relative_to(site).as_posix(): parse(path)
            for path in sorted(site.rglob("*.html"))}


def test_no_internal_link_or_anchor_is_broken(site: Path) -> None:
    report = check_links(site)
    assert report.checked > 100
    assert report.broken == []


def test_every_page_declares_its_language(pages) -> None:
    assert {name for name, page in pages.items() if page.lang != "en"} == set()


def test_every_form_control_has_a_label(pages) -> None:
    unlabelled = [
        f"{name}: <{tag} id={attrs.get('id')!r}>"
        for name, page in pages.items() for tag, attrs, in_label in page.controls
        if not (in_label or attrs.get("aria-label") or attrs.get("aria-labelledby")
                or attrs.get("id") in page.label_for
                or THEME_TOGGLE in attrs.get("class", "").split())]
    assert unlabelled == []


def test_headings_start_at_h1_and_skip_no_level(pages) -> None:
    bad = [f"{name}: {page.headings}" for name, page in pages.items()
           if page.headings and (page.headings[0] != 1 or any(
               b > a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False)))]
    assert bad == []


def test_search_landmarks_have_distinct_names(pages) -> None:
    for name, page in pages.items():
        assert page.search_landmarks, name
        assert all(page.search_landmarks), name
        assert len(set(page.search_landmarks)) == len(page.search_landmarks), name


# ------------------------------------------------------------------ the link checker itself

SITEMAP = ('<urlset><url><loc>https://example.org/base/</loc></url>'
           '<url><loc>https://example.org/base/a/</loc></url></urlset>')


def _page(body: str, ids: str = "") -> str:
    return f'<!doctype html><html lang="en"><body><p id="{ids}">x</p>{body}</body></html>'


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "sitemap.xml").write_text(SITEMAP, "utf-8")
    (tmp_path / "a" / "index.html").write_text(_page("", ids="here"), "utf-8")
    return tmp_path


@pytest.mark.parametrize(("link", "problem"), [
    ('<a href="a/">ok</a>', ""),
    ('<a href="a/#here">ok</a>', ""),
    ('<a href="/base/a/#here">absolute, under site_url</a>', ""),
    ('<a href="https://example.org/base/a/">canonical</a>', ""),
    ('<a href="https://elsewhere.example/">external</a>', ""),
    ('<meta http-equiv="refresh" content="0; url=a/">', ""),
    ('<a href="b/">missing</a>', "no such file"),
    ('<a href="a/#gone">missing anchor</a>', "no element with id 'gone'"),
    ('<a href="#nowhere">missing anchor here</a>', "no element with id 'nowhere'"),
    ('<a href="https://example.org/base/b/">own site, missing</a>', "no such file"),
    ('<a href="../../outside/">outside</a>', "no such file"),
    ('<a href="javascript:alert(1)">script</a>', "unexpected URL scheme 'javascript'"),
    ('<meta http-equiv="refresh" content="0; url=b/">', "no such file"),
    ('<script src="a.js"></script>', "no such file"),
])
def test_link_checker_finds_what_is_broken(small_site: Path, link: str, problem: str) -> None:
    (small_site / "index.html").write_text(_page(link), "utf-8")
    report = check_links(small_site)
    assert [line.rsplit(": ", 1)[-1] for line in report.broken] == ([problem] if problem else [])
    if "elsewhere" in link:
        assert report.external == ["https://elsewhere.example/"]


def test_site_url_comes_from_the_sitemap(small_site: Path) -> None:
    assert site_url_of(small_site) == "https://example.org/base/"
