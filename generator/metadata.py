"""Bibliographic metadata of a paper: what its authors, arXiv id, dates and categories look like.

The one home of these rules.  Dump readers use the ``normalise_*`` functions to turn what a
source says into a record's values (or nothing, when the source's value is unusable: a
record never holds an invented or half-understood value), and record loading uses the
``*_problem`` functions to explain, in one line, why a value a contributor typed is refused.

* ``arxiv_id``: a new-style identifier (``2501.01234``; since April 2007), the version
  suffix (``v2``) stripped, since a record is about the paper, not one revision of it.
  ``YYMM`` must be a real month from 0704 on; four digits follow the dot until 1412 and
  five from 1501, as arXiv numbers them.  Old-style ids (``hep-th/9901001``) are refused:
  none of our sources carries one, and accepting both forms doubles every later rule.
* ``published``: the paper's own date, ``YYYY-MM-DD``, a real calendar day.
* ``categories``: arXiv subject classes (``cs.CV``, ``math-ph``, ``cond-mat.stat-mech``).
  arXiv's metadata mixes in ACM and MSC classes (``I.2.7``, ``68T50``); those are dropped.
* ``authors``: names as the source gives them, order kept, whitespace collapsed.
* a :class:`~generator.model.Listing`: one appearance of the paper in a dump (a trending
  list, a daily listing): the listing's date, the paper's rank in it, the dump's name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from generator import dates
from generator.limits import committed
from generator.model import Listing, Paper

ARXIV_ID_RE = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<number>\d{4,5})\Z")
#: An id as sources write it: maybe an ``arXiv:`` prefix and a version suffix.
_ARXIV_LOOSE_RE = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d{1,3})?\Z", re.IGNORECASE)
#: The paper's own page on arXiv, as dumps' ``url`` fields give it.
_ARXIV_URL_RE = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d{1,3})?"
    r"(?:\.pdf)?/?\Z", re.IGNORECASE)
CATEGORY_RE = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?\Z")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
#: The largest rank the schema's ``rank`` pattern admits (a test compares them).  The other
#: bounds of a record (authors, categories, listings) are :mod:`generator.limits`'.
MAX_RANK = 999999


def arxiv_id_problem(value: str) -> str | None:
    """Why ``value`` is not a record's ``arxiv_id``, or None."""
    match = ARXIV_ID_RE.match(value)
    if match is None:
        loose = _ARXIV_LOOSE_RE.match(value)
        if loose:
            return f"{value!r}: write the id without prefix or version, as {loose.group(1)!r}"
        return f"{value!r} is not a new-style arXiv id such as '2501.01234'"
    yy, mm, number = int(match["yy"]), int(match["mm"]), match["number"]
    if not 1 <= mm <= 12:
        return f"{value!r}: month {match['mm']} does not exist"
    if (yy, mm) < (7, 4):
        return f"{value!r}: new-style arXiv ids start in April 2007 (0704)"
    if (len(number) == 5) != (yy >= 15):
        digits = "five" if yy >= 15 else "four"
        return f"{value!r}: ids of 20{match['yy']} have {digits} digits after the dot"
    return None


def normalise_arxiv_id(value: str) -> str:
    """The record form of an id a source gives (prefix and version dropped), or ``""``."""
    loose = _ARXIV_LOOSE_RE.match(value.strip())
    if loose is None or arxiv_id_problem(loose.group(1)):
        return ""
    return loose.group(1)


def arxiv_id_from_url(url: str) -> str:
    """The id of an arXiv abstract or PDF URL (the paper's own address), or ``""``."""
    match = _ARXIV_URL_RE.match(url.strip())
    return normalise_arxiv_id(match.group(1)) if match else ""


def arxiv_month(arxiv_id: str) -> str:
    """``YYYY-MM`` of the month an id was first submitted in (its ``YYMM``)."""
    return f"20{arxiv_id[:2]}-{arxiv_id[2:4]}"


def arxiv_abs_url(arxiv_id: str) -> str:
    """The abstract page of an arXiv id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    """The PDF of an arXiv id."""
    return f"https://arxiv.org/pdf/{arxiv_id}"


def paper_year(paper: Paper) -> str:
    """The year the paper appeared, or ``""``.

    Its ``published`` date, else its arXiv id's ``YY`` (a listing's date is when a list
    showed it, not when it appeared).
    """
    if paper.published:
        return paper.published[:4]
    if paper.arxiv_id:
        return arxiv_month(paper.arxiv_id)[:4]
    return ""


def date_problem(value: str, today: dt.date | None = None) -> str | None:
    """Why ``value`` is not a paper's own date (``published``, a listing's), or None.

    The rule of every date in a record (:func:`generator.dates.date_problem`), but ending
    with next year: a paper is not published, nor listed, years ahead of the clock.
    """
    last = dt.date((today or dt.date.today()).year + 1, 12, 31)
    return dates.date_problem(value, today, last)


def normalise_date(value: str) -> str:
    """The ``YYYY-MM-DD`` day a source's date or timestamp names, or ``""``.

    Sources write ``2024-05-24`` or ``2024-05-24T00:00:00.000Z``; only the day is kept.
    """
    day = value.strip()[:10]
    return day if date_problem(day) is None else ""


def normalise_authors(names: Iterable[object]) -> tuple[str, ...]:
    """Author names as a record keeps them: text only, whitespace collapsed, empties dropped."""
    out = []
    for name in names:
        if isinstance(name, str):
            text = " ".join(name.split())
            if text:
                out.append(text)
    return tuple(out)


def normalise_categories(values: Iterable[object]) -> tuple[str, ...]:
    """The arXiv categories among ``values``, first occurrence kept, order kept."""
    out: list[str] = []
    for value in values:
        if isinstance(value, str) and CATEGORY_RE.match(value.strip()) \
                and value.strip() not in out:
            out.append(value.strip())
    return tuple(out[:committed().categories_max])


def merge_listings(current: Iterable[Listing], new: Iterable[Listing]) -> tuple[Listing, ...]:
    """``current`` plus each of ``new`` whose dump is not in it yet, in :class:`Listing` order.

    One appearance per dump: a re-import of a dump adds nothing, in whatever order dumps
    come, and an appearance already recorded is never changed.
    """
    have = list(current)
    sources = {listing.source for listing in have}
    for listing in new:
        if listing.source not in sources:
            have.append(listing)
            sources.add(listing.source)
    return tuple(sorted(have))
