"""A real browser for the tests: Debian's Chromium (installed with apt if the machine lacks it),
driven by Playwright against a real `dealgraph serve` on 127.0.0.1. Each page records what it
logged as an error and every request it made to another host, so a test can require neither."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Where screenshots of each page are kept after a run (gitignored).
ARTEFACTS = Path(__file__).resolve().parent.parent / "artefacts" / "browser"
# Every wait of a test (a page load, an element) is bounded by this many milliseconds.
WAIT_MS = 20_000


def chromium() -> Path:
    """Debian's Chromium, installing its package if the machine has none."""
    if not CHROMIUM.is_file():
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=apt, timeout=600)
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
        subprocess.run(install, check=True, env=apt, timeout=900)
    if not CHROMIUM.is_file():
        raise RuntimeError(f"no Chromium at {CHROMIUM} after installing Debian's package")
    return CHROMIUM


@dataclass
class Visit:
    """One browser tab on the server, with what it logged and where it went."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path, wait_until="load")

    def screenshot(self, name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def assert_clean(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.errors, f"console errors: {self.errors}"


@contextmanager
def headless_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, for as long as the block runs."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium()), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def tab(browser: Browser, base_url: str) -> Iterator[Visit]:
    """A tab with nothing saved from other tabs, on `base_url`; closed afterwards."""
    own_host = urlsplit(base_url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.set_default_timeout(WAIT_MS)
        visit = Visit(context.new_page(), base_url)
        visit.page.on("console", lambda message: _record_error(visit, message))
        visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
        # No request may leave the host: any that tries is recorded and refused.
        context.route(lambda url: _foreign(url, own_host), lambda route: _refuse(visit, route))
        yield visit
    finally:
        context.close()


def _record_error(visit: Visit, message: ConsoleMessage) -> None:
    if message.type == "error":
        visit.errors.append(f"{message.text} ({message.location.get('url')})")


def _foreign(url: str, own_host: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own_host


def _refuse(visit: Visit, route: Route) -> None:
    visit.foreign.append(route.request.url)
    route.abort()
