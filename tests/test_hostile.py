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
import subprocess
import sys
import textwrap
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.archive import load_archive
from generator.cli import main
from generator.search import file_name
from generator.textrules import visible_text, without_emphasis
from tests.conftest import (
    ARCHIVE,
    build_project,
    copy_fixture_archive,
    make_project,
    set_tag_policy,
)
from tests.html_tools import OUTSIDE_COLUMN, hazards, parse
from tests.serving import serve

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "hostile.yml").read_text("utf-8"))
TEXT: list[str] = CASES["text"]
MATH: list[str] = CASES["math"]
LINE_STARTS: list[str] = CASES["line_starts"]
EMPHASIS: list[str] = CASES["emphasis"]
PAD = " The sentence that follows pads the abstract to a length any importer accepts."
#: Scripts the site itself ships (file names, hashes aside); nothing else may appear.
OWN_SCRIPTS = re.compile(
    r"^(bundle\.[0-9a-f]+\.min|search-core|search|tags-sort|cite|lunr|md-base|tables|lean)\.js$")
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
    for i, chain in enumerate(CASES["chains"]):  # bait for the backtracking rule phrases
        lines += [f"Chain {i}", f"{chain * 40} y.{PAD}"]
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
    abstract.write_text("\n\n".join([" ".join(TEXT), *LINE_STARTS, " ".join(MATH) + PAD,
                                      " ".join(EMPHASIS)]),
                        encoding="utf-8")
    assert main(["new", "--root", str(root), "--title", "New: " + " ".join(TEXT[:4]),
                 "--abstract-file", str(abstract), "--date", "2024-05-03",
                 "--link", "code=https://example.org/?a='1'&b=2"]) == 0


def _door_record(root: Path) -> None:
    abstract = "\n\n".join([*TEXT, *LINE_STARTS, " ".join(MATH), " ".join(EMPHASIS),
                             "w" * 5000 + PAD])
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


def _door_distinct_titles(work: Path, root: Path) -> None:
    """Pairs of titles that differ in meaning, each with its own abstract, in one dump."""
    rows = [{"title": title, "abstract": f"Distinct paper about topic{i * 2 + k}, "
                                         f"and topic{i * 2 + k} alone.{PAD}"}
            for i, pair in enumerate(CASES["distinct_titles"]) for k, title in enumerate(pair)]
    dump = work / "distinct.jsonl"
    dump.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert main(["import", str(dump), "--root", str(root), "--no-copy",
                 "--date", "2024-05-06"]) == 0


def _door_front_matter(project: Path) -> None:
    """A hostile title in CONTRIBUTING.md's front matter, which every page's nav prints."""
    guide = project / "CONTRIBUTING.md"
    guide.write_text(f"---\ntitle: {_q(CASES['front_matter_title'])}\n---\n\n"
                     + guide.read_text("utf-8"), encoding="utf-8")


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
        ("hostile-phrases", "Backtracking bait", "Rule phrases that once backtracked.",
         TEXT[0], [], CASES["phrases"][0]),
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
    _door_distinct_titles(work, root)
    assert main(["validate", "--root", str(root)]) == 0
    project = make_project(work / "project", root)
    _door_front_matter(project)
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
    assert sources == {"hostile.txt", "hostile.jsonl", "distinct.jsonl", "manual"}
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
                    "mspace", "strong", "em", "a"}, tags
    # The only links are the http(s) URLs written in the text, each pointing at itself.
    links = re.findall(r"<a\b[^>]*>[^<]*</a>", abstract)
    assert links == [f'<a href="{u}" rel="nofollow">{u}</a>' for u in re.findall(
        r'<a href="(https://example\.org/[^"<>]*)" rel="nofollow">\1</a>', abstract)], links
    assert '<a href="https://example.org/autolink" rel="nofollow">' in abstract
    assert abstract.count("<a ") == len(links)
    for word in ("<h1", "<table", "<li", "<pre", "<blockquote", "<abbr", "admonition\">"):
        assert word not in abstract


