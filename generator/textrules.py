"""Text rules shared by every stage: what is not text, and how record text is shown.

The cleaner drops exactly what :data:`NOT_TEXT_RE` names, ``validate`` refuses it, and every
output replaces it (:func:`visible_text`), so the three can never disagree.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that are not text: controls (tab and newlines aside), non-characters, what
#: YAML and JavaScript read as line breaks (U+2028, U+2029), and the bidi embedding,
#: override and isolate controls, which reorder everything after them up to the end of the
#: paragraph: a title ending in U+202E shows the page's next words backwards.
#: One positive character class (not "[^text]|[bidi]"): a scan with it is 3x faster, and
#: pages show titles and teasers many times over.
NOT_TEXT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]")


def visible_text(text: str) -> str:
    """Record text as a reader should see it: whitespace runs collapsed, and characters that
    are not text (:data:`NOT_TEXT_RE`) shown as U+FFFD, so nothing invisible acts on the page.

    ``validate`` refuses such characters; this is the fallback for every output.
    """
    return " ".join(NOT_TEXT_RE.sub("\ufffd", text).split())


def not_text_message(text: str) -> str | None:
    """Why ``text`` is refused for holding a character that is not text, or None."""
    match = NOT_TEXT_RE.search(text)
    if match is None:
        return None
    char = match.group()
    name = unicodedata.name(char, "a control character")
    return (f"contains U+{ord(char):04X} ({name}) at character {match.start() + 1}, which "
            "is not text; delete it")
