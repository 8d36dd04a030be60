"""Debian's Chromium under Playwright, launched one way for every browser test."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def launched_chromium() -> Iterator:
    """The browser, closed afterwards. Where it is missing the test is skipped, except
    under CI (which installs it), where that is a failure."""
    if not CHROMIUM.exists():
        if not os.environ.get("CI"):
            pytest.skip(f"no {CHROMIUM} (install Debian's chromium to run this)")
        pytest.fail(f"CI is set but {CHROMIUM} is missing (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
