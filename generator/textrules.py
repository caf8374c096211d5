r"""Text rules shared by every stage: what is not text, math spans, teasers, search folding.

Each rule is stated here once, so the stages that apply it cannot drift apart:

* what is not text: the cleaner drops exactly what :data:`NOT_TEXT_RE` names, ``validate``
  refuses it, and every output replaces it (:func:`visible_text`);
* a ``$math$`` span, or a ``$$display$$`` one (:data:`MATH_SPAN_RE`): the cleaner
  protects it, pages render it as MathML, the search indexes and shows its TeX;
* emphasis (:data:`EMPHASIS`, ``\textbf{...}`` and ``\emph{...}`` in abstracts): the
  cleaner writes it, ``validate`` checks it (:func:`emphasis_message`), pages show it
  (:func:`rich_segments`) and every other output folds it to its text (:func:`split_math`,
  :func:`without_emphasis`);
* the teaser (:func:`teaser_segments`): the same words on tag pages and in search results;
* a URL in an abstract (:data:`URL_RE`, :func:`trim_url`): the cleaner finds the paper's
  links with it, pages make it a link; an HTML link a listing left in an abstract
  (:func:`anchors_as_text`) is its URL for both;
* folding for search (:func:`fold`, :func:`search_words`): the index is built with it here,
  and the browser folds queries by the same rule, which reaches it through the search
  manifest (:func:`browser_text_rules`); a test runs both on every code point.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

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
    """Record text as a reader should see it.

    Whitespace runs are collapsed, and characters that are not text (:data:`NOT_TEXT_RE`)
    shown as U+FFFD, so nothing invisible acts on the page.

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


