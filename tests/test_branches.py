"""Branches the review found untested: each refusal or switch, exercised as it happens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import generator.mathml
import generator.search
import generator.site
from generator import yamlio
from generator.cli import main
from generator.mathml import MATH_NS, tex_to_mathml
from generator.model import Archive, Paper, Vocabulary, archive_order
from generator.render import Page, PagePlan
from generator.search import DOCS_PER_CHUNK, build_search
from generator.site import write_pages
from tests.conftest import ARCHIVE

REPO = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------ search: the automatic split


def _papers(n: int) -> Archive:
    papers = [Paper(id=f"p{i:03d}", title=f"Paper {i} on topic{i}",
                    abstract=f"An abstract about topic{i} and word{i * 7} in some detail.")
              for i in range(n)]
    return Archive(archive_order(papers), Vocabulary((), ()))


def test_a_small_index_is_one_shard_and_one_document_chunk():
    manifest = json.loads(build_search(_papers(40)).files["manifest.json"])
    assert len(manifest["shards"]) == 1
    assert manifest["docs"] == {"size": 40, "chunks": 1}


def test_an_index_over_the_whole_size_is_split_without_being_asked(monkeypatch):
    """Past WHOLE_BYTES the index switches to SHARD_BYTES shards and DOCS_PER_CHUNK chunks."""
    archive = _papers(40)
    whole = sum(len(text.encode("utf-8")) for name, text in build_search(archive).files.items()
                if name != "manifest.json")
    monkeypatch.setattr(generator.search, "WHOLE_BYTES", whole // 2)
    monkeypatch.setattr(generator.search, "SHARD_BYTES", 1024)
    manifest = json.loads(build_search(archive).files["manifest.json"])
    assert len(manifest["shards"]) > 1
    assert manifest["docs"] == {"size": DOCS_PER_CHUNK, "chunks": -(-40 // DOCS_PER_CHUNK)}


# ------------------------------------------------------------------ math: the element allow-list


def test_an_element_outside_the_allow_list_refuses_the_whole_formula(monkeypatch):
    """A MathML element outside the allow-list refuses the formula: the page shows its TeX.

    latex2mathml's tree is rebuilt from an allow-list; should a release emit anything
    else (here a ``script`` in the MathML namespace, and one without a namespace), the
    formula is refused and the page shows its TeX instead.
    """
    def converter_with(tag: str):
        def convert(tex: str, display: str) -> ET.Element:
            root = ET.Element(f"{MATH_NS}math")
            ET.SubElement(ET.SubElement(root, f"{MATH_NS}mrow"), tag).text = "alert(1)"
            return root
        return convert

    assert tex_to_mathml("x") is not None
    for tag in (f"{MATH_NS}script", "script", f"{MATH_NS}maction"):
        monkeypatch.setattr(generator.mathml, "convert_to_element", converter_with(tag))
        assert tex_to_mathml("x") is None, tag


# ------------------------------------------------------------------ tags report


def test_tags_report_on_the_committed_archive_is_ok(capsys):
    assert main(["tags", "report", "--root", str(ARCHIVE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("total: ") and lines[-1].endswith(": ok")


def test_tags_report_lists_too_few_tags_but_exits_1_only_for_a_break(empty_archive, capsys):
    from tests.conftest import set_tag_policy
    from tests.test_tags_cmd import DIFFUSION, _write

    set_tag_policy(empty_archive, minTagsPerPaper=2)  # the real minimum, not the fixture's
    _write(empty_archive, DIFFUSION)  # no tags at all: too few (a warning), tags thin (notes)
    assert main(["tags", "report", "--root", str(empty_archive)]) == 0
    out = capsys.readouterr().out
    assert "  diffusion-paper: 0 tag(s): a paper should have at least 2" in out
    assert out.rstrip().endswith(": ok")
    set_tag_policy(empty_archive, minTagsPerPaper=2, rareFromPapers=1)  # thin is a break now
    assert main(["tags", "report", "--root", str(empty_archive)]) == 1
    assert capsys.readouterr().out.rstrip().endswith("policy broken")


# ------------------------------------------------------------------ YAML: one document a file


def test_a_second_yaml_document_is_refused_with_its_line(tmp_path):
    text = 'id: "a"\ntitle: "A"\n---\nid: "b"\n'
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.loads_strict(text)
    assert caught.value.line == 3 and "only one YAML document" in caught.value.message
    path = tmp_path / "two.yml"
    path.write_text("---\nid: a\n...\n---\nid: b\n", encoding="utf-8")
    with pytest.raises(yamlio.YamlError, match="only one YAML document"):
        yamlio.load_strict(path)


# ------------------------------------------------------------------ generate: the path guard


@pytest.mark.parametrize("bad", ["../escape.md", "/tmp/escape.md", "papers/../../escape.md"])
def test_a_page_outside_docs_is_refused_before_anything_is_written(tmp_path, monkeypatch, bad):
    plans = [PagePlan("index.md", None, lambda: Page("index.md", "home\n"), "the home page"),
             PagePlan(bad, None, lambda: Page(bad, "x\n"), "a bad page")]
    monkeypatch.setattr(generator.site, "plan_site", lambda *args: plans)
    docs = tmp_path / "docs"
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_pages(Archive((), Vocabulary((), ())), docs, tmp_path)
    assert not (docs / "index.md").exists()
    assert not (tmp_path / "escape.md").exists()


# ------------------------------------------------------------------ determinism across processes


@pytest.mark.slow
def test_generate_is_byte_identical_across_processes_and_hash_seeds(tmp_path):
    """Two ``generate`` runs of the seed archive with different hash seeds write the same bytes.

    Each run is its own interpreter with its own ``PYTHONHASHSEED``, so set iteration order
    differs between them (within one process it cannot).
    """
    trees = []
    for seed in ("1", "4242"):
        docs = tmp_path / f"docs-{seed}"
        done = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--root", str(ARCHIVE),
             "--docs", str(docs)],
            cwd=REPO, capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        trees.append({str(p.relative_to(docs)): p.read_bytes()
                      for p in sorted(docs.rglob("*")) if p.is_file()})
    assert len(trees[0]) > 262
    assert trees[0].keys() == trees[1].keys()
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
