"""Zoom and keyboard on every page type (WCAG 2.1 AA checks that axe cannot make): a skip
link that is the first Tab stop and lands on the page's one h1, no Tab stop inside the
closed menu on a phone, a visible focus ring on every kind of control, and no sideways
scrolling or cut-off text at 320px wide with 200% text (reflow, 1.4.10)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .conftest import PHONE, open_page

#: One page of each type.
PAGES = {
    "home": "",
    "case": "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/",
    "answer": "antwoorden/hd-0002-vennootschapsbelasting-zorgcooperatie/",
    "answers": "antwoorden/",
    "term": "thema/burenhulp/",
    "facet": "thema/",
    "network": "netwerken/amsterdamse-stadsdorpen/",
    "networks": "netwerken/",
    "search": "zoeken/?q=zorg",  # with results; without a query the field has focus
    "bladeren": "bladeren/",
    "begrippen": "begrippen/",
    "nieuw": "nieuw/",
    "opendata": "open-data/",
    "guide": "handleiding/casusformaat/",
    "404": "404.html",
}
NARROW = {"width": 320, "height": 640}

#: The element that has focus, described for assertions.
ACTIVE = """() => {
  const e = document.activeElement;
  return {
    tag: e.tagName.toLowerCase(),
    cls: typeof e.className === 'string' ? e.className : '',
    text: (e.textContent || '').trim().slice(0, 60),
    id: e.id,
    inDrawer: !!e.closest('.md-sidebar--primary'),
  };
}"""

#: Text cut off at the current size: a text node whose box reaches past an ancestor that
#: clips it (overflow hidden or clip; a scrolling region stops the search, scrolling there
#: is allowed) or past the viewport. Hidden text (display none, visibility hidden, opacity
#: 0) and visually hidden elements (1px, such as the unfocused skip link) do not count.
CUT_TEXT = """() => {
  const vw = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const shown = (el) => {
    if (getComputedStyle(el).visibility !== 'visible') return false;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.opacity === '0') return false;
    }
    return true;
  };
  const cut = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('script, style, noscript, template') || !shown(el)) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    if (!rects.length) continue;
    const right = Math.max(...rects.map((r) => r.right));
    const left = Math.min(...rects.map((r) => r.left));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    let stopped = false;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/auto|scroll/.test(s.overflowX)) { stopped = true; break; }
      const box = a.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) { stopped = true; break; }
      const clipsX = /hidden|clip/.test(s.overflowX);
      const clipsY = /hidden|clip/.test(s.overflowY);
      if ((clipsX && (right > box.right + 1 || left < box.left - 1)) ||
          (clipsY && bottom > box.bottom + 1)) {
        cut.push(`${describe(a)} cuts "${text.slice(0, 50)}"`);
        stopped = true; break;
      }
    }
    if (!stopped && (right > vw + 1 || left < -1)) {
      cut.push(`the screen cuts "${text.slice(0, 50)}" (${Math.round(left)}..${Math.round(right)}px)`);
    }
  }
  return cut;
}"""

#: The focus ring of the focused element and the colour it is drawn on (the first
#: ancestor with a background colour).
RING = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  let back = 'rgb(255, 255, 255)';
  for (let a = e.parentElement; a; a = a.parentElement) {
    const c = getComputedStyle(a).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { back = c; break; }
  }
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          shadow: s.boxShadow, back};
}"""


def _page(browser: Browser, viewport: dict, big_text: bool = False) -> Page:
    page = open_page(browser, viewport)
    if big_text:
        # 200% text: the root font size, before the page's own scripts measure anything.
        page.context.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => "
            "{ document.documentElement.style.fontSize = '200%'; });"
        )
    return page


@pytest.fixture
def narrow_big_text(browser: Browser) -> Iterator[Page]:
    page = _page(browser, NARROW, big_text=True)
    yield page
    page.context.close()


