"""Make a new paper record by hand: the logic behind ``python -m generator new``.

A contributor adding a paper should not need to know the id rules, the TeX cleaning or
the tag vocabulary by heart, and must not be able to add a paper twice.  So the record is
built exactly as the importer builds one from a dump entry (same cleaner, same id
derivation, same tag rules) and then handed to :func:`generator.importer.create_record`,
the importer being the only code that writes records.

Differences from an imported record, on purpose:

* ``source`` is ``"manual"``;
* there is no ``fingerprint``: the record counts as edited by hand from the start, so a
  later import of a dump holding the same paper reports a conflict and never overwrites
  what the contributor wrote;
* a title that is already in the archive (compared as :func:`identity.paper_key` keys) is
  refused outright, pointing at the existing file, because the fix is to edit that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import clean, dates
from generator.archive import UnreadableRecords, load_for_writing, taken_ids
from generator.identity import PAPER_ID_RE, derive_id, paper_key
from generator.importer import ImportError_, create_record
from generator.layout import TAGS_SOURCE, Layout
from generator.model import LINK_KINDS, Archive, Link, Paper
from generator.render import plain_title
from generator.tagging import in_vocabulary_order, score_paper
from generator.tagmodel import suggest_tags
from generator.tagpolicy import Policy, PolicyError, count_problem, load_policy

SOURCE = "manual"


class NewRecordError(ValueError):
    """A record cannot be made from this input; the message tells the contributor why.

    ``learned_off`` says, when it matters to the refusal, that the learned tag layer was
    off (:attr:`generator.model.Vocabulary.training_off`).
    """

    def __init__(self, message: str, learned_off: str = "") -> None:
        super().__init__(message)
        self.learned_off = learned_off


@dataclass(frozen=True)
class NewRecord:
    """A record made (or, in a dry run, only checked) and where it lives."""

    paper: Paper
    path: Path
    written: bool
    #: Why the learned tag layer was off (the rules alone chose the tags), or "".
    learned_off: str = ""


def parse_link(spec: str) -> Link:
    """A ``--link`` argument: ``KIND=URL``, or a bare URL whose kind is guessed from its host.

    A bare URL is recognised by its scheme first, because URLs may contain ``=`` too.
    """
    spec = spec.strip()
    if spec.lower().startswith(("http://", "https://")):
        return Link(clean.link_kind(spec), spec)
    kind, sep, url = spec.partition("=")
    kind, url = kind.strip(), url.strip()
    if not sep or kind not in LINK_KINDS:
        raise NewRecordError(f"--link {spec!r}: write KIND=URL with KIND one of "
                             f"{', '.join(LINK_KINDS)}")
    if not url.lower().startswith(("http://", "https://")):
        raise NewRecordError(f"--link {spec!r}: the URL must start with http:// or https://")
    return Link(kind, url)


def check_date(value: str | None) -> str:
    """``value`` as an ISO date (today when None); see :mod:`generator.dates`."""
    try:
        return dates.check_date(value)
    except ValueError as exc:
        raise NewRecordError(str(exc)) from None


def read_interactive(ask: Callable[[str], str] = input,
                     say: Callable[[str], None] = print) -> tuple[str, str]:
    """Prompt for a title, then an abstract ended by an empty line or end of input.

    ``ask`` and ``say`` are :func:`input` and :func:`print` unless a test passes its own.
    Blank lines before the abstract starts are skipped, so pressing Enter once too often
    after the title does not give an empty abstract.
    """
    try:
        title = ask("Title: ")
    except EOFError:
        raise NewRecordError("no title given") from None
    say("Abstract (paste it; end with an empty line or Ctrl-D):")
    lines: list[str] = []
    while True:
        try:
            line = ask("")
        except EOFError:
            break
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line)
    return title, "\n".join(lines)


def _load(root: Path) -> Archive:
    try:
        return load_for_writing(root)
    except UnreadableRecords as exc:
        raise NewRecordError(f"fix the records that cannot be read first:\n{exc}") from None


def _choose_id(root: Path, title: str, taken: set[str], wanted: str | None) -> str:
    if wanted is None:
        return derive_id(plain_title(title), taken)
    if not PAPER_ID_RE.match(wanted):
        raise NewRecordError(f"--id {wanted!r}: use lower-case letters, digits and hyphens, "
                             "starting with a letter or digit, at most 80 characters")
    if wanted in taken:
        raise NewRecordError(f"--id {wanted!r} is already taken by "
                             f"{Layout(root).paper_path(wanted)}")
    return wanted


def _merge_links(given: Iterable[Link], abstract: str) -> tuple[Link, ...]:
    """Links given on the command line first, then URLs found in the abstract, no repeats."""
    links: list[Link] = []
    seen: set[str] = set()
    for link in [*given, *(Link(c.kind, c.url) for c in clean.extract_links(abstract))]:
        key = link.url.rstrip("/")
        if key not in seen:
            seen.add(key)
            links.append(link)
    return tuple(links)


def choose_tags(title: str, abstract: str, archive: Archive, policy: Policy,
                given: Iterable[str] = (), force: bool = False) -> tuple[str, ...]:
    """The rules' tags plus the ``--tag`` ones with their parents, checked against the policy.

    Raises:
        NewRecordError: a given tag is not in the vocabulary, or (without ``force``) the
            paper would carry too few or too many tags; the message says which tags to
            add, with the rules' next-best candidates.
    """
    vocabulary = archive.vocabulary
    extra = []
    for tag in given:
        current = vocabulary.resolve(tag)
        if current is None:
            raise NewRecordError(f"--tag {tag!r} is not in {TAGS_SOURCE}")
        extra.append(current)
    # A --tag narrower tag brings its parent, as the tagger's own choices do.
    tags = in_vocabulary_order(vocabulary.closed([*suggest_tags(title, abstract, vocabulary,
                                                                policy), *extra]),
                               vocabulary)
    problem = count_problem(len(tags), policy)
    if problem is None or force:
        return tags
    found = ", ".join(tags) or "none"
    if len(tags) > policy.max_tags:
        raise NewRecordError(f"{problem}; tags: {found}. Drop some --tag options, or use "
                             "--force and edit the record", vocabulary.training_off)
    candidates = [s.tag for s in score_paper(title, abstract, vocabulary)
                  if s.tag not in tags][:5]
    hint = (f" (the rules' next candidates: {', '.join(candidates)})" if candidates
            else f" (see the descriptions in {TAGS_SOURCE})")
    raise NewRecordError(f"the rules found {len(tags)} tag(s) for this paper ({found}) and a "
                         f"paper needs at least {policy.min_tags}: add "
                         f"{policy.min_tags - len(tags)} with --tag ID{hint}, or write it "
                         "anyway with --force and add them by hand", vocabulary.training_off)


def make_paper(root: Path, archive: Archive, raw_title: str, raw_abstract: str, today: str,
               links: Iterable[Link] = (), paper_id: str | None = None,
               tags: Iterable[str] = (), force: bool = False) -> Paper:
    """Build the record for a new paper; raises :class:`NewRecordError` when it cannot."""
    title = clean.clean_title(raw_title)
    if not title:
        raise NewRecordError("the title is empty")
    abstract = clean.clean_abstract(raw_abstract)
    if not abstract:
        raise NewRecordError("the abstract is empty")
    existing = {paper_key(p): p for p in archive.papers}
    merged = _merge_links(links, abstract)
    twin = existing.get(paper_key(Paper(id="", title=title, abstract=abstract, links=merged)))
    if twin is not None:
        raise NewRecordError(f"this paper is already in the archive as "
                             f"{Layout(root).paper_path(twin.id)} (title {twin.title!r}); "
                             "to correct it, edit that file")
    try:
        policy = load_policy(root)
    except PolicyError as exc:
        raise NewRecordError(str(exc)) from None
    new_id = _choose_id(root, title, taken_ids(root, archive), paper_id)
    chosen = choose_tags(title, abstract, archive, policy, tags, force)
    return Paper(id=new_id, title=title, abstract=abstract, tags=chosen,
                 links=merged, added=today, source=SOURCE)


def new_record(root: Path, raw_title: str, raw_abstract: str, today: str | None = None,
               links: Iterable[Link] = (), paper_id: str | None = None,
               dry_run: bool = False, tags: Iterable[str] = (),
               force: bool = False) -> NewRecord:
    """Make, check and (unless ``dry_run``) write a new record under ``root``."""
    archive = _load(root)
    paper = make_paper(root, archive, raw_title, raw_abstract, check_date(today), links,
                       paper_id, tags, force)
    try:
        path = create_record(root, paper, dry_run=dry_run)
    except ImportError_ as exc:
        raise NewRecordError(str(exc)) from None
    return NewRecord(paper, path, written=not dry_run,
                     learned_off=archive.vocabulary.training_off)
