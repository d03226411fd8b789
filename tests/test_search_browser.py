"""Search on the built site (Pagefind, page zoeken/) in a real browser: headless Debian
Chromium, the site built once with the real content and served from 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kb_tools.validate import check_content

from .conftest import CONTENT, DESKTOP, PHONE

SEARCH = "zoeken/"
ELSRIJK = "Stadsdorp Elsrijk neemt met Right to Challenge"


@pytest.fixture(scope="module")
def cases():
    return check_content(CONTENT).cases


@pytest.fixture(scope="module")
def answers():
    return check_content(CONTENT).answers


class Search:
    """The search page with every uncaught page error collected."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, address: str = "") -> Search:
        self.page.goto(self.base_url + SEARCH + address)
        self.settled()
        return self

    def settled(self) -> None:
        expect(self.page.locator("#kb-search")).to_have_attribute("data-state", "klaar")

    def query(self, text: str) -> Search:
        self.page.fill("#kb-q", text)
        self.page.press("#kb-q", "Enter")
        self.settled()
        return self

    def status(self) -> str:
        return self.page.locator("#kb-status").inner_text()

    def count(self) -> int:
        match = re.match(r"([\d.]+) resulta", self.status())
        return int(match.group(1).replace(".", "")) if match else 0

    def titles(self) -> list[str]:
        more = self.page.locator("#kb-more")
        while more.is_visible():
            # By keyboard: Material's back-to-top button may cover it after scrolling.
            more.press("Enter")
            self.page.wait_for_timeout(100)
        return [t.strip() for t in self.page.locator(".kb-result__title a").all_inner_texts()]

    def box(self, facet: str, label: str):
        return self.page.locator(f'fieldset[data-filter="{facet}"] input[value="{label}"]')

    def counts(self, facet: str) -> dict[str, int]:
        out = {}
        for item in self.page.locator(f'fieldset[data-filter="{facet}"] li').all():
            value = item.locator("input").get_attribute("value") or ""
            out[value] = int(item.locator(".kb-filter__count").inner_text())
        return out


@pytest.fixture
def search(browser: Browser, base_url: str) -> Iterator[Search]:
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Search(page, base_url)
    context.close()


def ids_of(case, facet: str) -> list[str]:
    values = case.meta.get(facet) or []
    return values if isinstance(values, list) else [values]


def test_header_search_leads_to_the_search_page(search: Search, base_url: str):
    page = search.page
    page.goto(base_url)
    page.fill("#kb-header-q", "Elsrijk")
    page.press("#kb-header-q", "Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=Elsrijk$"))
    search.settled()
    expect(page.locator("#kb-q")).to_have_value("Elsrijk")
    assert any(t.startswith(ELSRIJK) for t in search.titles()), search.titles()
    assert not search.errors


def test_helpdesk_answers_are_found_like_cases(search: Search, answers):
    answer = next(a for a in answers if a.id == "hd-0004")
    search.open().query("Right to Challenge")
    assert answer.title in search.titles()
    title = search.page.locator(".kb-result__title", has_text=answer.title)
    result = search.page.locator(".kb-result", has=title)
    expect(result.locator(".kb-result__where")).to_have_text(re.compile("^Helpdeskantwoord"))
    assert not search.errors


def test_a_query_finds_the_case_with_place_and_snippet(search: Search):
    search.open().query("Elsrijk")
    assert search.count() >= 1
    title = search.page.locator(".kb-result__title", has_text=ELSRIJK)
    result = search.page.locator(".kb-result", has=title)
    expect(result).to_have_count(1)
    expect(result.locator(".kb-result__where")).to_contain_text("Amsterdamse Stadsdorpen")
    expect(result.locator(".kb-result__excerpt mark").first).to_have_text(re.compile("Elsrijk"))
    result.locator("a").click()
    expect(search.page.locator("h1")).to_have_text(re.compile("^" + ELSRIJK))
    assert not search.errors


def test_a_facet_narrows_the_results_and_the_counts_follow(search: Search, cases):
    search.open().query("vrijwilligers")
    before, provinces_before = search.count(), search.counts("provincie")
    themes = search.counts("thema")
    assert themes.get("burenhulp", 0) > 0, themes
    expect(search.box("thema", "burenhulp").locator("xpath=..")).to_contain_text("Burenhulp")
    search.box("thema", "burenhulp").check()
    search.settled()
    after = search.count()
    assert 0 < after < before, (before, after)
    assert after == themes["burenhulp"]
    assert search.counts("provincie") != provinces_before
    query = parse_qs(urlparse(search.page.url).query)
    assert query == {"q": ["vrijwilligers"], "thema": ["burenhulp"]}, query
    # OR within a facet: a second theme gives at least as many results.
    other = next(value for value, n in search.counts("thema").items() if n and value != "burenhulp")
    search.box("thema", other).check()
    search.settled()
    assert search.count() >= after
    assert not search.errors


