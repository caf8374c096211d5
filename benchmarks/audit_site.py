"""Outside audits of a built site: links, HTML validity, accessibility and Lighthouse.

Usage (from the repository root, after a build; see docs/maintainers/audits.md)::

    python -m generator build
    python -m benchmarks.audit_site site [--tools .audit-tools] [--skip lighthouse]
        [--page papers/hostile-record/] [--json audit.json]

It builds nothing: it audits the ``site/`` folder it is given and prints a summary table.

* links: every href/src/action/meta-refresh of every page, resolved relative to its page;
  the target file and its ``#anchor`` must exist (``tests/html_tools.check_links``, which
  the test suite runs too).  External links are counted, never fetched.
* validator: the Nu HTML Checker (``vnu.jar``, Java) on every page; errors by page type,
  each attributed to the theme (Material's markup) or to us.
* axe: ``axe-core`` injected by Playwright into one page of each type, in the light and
  dark palettes at phone (390 px) and desktop (1280 px) widths, plus the header search with
  its results open and the search page with results; violations by impact and owner.
* keyboard: the header search box used with the keyboard only (Tab reaches it, focus is
  visible, arrow keys select a result the screen reader is told about, Esc closes), and a
  Tab walk through five page types: every stop must look different when focused.
* the validator also checks the DOM the search scripts render (header results open, the
  search page filtered by a tag), which no file on disk holds.
* Lighthouse: performance, accessibility, best practices and SEO of the home page, a paper
  and the search page (mobile emulation, Lighthouse's default).

The node tools are not project dependencies: install them once into ``--tools`` with
``npm install --prefix .audit-tools -E vnu-jar@26.9.27 axe-core@4.14.1 lighthouse@12.2.3``
(``.audit-tools/`` is git-ignored).  A missing tool skips its section and says so.

Exit status 1 when any finding in our markup is an error (validator) or critical or serious
(axe, keyboard, links); the theme's own findings are listed but do not fail the run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.html_tools import check_links, parse, site_url_of
from tests.serving import CHROMIUM, CHROMIUM_ARGS, chromium, serve

REPO = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("AUDIT_TOOLS", REPO / ".audit-tools"))
PAGE_TYPES = ("home", "a-z", "tags overview", "tag", "alias", "paper", "search", "404",
              "stats", "docs")
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
IMPACTS = ("critical", "serious", "moderate", "minor")
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Markup that only the theme writes: its class prefix and its hidden toggles' ids.
THEME_MARKUP = re.compile(r'class="md-|id="__|data-md-|\.md-|#__')
OUR_MARKUP = re.compile(r"pa-")
#: Validator messages the theme causes whatever we write: it wraps every page's content, and
#: so its one h1, in an <article>.
THEME_CAUSED = ("Consider using the “h1” element as a top-level heading only",)


@dataclass
class Finding:
    """One kind of problem found by a tool, with where it was seen."""

    tool: str
    rule: str
    impact: str
    owner: str
    where: list[str] = field(default_factory=list)
    example: str = ""


@dataclass
class Audit:
    """Everything found about one site, filled in by the audit steps in turn."""

    site: Path
    pages: dict[str, list[Path]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    links: dict[str, int] = field(default_factory=dict)
    validated: Counter = field(default_factory=Counter)
    keyboard: list[tuple[str, bool, str]] = field(default_factory=list)
    lighthouse: dict[str, dict[str, int]] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)  # label -> DOM after scripts ran
    ran: list[str] = field(default_factory=list)

    def add(self, tool: str, rule: str, impact: str, owner: str, where: str,
            example: str = "") -> None:
        """Record one finding, or one more place for a finding already recorded."""
        for finding in self.findings:
            if (finding.tool, finding.rule, finding.owner) == (tool, rule, owner):
                finding.where.append(where)
                return
        self.findings.append(Finding(tool, rule, impact, owner, [where], example))


# ------------------------------------------------------------------ pages


def classify(site: Path) -> dict[str, list[Path]]:
    """Every HTML page of ``site`` by page type (see PAGE_TYPES), each list sorted."""
    kinds: dict[str, list[Path]] = {kind: [] for kind in PAGE_TYPES}
    fixed = {"index.html": "home", "404.html": "404", "papers/index.html": "a-z",
             "tags/index.html": "tags overview", "search/index.html": "search",
             "stats/index.html": "stats"}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel in fixed:
            kind = fixed[rel]
        elif re.fullmatch(r"papers/[^/]+/index\.html", rel):
            kind = "paper"
        elif re.fullmatch(r"tags/[^/]+/index\.html", rel):
            kind = "alias" if 'http-equiv="refresh"' in path.read_text("utf-8") else "tag"
        else:
            kind = "docs"
        kinds[kind].append(path)
    return kinds


def representatives(audit: Audit, extra: list[str]) -> list[tuple[str, Path]]:
    """One page per type for the browser audits: the one with the most kinds of markup."""
    chosen = []
    for kind, paths in audit.pages.items():
        if paths:
            chosen.append((kind, max(paths, key=lambda p: (_richness(p), str(p)))))
    for rel in extra:
        path = audit.site / rel.lstrip("/")
        path = path / "index.html" if path.is_dir() else path
        chosen.append(("extra", path))
    return chosen


def _richness(path: Path) -> tuple[int, int]:
    """Distinct tags and classes in a page (more markup to check), then its size."""
    text = path.read_text("utf-8")
    classes = {c for value in re.findall(r'class="([^"]*)"', text) for c in value.split()}
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", text))
    return len(classes) + len(tags), len(text)


def url_of(audit: Audit, base: str, path: Path) -> str:
    """The URL under ``base`` at which ``path`` (a file of the site) is served."""
    rel = path.relative_to(audit.site).as_posix()
    return base + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)


@contextmanager
def serve_at_site_path(site: Path) -> Iterator[str]:
    """Serve ``site`` at its site_url's path (``/paper-archive/``), as the host will.

    The 404 page links its styles and scripts by absolute path, so served at ``/`` it
    would be audited unstyled.  Yields the site's base URL.
    """
    path = urlsplit(site_url_of(site)).path.strip("/")
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root, path) if path else Path(root, "site")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site, target_is_directory=True)
        with serve(Path(root)) as url:
            yield f"{url}{mount.relative_to(root).as_posix()}/"


def owner_of(snippet: str, message: str = "") -> str:
    """Who wrote the markup a finding points at: ``ours`` unless only the theme writes it."""
    if message.startswith(THEME_CAUSED):
        return "theme"
    if OUR_MARKUP.search(snippet) or not THEME_MARKUP.search(snippet):
        return "ours"
    return "theme"


# ------------------------------------------------------------------ links


def audit_links(audit: Audit) -> None:
    """Every internal link and anchor of the site, checked against its files."""
    report = check_links(audit.site)
    audit.links = {"checked": report.checked, "broken": len(report.broken),
                   "external (not fetched)": len(report.external)}
    for line in report.broken:
        audit.add("links", "broken internal link", "serious", "ours", line)
    audit.ran.append("links")


# ------------------------------------------------------------------ validator


def audit_html(audit: Audit) -> None:
    """Validate every page, and the search UI's DOM as the browser step left it (if it ran)."""
    jar = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        audit.notes.append(f"validator not run: no {jar} (see the module docstring)")
        return
    files = {str(p): (kind, p.relative_to(audit.site).as_posix())
             for kind in PAGE_TYPES for p in audit.pages[kind]}
    with tempfile.TemporaryDirectory() as scratch:
        for k, (label, html) in enumerate(sorted(audit.snapshots.items())):
            snapshot = Path(scratch, f"{k}.html")
            snapshot.write_text(html, "utf-8")
            files[str(snapshot)] = ("search (rendered)", label)
        result = subprocess.run(
            ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
            capture_output=True, text=True, check=True)
    for kind, _ in files.values():
        audit.validated[kind] += 1
    for message in json.loads(result.stderr)["messages"]:
        kind, where = files.get("/" + message.get("url", "").removeprefix("file:").lstrip("/"),
                                ("?", message.get("url", "?")))
        level = message.get("subType") or message["type"]
        impact = "error" if message["type"] in {"error", "non-document-error"} else level
        rule = message["message"][:160]
        extract = " ".join(message.get("extract", "").split())
        audit.add("vnu", rule, impact, owner_of(extract, rule), f"{kind}:{where}", extract)
    audit.ran.append("validator")


