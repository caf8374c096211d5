"""The generate cache: what the last ``generate`` read and wrote, so the next one skips work.

At 50,000 papers a ``generate`` that reads, checks and renders everything takes about a
minute, though usually nothing or one record changed.  The cache remembers:

* the **inputs**: per record file its size, mtime and SHA-256 (a file whose size and mtime
  are unchanged is not read again, as git's index does), the SHA-256 of ``tags.yml``, the
  schemas and ``CONTRIBUTING.md``, and the **generator version** (a hash of the
  generator's own source files and templates, and of the versions of the libraries whose
  output ends up in pages);
* the **papers** as loaded from each record (by its SHA-256), so that only changed records
  are parsed and schema-checked again (the cross-record checks always run);
* the **outputs**: per generated file its size and mtime as written, and per page the
  digest of what it shows (:attr:`generator.render.PagePlan.key`).

So a ``generate`` with nothing changed stats the records and outputs and returns; one
with a changed record re-checks that record, renders the pages whose key changed (its
page, its neighbours', its tags' listing pages, its letter's pages, and the handful of
keyless pages) and rebuilds the search index.  A new generator version, or a cache that
cannot be read, makes a full run: the cache only ever skips work, never decides output.

Where: outside the working tree, in ``$PAPER_ARCHIVE_CACHE`` or
``$XDG_CACHE_HOME/paper-archive`` (``~/.cache/paper-archive``), per ``docs/`` folder one
JSON file of state and one of loaded papers (read only when a record changed).  Never in
the repository: the cache is trusted to match the records (it is what lets ``generate``
skip reading them), so a pull request must not be able to ship one; and JSON, not pickle,
so that reading it can never run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import files
from generator.layout import Layout
from generator.model import Link, Listing, Paper

#: Bumped when the cache file's own format changes.
FORMAT = 1
#: Libraries whose output is part of the generated files.
_LIBRARIES = ("lunr", "latex2mathml", "rjsmin", "mkdocs")
_PACKAGE = Path(__file__).resolve().parent


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generator_version() -> str:
    """A hash of the generator's source files, templates and output-shaping libraries."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file()
                       and p.suffix in {".py", ".json", ".md", ".js", ".css", ".html"}
                       and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def default_dir() -> Path:
    """``$PAPER_ARCHIVE_CACHE``, else the user's cache folder: never the working tree."""
    explicit = os.environ.get("PAPER_ARCHIVE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "paper-archive"


@dataclass
class Inputs:
    """What one ``generate`` reads, by content hash."""

    records: dict[str, list[Any]]     # file name -> [size, mtime_ns, sha256]
    others: dict[str, str]            # tags.yml, schemas, CONTRIBUTING.md -> sha256 ("" if none)
    version: str

    @property
    def digest(self) -> str:
        """One hash of everything generate reads: equal digests, equal pages."""
        return _sha(json.dumps([self.version, self.others,
                                sorted((k, v[2]) for k, v in self.records.items())]).encode())

    @property
    def content_digest(self) -> str:
        """What the search index depends on: the records and the vocabulary."""
        return _sha(json.dumps([self.version, self.others.get("tags.yml", ""),
                                sorted((k, v[2]) for k, v in self.records.items())]).encode())


@dataclass
class Cache:
    """The state of one ``docs/`` folder's last generate; empty when there is none."""

    path: Path | None
    data: dict[str, Any] = field(default_factory=dict)
    #: This generator's version, computed once per run.
    version: str = ""

    @classmethod
    def open(cls, docs_dir: Path, directory: Path | None = None) -> Cache:
        """The cache of ``docs_dir``; empty when missing, unreadable or of another format."""
        name = _sha(str(docs_dir.resolve()).encode())[:16] + ".json"
        path = (directory or default_dir()) / name
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            data = {}
        return cls(path, data)

    @classmethod
    def disabled(cls) -> Cache:
        """A cache that remembers nothing (``generate --no-cache``)."""
        return cls(None)

    # -------------------------------------------------------------- inputs

    def scan(self, root: Path, repo_dir: Path) -> Inputs:
        """Hash the inputs, reading only record files whose size or mtime changed."""
        layout = Layout(root)
        old = self.data.get("records", {}) if isinstance(self.data.get("records"), dict) else {}
        records: dict[str, list[Any]] = {}
        for path in layout.paper_files():
            st = path.stat()
            prev = old.get(path.name)
            if isinstance(prev, list) and prev[:2] == [st.st_size, st.st_mtime_ns]:
                records[path.name] = prev
            else:
                records[path.name] = [st.st_size, st.st_mtime_ns, _sha(path.read_bytes())]
        # mkdocs.yml: its site_url and site_name are in the feeds and link previews.
        # tag_training.yml: a problem there is reported by every run (the learned layer off).
        others = {"tags.yml": _file_sha(layout.tags_file),
                  "tag_training.yml": _file_sha(layout.training_file),
                  "CONTRIBUTING.md": _file_sha(repo_dir / "CONTRIBUTING.md"),
                  "mkdocs.yml": _file_sha(repo_dir / "mkdocs.yml")}
        if layout.schema_dir.is_dir():
            for schema in sorted(layout.schema_dir.glob("*.json")):
                others[f"schema/{schema.name}"] = _file_sha(schema)
        return Inputs(records, others, self._version())

    def _version(self) -> str:
        if not self.version:
            self.version = generator_version()
        return self.version

    def _same_generator(self, inputs: Inputs) -> bool:
        return self.data.get("version") == inputs.version

    def fresh(self, inputs: Inputs, docs_dir: Path) -> bool:
        """Same inputs as last time, and every output still as it was written."""
        if self.path is None or self.data.get("inputs") != inputs.digest:
            return False
        outputs = self.data.get("outputs", {})
        return bool(outputs) and all(_stat_matches(docs_dir / rel, stat)
                                     for rel, stat in outputs.items())

    def reuse(self, inputs: Inputs) -> Callable[[Path], Paper | None] | None:
        """Papers loaded last time from records whose content has not changed since.

        Only under the same generator and schemas; the loader takes these instead of
        parsing the file again.
        """
        schemas = {k: v for k, v in inputs.others.items() if k.startswith("schema/")}
        if (self.path is None or not self._same_generator(inputs)
                or self.data.get("schemas") != schemas):
            return None
        papers = self._papers()

        def cached(path: Path) -> Paper | None:
            entry = inputs.records.get(path.name)
            raw = papers.get(entry[2]) if entry else None
            return _paper_from(raw) if isinstance(raw, dict) else None

        return cached

    def _papers(self) -> dict[str, Any]:
        """The loaded papers, read only when some record changed.

        They are the bulk of the cache (about 1.5 KB a paper), so they have a file of their
        own, and a run in which no record changed does not pay for reading them.
        """
        if self.path is None:
            return {}
        try:
            papers = json.loads(self._papers_path().read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return papers if isinstance(papers, dict) else {}

    def _papers_path(self) -> Path:
        assert self.path is not None
        return self.path.with_suffix(".papers.json")

    # -------------------------------------------------------------- outputs

    def page_key(self, rel: str, docs_dir: Path) -> str | None:
        """The key a page had when last written, if the file is still as written."""
        if self.path is None or self.data.get("version") != self._version():
            return None
        entry = self.data.get("pages", {}).get(rel)
        if not isinstance(entry, list) or len(entry) != 3:
            return None
        return entry[0] if _stat_matches(docs_dir / rel, entry[1:]) else None

    def search_fresh(self, inputs: Inputs, docs_dir: Path) -> bool:
        """The search files were made from the same records and vocabulary, and are intact."""
        search = self.data.get("search", {})
        return (self.path is not None and search.get("digest") == inputs.content_digest
                and bool(search.get("files"))
                and all(_stat_matches(docs_dir / rel, stat)
                        for rel, stat in search["files"].items()))

    def save(self, inputs: Inputs, papers: list[tuple[str, Paper]],
             pages: dict[str, str | None], search_files: list[str], docs_dir: Path,
             summary: dict[str, Any]) -> None:
        """Record this run: inputs, loaded papers, each output's stat and each page's key."""
        if self.path is None:
            return
        outputs = {rel: _stat(docs_dir / rel) for rel in [*pages, *search_files]}
        data = {
            "format": FORMAT,
            "version": inputs.version,
            "inputs": inputs.digest,
            "records": inputs.records,
            "schemas": {k: v for k, v in inputs.others.items() if k.startswith("schema/")},
            "pages": {rel: [key, *outputs[rel]] for rel, key in pages.items()
                      if key is not None},
            "search": {"digest": inputs.content_digest,
                       "files": {rel: outputs[rel] for rel in search_files}},
            "outputs": outputs,
            "summary": summary,
        }
        # No writable cache folder (a read-only home): then the next run is a full one.
        with contextlib.suppress(OSError):
            papers_text = json.dumps({sha: _paper_to(paper) for sha, paper in papers},
                                     separators=(",", ":"))
            files.write_if_changed(self._papers_path(), papers_text)
            files.atomic_write_text(self.path, json.dumps(data, separators=(",", ":")))


def _file_sha(path: Path) -> str:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return ""


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _stat_matches(path: Path, recorded: object) -> bool:
    try:
        return _stat(path) == recorded
    except OSError:
        return False


def _paper_to(paper: Paper) -> dict[str, Any]:
    return dataclasses.asdict(paper)


def _paper_from(raw: dict[str, Any]) -> Paper | None:
    """A Paper from its cached fields; None if they do not fit today's Paper."""
    try:
        values = {}
        for f in dataclasses.fields(Paper):
            value = raw[f.name]
            if f.name == "links":
                value = tuple(Link(**link) for link in value)
            elif f.name == "listings":
                value = tuple(Listing(**listing) for listing in value)
            elif isinstance(value, list):
                value = tuple(value)
            values[f.name] = value
        return Paper(**values)
    except (KeyError, TypeError):
        return None
