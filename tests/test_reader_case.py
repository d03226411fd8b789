"""The case and answer pages as a reader uses them (issue 15): the facts above the story
fit one phone screen, unknown values are left out and named once, one list of similar
solutions with reasons a resident understands, a next step, and a print of at most three
A4 pages without menus, buttons or lists of other pages."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kb_tools.enrich import build_corpus
from kb_tools.facets import FACETS
from kb_tools.render.views import answer_view, case_view, helpdesk_view
from kb_tools.validate import check_content

from .conftest import CONTENT, DESKTOP, PHONE

CASE = "c/ams-0001/"
ANSWER = "a/hd-0002/"
#: /c/ams-0001/ at 390 px before this redesign (issue 15).
CASE_HEIGHT_BEFORE = 11_424
FACTS_MAX = 700
PRINT_MAX = 3


@pytest.fixture(scope="module")
def corpus():
    result = check_content(CONTENT)
    return build_corpus(result.registry, result.cases, result.answers)


def _open(browser: Browser, viewport: dict, path: str, base_url: str) -> Page:
    page = browser.new_context(viewport=viewport, locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def phone_case(browser: Browser, base_url: str) -> Iterator[Page]:
    page = _open(browser, PHONE, CASE, base_url)
    yield page
    page.context.close()


def facts_height(page: Page) -> float:
    """From the top of the title to the top of the story."""
    return page.evaluate(
        """() => document.querySelector('.kb-body').getBoundingClientRect().top
              - document.querySelector('article h1').getBoundingClientRect().top"""
    )


def longest(corpus, measure) -> str:
    return corpus.urls[max(corpus.cases, key=measure).id]


def test_the_facts_above_the_story_fit_one_phone_screen(browser, base_url, corpus) -> None:
    page = _open(browser, PHONE, CASE, base_url)
    try:
        # The full facts are folded: one tap opens them.
        facts = page.locator("details.kb-facts")
        expect(facts.locator("dl")).to_be_hidden()
        facts.locator("summary").click()
        expect(facts.locator("dl")).to_be_visible()
        too_tall = {}
        for case in corpus.cases:
            page.goto(base_url + corpus.urls[case.id])
            height = facts_height(page)
            assert height > 0, case.id
            if height > FACTS_MAX:
                too_tall[case.id] = round(height)
        assert not too_tall, f"more than {FACTS_MAX}px above the story: {too_tall}"
    finally:
        page.context.close()


def test_a_case_page_is_much_shorter_on_a_phone(phone_case: Page) -> None:
    height = phone_case.evaluate("document.documentElement.scrollHeight")
    assert height < 0.7 * CASE_HEIGHT_BEFORE, f"{height}px (was {CASE_HEIGHT_BEFORE}px)"
    width = phone_case.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_the_facts_are_a_side_column_on_a_wide_screen(browser, base_url) -> None:
    page = _open(browser, DESKTOP, CASE, base_url)
    try:
        facts = page.locator("details.kb-facts")
        expect(facts.locator("dl")).to_be_visible()  # open without a tap
        side, story = facts.bounding_box(), page.locator(".kb-body").bounding_box()
        assert side and story
        assert side["x"] >= story["x"] + story["width"], (side, story)
        assert side["y"] < story["y"], "the facts start beside the title, above the story"
    finally:
        page.context.close()


def test_unknown_values_are_left_out_and_named_once(phone_case: Page) -> None:
    article = phone_case.locator("article.kb-case")
    text = article.inner_text()
    assert "Onbekend" not in text and "niet vermeld" not in text
    assert "Nog actief" not in text  # ams-0001: actief: onbekend
    assert article.locator("a[href*='/onbekend/']").count() == 0
    facts = phone_case.locator("details.kb-facts")
    facts.locator("summary").click()
    missing = facts.locator(".kb-facts__missing")
    expect(missing).to_have_text("De bron vermeldt niet: fase en of het initiatief nog actief is.")
    # The fact line: place, network, kind, themes.
    line = phone_case.locator(".kb-factline").inner_text()
    for part in ("Elsrijk, Amstelveen", "Amsterdamse Stadsdorpen", "Stadsdorp", "Burenhulp"):
        assert part in line, line


def test_last_change_and_review_in_plain_words(phone_case: Page, corpus) -> None:
    status = phone_case.locator(".kb-status").inner_text()
    assert status.startswith("Laatst bijgewerkt: 23 november 2026."), status
    assert "Deze casus is nog niet nagekeken door het netwerk." in status
    case = corpus.by_id["ams-0001"]
    checked = {"door": "@zorgzame-kennisbank/redactie-amsterdam", "datum": date(2026, 12, 1)}
    reviewed = dataclasses.replace(case, meta={**case.meta, "controle": checked})
    view = case_view(reviewed, corpus, "")
    assert view["review"]["by"] == "de redactie van Amsterdamse Stadsdorpen"
    assert view["review"]["date"] == "1 december 2026"


def test_one_list_of_similar_solutions_with_reasons_a_resident_understands(
    phone_case: Page, corpus
) -> None:
    assert phone_case.get_by_role("heading", name="Verwante casussen").count() == 0
    lists = phone_case.locator("section.kb-solutions")
    expect(lists).to_have_count(1)
    expect(lists.get_by_role("heading", level=2)).to_have_text("Vergelijkbare oplossingen")
    items = lists.locator("li.kb-solution")
    assert 3 <= items.count() <= 8, items.count()
    hrefs = [a.get_attribute("href") for a in items.locator("h3 a").all()]
    assert len(hrefs) == len(set(hrefs)), hrefs
    kinds = {f.reason for f in FACETS if f.reason} | {"beide noemen"}
    plain = {"Genoemd in deze casus", "Helpdeskantwoord dat deze casus noemt"}
    labels = {t.label for v in corpus.registry.vocabularies.values() for t in v.terms}
    case = corpus.by_id["ams-0001"]  # CASE: words "beide noemen" names are written here too
    written = set(re.findall(r"[^\W_]+", f"{case.title} {case.summary} {case.body}".lower()))
    seen = set()
    for reason in items.locator(".kb-reason").all_inner_texts():
        for part in reason.strip().split("; "):
            part = part[:1].lower() + part[1:] if part not in plain else part
            if part in plain:
                seen.add(part)
                continue
            kind, _, names = part.partition(": ")
            assert kind in kinds, reason  # never "ook over: procent, welzijnsaanbieder"
            for n in names.split(", "):  # a label, or a word both cases write (not a stem)
                words = set(re.findall(r"[^\W_]+", n.lower()))
                assert n in labels or (kind == "beide noemen" and words <= written), reason
            seen.add("similar")
    assert seen == plain | {"similar"}, seen  # all three kinds are in the one list


def test_every_listed_item_once_on_an_answer_page(browser, base_url, corpus) -> None:
    # hd-0002 cites two answers that cite it back: they were listed twice.
    view = answer_view(corpus.answers_by_id["hd-0002"], corpus, "", {})
    ids = [item["id"] for item in view["cited"]]
    assert len(ids) == len(set(ids)) and "hd-0002" not in ids
    both = [i for i in view["cited"] if len(i["reasons"]) == 2]
    assert both and all(i["kind"] == "Helpdeskantwoord" for i in both)
    page = _open(browser, PHONE, ANSWER, base_url)
    try:
        expect(page.locator("section.kb-solutions")).to_have_count(1)
        titles = page.locator("li.kb-solution h3").all_inner_texts()
        assert len(titles) == len(set(titles)) == len(ids), titles
        assert facts_height(page) > 0
        expect(page.locator("details.kb-facts dl")).to_be_hidden()
    finally:
        page.context.close()


def test_a_next_step_on_every_case_page(browser, base_url, corpus) -> None:
    national = next(c for c in corpus.cases if c.network == "nlzve")
    for path, contact in (
        (CASE, "netwerken/amsterdamse-stadsdorpen/"),
        (corpus.urls[national.id], "https://www.nlzorgtvoorelkaar.nl"),
    ):
        page = _open(browser, PHONE, path, base_url)
        try:
            step = page.locator("section.kb-next")
            expect(step.get_by_role("heading", level=2)).to_have_text("Meer weten?")
            assert step.locator(f"a[href$='{contact}']").count() == 1, path
            helpdesk = step.get_by_role("link", name="Vraag het de helpdesk")
            assert (helpdesk.get_attribute("href") or "").endswith("antwoorden/")
        finally:
            page.context.close()


def test_the_helpdesk_setting_only_ever_gives_safe_links() -> None:
    assert helpdesk_view(None) is None
    assert helpdesk_view({"naam": "x", "pagina": "javascript:alert(1)"}) is None
    assert helpdesk_view({"pagina": "../../etc/"}) is None
    assert helpdesk_view({"pagina": "//elders.example/"}) is None
    own = helpdesk_view({"naam": "de helpdesk", "pagina": "antwoorden/", "email": "geen adres"})
    assert own == {
        "name": "de helpdesk",
        "page": "",
        "path": "antwoorden/",
        "email": "",
        "mailto": "",
    }
    web = helpdesk_view({"pagina": "https://helpdesk.example/vraag", "email": "vraag@hd.example"})
    assert web and web["page"] == "https://helpdesk.example/vraag"
    assert web["mailto"] == "mailto:vraag@hd.example" and web["path"] == ""


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_case_prints_on_at_most_three_pages_without_menus_or_lists(
    browser, base_url, corpus
) -> None:
    path = longest(corpus, lambda c: len(c.body) + len(c.summary))
    page = _open(browser, DESKTOP, path, base_url)
    try:
        pages = pdf_pages(page.pdf(format="A4"))
        assert 1 <= pages <= PRINT_MAX, f"/{path} prints on {pages} A4 pages"
        page.emulate_media(media="print")
        for hidden in (
            ".md-header",
            ".md-tabs",
            ".md-footer",
            ".kb-crumbs",
            ".kb-solutions",
            ".kb-copy",
            "button",
        ):
            for element in page.locator(hidden).all():
                expect(element).to_be_hidden()
        expect(page.locator("details.kb-facts dl")).to_be_visible()  # the facts do print
        expect(page.locator(".kb-body h2").first).to_be_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", [CASE, ANSWER], ids=["case", "answer"])
def test_no_accessibility_violations(browser, base_url, path, viewport) -> None:
    page = _open(browser, viewport, path, base_url)
    try:
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )
