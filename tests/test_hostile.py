"""Hostile text stays text, through every door into the archive and out of every page.

Titles, abstracts, tag names, descriptions, group names and link URLs come from scrapes and
strangers' pull requests.  The payloads of ``cases/hostile.yml`` go in through each real
door: a listing dump and a JSON Lines dump (``generator import``), ``generator new``, a
hand-edited record and a hand-edited ``tags.yml``.  What ``validate`` accepts is built once
(one small site per session) and every output is checked: each HTML page parsed, the
search files, the sitemap, the redirects, and (marked ``browser``) Chromium itself.
What the schema forbids must be refused by ``validate`` with ``path:line: field: message``.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.archive import load_archive
from generator.cli import main
from generator.search import file_name
from generator.textrules import visible_text
from tests.conftest import ARCHIVE, build_project, make_project, set_tag_policy
from tests.html_tools import hazards, parse
from tests.serving import serve

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "hostile.yml").read_text("utf-8"))
TEXT: list[str] = CASES["text"]
MATH: list[str] = CASES["math"]
LINE_STARTS: list[str] = CASES["line_starts"]
PAD = " The sentence that follows pads the abstract to a length any importer accepts."
#: Scripts the site itself ships (file names, hashes aside); nothing else may appear.
OWN_SCRIPTS = re.compile(r"^(bundle\.[0-9a-f]+\.min|search-core|search|tags-sort|cite|lunr)\.js$")
HAND_EDITED = "hand-edited-hostile"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------ the doors


def _door_listing(work: Path, root: Path) -> None:
    lines = []
    for i, payload in enumerate(TEXT):
        lines += [f"Listing {i}: {payload}",
                  f"Listing abstract {i}: {payload} and {MATH[i % len(MATH)]}.{PAD}"]
    lines += ["Listing long: " + "x" * (CASES["title_limit"] - len("Listing long: ")),
              "A long word: " + "w" * CASES["long_word_chars"] + PAD]
    dump = work / "hostile.txt"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(dump), "--root", str(root), "--no-copy",
                 "--date", "2024-05-01"]) == 0


def _door_jsonl(work: Path, root: Path) -> None:
    rows = [{"title": f"JSON Lines {i}: {TEXT[i % len(TEXT)]}",
             "abstract": f"JSON Lines abstract {i} with a bad url field.{PAD}", "url": url}
            for i, url in enumerate(CASES["refused_urls"])
            if not url.lower().startswith(("http://", "https://"))]
    dump = work / "hostile.jsonl"
    dump.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert main(["import", str(dump), "--root", str(root), "--no-copy",
                 "--date", "2024-05-02"]) == 0


def _door_new(work: Path, root: Path) -> None:
    abstract = work / "abstract.txt"
    abstract.write_text("\n\n".join([" ".join(TEXT), *LINE_STARTS, " ".join(MATH) + PAD]),
                        encoding="utf-8")
    assert main(["new", "--root", str(root), "--title", "New: " + " ".join(TEXT[:4]),
                 "--abstract-file", str(abstract), "--date", "2024-05-03",
                 "--link", "code=https://example.org/?a='1'&b=2"]) == 0


def _door_record(root: Path) -> None:
    abstract = "\n\n".join([*TEXT, *LINE_STARTS, " ".join(MATH), "w" * 5000 + PAD])
    title = (" ".join(TEXT) * 3)[: CASES["title_limit"]]
    (root / "papers" / f"{HAND_EDITED}.yml").write_text(textwrap.dedent(f"""\
        id: "{HAND_EDITED}"
        title: {_q(title)}
        abstract: {_q(abstract)}
        tags: ["hostile-name", "hostile-description"]
        links:
          - kind: "code"
            url: "https://example.org/?q='onmouseover='alert(1)"
        added: "2024-05-04"
        source: "manual"
        """), encoding="utf-8")


def _door_tags(root: Path) -> None:
    """Two hostile groups and two hostile tags (one with an alias) in the real vocabulary."""
    text = (root / "tags.yml").read_text("utf-8")
    groups = "".join(f"  - name: {_q(name)}\n    description: {_q(TEXT[i])}\n"
                     for i, name in enumerate([TEXT[0], TEXT[9] + " " + TEXT[11]]))
    text = text.replace("tags:\n", groups + "tags:\n", 1)
    for tag_id, name, description, group, aliases, keyword in [
        ("hostile-name", TEXT[2] + " " + TEXT[0], "A tag whose name is hostile, described "
         "plainly.", TEXT[0], ["old-hostile"], "onerror"),
        ("hostile-description", TEXT[11], " ".join(TEXT[4:9]), TEXT[9] + " " + TEXT[11], [],
         "onclick"),
    ]:
        text += (f'  - id: "{tag_id}"\n    name: {_q(name)}\n'
                 f"    description: {_q(description)}\n    group: {_q(group)}\n"
                 f"    aliases: {json.dumps(aliases)}\n"
                 f'    rules:\n      keywords: ["{keyword}"]\n')
    (root / "tags.yml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch archive filled through every door, validated and built once."""
    work = tmp_path_factory.mktemp("hostile")
    root = work / "archive"
    (root / "papers").mkdir(parents=True)
    for name in ("schema",):
        (root / name).mkdir()
        for path in (ARCHIVE / name).iterdir():
            (root / name / path.name).write_bytes(path.read_bytes())
    (root / "tags.yml").write_bytes((ARCHIVE / "tags.yml").read_bytes())
    set_tag_policy(root, minTagsPerPaper=0)  # payload texts name few topics
    _door_tags(root)
    _door_listing(work, root)
    _door_jsonl(work, root)
    _door_new(work, root)
    _door_record(root)
    assert main(["validate", "--root", str(root)]) == 0
    project = make_project(work / "project", root)
    build_project(project)
    return project


