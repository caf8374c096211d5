"""The tagging policy: how many tags a paper carries and how widely a tag may be used.

The numbers have one home, the ``x-tag-policy`` block of ``archive/schema/tags.schema.json``
(:func:`load_policy`); ``validate`` (and so the pre-commit hook and the PR annotations),
``new``, ``tags report`` and the evaluation all read them from there.  The checks are
pure functions that return ``(field, message)`` pairs or :class:`Problem` objects, so
each caller decides how to show them:

* per record: tag count within ``[min, max]``, tags in vocabulary order (unknown ids are
  reported by :mod:`generator.archive`, which knows their lines);
* per archive: a tag on more than ``maxTagShare`` of the papers (from ``shareFromPapers``
  papers on, since a share of a handful of papers means nothing) and a tag with fewer than
  ``minPapersPerTag`` papers (from ``rareFromPapers`` papers on), both reported at the tag's
  ``id`` line in ``tags.yml``.

The per-archive limits are about the vocabulary, not about any one record: an import of
real papers that takes the archive past ``rareFromPapers`` makes every thin tag a break
at once, and a contributor's pull request would fail for tags it never touched.  So they
are *warnings* (:attr:`Problem.warning`): ``validate``, ``generate``, ``build`` and
``import`` show them and go on; ``tags report``, the maintainer's tool, exits 1 for them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.layout import TAGS_SOURCE, Layout
from generator.model import VOCABULARY, Paper, Problem, Vocabulary

POLICY_KEY = "x-tag-policy"


@dataclass(frozen=True)
class Policy:
    """The numbers of the tagging policy (see the module docstring).

    No defaults here, on purpose: the schema is their only home.
    """

    min_tags: int
    max_tags: int
    min_papers_per_tag: int
    max_tag_share: float
    share_from_papers: int
    rare_from_papers: int


class PolicyError(ValueError):
    """The schema does not state the policy; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_FIELDS = {"minTagsPerPaper": ("min_tags", int), "maxTagsPerPaper": ("max_tags", int),
           "minPapersPerTag": ("min_papers_per_tag", int),
           "maxTagShare": ("max_tag_share", float),
           "shareFromPapers": ("share_from_papers", int),
           "rareFromPapers": ("rare_from_papers", int)}


def policy_from_schema(schema: dict[str, Any], where: str = "schema/tags.schema.json") -> Policy:
    """The policy stated in a loaded ``tags.schema.json``.

    Raises:
        PolicyError: the ``x-tag-policy`` block is missing or a number in it is not one.
    """
    block = schema.get(POLICY_KEY) if isinstance(schema, dict) else None
    if not isinstance(block, dict):
        raise PolicyError(Problem(where, 1, POLICY_KEY, "missing: the tagging policy's "
                                  "numbers must be stated here"))
    values = {}
    for key, (name, kind) in _FIELDS.items():
        value = block.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                or (kind is int and value != int(value)):
            raise PolicyError(Problem(where, 1, f"{POLICY_KEY}.{key}",
                                      f"must be a non-negative {'whole ' if kind is int else ''}"
                                      f"number, not {value!r}"))
        values[name] = kind(value)
    return Policy(**values)


def load_policy(root: Path) -> Policy:
    """The policy of the archive under ``root``.

    Raises:
        PolicyError: the schema cannot be read or does not state the policy.
    """
    layout = Layout(root)
    path = layout.schema_dir / "tags.schema.json"
    where = layout.rel(path)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyError(Problem(where, 1, "(file)", f"cannot read the tag policy: {exc}",
                                  unreadable=True)) from None
    return policy_from_schema(schema, where)


def count_problem(n: int, policy: Policy) -> str | None:
    """Why ``n`` tags break the policy, or None."""
    if n < policy.min_tags:
        return (f"{n} tag(s): a paper should have at least {policy.min_tags} "
                f"(add {policy.min_tags - n} from {TAGS_SOURCE})")
    if n > policy.max_tags:
        return f"{n} tags: a paper may have at most {policy.max_tags} (drop {n - policy.max_tags})"
    return None


def paper_problems(paper: Paper, vocabulary: Vocabulary, policy: Policy,
                   ) -> list[tuple[str, str, bool]]:
    """``(field, message, warning)`` for every way the record's tags break the policy.

    Too few tags is a warning (the rules found no second topic; a person should add one),
    too many, out of order or a narrower tag without its parent an error (someone wrote
    it so, and the fix is mechanical).
    """
    found = []
    n = len(paper.tags)
    message = count_problem(n, policy)
    if message:
        found.append(("tags", message, n < policy.min_tags))
    found += [("tags", message, False) for message in missing_parents(paper, vocabulary)]
    order = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    known = [t for t in paper.tags if t in order]
    expected = sorted(known, key=order.__getitem__)
    if known != expected:
        found.append(("tags", "not in vocabulary order (keeps diffs small); write them as "
                              f"[{', '.join(expected)}]", False))
    return found


_families: list[tuple[Vocabulary, dict[str, str], dict[str, str]]] = []


def _family(vocabulary: Vocabulary) -> tuple[dict[str, str], dict[str, str]]:
    """Every id and alias -> current id, and child -> parent, once per vocabulary.

    ``validate`` asks for every record, and :func:`tag_counts` for every paper: at 48,000
    records, following aliases tag by tag through :meth:`Vocabulary.resolve` would cost
    seconds.
    """
    if _families and _families[0][0] is vocabulary:
        return _families[0][1], _families[0][2]
    ids: dict[str, str] = {}
    for tag in vocabulary.tags:  # as Vocabulary.resolve reads them: the first tag wins
        for name in (tag.id, *tag.aliases):
            ids.setdefault(name, tag.id)
    _families[:] = [(vocabulary, ids, vocabulary.parents())]
    return ids, _families[0][2]


