r"""TeX math as plain, readable text: for places that cannot hold MathML.

A browser tab (``<title>``), a meta description, search results (inserted as text nodes),
JSON and a new paper's id all need the title ``$\\mathcal{B}^{3}$-Net`` as ``B³-Net``, not
as TeX.  pylatexenc's latex2text knows what hundreds of math macros look like as Unicode
(``\\top`` -> ⊤, ``\\frac{a}{b}`` -> a/b, ``\\mathbb{R}`` -> ℝ), so it does the bulk; we
add what it leaves as TeX-ish text: digit scripts become Unicode super- and subscripts
(``^{3}`` -> ³, ``_1`` -> ₁), ``^\\circ`` a degree sign, and its mathematical alphabets
(𝙼, ℬ) plain letters, which read better in a tab and slugify to ASCII.

Pure and bounded: input longer than :data:`MAX_TEX_LENGTH` or anything pylatexenc fails
on gives the TeX with backslashes and braces dropped, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

from generator.mathml import MAX_TEX_LENGTH

_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT_RE = re.compile(r"([\^_])\s*(?:\{\s*([0-9+\-=()n]{1,6})\s*\}|([0-9n]))")
_DEGREE_RE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?")
_TO_TEXT = LatexNodes2Text(math_mode="text", strict_latex_spaces="based-on-source")


def _script(match: re.Match[str]) -> str:
    body = match.group(2) or match.group(3)
    if match.group(1) == "_":
        return body.translate(_SUB) if "n" not in body else match.group(0)
    return body.translate(_SUPER)


def _plain_letters(text: str) -> str:
    """Mathematical alphanumerics as the letters they are styles of.

    U+1D400-U+1D7FF and the letterlike script capitals such as ℬ: plain letters read
    better in a tab and slugify to ASCII.
    """
    return "".join(unicodedata.normalize("NFKC", ch)
                   if 0x1D400 <= ord(ch) <= 0x1D7FF or ch in "ℬℰℱℋℐℒℳℛℭℌℑℜℨ" else ch
                   for ch in text)


@lru_cache(maxsize=16384)
def tex_to_text(tex: str) -> str:
    """One formula's TeX (without ``$``) as plain Unicode text."""
    tex = tex.strip()
    if len(tex) > MAX_TEX_LENGTH:
        return _crude(tex[:MAX_TEX_LENGTH])
    tex = _DEGREE_RE.sub("°", tex)
    tex = _SCRIPT_RE.sub(_script, tex)
    try:
        text = _TO_TEXT.latex_to_text(tex)
    except Exception:  # pylatexenc raises IndexError, RecursionError and others
        return _crude(tex)
    return " ".join(_plain_letters(text).split())


def _crude(tex: str) -> str:
    text = re.sub(r"\\([A-Za-z]+)", r"\1", tex)
    return " ".join(text.replace("{", "").replace("}", "").split())


def segments_to_text(segments: list[tuple[str, str]]) -> str:
    """Text and math segments (see :func:`generator.render.split_math`) as plain text."""
    return "".join(tex_to_text(value) if kind == "tex" else value for kind, value in segments)
