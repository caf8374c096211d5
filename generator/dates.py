r"""Dates: what a record's ``added`` and a command's ``--date`` may be.

The schema's pattern alone let through ``9999-99-99`` and digits of other scripts
(Python's ``\\d`` matches ``٢٠٢٤``), and a valid record dated after 2106 broke every build:
MkDocs writes the build date into ``sitemap.xml.gz``, whose gzip header holds a 32-bit
time.  So a date is a real calendar day, written with ASCII digits as ``YYYY-MM-DD``,
between :data:`EARLIEST` and a few years after today (:data:`YEARS_AHEAD`).
"""

from __future__ import annotations

import datetime as dt
import re

#: No paper of the archive predates arXiv's first listings.
EARLIEST = dt.date(1990, 1, 1)
#: How far ahead of today a date may lie (a dump dated by a clock set a little ahead).
YEARS_AHEAD = 5
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def latest(today: dt.date | None = None) -> dt.date:
    """The last acceptable date: 31 December, :data:`YEARS_AHEAD` years after today."""
    return dt.date((today or dt.date.today()).year + YEARS_AHEAD, 12, 31)


def date_problem(value: str, today: dt.date | None = None, last: dt.date | None = None,
                 ) -> str | None:
    """Why ``value`` is not an acceptable date, or None.

    ``last`` is the latest acceptable day, :func:`latest` unless a field asks for less
    (a paper's own dates, :func:`generator.metadata.date_problem`).
    """
    last = last or latest(today)
    expected = (f"expected a date as YYYY-MM-DD from {EARLIEST.isoformat()} to "
                f"{last.isoformat()}")
    if not _ISO_DATE.match(value):
        return f"{value!r}: {expected}"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a real calendar date; {expected}"
    if not EARLIEST <= day <= last:
        return f"{value!r} is out of range; {expected}"
    return None


def check_date(value: str | None, flag: str = "--date") -> str:
    """``value`` (today when None) as an acceptable ISO date; ``ValueError`` saying why."""
    if value is None:
        return dt.date.today().isoformat()
    problem = date_problem(value)
    if problem:
        raise ValueError(f"{flag} {problem}")
    return value
