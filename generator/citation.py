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
a literal dollar and stays one (``\$100``).

Case: styles such as ``plain``, IEEE's and ACL's set a title in sentence case (BibTeX's
``change.case$`` lowercases every letter outside braces but the first), and that is the
reader's style to choose, so the title is not braced whole (as it was until 2026-12).
What sentence case would break is braced word by word, as DBLP and the ACL Anthology
write it (:func:`_keeps_case`): a word with a capital past its first letter
(``{NVIDIA}``, ``{LLaMA}``, ``{GPT-4}``, ``{3D}``), a one-letter capital (``{I}``,
``{U-Net}``), a capitalised name with a digit (``{Qwen2.5}``), and every word holding a
formula (``{$\Delta$t-Mamba3D}``: lowercased, its commands would be other commands).  A
capitalised ordinary word (``Gaussian``, ``Mamba``) cannot be told from title case and is
left to the style.  The braces go around the word's letters only, from its first letter,
digit or formula to its last (``{BERT}:``): a brace group opening on a backslash is
BibTeX's "special character", whose letters a style does change, and a colon inside
braces would hide the capital after it from ``change.case$``.

Authors: at most :data:`MAX_CITED_AUTHORS` names, then ``and others``, the pseudo-name
BibTeX's standard styles print as "et al." and biblatex reads as a truncated list (its
``\ifmorenames``); the page's author list above the entry keeps every name.  A name given
as one word (``NVIDIA``, ``DeepSeek-AI``) or ending in an organisation's word (``Kimi
Team``) is braced whole, BibTeX's form of a corporate author, so no style takes it for a
first and a last name (``K. Team``); an author literally named ``others`` is braced too and
stays a person.

Keys: :func:`cite_keys` makes them unique across the archive, in the order papers were
added, so a new paper never changes an older paper's key (people's ``.bib`` files cite it).

Entry type: ``@misc``.  A paper here is known by its arXiv id or a link, never by a
journal and volume, which ``@article`` requires; arXiv's own BibTeX export makes the same
choice, with ``eprint``, ``archivePrefix`` and ``primaryClass``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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
#: A run of letters and digits (Unicode), the unit :func:`_keeps_case` looks at.
_ALNUM_RUN_RE = re.compile(r"[^\W_]+")


def _keeps_case(text: str) -> bool:
    """Whether sentence case would change what ``text``'s capitals mean.

    A run of letters and digits with a capital past its first character (``NVIDIA``,
    ``LLaMA``, ``GPT``, ``3D``, ``iPhone``), a capital letter alone (``I``, the ``U`` of
    ``U-Net``), or a capital and a digit (``Qwen2``, ``Reason1``: a model's name).
    ``Gaussian`` or ``Re-Ranking`` do not: title case looks the same.
    """
    return any(any(c.isupper() for c in run[1:]) or (len(run) == 1 and run.isupper())
               or (run[0].isupper() and any(c.isdigit() for c in run))
               for run in _ALNUM_RUN_RE.findall(text))


def _protect_word(pieces: list[tuple[str, str]]) -> str:
    """One word of a title, its ``(kind, value)`` pieces joined; braced where case matters.

    ``kind`` is ``"math"`` (a formula, already ``$...$``) or ``"text"`` (not escaped yet).
    Braced from the first letter, digit or formula to the last; the punctuation around
    stays outside (``({GPT-4}),``), so the group never opens on a backslash.
    """
    # The word as a sequence: each text character on its own, each formula one item.
    flat = [(kind, char) for kind, value in pieces
            for char in (value if kind == "text" else [value])]
    if not any(kind == "math" or _keeps_case(value) for kind, value in pieces):
        return _written(flat)
    core = [i for i, (kind, value) in enumerate(flat)
            if kind == "math" or _ALNUM_RUN_RE.match(value)]
    start, end = core[0], core[-1] + 1
    return f"{_written(flat[:start])}{{{_written(flat[start:end])}}}{_written(flat[end:])}"


def _written(pieces: list[tuple[str, str]]) -> str:
    """Pieces of a title as BibTeX: formulas as they are, text escaped."""
    return "".join(value if kind == "math" else _escape_chars(value) for kind, value in pieces)


