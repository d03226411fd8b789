"""The home page, the header, the menu and the network pages as a resident uses them: on a
390 px phone, with the keyboard, and at 320 px with twice the text size (WCAG 1.4.10).

Most tests use the site built from the real content (``base_url``). The next step on a
network page needs a network with a contact and a helpdesk in the configuration, which the
real content may not have: ``variant_url`` builds the site once more with both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kb_tools.bench.static import serve

from .conftest import CONTENT, DESKTOP, PHONE, ROOT, open_page

NETWORK = "netwerken/amsterdamse-stadsdorpen/"
#: A network whose region holds a province without cases (Zeeland).
SOUTH = "netwerken/koepel-zorgcooperaties-zuid/"
CONTACT_NETWORK = "knooppunt-limburg"
HELPDESK_PAGE = "https://helpdesk.example/vraag"
FULL_NAME = "Kennisbank zorgzame gemeenschappen"
RESIDENT_MENU = [
    "Home",
    "Zoeken",
    "Bladeren",
    "Netwerken",
    "Helpdesk",
    "Begrippen",
    "Nieuw",
    "Open data",
]
EDITOR_GUIDES = [
    "Zo schrijft u een casus",
    "Zo schrijft u een helpdeskantwoord",
    "Meldingen van kb controleer",
    "Uitvoer voor programma's (JSON)",
    "Uitvoer van kb meten (JSON)",
    "Een casus toevoegen zonder Git",
    "Casussen uit een eigen repository",
]
#: The page types of this part, for the reflow test.
REFLOW_PAGES = ["", NETWORK, "netwerken/", "bladeren/", "provincie/", "thema/burenhulp/"]

#: Doubles the text size of the page as a reader's browser setting would: the root font
#: size (Material's 125 %) times two.
DOUBLE_TEXT = """() => {
  const root = document.documentElement;
  const size = parseFloat(getComputedStyle(root).fontSize);
  root.style.setProperty('font-size', (2 * size) + 'px', 'important');
  return parseFloat(getComputedStyle(root).fontSize) / size;
}"""

#: Visible text that is cut off: an element that hides overflow (or ends in an ellipsis)
#: and whose content is wider than its box. Within the page's content, and the header's
#: name, which must either fit or be left out (visibility: hidden).
CLIPPED = """() => {
  const cut = [];
  const nodes = [...document.querySelectorAll('.md-content *'),
                 ...document.querySelectorAll('.kb-short-name')];
  for (const el of nodes) {
    if (el.closest('.kb-sr-only, svg')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || !el.textContent.trim()) continue;
    const hides = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1) {
      cut.push(`${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const box = el.getBoundingClientRect();
    if (box.width && box.right > document.documentElement.clientWidth + 1) {
      cut.push(`${el.tagName}.${el.className} ends at ${Math.round(box.right)} px`);
    }
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def variant_url(tmp_path_factory) -> Iterator[str]:
    """The site with a helpdesk in the configuration and one network with a website and an
    e-mail address: mkdocs.yml is inherited, only those values are added."""
    work = tmp_path_factory.mktemp("variant")
    content = work / "content"
    shutil.copytree(CONTENT, content)
    registry = content / "netwerken.yml"
    text = registry.read_text(encoding="utf-8")
    entry = f"  - id: {CONTACT_NETWORK}\n"
    assert entry in text
    text = text.replace(
        entry,
        entry + "    website: https://knooppunt.example/\n    email: info@knooppunt.example\n",
    )
    registry.write_text(text, encoding="utf-8")
    config = work / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {content}\n"
        f"theme:\n  custom_dir: {ROOT / 'overrides'}\n"
        "extra:\n  helpdesk:\n    naam: de helpdesk van het landelijk netwerk\n"
        f"    email: helpdesk@example.org\n    pagina: {HELPDESK_PAGE}\n",
        encoding="utf-8",
    )
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]
        + ["--site-dir", str(site)],
        cwd=work,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    with serve(site) as served:
        yield served.url


def test_the_short_name_fits_the_header_on_a_phone(phone: Page, base_url: str) -> None:
    for path in ("", NETWORK):
        phone.goto(base_url + path)
        short = phone.locator(".md-header .kb-short-name")
        expect(short).to_be_visible()
        name = short.inner_text().strip()
        assert name and len(name) < len(FULL_NAME), name
        fits = short.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert fits[0] <= fits[1], f"the header name is cut off on {path or 'home'}: {fits}"
        # The full name is not in the bar, but stays the page's title.
        assert FULL_NAME not in phone.locator(".md-header__topic").first.inner_text()
        assert FULL_NAME in phone.title()
    phone.goto(base_url)
    expect(phone.locator("h1")).to_have_text(FULL_NAME)


def test_the_home_search_field_leads_to_the_search_page(phone: Page, base_url: str) -> None:
    phone.goto(base_url)
    form = phone.locator("form.kb-home-search")
    field = form.get_by_label("Zoek in de casussen")
    expect(field).to_be_visible()
    field.fill("vrijwilligers")
    field.press("Enter")
    phone.wait_for_url(re.compile(r"/zoeken/\?q=vrijwilligers$"))
    expect(phone.locator("#kb-q")).to_have_value("vrijwilligers")


def test_home_starts_from_the_readers_question(phone: Page, base_url: str) -> None:
    phone.goto(base_url)
    headings = [h.strip() for h in phone.locator(".md-content h2").all_inner_texts()]
    question = headings.index("Waar loopt u tegenaan?")
    topics = headings.index("Onderwerpen")
    assert question < topics < headings.index("Op een andere manier zoeken"), headings
    assert question == 0, headings
    obstacles = phone.locator(".kb-obstacles")
    # Grouped by the main themes of content/vocabulaires/knelpuntthema.yml.
    groups = obstacles.locator("h3").all_inner_texts()
    assert "Lokaal samenspel" in groups and "Randvoorwaarden" in groups, groups
    links = obstacles.locator("ul.kb-choices a")
    assert links.count() >= 5
    for link in links.all():
        assert re.search(r"(^|/)knelpunten/[a-z0-9-]+/$", link.get_attribute("href") or "")
        count = int(link.locator(".kb-choice__count").inner_text().split()[0])
        assert count > 0, link.inner_text()
    topic_links = phone.locator("section[aria-labelledby=kb-topics-title] ul.kb-choices a")
    assert topic_links.count() >= 5
    assert all(re.search(r"(^|/)thema/", a.get_attribute("href") or "") for a in topic_links.all())


def test_empty_provinces_and_terms_are_no_links(desktop: Page, base_url: str) -> None:
    desktop.goto(base_url)
    provinces = desktop.locator("svg.kb-map .kb-map__province")
    empty = 0
    for province in provinces.all():
        title = province.locator("title").text_content() or ""
        count = int(re.search(r"(\d+)", title).group(1))  # type: ignore[union-attr]
        tag = province.evaluate("el => el.tagName.toLowerCase()")
        assert (tag == "a") == (count > 0), (title, tag)
        empty += count == 0
    assert empty, "the real content has provinces without cases; the test needs one"
    for item in desktop.locator(".kb-map__list li").all():
        count = int(item.inner_text().rsplit(":", 1)[1])
        assert item.locator("a").count() == (1 if count else 0), item.inner_text()

    desktop.goto(base_url + "provincie/")
    terms = desktop.locator("ul.kb-terms-overview > li")
    seen = set()
    for term in terms.all():
        count = int(term.locator(".kb-badge").inner_text())
        assert term.locator("a").count() == (1 if count else 0), term.inner_text()
        seen.add(count > 0)
    assert seen == {True, False}

    desktop.goto(base_url + SOUTH)
    provinces_fact = desktop.locator("dl.kb-facts div", has_text="Provincies").locator("dd")
    expect(provinces_fact).to_contain_text("Zeeland")
    expect(provinces_fact.get_by_role("link", name="Zeeland")).to_have_count(0)
    expect(provinces_fact.get_by_role("link", name="Noord-Brabant")).to_have_count(1)


def test_the_residents_menu_has_no_editor_guides(desktop: Page, base_url: str) -> None:
    desktop.goto(base_url)
    tabs = [t.strip() for t in desktop.locator(".md-tabs__link").all_inner_texts()]
    assert tabs == [*RESIDENT_MENU, "Voor redacteuren"], tabs
    # The menu (the drawer on a phone): the guides only inside "Voor redacteuren".
    top = desktop.locator("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item")
    for item in top.all():
        label = item.locator(":scope > label, :scope > a").first.inner_text().strip()
        links = [t.strip() for t in item.locator("a.md-nav__link").all_inner_texts()]
        if label == "Voor redacteuren":
            assert links == EDITOR_GUIDES, links
        else:
            assert not set(links) & set(EDITOR_GUIDES), (label, links)
    desktop.locator(".md-tabs__link", has_text="Voor redacteuren").click()
    expect(desktop.locator("h1")).to_have_text(EDITOR_GUIDES[0])


def test_network_pages_tell_residents_how_to_share_not_where_files_go(
    desktop: Page, base_url: str
) -> None:
    desktop.goto(base_url + "netwerken/")
    networks = desktop.locator(".kb-card__title a").evaluate_all("els => els.map(e => e.href)")
    assert len(networks) >= 5
    for url in networks:
        html = desktop.request.get(url).text()
        assert "content/casussen" not in html, url
        assert "Uw verhaal delen" in html, url
    desktop.goto(base_url + NETWORK)
    share = desktop.locator("section[aria-labelledby=kb-share-title]")
    expect(share.get_by_role("link", name="een casus toevoegen zonder Git")).to_have_attribute(
        "href", re.compile(r"handleiding/meedoen/$")
    )


def test_a_network_page_gives_its_contact_and_the_helpdesk(desktop: Page, variant_url: str) -> None:
    desktop.goto(variant_url + f"netwerken/{CONTACT_NETWORK}/")
    facts = desktop.locator("dl.kb-facts")
    expect(facts.get_by_role("link", name="knooppunt.example", exact=True)).to_have_attribute(
        "href", "https://knooppunt.example/"
    )
    expect(facts.get_by_role("link", name="info@knooppunt.example")).to_have_attribute(
        "href", "mailto:info@knooppunt.example"
    )
    step = desktop.locator("section.kb-next")
    expect(step.get_by_role("link", name=re.compile("^Mail "))).to_have_attribute(
        "href", "mailto:info@knooppunt.example"
    )
    expect(step.get_by_role("link", name="Vraag het de helpdesk")).to_have_attribute(
        "href", HELPDESK_PAGE
    )
    # A network without a contact still has the helpdesk as its next step.
    desktop.goto(variant_url + NETWORK)
    expect(desktop.locator("section.kb-next a.kb-next__helpdesk")).to_have_attribute(
        "href", HELPDESK_PAGE
    )
    expect(desktop.locator("dl.kb-facts")).not_to_contain_text("Website")


@pytest.mark.parametrize("path", REFLOW_PAGES)
def test_reflow_at_320_px_with_double_text(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, {"width": 320, "height": 640})
    try:
        page.goto(base_url + path)
        assert page.evaluate(DOUBLE_TEXT) == pytest.approx(2)
        page.wait_for_timeout(100)  # container queries and layout settle
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path or 'home'} scrolls sideways: {widths}"
        assert page.evaluate(CLIPPED) == [], path or "home"
    finally:
        page.context.close()


def test_focus_is_visible_on_the_home_pages_controls(desktop: Page, base_url: str) -> None:
    desktop.goto(base_url)
    for selector in (
        "#kb-home-q",
        "form.kb-home-search button",
        ".kb-obstacles ul.kb-choices a",
        "ul.kb-entry a",
        ".kb-map__list a",
    ):
        control = desktop.locator(selector).first
        control.focus()
        desktop.keyboard.press("Shift+Tab")
        desktop.keyboard.press("Tab")  # focus by keyboard: :focus-visible applies
        outline = control.evaluate(
            "el => el === document.activeElement && getComputedStyle(el).outlineStyle"
        )
        assert outline and outline != "none", (selector, outline)


@pytest.mark.parametrize("path", ["", NETWORK])
def test_axe_finds_nothing(browser: Browser, base_url: str, path: str) -> None:
    for viewport in (PHONE, DESKTOP):
        page = open_page(browser, viewport)
        try:
            page.goto(base_url + path)
            results = Axe().run(page)
        finally:
            page.context.close()
        violations = results.response["violations"]
        assert not violations, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{v['nodes'][0]['target'] if v['nodes'] else '?'}"
            for v in violations
        )


def test_the_site_name_in_the_config_is_the_full_name() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"site_name: {FULL_NAME}\n" in text
    short = re.search(r"^  korte_naam: (.+)$", text, re.M)
    assert short and len(short.group(1)) <= 20, "the header's short name must fit a phone"