def test_an_address_with_filters_restores_them(search: Search, cases):
    expected = {
        c.title
        for c in cases
        if "burenhulp" in ids_of(c, "thema") and "utrecht" in ids_of(c, "provincie")
    }
    assert expected, "the content has no Burenhulp case in Utrecht"
    search.open("?thema=burenhulp&provincie=utrecht")
    expect(search.box("thema", "burenhulp")).to_be_checked()
    expect(search.box("provincie", "utrecht")).to_be_checked()
    expect(search.box("provincie", "noord-holland")).not_to_be_checked()
    assert set(search.titles()) == expected
    assert search.page.locator("#kb-q").input_value() == ""
    assert not search.errors


def test_no_hits_gives_dutch_advice(search: Search):
    search.open().query("xyzzyqwerty")
    assert search.status().startswith("Niets gevonden"), search.status()
    expect(search.page.locator("#kb-none")).to_be_visible()
    expect(search.page.locator("#kb-none")).to_contain_text("Controleer de spelling")
    expect(search.page.locator(".kb-result")).to_have_count(0)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("cooperatie", "Lierop Leeft"),  # the case says only "zorgcoöperatie"
        ("vpb", "Zorgcoöperatie en Belastingdienst"),  # it says "vennootschapsbelasting"
        ("coöperaties", "Van koffie tot coöperatie"),
        ("vervoer", None),
    ],
)
def test_compounds_synonyms_and_diacritics(search: Search, cases, query: str, title: str | None):
    if title is None:  # every case about transport, whatever word it uses
        wanted = [c.title for c in cases if "vervoer" in ids_of(c, "thema")]
    else:
        wanted = [c.title for c in cases if c.title.startswith(title)]
    assert wanted, title
    found = search.open().query(query).titles()
    for name in wanted:
        assert name in found, f"{query!r} does not find {name!r}: {found}"
    assert not search.errors


def test_a_synonym_also_finds_its_term_and_the_counts_add_up(search: Search, cases, answers):
    search.open().query("vpb")
    expect(search.page.locator("#kb-rewrite")).to_have_text(
        'Ook gezocht op "Vennootschapsbelasting" (voor "vpb").'
    )
    tagged = {c.title for c in cases if "vennootschapsbelasting" in ids_of(c, "wetgeving")}
    assert tagged and tagged <= set(search.titles())
    # Cases with the word as typed come first, then those of the term.
    search.query("belastingdienst")
    found = search.titles()
    typed = {
        c.title for c in cases if "belastingdienst" in f"{c.title} {c.summary} {c.body}".lower()
    } | {
        a.title
        for a in answers
        if "belastingdienst" in f"{a.title} {a.question} {a.summary} {a.body}".lower()
    }
    assert typed and set(found[: len(typed)]) == typed
    assert typed | tagged <= set(found)  # (and cases with it in a term label)
    assert search.count() == len(found)
    # Each count is the number of results that option gives.
    counts = search.counts("netwerk")
    name = max(counts, key=counts.get)
    search.box("netwerk", name).check()
    search.settled()
    assert search.count() == counts[name]
    assert not search.errors


@pytest.mark.parametrize(
    "query",
    ["zorg " * 2000, '"()*:-^~ AND OR', '"unclosed (( ** -- ~~ ^^ ::', "<script>alert(1)</script>"],
    ids=["10000-chars", "operators", "unbalanced", "html"],
)
def test_hostile_queries_do_not_break_the_page(search: Search, query: str):
    search.open()
    search.page.fill("#kb-q", query)
    search.page.press("#kb-q", "Enter")
    search.settled()
    assert search.page.evaluate("1 + 1") == 2  # still responsive
    assert search.status(), "no status shown"
    assert not search.page.locator(".kb-result script, .kb-result__excerpt *:not(mark)").count()
    assert len(parse_qs(urlparse(search.page.url).query).get("q", [""])[0]) <= 200
    search.query("Elsrijk")  # and it still searches afterwards
    assert search.count() >= 1
    assert not search.errors, search.errors


def test_browsing_by_filter_alone(search: Search, cases):
    search.open()
    assert search.status().startswith("Typ een zoekwoord")
    counts = search.counts("netwerk")
    name, number = max(counts.items(), key=lambda item: item[1])
    search.box("netwerk", name).check()
    search.settled()
    assert search.count() == number
    assert len(search.titles()) == number


