r"""Text cleaning for scraped titles and abstracts: pure functions, no I/O.

Scraped listings carry TeX as authors typed it into arXiv, sometimes with the backslashes
lost on the way (``33times``, ``textit{O}bstacles``, ``mathcal{O}``).  The goal is plain,
readable Unicode text in which math survives as ``$...$`` (inline) or ``$$...$$``
(display) for the renderer, and an abstract's bold and italics as ``\\textbf{...}`` and
``\\emph{...}`` (:data:`generator.textrules.EMPHASIS`):

* structure first, on the whole paragraph: an HTML link a listing left
  (``<a href="https://x">this https URL</a>``) becomes its URL
  (:func:`generator.textrules.anchors_as_text`); ``\\( \\)`` becomes ``$...$``; ``\\[ \\]``,
  ``$$ $$`` and display environments (``equation``, ``align``, starred or not) become
  ``$$...$$`` (``align`` rows as ``aligned``); ``\\url``,
  ``\\href`` (also inside math) and URLs glued together or to their label become plain
  URLs; a broken scheme (``https: //``) is repaired;
* then every formula and URL is replaced by a placeholder (:func:`_mask`) and the text
  rules run on what is left, so ``\\textbf{Min-$k$ Sampling}`` is one group and no
  rule can reach inside a formula.  Formulas come back unchanged except for the one
  documented repair, :func:`repair_math`;
* text rules: accents (``\\"u`` -> ü), ``\\footnote{x}`` -> " (x)", ``\\cite``/``\\ref``
  removed, emphasis kept in abstracts (``\\textit``, ``\\uline``, ``{\\em x}`` as
  ``\\emph``; :func:`_emphasis_out`) and unwrapped in titles, other formatting commands
  unwrapped (``\\texttt``, ``\\textsc``...),
  ``9{,}800``/``10\\,000`` -> 9,800/10,000, ``--``/``---`` -> en/em dash, ``~`` -> space,
  symbol macros (``\\ldots`` -> …) from pylatexenc's tables, an author's own macro
  (``\\ours``) -> its name, grouping braces dropped, ``p_{gen}`` in prose -> ``$p_{gen}$``;
* URLs become links (code / project / paper / data), ``github.com/...`` without a scheme
  too; whitespace is normalised; paragraphs (blank-line separated) are kept.

Why not pylatexenc's latex2text for the whole text (measured on the 2,303 abstracts of
the datasets with a command outside math, see ``docs/maintainers/text.md``): it raised on
13% of them (``\\href`` with an empty argument list and other scraped forms), dropped words
in 17% (it deletes unknown macros such as ``\\ours`` with their name), treats every ``%``
as a comment that eats the rest of the paragraph, and writes ``<cit.>`` for citations.  Its
symbol tables are good, so :func:`_symbol` takes plain replacements from them.

A literal dollar sign outside math stays escaped as ``\$`` so it is never taken for a
math delimiter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import get_default_latex_context_db

from generator.textrules import (
    BARE_NAMES,
    EMPHASIS,
    MATH_SPAN_RE,
    MAX_EMPHASIS_CHARS,
    MAX_EMPHASIS_DEPTH,
    NOT_TEXT_RE,
    URL_CHARS,
    URL_RE,
    anchors_as_text,
    bare_commands,
    emphasis_message,
    link_target,
    trim_url,
)

# ------------------------------------------------------------------ tables

_COMBINING = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
}
_TEXT_COMMANDS = (
    "textit|textbf|texttt|textsf|textrm|textsc|textnormal|emph|underline|mbox|text|"
    "mathrm|mathit|mathbf|mathsf|mathtt|mathcal|mathbb|mathfrak|boldsymbol|bm|operatorname"
)
_SWITCHES = (r"\\(?:small|footnotesize|scriptsize|tiny|large|Large|LARGE|normalsize"
             r"|bf|it|em|rm|tt|sc|sl)\b\s*")
#: Math command names that scrapes often leave without their backslash.
_MATH_WORDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi
    Sigma Phi Psi Omega le leq ge geq ll gg neq approx sim simeq propto equiv in notin
    subset subseteq cup cap times cdot circ pm mp infty partial nabla sum prod int log
    exp lceil rceil lfloor rfloor langle rangle ell mathcal mathbb mathbf mathrm boldsymbol
    frac sqrt top to rightarrow leftarrow mid dots ldots cdots forall exists
""".split())
_LATEX2TEXT_DB = get_default_latex_context_db()
_SPECIALS = {"%": "%", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}"}

@dataclass(frozen=True)
class CleanLink:
    """A URL found in a scraped abstract, with the kind its host suggests."""

    kind: str
    url: str


# ------------------------------------------------------------------ helpers