# ------------------------------------------------------------------ browser audits


#: Whether an element is ours: the page content (generator or docs Markdown) or the search.
OWNED_BY_US = """selectors => selectors.map(sel => {
  const el = document.querySelector(sel);
  return !!el && !!el.closest('.md-content__inner, .pa-searchbox,'
    + ' :not(html)[class^="pa-"], :not(html)[class*=" pa-"]');
})"""


def _axe(audit: Audit, page, label: str) -> None:
    page.add_script_tag(path=str(TOOLS / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    for violation in result["violations"]:
        targets = [str(node["target"][-1]) for node in violation["nodes"]]
        ours = page.evaluate(OWNED_BY_US, targets)
        for node, target, mine in zip(violation["nodes"], targets, ours, strict=True):
            why = " ".join(node.get("failureSummary", "").split("\n")[1:2]).strip()
            audit.add("axe", violation["id"], violation["impact"] or "minor",
                      "ours" if mine else "theme", f"{label} {target}",
                      f"{' '.join(node['html'].split())[:120]} -- {why[:200]}")


def _first_query(audit: Audit) -> str:
    """A word that finds papers in this site: the longest word of a paper's title."""
    for path in audit.pages["paper"]:
        words = re.findall(r"[A-Za-z]{5,}", " ".join(parse(path).h1))
        if words:
            return max(words, key=len).lower()
    return "paper"


def audit_browser(audit: Audit, extra: list[str]) -> None:
    """axe-core in Chromium on one page of each kind (and ``extra``), per scheme and width."""
    axe = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file() or not Path(CHROMIUM).exists():
        audit.notes.append(f"axe not run: needs {axe} and {CHROMIUM}")
        return
    query = _first_query(audit)
    with serve_at_site_path(audit.site) as base, chromium() as browser:
        for scheme in SCHEMES:
            for width, (w, h) in WIDTHS.items():
                context = browser.new_context(viewport={"width": w, "height": h},
                                              color_scheme=scheme)
                page = context.new_page()
                for kind, path in representatives(audit, extra):
                    page.goto(url_of(audit, base, path), wait_until="networkidle")
                    _axe(audit, page, f"{kind}/{scheme}/{width}:{path.relative_to(audit.site)}")
                if width == "desktop":
                    page.goto(base, wait_until="networkidle")
                    page.fill("#pa-search-input", query)
                    page.wait_for_selector(".pa-searchbox__panel .pa-result")
                    # the DOM as the site's scripts left it, before axe is injected
                    audit.snapshots["search box open"] = page.content()
                    _axe(audit, page, f"search box open/{scheme}/{width}")
                page.goto(f"{base}search/?q={query}", wait_until="networkidle")
                page.wait_for_selector(".pa-page__results .pa-result")
                tag = page.locator(".pa-facet").first.get_attribute("data-tag")
                _axe(audit, page, f"search results/{scheme}/{width}")
                page.goto(f"{base}search/?q={query}&tag={tag}", wait_until="networkidle")
                # attached, not visible: at phone width the facets sit in a closed panel
                page.wait_for_selector(".pa-facet[aria-pressed=true]", state="attached")
                # the DOM as the site's scripts left it, before axe is injected
                audit.snapshots["search page, tag filter"] = page.content()
                _axe(audit, page, f"search tag filter/{scheme}/{width}")
                context.close()
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        _keyboard(audit, context.new_page(), base, query)
        for kind, path in representatives(audit, extra):
            if kind in FOCUS_WALK:
                _focus_walk(audit, context.new_page(), url_of(audit, base, path), kind)
        context.close()
    audit.ran.append("axe")


#: How an element looks, as far as focus goes.  A visually hidden input (the theme's palette
#: toggle) shows its focus on a label next to it, so its visible labels and next sibling count.
FOCUS_STYLE = """el => {
  document.getAnimations().forEach(a => a.finish());  // a fading-in focus style, as it ends
  const look = e => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
            s.backgroundColor, s.color, s.opacity, s.textDecorationLine].join('|'); };
  if (el.offsetWidth > 1 && getComputedStyle(el).opacity !== '0') return look(el);
  return [...(el.labels || []), el.nextElementSibling]
    .filter(e => e && e.getClientRects().length).map(look).join('/');
}"""


#: Page types whose every focus stop is checked for a visible focus indicator.  <summary>
#: (a paper page's authors) takes focus too: without it the walk stopped there.
FOCUS_WALK = ("home", "paper", "tags overview", "search", "404")
MAX_TABS = 120
SNAPSHOT_FOCUSABLES = """style => {
  const found = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')];
  found.forEach((el, i) => { el.dataset.auditIndex = i; });
  return found.map(el => style(el));
}"""


def _focus_walk(audit: Audit, page, url: str, kind: str) -> None:
    """Tab through a page: every element that takes focus must look different when it has it.

    The unfocused look of every focusable element is taken first; then each Tab stop is
    compared with it.  Stops outside the page content and the search box are the theme's.
    """
    page.goto(url, wait_until="networkidle")
    style = f"({FOCUS_STYLE})"
    unfocused = page.evaluate(f"{SNAPSHOT_FOCUSABLES.replace('style(el)', style + '(el)')}")
    seen: set[int] = set()
    missing = Counter()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(f"""() => {{ const el = document.activeElement;
          if (!el || el === document.body || el.dataset.auditIndex === undefined) return null;
          return [Number(el.dataset.auditIndex), {style}(el),
                  el.outerHTML.slice(0, 120)]; }}""")
        if stop is None or stop[0] in seen:
            break
        seen.add(stop[0])
        index, focused, html = stop
        if focused == unfocused[index]:
            target = f"[data-audit-index='{index}']"
            owner = "ours" if page.evaluate(OWNED_BY_US, [target])[0] else "theme"
            missing[owner] += 1
            audit.add("keyboard", "focus not visible", "serious", owner,
                      f"{kind}:{url.split('/', 3)[-1]} {' '.join(html.split())[:80]}",
                      " ".join(html.split()))
    audit.keyboard.append((f"focus visible at every Tab stop ({kind})", not missing["ours"],
                           f"{len(seen)} stops; not visible: {missing['ours']} ours, "
                           f"{missing['theme']} theme"))


def _keyboard(audit: Audit, page, base: str, query: str) -> None:
    """The header search used by keyboard alone; each check recorded as passed or not."""
    def check(name: str, ok: bool, detail: str = "") -> None:
        audit.keyboard.append((name, bool(ok), detail))
        if not ok:
            audit.add("keyboard", name, "serious", "ours", detail or name)

    page.goto(base, wait_until="networkidle")
    box = page.locator("#pa-search-input")
    unfocused = box.evaluate(FOCUS_STYLE)
    tabs = 0
    while tabs < 40 and page.evaluate("document.activeElement.id") != "pa-search-input":
        page.keyboard.press("Tab")
        tabs += 1
    check("Tab reaches the search box", tabs < 40, f"after {tabs} presses of Tab")
    check("focus on the search box is visible", box.evaluate(FOCUS_STYLE) != unfocused)
    box.fill(query)  # one input event: no later render can reset the selection below
    page.wait_for_selector(".pa-searchbox__panel .pa-result")
    page.wait_for_load_state("networkidle")
    check("results open: aria-expanded is true", box.get_attribute("aria-expanded") == "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(".pa-searchbox__panel .pa-result").nth(1)
    check("ArrowDown selects a result", second.get_attribute("aria-selected") == "true")
    active_id = box.get_attribute("aria-activedescendant") or ""
    check("the selected result is announced (aria-activedescendant)",
          active_id and active_id == second.get_attribute("id"), f"{active_id!r}")
    first = page.locator(".pa-searchbox__panel .pa-result").nth(0)
    check("the selected result looks selected",
          second.evaluate(FOCUS_STYLE) != first.evaluate(FOCUS_STYLE))
    page.keyboard.press("Escape")
    check("Esc closes the results", page.locator("#pa-search-panel").is_hidden()
          and box.get_attribute("aria-expanded") == "false")
    check("Esc closing the results drops the selection",
          not box.get_attribute("aria-activedescendant"))
    page.keyboard.press("Escape")
    check("a second Esc clears the box", box.input_value() == "")


# ------------------------------------------------------------------ Lighthouse


def audit_lighthouse(audit: Audit) -> None:
    """Lighthouse's scores for the home, a paper and the search page, where it is installed."""
    cli = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists() or not Path(CHROMIUM).exists():
        audit.notes.append(f"Lighthouse not run: needs {cli} and {CHROMIUM}")
        return
    targets = {"home": audit.pages["home"], "paper": audit.pages["paper"],
               "search": audit.pages["search"]}
    with serve_at_site_path(audit.site) as base:
        for name, paths in targets.items():
            if not paths:
                continue
            path = dict(representatives(audit, []))[name] if name == "paper" else paths[0]
            out = subprocess.run(
                [str(cli), url_of(audit, base, path), "--quiet", "--output=json",
                 "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
                 "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES)],
                capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                check=False, timeout=300)
            if out.returncode != 0:
                audit.notes.append(f"Lighthouse failed on {name}: {out.stderr[-300:]}")
                continue
            report = json.loads(out.stdout)
            audit.lighthouse[name] = {
                key: round(100 * (cat["score"] or 0))
                for key, cat in report["categories"].items()}
            for key, cat in report["categories"].items():
                for ref in cat["auditRefs"]:
                    item = report["audits"][ref["id"]]
                    if ref["weight"] and item["score"] is not None and item["score"] < 0.9:
                        audit.add("lighthouse", f"{key}: {ref['id']}", "minor", "-",
                                  f"{name}: {item.get('displayValue', item['score'])}")
    audit.ran.append("lighthouse")


# ------------------------------------------------------------------ report


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def summary(audit: Audit) -> str:
    """The audit as Markdown tables, as recorded in docs/maintainers/audits.md."""
    out = [f"# Audit of {audit.site}", ""]
    out += [_table(["page type", "pages"], [[k, len(v)] for k, v in audit.pages.items()]), ""]
    if audit.links:
        out += ["## Links", "", _table(["links", "count"], list(map(list,
                                                                   audit.links.items()))), ""]
    if "validator" in audit.ran:
        rows = []
        for kind in (*PAGE_TYPES, "search (rendered)"):
            counts = Counter()
            for f in audit.findings:
                if f.tool == "vnu":
                    n = sum(1 for w in f.where if w.startswith(kind + ":"))
                    counts[(f.impact, f.owner)] += n
            rows.append([kind, audit.validated[kind], counts[("error", "ours")],
                         counts[("error", "theme")], counts[("warning", "ours")],
                         counts[("warning", "theme")]])
        out += ["## Validator (vnu)", "", _table(
            ["page type", "pages", "errors: ours", "errors: theme", "warnings: ours",
             "warnings: theme"], rows), ""]
    if "axe" in audit.ran:
        rows = []
        for impact in IMPACTS:
            found = [f for f in audit.findings if f.tool == "axe" and f.impact == impact]
            rows.append([impact, sum(len(f.where) for f in found if f.owner == "ours"),
                         sum(len(f.where) for f in found if f.owner == "theme"),
                         ", ".join(sorted({f.rule for f in found})) or "-"])
        out += ["## axe (nodes, over every page x palette x width checked)", "",
                _table(["impact", "ours", "theme", "rules"], rows), ""]
        out += ["## Keyboard", "", _table(
            ["check", "result"], [[name, f"pass {detail}" if ok else f"FAIL {detail}"]
                                  for name, ok, detail in audit.keyboard]), ""]
    if audit.lighthouse:
        out += ["## Lighthouse (mobile emulation)", "", _table(
            ["page", *LIGHTHOUSE_CATEGORIES],
            [[name, *(s.get(k, "-") for k in LIGHTHOUSE_CATEGORIES)]
             for name, s in audit.lighthouse.items()]), ""]
    if audit.findings:
        out += ["## Findings", ""]
        for f in sorted(audit.findings, key=lambda f: (f.tool, f.owner, f.rule)):
            out.append(f"- [{f.tool}] [{f.owner}] [{f.impact}] {f.rule} "
                       f"({len(f.where)}x; e.g. {f.where[0]})")
            if f.example:
                out.append(f"    `{f.example[:160]}`")
        out.append("")
    out += [f"- {note}" for note in audit.notes]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the audits on a built site and print the summary; exit 1 on blocking findings."""
    global TOOLS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (e.g. site)")
    parser.add_argument("--tools", type=Path, default=TOOLS,
                        help="npm prefix holding vnu-jar, axe-core and lighthouse")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["links", "validator", "axe", "lighthouse"],
                        help="leave one audit out (repeatable)")
    parser.add_argument("--page", action="append", default=[],
                        help="another page (path under the site) for the browser audits")
    parser.add_argument("--json", type=Path, help="also write every finding as JSON here")
    args = parser.parse_args(argv)
    TOOLS = args.tools.resolve()
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site (no index.html)")
    audit = Audit(site=args.site.resolve(), pages=classify(args.site.resolve()))
    # The browser step runs first: the validator also checks the DOM it leaves behind.
    steps = {"links": audit_links, "axe": lambda a: audit_browser(a, args.page),
             "validator": audit_html, "lighthouse": audit_lighthouse}
    for name, step in steps.items():
        if name not in args.skip:
            step(audit)
    print(summary(audit))
    if args.json:
        args.json.write_text(json.dumps(
            [f.__dict__ for f in audit.findings], indent=1, sort_keys=True) + "\n", "utf-8")
    blocking = [f for f in audit.findings if f.owner == "ours"
                and f.impact in {"error", "critical", "serious"}]
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
