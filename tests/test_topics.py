"""Topic vectors (generator.topics) and their use by related papers in a larger archive."""

from __future__ import annotations

import random

import numpy as np
import pytest

from generator import related, topics

THEMES = {
    "graph": "graph node edge message passing neighbourhood molecule citation spectral".split(),
    "speech": "speech audio waveform speaker phoneme acoustic vocoder utterance".split(),
    "robot": "robot grasp manipulation gripper locomotion trajectory arm torque".split(),
}


def _archive(per_theme: int = 40) -> list[related.PaperText]:
    """Papers on three themes, each drawing words of its own theme only, plus an orphan."""
    rng = random.Random(7)
    papers = []
    for theme, words in THEMES.items():
        for number in range(per_theme):
            title = " ".join(rng.sample(words, 3))
            abstract = ". ".join(" ".join(rng.sample(words, 4)) for _ in range(4))
            papers.append(related.PaperText(f"{theme}-{number:02d}", title, abstract))
    # Words no other paper has: no text candidate at all.
    papers.append(related.PaperText("orphan", "Quokka zeugma", "Quokka zeugma xylophone."))
    return papers


def test_topic_vectors_are_unit_length_and_group_papers_by_theme() -> None:
    papers = _archive()
    matrix, _ = related._tfidf([related.encode(related.features(p.title, p.abstract))
                                for p in papers])
    vectors = topics.topic_vectors(matrix[:120])
    assert vectors.shape[0] == 120 and 1 <= vectors.shape[1] <= 60
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    cosines = vectors @ vectors.T
    theme = np.repeat(np.arange(3), 40)
    same = theme[:, None] == theme[None, :]
    assert cosines[same].mean() > cosines[~same].mean() + 0.2
    np.fill_diagonal(cosines, -1.0)
    assert (theme[cosines.argmax(axis=1)] == theme).all()  # nearest paper: same theme


def test_topic_vectors_are_the_same_on_every_run() -> None:
    papers = _archive()
    matrix, _ = related._tfidf([related.encode(related.features(p.title, p.abstract))
                                for p in papers])
    assert np.array_equal(topics.topic_vectors(matrix), topics.topic_vectors(matrix))


def test_a_small_matrix_gets_at_most_half_its_rows_as_dimensions() -> None:
    papers = _archive(per_theme=4)
    matrix, _ = related._tfidf([related.encode(related.features(p.title, p.abstract))
                                for p in papers])
    assert topics.topic_vectors(matrix).shape == (13, 6)


def test_every_paper_of_a_large_archive_gets_its_five_related_papers() -> None:
    papers = _archive()
    assert len(papers) >= related.MIN_TOPIC_PAPERS
    found = related.related_papers(papers)
    assert all(len(items) == related.RELATED_PAPERS for items in found.values())
    # The orphan shares no word with any paper: its list comes from the topic vectors,
    # without a reason to show, best first.
    orphan = found["orphan"]
    assert all(item.shares == () for item in orphan)
    assert [r.score for r in orphan] == sorted((r.score for r in orphan), reverse=True)
    # A themed paper's related papers are on its theme, with the shared words as reason.
    for paper_id, items in found.items():
        if paper_id != "orphan":
            assert {r.paper_id.split("-")[0] for r in items} == {paper_id.split("-")[0]}
            assert all(item.shares for item in items)


def test_related_papers_of_a_large_archive_do_not_depend_on_the_input_order() -> None:
    papers = _archive()
    shuffled = list(papers)
    random.Random(3).shuffle(shuffled)
    assert related.related_papers(shuffled) == related.related_papers(papers)


def test_the_topic_weight_blends_the_topic_cosine_into_the_text_score(monkeypatch) -> None:
    papers = _archive()
    matrix, _ = related._tfidf([related.encode(related.features(p.title, p.abstract))
                                for p in papers])
    vectors = related._topics(matrix, sorted(range(len(papers)), key=lambda i: papers[i].id))
    assert vectors is not None
    monkeypatch.setattr(related, "TOPIC_WEIGHT", 0.0)
    text_only = {r.paper_id: r.score for r in related.related_papers(papers)["graph-00"]}
    monkeypatch.setattr(related, "TOPIC_WEIGHT", 0.3)
    blended = {r.paper_id: r.score for r in related.related_papers(papers)["graph-00"]}
    index = {p.id: i for i, p in enumerate(papers)}
    assert set(text_only) & set(blended)
    for other in set(text_only) & set(blended):
        topic = float(vectors[index["graph-00"]] @ vectors[index[other]])
        assert blended[other] == pytest.approx(0.7 * text_only[other] + 0.3 * topic, abs=2e-6)


def test_a_small_archive_has_no_topic_vectors_and_keeps_the_score_floor() -> None:
    papers = _archive(per_theme=4)
    assert len(papers) < related.MIN_TOPIC_PAPERS
    found = related.related_papers(papers)
    assert found["orphan"] == []  # nothing shared, no topics: no related paper