def _rgb(color: str) -> tuple[float, float, float]:
    parts = [float(v) for v in re.findall(r"[\d.]+", color)[:3]]
    assert len(parts) == 3, f"not a colour: {color}"
    return parts[0], parts[1], parts[2]


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(color: str) -> float:
        channels = [c / 255 for c in _rgb(color)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_of_known_pairs():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(255, 110, 66)", "rgb(255, 255, 255)") < 3  # Material's ring


def _skip_link_lands_on_the_h1(page: Page, url: str) -> None:
    page.goto(url)
    headings = page.locator("h1")
    assert headings.count() == 1, f"{url}: {headings.count()} h1 elements, not one"
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first["cls"].split()[:1] == ["kb-skip"], f"{url}: first Tab stop is {first}"
    assert first["text"] == "Naar de inhoud"
    box = page.locator("a.kb-skip").bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, f"skip link not shown: {box}"
    assert (
        box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    )
    # One skip link: Material's own (pages with a table of contents) is not a second stop.
    page.keyboard.press("Tab")
    second = page.evaluate(ACTIVE)
    assert "skip" not in second["cls"] and "inhoud" not in second["text"].lower(), second
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H1'")
    target = page.evaluate("document.activeElement.id")
    assert page.locator("a.kb-skip").get_attribute("href") == f"#{target}"
    # The next Tab stop comes after the heading, not back at the top.
    page.keyboard.press("Tab")
    after = page.evaluate(
        "document.querySelector('h1').compareDocumentPosition(document.activeElement)"
    )
    assert after & 4, f"{url}: Tab after the heading went to {page.evaluate(ACTIVE)}"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_skip_link_is_the_first_tab_stop_and_lands_on_the_h1(phone: Page, base_url: str, path):
    _skip_link_lands_on_the_h1(phone, base_url + path)


@pytest.mark.parametrize("path", [PAGES["home"], PAGES["case"]], ids=["home", "case"])
def test_skip_link_on_a_laptop(desktop: Page, base_url: str, path):
    _skip_link_lands_on_the_h1(desktop, base_url + path)


@pytest.mark.parametrize("path", [PAGES["home"], PAGES["case"]], ids=["home", "case"])
def test_no_tab_stop_in_the_closed_menu_and_the_open_menu_is_reachable(
    phone: Page, base_url: str, path
):
    phone.goto(base_url + path)
    stops = []
    for _ in range(20):
        phone.keyboard.press("Tab")
        stops.append(phone.evaluate(ACTIVE))
    inside = [s for s in stops if s["inDrawer"]]
    assert not inside, f"Tab stops in the closed menu: {inside}"
    assert any(s["tag"] == "a" and not s["inDrawer"] for s in stops[3:]), "Tab reached no link"

    # The menu button is the second stop (after the skip link) and opens with Enter.
    phone.goto(base_url + path)
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    button = phone.evaluate(ACTIVE)
    assert button["tag"] == "label" and "md-header__button" in button["cls"], button
    phone.keyboard.press("Enter")
    phone.wait_for_function("document.getElementById('__drawer').checked")
    phone.wait_for_timeout(300)  # the menu slides in
    in_menu = []
    for _ in range(12):
        phone.keyboard.press("Tab")
        state = phone.evaluate(ACTIVE)
        if state["inDrawer"]:
            in_menu.append(state)
    links = [s for s in in_menu if "md-nav__link" in s["cls"]]
    assert len(links) >= 5, f"the open menu's links are not Tab stops: {in_menu}"
    # What has focus in the open menu is on screen, and not in a closed sub-menu.
    phone.keyboard.press("Shift+Tab")
    box = phone.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect();"
        " return [r.left, r.right, r.width]; })()"
    )
    assert box[2] > 0 and box[0] >= 0 and box[1] <= PHONE["width"], box
    hidden_sub = phone.evaluate(
        "[...document.querySelectorAll('.md-sidebar--primary .md-nav__toggle:not(:checked) ~ .md-nav a')]"
        ".filter(a => getComputedStyle(a).visibility === 'visible').length"
    )
    assert hidden_sub == 0, "links of a closed sub-menu are Tab stops"

    # Closed again (Enter on the menu button), the menu holds no Tab stop.
    phone.goto(base_url + path)
    for _ in range(20):
        phone.keyboard.press("Tab")
        assert not phone.evaluate(ACTIVE)["inDrawer"]


def _tab_to(page: Page, test: str, limit: int = 250) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression over ``e``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!({test}))(document.activeElement)"):
            return
    pytest.fail(f"no Tab stop matches {test}")


def _assert_ring(page: Page, what: str) -> None:
    ring = page.evaluate(RING)
    if ring["style"] != "none" and ring["width"] >= 2:
        ratio = contrast(ring["color"], ring["back"])
        assert ratio >= 3, f"{what}: focus ring {ring['color']} on {ring['back']} is {ratio:.1f}:1"
    else:
        assert ring["shadow"] != "none", f"{what}: no visible focus ({ring})"


SEARCH = "zoeken/?q=zorg"


#: One control of each kind: the page it is on, and how to know it has focus.
CONTROLS = {
    "link": (SEARCH, "e.matches('.md-content a[href]')"),
    "button": (SEARCH, "e.matches('.md-content button')"),
    "summary": (SEARCH, "e.matches('summary')"),
    "checkbox": (SEARCH, "e.matches('input[type=checkbox]')"),
    "search-field": (SEARCH, "e.matches('.md-content input[type=search]')"),
    "header-search-field": ("", "e.matches('.md-header input')"),
    "header-button": ("", "e.matches('.md-header button')"),
    "menu-tab": ("", "e.matches('.md-tabs a')"),
    "footer-link": (PAGES["guide"], "e.matches('.md-footer a')"),
}


@pytest.mark.parametrize("what", CONTROLS)
def test_every_kind_of_control_shows_focus(desktop: Page, base_url: str, what):
    path, test = CONTROLS[what]
    desktop.goto(base_url + path)
    if path == SEARCH:
        desktop.wait_for_selector(".kb-filter__options input[type=checkbox]", state="attached")
    _tab_to(desktop, test)
    _assert_ring(desktop, what)


def test_the_menu_button_shows_focus_on_the_teal_header(phone: Page, base_url: str):
    phone.goto(base_url)
    _tab_to(phone, "e.matches('label[for=__drawer]')", limit=3)
    _assert_ring(phone, "menu button")


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_sideways_scrolling_or_cut_text_at_320px_with_200_percent_text(
    narrow_big_text: Page, base_url: str, path
):
    page = narrow_big_text
    page.goto(base_url + path)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"/{path} is {width}px wide at {NARROW['width']}px"
    cut = page.evaluate(CUT_TEXT)
    assert not cut, f"/{path}: " + "; ".join(cut[:10])


def test_the_open_menu_fits_at_320px_with_200_percent_text(narrow_big_text: Page, base_url: str):
    page = narrow_big_text
    page.goto(base_url + PAGES["case"])
    page.locator("label.md-header__button[for=__drawer]").click()
    page.wait_for_timeout(400)
    right = page.evaluate(
        "document.querySelector('.md-sidebar--primary').getBoundingClientRect().right"
    )
    assert right <= NARROW["width"] + 1, f"the open menu reaches {right}px"
    cut = page.evaluate(CUT_TEXT)
    assert not cut, "; ".join(cut[:10])