#: What may not reach a terminal or a CI log raw: every control character (tab and
#: newlines too), U+2028/U+2029 and the bidi controls.  A file name holding "\n::warning"
#: would otherwise start a GitHub workflow command in the log.
_NOT_PRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` as one safe line for a terminal or log.

    Controls are shown as ``\\n``, ``\\xNN`` or ``\\uNNNN``, so nothing a record holds can
    break an error's one line or act as a terminal command.
    """
    def show(match: re.Match[str]) -> str:
        char = match.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
            f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    return _NOT_PRINTABLE_RE.sub(show, text)


# ------------------------------------------------------------------ math spans

#: A ``$math$`` span, the one definition every stage uses: a ``$`` not escaped as ``\$``,
#: then TeX in which a backslash always takes the next character with it (so ``\$`` inside
#: math is an escaped dollar and ``\\`` a line break: ``$a\\$`` ends after ``\\``), then the
#: closing ``$``.  ``$$...$$`` is a display formula (group 1), ``$...$`` an inline one
#: (group 2); :func:`math_tex` gives the TeX of either.  Outside spans, ``\$`` is a literal
#: dollar and a ``$`` without a partner is text.  Two formulas side by side (``$a$$b$``)
#: stay two: the scan is left to right, so their ``$$`` is a closing and an opening dollar.
MATH_SPAN_RE = re.compile(r"(?<!\\)(?:\$\$((?:\\.|[^\\$])+)\$\$|\$((?:\\.|[^\\$])+)\$)")

Segment = tuple[str, str]
#: A segment with the emphasis it is shown in, outermost first: ``("text", "x", ("strong",))``.
#: Kinds: ``text``, ``tex`` (inline math) and ``display`` (a display formula).
Styled = tuple[str, str, tuple[str, ...]]


def math_tex(match: re.Match[str]) -> str:
    """The TeX of a :data:`MATH_SPAN_RE` match, display or inline, without its dollars."""
    return match.group(1) if match.group(1) is not None else match.group(2)


def split_math(text: str, emphasis: bool = True) -> list[Segment]:
    r"""Split text into ``("text", s)`` and ``("tex", s)`` segments (see :data:`MATH_SPAN_RE`).

    In text segments ``\\$`` has become ``$``; tex segments are the TeX between the dollars,
    display formulas included.  Emphasis (:data:`EMPHASIS`) is folded to its text: this is
    the plain view every output without markup uses (search, descriptions, feeds, the
    residue report); pages that show emphasis and display formulas use
    :func:`rich_segments`.  ``emphasis=False`` (titles, which hold none) leaves it as text.
    """
    if "$" not in text and "\\" not in text:
        return [("text", text)] if text else []
    out: list[Segment] = []
    for kind, value, _ in rich_segments(text, emphasis):
        kind = "tex" if kind == "display" else kind
        if kind == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + value)
        else:
            out.append((kind, value))
    return out


def source_text(segments: Iterable[Segment]) -> str:
    """Segments as plain text with math as its TeX source, without the dollars."""
    return "".join(value for _, value in segments)


# ------------------------------------------------------------------ emphasis

#: The inline emphasis a record's abstract may hold, as TeX, and the HTML element each is
#: shown as.  The cleaner writes every kind of emphasis it keeps as one of these two
#: (``\textit``, ``\uline``, ``{\em x}`` ... as ``\emph``), so a record has one notation;
#: titles hold none (see docs/maintainers/text.md).  Where markup cannot go, an emphasis is
#: its text (:func:`split_math`, :func:`without_emphasis`).
EMPHASIS = {"textbf": "strong", "emph": "em"}
#: Emphasis inside emphasis at most this deep (bold italics); deeper ones show as text.
MAX_EMPHASIS_DEPTH = 2
#: Longest emphasised text, TeX of its formulas included: a highlighted name or phrase,
#: not a paragraph (longer ones show without emphasis).
MAX_EMPHASIS_CHARS = 300
_EMPHASIS_OPEN = "|".join(EMPHASIS)
_EMPHASIS_TOKEN_RE = re.compile(rf"\\({_EMPHASIS_OPEN})\{{|\\[^A-Za-z]|[{{}}]")
_HAS_EMPHASIS_RE = re.compile(rf"\\(?:{_EMPHASIS_OPEN})\{{")


@dataclass(frozen=True)
class _Group:
    r"""One well-formed emphasis in a record's text.

    ``\\name{`` starts at ``start``, its text runs from ``inner`` to the closing brace at
    ``end``; ``shown`` is False when a bound makes it plain text.
    """

    name: str
    start: int
    inner: int
    end: int
    depth: int
    shown: bool


def _parse_emphasis(text: str, spans: list[tuple[int, int]],
                    ) -> tuple[list[_Group], list[tuple[int, str]]]:
    r"""The emphasis groups of ``text`` and what is wrong with the rest.

    ``spans`` are the formulas (opaque: their braces are TeX's).  A group is
    ``\\textbf{`` or ``\\emph{``, text, formulas and groups, and its closing ``}``; a
    brace of its own inside it (``\\emph{a {b}}``) or no closing brace leaves it text.
    Problems are ``(position, message)``, for ``validate``.
    """
    masked = text
    if spans:
        parts, pos = [], 0
        for start, end in spans:
            parts += [text[pos:start], " " * (end - start)]
            pos = end
        masked = "".join(parts) + text[pos:]
    groups: list[_Group] = []
    problems: list[tuple[int, str]] = []
    stack: list[tuple[str, int, int]] = []
    for match in _EMPHASIS_TOKEN_RE.finditer(masked):
        token = match.group()
        if match.group(1):
            stack.append((match.group(1), match.start(), match.end()))
        elif token == "{" and stack:
            problems += [(start, f"\\{name}{{...}} holds a brace of its own; emphasis holds "
                          "text and formulas only") for name, start, _ in stack]
            stack.clear()
        elif token == "}" and stack:
            name, start, inner = stack.pop()
            depth = len(stack) + 1
            content = text[inner:match.start()]
            shown = True
            if not content.strip():
                problems.append((start, f"\\{name}{{}} is empty"))
                shown = False
            elif depth > MAX_EMPHASIS_DEPTH:
                problems.append((start, f"\\{name}{{...}} is nested {depth} deep; at most "
                                 f"{MAX_EMPHASIS_DEPTH}"))
                shown = False
            elif len(content) > MAX_EMPHASIS_CHARS:
                problems.append((start, f"\\{name}{{...}} holds {len(content)} characters; "
                                 f"at most {MAX_EMPHASIS_CHARS}"))
                shown = False
            groups.append(_Group(name, start, inner, match.start(), depth, shown))
    problems += [(start, f"\\{name}{{ is not closed") for name, start, _ in stack]
    return groups, sorted(problems)


def rich_segments(text: str, emphasis: bool = True) -> list[Styled]:
    r"""One paragraph as styled segments: text, inline and display math, with emphasis.

    Emphasis that is not well formed (:func:`_parse_emphasis`) stays as its text,
    backslash and all, so the residue report sees it; one over a bound is shown as plain
    text.  Nothing here is markup yet: :mod:`generator.render` escapes and writes it.
    """
    matches = list(MATH_SPAN_RE.finditer(text)) if "$" in text else []
    spans = [(m.start(), m.end()) for m in matches]
    groups = (_parse_emphasis(text, spans)[0]
              if emphasis and _HAS_EMPHASIS_RE.search(text) else [])
    # Cuts: (start, end, change) where change pushes a style, pops one, or does nothing.
    cuts: list[tuple[int, int, str]] = []
    for group in groups:
        name = EMPHASIS[group.name] if group.shown else ""
        cuts += [(group.start, group.inner, "+" + name), (group.end, group.end + 1, "-" + name)]
    cuts.sort()
    out: list[Styled] = []
    style: tuple[str, ...] = ()
    pos = 0
    k = 0  # the next formula

    def emit(upto: int) -> None:
        nonlocal pos, k
        while k < len(matches) and matches[k].start() < upto:
            match = matches[k]
            _add_text(out, text[pos:match.start()], style)
            out.append(("display" if match.group(1) is not None else "tex", math_tex(match),
                        style))
            pos = match.end()
            k += 1
        _add_text(out, text[pos:upto], style)
        pos = upto

    for start, end, change in cuts:
        emit(start)
        pos = end
        if change[1:]:
            style = (*style, change[1:]) if change[0] == "+" else style[:-1]
    emit(len(text))
    return out


def _add_text(out: list[Styled], value: str, style: tuple[str, ...]) -> None:
    if not value:
        return
    value = value.replace("\\$", "$")
    if out and out[-1][0] == "text" and out[-1][2] == style:
        out[-1] = ("text", out[-1][1] + value, style)
    else:
        out.append(("text", value, style))


def without_emphasis(text: str) -> str:
    r"""``text`` with each well-formed emphasis replaced by its text (``\\emph{x}`` -> x).

    For stages that read words, not pages (tagging, related papers): emphasis is how a
    word is shown, never a word of its own.
    """
    if not _HAS_EMPHASIS_RE.search(text):
        return text
    spans = [(m.start(), m.end()) for m in MATH_SPAN_RE.finditer(text)]
    drop: list[tuple[int, int]] = []
    for group in _parse_emphasis(text, spans)[0]:
        drop += [(group.start, group.inner), (group.end, group.end + 1)]
    drop.sort()
    parts, pos = [], 0
    for start, end in drop:
        parts.append(text[pos:start])
        pos = end
    return "".join(parts) + text[pos:]


def emphasis_message(text: str, *, allowed: bool = True) -> str | None:
    """Why ``validate`` refuses the emphasis of a title or abstract, or None.

    ``allowed=False`` (titles): any emphasis is refused.  Otherwise each paragraph's
    emphasis must be well formed and within the bounds above.
    """
    if not _HAS_EMPHASIS_RE.search(text):
        return None
    if not allowed:
        match = _HAS_EMPHASIS_RE.search(text)
        assert match is not None
        return (f"{match.group()[:-1]}{{...}} is not allowed here (emphasis is for abstracts "
                "only); write the text without it")
    for paragraph in text.split("\n\n"):
        shown = visible_text(paragraph)
        spans = [(m.start(), m.end()) for m in MATH_SPAN_RE.finditer(shown)]
        problems = _parse_emphasis(shown, spans)[1]
        if problems:
            start, message = problems[0]
            sample = shown[start:start + 40] + ("…" if len(shown) > start + 40 else "")
            return (f"{message} (at «{sample}»); emphasis is \\textbf{{text}} or "
                    "\\emph{text}")
    return None


# ------------------------------------------------------------------ TeX without its backslash

#: Command names a scrape leaves without their backslash that are never an English word:
#: wherever one stands as a word, it is TeX (``1-varepsilon``, ``O(n^2 cdot d)``).
#: ``approx`` (an abbreviation), ``epsilon`` (``epsilon-greedy``) and ``forall`` (a
#: keyword of proof languages) are words too, so they are not here.
BARE_NAMES = frozenset("""
    varepsilon vartheta varphi varrho varsigma leq geq neq infty cdot cdots ldots ddots
    vdots rightarrow leftarrow Rightarrow Leftarrow leftrightarrow mapsto lceil rceil
    lfloor rfloor langle rangle notin subseteq supseteq nabla propto simeq emptyset
    varnothing mathcal mathbb mathbf mathrm mathit mathsf mathfrak boldsymbol operatorname
    frac dfrac tfrac textbf textit textrm
""".split())
#: Commands that take an argument, TeX when glued to its ``{`` (``frac{1}{2}``, ``hat{x}``).
BARE_ARGUMENT_NAMES = frozenset("""
    frac dfrac tfrac sqrt mathcal mathbb mathbf mathrm mathit mathsf mathfrak boldsymbol
    operatorname text textbf textit textrm hat tilde bar vec dot ddot overline underline
    widehat widetilde
""".split())
#: Greek letters that are TeX commands (no ``\Alpha``: TeX has none).  As words they are
#: also English (``alpha channel``, ``Raspberry Pi``) or names (``Phi3-mini``, ``p-tau217``,
#: LoRA's ``alpha=16``), so they count as TeX only glued to a script or a group
#: (``alpha_1``, ``beta^2``, ``x_mu``, ``Delta{x}``) or alone as a formula's word.
GREEK_NAMES = frozenset("""
    alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma
    tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi
    Omega
""".split()) | {"varepsilon", "vartheta", "varphi", "varrho", "varsigma"}


def _names(names: Iterable[str]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


_BARE_NAME_RE = re.compile(rf"(?<![\\A-Za-z])(?:{_names(BARE_NAMES)})(?![A-Za-z])")
_BARE_ARGUMENT_RE = re.compile(rf"(?<![\\A-Za-z])(?:{_names(BARE_ARGUMENT_NAMES)})(?=\{{)")
#: ``left(`` and ``right)``: TeX's sized delimiters, glued to the delimiter.  In prose
#: "left" and "right" are words ("the right (green) curve"), so a ``right`` counts only
#: after a ``left`` of the same text (:func:`bare_commands`).
_BARE_LEFT_RE = re.compile(r"(?<![\\a-z])left(?=[(\[|]|\\[{|]|\\?langle)")
_BARE_RIGHT_RE = re.compile(r"(?<![\\A-Za-z])right(?=[)\]|]|\\[}|]|\\?rangle)")
_BARE_GREEK_RE = re.compile(
    rf"(?<![\\A-Za-z])(?:{_names(GREEK_NAMES)})(?=[_^{{])"
    rf"|(?<=[_^{{])(?:{_names(GREEK_NAMES)})(?![A-Za-z])")
_LONE_GREEK_RE = re.compile(rf"(?<![\\A-Za-z0-9^_])(?:{_names(GREEK_NAMES)})(?![A-Za-z])")
#: Arguments that are text in math: what is inside is words, not command names.
_TEXT_ARGUMENT_RE = re.compile(
    r"\\(?:text\w*|math(?:rm|it|sf|tt)|operatorname|mbox|label)\*?\s*"
    r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}")
#: A braced script in math, which may be a label (``p_{gen}``, ``x_{eta}``).
_SCRIPT_GROUP_RE = re.compile(r"[_^]\{[^{}]*\}")
_PROSE_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


def bare_commands(text: str, math: bool = False, certain: bool = False,
                  ) -> list[tuple[int, int]]:
    r"""Where ``text`` holds a TeX command name that lost its backslash: ``(start, end)``.

    The scrape of an arXiv listing sometimes drops every backslash (``Oleft(m
    V{varepsilon^2}``, ``mathcal{L}``, ``frac{1}{2}``); the page then shows the names as
    words.  Counted, in text or in a formula (``math``), only with a signal that it is
    TeX, since many of these names are also English words:

    * a name of :data:`BARE_NAMES`, never an English word, as a word of its own;
    * a name of :data:`BARE_ARGUMENT_NAMES` glued to its ``{`` (``hat{x}``);
    * ``left`` glued to an opening delimiter (``left(``), and then ``right`` glued to a
      closing one (``right)``): ``the left (blue) panel`` has a space, and a ``right)``
      alone is prose (``(top right)``);
    * a Greek letter's name glued to a script or group (``alpha_1``, ``x^beta``), and in
      a formula also as a word of its own (``$mu$``), unless it is inside a text or label
      argument (``$\mathrm{beta}$``, ``$x_{eta}$`` stay) or the formula is prose that
      mispaired dollars made (more than three other words of three letters or more).

    ``certain`` keeps only what may be repaired without a doubt (the cleaner's
    ``repair_math`` puts the backslash back): the names of :data:`BARE_NAMES`, the
    commands glued to their ``{``, and ``left``/``right`` pairs when every sized
    delimiter of ``text`` then has its partner.  A Greek name is left out: in a formula
    that kept other backslashes it may be a label (``\\mu_{sim}``).
    """
    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group())

    if math:  # lengths kept, so positions stay those of ``text``
        text = _TEXT_ARGUMENT_RE.sub(blank, text)
    found: set[tuple[int, int]] = set()
    for pattern in (_BARE_NAME_RE, _BARE_ARGUMENT_RE):
        found.update(m.span() for m in pattern.finditer(text))
    lefts = [m.span() for m in _BARE_LEFT_RE.finditer(text)]
    rights = [m.span() for m in _BARE_RIGHT_RE.finditer(text) if lefts and m.start() > lefts[0][0]]
    paired = (len(lefts) == len(rights)
              and len(re.findall(r"\\left(?![A-Za-z])", text))
              == len(re.findall(r"\\right(?![A-Za-z])", text)))
    if not certain or paired:
        found.update(lefts + rights)
    if certain:
        return sorted(found)
    greek = _SCRIPT_GROUP_RE.sub(blank, text) if math else text
    found.update(m.span() for m in _BARE_GREEK_RE.finditer(greek))
    if math:
        words = [w for w in _PROSE_RE.findall(greek)
                 if w not in GREEK_NAMES and w not in BARE_NAMES]
        if len(words) <= 3:
            found.update(m.span() for m in _LONE_GREEK_RE.finditer(greek))
    return sorted(found)


# ------------------------------------------------------------------ links in text

#: Characters a URL in prose may hold (RFC 3986's, less those that end one in running
#: text or are never in one unescaped: spaces, quotes, angle brackets, braces, backslash).
URL_CHARS = r"[^\s<>\"{}|\\^`\[\]]"
#: A URL written in record text: ``http(s)://...``, or a code host written without a scheme
#: (``github.com/owner/repo``), which is a link all the same.  Its end still needs
#: :func:`trim_url`.
URL_RE = re.compile(
    rf"https?://{URL_CHARS}+|(?<![\w.@/:-])(?:www\.)?(?:github\.com|huggingface\.co|"
    rf"gitlab\.com)/[A-Za-z0-9]{URL_CHARS}*", re.IGNORECASE)