def missing_parents(paper: Paper, vocabulary: Vocabulary) -> list[str]:
    """One message per narrower tag of the record whose parent it lacks.

    A narrower tag is a part of its parent (``parent`` in ``tags.yml``): its papers are
    listed on the parent's page too, so a record with *Quantization* but not *Efficiency*
    would be missing from the broader listing a reader browses.  Renamed ids are followed.
    """
    ids, parents = _family(vocabulary)
    if not parents:
        return []
    current = [ids.get(t, t) for t in paper.tags]
    have = set(current)
    lacking = [(child, parents[child]) for child in dict.fromkeys(current)
               if child in parents and parents[child] not in have]
    return [f"{child!r} is a narrower topic of {parent!r}; add {parent!r}"
            for child, parent in lacking]


def tag_counts(papers: Iterable[Paper], vocabulary: Vocabulary) -> Counter[str]:
    """Papers per current tag id (renamed ids followed through aliases)."""
    current, _ = _family(vocabulary)
    counts: Counter[str] = Counter()
    for paper in papers:
        for tag_id in {current[t] for t in paper.tags if t in current}:
            counts[tag_id] += 1
    return counts


@dataclass(frozen=True)
class TagUse:
    """One tag's use over the archive, and what the policy says about it."""

    tag: str
    papers: int
    share: float
    rare: bool  # fewer papers than the policy wants
    broad: bool  # on more than the allowed share
    rare_is_error: bool  # the archive is large enough for "rare" to break the policy


def tag_uses(papers: list[Paper], vocabulary: Vocabulary, policy: Policy) -> list[TagUse]:
    """Every tag's use, in vocabulary order."""
    counts = tag_counts(papers, vocabulary)
    total = len(papers)
    uses = []
    for tag in vocabulary.tags:
        n = counts[tag.id]
        share = n / total if total else 0.0
        uses.append(TagUse(tag.id, n, share, rare=n < policy.min_papers_per_tag,
                           broad=total >= policy.share_from_papers
                           and share > policy.max_tag_share,
                           rare_is_error=total >= policy.rare_from_papers))
    return uses


def _id_lines(root: Path) -> dict[str, int]:
    """Line of each tag's ``id`` in tags.yml (1 when the file cannot be read)."""
    layout = Layout(root)
    try:
        doc = yamlio.load_strict(layout.tags_file, 1024 * 1024)
    except (OSError, yamlio.YamlError):
        return {}
    lines = {}
    for i, item in enumerate(doc.data.get("tags") or [] if isinstance(doc.data, dict) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            lines[item["id"]] = doc.line_of(("tags", i, "id"))
    return lines


#: The two archive-wide breaks, as :func:`archive_breaks` names them.
BROAD, THIN = "broad", "thin"


def archive_breaks(root: Path, papers: list[Paper], vocabulary: Vocabulary,
                   policy: Policy) -> dict[tuple[str, str], Problem]:
    """Archive-wide breaks by ``(tag id, BROAD or THIN)``, each a warning at the tag's line.

    Keyed so that a caller can tell which breaks a change brings (``import``: those after
    it that were not there before), whatever the counts in the messages.
    """
    uses = [u for u in tag_uses(papers, vocabulary, policy)
            if u.broad or (u.rare and u.rare_is_error)]
    if not uses:
        return {}
    layout = Layout(root)
    rel = layout.rel(layout.tags_file)
    index = {tag.id: i for i, tag in enumerate(vocabulary.tags)}
    lines = _id_lines(root)
    found = {}
    for use in uses:
        field = f"tags.{index[use.tag]}.id"
        line = lines.get(use.tag, 1)
        if use.broad:
            found[use.tag, BROAD] = Problem(
                rel, line, field, f"tag {use.tag!r} is on {use.papers} of {len(papers)} papers "
                f"({use.share:.0%}), over the {policy.max_tag_share:.0%} limit: split it or "
                "tighten its rules", VOCABULARY, warning=True)
        if use.rare and use.rare_is_error:
            found[use.tag, THIN] = Problem(
                rel, line, field, f"tag {use.tag!r} has {use.papers} paper(s), fewer than "
                f"{policy.min_papers_per_tag}: merge it into a broader tag (keep its id as an "
                "alias) or tag more papers", VOCABULARY, warning=True)
    return found


def break_tag(problem: Problem, vocabulary: Vocabulary) -> str | None:
    """The tag an archive-wide break of :func:`archive_breaks` is about, else None.

    ``validate --changed-from`` annotates such a warning only when the change touched that
    tag; the problem names the tag by its place in ``tags.yml`` (``tags.N.id``), as written
    above.
    """
    if problem.kind != VOCABULARY or not problem.warning:
        return None
    match = re.fullmatch(r"tags\.(\d+)\.id", problem.field)
    if match is None or int(match[1]) >= len(vocabulary.tags):
        return None
    return vocabulary.tags[int(match[1])].id


def archive_problems(root: Path, papers: list[Paper], vocabulary: Vocabulary,
                     policy: Policy) -> list[Problem]:
    """Archive-wide breaks (too broad, too thin) as warnings at each tag's line in tags.yml."""
    return list(archive_breaks(root, papers, vocabulary, policy).values())
