"""The small archive of tests/cases/search_papers.yml, as an Archive, for the search tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.model import Archive, Link, Paper, Tag, Vocabulary, archive_order

CASES = Path(__file__).resolve().parent / "cases"


def search_archive() -> Archive:
    data = yaml.safe_load((CASES / "search_papers.yml").read_text(encoding="utf-8"))
    tags = tuple(Tag(id=t["id"], name=t["name"], description="", group="") for t in data["tags"])
    papers = [
        Paper(
            id=p["id"], title=p["title"], abstract=p["abstract"], tags=tuple(p["tags"]),
            links=(Link("code", f"https://example.org/{p['id']}"),) if p.get("code") else (),
            authors=tuple(p.get("authors", ())), published=p.get("published", ""),
            arxiv_id=p.get("arxiv_id", ""),
        )
        for p in data["papers"]
    ]
    return Archive(archive_order(papers), Vocabulary((), tags))


def search_queries() -> list[dict]:
    return yaml.safe_load((CASES / "search_queries.yml").read_text(encoding="utf-8"))
