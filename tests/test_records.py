"""Record-level definitions other stages rely on."""

from __future__ import annotations

import unicodedata

from generator.textrules import NOT_TEXT_RE, visible_text


def test_not_text_is_controls_surrogates_noncharacters_separators_and_bidi_controls():
    bidi = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
    for point in range(0x110000):
        char = chr(point)
        expected = (
            (unicodedata.category(char) == "Cc" and char not in "\t\n\r")
            or 0xD800 <= point <= 0xDFFF or point in (0xFFFE, 0xFFFF)
            or point in (0x2028, 0x2029) or point in bidi
        )
        assert bool(NOT_TEXT_RE.match(char)) == expected, hex(point)


def test_visible_text_collapses_whitespace_and_shows_hidden_characters():
    assert visible_text("  a\tb\n\nc \u202e d\x00 ") == "a b c \ufffd d\ufffd"
