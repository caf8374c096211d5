r"""TeX math to MathML at generate time, so readers need no script and no CDN.

latex2mathml does the conversion, but it is not a sanitiser: ``\text{<script>}`` comes out
as a literal ``<script>`` element, ``\href{javascript:...}`` as an ``href`` attribute and
``\color{x' onclick='...}`` as an attribute value with quotes in it.  So we never use its
string output.  We take its element tree and write the markup ourselves, keeping only
MathML elements and presentation attributes from fixed lists, attribute values of a plain
form, and every piece of text HTML-escaped.  Whatever goes wrong (a conversion error, an
unexpected element, absurd nesting) gives ``None``: the caller (:mod:`generator.render`,
which owns the escaping of record text) then shows the TeX source as escaped text.

It is not only about scripts: a record must not be able to take over the page's layout.
``\rule{200em}{200em}`` is a black box the size of a wall, ``\hspace{-50em}`` pulls text
over the buttons.  So lengths (``width``, ``voffset``, ``mathsize`` ...) are kept only up to
:data:`MAX_LENGTH_EM`; a larger one is dropped and the element takes its natural size.

A bound per attribute is not a bound per formula: ``\\Huge`` four times over scales a
5em rule to 190em, a row of ``\\hspace{5em}`` makes a page 10,000 px wide, nested
fractions make it 10,000 px tall, and a negative ``voffset`` lifts text over the title.
So each formula is measured as a whole (:class:`_Budget`): size changes multiply down the
tree and may not pass :data:`MAX_SCALE`; every length counts at its scaled size; the
spaces of a formula together stay under :data:`MAX_SPACE_EM`; negative lengths and
offsets stay within :data:`MAX_SHIFT_EM`; tables, fractions and the like nest at most
:data:`MAX_STACK` deep and tables hold at most :data:`MAX_ROWS` rows.  A formula over any
bound is shown as its TeX source.  The page's style sheet also clips what a formula paints
to its own box (``contain: paint``), so even a bug here cannot paint over the page.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert_to_element

#: MathML presentation elements we let through; anything else means "show the source".
ELEMENTS = frozenset({
    "math", "menclose", "merror", "mfrac", "mi", "mn", "mo", "mover", "mpadded", "mphantom",
    "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable",
    "mtd", "mtext", "mtr", "munder", "munderover", "semantics", "annotation",
})

#: Presentation attributes only: nothing that links, loads or runs anything.
ATTRIBUTES = frozenset({
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "depth",
    "display", "displaystyle", "fence", "form", "frame", "height", "largeop", "linethickness",
    "lspace", "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize",
    "movablelimits", "notation", "rowalign", "rowlines", "rowspacing", "rspace",
    "scriptlevel", "separator", "stretchy", "symmetric", "voffset", "width",
})

#: Attributes that are lengths (or space-separated lists of them); see :func:`_bounded`.
LENGTHS = frozenset({
    "columnspacing", "depth", "height", "linethickness", "lspace", "mathsize", "maxsize",
    "minsize", "rowspacing", "rspace", "voffset", "width",
})
#: The largest length kept, in em: TeX's widest standard space (\\qquad) is 2em,
#: \\Huge is 2.49em.
MAX_LENGTH_EM = 5.0
#: Roughly how many em one unit is (1em = 16px = 10pt, 18mu = 1em); unitless counts as em.
EM_PER_UNIT = {"": 1.0, "em": 1.0, "ex": 0.5, "mu": 1 / 18, "pt": 0.1, "px": 1 / 16,
               "pc": 1.2, "mm": 0.284, "cm": 2.84, "in": 7.2, "%": 0.01}
_LENGTH = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(em|ex|mu|pt|px|pc|mm|cm|in|%)?$")
#: scriptlevel below -2 would blow text up (each level is a factor of about 1.4).
_SCRIPTLEVEL = re.compile(r"^[+-]?[0-2]$")

#: Attribute values are words, numbers, lengths and colours: no quotes, brackets or colons.
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9#.%+\- ]{0,64}$")
#: latex2mathml writes symbols as numeric character references inside element text.
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7});")
MATH_NS = "{http://www.w3.org/1998/Math/MathML}"
MAX_DEPTH = 60
#: The longest formula converted at all, as MathML here or as text by :mod:`generator.mathtext`.
MAX_TEX_LENGTH = 2000
#: Largest size a formula's text may reach, as a product of its size changes (\\Huge).
MAX_SCALE = 2.5
#: Sum of a formula's explicit spaces (``mspace`` widths), at their scaled size.
MAX_SPACE_EM = 12.0
#: Largest negative length or offset (either way): TeX's negative spaces are under 0.3em.
MAX_SHIFT_EM = 1.0
#: Deepest nesting of what stacks vertically (fractions, tables, roots, under/over).
MAX_STACK = 8
#: Rows of all tables of one formula.
MAX_ROWS = 24
_STACKING = frozenset({"mfrac", "mtable", "mroot", "msqrt", "munder", "mover", "munderover",
                       "msubsup", "msub", "msup"})
_NAMED_SIZES = {"small": 0.8, "normal": 1.0, "big": 1.2}


class UnsafeMath(ValueError):
    """The converted tree holds something we do not write out."""


def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """MathML for ``tex`` (inline, or ``display="block"``), or None when unsafe to convert.

    No path returns markup that came from the input: element and attribute names come
    from the fixed lists above, values and text are escaped.
    """
    if not tex.strip() or len(tex) > MAX_TEX_LENGTH or "&#" in tex:
        # "&#" would be indistinguishable from latex2mathml's own character references.
        return None
    try:
        root = convert_to_element(words_as_text(tex), display="block" if display else "inline")
        return _serialise(root, 0, _Budget())
    except Exception:  # latex2mathml raises many kinds, including RecursionError
        return None


#: Names that are math in a formula even without their backslash (``n log n``,
#: ``arg max``): a run of words made only of these (with single letters) stays math.
OPERATOR_NAMES = frozenset("""
    log ln lg exp sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan max min sup
    inf lim liminf limsup det dim ker arg argmax argmin mod bmod gcd lcm deg hom Pr tr
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi rho sigma tau upsilon phi varphi chi psi omega le leq ge geq ll gg neq approx
    sim in notin cup cap times cdot circ pm mp infty partial nabla sum prod int top to mid
    dots ldots cdots forall exists left right frac sqrt mathcal mathbb mathbf mathrm