def _accent(match: re.Match[str]) -> str:
    mark, letter = match.group(1), match.group(2) or match.group(3)
    if letter in ("i", "\\i"):
        letter = "i"  # \"{\i} and \"i both mean ï today
    return unicodedata.normalize("NFC", letter.replace("\\", "") + _COMBINING[mark])


_ACCENT_RE = re.compile(
    r"""\\(["'`^~=.]|[uvHckrdb](?=[\s{]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\i|[A-Za-z]))"""
)
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s)?")


def _split_protected(text: str) -> list[tuple[bool, str]]:
    """Split into (is_protected, chunk) around $math$ and URLs, which text rules must skip."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for match in _PROTECTED_RE.finditer(text):
        if match.start() > pos:
            pieces.append((False, text[pos:match.start()]))
        pieces.append((True, match.group(0)))
        pos = match.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    return pieces


_PROTECTED_RE = re.compile(rf"{MATH_SPAN_RE.pattern}|https?://{URL_CHARS}+", re.IGNORECASE)


def _on_text(text: str, func: Callable[[str], str]) -> str:
    pieces = _split_protected(text)
    return "".join(chunk if protected else func(chunk) for protected, chunk in pieces)


# ------------------------------------------------------------------ the formula repair

_WORDS_RE = re.compile(
    r"(?<![\\A-Za-z])(" + "|".join(sorted(_MATH_WORDS, key=len, reverse=True)) + r")(?![A-Za-z])")
_GREEK = frozenset(w for w in _MATH_WORDS if w.lower() in {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega"})
#: Words after a bare ``^``/``_`` that still mean the symbol (``W^top`` is W transposed).
_SCRIPT_SYMBOLS = frozenset({"top", "infty"})
_PROSE_WORD_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


def repair_math(tex: str) -> str:
    r"""The one repair the cleaner makes to the TeX of a formula (without its ``$``).

    Command names that a scrape left without their backslash get it back (``le`` ->
    ``\\le``, ``lceil log_2 N rceil`` -> ``\\lceil \\log_2 N \\rceil``).  Nothing else in a
    formula is changed, and even this only where the loss is certain, because a formula
    that was fine must stay as it was:

    * a formula holding any backslash kept its backslashes (``\\mu_{sim}`` is a label,
      not ``\\mu_{\\sim}``);
    * a word right after a bare ``^`` or ``_`` is a one-letter script followed by letters
      (``r^mp^n`` is r^m p^n, not ``r^\\mp``), except ``top`` and ``infty``;
    * a word that is a whole ``_{...}`` or ``^{...}`` group is a label (``p_{gen}``,
      ``x_{max}``), unless it is a Greek letter;
    * text that mispaired dollars made into a "formula" (more than three words of three
      letters or more that are no command names) is prose and left alone.

    In a formula that kept some backslashes, only the names that cannot be anything else
    get theirs back (:func:`generator.textrules.bare_commands` with ``certain``:
    ``varepsilon``, ``cdot``, ``frac{``, ``mathcal{``, ``left(`` ... ``right)`` in pairs),
    never in a text argument (``\\text{frac}`` stays).
    """
    tex = tex.strip()
    outside_scripts = re.sub(r"[_^]\{[^{}]*\}", " ", tex)
    prose = [w for w in _PROSE_WORD_RE.findall(outside_scripts)
             if w not in _MATH_WORDS and w not in BARE_NAMES]
    if len(prose) > 3:
        return tex
    if "\\" in tex:
        return _restore_bare(tex)

    def restore(match: re.Match[str]) -> str:
        word, start, end = match.group(1), match.start(), match.end()
        before = tex[start - 1] if start else ""
        if before and before in "^_" and word not in _SCRIPT_SYMBOLS:
            return word
        if before == "{" and tex[start - 2:start - 1] in ("^", "_") \
                and tex[end:end + 1] == "}" and word not in _GREEK | _SCRIPT_SYMBOLS:
            return word
        return "\\" + word

    return _restore_bare(_WORDS_RE.sub(restore, tex))


def _restore_bare(tex: str) -> str:
    r"""``tex`` with a backslash before each certain bare command (see :func:`repair_math`)."""
    spans = bare_commands(tex, math=True, certain=True)
    if not spans:
        return tex
    parts, pos = [], 0
    for start, _ in spans:
        parts += [tex[pos:start], "\\"]
        pos = start
    return "".join(parts) + tex[pos:]


def _fix_math(math: str) -> str:
    """One ``$...$`` (or display ``$$...$$``) span with :func:`repair_math` applied."""
    dollars = "$$" if math.startswith("$$") and math.endswith("$$") and len(math) > 4 else "$"
    return f"{dollars}{repair_math(math[len(dollars):-len(dollars)])}{dollars}"


# ------------------------------------------------------------------ masking
#
# Text rules work on the whole paragraph with every formula and URL replaced by a
# placeholder, so that ``\textbf{Min-$k$ Sampling}`` is unwrapped as one group while no
# rule can ever touch what is inside ``$k$``.  A placeholder is a private-use character
# pair around a number; private-use characters in the input itself are dropped first (a
# scrape has no use for them), so a placeholder cannot be forged.

_MARK = "\ue000"
_MASK_RE = re.compile(f"{_MARK}(\\d+){_MARK}")
_PRIVATE_RE = re.compile("[\ue000-\uf8ff]")
#: Stands for the ``$`` of a formula the text rules found (math that lost its dollars),
#: until lone dollars have been escaped.
_NEW_MATH = "\ue001"
#: Stand for ``\{`` and ``\}`` (printed braces) while grouping braces are dropped.
_OPEN, _CLOSE = "\ue002", "\ue003"


def _mask(text: str) -> tuple[str, list[str]]:
    saved: list[str] = []

    def keep(match: re.Match[str]) -> str:
        chunk = match.group(0)
        # A URL's trailing punctuation and TeX (".../x)$") stay text, for the text rules.
        kept = chunk if chunk.startswith("$") else trim_url(chunk)
        saved.append(kept)
        return f"{_MARK}{len(saved) - 1}{_MARK}{chunk[len(kept):]}"

    return _PROTECTED_RE.sub(keep, _PRIVATE_RE.sub("", text)), saved


def _unmask(text: str, saved: list[str]) -> str:
    def back(match: re.Match[str]) -> str:
        chunk = saved[int(match.group(1))]
        return _fix_math(chunk) if chunk.startswith("$") else chunk

    return _MASK_RE.sub(back, text)


# ------------------------------------------------------------------ stages

#: Display environments whose body is one formula; ``align``-like ones keep their rows.
_DISPLAY_RE = re.compile(
    r"\\begin\{(equation|displaymath|math|align|alignat|gather|multline|eqnarray|flalign)"
    r"(\*?)\}(?:\{\d+\})?(.+?)\\end\{\1\2\}", re.DOTALL)
_ROWS = frozenset({"align", "alignat", "gather", "eqnarray", "flalign"})


def _display(match: re.Match[str]) -> str:
    body = re.sub(r"\\(?:label|tag)\{[^{}]*\}|\\(?:nonumber|notag)\b", "", match.group(3))
    body = body.strip()
    if match.group(1) == "math":  # LaTeX's math environment is inline math
        return f" ${body}$ "
    if match.group(1) in _ROWS or "\\\\" in body:
        body = f"\\begin{{aligned}}{body}\\end{{aligned}}"
    return f" $${body}$$ "


def _nested(depth: int) -> str:
    """Pattern for brace-balanced text up to ``depth`` levels deep.

    Each character is either a non-brace or the start of a balanced group, never both, so
    matching is linear (no backtracking blow-up on unbalanced input).
    """
    inner = r"[^{}]*"
    for _ in range(depth):
        inner = rf"(?:[^{{}}]|\{{{inner}\}})*"
    return inner


_BALANCED = _nested(4)


def _href(match: re.Match[str]) -> str:
    r"""``\\href{url}{text}``: the URL alone when the text is the URL or arXiv's stand-in."""
    url, label = match.group(1).strip(), match.group(2).strip()
    plain = re.sub(r"\\(?:textcolor|color)\s*\{[^{}]*\}|\\[A-Za-z]+|[{}]", "", label)
    plain = plain.strip().rstrip("/").lower()
    if not plain or plain in ("this https url", "this http url") or plain in url.lower() \
            or url.lower().rstrip("/").endswith(plain.removeprefix("https://")):
        return url
    return f"{label} ({url})"


def _latex_structure(text: str) -> str:
    r"""Rewrite TeX constructs that change what is math and what is a URL.

    Runs on the whole paragraph before masking, since it makes the formulas and URLs that
    masking then protects.  ``\\href`` and ``\\url`` are lifted out of formulas too
    (``$\\href{u}{t}$`` is a link, not math: MathML has no links).
    """
    text = re.sub(r"\$\s*(\\(?:href|url)\s*\{[^{}$]*\}(?:\s*\{(?:[^{}$]|\{[^{}$]*\})*\})?)"
                  r"\s*\$", r" \1 ", text)
    # "https: //github.com", "https:/github.com", "https:github.com": a broken scheme.
    text = re.sub(r"\b(https?):(?!//)\s?/{0,2}\s?(?=[A-Za-z0-9][\w-]*\.[A-Za-z])", r"\1://",
                  text, flags=re.IGNORECASE)
    # A "formula" holding a URL is a link the author put in math mode for its font.
    text = re.sub(r"(?<!\\)\$\$?([^$]*?https?://[^$]*?)(?<!\\)\$\$?", r" \1 ", text)
    text = re.sub(rf"\\href\s*\{{\s*([^{{}}\s]{{1,2000}})\s*\}}\s*\{{({_BALANCED})\}}", _href,
                  text)
    text = re.sub(r"\\url\s*\{\s*([^{}\s]*?)\s*\}", r" \1 ", text)
    text = re.sub(r"\\(?:href|url)\s*\{(?=\s*https?://)", " ", text)  # a mangled one
    # {https://x} or {x} right after the same URL is a mangled \href, and so is arXiv's
    # "this https URL" (its stand-in for a \url) glued to the URL it stands for.
    text = re.sub(r"(https?://([^\s{}]{1,2000}))\{\s*(?:https?://)?\2\s*\}", r"\1", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"(https?://[^\s{}]{1,2000})\s*\{\s*this (?:https? )?URL\s*\}", r"\1", text)
    # {https://x} as a group of its own (not a command's argument: \footnote{\url{x}}).
    text = re.sub(r"(?<![A-Za-z}\]])\{\s*(https?://[^\s{}]{1,2000})\s*\}", r" \1 ", text)
    # "https://x}{x": an \href whose "\href{" the scrape dropped; the label follows.
    text = re.sub(r"(https?://[^\s{}]{1,2000})\}\s*\{", r"\1 {", text)
    text = re.sub(r"(https?://([^\s{}]{1,2000})) \{(?:https?://)?\2(?=[\s.,;)]|$)", r"\1", text)
    text = re.sub(r"((?:https?://|github\.com/|huggingface\.co/)[^\s{}]{1,2000})\{", r"\1 {", text)
    text = _DISPLAY_RE.sub(_display, text)
    text = re.sub(r"\\\((.+?)\\\)", lambda m: f"${m.group(1).strip()}$", text, flags=re.DOTALL)
    text = re.sub(r"\\\[(.+?)\\\]", _bracket_display, text, flags=re.DOTALL)
    # "\22K": a scrape kept the backslash of "\$22K" and lost the dollar.
    text = re.sub(r"(?<!\\)\\(?=\d)", r"\\$", text)
    return _split_glued_urls(text)


def _bracket_display(match: re.Match[str]) -> str:
    r"""``\[x\]`` -> ``$$x$$``, a display formula; one holding a link is the link."""
    body = match.group(1).strip()
    return f" {body} " if re.search(r"https?://", body) else f" $${body}$$ "


def _split_glued_urls(text: str) -> str:
    """``https://a.org/xhttps://b.org/y`` -> two URLs: a URL never holds ``://`` again."""
    return re.sub(r"(?<=[A-Za-z0-9])(?=https?://)", " ", text, flags=re.IGNORECASE)


def _rejoin_urls(text: str) -> str:
    """``https://github.com/a/b- c`` -> ``https://github.com/a/b-c`` when unambiguous.

    Only a URL ending in ``-`` or ``_`` followed by one space and a path-like token is
    joined: a URL cannot end in a hyphen in running text, so the split is certain.  So is
    a code host's bare address followed by a space and ``owner/repo``
    (``https://github.com/ KenAdamsJoseph/PersPose``, arXiv 2508.17239): nobody links
    the front page of GitHub and then names a repository.
    """
    text = re.sub(rf"(https?://{URL_CHARS}*[-_]) ({URL_CHARS}+)", r"\1\2", text, flags=re.I)
    return _BARE_HOST_SPLIT_RE.sub(r"\1\2", text)


#: Text abbreviations authors define as macros (``\ie`` -> i.e.); not in pylatexenc.
_ABBREVIATIONS = {"ie": "i.e.", "eg": "e.g.", "etc": "etc.", "etal": "et al.", "vs": "vs.",
                  "wrt": "w.r.t.", "cf": "cf.", "iid": "i.i.d.", "aka": "a.k.a.",
                  "deg": "°", "degree": "°", "textdegree": "°", "S": "§", "P": "¶",
                  "copyright": "©", "pounds": "£", "euro": "€", "textbar": "|",
                  "checkmark": "✓", "ddag": "‡", "LaTeX": "LaTeX", "TeX": "TeX",
                  "textsuperscript": "", "textsubscript": ""}
#: References and citations: nothing a reader of an abstract can follow, so removed.
_REFERENCES_RE = re.compile(
    r"[\s~]{0,4}\\(?:cite[a-zA-Z]*|[cC]ref|autoref|eqref|ref|pageref|label|nocite)\*?"
    r"(?:\s*\[[^\[\]]*\])*\s*\{[^{}]*\}")
_FOOTNOTE_RE = re.compile(r"\s*(?:\\|(?<=[a-z]))footnote(?:mark|text)?\s*(?:\[[^\]]*\])?"
                          r"\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")
_GROUP = rf"\{{({_BALANCED})\}}"
_WRAPPERS_RE = re.compile(
    rf"\\?\b(?:{_TEXT_COMMANDS}|uline|uwave|sout|textup|textmd|textsl|hbox|fbox|hl|"
    rf"textsuperscript|textsubscript|ensuremath)\s*{_GROUP}")
_COLOUR_RE = re.compile(r"\\(?:textcolor|colorbox|hyperlink|hypertarget)\s*\{[^{}]*\}\s*"
                        + _GROUP)
_MACRO_RE = re.compile(r"\\([A-Za-z]+)\*?(?:\{\})?")
#: Math that lost its ``$`` in prose: a word with a braced sub- or superscript, such as
#: ``p_{gen}`` or ``n^{1+o(1)}``.  Only braced scripts count: ``file_name`` stays text.
_LOOSE_MATH_RE = re.compile(
    r"(?<![\w\\$])([^\W_]+(?:[_^]\{[^{}$\s]{1,40}\}[^\W_]*)+)(?![\w{])")


def _loose_math(match: re.Match[str]) -> str:
    r"""``LaSOT_{ext}`` -> ``$\\mathrm{LaSOT}_{\\mathrm{ext}}$``.

    Words stay upright, as an author would set a name or a label; single letters and
    numbers stay math (italic), as TeX would set them.
    """
    tex = re.sub(r"(?<![\\\w])([^\W\d_]{2,})(?![^\W_])", r"\\mathrm{\1}", match.group(1))
    return f"{_NEW_MATH}{tex}{_NEW_MATH}"


@lru_cache(maxsize=4096)
def _symbol(name: str) -> str | None:
    r"""Plain-text replacement of a no-argument TeX macro, or None if we know none.

    pylatexenc's latex2text tables know some 700 symbols (``\\ldots``, ``\\dag``, Greek
    letters, arrows, relations); we take only its fixed strings, never its formatting of
    arguments (see :mod:`generator.clean`'s docstring for why its converter is not used).
    """
    if name in _ABBREVIATIONS:
        return _ABBREVIATIONS[name]
    spec = _LATEX2TEXT_DB.get_macro_spec(name)
    replacement = getattr(spec, "simplify_repl", None)
    if isinstance(replacement, str) and "%" not in replacement:
        return replacement.replace("\u00a0", " ")
    return None


#: A symbol's name without its backslash in text, where it cannot be an English word
#: (``5.7% rightarrow 25.4%``, ``error varepsilon``, ``leq100``): the formula the author
#: wrote, ``$\\rightarrow$``.  A formula rather than the symbol itself, so that the text
#: reads as the same paper's text written with backslashes (``Towards $\\infty$-LLMs`` in
#: one listing and ``Towards infty-LLMs`` in another are one title).  Only the names of
#: :data:`generator.textrules.BARE_NAMES` that are one symbol; ``frac{``, ``mathcal{`` and
#: Greek names are left to the residue report.
_BARE_SYMBOLS = frozenset(name for name in BARE_NAMES if (symbol := _symbol(name))
                          and len(symbol) == 1 and not symbol.isascii())
_BARE_SYMBOL_RE = re.compile(
    r"(?<![\\A-Za-z])(" + "|".join(sorted(_BARE_SYMBOLS, key=len, reverse=True))
    + r")(?![A-Za-z])")


def _macro(match: re.Match[str]) -> str:
    r"""A remaining ``\\name``: its symbol, else the name without the backslash.

    Authors' own macros (``\\ours``, ``\\benchmarkName``) stand for a name we cannot know;
    the macro's own name is the closest text, where pylatexenc drops the word entirely.
    """
    name = match.group(1)
    symbol = _symbol(name)
    return symbol if symbol is not None else name


def _text_rules(chunk: str, emphasis: bool) -> str:
    chunk = _ACCENT_RE.sub(_accent, chunk)
    chunk = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], chunk)
    chunk = _REFERENCES_RE.sub("", chunk)
    chunk = re.sub(r"\(\s*\)|\[\s*\]", "", chunk)  # "(\cite{x})" leaves "()"
    if emphasis:
        chunk = _mark_emphasis(chunk)
    chunk = re.sub(_SWITCHES, "", chunk)
    for _ in range(3):  # nested \footnote{\textbf{\emph{x}}}
        chunk = _FOOTNOTE_RE.sub(lambda m: f" ({m.group(1).strip()})", chunk)
        chunk = _COLOUR_RE.sub(r"\1", chunk)
        chunk = _WRAPPERS_RE.sub(r"\1", chunk)
    chunk = re.sub(r"\\(?:color)\s*\{[^{}]*\}", "", chunk)
    # A footnote the scrape cut off before its closing brace: its text follows as a sentence.
    chunk = re.sub(r"\s*\\footnote(?:text)?\s*\{\s*", ". ", chunk)
    chunk = re.sub(r"\{\s*\\?(?:boldsymbol|bf|it|rm|bm|em|sl|sc|tt|sf)\s+([^{}]*)\}", r"\1",
                   chunk)
    chunk = re.sub(r"(?<=\d)\{,\}(?=\d)", ",", chunk)  # 9{,}800
    chunk = re.sub(r"(?<=\d)\\,(?=\d{3}(?!\d))", ",", chunk)  # 10\,000
    # Escaped braces are printed braces: kept apart until grouping braces are dropped.
    chunk = chunk.replace("\\{", _OPEN).replace("\\}", _CLOSE)
    chunk = re.sub(r"\\([%&#_])", lambda m: _SPECIALS[m.group(1)], chunk)
    chunk = re.sub(r"\\\\|\\(?:newline|linebreak|par|noindent|smallskip|medskip|bigskip"
                   r"|centering|clearpage|newpage|hfill|vfill|xspace|relax|protect"
                   r"|nobreak|nobreakdash|allowbreak)\b", " ", chunk)
    chunk = re.sub(r"\\ ", " ", chunk)  # e.g.\ x
    chunk = re.sub(r"\\[,;:!]", " ", chunk)
    # \- (a hyphenation point), \@ (spacing), \/ (italic correction) print nothing.
    chunk = re.sub(r"\\[-@/]", "", chunk)
    chunk = re.sub(r"\\([+~–—])", r"\1", chunk)
    chunk = _MACRO_RE.sub(_macro, chunk)
    chunk = _braces(chunk)
    chunk = re.sub(r"''(\w[^'\n]{0,80}?)''", r"“\1”", chunk)  # ''word'' as scraped
    chunk = chunk.replace("``", "“").replace("''", "”")
    chunk = re.sub(r"`([^`'\n]{1,80})'", r"‘\1’", chunk)
    chunk = re.sub(r"(?<![-<])-->", "→", chunk).replace("<--", "←")
    chunk = re.sub(r"(?<![-<!])---(?![->])", "—", chunk)
    chunk = re.sub(r"(?<![-<!])--(?![->])", "–", chunk)
    # (i)~Data: a TeX non-breaking space between words; keep "1M~60M" and "~3%".
    chunk = re.sub(r"(?<=[)\w.,:;])~(?=[A-Za-z(])|(?<=[a-z]{2}[.]|[a-z]{3})~(?=\d)", " ", chunk)
    chunk = re.sub(f"(?<={_MARK})}}", "", chunk)  # "https://x/y}." : a brace a URL left
    # Lost-backslash \times: "33times faster", "5.3times" -> "33×", "5.3×".
    chunk = re.sub(r"(?<=\d)times\b", "×", chunk)
    chunk = re.sub(r"(?<=×) sim (?=\d)", " ∼ ", chunk)
    chunk = re.sub(r"\bsim(?=\d)", "∼", chunk)
    chunk = re.sub(r"\.\.(?=\s|$)", ".", chunk)  # "\etc." -> "etc.."
    # Last, so that no text rule above reaches inside the formulas they make.
    chunk = _BARE_SYMBOL_RE.sub(rf"{_NEW_MATH}\\\1{_NEW_MATH}", chunk)
    chunk = _LOOSE_MATH_RE.sub(_loose_math, chunk)
    # Formulas are placeholders here, so a "$" left is a lone one, which would open math.
    chunk = re.sub(r"(?<!\\)\$", r"\\$", chunk)
    return chunk.replace(_NEW_MATH, "$").replace(_OPEN, "{").replace(_CLOSE, "}")


