"""The search page and the 404 page as a reader uses them (issue 15): no dead ends (options
that give nothing cannot be chosen, "nothing found" names the filters and takes each away
in one tap), cases or helpdesk answers only, "Kopieer link" on every result, a Dutch 404
page that works at any depth, visible keyboard focus, and no sideways scrolling at 320 px
with 200 % text. In headless Debian Chromium against the site built once (conftest)."""

from __future__ import annotations

import functools
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kb_tools.cli import main
from kb_tools.index import records
from kb_tools.validate import check_content

from .conftest import CONTENT, DESKTOP, PHONE, open_page

SEARCH = "zoeken/"
NARROW = {"width": 320, "height": 800}
# Answers have no province: with both filters nothing is found, whatever the words.
NOTHING = "?soort=antwoord&provincie=utrecht"
DEEP_MISSING = "x/y/z/bestaat-niet/"


@pytest.fixture(scope="module")
def content():
    return check_content(CONTENT)


def new_page(browser: Browser, viewport: dict, **options: Any) -> Page:
    page = open_page(browser, viewport, **options)
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


# These pages also collect script errors (page.errors), so they replace conftest's.
@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


def open_search(page: Page, base_url: str, address: str = "") -> Page:
    page.goto(base_url + SEARCH + address)
    settled(page)
    return page


def settled(page: Page) -> None:
    expect(page.locator("#kb-search")).to_have_attribute("data-state", "klaar")


def result_count(page: Page) -> int:
    match = re.match(r"([\d.]+) resulta", page.locator("#kb-status").inner_text())
    return int(match.group(1).replace(".", "")) if match else 0


def all_results(page: Page):
    more = page.locator("#kb-more")
    while more.is_visible():
        more.press("Enter")
        page.wait_for_timeout(100)
    return page.locator(".kb-result")


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