def test_emphasis_payloads_are_text_inside_strong_and_em(hostile_site: Path) -> None:
    """The hand-edited record and `new` (through the cleaner) both keep the emphasis."""
    made_by_new = [p.parent.name for p in (hostile_site / "papers").glob("new-*/index.html")]
    assert len(made_by_new) == 1
    for paper_id in (HAND_EDITED, *made_by_new):
        path = hostile_site / "papers" / paper_id / "index.html"
        html = path.read_text("utf-8")
        abstract = html.split('<section class="pa-abstract"', 1)[1].split("</section>", 1)[0]
        assert "<strong>&lt;script&gt;alert(&#x27;strong&#x27;)&lt;/script&gt;</strong>" in \
            abstract, paper_id
        assert "<strong><em>&lt;/em&gt;&lt;/strong&gt;&lt;/p&gt;&lt;script&gt;" in abstract
        assert abstract.count("<strong>") == abstract.count("</strong>") == 2, paper_id
        assert abstract.count("<em>") == abstract.count("</em>") == 3, paper_id
        assert 'display="block"' in abstract and "\\textbf" not in abstract
        text = parse(path).content_text
        for payload in EMPHASIS[:3]:
            assert without_emphasis(payload) in text, (paper_id, payload)


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


# ------------------------------------------------------------------ the other families


def test_titles_that_differ_in_meaning_became_different_papers(hostile_archive) -> None:
    titles = {p.title for p in hostile_archive.papers}
    for pair in CASES["distinct_titles"]:
        assert set(pair) <= titles, pair


def test_front_matter_of_a_hand_written_page_shows_as_text(hostile_site: Path) -> None:
    literal = CASES["front_matter_title"]
    for path in [hostile_site / "index.html", hostile_site / "contributing" / "index.html"]:
        html = path.read_text("utf-8")
        assert "<img src=x onerror" not in html, path
        text = html_unescape(re.sub(r"<[^>]*>", " ", html))
        assert literal in text, path  # in the nav, shown as the text it is
    # A paper page (overrides/lean.html) gets the sections from lean.js, which holds their
    # names as JSON strings (set as textContent): the title is the text it is, no markup.
    assert "<img src=x onerror" not in (hostile_site / "papers" / HAND_EDITED /
                                        "index.html").read_text("utf-8")
    script = (hostile_site / "assets" / "javascripts" / "lean.js").read_text("utf-8")
    assert "<img" not in script
    sections = json.loads(re.search(r"var sections = (.*);", script).group(1))
    assert literal in [name for name, _ in sections]
    page = parse(hostile_site / "contributing" / "index.html")
    assert page.title == f"{literal} - Paper archive"


_SCALE = {"": 1.0, "em": 1.0, "ex": 0.5, "mu": 1 / 18, "pt": 0.1, "px": 1 / 16, "%": 0.01}


def _em(value: str) -> float | None:
    match = re.fullmatch(r"([+-]?[\d.]+)(em|ex|mu|pt|px|%)?", value.strip())
    return None if match is None else float(match.group(1)) * _SCALE[match.group(2) or ""]


def _budget(element, scale: float, spaces: list[float]) -> None:
    import xml.etree.ElementTree as ET  # noqa: F401 - the caller parses

    size = element.get("mathsize")
    if size is not None and _em(size) is not None:
        scale *= _em(size)
    assert scale <= 2.5, f"text scaled {scale:.2f}x"
    for name in ("width", "height", "depth", "voffset", "lspace", "rspace"):
        value = element.get(name)
        em = _em(value) if value else None
        if em is not None:
            assert -1.0 <= em * scale <= 5.0, (name, value, scale)
    if element.tag.endswith("mspace") and element.get("width") and _em(element.get("width")):
        spaces.append(max(0.0, _em(element.get("width")) * scale))
    for child in element:
        _budget(child, scale, spaces)


def test_every_formula_stays_within_its_budget(hostile_site: Path) -> None:
    import xml.etree.ElementTree as ET

    formulas = 0
    for path in hostile_site.rglob("*.html"):
        for math in re.findall(r"<math.*?</math>", path.read_text("utf-8"), re.S):
            spaces: list[float] = []
            _budget(ET.fromstring(math), 1.0, spaces)
            assert sum(spaces) <= 12.0, (path, math)
            formulas += 1
    assert formulas > 20