def trim_url(url: str) -> str:
    """Drop sentence punctuation and TeX glued to a URL's end (``.../x)$``, ``.../x}.``).

    A closing parenthesis that balances one inside the URL stays: it is part of the address
    (``.../Set_(mathematics)``), not of the sentence around it.
    """
    while url and url[-1] in ".,;:!?'\")$*}~":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def link_target(url: str) -> str:
    """Where a URL of :data:`URL_RE` points: itself, with ``https://`` if it had no scheme."""
    return url if url.lower().startswith(("http://", "https://")) else "https://" + url


#: An HTML link left in an abstract by a listing (arXiv writes ``<a href="...">this https
#: URL</a>`` for an author's ``\url``), in its plain form only: ``href`` the one
#: attribute, a double-quoted http(s) URL without quotes, spaces or angle brackets, and a
#: label of text without markup.  Anything else (``javascript:``, another attribute, a tag in
#: the label) is not this and stays text.
HTML_ANCHOR_RE = re.compile(
    r'<a\s+href\s*=\s*"(https?://[^\s"<>`\\]{1,2000})"\s*>([^<>]{0,300})</a\s*>',
    re.IGNORECASE)
_STAND_IN_RE = re.compile(r"this\s+(?:https?\s+)?url", re.IGNORECASE)


