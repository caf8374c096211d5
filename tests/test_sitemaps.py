"""The sitemap stays within the protocol's 50,000 URLs a file (generator/sitemaps.py)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.sitemaps import split_sitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://example.org/archive/"


def write_sitemap(site: Path, days: list[str]) -> str:
    """A sitemap as MkDocs writes it, one URL per day given, and its gzip copy."""
    urls = "".join(f"    <url>\n         <loc>{SITE}p{i}/</loc>\n"
                   f"         <lastmod>{day}</lastmod>\n    </url>\n"
                   for i, day in enumerate(days))
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>")
    (site / "sitemap.xml").write_text(text, encoding="utf-8")
    with gzip.GzipFile(site / "sitemap.xml.gz", "wb", mtime=1_700_000_000) as out:
        out.write(text.encode())
    return text


def test_a_sitemap_within_the_limit_is_left_as_mkdocs_wrote_it(tmp_path: Path) -> None:
    text = write_sitemap(tmp_path, ["2026-01-01"] * 5)
    before = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert split_sitemap(tmp_path, SITE, limit=5) == 0
    assert (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == text
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == before
    assert not (tmp_path / "sitemaps").exists()


def test_a_larger_sitemap_becomes_an_index_of_parts(tmp_path: Path) -> None:
    days = [f"2026-01-0{1 + i % 9}" for i in range(12)]
    write_sitemap(tmp_path, days)
    assert split_sitemap(tmp_path, SITE, limit=5) == 3
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{NS}sitemapindex"
    locs = [e.findtext(f"{NS}loc") for e in index]
    assert locs == [f"{SITE}sitemaps/sitemap-{n}.xml" for n in (1, 2, 3)]
    pages = []
    for n, entry in enumerate(index, start=1):
        part = ET.parse(tmp_path / "sitemaps" / f"sitemap-{n}.xml").getroot()
        assert part.tag == f"{NS}urlset" and len(part) <= 5
        part_days = [u.findtext(f"{NS}lastmod") for u in part]
        assert entry.findtext(f"{NS}lastmod") == max(part_days)
        pages += [u.findtext(f"{NS}loc") for u in part]
    assert pages == [f"{SITE}p{i}/" for i in range(12)]  # every page once, in order
    gz = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(gz) == (tmp_path / "sitemap.xml").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == 1_700_000_000  # MkDocs' stamp kept


def test_splitting_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        site = tmp_path / name
        site.mkdir()
        write_sitemap(site, ["2026-02-01"] * 7)
        split_sitemap(site, SITE, limit=3)
        runs.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert runs[0] == runs[1]
