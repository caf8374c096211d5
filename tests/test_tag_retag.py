"""Re-tagging converges on what an import gives, and keeps what a person chose.

``tags suggest --apply`` gives a tool-written record the tags a fresh import gives the
paper, whatever tags an older tagger left in it.

The defect these pin: where the tagger found fewer tags than the policy's minimum, the
record's current tags filled it up, even when a tool had written them; so each re-tag with a
new tagger could add tags and none could take them away, and a re-tagged archive drifted
from a freshly imported one (more papers with 2+ tags, broad tags growing).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator import tagcmd
from generator.archive import load_archive
from generator.cli import main
from generator.importer import run_import, save_papers
from generator.model import Archive, Paper
from generator.tagging import in_vocabulary_order
from generator.tagmodel import suggest_for
from generator.tagpolicy import Policy, load_policy
from tests.conftest import set_tag_policy

#: Two papers in the trending-listing format ``import`` reads.
DUMP = "\n".join([
    "Get trending papers in your email inbox!",
    "SubscribeSpeculative Decoding with Draft Trees",
    "We propose a speculative decoding method that drafts a tree of tokens and verifies them "
    "in parallel, which speeds up inference of large language models.",
    "Denoising Diffusion Models for Image Generation",
    "We train a diffusion model on ImageNet images and study classifier-free guidance for "
    "conditional generation of images.",
    ""])


def _stale(paper: Paper, archive: Archive, policy: Policy) -> tuple[str, ...]:
    """The paper's tags plus one the tagger does not give it, as an older tagger might."""
    given = set(suggest_for(paper, archive.vocabulary, policy))
    extra = next(t.id for t in archive.vocabulary.tags
                 if t.id not in given and t.id not in paper.tags)
    return in_vocabulary_order([*paper.tags, extra], archive.vocabulary)


def _load(root: Path) -> Archive:
    archive, problems = load_archive(root)
    assert problems == []
    return archive


def _tags(root: Path) -> dict[str, tuple[str, ...]]:
    return {p.id: p.tags for p in _load(root).papers}


def _imported(tmp_path: Path, empty_archive: Path) -> dict[str, tuple[str, ...]]:
    """The tags a fresh import writes for the papers of ``DUMP``."""
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP, encoding="utf-8")
    run_import(dump, empty_archive, today="2026-01-02")
    return _tags(empty_archive)


def test_retagging_an_older_taggers_records_gives_what_an_import_gives(tmp_path: Path,
                                                                       empty_archive: Path,
                                                                       capsys) -> None:
    # A minimum no paper here reaches: every proposal is short, so a fill-up would show.
    set_tag_policy(empty_archive, minTagsPerPaper=6)
    fresh = _imported(tmp_path, empty_archive)
    assert all(0 < len(tags) < 6 for tags in fresh.values())
    archive, policy = _load(empty_archive), load_policy(empty_archive)
    # An older tagger wrote one more tag into each record (a tool write: fingerprint renewed).
    save_papers(empty_archive, [replace(p, tags=_stale(p, archive, policy))
                                for p in archive.papers])
    stale = _tags(empty_archive)
    assert all(len(stale[i]) == len(fresh[i]) + 1 for i in fresh)
    assert not any(p.edited for p in _load(empty_archive).papers)

    assert main(["tags", "suggest", "--root", str(empty_archive)]) == 0
    out = capsys.readouterr().out
    for paper_id in fresh:
        (dropped,) = set(stale[paper_id]) - set(fresh[paper_id])
        assert f"{paper_id}: -{dropped}" in out  # listed, and nothing written yet
    assert _tags(empty_archive) == stale

    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    assert "2 records written" in capsys.readouterr().err
    assert _tags(empty_archive) == fresh
    # Twice is once.
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    assert "0 records written" in capsys.readouterr().err
    assert _tags(empty_archive) == fresh


def test_a_persons_tags_still_fill_up_and_are_never_overwritten(tmp_path: Path,
                                                                empty_archive: Path,
                                                                capsys) -> None:
    set_tag_policy(empty_archive, minTagsPerPaper=6)
    fresh = _imported(tmp_path, empty_archive)
    paper_id = "speculative-decoding-with-draft-trees"
    archive = _load(empty_archive)
    paper = archive.paper(paper_id)
    # A person adds a tag by editing the file.
    added = _stale(paper, archive, load_policy(empty_archive))
    path = empty_archive / "papers" / f"{paper_id}.yml"
    text = path.read_text(encoding="utf-8")
    block = "".join(f'  - "{t}"\n' for t in paper.tags)
    path.write_text(text.replace(block, "".join(f'  - "{t}"\n' for t in added), 1),
                    encoding="utf-8")
    edited = _load(empty_archive).paper(paper_id)
    assert edited.edited and edited.tags == added
    before = path.read_bytes()

    # suggest keeps the person's tag in its proposal (the tagger has nothing better) ...
    (s,) = tagcmd.suggest(_load(empty_archive), load_policy(empty_archive), paper_id)
    assert s.edited and set(added) <= set(s.proposed) and s.drop == ()
    # ... and --apply reports the record and leaves it byte for byte.
    assert main(["tags", "suggest", "--apply", "--root", str(empty_archive)]) == 0
    assert f"skipped {paper_id}: edited by hand" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert _tags(empty_archive)[paper_id] == added
    other = next(i for i in fresh if i != paper_id)
    assert _tags(empty_archive)[other] == fresh[other]


def test_retagging_the_seed_converges_on_the_taggers_own_tags(seed_archive: Path) -> None:
    """With the learned layer and the real policy: older tool tags do not survive a re-tag."""
    archive = _load(seed_archive)
    policy = load_policy(seed_archive)
    edited_bytes = {p.id: (seed_archive / "papers" / f"{p.id}.yml").read_bytes()
                    for p in archive.papers if p.edited}
    tool = [p for p in archive.papers if not p.edited and len(p.tags) < policy.max_tags]
    save_papers(seed_archive, [replace(p, tags=_stale(p, archive, policy)) for p in tool])
    stale = _load(seed_archive)
    tagcmd.apply_suggestions(seed_archive, stale, tagcmd.suggest(stale, policy))
    again = _load(seed_archive)
    assert [p.id for p in again.papers if not p.edited
            and p.tags != suggest_for(p, again.vocabulary, policy)] == []
    assert [s.paper_id for s in tagcmd.suggest(again, policy)
            if s.rewrite is not None and not s.edited] == []
    assert {i: (seed_archive / "papers" / f"{i}.yml").read_bytes()
            for i in edited_bytes} == edited_bytes
