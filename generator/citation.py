r"""How a paper is cited: its BibTeX entry and its Highwire (Google Scholar) meta tags.

Pure text from a :class:`~generator.model.Paper`, built only from what the record knows
(nothing is invented for a paper whose source gave no authors or dates).  BibTeX is a
language of its own, so its escaping lives here: every value is brace-delimited and the
characters BibTeX or LaTeX would act on are escaped, so a hostile author name
(``}, title = {x``, ``\input{...}``, ``@misc{``) stays one field's text.  The HTML escaping
of the result, like of every other text on a page, happens in :mod:`generator.render`.

A title's formulas (``$A^2$GC``) go into BibTeX as math, but only where TeX would read
it as the same harmless formula (:func:`_bibtex_math`: commands from an allow-list, braces
balanced, bounded).  Any other formula is written as the text a tab shows for it
(:func:`generator.mathtext.tex_to_text`), escaped like the rest.  A ``\$`` in a title is
a literal dollar and stays one (``\$100``).  The whole title is braced once more
(``title = {{...}}``), so a style that changes a title's case leaves it, formulas
included, as written.

Entry type: ``@misc``.  A paper here is known by its arXiv id or a link, never by a
journal and volume, which ``@article`` requires; arXiv's own BibTeX export makes the same
choice, with ``eprint``, ``archivePrefix`` and ``primaryClass``.
"""

from __future__ import annotations

import re

from latex2mathml.symbols_parser import SYMBOLS
from slugify import slugify

from generator import metadata
from generator.mathtext import tex_to_text
from generator.model import Paper
from generator.textrules import split_math, visible_text

_SPECIAL = re.compile(r"[\\{}%&#$_^~]")
#: Printed braces as commands, not ``\{``: BibTeX counts every brace, escaped or not, so
#: one ``\}`` would end the value early (a title ``}, author = {x`` would become fields).
_REPLACEMENT = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}",
                "~": r"\textasciitilde{}", "{": r"\textbraceleft{}",
                "}": r"\textbraceright{}"}
#: A name BibTeX would split or reorder: ``and`` as a word, or a comma.
_SPLITS_NAME = re.compile(r"(?:^|\s)and(?:\s|$)|,", re.IGNORECASE)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def escape(text: str) -> str:
    """``text`` as the inside of a brace-delimited BibTeX value: literal, balanced braces."""
    return _escape_chars(visible_text(text))


def _escape_chars(text: str) -> str:
    """Each character BibTeX or LaTeX would act on as the command that prints it."""
    return _SPECIAL.sub(lambda m: _REPLACEMENT.get(m.group(), "\\" + m.group()), text)


#: Longest formula of a title written as math; a longer one is written as its text.
MAX_TITLE_MATH = 200
#: Commands a title's formula may use in BibTeX: the math symbols latex2mathml knows (each
#: stands for one character: ``\alpha``, ``\times``, ``\rightarrow``), and the math
#: structure and fonts below.  Nothing that reads or writes files, defines commands,
#: changes category codes or ends the document can be spelled with them (``\input``,
#: ``\write18``, ``\catcode``, ``\def``, ``\csname``, ``\end`` are not in it, a test
#: checks), so a title cannot make BibTeX's reader or LaTeX do anything but set a formula.
MATH_COMMANDS = frozenset(
    {name[1:] for name in SYMBOLS if re.fullmatch(r"\\[A-Za-z]+", name)} | set("""
    frac dfrac tfrac sqrt binom tbinom dbinom left right middle big Big bigg Bigg bigl bigr
    Bigl Bigr hat bar tilde vec dot ddot breve check acute grave widehat widetilde overline
    underline overrightarrow overleftarrow overbrace underbrace overset underset stackrel
    mathcal mathbb mathrm mathbf mathit mathsf mathtt mathfrak mathscr boldsymbol bm
    operatorname text textit textbf textrm texttt textsf mbox limits nolimits displaystyle
    textstyle scriptstyle quad qquad not pmod bmod mod log ln exp sin cos tan lim max min
    sup inf arg det dim ker Pr argmax argmin
    """.split()))
#: Commands whose argument TeX sets as text, where ``^`` and ``_`` are errors.
_TEXT_MODE = frozenset({"text", "textit", "textbf", "textrm", "texttt", "textsf", "mbox"})
#: Control symbols a formula may hold: spaces, printed braces and escaped specials.
_CONTROL_SYMBOLS = frozenset(",;:! {}|%&#$_")
_MATH_TOKEN_RE = re.compile(r"\\[A-Za-z]+|\\.|\^\^|.", re.DOTALL)
#: Greek letters typed as Unicode inside a formula (``$Δ$-NeRF``, 18 of the 189 formulas
#: of the 47,714 titles) as TeX's commands for them, which every engine knows; pdfLaTeX
#: stops at a Unicode Greek letter in math.
_GREEK = {chr(int(SYMBOLS["\\" + name], 16)): name for name in """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega""".split()}
_GREEK_RE = re.compile(f"([{''.join(_GREEK)}])([A-Za-z]?)")


def _greek_commands(tex: str) -> str:
    r"""``Δt`` -> ``\Delta t``: a space only where a letter would run into the name."""
    return _GREEK_RE.sub(lambda m: f"\\{_GREEK[m.group(1)]}{' ' if m.group(2) else ''}"
                         f"{m.group(2)}", tex)


