"""A minimal progress bar on stderr for long runs (imports, builds of thousands of pages).

On a terminal it redraws one line; in CI logs (not a TTY) it prints a line every 10% so
logs stay short.  Small jobs (under ``threshold`` items) print nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Progress of a long run on stderr: a bar on a terminal, tenths in a log.

    Runs of fewer than ``threshold`` items print nothing.
    """

    def __init__(self, label: str, total: int, stream: TextIO | None = None,
                 threshold: int = 500) -> None:
        self.label, self.total = label, total
        self.stream = stream or sys.stderr
        self.enabled = total >= threshold
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self._last_decile = -1
        self._last_draw = 0.0

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done and redraw when it is worth it."""
        self.done += n
        if not self.enabled:
            return
        if self.tty:
            now = time.monotonic()
            if now - self._last_draw >= 0.1 or self.done >= self.total:
                self._last_draw = now
                self._draw()
        else:
            decile = self.done * 10 // max(self.total, 1)
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(f"{self.label}: {self.done}/{self.total} ({decile * 10}%)\n")

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        pct = 100 * self.done // max(self.total, 1)
        self.stream.write(f"\r{self.label}: [{bar}] {self.done}/{self.total} {pct:3d}%")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