def anchors_as_text(text: str) -> str:
    r"""Each HTML link of :data:`HTML_ANCHOR_RE` as text: its URL, which pages then link.

    The label goes where it says nothing the URL does not (arXiv's stand-in "this https
    URL", or the URL itself), keeping the sentence's full stop it swallowed; any other label
    stays before the URL in parentheses, as the cleaner writes a ``\href``.
    """
    if "</a" not in text and "</A" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        url, label = match.group(1), " ".join(match.group(2).split())
        words = label.rstrip(".,;:!?")
        bare = re.sub(r"^https?://", "", words, flags=re.IGNORECASE).rstrip("/").lower()
        if not words or _STAND_IN_RE.fullmatch(words) or \
                bare == re.sub(r"^https?://", "", url, flags=re.IGNORECASE).rstrip("/").lower():
            return url + label[len(words):]
        return f"{label} ({url})"

    return HTML_ANCHOR_RE.sub(one, text)


# ------------------------------------------------------------------ paragraphs and teasers

#: Characters of abstract a teaser shows: on tag pages, the home page and search results.
TEASER_CHARS = 220


def paragraphs(abstract: str) -> list[list[Segment]]:
    """The abstract as paragraphs of segments, as pages show it, emphasis folded.

    Text as :func:`visible_text` gives it, cut by :func:`split_math`.
    """
    return [split_math(shown) for shown in _shown_paragraphs(abstract)]


