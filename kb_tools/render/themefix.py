"""Three spots where Material's own markup is invalid HTML (Nu Html Checker), mended in the
finished page, since the templates that print them are not ours to copy:

- the drawer and search toggles are checkboxes with ``autocomplete="off"``, which HTML
  allows only on text-like inputs (base.html);
- a menu section's label gets ``tabindex=""`` (partials/nav-item.html);
- on a page outside the menu (cases, answers, terms) the table of contents has a
  ``<label for="__toc">`` while the control ``__toc`` exists only for pages in the menu.

Each is an exact text of Material 9; if the theme changes it, nothing is replaced and
tests/test_html_valid.py reports the error again. Costs a few string scans per page.
"""

from __future__ import annotations

_TOGGLE_AUTOCOMPLETE = 'type="checkbox" id="__{}" autocomplete="off">'
_EMPTY_TABINDEX = ' tabindex="">'
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def valid_html(page: str) -> str:
    """``page`` with Material's invalid attributes left out."""
    for toggle in ("drawer", "search"):
        page = page.replace(
            _TOGGLE_AUTOCOMPLETE.format(toggle), f'type="checkbox" id="__{toggle}">', 1
        )
    page = page.replace(_EMPTY_TABINDEX, ">")
    if _TOC_LABEL in page and 'id="__toc"' not in page:
        page = page.replace(_TOC_LABEL, '<label class="md-nav__title">', 1)
    return page
