"""The tag vocabulary: ``archive/tags.yml`` loaded strictly into a checked Vocabulary.

Checks here are those of the file alone (schema, unique ids and aliases, known groups,
rule phrases that compile); whether records use known tags is checked by
:mod:`generator.archive`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator import yamlio
from generator.layout import TAGS_SCHEMA, TRAINING_SCHEMA, Layout, reserved_message
from generator.model import (
    TRAINING,
    VOCABULARY,
    JudgedPaper,
    Problem,
    Tag,
    TagRules,
    Vocabulary,
    close_under_parents,
)
from generator.schema import load_schema, schema_problems
from generator.tagging import phrase_problems
from generator.textrules import not_text_message, printable

MAX_VOCABULARY_BYTES = 1024 * 1024
#: The hand-judged tags: about 2.5 MB for 1,520 papers; room for a few thousand more.
MAX_TRAINING_BYTES = 16 * 1024 * 1024


def _tuple(data: dict[str, Any], key: str) -> tuple[Any, ...]:
    value = data.get(key)
    return tuple(value) if isinstance(value, list) else ()


def _rules_from(data: Any) -> TagRules:
    if not isinstance(data, dict):
        return TagRules()
    try:
        min_score = int(data.get("min_score", 0))
    except ValueError:
        min_score = 0
    return TagRules(
        keywords=tuple(_tuple(data, "keywords")),
        title_keywords=tuple(_tuple(data, "title_keywords")),
        exclude=tuple(_tuple(data, "exclude")),
        min_score=min_score,
        yields_to=tuple(str(t) for t in _tuple(data, "yields_to")),
        context=tuple(_tuple(data, "context")),
    )


def load_vocabulary(layout: Layout) -> tuple[Vocabulary, list[Problem]]:
    """Load ``tags.yml``; a missing file is an empty vocabulary (not yet curated)."""
    path = layout.tags_file
    rel = layout.rel(path)
    if not path.exists():
        return Vocabulary((), ()), []
    try:
        doc = yamlio.load_strict(path, MAX_VOCABULARY_BYTES)
    except yamlio.YamlError as exc:
        return Vocabulary((), ()), [Problem(rel, exc.line, "(file)", exc.message, VOCABULARY,
                                            unreadable=True)]
    problems = []
    schema_file = layout.schema_dir / TAGS_SCHEMA
    if schema_file.exists():
        problems += schema_problems(doc.data, load_schema(layout.root, TAGS_SCHEMA),
                                    doc, rel)
    data = doc.data if isinstance(doc.data, dict) else {}
    groups = tuple(str(g.get("name", "")) if isinstance(g, dict) else str(g)
                   for g in data.get("groups") or [])
    problems += _not_text_problems(data, doc, rel)
    tags = []
    seen: dict[str, tuple[str, int]] = {}
    for i, item in enumerate(data.get("tags") or []):
        if not isinstance(item, dict):
            continue
        tag = Tag(
            id=str(item.get("id", "")),
            name=str(item.get("name", "")),
            description=str(item.get("description", "")),
            group=str(item.get("group", "")),
            rules=_rules_from(item.get("rules")),
            aliases=tuple(str(a) for a in _tuple(item, "aliases")),
            # Not text (a list, a number) is the schema's to report, once.
            parent=item["parent"] if isinstance(item.get("parent"), str) else "",
        )
        line = doc.line_of(("tags", i, "id"))
        names = [(tag.id, f"tags.{i}.id", line)] + [
            (alias, f"tags.{i}.aliases.{k}", doc.line_of(("tags", i, "aliases", k)))
            for k, alias in enumerate(tag.aliases)]
        for name, where, at in names:
            reserved = reserved_message(name)
            if reserved:
                problems.append(Problem(rel, at, where, reserved))
            if name in seen:
                first_kind, first_line = seen[name]
                problems.append(Problem(rel, at, where, f"{name!r} is already used as "
                                        f"{first_kind} on line {first_line}"))
            else:
                seen[name] = ("an id" if where.endswith(".id") else "an alias", at)
        if groups and tag.group not in groups:
            problems.append(Problem(rel, doc.line_of(("tags", i, "group")), f"tags.{i}.group",
                                    f"unknown group {tag.group!r}; groups are {', '.join(groups)}"))
        problems += _rule_problems(tag, i, doc, rel)
        tags.append(tag)
    tags, parent_problems = _resolve_parents(tags, doc, rel)
    problems += parent_problems
    tags, yield_problems = _resolve_yields(tags, doc, rel)
    problems += yield_problems
    training, training_problems = load_training(layout, {t.id for t in tags},
                                                _current_ids(tags),
                                                {t.id: t.parent for t in tags if t.parent})
    return (Vocabulary(groups, tuple(tags), training, learned_layer_off(training_problems)),
            [replace(p, kind=VOCABULARY) for p in problems]
            + [replace(p, kind=TRAINING) for p in training_problems])


def learned_layer_off(problems: list[Problem]) -> str:
    """One line saying the learned layer is off and why (the first problem), or "".

    ``import``, ``new``, ``tags suggest``, ``generate`` and ``build`` print it: a typo in
    ``tag_training.yml`` otherwise switched the layer off in silence (the rules alone
    tagged an import, in 2 s instead of 14 s), and only ``validate`` said anything.
    """
    if not problems:
        return ""
    first = min(problems)
    more = (f" (and {len(problems) - 1} more there; `python -m generator validate` lists "
            "them)" if len(problems) > 1 else "")
    return printable(f"the learned tag layer is off (the rules alone choose tags) until this "
                     f"is fixed: {first}{more}")


def load_training(layout: Layout, tag_ids: set[str],
                  aliases: Mapping[str, str] | None = None,
                  parents: Mapping[str, str] | None = None,
                  ) -> tuple[tuple[JudgedPaper, ...], list[Problem]]:
    """The hand-judged papers of ``tag_training.yml`` (none when the file is missing).

    Checked like the vocabulary (schema, then every tag a current id or an alias, every
    key once), so a typo in a judgement is a ``path:line: field: message`` from
    ``validate`` rather than a silently different model.  A former id kept in
    ``aliases`` (old id -> current id) is read as the current id, as records and
    ``yields_to`` read it: renaming a tag the documented way leaves the judgements valid.
    With any problem no paper is returned: the rules alone choose tags until the file is
    fixed.

    A judged narrower tag brings its parent (``parents``: child id -> parent id): the
    judge who chose *Quantization* chose a part of *Efficiency*, and the vocabulary says a
    paper with the one has the other (:func:`generator.model.close_under_parents`), so
    the learned layer is trained on, and the evaluations score against, closed sets.
    """
    current = {**(aliases or {}), **{tag: tag for tag in tag_ids}}
    path = layout.training_file
    rel = layout.rel(path)
    if not path.exists():
        return (), []
    try:
        doc = yamlio.load_strict(path, MAX_TRAINING_BYTES)
    except yamlio.YamlError as exc:
        return (), [Problem(rel, exc.line, "(file)", exc.message, VOCABULARY, unreadable=True)]
    problems: list[Problem] = []
    schema_file = layout.schema_dir / TRAINING_SCHEMA
    if schema_file.exists():
        problems += schema_problems(doc.data, load_schema(layout.root, TRAINING_SCHEMA),
                                    doc, rel)
    if problems:
        return (), problems
    papers = []
    seen: dict[str, int] = {}
    for i, item in enumerate(doc.data["papers"]):
        key = item["key"]
        if key in seen:
            problems.append(Problem(rel, doc.line_of(("papers", i, "key")), f"papers.{i}.key",
                                    f"{key!r} is already judged on line {seen[key]}"))
        seen.setdefault(key, doc.line_of(("papers", i, "key")))
        for k, tag in enumerate(item["tags"]):
            if tag not in current:
                problems.append(Problem(rel, doc.line_of(("papers", i, "tags", k)),
                                        f"papers.{i}.tags.{k}",
                                        f"{tag!r} is not a tag id of "
                                        f"{layout.rel(layout.tags_file)}"))
        tags = close_under_parents((current.get(tag, tag) for tag in item["tags"]),
                                   parents or {})
        papers.append(JudgedPaper(key, item["source"], item["split"], item["title"],
                                  item["abstract"], tags))
    return ((), problems) if problems else (tuple(papers), [])


def _not_text_problems(data: dict[str, Any], doc: yamlio.Document, rel: str,
                       ) -> list[Problem]:
    """Group and tag names and descriptions holding characters that are not text."""
    fields = [("groups", "name"), ("groups", "description"), ("tags", "name"),
              ("tags", "description"), ("tags", "group")]
    problems = []
    for section, key in fields:
        items = data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(key) if isinstance(item, dict) else None
            message = not_text_message(value) if isinstance(value, str) else None
            if message:
                problems.append(Problem(rel, doc.line_of((section, i, key)),
                                        f"{section}.{i}.{key}", message))
    return problems


def _current_ids(tags: list[Tag]) -> dict[str, str]:
    """Every id and alias -> the current id (an id wins over another tag's alias)."""
    ids = {tag.id: tag.id for tag in tags}
    ids.update({alias: tag.id for tag in tags for alias in tag.aliases if alias not in ids})
    return ids


def _resolve_yields(tags: list[Tag], doc: yamlio.Document, rel: str,
                    ) -> tuple[list[Tag], list[Problem]]:
    """Tags with ``yields_to`` as current ids, and the entries that name no other tag.

    A former id (kept as an alias) is read as the tag it names, so a rename does not
    break the rule.

    An entry from a parent to one of its own narrower tags (:func:`_resolve_parents` runs
    first) is reported, not dropped in silence: the parent would step aside for the child
    only to come back with it, so the entry does nothing, and whoever wrote it expected
    something else (round 6's way, the narrower tag instead of the broad one) and should
    learn that the vocabulary no longer works so.
    """
    ids = _current_ids(tags)
    parent_of = {tag.id: tag.parent for tag in tags if tag.parent}
    problems = []
    resolved = []
    for i, tag in enumerate(tags):
        targets = []
        for k, other in enumerate(tag.rules.yields_to):
            target = ids.get(other)
            child = target is not None and parent_of.get(target) == tag.id
            parent = target is not None and parent_of.get(tag.id) == target
            if target is not None and target != tag.id and not child and not parent:
                targets.append(target)
                continue
            message = (f"{other!r}: a tag cannot yield to itself" if target == tag.id
                       else f"{other!r} is a narrower topic of this tag, so a paper with it "
                            "always has this tag too: drop this entry" if child
                       else f"{other!r} is this tag's parent, which a paper with this tag "
                            "always has, so the tag would never be kept: drop this entry"
                       if parent
                       else f"{other!r} is not a tag id of this vocabulary")
            problems.append(Problem(rel, doc.line_of(("tags", i, "rules", "yields_to", k)),
                                    f"tags.{i}.rules.yields_to.{k}", message))
        rules = replace(tag.rules, yields_to=tuple(dict.fromkeys(targets)))
        resolved.append(replace(tag, rules=rules) if rules != tag.rules else tag)
    return resolved, problems


def _resolve_parents(tags: list[Tag], doc: yamlio.Document, rel: str,
                     ) -> tuple[list[Tag], list[Problem]]:
    """Tags with ``parent`` as a current id, and the links that cannot stand.

    A parent must be another tag of the vocabulary (a former id, kept as an alias, is read
    as the tag it names, as ``yields_to`` reads it) and must have no parent itself: one
    level keeps "a paper with a narrower tag has its parent" a single step that every
    reader of a record can check by eye.  A link that breaks a rule is dropped after it is
    reported, so the rest of the run sees a vocabulary without cycles or chains.
    """
    ids = _current_ids(tags)
    linked: dict[str, str] = {}
    problems = []
    for i, tag in enumerate(tags):
        if not tag.parent:
            continue
        target = ids.get(tag.parent)
        where = (rel, doc.line_of(("tags", i, "parent")), f"tags.{i}.parent")
        if target is None:
            problems.append(Problem(*where, f"{tag.parent!r} is not a tag id of this "
                                            "vocabulary"))
        elif target == tag.id:
            problems.append(Problem(*where, f"{tag.parent!r}: a tag cannot be a narrower "
                                            "topic of itself"))
        else:
            linked[tag.id] = target
    line = {tag.id: i for i, tag in enumerate(tags)}
    children: dict[str, list[str]] = {}
    for child, parent in linked.items():
        children.setdefault(parent, []).append(child)
    # A chain is reported once, at the middle tag's own ``parent`` line, and that link is
    # the one dropped: its narrower tags keep their parent, so the records that use them
    # stay valid (adding a parent to a tag that has narrower tags is the usual slip).
    middle = sorted((t for t in linked if t in children), key=line.__getitem__)
    for tag_id in middle:
        i = line[tag_id]
        kids = ", ".join(repr(c) for c in sorted(children[tag_id], key=line.__getitem__))
        problems.append(Problem(rel, doc.line_of(("tags", i, "parent")), f"tags.{i}.parent",
                                f"this tag has narrower tags ({kids}), so it cannot be a "
                                f"narrower topic of {linked[tag_id]!r} (one level only)"))
    kept = {c: p for c, p in linked.items() if c not in children}
    resolved = [replace(tag, parent=kept.get(tag.id, "")) if kept.get(tag.id, "") != tag.parent
                else tag for tag in tags]
    return resolved, problems


def _rule_problems(tag: Tag, index: int, doc: yamlio.Document, rel: str) -> list[Problem]:
    """Rule phrases that would not compile, pointing at the phrase's own line."""
    return [Problem(rel, doc.line_of(("tags", index, "rules", name, k)),
                    f"tags.{index}.rules.{name}.{k}", message)
            for name, k, message in phrase_problems(tag)]
