"""The tagging policy and the vocabulary's promises, asserted over the committed archive."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator import tagcmd
from generator.archive import load_archive
from generator.model import Archive
from generator.tagpolicy import load_policy, tag_uses
from tests.conftest import ARCHIVE

#: Every tag id that was ever published (the first vocabulary's 65 ids, then the 30 new ids
#: of the second); each must keep resolving, as a current id or as an alias, so its
#: /tags/<id>/ URL keeps working.
PUBLISHED_TAG_IDS = """
transformers state-space-models recurrent-networks diffusion-models autoregressive-models
language-models speculative-decoding efficiency knowledge-distillation model-compression
fine-tuning prompting instruction-tuning alignment guidance self-supervised-learning
boosting-and-ensembles automl prior-data-fitted-networks bayesian-methods
search-and-planning data-curation in-context-learning few-shot-learning continual-learning
online-learning multi-task-learning time-series multivariate-forecasting
time-series-foundation-models reasoning arithmetic-and-algorithms nlp information-extraction
retrieval-and-ranking recommendation pose-and-motion reinforcement-learning images
multimodal video 3d-vision speech-and-audio music graphs tabular-data event-sequences code
chemistry-and-biology healthcare finance interpretability uncertainty
predictive-multiplicity privacy-and-unlearning fairness robustness optimisation
loss-landscape theoretical-analysis generalisation-theory expressivity
algorithms-with-predictions scaling-laws datasets-and-benchmarks
agents retrieval-augmented-generation multilingual dialogue object-detection segmentation
image-generation image-restoration video-generation remote-sensing autonomous-driving
document-understanding robotics generative-models mixture-of-experts model-merging
domain-adaptation federated-learning semi-supervised-learning quantization long-context
medical-imaging science education ai-safety hallucination media-forensics causal-inference
anomaly-detection surveys
""".split()


@pytest.fixture(scope="module")
def archive() -> Archive:
    loaded, problems = load_archive(ARCHIVE)
    assert [str(p) for p in problems] == []
    return loaded


def test_vocabulary_is_sized_for_the_field_and_grouped(archive: Archive) -> None:
    vocab = archive.vocabulary
    assert 60 <= len(vocab.tags) <= 120
    assert {t.group for t in vocab.tags} == set(vocab.groups)
    for needed in ("agents", "ai-safety", "robotics", "mixture-of-experts",
                   "retrieval-augmented-generation", "quantization"):
        assert needed in vocab.by_id()


def test_every_published_tag_id_still_resolves(archive: Archive) -> None:
    vocab = archive.vocabulary
    assert [t for t in PUBLISHED_TAG_IDS if vocab.resolve(t) is None] == []


def test_tags_that_were_merged_point_where_the_issue_says(archive: Archive) -> None:
    resolve = archive.vocabulary.resolve
    assert {resolve(t) for t in ("multivariate-forecasting", "time-series-foundation-models",
                                 "event-sequences")} == {"time-series"}
    assert resolve("recurrent-networks") == "state-space-models"
    assert resolve("guidance") == "diffusion-models"


def test_every_paper_has_tags_within_the_policy(archive: Archive) -> None:
    """No paper has too many tags, and every paper a person tagged has enough.

    A tool-written record may have fewer than the minimum (a warning, as for any import):
    it carries what the tagger finds, and nothing an older tagger wrote fills it up.
    """
    policy = load_policy(ARCHIVE)
    too_many = {p.id: len(p.tags) for p in archive.papers if len(p.tags) > policy.max_tags}
    assert too_many == {}
    short_by_hand = {p.id: len(p.tags) for p in archive.papers
                     if p.edited and len(p.tags) < policy.min_tags}
    assert short_by_hand == {}


def test_no_tag_is_too_broad(archive: Archive) -> None:
    policy = load_policy(ARCHIVE)
    uses = tag_uses(list(archive.papers), archive.vocabulary, policy)
    assert [u.tag for u in uses if u.share > policy.max_tag_share] == []
    assert tagcmd.report(archive, policy).ok


def test_rules_and_tool_written_tags_agree(archive: Archive) -> None:
    """A rule change must be applied (tags suggest --apply) in the same commit."""
    policy = load_policy(ARCHIVE)
    drift = [s.paper_id for s in tagcmd.suggest(archive, policy) if s.changes and not s.edited]
    assert drift == []


def test_tags_report_on_the_seed_exits_zero() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "tags", "report", "--root",
                             str(ARCHIVE)], capture_output=True, text=True, check=False,
                            cwd=ARCHIVE.parent)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert result.stdout.splitlines()[-1].endswith(": ok")


def test_every_published_tag_url_has_a_page(archive: Archive) -> None:
    """A merged or renamed tag leaves a page at its old URL that sends readers on."""
    from generator.render import render_site, tag_path

    paths = {page.path for page in render_site(archive)}
    assert [t for t in PUBLISHED_TAG_IDS if tag_path(t) not in paths] == []