# ------------------------------------------------------------------ emphasis
#
# Bold and italic text in an abstract is kept as the record's one emphasis notation,
# ``\textbf{...}`` and ``\emph{...}`` (:data:`generator.textrules.EMPHASIS`).  While the
# text rules run, a kept emphasis is a pair of private-use marks (so no rule takes its
# braces or its command for TeX to undo); :func:`_emphasis_out` writes the marks as TeX at
# the end, within the bounds ``validate`` checks, and unwraps what it cannot keep.

_STRONG, _EM, _END = "\ue004", "\ue005", "\ue006"
_MARKS = frozenset((_STRONG, _EM, _END))
_MARKS_RE = re.compile(f"[{_STRONG}{_EM}{_END}]")
#: The commands kept as emphasis, and which kind each is: underlining is emphasis too (on a
#: web page an underline reads as a link, so it is shown in italics).
_KEPT = {"textbf": _STRONG, "bf": _STRONG, "textit": _EM, "textsl": _EM, "emph": _EM,
         "underline": _EM, "uline": _EM, "it": _EM, "em": _EM, "sl": _EM}
_KEPT_RE = re.compile(rf"\\(textbf|textit|textsl|emph|underline|uline)\s*{_GROUP}")
_KEPT_SWITCH_RE = re.compile(r"\{\s*\\(bf|it|em|sl)\s+([^{}]*)\}")


