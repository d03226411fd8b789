"""The helpdesk's link in a real browser: the short address opens the page itself with one
document request, and the link a page shows is the link "Kopieer link" copies, with and
without a site URL (KB_SITE_URL). The site is served under a sub-folder, as GitHub Pages
serves a project's site, so nothing may assume the site is at the root."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kb_tools.bench.static import serve

from .conftest import DESKTOP, PHONE, ROOT, open_page

CASE_ID = "ams-0001"
CASE = "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/"
ANSWER_ID = "hd-0002"
ANSWER = "antwoorden/hd-0002-vennootschapsbelasting-zorgcooperatie/"
SITE_URL = "https://kennisbank.example/"
MOUNT = "kennisbank/"  # the site's folder on the server


def build(target: Path, site_url: str | None) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "KB_SITE_URL"}
    if site_url:
        env["KB_SITE_URL"] = site_url
    site = target / MOUNT.strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built without a site URL."""
    return build(tmp_path_factory.mktemp("plain"), None)


@pytest.fixture(scope="module")
def plain_url(plain_site: Path) -> Iterator[str]:
    with serve(plain_site.parent) as served:
        yield served.url + MOUNT


@pytest.fixture(scope="module")
def published_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Built with a site URL (as published), served here."""
    site = build(tmp_path_factory.mktemp("published"), SITE_URL)
    with serve(site.parent) as served:
        yield served.url + MOUNT


class Traffic:
    """Every request of a page and every response's status."""

    def __init__(self, page: Page) -> None:
        self.documents: list[str] = []
        self.failed: list[tuple[int, str]] = []
        self.navigations: list[str] = []
        page.on(
            "request",
            lambda r: self.documents.append(r.url) if r.resource_type == "document" else None,
        )
        page.on(
            "response",
            lambda r: self.failed.append((r.status, r.url)) if r.status >= 300 else None,
        )
        page.on(
            "framenavigated",
            lambda f: self.navigations.append(f.url) if f == page.main_frame else None,
        )


@pytest.mark.parametrize(("item", "long"), [(f"c/{CASE_ID}/", CASE), (f"a/{ANSWER_ID}/", ANSWER)])
def test_the_short_address_is_the_page_itself(phone: Page, plain_url: str, item, long) -> None:
    traffic = Traffic(phone)
    phone.goto(plain_url + item)
    phone.wait_for_load_state("networkidle")
    assert phone.url == plain_url + item
    assert traffic.documents == [plain_url + item], "one document request, no redirect"
    assert traffic.navigations == [plain_url + item], "no second navigation"
    assert traffic.failed == [], "no 3xx, no missing stylesheet, script or image"
    assert phone.locator("meta[http-equiv=refresh]").count() == 0
    # The long address stays the page's own (canonical). Without a site URL nothing tells
    # the site's folder, so it is the path from the root, as in MkDocs' sitemap.
    canonical = phone.locator("link[rel=canonical]")
    expect(canonical).to_have_count(1)
    assert canonical.get_attribute("href") == "/" + long
    assert phone.evaluate("document.baseURI") == plain_url + long
    # The page looks and works as on the long address: Material's script ran (it sets
    # the class "js"), its stylesheet applies, and links lead where they do there.
    assert "js" in (phone.locator("html").get_attribute("class") or "").split()
    expect(phone.locator("h1")).to_be_visible()
    assert phone.locator(".md-header").evaluate("el => getComputedStyle(el).position") == "sticky"
    logo = phone.locator("a.md-logo").first.evaluate("el => el.href")
    assert logo == plain_url, "the home link leaves the site's folder intact"
    assert phone.locator("a.kb-stable-link").evaluate("el => el.href") == plain_url + item