class _MissingAs404(BaseHTTPRequestHandler):
    """What GitHub Pages does: a file that exists is sent, any other address gets the
    site's 404.html with status 404. Files come from the test site (``origin``)."""

    origin = ""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = urlparse(self.path).path.lstrip("/")
        try:
            with urllib.request.urlopen(urljoin(self.origin, path)) as found:
                status, body, kind = 200, found.read(), found.headers["Content-Type"]
        except urllib.error.HTTPError:
            with urllib.request.urlopen(urljoin(self.origin, "404.html")) as page:
                status, body, kind = 404, page.read(), "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_host(base_url: str) -> Iterator[str]:
    """The built site behind a server that answers a missing address with 404.html."""
    handler = type("Handler", (_MissingAs404,), {"origin": base_url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- filters --------------------------------------------------------------------------


def test_options_that_give_nothing_show_0_and_cannot_be_ticked(desktop: Page, base_url: str):
    open_search(desktop, base_url, "?q=vrijwilligers&thema=burenhulp")
    empty = desktop.locator(".kb-filter__empty")
    assert empty.count() > 0, "no option gives 0 for this search: choose another one"
    for item in empty.all():
        expect(item.locator("input")).to_be_disabled()
        expect(item.locator(".kb-filter__count")).to_have_text("0")
        expect(item.locator(".kb-sr-only")).to_have_text("(0 resultaten)")
    # A tap on its label does nothing: the address and the results stay.
    before, count = desktop.url, result_count(desktop)
    empty.first.locator("label").click(force=True)
    desktop.wait_for_timeout(300)
    expect(empty.first.locator("input")).not_to_be_checked()
    assert desktop.url == before and result_count(desktop) == count
    # Options that do give results can be ticked, and the chosen one can be taken away.
    for item in desktop.locator('fieldset[data-filter="thema"] li').all():
        if int(item.locator(".kb-filter__count").inner_text()):
            expect(item.locator("input")).to_be_enabled()
    chosen = desktop.locator('fieldset[data-filter="thema"] input[value="burenhulp"]')
    expect(chosen).to_be_enabled()
    assert not desktop.errors  # type: ignore[attr-defined]


def test_the_count_of_an_option_is_spoken_once(desktop: Page, base_url: str):
    open_search(desktop, base_url, "?q=vrijwilligers")
    box = desktop.locator('fieldset[data-filter="thema"] input[value="burenhulp"]')
    name = desktop.evaluate(
        "id => document.querySelector(`label[for='${id}']`).innerText", box.get_attribute("id")
    )
    number = desktop.locator(f'label[for="{box.get_attribute("id")}"] .kb-filter__count')
    expect(number).to_have_attribute("aria-hidden", "true")
    assert re.search(r"\(\d+ resulta(at|ten)\)", name), name
    # No aria-label on a plain span (the Nu Html Checker refuses it).
    assert desktop.locator(".kb-filter__count[aria-label]").count() == 0


# -- nothing found ----------------------------------------------------------------------


def test_nothing_found_names_each_filter_and_one_tap_takes_it_away(
    phone: Page, base_url: str, content
):
    open_search(phone, base_url, NOTHING)
    assert phone.locator("#kb-status").inner_text().startswith("Niets gevonden")
    # On the phone the filter panel stays folded; the box says what is chosen.
    assert not phone.locator("#kb-filters").evaluate("d => d.open")
    found = phone.locator("#kb-none-list li")
    expect(found.filter(has_text="Provincie: Utrecht")).to_have_count(1)
    expect(found.filter(has_text="Alleen helpdeskantwoorden")).to_have_count(1)
    remove = found.filter(has_text="Provincie: Utrecht").get_by_role("button")
    expect(remove).to_be_visible()
    expect(remove).to_have_accessible_name(re.compile("^Filter weghalen.*Provincie: Utrecht"))
    remove.click()
    settled(phone)
    assert query_of(phone) == {"soort": ["antwoord"]}
    assert result_count(phone) == len(content.answers)
    expect(phone.locator("#kb-none")).to_be_hidden()
    # The focus moves on to the first result, not lost on a removed button.
    assert phone.evaluate("document.activeElement.closest('.kb-result') !== null")
    assert not phone.errors  # type: ignore[attr-defined]


def test_all_filters_go_in_one_tap_and_the_tips_lead_to_browsing(phone: Page, base_url: str):
    open_search(phone, base_url, NOTHING + "&thema=burenhulp")
    phone.locator("#kb-none-list").get_by_role("button", name="Alle filters weghalen").click()
    settled(phone)
    assert query_of(phone) == {}
    assert phone.locator("#kb-status").inner_text().startswith("Typ een zoekwoord")
    expect(phone.locator("fieldset input:checked:not([value=''])")).to_have_count(0)
    open_search(phone, base_url, NOTHING)
    tips = phone.locator("#kb-none")
    for href in ("bladeren/", "nieuw/", "antwoorden/", "begrippen/"):
        link = tips.locator(f'a[href$="{href}"]')
        expect(link).to_have_count(1)
        assert phone.request.get(urljoin(phone.url, link.get_attribute("href"))).ok


def test_words_that_no_case_has_together_still_find_the_cases_with_one(phone: Page, base_url: str):
    # Each word is in some case, never both in one (only a helpdesk answer has both):
    # no "Niets gevonden", but the cases with one of the words, each saying which it lacks.
    open_search(phone, base_url, "?q=Elsrijk+Lierop&soort=casus")
    status = phone.locator("#kb-status").inner_text()
    assert (
        not status.startswith("Niets gevonden") and "Geen resultaat heeft al uw woorden" in status
    )
    expect(phone.locator("#kb-none")).to_be_hidden()
    results = all_results(phone)
    lacks = results.locator(".kb-result__missing").all_inner_texts()
    assert lacks and len(lacks) == results.count(), lacks
    assert {"Zonder het woord: Elsrijk", "Zonder het woord: Lierop"} == set(lacks)
    assert query_of(phone) == {"q": ["Elsrijk Lierop"], "soort": ["casus"]}


# -- cases or answers -------------------------------------------------------------------


def test_cases_or_answers_narrows_the_results(desktop: Page, base_url: str, content):
    open_search(desktop, base_url, "?q=vrijwilligers")
    kinds = desktop.locator('fieldset[data-filter="soort"]')
    expect(kinds.locator("legend")).to_have_text("Casussen of helpdeskantwoorden")
    counts = {
        item.locator("input").get_attribute("value"): int(
            item.locator(".kb-filter__count").inner_text()
        )
        for item in kinds.locator("li").all()
    }
    assert set(counts) == {"", "casus", "antwoord"}
    assert counts[""] == result_count(desktop) == counts["casus"] + counts["antwoord"]
    assert counts["casus"] and counts["antwoord"]
    expect(kinds.locator('input[value=""]')).to_be_checked()

    kinds.get_by_label("Alleen helpdeskantwoorden").check()
    settled(desktop)
    assert query_of(desktop) == {"q": ["vrijwilligers"], "soort": ["antwoord"]}
    assert result_count(desktop) == counts["antwoord"]
    where = all_results(desktop).locator(".kb-result__where").all_inner_texts()
    assert where and all(w.startswith("Helpdeskantwoord") for w in where), where

    kinds.get_by_label("Alleen casussen").check()
    settled(desktop)
    assert query_of(desktop)["soort"] == ["casus"]
    assert result_count(desktop) == counts["casus"]
    where = all_results(desktop).locator(".kb-result__where").all_inner_texts()
    assert not any(w.startswith("Helpdeskantwoord") for w in where), where

    kinds.get_by_label("Alles").check()
    settled(desktop)
    assert query_of(desktop) == {"q": ["vrijwilligers"]}
    assert result_count(desktop) == counts[""]
    # Browsing by the filter alone: every answer, from an address.
    open_search(desktop, base_url, "?soort=antwoord")
    expect(kinds.locator('input[value="antwoord"]')).to_be_checked()
    assert result_count(desktop) == len(content.answers)
    assert not desktop.errors  # type: ignore[attr-defined]


def test_both_engines_know_the_kind_of_an_item(content, capsys, tmp_path):
    assert records.filters(content.cases[0])["soort"] == ["casus"]
    assert records.filters(content.answers[0])["soort"] == ["antwoord"]
    cache = tmp_path / "zoek"
    args = ["zoek", "vrijwilligers", "--content", str(CONTENT), "--cache", str(cache)]
    for kind, pattern in (("antwoord", r"^hd-\d{4}$"), ("casus", r"^(?!hd-)")):
        assert main([*args, "--soort", kind, "--aantal", "50"]) == 0
        lines = capsys.readouterr().out.splitlines()
        found = [line.split(" · ")[0].strip() for line in lines if " · " in line]
        assert found and all(re.match(pattern, i) for i in found), (kind, found)


# -- Kopieer link -----------------------------------------------------------------------


def test_every_result_copies_its_short_link(browser: Browser, base_url: str, content):
    page = new_page(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        open_search(page, base_url, "?q=vrijwilligers")
        results = page.locator(".kb-result")
        assert results.count() == results.locator(".kb-copy__button").count() > 0
        by_title = {i.title: i.id for i in (*content.cases, *content.answers)}
        seen = set()
        for result in results.all():
            title = result.locator(".kb-result__title a").inner_text()
            item_id = by_title[title]
            kind = "a" if item_id.startswith("hd-") else "c"
            if kind in seen:
                continue
            seen.add(kind)
            short = f"{base_url}{kind}/{item_id}/"
            button = result.get_by_role("button", name=re.compile("^Kopieer link"))
            assert button.get_attribute("data-href") == short
            button.click()
            expect(result.locator(".kb-copy__status")).to_have_text(re.compile("^Gekopieerd"))
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.startswith(title.rstrip(".")) and copied.endswith(" " + short), copied
            assert "\n" not in copied
            # The short link opens that page.
            page.goto(short)
            expect(page.locator("h1")).to_have_text(title)
            page.go_back()
            settled(page)
        assert seen == {"a", "c"}, "search for a word that finds cases and answers"
        assert not page.errors  # type: ignore[attr-defined]
    finally:
        page.context.close()


# -- 404 --------------------------------------------------------------------------------


def test_a_missing_address_at_any_depth_gets_a_dutch_page_that_works(
    browser: Browser, pages_host: str, content
):
    page = new_page(browser, PHONE)
    try:
        response = page.goto(pages_host + DEEP_MISSING)
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet (meer)")
        assert page.title().startswith("Deze pagina bestaat niet (meer)")
        assert page.locator("html").get_attribute("lang") == "nl"
        text = page.locator("body").inner_text()
        assert not re.search(r"\bnot found\b|\b404 -", text, re.I), text[:200]
        # Our stylesheet loaded from the root, not from x/y/z/.
        assert page.evaluate(
            "[...document.styleSheets].some(s => (s.href || '').endsWith('/assets/kb/kb.css'))"
        )
        border = page.locator(".kb-entry a").first.evaluate("a => getComputedStyle(a).borderStyle")
        assert border == "solid"
        newest = page.locator(".kb-lost__newest a")
        expect(newest).to_have_count(min(5, len(content.cases)))
        dates = {c.title: c.published for c in content.cases}
        shown = [dates[t.strip()] for t in newest.all_inner_texts()]
        others = [d for t, d in dates.items() if t not in newest.all_inner_texts()]
        assert shown == sorted(shown, reverse=True) and min(shown) >= max(others), shown
        # Every link, stylesheet and script on the page resolves from this deep address.
        targets = page.evaluate(
            """() => [...document.querySelectorAll('a[href], link[href], script[src]')]
                .map(e => e.href || e.src)"""
        )
        here = pages_host + DEEP_MISSING  # a link to a part of this page (the skip link)
        local = {t.split("#")[0] for t in targets if t.startswith(pages_host)} - {here}
        assert len(local) > 20
        broken = [t for t in sorted(local) if page.request.get(t).status != 200]
        assert not broken, broken
        for name in ("Per thema", "Per netwerk", "Helpdeskantwoorden", "Home"):
            expect(
                page.locator(".kb-entry").get_by_role("link", name=re.compile(name))
            ).to_be_visible()
        # The search box leads to the search page with the words.
        page.get_by_label("Zoek in de casussen en helpdeskantwoorden").fill("Elsrijk")
        page.get_by_label("Zoek in de casussen en helpdeskantwoorden").press("Enter")
        page.wait_for_url(re.compile(r"/zoeken/\?q=Elsrijk$"))
        settled(page)
        assert result_count(page) > 0
        assert not page.errors  # type: ignore[attr-defined]
    finally:
        page.context.close()


# -- keyboard, zoom, axe ----------------------------------------------------------------


def focus_ring(page: Page, selector: str) -> dict[str, str]:
    return page.locator(selector).evaluate(
        """e => { const s = getComputedStyle(e);
                  return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                          shadow: s.boxShadow}; }"""
    )


def test_a_checkbox_reached_by_tab_shows_where_the_focus_is(desktop: Page, base_url: str):
    open_search(desktop, base_url, "?q=vrijwilligers")
    desktop.locator("#kb-q").focus()
    for _ in range(12):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.type") == "checkbox":
            break
    assert desktop.evaluate("document.activeElement.type") == "checkbox"
    box_id = desktop.evaluate("document.activeElement.id")
    focused = focus_ring(desktop, f"#{box_id}")
    label = focus_ring(desktop, f'label[for="{box_id}"]')
    desktop.keyboard.press("Shift+Tab")  # away again: the same box without focus
    unfocused = focus_ring(desktop, f"#{box_id}")
    assert focused != unfocused, focused
    assert not focused["outline"].startswith("none") and " 0px" not in focused["outline"]
    assert not label["outline"].startswith("none"), label  # the label is marked too
    # A radio button (cases or answers) gets the same ring.
    radio = desktop.locator('fieldset[data-filter="soort"] input').first
    radio.focus()
    desktop.keyboard.press("ArrowDown")  # moves and chooses, by keyboard
    settled(desktop)
    assert desktop.evaluate("document.activeElement.type") == "radio"
    assert not focus_ring(desktop, ":focus")["outline"].startswith("none")


def overflow(page: Page) -> dict[str, Any]:
    """The page's width, and content that sticks out or is cut off (inputs scroll their
    own text; visually hidden text is meant to be clipped; the closed menu is aside)."""
    return page.evaluate(
        """() => {
          const inside = [...document.querySelectorAll('.md-content *')].filter(e =>
            e.getClientRects().length && !e.closest('.kb-sr-only') && e.tagName !== 'INPUT');
          const wide = inside.filter(e => e.getBoundingClientRect().right > innerWidth + 1);
          const cut = inside.filter(e => {
            const s = getComputedStyle(e);
            return ['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
          });
          const name = e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40);
          return {width: document.documentElement.scrollWidth, viewport: innerWidth,
                  wide: wide.map(name), cut: cut.map(name)};
        }"""
    )


def settled_overflow(page: Page) -> dict[str, Any]:
    """``overflow`` once the layout has settled after a change of text size or a click: the
    same twice in a row, 100 ms apart (a loaded machine once caught the summary mid-reflow
    after a fixed 200 ms). What it reports then is what a reader is left with."""
    page.wait_for_timeout(200)
    found = overflow(page)
    for _ in range(30):
        page.wait_for_timeout(100)
        again = overflow(page)
        if again == found:
            break
        found = again
    return found


@pytest.mark.parametrize(
    "address",
    [SEARCH, SEARCH + "?q=vrijwilligers&thema=burenhulp", SEARCH + NOTHING, DEEP_MISSING],
    ids=["search", "results", "nothing-found", "404"],
)
def test_320px_with_200_percent_text_needs_no_sideways_scrolling(
    browser: Browser, pages_host: str, address: str
):
    page = new_page(browser, NARROW)
    try:
        page.goto(pages_host + address)
        if address.startswith(SEARCH):
            settled(page)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        panel = page.locator("#kb-filters")
        for opened in (False, True) if panel.count() else (False,):
            if opened:  # the filter panel folded, then open
                panel.locator("summary").click()
            found = settled_overflow(page)
            assert found["width"] <= found["viewport"], found
            assert not found["wide"] and not found["cut"], found
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "address",
    [SEARCH + "?q=vrijwilligers&thema=burenhulp", SEARCH + NOTHING, DEEP_MISSING],
    ids=["results", "nothing-found", "404"],
)
def test_axe_finds_nothing(browser: Browser, pages_host: str, address: str, viewport):
    page = new_page(browser, viewport)
    try:
        page.goto(pages_host + address)
        if address.startswith(SEARCH):
            settled(page)
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )
