"""Rendered pages after the theme: icons by reference into one sprite, minified HTML."""

from __future__ import annotations

import re

import pytest

from generator.htmlpost import IconSprite, minify, strip_indentation

MENU = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        '<path d="M3 6h18v2H3z"/></svg>')
GITHUB = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><!--! licence -->'
          '<path d="M1 1"/></svg>')


def test_each_icon_is_referenced_and_stored_once_in_the_sprite() -> None:
    sprite = IconSprite()
    page = f"<a>{MENU}</a><b>{GITHUB}</b><i>{MENU}</i>"
    out = sprite.rewrite(page, "../assets/images/icons.svg")
    refs = re.findall(r'<use href="../assets/images/icons.svg#(i-[0-9a-f]+)"></use>', out)
    assert len(refs) == 3 and refs[0] == refs[2] != refs[1]
    assert "<path" not in out
    text = sprite.text()
    assert text.count("<symbol") == 2
    assert f'<symbol id="{refs[1]}" viewBox="0 0 512 512"><!--! licence -->' in text


def test_the_sprite_is_the_same_whatever_order_pages_were_built_in() -> None:
    one, two = IconSprite(), IconSprite()
    one.rewrite(MENU + GITHUB, "x.svg")
    two.rewrite(GITHUB, "x.svg")
    two.rewrite(MENU, "y.svg")
    assert one.text() == two.text()


def test_escaped_svg_in_page_text_is_left_alone() -> None:
    text = "<p>&lt;svg xmlns=&quot;http://www.w3.org/2000/svg&quot;&gt;</p>"
    assert IconSprite().rewrite(text, "x.svg") == text


def test_minify_keeps_preformatted_text_math_and_closing_tags() -> None:
    pytest.importorskip("minify_html", reason="minify-html is only the benchmark's comparison")
    html = ("<html><head><title>t</title></head><body>\n  <div>\n    <p>a   b</p>\n"
            "  <pre><code>x:\n  - y</code></pre>\n <!-- note -->"
            '<math><mi>x</mi><mo>+</mo><mtext>if and only if</mtext></math>\n'
            '  <ul><li><a href="a b">one</a></li></ul></div></body></html>')
    out = minify(html)
    assert "<pre><code>x:\n  - y</code></pre>" in out
    assert "<mtext>if and only if</mtext>" in out
    assert "</li></ul>" in out and "</p>" in out
    assert 'href="a b"' in out
    assert "note" not in out and "\n    <p>" not in out
    assert len(out) < len(html)


@pytest.mark.parametrize(("html", "expected"), [
    ("<div>\n    <p>a\n      b</p>\n  </div>", "<div>\n<p>a\nb</p>\n</div>"),
    ("<pre><code>x:\n  - y\n    z</code></pre>\n  <p>",
     "<pre><code>x:\n  - y\n    z</code></pre>\n<p>"),
    ("<PRE class=a>\n  kept\n</PRE >\n  x", "<PRE class=a>\n  kept\n</PRE >\nx"),
    ("<textarea>\n  kept</textarea><script>\n  var a = `\n  b`;</script>\n\t<p>",
     "<textarea>\n  kept</textarea><script>\n  var a = `\n  b`;</script>\n<p>"),
    ("no newline at all", "no newline at all"),
])
def test_strip_indentation(html, expected):
    assert strip_indentation(html) == expected