def rich_paragraphs(abstract: str) -> list[list[Styled]]:
    """The abstract as paragraphs of styled segments (:func:`rich_segments`), for pages."""
    return [rich_segments(shown) for shown in _shown_paragraphs(abstract)]


def _shown_paragraphs(abstract: str) -> list[str]:
    """The abstract's paragraphs as pages show them, empty ones out.

    :func:`visible_text`, with an HTML link a listing left as its URL (:func:`anchors_as_text`):
    records imported before the cleaner did that show the same as those imported after.
    """
    return [shown for paragraph in abstract.split("\n\n")
            if (shown := visible_text(anchors_as_text(paragraph)))]


def rich_teaser(abstract: str, limit: int = TEASER_CHARS) -> list[Styled]:
    """The start of the abstract, about ``limit`` characters, cut at a word, never in math.

    The one teaser: pages render it with its emphasis, search results show the text of
    :func:`teaser_segments`, so a result never promises other words than the page.  A
    teaser is a line of text, so a display formula in it is shown inline.
    """
    paras = rich_paragraphs(abstract)
    if not paras:
        return []
    out: list[Styled] = []
    used = 0
    for kind, value, style in paras[0]:
        kind = "tex" if kind == "display" else kind
        if used + len(value) <= limit:
            out.append((kind, value, style))
            used += len(value)
            continue
        if kind == "text":
            cut = value[: max(limit - used, 0)].rsplit(" ", 1)[0]
            if cut:
                out.append(("text", cut, style))
        if out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1].rstrip(" ,;:"), out[-1][2])
        out.append(("text", "…", ()))
        return out
    if len(paras) > 1:
        out.append(("text", " …", ()))
    return out


