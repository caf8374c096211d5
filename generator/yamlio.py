"""Strict YAML reading and canonical YAML writing for records and the tag vocabulary.

Why not ``yaml.safe_load``: it happily expands an alias bomb (a few hundred bytes that
become billions of list items on first traversal), silently keeps the last of two
duplicate keys, and turns ``no``, ``0777``, ``1.10`` or ``2024-01-01`` into a bool, an
int, a float or a date.  Records come from strangers' pull requests, so this reader:

* refuses symlinks, special files (``/dev/zero``) and files above a size cap, counting
  the bytes read, not what ``stat`` says;
* refuses nesting deeper than :data:`MAX_DEPTH`;
* refuses anchors, aliases and explicit tags (``!!python/...`` included);
* refuses duplicate mapping keys;
* keeps every scalar a ``str`` (the schema, not YAML's guessing, decides types);
* remembers the line of every value, so errors can say ``file:line: field: message``.

Writing is the mirror image: :func:`dump_canonical` emits one fixed layout (key order given
by the caller, every string double-quoted or a literal block), so loading and saving a
record gives identical bytes and tools never make spurious diffs.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

#: Default size cap for one record file.  The longest seed record is ~2.5 KB.
MAX_RECORD_BYTES = 64 * 1024

#: Deepest nesting of mappings and lists: records are 3 deep, tags.yml 4; later checks
#: (the JSON Schema validator) recurse, so depth is a door of its own.
MAX_DEPTH = 32

#: A path to a value inside a document: keys and list indexes.
Path_ = tuple[str | int, ...]


class YamlError(ValueError):
    """A document that cannot be loaded, with the 1-based line where the problem is."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Document:
    """A strictly loaded document: plain data plus the line number of every value."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """Line of the value at ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml's parser when present


def _event_problem(event: yaml.Event) -> str | None:
    if isinstance(event, AliasEvent):
        return f"aliases (*{event.anchor}) are not allowed"
    if isinstance(event, ScalarEvent | CollectionStartEvent):
        if event.anchor is not None:
            return f"anchors (&{event.anchor}) are not allowed"
        implicit = event.implicit[0] if isinstance(event, ScalarEvent) else event.implicit
        if event.tag not in (None, "!") and not implicit:
            return f"explicit tags ({event.tag}) are not allowed"
    return None


def _compose(events: Iterator[yaml.Event]) -> Document:
    """Build plain data from parser events, refusing what the module docstring lists.

    We compose from events ourselves (rather than letting PyYAML build nodes) so the
    checks run before anything is built, and so libyaml's fast C parser can be used.
    """
    lines: dict[Path_, int] = {}
    # Each frame: [container, path, pending_key, pending_key_line]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def place(value: Any, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            lines[()] = line
            return
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            lines[(*path, len(container))] = line
            container.append(value)
        elif frame[2] is None:
            if not isinstance(value, str):
                raise YamlError("mapping keys must be plain strings", line)
            if value in container:
                raise YamlError(f"duplicate key {value!r} (first on line "
                                f"{lines[(*path, value)]})", line)
            frame[2], frame[3] = value, line
        else:
            key = frame[2]
            container[key] = value
            lines[(*path, key)] = frame[3]
            frame[2] = None

    def child_path() -> Path_:
        if not stack:
            return ()
        container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
        return (*path, len(container)) if isinstance(container, list) else (*path, key or "")

    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 1
        problem = _event_problem(event)
        if problem:
            raise YamlError(problem, line)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError("only one YAML document is allowed per file", line)
        elif isinstance(event, ScalarEvent):
            place(event.value, line)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                raise YamlError("mapping keys must be plain strings", line)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line)
            container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            stack.append([container, child_path(), None, 0])
            stack[-1].append(line)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            container, _, _, _, start_line = stack.pop()
            place(container, start_line)
    if not lines:
        lines[()] = 1
    return Document(root, lines)