@pytest.fixture(scope="session")
def hostile_site(hostile_project: Path) -> Path:
    return hostile_project / "site"


@pytest.fixture(scope="session")
def hostile_archive(hostile_project: Path):
    return load_archive(hostile_project / "archive")[0]


# ------------------------------------------------------------------ every page, parsed


def test_every_door_let_the_payloads_in(hostile_archive) -> None:
    sources = {p.source for p in hostile_archive.papers}
    assert sources == {"hostile.txt", "hostile.jsonl", "manual"}
    assert any(p.id == HAND_EDITED for p in hostile_archive.papers)
    assert {"hostile-name", "hostile-description"} <= set(hostile_archive.vocabulary.by_id())
    assert not any(link.url.lower().startswith(("javascript", "data", "vbscript"))
                   for p in hostile_archive.papers for link in p.links)


def test_no_page_runs_or_loads_anything_of_its_own(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        page = parse(path)
        assert hazards(path.read_text("utf-8")) == [], path
        for script in page.scripts:
            attrs = dict(pair.split("=", 1) for pair in script)
            if "src" in attrs:
                assert OWN_SCRIPTS.match(attrs["src"].rsplit("/", 1)[-1]), (path, attrs)
        text = path.read_text("utf-8")
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)[^>]*>(.*?)</script>",
                            text, re.S)
        assert not any("alert" in body for body in inline), path
        # JSON-LD carries record text as data: it must parse, and hold no "<" that could
        # end the script element early.
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "<" not in data, path
            json.loads(data)


def test_titles_and_names_show_literally_in_heading_title_and_description(
        hostile_site: Path, hostile_archive) -> None:
    for paper in hostile_archive.papers:
        page = parse(hostile_site / "papers" / paper.id / "index.html")
        shown = visible_text(paper.title)
        assert page.h1 == [shown]
        assert page.title == f"{shown} - Paper archive"
        if paper.id == HAND_EDITED:  # the description is the abstract's start, literally
            assert page.meta["description"].startswith(TEXT[0])
    for tag in hostile_archive.vocabulary.tags:
        page = parse(hostile_site / "tags" / tag.id / "index.html")
        assert page.h1 == [visible_text(tag.name)]
        assert page.title == f"{visible_text(tag.name)} - Paper archive"


def test_hand_edited_abstract_shows_every_payload_as_text(hostile_site: Path) -> None:
    html = (hostile_site / "papers" / HAND_EDITED / "index.html").read_text("utf-8")
    page = parse(hostile_site / "papers" / HAND_EDITED / "index.html")
    for payload in TEXT + LINE_STARTS:
        assert visible_text(payload) in page.content_text, payload
    abstract = html.split('<section class="pa-abstract"', 1)[1].split("</section>", 1)[0]
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", abstract))
    assert tags <= {"p", "code", "math", "mrow", "mi", "mn", "mo", "mtext", "mstyle",
                    "mspace"}, tags
    for word in ("<h1", "<table", "<li", "<pre", "<blockquote", "<abbr", "admonition\">"):
        assert word not in abstract