def teaser_segments(abstract: str, limit: int = TEASER_CHARS) -> list[Segment]:
    """:func:`rich_teaser` without its emphasis: what search results show."""
    out: list[Segment] = []
    for kind, value, _ in rich_teaser(abstract, limit):
        if kind == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + value)
        else:
            out.append((kind, value))
    return out


# ------------------------------------------------------------------ folding for search

#: How text is folded for search, as data: the index (Python, here) and the query
#: (search-core.js, which gets these from the search manifest's ``text``) apply the same
#: steps: Unicode normalisation ``FOLD_FORM``, then every character of the general
#: category ``FOLD_DROP`` removed (all marks: accents, and the vowel signs and viramas of
#: Indic scripts, so ``Schrödinger`` is ``schrodinger`` and a Devanagari word is one word on
#: both sides), then lower case.  Words are runs of the categories ``WORD_CATEGORIES``.
FOLD_FORM: Final = "NFKD"
FOLD_DROP = "M"
WORD_CATEGORIES = ("L", "N")
#: Not a word character: Python's ``\w`` is exactly the letters and numbers (L, N) plus
#: ``_`` (a test checks every code point), and this is far faster than a per-character scan.
NOT_WORD_RE = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _drop_table() -> dict[int, None]:
    """Every code point of the category :data:`FOLD_DROP`, for ``str.translate``."""
    return {cp: None for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)).startswith(FOLD_DROP)}