def _mark_emphasis(chunk: str) -> str:
    r"""``\textbf{x}``, ``\textit{x}``, ``{\em x}`` ... -> marks around ``x``.

    Only with their backslash: a scrape that lost it (``textit{O}bstacles``) is unwrapped
    by the text rules, since there the braces may not be the command's.
    """
    chunk = _KEPT_SWITCH_RE.sub(lambda m: f"{_KEPT[m.group(1)]}{m.group(2)}{_END}", chunk)
    for _ in range(MAX_EMPHASIS_DEPTH + 1):
        chunk = _KEPT_RE.sub(lambda m: f"{_KEPT[m.group(1)]}{m.group(2)}{_END}", chunk)
    return chunk


_TEX_OF = {_STRONG: next(f"\\{k}{{" for k, v in EMPHASIS.items() if v == "strong"),
           _EM: next(f"\\{k}{{" for k, v in EMPHASIS.items() if v == "em")}


def _emphasis_out(text: str) -> str:
    r"""The marks of :func:`_mark_emphasis` as ``\textbf{...}``/``\emph{...}``.

    An emphasis is kept only where ``validate`` accepts it and a page can show it: not
    empty, no brace of its own, at most :data:`MAX_EMPHASIS_CHARS` long, not inside the
    same kind and at most :data:`MAX_EMPHASIS_DEPTH` deep; the rest is its text.  Spaces
    at its edges move outside (``\textbf{ x }`` is `` \textbf{x} ``).
    """
    if _STRONG not in text and _EM not in text:
        return text.replace(_END, "")
    text = re.sub(f"([{_STRONG}{_EM}])\\s+", r" \1", text)
    text = re.sub(f"\\s+{_END}", f"{_END} ", text)
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    for pos, char in enumerate(text):
        if char in (_STRONG, _EM):
            opened.append(pos)
        elif char == _END and opened:
            pairs.append((opened.pop(), pos))
    tex: dict[int, str] = {}  # position of a mark -> its TeX; other marks go
    kept: list[tuple[int, str]] = []  # the kept emphasis around this one: (end, mark)
    for start, end in sorted(pairs):
        while kept and kept[-1][0] < start:
            kept.pop()
        mark, content = text[start], _MARKS_RE.sub("", text[start + 1:end])
        if (content.strip() and not re.search(r"[{}]", MATH_SPAN_RE.sub("", content))
                and len(content) <= MAX_EMPHASIS_CHARS and len(kept) < MAX_EMPHASIS_DEPTH
                and all(other != mark for _, other in kept)):
            tex[start], tex[end] = _TEX_OF[mark], "}"
            kept.append((end, mark))
    out = " ".join("".join(tex.get(pos, "" if char in _MARKS else char)
                           for pos, char in enumerate(text)).split())
    if emphasis_message(out) is not None:  # a bound measured differently: keep none
        return " ".join(_MARKS_RE.sub("", text).split())
    return out


