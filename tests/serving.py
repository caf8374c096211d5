"""Serving a built site on 127.0.0.1 and launching Debian's Chromium, for tests and benchmarks.

Shared by the browser tests (through fixtures in ``conftest.py``) and by the benchmarks
that drive a browser (search_bench, search_relevance, audit_site), so all of them see the
site the same way and the browser's path and flags are stated once.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The browser: Debian's Chromium here and in .ci/run; GitHub's runners set CHROMIUM_PATH.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright; closed however the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