def test_math_stays_small_and_inert(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        for math in re.findall(r"<math.*?</math>", path.read_text("utf-8"), re.S):
            assert not re.search(r"\b(href|style|class|on\w+)=", math), (path, math)
            for value in re.findall(r'(?:width|height|depth|voffset|[lr]space)="([^"]*)"',
                                    math):
                number = re.match(r"[+-]?([\d.]+)", value)
                assert number is None or float(number.group(1)) <= 5, (path, value)


def test_search_files_carry_the_text_pages_show(hostile_site: Path, hostile_archive) -> None:
    folder = hostile_site / "search" / "index"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    docs = [doc for n in range(manifest["docs"]["chunks"])
            for doc in json.loads((folder / file_name("d", manifest["version"], n))
                                  .read_text("utf-8"))["docs"]]
    titles = {doc[0]: doc[1] for doc in docs}
    assert titles == {p.id: visible_text(p.title) for p in hostile_archive.papers}
    names = dict(manifest["tags"])
    assert names["hostile-name"] == TEXT[2] + " " + TEXT[0]


def test_sitemap_and_redirects_stay_on_the_site(hostile_site: Path, hostile_archive) -> None:
    sitemap = (hostile_site / "sitemap.xml").read_text("utf-8")
    for loc in re.findall(r"<loc>(.*?)</loc>", sitemap):
        assert loc.startswith("https://paper-archive.github.io/paper-archive/"), loc
        assert re.fullmatch(r"[a-z0-9/._-]*", urlsplit(loc).path), loc
    alias = parse(hostile_site / "tags" / "old-hostile" / "index.html")
    assert alias.meta["refresh"] == "0; url=../hostile-name/"


# ------------------------------------------------------------------ what validate refuses


@pytest.mark.parametrize("url", CASES["refused_urls"])
def test_validate_refuses_every_unsafe_link(empty_archive: Path, url: str, capsys) -> None:
    (empty_archive / "papers" / "p.yml").write_text(textwrap.dedent(f"""\
        id: "p"
        title: "P"
        abstract: "An abstract long enough for the schema's minimum length of fifty."
        tags: []
        links:
          - kind: "code"
            url: {_q(url)}
        added: "2024-05-05"
        source: "manual"
        """), encoding="utf-8")
    assert main(["validate", "--root", str(empty_archive)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("archive/papers/p.yml:7: links.0.url: "), out


# A command-line argument is stripped first: "https://example.org/x\n" is a fine link there.
@pytest.mark.parametrize("url", [u for u in CASES["refused_urls"] if not u.endswith("\n")])
def test_new_refuses_every_unsafe_link(empty_archive: Path, tmp_path: Path, url: str) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract long enough for the schema's minimum length." + PAD)
    assert main(["new", "--root", str(empty_archive), "--title", "A paper",
                 "--abstract-file", str(abstract), "--link", f"code={url}"]) == 1
    assert list((empty_archive / "papers").iterdir()) == []


# ------------------------------------------------------------------ in Chromium


@pytest.fixture(scope="session")
def hostile_server(hostile_site: Path):
    with serve(hostile_site) as url:
        yield url


#: In the browser's own DOM: event attributes, script URLs, frames, foreign scripts.
DOM_HAZARDS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (a.name.startsWith('on')) out.push(el.tagName + ' ' + a.name);
      if (/^(javascript|data|vbscript):/.test(v)) out.push(el.tagName + ' ' + a.name + '=' + v);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'FRAME'].includes(el.tagName)) {
      out.push(el.tagName);
    }
  }
  return out;
}"""


@pytest.mark.browser
def test_chromium_runs_no_payload_on_any_hostile_page(browser, hostile_server: str,
                                                       hostile_archive) -> None:
    context = browser.new_context()
    page = context.new_page()
    trouble: list[str] = []
    page.on("dialog", lambda d: (trouble.append(f"dialog {d.message} on {page.url}"),
                                 d.dismiss()))
    page.on("pageerror", lambda e: trouble.append(f"error {e} on {page.url}"))
    page.on("console", lambda m: m.type == "error" and trouble.append(f"console {m.text}"))
    urls = ["", "papers/", "tags/"]
    urls += [f"papers/{p.id}/" for p in hostile_archive.papers]
    urls += [f"tags/{t}/" for t in ("hostile-name", "hostile-description")]
    try:
        for url in urls:
            page.goto(hostile_server + url)
            page.wait_for_load_state("load")
            assert page.evaluate(DOM_HAZARDS) == [], url
        page.goto(hostile_server + "tags/old-hostile/")
        page.wait_for_url(hostile_server + "tags/hostile-name/")
        page.goto(hostile_server + f"papers/{HAND_EDITED}/")
        assert TEXT[0] in page.inner_text("article h1")
        for word in ("script", "onerror", "javascript", "config", "iframe", "svg", "alert"):
            # the header box of a paper page (on the search page it drives the page instead)
            if "/search/" in page.url:
                page.goto(hostile_server + f"papers/{HAND_EDITED}/")
            page.fill("#pa-search-input", word)
            page.wait_for_selector(".pa-searchbox__panel a.pa-result")
            assert page.evaluate(DOM_HAZARDS) == [], word
            page.goto(hostile_server + f"search/?q={word}")
            page.wait_for_selector(".pa-page__results .pa-result")
            assert page.evaluate(DOM_HAZARDS) == [], word
        titles = page.locator(".pa-page__results .pa-result__title").all_inner_texts()
        assert any("<script>alert('script')</script>" in t for t in titles)
        page.goto(hostile_server + "search/?tag=hostile-name")
        page.wait_for_selector(".pa-page__results .pa-result")
        assert TEXT[2] in page.inner_text(".pa-page__facets")
        # A crafted link: the query and tag come back only as an input value and as text.
        page.goto(hostile_server + "search/?q=%3Cscript%3Ealert(1)%3C/script%3E"
                  "&tag=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E")
        page.wait_for_selector(".pa-page__status:not(:empty)")
        assert page.input_value("#pa-page-input") == "<script>alert(1)</script>"
        assert page.evaluate(DOM_HAZARDS) == []
        page.goto(hostile_server + "tags/")
        page.click("button[data-sort=count]")
        assert page.evaluate(DOM_HAZARDS) == []
    finally:
        context.close()
    assert trouble == []