""".split())
#: A word of prose in a formula: two letters or more, with an inner hyphen or apostrophe.
_WORD = r"[A-Za-z]{2,}(?:['\u2019-][A-Za-z]+)*"
#: Two or more words with only spaces (``~`` too) and sentence punctuation between them,
#: not glued to a command's backslash, a script, a group or a parenthesis (``f(x)``):
#: prose typed in math mode, which latex2mathml sets as italic letters without spaces.
_WORD_RUN_RE = re.compile(
    rf"(?<![\w\\^_'\ue000]){_WORD}(?:[,.;:]?[\s~]+{_WORD})+(?![\w{{(\[^_'\ue000])")
_GROUP_MASK = "\ue000"


def words_as_text(tex: str) -> str:
    r"""``tex`` with each run of ordinary words set as text, its spaces kept.

    ``$P(final output is incorrect)$`` (arXiv 2411.19477) comes out of latex2mathml as
    ``finaloutputisincorrect`` in italics: math mode drops spaces.  A run of two or more
    words at the formula's top level becomes ``\text{...}`` (an ``mtext``, upright, spaces
    kept), with a no-break space at an edge where the source had a space (MathML trims
    ordinary spaces at a token's edges).  Real math is left as it is: a run must hold a
    lower-case word of three letters or more that is no operator or command name
    (:data:`OPERATOR_NAMES`: ``n log n``, ``arg max``), words glued to a backslash, a
    script, a brace or a parenthesis are not prose (``\log n``, ``x_{max}``, ``f(x)``),
    and nothing inside a group (``\text{...}``, ``\mathcal{L}``, ``x^{a b}``) is touched.
    """
    if " " not in tex and "~" not in tex:
        return tex
    masked = _mask_groups(tex)
    if masked is None:
        return tex
    out: list[str] = []
    pos = 0
    for match in _WORD_RUN_RE.finditer(masked):
        words = re.findall(_WORD, match.group())
        if not any(w.islower() and len(w) >= 3 and w not in OPERATOR_NAMES for w in words):
            continue
        start, end = match.start(), match.end()
        before = "\u00a0" if start and tex[start - 1].isspace() and tex[:start].strip() else ""
        after = "\u00a0" if tex[end:end + 1].isspace() and tex[end:].strip() else ""
        words_text = " ".join(match.group().replace("~", " ").split())
        out += [tex[pos:start], f"\\text{{{before}{words_text}{after}}}"]
        pos = end
    return "".join(out) + tex[pos:] if out else tex


def _mask_groups(tex: str) -> str | None:
    r"""``tex`` with its groups and escapes covered by :data:`_GROUP_MASK`, lengths kept.

    Every top-level ``{...}`` group (braces included) and every escaped character
    (``\{``, ``\ ``) is covered; None when the braces do not balance (then the formula is
    left to the converter as it is).
    """
    chars = list(tex)
    depth = 0
    pos = 0
    while pos < len(chars):
        char = chars[pos]
        if char == "\\" and pos + 1 < len(chars) and not chars[pos + 1].isalpha():
            if depth == 0:
                chars[pos] = chars[pos + 1] = _GROUP_MASK
            pos += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
            chars[pos] = _GROUP_MASK
        if depth:
            chars[pos] = _GROUP_MASK
        pos += 1
    return "".join(chars) if depth == 0 else None


class _Budget:
    """What one formula has used so far of the bounds in the module docstring."""

    def __init__(self) -> None:
        self.scale = 1.0
        self.space_em = 0.0
        self.stack = 0
        self.rows = 0


def _serialise(element: ET.Element, depth: int, budget: _Budget) -> str:
    if depth > MAX_DEPTH:
        raise UnsafeMath("nested too deeply")
    tag = element.tag.removeprefix(MATH_NS) if isinstance(element.tag, str) else ""
    if tag not in ELEMENTS:
        raise UnsafeMath(f"element {tag!r}")
    outer_scale = budget.scale
    parts = [f"<{tag}"]
    if tag == "math":
        parts.append(' xmlns="http://www.w3.org/1998/Math/MathML"')
    attributes = sorted(element.attrib.items(), key=lambda item: item[0] != "mathsize")
    kept = []
    for name, value in attributes:  # mathsize first: it scales the element's own lengths
        if name in ATTRIBUTES and _SAFE_VALUE.match(value) and _bounded(name, value, budget):
            kept.append((name, value))
            if name == "mathsize":
                budget.scale *= _size_factor(value)
                if budget.scale > MAX_SCALE:
                    raise UnsafeMath("text scaled too large")
            elif name == "width" and tag == "mspace":
                budget.space_em += max(0.0, _em(value) or 0.0) * budget.scale
                if budget.space_em > MAX_SPACE_EM:
                    raise UnsafeMath("too much space")
    for name, value in sorted(kept):
        parts.append(f' {name}="{html.escape(value, quote=True)}"')
    if tag == "mtr":
        budget.rows += 1
        if budget.rows > MAX_ROWS:
            raise UnsafeMath("too many rows")
    stacking = tag in _STACKING
    budget.stack += stacking
    if budget.stack > MAX_STACK:
        raise UnsafeMath("stacked too deeply")
    parts.append(">")
    parts.append(_text(element.text))
    for child in element:
        parts.append(_serialise(child, depth + 1, budget))
        parts.append(_text(child.tail))
    parts.append(f"</{tag}>")
    budget.stack -= stacking
    budget.scale = outer_scale
    return "".join(parts)


def _em(token: str) -> float | None:
    """A length in em, or None when it is not a plain length."""
    match = _LENGTH.match(token)
    if match is None:
        return None
    sign = -1.0 if token.startswith("-") else 1.0
    return sign * float(match.group(1)) * EM_PER_UNIT[match.group(2) or ""]


def _size_factor(value: str) -> float:
    """How much ``mathsize`` scales the text (``2.49em``, ``150%``, ``big``)."""
    value = value.strip()
    if value in _NAMED_SIZES:
        return _NAMED_SIZES[value]
    if value.endswith("%"):
        return float(value[:-1]) / 100
    em = _em(value)
    return 1.0 if em is None else em


def _bounded(name: str, value: str, budget: _Budget | None = None) -> bool:
    """Whether attribute ``name`` keeps the formula within its box on the page.

    False for a length beyond :data:`MAX_LENGTH_EM` at the formula's current scale, a
    negative length or any offset beyond :data:`MAX_SHIFT_EM`, or a scriptlevel outside
    0..2 (a negative level enlarges the text): hostile math must not cover the page.
    """
    if name == "scriptlevel":
        return bool(_SCRIPTLEVEL.match(value.strip())) and not value.strip().startswith("-")
    if name not in LENGTHS:
        return True
    scale = budget.scale if budget is not None else 1.0
    if name == "mathsize":
        scale = 1.0  # the size itself is checked against MAX_SCALE by the caller
    for token in value.split():
        em = _em(token)
        if em is None:
            if not token.isalpha():  # named sizes ("thin", "infinity") are bounded by CSS
                return False
            continue
        em *= scale
        if em > MAX_LENGTH_EM or em < -MAX_SHIFT_EM:
            return False
        if name == "voffset" and abs(em) > MAX_SHIFT_EM:
            return False
    return True


def _text(text: str | None) -> str:
    """Element text with latex2mathml's character references decoded, then escaped."""
    if not text:
        return ""
    decoded = _CHAR_REF.sub(_decode_ref, text)
    return html.escape(decoded, quote=False)


def _decode_ref(match: re.Match[str]) -> str:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[0] == "x" else int(ref)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return "\ufffd"
    return chr(code)