def _braces(chunk: str) -> str:
    """Drop TeX grouping braces left in text: ``{DeepSpeak}`` -> DeepSpeak.

    Placeholders are single tokens here, so a group holding a formula goes too.  A group
    whose content still looks like TeX math (``{x_i}_{i}``) is left as it is: there the
    braces are not mere grouping, and the residue report will show it.
    """
    for _ in range(3):
        chunk = re.sub(r"(?<![_^])\{([^{}_^\\]*)\}", r"\1", chunk)
    return _drop_unpaired(chunk)


def _drop_unpaired(chunk: str) -> str:
    """Drop braces without a partner (``enhance}``, ``A}gentic``): TeX never prints one."""
    if "{" not in chunk and "}" not in chunk:
        return chunk
    opened: list[int] = []
    drop: set[int] = set()
    for pos, char in enumerate(chunk):
        if char == "{":
            opened.append(pos)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                drop.add(pos)
    drop.update(opened)
    return "".join(char for pos, char in enumerate(chunk) if pos not in drop)


#: Scrapes carry characters that are not text.  Line and paragraph separators (which
#: ``str.splitlines`` and JavaScript treat as line breaks) become spaces; the rest of what
#: ``validate`` refuses (``textrules.NOT_TEXT_RE``: controls, bidi embedding/override/isolate
#: controls, non-characters) is dropped, so a cleaned scrape always validates.
_SEPARATOR_RE = re.compile("[\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


def _whitespace(text: str) -> str:
    text = NOT_TEXT_RE.sub("", _SEPARATOR_RE.sub(" ", text))
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    return re.sub(r"[ \u2000-\u200a\u3000]+", " ", text).strip()


_DATA_HOSTS = frozenset({"zenodo.org", "kaggle.com", "www.kaggle.com"})
_CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "bitbucket.org",
                         "huggingface.co", "codeberg.org"})