@pytest.mark.parametrize("value", CASES["refused_dates"])
def test_validate_new_and_import_refuse_every_hostile_date(empty_archive: Path,
                                                           tmp_path: Path, value: str,
                                                           capsys) -> None:
    (empty_archive / "papers" / "p.yml").write_text(textwrap.dedent(f"""\
        id: "p"
        title: "P"
        abstract: "An abstract long enough for the schema's minimum length of fifty."
        tags: []
        links: []
        added: {_q(value)}
        source: "manual"
        """), encoding="utf-8")
    assert main(["validate", "--root", str(empty_archive)]) == 1
    assert capsys.readouterr().out.startswith("archive/papers/p.yml:6: added: ")
    (empty_archive / "papers" / "p.yml").unlink()
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"title": "T", "abstract": "A" * 60 + PAD}) + "\n")
    assert main(["import", str(dump), "--root", str(empty_archive), "--date", value]) == 1
    abstract = tmp_path / "a.txt"
    abstract.write_text("A" * 60 + PAD)
    assert main(["new", "--root", str(empty_archive), "--title", "T", "--abstract-file",
                 str(abstract), "--date", value]) == 1
    assert list((empty_archive / "papers").iterdir()) == []
    assert not (empty_archive / "dumps").exists()


def test_hostile_rule_phrases_finish_on_hostile_chains() -> None:
    code = ("import json, sys\n"
            "from generator.tagging import find, tokens\n"
            "cases = json.loads(sys.argv[1])\n"
            "for phrase in cases['phrases']:\n"
            "    for chain in cases['chains']:\n"
            "        find(phrase, tokens(chain * 120 + ' q'))\n")
    subprocess.run([sys.executable, "-c", code, json.dumps(CASES)], check=True, timeout=30,
                   cwd=Path(__file__).resolve().parent.parent)


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", copy_fixture_archive(tmp_path / "archive"))
    (project / ".git" / "objects").mkdir(parents=True)
    return project


@pytest.mark.parametrize("site_dir", CASES["site_dirs"])
def test_build_refuses_every_hostile_site_dir(small_project: Path, site_dir: str, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(small_project)
    before = sorted(str(p) for p in small_project.rglob("*"))
    assert main(["build", "--site-dir", site_dir]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --site-dir {Path(site_dir)}: refused") and err.count("\n") == 1
    assert sorted(str(p) for p in small_project.rglob("*")) == before


@pytest.mark.parametrize("name", CASES["file_names"])
def test_hostile_file_names_stay_on_one_line(empty_archive: Path, name: str,
                                             capsys) -> None:
    (empty_archive / "papers" / f"{name}.yml").write_text('id: "p"\n')
    for fmt, start in (("text", "archive/papers/x"), ("github", "::error file=archive")):
        assert main(["validate", "--root", str(empty_archive), "--format", fmt]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines and all(line.startswith(start) for line in lines), lines
        assert not any(c in "".join(lines) for c in "\r\x1b\u2028"), lines


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
    missing: list[str] = []
    page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    urls = ["", "papers/", "tags/", "contributing/"]
    urls += [f"papers/{p.id}/" for p in hostile_archive.papers]
    urls += [f"tags/{t}/" for t in ("hostile-name", "hostile-description")]
    try:
        for url in urls:
            page.goto(hostile_server + url)
            page.wait_for_load_state("load")
            assert page.evaluate(DOM_HAZARDS) == [], url
            if url.startswith("papers/") and url != "papers/":
                # No formula or word of a record paints outside the content column.
                measured = page.evaluate(OUTSIDE_COLUMN)
                assert measured["outside"] == [], (url, measured)
        for query in CASES["search_links"]:  # a shared link must not freeze the tab
            page.goto(hostile_server + "search/?q=" + query.replace(" ", "+"))
            page.wait_for_selector(".pa-page__status:not(:empty)", timeout=15000)
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
    # Known and not a payload: Material reads every <link rel="alternate"> as a language
    # version and fetches "sitemap.xml" beside it, so the Atom feed's link costs a 404 of
    # feeds/sitemap.xml (tag pages: feeds/tags/) on each page (left to the feeds' owner).
    # Anything else fails.
    feed_sitemap = re.compile(r"/feeds/(tags/)?sitemap\.xml$")
    if missing and all(feed_sitemap.search(url) for url in missing):
        trouble = [t for t in trouble if not t.startswith("console Failed to load resource")]
    assert [url for url in missing if not feed_sitemap.search(url)] == []
    assert trouble == []