def _bibtex_math(tex: str) -> str | None:
    r"""A title's formula (TeX without its ``$``) as BibTeX math, or None where unsafe.

    Safe means TeX reads it as the formula the page shows and nothing else: every command
    in :data:`MATH_COMMANDS` or :data:`_CONTROL_SYMBOLS`; no ``^^`` (TeX's notation for any
    character by its code: ``^^5cinput`` is ``\input``); ``%``, ``&`` and ``#``, which TeX
    would read as a comment, an alignment tab and a macro parameter, escaped; braces
    balanced both as BibTeX counts them (every brace, ``\{`` too) and as TeX does;
    ``\left`` and ``\right`` paired; no ``^`` or ``_`` in a ``\text{...}`` argument;
    at most :data:`MAX_TITLE_MATH` characters.  Unicode Greek letters become TeX commands
    (:data:`_GREEK`).
    """
    tex = _greek_commands(tex.strip())
    if not tex or len(tex) > MAX_TITLE_MATH:
        return None
    out: list[str] = []
    groups: list[bool] = []  # the open TeX groups: is each a text-mode argument?
    text_next = False  # the last command sets its argument as text
    for token in _MATH_TOKEN_RE.findall(tex):
        if token.isspace():
            out.append(token)
            continue
        argument_is_text, text_next = text_next, False
        if token.startswith("\\"):
            name = token[1:]
            if not (name in MATH_COMMANDS if name.isalpha() else name in _CONTROL_SYMBOLS):
                return None
            text_next = name in _TEXT_MODE
        elif token == "^^":
            return None
        elif token == "{":
            groups.append(argument_is_text or any(groups))
        elif token == "}":
            if not groups:
                return None
            groups.pop()
        elif token in "^_" and any(groups):
            return None
        elif token in "%&#":
            token = "\\" + token
        out.append(token)
    math = "".join(out)
    lefts, rights = (len(re.findall(rf"\\{word}(?![A-Za-z])", math)) for word in ("left", "right"))
    if groups or lefts != rights or not _bibtex_balanced(math):
        return None
    return math


def _bibtex_balanced(value: str) -> bool:
    """Braces balanced as BibTeX counts them: every brace, escaped or not."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_TEXT_ESCAPE_RE = re.compile(r"\\([&%#_{}])")


def title_value(title: str) -> str:
    """A title as BibTeX text: escaped, its formulas as math where that is safe."""
    out = []
    for kind, value in split_math(visible_text(title), emphasis=False):
        math = _bibtex_math(value) if kind == "tex" else None
        if math is not None:
            out.append(f"${math}$")
        elif kind == "tex":
            out.append(_escape_chars(tex_to_text(value)))
        else:
            # A TeX escape in the text (``\&``, ``\%``) is the character it prints.
            out.append(_escape_chars(_TEXT_ESCAPE_RE.sub(r"\1", value)))
    return " ".join("".join(out).split())


def _name(name: str) -> str:
    """One author for ``author = {...}``: braced whole when BibTeX would split it."""
    value = escape(name)
    return f"{{{value}}}" if _SPLITS_NAME.search(name) else value


def cite_key(paper: Paper) -> str:
    """``<first author's last name><year><first title word>``, ASCII, like Scholar's keys.

    The record id when the paper has no author.
    """
    year = metadata.paper_year(paper)
    if paper.authors:
        last = slugify(paper.authors[0].split()[-1] if paper.authors[0].split() else "",
                       separator="")
        word = next((w for w in slugify(paper.title).split("-") if len(w) > 3), "")
        key = f"{last}{year}{word}"
        if last:
            return key
    return slugify(paper.id, separator="_") + (f"_{year}" if year else "")


def _month_of(paper: Paper) -> str:
    month = paper.published[5:7] if paper.published else (
        metadata.arxiv_month(paper.arxiv_id)[5:7] if paper.arxiv_id else "")
    return MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else ""


def paper_url(paper: Paper) -> str:
    """The paper's own address: arXiv's abstract page, else its first "paper" link."""
    if paper.arxiv_id:
        return metadata.arxiv_abs_url(paper.arxiv_id)
    return next((link.url for link in paper.links if link.kind == "paper"), "")


def bibtex(paper: Paper) -> str:
    """The paper's BibTeX entry, fields in a fixed order, one per line."""
    fields: list[tuple[str, str]] = [("title", f"{{{title_value(paper.title)}}}")]
    if paper.authors:
        fields.append(("author", " and ".join(_name(a) for a in paper.authors)))
    year, month = metadata.paper_year(paper), _month_of(paper)
    if year:
        fields.append(("year", year))
    if month:
        fields.append(("month", month))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.categories:
            fields.append(("primaryClass", escape(paper.categories[0])))
    url = paper_url(paper)
    if url:
        # Verbatim in BibTeX (hyperref's \url takes %, #, _ and ~ as they are); only braces
        # could end the value early, and they are percent-encoded as a URL allows.
        fields.append(("url", visible_text(url).replace("{", "%7B").replace("}", "%7D")))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
                      for name, value in fields)
    return f"@misc{{{cite_key(paper)},\n{body}\n}}"


def highwire(paper: Paper) -> list[tuple[str, str]]:
    """Google Scholar's ``citation_*`` meta tags as (name, content) pairs, plain text.

    Only when the paper has authors and a date (Scholar indexes neither without the
    other): ``published``, else the year and month of its arXiv id, which arXiv assigns
    at first submission.  Empty for the seed's records, which know neither.
    """
    date = paper.published.replace("-", "/") if paper.published else (
        metadata.arxiv_month(paper.arxiv_id).replace("-", "/") if paper.arxiv_id else "")
    if not paper.authors or not date:
        return []
    tags = [("citation_title", visible_text(paper.title))]
    tags += [("citation_author", visible_text(name)) for name in paper.authors]
    tags.append(("citation_publication_date", date))
    if paper.arxiv_id:
        tags += [("citation_arxiv_id", paper.arxiv_id),
                 ("citation_pdf_url", metadata.arxiv_pdf_url(paper.arxiv_id))]
    return tags
