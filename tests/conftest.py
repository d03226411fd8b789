"""Shared test helpers: a throw-away content folder with the real registries, and the
built site served to a real browser (one build for all browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from kb_tools.bench.static import serve
from kb_tools.load.registry import copy_registry

# No deadlines: CI machines are shared and slow; the tests assert findings, never times.
settings.register_profile(
    "kb", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kb")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 1, 1)
NETWORK = "amsterdamse-stadsdorpen"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with the real vocabularies and registries and two valid cases."""
    target = tmp_path / "content"
    copy_registry(CONTENT, target)
    folder = target / "casussen" / NETWORK
    folder.mkdir(parents=True)
    for case in sorted((FIXTURES / "basis").glob("*.md")):
        shutil.copy2(case, folder / case.name)
    return target


def case_folder(content: Path) -> Path:
    return content / "casussen" / NETWORK


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> Iterator[str]:
    """The site built once with the real content and served from 127.0.0.1."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    with serve(site) as served:
        yield served.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright. Per module: a running Playwright
    blocks other users of its sync API in the same process (kb meten's measurement)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except PlaywrightError as error:
            pytest.fail(f"Chromium at {CHROMIUM} does not start: {error}")
        yield browser
        browser.close()


def open_page(browser: Browser, viewport: dict, **options: Any) -> Page:
    """A page in a fresh Dutch browser context; close it with ``page.context.close()``."""
    context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def index(tmp_path_factory):
    """The `kb zoek` index of the starter content, built once for the session."""
    from kb_tools.index.helpdesk import SearchIndex

    idx = SearchIndex(CONTENT, tmp_path_factory.mktemp("zoek"))
    idx.update()
    return idx


def ids(hits) -> list[str]:
    """The ids of `kb zoek` hits, in order."""
    return [h.id for h in hits]


def run_kb(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``kb args`` in this process: its exit code, stdout and stderr."""
    from kb_tools.cli import main

    try:
        code = main(args)
    except SystemExit as exc:  # argparse exits for usage errors and --help
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