def fold(text: str) -> str:
    """Text folded for search (see :data:`FOLD_FORM`): ``Schrödinger`` -> ``schrodinger``."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize(FOLD_FORM, text).translate(_drop_table()).lower()


#: Apostrophes that join the word characters on either side instead of splitting them:
#: ``model's`` is the word ``models`` (stemmed ``model``), ``don't`` is ``dont``.  Split,
#: they left one-letter index terms: ``s`` was in 11,099 of 47,714 papers, a posting list
#: scored on every query holding it and the header box's first keystroke.  (U+02BC, the
#: modifier letter apostrophe, is a letter already; a full-width one folds to ``'``.)
JOIN_APOSTROPHES = "'\u2019"
#: The dot of initials: two or more single letters each followed by it are one word
#: (``e.g.`` -> ``eg``, ``i.e.`` -> ``ie``, ``U.S.`` -> ``us``), not one-letter terms
#: (``e`` and ``g`` were in 6,000 and 4,200 of 47,714 papers).
INITIALS_DOT = "."
_APOSTROPHE_RE = re.compile(f"(?<=[^\\W_])[{re.escape(JOIN_APOSTROPHES)}](?=[^\\W_])")
_INITIALS_RE = re.compile(f"(?<![^\\W_])(?:[^\\W_]{re.escape(INITIALS_DOT)}){{2,}}(?![^\\W_])")


def _joined_initials(match: re.Match[str]) -> str:
    initials = match.group()
    letters = initials[::2]
    return letters if letters.isalpha() else initials


def join_words(folded: str) -> str:
    """Folded text with apostrophes inside words and the dots of initials dropped.

    The browser applies the same two rules (``search-core.js``, from the manifest's
    ``text``: :data:`JOIN_APOSTROPHES`, :data:`INITIALS_DOT`) between folding and splitting
    a query into words, so ``model's`` and ``e.g.`` typed find what the index holds.
    Initials are letters only (``3.2.`` stays two numbers).
    """
    if not any(c in folded for c in JOIN_APOSTROPHES + INITIALS_DOT):
        return folded
    return _INITIALS_RE.sub(_joined_initials, _APOSTROPHE_RE.sub("", folded))


def search_words(text: str) -> list[str]:
    """The folded words of ``text``: what the index holds and a query is made of."""
    return NOT_WORD_RE.sub(" ", join_words(fold(text))).split()


def browser_text_rules() -> dict[str, str]:
    """The folding rule as the browser applies it (JavaScript regular expression parts)."""
    return {
        "form": FOLD_FORM,
        "drop": f"\\p{{{FOLD_DROP}}}",
        "word": "".join(f"\\p{{{category}}}" for category in WORD_CATEGORIES),
        "join": JOIN_APOSTROPHES,
        "initials": INITIALS_DOT,
    }
