"""The sitemap split into parts of at most 50,000 URLs, under a sitemap index.

The sitemap protocol allows at most 50,000 URLs (and 50 MB) in one file; search engines
ignore a larger one whole.  MkDocs writes every page into one ``sitemap.xml``, which the
archive outgrows at about 48,000 papers (one page each, plus tag, letter and month pages).
So after MkDocs has written it (``on_post_build``), a sitemap over :data:`LIMIT` URLs is
cut into ``sitemaps/sitemap-<n>.xml`` in page order, and ``sitemap.xml`` (the address
``robots.txt`` names, and ``sitemap.xml.gz`` beside it) becomes the index of the parts,
each dated by the newest ``lastmod`` in it.  A smaller sitemap is left exactly as MkDocs
wrote it.  The gzip copy keeps the time MkDocs stamped in its header, so two builds of
the same archive stay byte-identical.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

#: URLs per sitemap file, as the protocol allows.
LIMIT = 50_000
#: Where the parts go, under the site's root.
PARTS_DIR = "sitemaps"

_URL = re.compile(r"<url>.*?</url>", re.S)
_LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')


def split_sitemap(site_dir: Path, site_url: str, limit: int = LIMIT) -> int:
    """Cut ``site_dir/sitemap.xml`` into parts when it lists more than ``limit`` URLs.

    Returns the number of parts written (0: the sitemap was small enough, untouched).
    """
    index_path = site_dir / "sitemap.xml"
    if not site_url or not index_path.is_file():
        return 0
    urls = _URL.findall(index_path.read_text(encoding="utf-8"))
    if len(urls) <= limit:
        return 0
    parts = [urls[i:i + limit] for i in range(0, len(urls), limit)]
    (site_dir / PARTS_DIR).mkdir(exist_ok=True)
    entries = []
    for n, part in enumerate(parts, start=1):
        name = f"{PARTS_DIR}/sitemap-{n}.xml"
        body = "".join(f"    {u}\n" for u in part)
        (site_dir / name).write_text(_HEAD.format(tag="urlset") + body + "</urlset>\n",
                                     encoding="utf-8")
        dates = [m.group(1) for u in part for m in [_LASTMOD.search(u)] if m]
        lastmod = f"\n         <lastmod>{max(dates)}</lastmod>" if dates else ""
        entries.append(f"    <sitemap>\n         <loc>{site_url.rstrip('/')}/{name}</loc>"
                       f"{lastmod}\n    </sitemap>\n")
    index = _HEAD.format(tag="sitemapindex") + "".join(entries) + "</sitemapindex>\n"
    index_path.write_text(index, encoding="utf-8")
    _write_gzip(site_dir / "sitemap.xml.gz", index.encode("utf-8"))
    return len(parts)


def _write_gzip(path: Path, data: bytes) -> None:
    """``data`` gzipped into ``path``, with the header time of the file it replaces."""
    mtime = 0
    if path.is_file():
        with path.open("rb") as handle:
            header = handle.read(8)
        if len(header) == 8 and header[:2] == b"\x1f\x8b":
            mtime = int.from_bytes(header[4:8], "little")
    with path.open("wb") as raw, gzip.GzipFile(filename=str(path), mode="wb", fileobj=raw,
                                               mtime=mtime) as out:
        out.write(data)