def title_value(title: str) -> str:
    """A title as BibTeX text: escaped, its formulas as math where that is safe.

    Words whose case a style must not change are braced (:func:`_keeps_case`); see the
    module docstring.
    """
    words: list[list[tuple[str, str]]] = [[]]
    for kind, value in split_math(visible_text(title), emphasis=False):
        math = _bibtex_math(value) if kind == "tex" else None
        if math is not None:
            words[-1].append(("math", f"${math}$"))
            continue
        # A formula TeX could not set safely is its text; a TeX escape in the text
        # (``\&``, ``\%``) is the character it prints.
        text = tex_to_text(value) if kind == "tex" else _TEXT_ESCAPE_RE.sub(r"\1", value)
        for number, part in enumerate(re.split(r"\s+", text)):
            if number:
                words.append([])
            if part:
                words[-1].append(("text", part))
    return " ".join(" ".join(_protect_word(word) for word in words if word).split())


#: The most authors an entry names; past it, the first this many and ``and others``.
#: Chicago's rule (more than ten: "et al.") and a Cite box that stays a few lines on a
#: phone (a 573-author entry was 5,178 px tall).  BibTeX styles cut further as they like.
MAX_CITED_AUTHORS = 10
#: Last words of an organisation's name (``Kimi Team``, ``Inclusion AI``), braced whole.
_ORGANISATION_WORDS = frozenset({"Team", "Collaboration", "Consortium", "Lab", "Labs", "AI"})


def _name(name: str) -> str:
    """One author for ``author = {...}``: braced whole when BibTeX would split it.

    Split at ``and`` or a comma, or read as first and last names where it is one
    organisation (one word, or ending in :data:`_ORGANISATION_WORDS`).
    """
    value = escape(name)
    words = name.split()
    if _SPLITS_NAME.search(name) or len(words) == 1 or (words and
                                                         words[-1] in _ORGANISATION_WORDS):
        # A group opening on a backslash would be BibTeX's "special character".
        return f"{{{{{value}}}}}" if value.startswith("\\") else f"{{{value}}}"
    return value


def author_value(authors: Sequence[str]) -> str:
    """The ``author`` field: at most :data:`MAX_CITED_AUTHORS` names, then ``others``."""
    names = [_name(a) for a in authors[:MAX_CITED_AUTHORS]]
    if len(authors) > MAX_CITED_AUTHORS:
        names.append("others")
    return " and ".join(names)


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


def cite_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Each paper's key (by id), no two alike: :func:`cite_key`, a letter added on a clash.

    Papers take their keys in the order they were added (``added``, then id), each the
    first of ``key``, ``keyb``, ``keyc``, ... no earlier paper took, so the paper that had
    a key first keeps it and adding a paper never changes an older paper's key.  Compared
    case-folded: BibTeX calls ``Smith2024`` and ``smith2024`` one key.
    """
    taken: set[str] = set()
    keys: dict[str, str] = {}
    for paper in sorted(papers, key=lambda p: (p.added, p.id)):
        base = cite_key(paper)
        key, number = base, 1
        while key.casefold() in taken:
            number += 1
            key = base + _letters(number)
        taken.add(key.casefold())
        keys[paper.id] = key
    return keys


def _letters(number: int) -> str:
    """1 -> ``a``, 2 -> ``b``, ... 26 -> ``z``, 27 -> ``aa``: as spreadsheets name columns."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _month_of(paper: Paper) -> str:
    month = paper.published[5:7] if paper.published else (
        metadata.arxiv_month(paper.arxiv_id)[5:7] if paper.arxiv_id else "")
    return MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else ""


def paper_url(paper: Paper) -> str:
    """The paper's own address: arXiv's abstract page, else its first "paper" link."""
    if paper.arxiv_id:
        return metadata.arxiv_abs_url(paper.arxiv_id)
    return next((link.url for link in paper.links if link.kind == "paper"), "")


def bibtex(paper: Paper, key: str | None = None) -> str:
    """The paper's BibTeX entry, fields in a fixed order, one per line.

    ``key`` is the paper's key in the archive (:func:`cite_keys`); :func:`cite_key` when
    the entry stands alone.
    """
    fields: list[tuple[str, str]] = [("title", title_value(paper.title))]
    if paper.authors:
        fields.append(("author", author_value(paper.authors)))
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
    return f"@misc{{{key or cite_key(paper)},\n{body}\n}}"


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