def loads_strict(text: str) -> Document:
    """Load one YAML document strictly (see the module docstring)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return _compose(yaml.parse(text, Loader=_Loader))
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlError:
    """A character YAML does not allow (a NUL), on its own line.

    PyYAML gives only the position in the whole text, and its message spans lines
    (``in "<unicode string>", position 19``).
    """
    position = max(0, min(int(exc.position), len(text)))
    char = exc.character if isinstance(exc.character, str) else chr(int(exc.character))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    name = unicodedata.name(char, "a control character")
    return YamlError(f"invalid YAML: U+{ord(char):04X} ({name}) at character {column} of "
                     "the line is not allowed in YAML; delete it", line)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, refusing symlinks, special files and more than ``max_bytes``.

    The size is checked on what is read, not on ``stat``: a device such as ``/dev/zero``
    reports size 0 and never ends.  A symlink could publish any file of the machine that
    builds the site, so it is refused rather than followed.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise YamlError("is a symbolic link; it must be a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise YamlError("is not a regular file")
    if info.st_size > max_bytes:
        raise YamlError(f"file is {info.st_size} bytes, over the {max_bytes}-byte limit")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise YamlError(f"file is over the {max_bytes}-byte limit")
    return raw


def load_strict(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> Document:
    """Read and strictly load ``path`` (see :func:`read_regular` for what is refused)."""
    raw = read_regular(path, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte {exc.start})", line) from None
    return loads_strict(text)


# --------------------------------------------------------------------------- writing

_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


_QUOTE_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def quote(value: str) -> str:
    """A double-quoted YAML scalar.  JSON's escapes are a subset of YAML's.

    Characters YAML treats as line breaks or refuses outright (NEL, U+2028/9, BOM, C1
    controls) are escaped too, or a reader would fold or reject them.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _QUOTE_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _literal_block(value: str, indent: str) -> str | None:
    """A ``|-`` block when every line survives the round trip, else None.

    Blocks keep long prose readable and TeX backslashes unescaped for contributors.
    """
    lines = value.split("\n")
    if not value or _BLOCK_UNSAFE.search(value) or any(
            line != line.strip(" \t") or (not line and i == 0) for i, line in enumerate(lines)):
        return None
    if lines[-1] == "":
        return None
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return f"|-\n{body}"


def _emit(value: Any, indent: int, block_keys: frozenset[str] = frozenset()) -> list[str]:
    pad = "  " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_emit_entry(f"{pad}{key}:", item, indent, key in block_keys, block_keys))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = _emit(item, indent + 1, block_keys)
                out.append(f"{pad}- {first.lstrip()}")
                out.extend(rest)
            else:
                out.extend(_emit_entry(f"{pad}-", item, indent, False, block_keys))
    else:
        raise TypeError(f"cannot emit {type(value).__name__} at top level")
    return out


def _emit_entry(prefix: str, item: Any, indent: int, as_block: bool,
                block_keys: frozenset[str]) -> list[str]:
    if isinstance(item, dict):
        return [f"{prefix} {{}}"] if not item else [prefix, *_emit(item, indent + 1, block_keys)]
    if isinstance(item, list):
        return [f"{prefix} []"] if not item else [prefix, *_emit(item, indent + 1, block_keys)]
    if not isinstance(item, str):
        raise TypeError(f"only strings are written, got {type(item).__name__}")
    block = _literal_block(item, "  " * (indent + 1)) if as_block else None
    return [f"{prefix} {block}" if block else f"{prefix} {quote(item)}"]


def dump_canonical(data: dict[str, Any], header: str = "",
                   block_keys: frozenset[str] = frozenset()) -> str:
    """Emit ``data`` (dicts, lists, strings; dict order kept) in the canonical layout.

    Values under ``block_keys`` are written as literal blocks when that is lossless;
    every other string is double-quoted, so no value is ever re-typed by a YAML reader.
    """
    head = f"{header}\n" if header else ""
    return head + "\n".join(_emit(data, 0, block_keys)) + "\n"
