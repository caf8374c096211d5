"""The archive as data: a small static API of JSON and CSV files under ``/api/``.

Researchers want the records themselves, not pages.  The files:

``api/papers.json``
    ``{"version": 2, "schema": ..., "count": N, "papers": [...]}``: every record's public
    fields (everything but the ``fingerprint``, which is bookkeeping) plus ``url``, the
    paper's page relative to the site root.  Archive order (by id), one paper per line.
``api/papers.csv``
    the same papers, one row each, without the abstract (see below); list fields joined
    with ``;``, links as ``kind url``.
``api/papers/<id>.json``
    one paper, the same object as in ``papers.json``.
``api/tags.json``
    the vocabulary with each tag's paper count and page URL.
``api/schema/v2/paper.schema.json``, ``api/schema/v2/papers.schema.json``
    JSON Schemas of a paper object and of ``papers.json``, derived from the record schema
    (``archive/schema/paper.schema.json``) so the two can never disagree.  The schemas of
    earlier versions stay published at their URLs (``api/schema/v1/``), describing the
    files of that version.

The version (in every file and in the schema path) changes only when a field is removed
or changes meaning; new optional fields are added within a version.  One copy of each
data file, no per-version copies: at 50,000 papers the data is over 100 MB, and the site
must fit GitHub Pages (1 GB).

What each file carries, and why (version 2).  The abstracts are most of the bytes (at
48,000 papers about 60 of the 75 MB of ``papers.json``).  Version 1 held them three times:
``papers.json``, ``papers.csv`` and the per-paper files, 231 MB together.  Each use now
has one place: the whole archive with every field is ``papers.json`` (the file to load
into a notebook); one paper with every field is ``papers/<id>.json`` (for a program that
wants one record without fetching 75 MB); ``papers.csv`` is the table to sort and filter
in a spreadsheet, every field but the abstract (a spreadsheet is for the metadata, and
the abstract is one ``papers.json`` away).  Removing a CSV column removed a field, hence
version 2.

Memory stays bounded at any archive size: the big files are written as streams of
chunks (one paper at a time), never built as one string.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.layout import API_DIR

API_VERSION = 2
SCHEMA_DIR = f"schema/v{API_VERSION}"
#: Versions whose schemas are still published (a published URL keeps working).
PUBLISHED_VERSIONS = (1, 2)
#: Fields of a record that are bookkeeping, not data about the paper.
PRIVATE_FIELDS = ("fingerprint",)
CSV_LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class ApiFile:
    """One file of the API: its path under ``docs/`` and its content as chunks of bytes."""

    path: str
    chunks: Iterable[bytes]


def public_record(record: dict[str, Any], url: str) -> dict[str, Any]:
    """A record's public fields plus its page ``url``, keys in the record's order."""
    out = {key: value for key, value in record.items() if key not in PRIVATE_FIELDS}
    out["url"] = url
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def papers_json(records: Sequence[dict[str, Any]]) -> Iterator[bytes]:
    """``papers.json`` as chunks: one line per paper, so a diff of two dumps reads well."""
    yield (f'{{"version":{API_VERSION},"schema":"{SCHEMA_DIR}/papers.schema.json",'
           f'"count":{len(records)},"papers":[\n').encode()
    for number, record in enumerate(records):
        sep = ",\n" if number + 1 < len(records) else "\n"
        yield (_dumps(record) + sep).encode("utf-8")
    yield b"]}\n"


CSV_COLUMNS = ("id", "title", "url", "tags", "links", "added", "source")
#: Fields ``papers.csv`` leaves out (since version 2): see the module docstring.
CSV_OMITTED = ("abstract",)


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" ".join(str(v) for v in item.values()))
            else:
                parts.append(str(item))
        return CSV_LIST_SEPARATOR.join(parts)
    return "" if value is None else str(value)


def csv_columns(records: Sequence[dict[str, Any]]) -> list[str]:
    """The fixed columns first, then any other public field in first-seen order."""
    columns = list(CSV_COLUMNS)
    for record in records:
        columns += [key for key in record if key not in columns and key not in CSV_OMITTED]
    return columns


def papers_csv(records: Sequence[dict[str, Any]]) -> Iterator[bytes]:
    r"""``papers.csv`` as chunks (RFC 4180 quoting, ``\r\n`` rows, UTF-8 without BOM).

    A cell that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``
    after any spaces, or a tab or carriage return) is prefixed with ``'``: titles come from
    scrapes and strangers' pull requests.
    """
    columns = csv_columns(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue().encode("utf-8")
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_formula_safe(_csv_cell(record.get(c))) for c in columns])
        yield buffer.getvalue().encode("utf-8")


def _formula_safe(cell: str) -> str:
    """``cell`` with a ``'`` in front if a spreadsheet could read it as a formula.

    Spreadsheets skip leading spaces before ``=``: `` =HYPERLINK(...)`` is a formula too.
    """
    if cell[:1] in ("\t", "\r") or cell.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def paper_schema(record_schema: dict[str, Any], version: int = API_VERSION) -> dict[str, Any]:
    """The API's paper schema: the record schema without private fields, plus ``url``."""
    properties = {k: v for k, v in record_schema.get("properties", {}).items()
                  if k not in PRIVATE_FIELDS}
    properties["url"] = {"description": "The paper's page, relative to the site root.",
                         "type": "string", "pattern": "^papers/[a-z0-9][a-z0-9-]*/$"}
    required = [k for k in record_schema.get("required", []) if k not in PRIVATE_FIELDS]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "paper.schema.json",
        "title": f"Paper (API version {version})",
        "description": "One paper as published by the archive's static API.",
        "type": "object",
        "additionalProperties": False,
        "required": [*required, "url"],
        "properties": properties,
    }


def papers_schema(version: int = API_VERSION) -> dict[str, Any]:
    """Schema of ``papers.json``: the envelope around paper objects."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "papers.schema.json",
        "title": f"All papers (API version {version})",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "schema", "count", "papers"],
        "properties": {
            "version": {"const": version},
            "schema": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "papers": {"type": "array", "items": {"$ref": "paper.schema.json"}},
        },
    }


def api_files(records: Sequence[dict[str, Any]], tags: Sequence[dict[str, Any]],
              record_schema: dict[str, Any]) -> list[ApiFile]:
    """Every API file, for public records (see :func:`public_record`) and tag summaries."""
    tags_doc = _dumps({"version": API_VERSION, "count": len(tags), "tags": list(tags)})
    out = [
        ApiFile(f"{API_DIR}/papers.json", _replayable(papers_json, records)),
        ApiFile(f"{API_DIR}/papers.csv", _replayable(papers_csv, records)),
        ApiFile(f"{API_DIR}/tags.json", [tags_doc.encode("utf-8") + b"\n"]),
    ]
    for version in PUBLISHED_VERSIONS:
        schemas = f"{API_DIR}/schema/v{version}"
        out += [ApiFile(f"{schemas}/paper.schema.json",
                        [_pretty(paper_schema(record_schema, version))]),
                ApiFile(f"{schemas}/papers.schema.json", [_pretty(papers_schema(version))])]
    for record in records:
        out.append(ApiFile(f"{API_DIR}/papers/{record['id']}.json",
                           [_dumps(record).encode("utf-8") + b"\n"]))
    return out


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class _replayable:
    """An iterable that makes a fresh chunk stream each time it is iterated."""

    def __init__(self, make: Any, records: Sequence[dict[str, Any]]) -> None:
        self._make = make
        self._records = records

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._make(self._records))
