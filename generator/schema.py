"""JSON Schema checking of loaded YAML, with problems that point at the offending line.

The schemas in ``archive/schema/`` are the contract editors also see; this module applies
them exactly as JSON Schema means them and words their complaints for contributors.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.layout import PAPER_SCHEMA, Layout
from generator.model import Problem


def load_schema(root: Path, name: str = PAPER_SCHEMA) -> dict[str, Any]:
    """The schema ``name`` of the archive rooted at ``root``."""
    path = Layout(root).schema_dir / name
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=8)
def _validator(schema_json: str) -> Any:
    """One compiled validator per schema: building it is most of the cost of a check."""
    from jsonschema import Draft202012Validator, validators

    # The stubs leave validators.extend unannotated; what it returns is a validator class.
    checker = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _pattern_keyword})
    return checker(json.loads(schema_json))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    r"""``pattern`` as JSON Schema means it: an ECMA-262 regex, where ``$`` ends the text.

    jsonschema uses Python's ``re``, whose ``$`` also matches before a final newline, so
    ``"old-id\n"`` would pass ``^[a-z0-9-]+$`` and become a file name and a URL with a
    newline in them, while an editor (ECMA semantics) rejects it.
    """
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=64)
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    r"""``pattern`` compiled with each ``$`` anchor (not escaped, not in a class) as ``\Z``."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def schema_problems(data: Any, schema: dict[str, Any], doc: yamlio.Document,
                    rel: str) -> list[Problem]:
    """JSON Schema violations as Problems, pointing at the offending line."""
    problems = []
    validator = _validator(json.dumps(schema, sort_keys=True))
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.path)
        field_name = ".".join(str(p) for p in path) or "(record)"
        problem = Problem(rel, doc.line_of(path), field_name, _schema_message(error))
        # jsonschema reports "required" once per missing field; the message names them all.
        if problem not in problems:
            problems.append(problem)
    return problems


def _schema_message(error: Any) -> str:
    """Plain-English messages for the schema keywords contributors will actually hit."""
    kind, value, inst = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        return f"missing required field {', '.join(missing)}"
    if kind == "additionalProperties":
        extra = sorted(k for k in inst if k not in error.schema.get("properties", {}))
        return f"unknown field {', '.join(extra)}"
    if kind == "minLength":
        if value == 1:
            return "must not be empty"
        return f"is too short ({len(inst)} characters, minimum {value})"
    if kind == "maxLength":
        return f"is too long ({len(inst)} characters, maximum {value})"
    if kind == "pattern":
        return f"{inst!r} does not match the expected form {value}"
    if kind == "enum":
        return f"{inst!r} is not one of {', '.join(value)}"
    if kind == "type":
        expected = {"array": "a list", "object": "a mapping", "string": "text"}.get(value, value)
        return f"must be {expected}"
    if kind == "uniqueItems":
        return "has duplicate entries"
    if kind == "minItems":
        return "must not be empty (leave the field out instead)" if value == 1 \
            else f"needs at least {value} entries"
    if kind == "maxItems":
        return f"has {len(inst)} entries, maximum {value}"
    return str(error.message)
