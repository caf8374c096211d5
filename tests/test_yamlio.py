"""Strict loading: the attacks and surprises that yaml.safe_load lets through."""

from __future__ import annotations

import time

import pytest

from generator.yamlio import YamlError, dump_canonical, load_strict, loads_strict

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


@pytest.mark.parametrize(("text", "line", "message"), [
    (ALIAS_BOMB, 1, "anchors (&a) are not allowed"),
    ("a: x\nb: *a\n", 2, "aliases (*a) are not allowed"),
    ("id: x\ntitle: one\ntitle: two\n", 3, "duplicate key 'title' (first on line 2)"),
    ("a: !!python/object/apply:os.system ['ls']\n", 1, "explicit tags"),
    ("a: !!int 3\n", 1, "explicit tags"),
    ("a: [1\n", 2, "invalid YAML"),
    ("? [a, b]\n: c\n", 1, "mapping keys must be plain strings"),
])
def test_refused(text, line, message):
    with pytest.raises(YamlError) as err:
        loads_strict(text)
    assert message in err.value.message
    assert err.value.line == line


def test_alias_bomb_is_refused_fast():
    start = time.perf_counter()
    with pytest.raises(YamlError):
        loads_strict(ALIAS_BOMB)
    assert time.perf_counter() - start < 5  # generous: it must not expand anything


def test_implicit_types_stay_strings():
    doc = loads_strict("a: no\nb: 0777\nc: 1.10\nd: 2024-01-01\ne: null\nf: 1e3\ng: yes\n")
    assert doc.data == {"a": "no", "b": "0777", "c": "1.10", "d": "2024-01-01",
                        "e": "null", "f": "1e3", "g": "yes"}


def test_lines_of_values():
    doc = loads_strict("id: x\ntags:\n  - a\n  - b\nlinks:\n  - kind: code\n    url: u\n")
    assert doc.line_of(("tags", 1)) == 4
    assert doc.line_of(("links", 0, "url")) == 7
    assert doc.line_of(("missing",)) == 1


def test_oversize_file_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * 70_000)
    with pytest.raises(YamlError, match="over the 65536-byte limit"):
        load_strict(path)


def test_invalid_utf8_names_line(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_bytes(b"a: ok\nb: \xff\n")
    with pytest.raises(YamlError) as err:
        load_strict(path)
    assert err.value.line == 2


@pytest.mark.parametrize("value", [
    "plain", "", "no", "0777", "a: b # c", "- dash", "two\n\nparagraphs", " leading space",
    "trailing\n", "tab\there", "quote \" and \\ backslash $\\le$", "<script>alert(1)</script>",
    "unicode ü × – “”", "\u2028 line separator", "nel\x85 c1\x9b bom\ufeff",
    "{braces} [brackets] &amp *star !bang",
])
def test_round_trip_any_string(value):
    text = dump_canonical({"k": value, "abstract": value}, "# head",
                          frozenset({"abstract"}))
    assert loads_strict(text).data == {"k": value, "abstract": value}
    assert dump_canonical(loads_strict(text).data, "# head", frozenset({"abstract"})) == text


def test_round_trip_random_strings():
    """Seeded fuzz: any mix of awkward characters survives write -> read -> write."""
    import random

    rng = random.Random(1234)
    pool = [*list("ab :#-'\"\\\n\t$%{}[]&*!|>@`"), "\u2028", "\x85", "é", "\ufeff", "  ", "\n\n"]
    for _ in range(500):
        value = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        text = dump_canonical({"abstract": value}, block_keys=frozenset({"abstract"}))
        assert loads_strict(text).data == {"abstract": value}, repr(value)


@pytest.mark.parametrize("text, line", [
    ('id: "a"\ntitle: "x\x00y"\n', 2),
    ('id: "a"\ntags: []\nabstract: |-\n  ok\n  bad \x07 here\n', 5),
    ("\x00\n", 1)])
def test_a_character_yaml_refuses_is_named_on_its_own_line(text, line):
    with pytest.raises(YamlError) as caught:
        loads_strict(text)
    assert caught.value.line == line
    assert caught.value.message.startswith("invalid YAML: U+00")
    assert "\n" not in caught.value.message and "unicode string" not in caught.value.message
