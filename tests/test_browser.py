"""The built site in a real browser (headless Debian Chromium), used as a reader would.

The site is built once with the real content and served from 127.0.0.1.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, open_page

ATOM = "{http://www.w3.org/2005/Atom}"
CASE = "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/"
TERM = "thema/burenhulp/"
NETWORK = "netwerken/amsterdamse-stadsdorpen/"
ANSWER = "antwoorden/hd-0002-vennootschapsbelasting-zorgcooperatie/"


def card_titles(page: Page) -> list[str]:
    """The titles of all cards on a list page, following the pager to the last page."""
    titles = page.locator(".kb-card__title a").all_inner_texts()
    following = page.locator(".kb-pager a[rel=next]")
    while following.count():
        following.click()
        page.wait_for_load_state()
        titles += page.locator(".kb-card__title a").all_inner_texts()
    return [t.strip() for t in titles]


def test_browse_by_theme_to_a_case_and_back(phone: Page, base_url: str):
    phone.goto(base_url)
    phone.locator(".kb-entry").get_by_role("link", name="Per thema").click()
    expect(phone.locator("h1")).to_have_text("Per thema")

    terms = phone.locator("ul.kb-terms-overview > li")
    counts = [int(b) for b in terms.locator(".kb-badge").all_inner_texts()]
    assert any(counts), f"no theme has cases: {counts}"
    index = next(i for i, n in enumerate(counts) if n > 0)
    label = terms.nth(index).locator("a").inner_text().strip()
    terms.nth(index).locator("a").click()
    expect(phone.locator("h1")).to_have_text(label)
    expect(phone.locator(".kb-count")).to_have_text(re.compile(rf"^{counts[index]} casus"))
    # Case cards; helpdesk answers on the term are listed above them in .kb-answers.
    case_cards = phone.locator(".kb-card:not(.kb-answers .kb-card)")
    expect(case_cards).to_have_count(min(counts[index], 50))
    first = case_cards.locator(".kb-card__title a").first
    title = first.inner_text().strip()
    first.click()

    expect(phone.locator("h1")).to_have_text(title)
    # On a phone the facts are folded: "Alle gegevens" opens them.
    meta = phone.locator("details.kb-facts")
    expect(meta.locator("dl")).to_be_hidden()
    meta.locator("summary").click()
    expect(meta.get_by_role("heading", name="Alle gegevens")).to_be_visible()
    headings = [t.strip() for t in meta.locator("dt").all_inner_texts()]
    for needed in ("Plaats", "Netwerk", "Thema"):
        assert needed in headings, f"{needed!r} missing from the metadata card: {headings}"

    term_link = meta.locator("ul.kb-terms a:not(.kb-official)").first
    term_label = term_link.inner_text().strip()
    term_link.click()
    expect(phone.locator("h1")).to_have_text(term_label)
    assert title in card_titles(phone), f"{title!r} not listed on the term page {term_label!r}"


def test_stable_link_shows_the_case(phone: Page, base_url: str):
    # The short address is a copy of the case page (render/shortlinks.py), not a redirect;
    # tests/test_reader_links.py counts its requests.
    phone.goto(base_url + "c/ams-0001/")
    assert phone.url == base_url + "c/ams-0001/"
    expect(phone.locator("h1")).to_be_visible()
    assert phone.evaluate("document.baseURI") == base_url + CASE


def test_province_map_adds_up_and_leads_to_the_province(desktop: Page, base_url: str):
    desktop.goto(base_url)
    # Every province is drawn; only those with cases are links (kb-map__province--empty).
    provinces = desktop.locator("svg.kb-map .kb-map__province")
    expect(provinces).to_have_count(12)
    counts = {}
    for link in provinces.all():
        label = link.locator("title").text_content() or ""
        match = re.search(r"(\d+)", label)
        assert match, f"no number in the label {label!r}"
        counts[label.split(":")[0]] = int(match.group(1))
    national = desktop.locator(".kb-map__list li", has_text="Landelijk").inner_text()
    total = int(desktop.locator(".kb-stats li", has_text="casussen").locator("strong").inner_text())
    assert sum(counts.values()) + int(national.split(":")[1]) == total, (counts, national, total)

    desktop.locator('a.kb-map__province[href$="provincie/utrecht/"]').click()
    desktop.wait_for_url(base_url + "provincie/utrecht/")
    expect(desktop.locator("h1")).to_have_text("Utrecht")
    assert len(card_titles(desktop)) == counts["Utrecht"]


def test_feed_is_atom_and_its_links_work(desktop: Page, base_url: str):
    response = desktop.request.get(base_url + "feed.xml")
    assert response.ok, response.status
    root = ET.fromstring(response.body())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) >= 30, len(entries)
    for entry in entries:
        title = entry.findtext(f"{ATOM}title") or ""
        assert title.strip(), ET.tostring(entry)
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href"), f"no link for {title!r}"
        path = urlparse(link.get("href")).path.lstrip("/")
        status = desktop.request.get(base_url + path).status
        assert status == 200, f"{title!r}: /{path} gives {status}"


def test_no_request_leaves_the_site(desktop: Page, base_url: str):
    requests: list[str] = []
    desktop.on("request", lambda request: requests.append(request.url))
    for path in ("", CASE, TERM, NETWORK):
        desktop.goto(base_url + path, wait_until="networkidle")
    assert requests
    outside = [u for u in requests if not u.startswith((base_url, "data:"))]
    assert not outside, f"requests to other hosts: {outside}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "path",
    ["", CASE, TERM, NETWORK, ANSWER, "antwoorden/"],
    ids=["home", "case", "term", "network", "answer", "answers"],
)
def test_no_serious_accessibility_problems(browser: Browser, base_url: str, path, viewport):
    page = open_page(browser, viewport)
    try:
        page.goto(base_url + path)
        results = Axe().run(page)
    finally:
        page.context.close()
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target'] if v['nodes'] else '?'}"
        for v in serious
    )


@pytest.mark.parametrize(
    "path",
    ["", CASE, TERM, NETWORK, ANSWER],
    ids=["home", "case", "term", "network", "answer"],
)
def test_no_sideways_scrolling_on_a_phone(phone: Page, base_url: str, path):
    phone.goto(base_url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"/{path} is {width}px wide on a {PHONE['width']}px phone"


@pytest.mark.parametrize(
    ("short", "publisher"),
    [("c/ams-0001/", "Amsterdamse Stadsdorpen."), ("a/hd-0002/", "Helpdeskantwoord van")],
    ids=["case", "answer"],
)
def test_copy_link_puts_title_publisher_and_short_link_on_the_clipboard(
    browser: Browser, base_url: str, short: str, publisher: str
):
    context = browser.new_context(
        viewport=DESKTOP, locale="nl-NL", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        page.goto(base_url + short)
        button = page.get_by_role("button", name="Kopieer link")
        expect(button).to_be_visible()
        title = page.locator("h1").inner_text()
        button.click()
        expect(page.locator(".kb-copy__status")).to_have_text(re.compile("^Gekopieerd"))
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(title.rstrip(".")), copied
        assert publisher in copied
        assert copied.endswith(" " + base_url + short), copied
        assert "\n" not in copied  # one line, for pasting into an e-mail
    finally:
        context.close()


def test_an_answer_page_links_to_its_cases_and_back(desktop: Page, base_url: str):
    desktop.goto(base_url + "a/hd-0002/")
    answer_title = desktop.locator("h1").inner_text()
    cited = desktop.locator(".kb-solution--case .kb-solution__title a").first
    case_title = cited.inner_text()
    cited.click()
    expect(desktop.locator("h1")).to_have_text(case_title)
    backlinks = desktop.locator("li.kb-solution--answer", has_text="deze casus noemt")
    backlinks.get_by_role("link", name=answer_title).click()
    expect(desktop.locator("h1")).to_have_text(answer_title)
