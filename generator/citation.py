r"""How a paper is cited: its BibTeX entry and its Highwire (Google Scholar) meta tags.

Pure text from a :class:`~generator.model.Paper`, built only from what the record knows
(nothing is invented for a paper whose source gave no authors or dates).  BibTeX is a
language of its own, so its escaping lives here: every value is brace-delimited and the
characters BibTeX or LaTeX would act on are escaped, so a hostile author name
(``}, title = {x``, ``\input{...}``, ``@misc{``) stays one field's text.  The HTML escaping
of the result, like of every other text on a page, happens in :mod:`generator.render`.

Entry type: ``@misc``.  A paper here is known by its arXiv id or a link, never by a
journal and volume, which ``@article`` requires; arXiv's own BibTeX export makes the same
choice, with ``eprint``, ``archivePrefix`` and ``primaryClass``.
"""

from __future__ import annotations

import re

from slugify import slugify

from generator import metadata
from generator.model import Paper
from generator.textrules import visible_text

_SPECIAL = re.compile(r"[\\{}%&#$_^~]")
_REPLACEMENT = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}",
                "~": r"\textasciitilde{}"}
#: A name BibTeX would split or reorder: ``and`` as a word, or a comma.
_SPLITS_NAME = re.compile(r"(?:^|\s)and(?:\s|$)|,", re.IGNORECASE)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def escape(text: str) -> str:
    """``text`` as the inside of a brace-delimited BibTeX value: literal, balanced braces."""
    text = visible_text(text)
    return _SPECIAL.sub(lambda m: _REPLACEMENT.get(m.group(), "\\" + m.group()), text)


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
    fields: list[tuple[str, str]] = [("title", f"{{{escape(paper.title)}}}")]
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