_PAPER_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "doi.org", "openreview.net",
                          "aclanthology.org"})
#: A code host's address with an empty path, a space, then ``owner/repo`` (the hosts are
#: :data:`_CODE_HOSTS`, so a host added there is joined too).
_BARE_HOST_SPLIT_RE = re.compile(
    r"(https?://(?:www\.)?(?:"
    + "|".join(sorted({re.escape(h.removeprefix("www.")) for h in _CODE_HOSTS})) + r")/) "
    r"([A-Za-z0-9][\w.-]*/[\w.\\-]*[A-Za-z0-9])", re.IGNORECASE)


def _is_front_page(url: str) -> bool:
    """Whether ``url`` is a code or data host's address with no path (``https://github.com/``).

    A listing's "Code: https://github.com/." (the repository never filled in, arXiv
    2505.21099) names no code, so it is no link of the paper.
    """
    host, path = _host_and_path(url)
    return (host in _CODE_HOSTS or host in _DATA_HOSTS or host.endswith("huggingface.co")) \
        and not path.strip("/")


def _host_and_path(url: str) -> tuple[str, str]:
    """``url``'s host (lowercased) and the rest after its first ``/``."""
    host, _, path = re.sub(r"^https?://", "", url, flags=re.I).partition("/")
    return host.lower(), path


def link_kind(url: str) -> str:
    """Classify a URL found in an abstract."""
    host = _host_and_path(url)[0]
    path = url.lower()
    if (host.endswith("huggingface.co") and "/datasets/" in path) or host in _DATA_HOSTS:
        return "data"
    if host in _CODE_HOSTS:
        return "code"
    if host in _PAPER_HOSTS:
        return "paper"
    return "project"


# ------------------------------------------------------------------ public API


def clean_inline(text: str, emphasis: bool = False) -> str:
    """Clean one line of TeX-ish text (a title, or one paragraph of an abstract).

    With ``emphasis``, bold and italic text is kept as the record's emphasis
    (:func:`_emphasis_out`); without, it is unwrapped to its text.
    """
    text = _whitespace(anchors_as_text(text.replace("\n", " ")))
    text = _latex_structure(text)
    text = _rejoin_urls(text)
    masked, saved = _mask(text)
    text = _unmask(_text_rules(masked, emphasis), saved)
    # Possessive and from a run's first space only: " +(?=...)" retried at every space of a
    # long run (180,000 backslashes become one) and took 78 s on one abstract.
    text = _on_text(text, lambda c: re.sub(r"(?<! ) ++(?=[,;)\]])", "", c))
    text = _on_text(text, lambda c: re.sub(r"([(\[]) +", r"\1", c))
    # "kv-prediction ." -> "kv-prediction."  (a space a scrape put before the full stop)
    text = re.sub(r"(https?://\S+) ([.,;])(?=\s|$)", r"\1\2", text)
    return _emphasis_out(_whitespace(text)) if emphasis else _whitespace(text)


def clean_title(raw: str) -> str:
    """A scraped title as plain text (TeX accents and commands resolved, math kept)."""
    return clean_inline(raw)


def clean_abstract(raw: str) -> str:
    """Clean an abstract, keeping paragraph breaks (one or more blank lines)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    return "\n\n".join(clean_inline(p, emphasis=True) for p in paragraphs)


def extract_links(text: str) -> list[CleanLink]:
    """http(s) URLs in ``text`` as links, in order of appearance, without duplicates.

    ``github.com/...``, ``huggingface.co/...`` and ``gitlab.com/...`` count without a
    scheme too (as https).  A code or data host's front page is no link
    (:func:`_is_front_page`).
    """
    seen: set[str] = set()
    links = []
    for match in URL_RE.finditer(text):
        url = link_target(trim_url(match.group(0)))
        url = re.sub(r"\.git$", "", url) if "github.com" in url else url
        if url.rstrip("/") in seen or len(url) < 12 or _is_front_page(url):
            continue
        seen.add(url.rstrip("/"))
        links.append(CleanLink(link_kind(url), url))
    return links