def test_a_link_to_a_part_of_the_short_page_stays_on_it(browser: Browser, plain_url: str) -> None:
    page = open_page(browser, DESKTOP)
    try:
        page.goto(plain_url + f"c/{CASE_ID}/")
        traffic = Traffic(page)
        # The skip link is a link to a part of the page on every page (the table of
        # contents is hidden on case pages).
        skip = page.locator("a.kb-skip")
        fragment = skip.get_attribute("href").split("#", 1)[1]
        skip.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"location.hash === '#{fragment}'")
        assert page.url == plain_url + f"c/{CASE_ID}/#{fragment}"
        assert traffic.documents == [], "going to a part of the page loads no page"
        assert page.evaluate("document.activeElement.id") == fragment
    finally:
        page.context.close()


def test_a_link_on_the_short_page_leads_where_it_does_on_the_long_page(
    phone: Page, plain_url: str
) -> None:
    phone.goto(plain_url + CASE)
    on_long = phone.locator("main a[href]").evaluate_all("els => els.map(e => e.href)")
    phone.goto(plain_url + f"c/{CASE_ID}/")
    on_short = phone.locator("main a[href]").evaluate_all("els => els.map(e => e.href)")
    own = {plain_url + CASE, plain_url + f"c/{CASE_ID}/"}
    strip = [h if h.split("#")[0] not in own else "#" + h.partition("#")[2] for h in on_long]
    assert [h if h.split("#")[0] not in own else "#" + h.partition("#")[2] for h in on_short] == (
        strip
    )
    assert len(on_short) > 20


def shown_and_copied(browser: Browser, url: str) -> tuple[str, str]:
    page = open_page(browser, PHONE, permissions=["clipboard-read", "clipboard-write"])
    try:
        page.goto(url)
        facts = page.locator("details.kb-facts")
        if facts.count() and not facts.evaluate("d => d.open"):
            facts.locator("summary").click()  # on a phone the facts are folded
        shown = page.locator("a.kb-stable-link").inner_text().strip()
        page.get_by_role("button", name="Kopieer link").click()
        expect(page.locator(".kb-copy__status")).to_contain_text("Gekopieerd")
        return shown, page.evaluate("navigator.clipboard.readText()")
    finally:
        page.context.close()


@pytest.mark.parametrize("path", [CASE, f"c/{CASE_ID}/", ANSWER, f"a/{ANSWER_ID}/"])
def test_without_a_site_url_the_page_shows_and_copies_its_own_address(
    browser: Browser, plain_url: str, path: str
) -> None:
    short = f"a/{ANSWER_ID}/" if path.startswith("a") else f"c/{CASE_ID}/"
    shown, copied = shown_and_copied(browser, plain_url + path)
    assert shown == plain_url + short
    assert copied.endswith(" " + shown) and len(copied) > len(shown) + 10


def test_with_a_site_url_the_short_page_names_the_published_long_address(
    phone: Page, published_url: str
) -> None:
    phone.goto(published_url + f"c/{CASE_ID}/")
    canonical = phone.locator("link[rel=canonical]")
    expect(canonical).to_have_count(1)
    assert canonical.get_attribute("href") == SITE_URL + CASE


@pytest.mark.parametrize("path", [CASE, f"c/{CASE_ID}/"])
def test_with_a_site_url_the_page_shows_and_copies_the_published_address(
    browser: Browser, published_url: str, path: str
) -> None:
    shown, copied = shown_and_copied(browser, published_url + path)
    assert shown == SITE_URL + f"c/{CASE_ID}/"
    assert copied.endswith(" " + shown)


def test_without_javascript_the_shown_link_is_the_path(browser: Browser, plain_url: str) -> None:
    page = open_page(browser, PHONE, java_script_enabled=False)
    try:
        page.goto(plain_url + CASE)
        assert (
            page.locator("a.kb-stable-link").text_content().strip()
        )  # inside the folded facts == f"/c/{CASE_ID}/"
        expect(page.locator(".kb-copy")).to_be_hidden()
    finally:
        page.context.close()


def test_a_site_built_without_a_site_url_names_no_local_server(plain_site: Path) -> None:
    files = [*plain_site.rglob("*.html"), plain_site / "feed.xml", *plain_site.glob("data/*")]
    assert len(files) > 100
    named = [str(f.relative_to(plain_site)) for f in files if "127.0.0.1" in f.read_text("utf-8")]
    assert named == []
