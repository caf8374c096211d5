"""What happens to every HTML page after Material renders it: icons by reference, minified.

At 50,000 pages every byte of chrome is paid 50,000 times, and GitHub Pages publishes at
most 1 GB.  Two things are taken out of each page here, in the hooks (``on_post_page``),
so that the theme's templates stay the theme's:

* **Icons.**  Material inlines each icon's SVG wherever it is used (the logo and the
  repository icon twice per page, the palette toggles, the menu, edit and back-to-top
  buttons): 4.8 KB of every paper page.  :class:`IconSprite` replaces each inline
  ``<svg>`` of the theme by ``<svg><use href=".../icons.svg#i-<hash>"></use></svg>`` and
  collects the icons into one sprite file written once per build (``on_post_build``),
  which the browser caches.  Licence comments inside icons (Font Awesome's) stay, once,
  in the sprite.  Ids are a hash of the icon's markup, so the same icon gets
  the same id on every page and in every build.
* **Whitespace.**  Each run of whitespace with a line break in it becomes one line break
  (:func:`strip_indentation`), outside ``<pre>``, ``<textarea>`` and ``<script>``.
  ``minify-html`` (a maintained minifier, :func:`minify`) was measured against it on the
  same pages (``PA_HTML_POST=minify-html``, see docs/maintainers/performance.md): it makes
  pages about 5% smaller (a paper page 10.9 KB instead of 11.5 KB) for the same time, but
  it re-serialises the whole page: it drops attribute quotes, reorders attributes and
  rewrites the escaping of record text (``&quot;`` and ``&#x27;`` become raw quotes).
  Escaping belongs to render.py alone, and a published page whose escaping a third
  party re-did can no longer be checked against it, so 5% does not pay for that and the
  stripper stays the default.  ``minify-html`` is therefore not a dependency: install it
  by hand (``pip install minify-html``) to repeat the comparison.

Record text never contains raw ``<svg>`` (render.py escapes all record text), so only the
theme's icons match.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable

#: Where the sprite is written, relative to the site root.
SPRITE_PATH = "assets/images/icons.svg"

# One inline SVG as Material includes it from its .icons folder: no nested <svg>.
_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="(?P<box>[^"]*)">'
                  r"(?P<body>(?:(?!</svg>).)*)</svg>", re.DOTALL)

# Elements whose text keeps its whitespace; everything else may lose line indentation.
_KEEP_WHITESPACE = re.compile(r"<(pre|textarea|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_INDENT = re.compile(r"\n\s+")


class IconSprite:
    """Collects the icons of the pages it has rewritten; writes them as one sprite."""

    def __init__(self) -> None:
        self.icons: dict[str, tuple[str, str]] = {}  # id -> (viewBox, body)

    def rewrite(self, html: str, sprite_url: str) -> str:
        """``html`` with every inline theme icon replaced by a reference into the sprite."""

        def replace(match: re.Match[str]) -> str:
            box, body = match.group("box"), match.group("body")
            icon_id = "i-" + hashlib.sha256(f"{box}\n{body}".encode()).hexdigest()[:10]
            self.icons.setdefault(icon_id, (box, body))
            return f'<svg viewBox="{box}"><use href="{sprite_url}#{icon_id}"></use></svg>'

        return _SVG.sub(replace, html)

    def text(self) -> str:
        """The sprite: one ``<symbol>`` per icon, sorted by id, so builds are identical."""
        symbols = "".join(f'<symbol id="{icon_id}" viewBox="{box}">{body}</symbol>'
                          for icon_id, (box, body) in sorted(self.icons.items()))
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


def post_process(html: str) -> str:
    """The page as published: the ``PA_HTML_POST`` minifier (for the benchmark's comparison)."""
    return MINIFIERS[os.environ.get("PA_HTML_POST", DEFAULT_MINIFIER)](html)


def minify(html: str) -> str:
    """``html`` minified by ``minify-html`` (closing tags kept): for the comparison only."""
    import minify_html

    minified: str = minify_html.minify(
        html, keep_closing_tags=True, keep_input_type_text_attr=True,
        keep_html_and_head_opening_tags=True, minify_css=False, minify_js=False)
    return minified


def strip_indentation(html: str) -> str:
    """``html`` with each run of whitespace that holds a line break made one line break.

    Outside ``<pre>``, ``<textarea>`` and ``<script>`` (where whitespace can matter),
    whitespace between tags and in text renders as one space however long it is, so
    nothing a reader sees changes: this drops Material's indentation and blank lines.
    """
    out, pos = [], 0
    for match in _KEEP_WHITESPACE.finditer(html):
        out.append(_INDENT.sub("\n", html[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_INDENT.sub("\n", html[pos:]))
    return "".join(out)


#: The ways a page can be slimmed, by name; ``benchmarks/site_bench.py`` measures each.
MINIFIERS: dict[str, Callable[[str], str]] = {"minify-html": minify,
                                              "strip-indentation": strip_indentation,
                                              "none": lambda html: html}
DEFAULT_MINIFIER = "strip-indentation"
