r"""Evaluation: pylatexenc's latex2text against our cleaner on the real datasets' abstracts.

Why ``generator/clean.py`` drives the cleaning itself and takes only pylatexenc's symbol
tables (see ``docs/maintainers/text.md``).  Prints figures, asserts nothing::

    python -m benchmarks.pylatexenc_eval

On abstracts holding a backslash command outside ``$...$`` it runs latex2text (math kept
verbatim, every bare ``%`` escaped first, or it would be read as a comment) and our
cleaner, and counts: exceptions; abstracts still showing a command; and, among abstracts
with an author's own macro (``\\ours``), those where latex2text drops the macro's name.
Over all abstracts it counts those with a bare ``%`` whose latex2text output, unescaped,
is under 80% of the length of ours (the rest of the paragraph read as a comment).
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from benchmarks import datasets
from generator import clean
from generator.dumps import read_dump

_MATH = re.compile(r"\$[^$]*\$")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def main(argv: list[str] | None = None) -> int:
    """Compare pylatexenc's latex2text with the cleaner on every abstract with a command."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pylatexenc_eval",
                                     description=__doc__.splitlines()[0])
    datasets.add_option(parser)
    args = parser.parse_args(argv)  # before loading anything: --help answers at once
    abstracts = [e.abstract for path in datasets.dataset_files(args.datasets, parser)
                 for e in read_dump(path)]
    start = time.perf_counter()
    db = get_default_latex_context_db()
    to_text = LatexNodes2Text(math_mode="verbatim")
    with_command = raised = theirs_left = ours_left = 0
    with_macro = macro_dropped = bare_percent = percent_cut = 0
    for abstract in abstracts:
        ours = clean.clean_abstract(abstract)
        if re.search(r"(?<!\\)%", abstract):
            bare_percent += 1
            try:
                if len(to_text.latex_to_text(abstract)) < 0.8 * len(ours):
                    percent_cut += 1
            except Exception:
                pass
        outside = _MATH.sub(" ", abstract)
        if not _COMMAND.search(outside):
            continue
        with_command += 1
        try:
            theirs = to_text.latex_to_text(re.sub(r"(?<!\\)%", r"\\%", abstract))
        except Exception:
            raised += 1
            continue
        theirs_left += bool(_COMMAND.search(_MATH.sub(" ", theirs)))
        ours_left += bool(_COMMAND.search(_MATH.sub(" ", ours)))
        own = {n for n in _COMMAND.findall(outside)
               if len(n) > 2 and db.get_macro_spec(n) is None and n in ours}
        if own:
            with_macro += 1
            macro_dropped += any(n not in theirs for n in own)
    print(f"{len(abstracts)} abstracts, {with_command} with a command outside math "
          f"({time.perf_counter() - start:.0f} s)")
    print(f"latex2text raised on {raised}; still showing a command: latex2text "
          f"{theirs_left}, ours {ours_left}")
    print(f"an author's own macro in {with_macro}: latex2text drops its name in "
          f"{macro_dropped}")
    print(f"a bare % in {bare_percent}: latex2text output under 80% of ours in {percent_cut}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