def test_keyboard_only(search: Search):
    search.open()
    expect(search.page.locator("#kb-q")).to_be_focused()
    search.page.keyboard.type("Elsrijk")
    search.page.keyboard.press("Enter")
    search.settled()
    focused = ""
    for _ in range(4):  # the search button, the filter panel, the first filter
        search.page.keyboard.press("Tab")
        focused = search.page.evaluate("document.activeElement.type")
        if focused == "checkbox":
            break
    assert focused == "checkbox", focused
    search.page.keyboard.press("Space")
    search.settled()
    assert parse_qs(urlparse(search.page.url).query).keys() > {"q"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_accessibility_problems(browser: Browser, base_url: str, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    try:
        Search(page, base_url).open("?q=vrijwilligers&thema=burenhulp")
        results = Axe().run(page)
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target'] if v['nodes'] else '?'}"
        for v in serious
    )
    assert width <= viewport["width"] + 1, f"the search page is {width}px wide"


def test_search_loads_nothing_from_other_hosts(search: Search, base_url: str):
    requests: list[str] = []
    search.page.on("request", lambda request: requests.append(request.url))
    search.open("?q=vrijwilligers")
    assert any("/pagefind/" in u for u in requests)
    outside = [u for u in requests if not u.startswith((base_url, "data:", "blob:"))]
    assert not outside, outside


# -- forgiving matching and typos (issue 16) ---------------------------------------------


def tiers(search: Search) -> list[bool]:
    """Per result in order: whether it has every content word (no "Zonder het woord")."""
    search.titles()  # every page of results
    return [
        not r.locator(".kb-result__missing").count()
        for r in search.page.locator(".kb-result").all()
    ]


def test_cases_with_all_words_come_before_cases_with_most(search: Search):
    # Only a helpdesk answer has both words; the cases with one follow it.
    search.open().query("Elsrijk Lierop")
    complete = tiers(search)
    assert complete and complete[0] and not all(complete), (complete, search.status())
    assert complete == sorted(complete, reverse=True), complete  # no complete one after a partial
    assert "met al uw woorden, daarna resultaten met de meeste woorden" in search.status()
    assert not search.errors


def test_a_question_finds_the_case_that_has_most_of_its_words(search: Search):
    search.open().query("ouderen denken zelf na over voorzorg")
    titles = search.titles()
    assert titles and titles[0].startswith("Ouderen in Elsrijk onderzoeken zelf voorzorg"), titles
    assert not search.status().startswith("Niets gevonden")
    assert not search.errors


def test_question_filler_never_counts_against_a_case(search: Search):
    asked = search.open().query("mag iemand met een uitkering vrijwilligerswerk doen").titles()
    bare = search.query("uitkering vrijwilligerswerk").titles()
    assert asked and asked == bare
    # A result may lack a content word, never a filler word.
    lacks = search.page.locator(".kb-result__missing").all_inner_texts()
    assert {t.removeprefix("Zonder het woord: ") for t in lacks} <= {
        "uitkering",
        "vrijwilligerswerk",
    }


def test_no_nothing_found_while_a_content_word_matches(search: Search):
    search.open().query("Elsrijk xyzzyqwerty")
    assert search.count() >= 1 and not search.status().startswith("Niets gevonden")
    expect(search.page.locator("#kb-none")).to_be_hidden()
    assert any(t.startswith(ELSRIJK) for t in search.titles())
    search.query("xyzzyqwerty plughzork")  # no word matches: then nothing is found
    assert search.status().startswith("Niets gevonden")


@pytest.mark.parametrize(
    ("query", "meant", "title"),
    [
        ("zorgcooperatie austerliz", "Austerlitz", "Zorgcoöperatie Austerlitz"),
        ("vrijwiligers met uitkering", "vrijwilligers", "Vrijwilligers met een uitkering"),
    ],
)
def test_a_typo_is_also_searched_as_the_nearest_indexed_word(
    search: Search, query: str, meant: str, title: str
):
    search.open().query(query)
    status = search.page.locator("#kb-status")  # the live region says it
    expect(status).to_contain_text(f"Ook gezocht op: {meant}.")
    assert status.get_attribute("role") == "status"
    titles = search.titles()
    assert any(t.startswith(title) for t in titles[:3]), titles
    assert not search.errors


@pytest.mark.parametrize(
    "query", ["zorgcoöperatie Austerlitz", "vrijwilligers uitkering", "vrijwil"]
)
def test_a_correctly_spelled_word_is_never_corrected(search: Search, query: str):
    search.open().query(query)
    assert search.count() > 0
    assert "Ook gezocht op:" not in search.status()
