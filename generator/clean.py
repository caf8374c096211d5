"""Text cleaning for scraped titles and abstracts: pure functions, no I/O.

Scraped listings carry TeX as authors typed it into arXiv, sometimes with the backslashes
lost on the way (``33times``, ``textit{O}bstacles``, ``mathcal{O}``).  The goal is plain,
readable Unicode text in which inline math survives as ``$...$`` for the renderer:

* accents (``\\"u`` -> ü, ``\\'e`` -> é, ...), escaped specials (``\\%`` -> %), TeX quotes
  and dashes become real characters;
* text-formatting commands are unwrapped (``\\textit{x}`` -> x), size switches dropped;
* ``\\( .. \\)`` becomes ``$..$``; inside math, command names that lost their backslash
  (``le``, ``lceil``, ``log``) get it back so the math renders;
* URLs broken by a space after a hyphen are rejoined, ``{\\url{ ..}}`` unwrapped, and
  http(s) URLs collected as links (code / project / paper / data);
* whitespace is normalised; paragraphs (blank-line separated) are kept.

A literal dollar sign outside math stays escaped as ``\\$`` so it is never taken for a
math delimiter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.textrules import MATH_SPAN_RE, NOT_TEXT_RE

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
_SPECIALS = {"%": "%", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}"}

_URL_CHARS = r"[^\s<>\"{}|\\^`\[\]]"
_URL_RE = re.compile(rf"https?://{_URL_CHARS}+", re.IGNORECASE)


@dataclass(frozen=True)
class CleanLink:
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
    pattern = re.compile(rf"{MATH_SPAN_RE.pattern}|https?://{_URL_CHARS}+", re.IGNORECASE)
    for match in pattern.finditer(text):
        if match.start() > pos:
            pieces.append((False, text[pos:match.start()]))
        pieces.append((True, match.group(0)))
        pos = match.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    return pieces


def _on_text(text: str, func) -> str:
    pieces = _split_protected(text)
    return "".join(chunk if protected else func(chunk) for protected, chunk in pieces)


# ------------------------------------------------------------------ stages


def _latex_structure(text: str) -> str:
    """Rewrite TeX constructs that change what is math and what is a URL."""
    text = re.sub(r"\\url\{\s*([^{}]*?)\s*\}", r"\1", text)
    text = re.sub(r"\\href\{\s*([^{}]*?)\s*\}\{([^{}]*)\}", r"\2 (\1)", text)
    text = re.sub(_SWITCHES, "", text)
    # {https://x}  right after the same URL is a mangled \href; otherwise just unwrap it.
    text = re.sub(r"(https?://[^\s{}]+)\{\1\}", r"\1", text)
    text = re.sub(r"\{\s*(https?://[^\s{}]+)\s*\}", r"\1", text)
    text = re.sub(r"\\\((.+?)\\\)", lambda m: f"${m.group(1).strip()}$", text, flags=re.DOTALL)
    text = re.sub(r"\\\[(.+?)\\\]", lambda m: f"${m.group(1).strip()}$", text, flags=re.DOTALL)
    text = re.sub(r"(?<!\\)\$\$(.+?)\$\$", lambda m: f"${m.group(1).strip()}$", text,
                  flags=re.DOTALL)
    return text


def _rejoin_urls(text: str) -> str:
    """``https://github.com/a/b- c`` -> ``https://github.com/a/b-c`` when unambiguous.

    Only a URL ending in ``-`` or ``_`` followed by one space and a path-like token is
    joined: a URL cannot end in a hyphen in running text, so the split is certain.
    """
    return re.sub(rf"(https?://{_URL_CHARS}*[-_]) ({_URL_CHARS}+)", r"\1\2", text, flags=re.I)


def _text_rules(chunk: str) -> str:
    chunk = _ACCENT_RE.sub(_accent, chunk)
    chunk = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], chunk)
    for _ in range(3):  # nested \textbf{\emph{x}}
        chunk = re.sub(rf"\\?\b(?:{_TEXT_COMMANDS})\s*\{{((?:[^{{}}]|\{{[^{{}}]*\}})*)\}}", r"\1",
                       chunk)
    chunk = re.sub(r"\{\s*\\?(?:boldsymbol|bf|it|rm|bm)\s+([^{}]*)\}", r"\1", chunk)
    chunk = re.sub(r"\\([%&#_{}])", lambda m: _SPECIALS[m.group(1)], chunk)
    chunk = re.sub(r"\\ ", " ", chunk)  # e.g.\ x
    chunk = re.sub(r"\\[,;:!]", " ", chunk)
    chunk = re.sub(r"\\(?:LaTeX|TeX)\b", lambda m: m.group(0)[1:], chunk)
    chunk = re.sub(r"''(\w[^'\n]{0,80}?)''", r"“\1”", chunk)  # ''word'' as scraped
    chunk = chunk.replace("``", "“").replace("''", "”")
    chunk = re.sub(r"`([^`'\n]{1,80})'", r"‘\1’", chunk)
    chunk = chunk.replace("---", "—")
    chunk = re.sub(r"(?<=\s)--(?=\s)", "–", chunk)
    chunk = re.sub(r"(?<=\d)--(?=\d)", "–", chunk)
    # (i)~Data: a TeX non-breaking space between words; keep "1M~60M" and "~3%".
    chunk = re.sub(r"(?<=[)\w.,])~(?=[A-Za-z(])", " ", chunk)
    # Lost-backslash \times: "33times faster", "5.3times" -> "33×", "5.3×".
    chunk = re.sub(r"(?<=\d)times\b", "×", chunk)
    chunk = re.sub(r"(?<=×) sim (?=\d)", " ∼ ", chunk)
    return chunk


def _fix_math(math: str) -> str:
    """Restore backslashes of command names inside one ``$...$`` span."""
    body = math[1:-1]
    words = "|".join(sorted(_MATH_WORDS, key=len, reverse=True))
    body = re.sub(rf"(?<![\\A-Za-z])({words})(?![A-Za-z])", r"\\\1", body)
    return f"${body.strip()}$"


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


def _trim_url(url: str) -> str:
    """Drop sentence punctuation glued to a URL's end, keeping balanced parentheses."""
    while url and url[-1] in ".,;:!?'\")":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


_DATA_HOSTS = frozenset({"zenodo.org", "kaggle.com", "www.kaggle.com"})
_CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "bitbucket.org",
                         "huggingface.co", "codeberg.org"})
_PAPER_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "doi.org", "openreview.net",
                          "aclanthology.org"})


def link_kind(url: str) -> str:
    """Classify a URL found in an abstract."""
    host = re.sub(r"^https?://", "", url, flags=re.I).split("/", 1)[0].lower()
    path = url.lower()
    if (host.endswith("huggingface.co") and "/datasets/" in path) or host in _DATA_HOSTS:
        return "data"
    if host in _CODE_HOSTS:
        return "code"
    if host in _PAPER_HOSTS:
        return "paper"
    return "project"


# ------------------------------------------------------------------ public API


def clean_inline(text: str) -> str:
    """Clean one line of TeX-ish text (a title, or one paragraph of an abstract)."""
    text = _whitespace(text.replace("\n", " "))
    text = _latex_structure(text)
    text = _rejoin_urls(text)
    out = []
    for protected, chunk in _split_protected(text):
        if not protected:
            out.append(_text_rules(chunk))
        elif chunk.startswith("$"):
            out.append(_fix_math(chunk))
        else:
            out.append(chunk)  # a URL stays exactly as written
    text = "".join(out)
    # A lone "$" left in text would open math: keep it literal.
    text = _on_text(text, lambda c: re.sub(r"(?<!\\)\$", r"\\$", c))
    text = _on_text(text, lambda c: re.sub(r" +([,;])", r"\1", c))
    # "kv-prediction ." -> "kv-prediction."  (a space a scrape put before the full stop)
    text = re.sub(r"(https?://\S+) ([.,;])(?=\s|$)", r"\1\2", text)
    return _whitespace(text)


def clean_title(raw: str) -> str:
    return clean_inline(raw)


def clean_abstract(raw: str) -> str:
    """Clean an abstract, keeping paragraph breaks (one or more blank lines)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    return "\n\n".join(clean_inline(p) for p in paragraphs)


def extract_links(text: str) -> list[CleanLink]:
    """http(s) URLs in ``text`` as links, in order of appearance, without duplicates."""
    seen: set[str] = set()
    links = []
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        url = re.sub(r"\.git$", "", url) if "github.com" in url else url
        if url.rstrip("/") in seen or len(url) < 12:
            continue
        seen.add(url.rstrip("/"))
        links.append(CleanLink(link_kind(url), url))
    return links
