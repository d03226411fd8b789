"""Body rules for one Markdown document: sections, raw HTML, links, images, invisible
characters and personal data.

Links and images are found by the site's own Markdown parser (``markup.LinkParser``), so
``kb controleer`` and the site agree on what a link is. HTML and [[id]] links inside code are
shown as text on the site, so code is masked before those checks; personal data and
invisible characters are looked for everywhere. Every scan here is linear in the size of
the body, and bodies that Python-Markdown would take quadratic time on are refused first
(``limits``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kb_tools.model import ERROR, WARNING, Document, Finding
from kb_tools.schema import ANSWER_SECTIONS, SECTIONS
from kb_tools.suggest import Suggester, did_you_mean, normalise
from kb_tools.textscan import describe_invisible, html_tags, invisibles, personal_data
from kb_tools.validate.limits import heavy_markdown
from kb_tools.validate.references import ItemRef, Positions, check_links, item_links, mask_code

# A heading line; trailing "#" and spaces are stripped in code (a lazy pattern followed
# by "[ #]*$" would be quadratic on "# # # # ...").
_HEADING = re.compile(r"^(#{1,6})[ \t]+([^\n]*)$", re.M)
# How MkDocs finds page settings at the top of a page: a YAML block between '---' lines,
# or MultiMarkdown-style 'key: value' on the first line.
_PAGE_SETTINGS = re.compile(r"-{3}[ \t]*\n|[ ]{0,3}[A-Za-z0-9_-]+:")
MAX_INVISIBLE_FINDINGS = 5


class SectionRules:
    """The fixed ## headings of one kind of document, in order (name, required)."""

    def __init__(
        self, sections: tuple[tuple[str, bool], ...], required_hint: str, ask_optional: bool
    ) -> None:
        self.sections = sections
        self.required_hint = required_hint
        self.ask_optional = ask_optional  # warn when an optional section is missing
        self.suggester = Suggester({name: name for name, _ in sections})
        self.exact = {name: normalise(name) for name, _ in sections}
        self.order = {normalise(name): i for i, (name, _) in enumerate(sections)}


CASE_SECTIONS = SectionRules(
    SECTIONS, "Elke casus heeft de kopjes Situatie, Aanpak en Resultaat.", ask_optional=True
)
ANSWER_SECTION_RULES = SectionRules(
    ANSWER_SECTIONS, "Elk antwoord heeft het kopje Antwoord.", ask_optional=False
)


#: The kinds of document a body belongs to, and what is checked in each.
CASE_BODY, ANSWER_BODY, GUIDE_BODY = "casus", "antwoord", "handleiding"


def check_body(
    doc: Document, files: Collection[str] | None = None, kind: str = CASE_BODY
) -> tuple[list[Finding], list[ItemRef]]:
    """All body findings of one document, plus its [[id]] links for the corpus check.

    ``files``: the paths inside content/ (with /) of every file there, to check that a
    relative link or an image points at a file that exists; ``doc.rel`` ends with the
    document's own path inside content/.
    """
    body = doc.body
    pos = Positions(body, doc.body_line)
    findings: list[Finding] = []

    def add(offset: int | None, code: str, message: str, hint: str, severity: str = ERROR) -> None:
        line, column = pos.at(offset) if offset is not None else (doc.body_line, None)
        findings.append(Finding(doc.rel, line, column, code, severity, message, hint))

    for count, match in enumerate(invisibles(body)):
        if count == MAX_INVISIBLE_FINDINGS:
            break
        add(
            match.start(),
            "tekst-onzichtbaar",
            f"Het verhaal bevat een onzichtbaar teken ({describe_invisible(match.group(0))}).",
            "Typ de tekst op deze plek opnieuw; plakken uit andere programma's brengt soms "
            "zulke tekens mee.",
        )
    if kind == GUIDE_BODY and _PAGE_SETTINGS.match(body):
        add(
            0,
            "handleiding-kop",
            "Deze pagina van de handleiding begint met instellingen (tussen --- of als "
            "'naam: waarde'). De website zou die lezen als instellingen van de pagina.",
            "Begin de pagina met een titel: '# Titel'. Een pagina van de handleiding heeft "
            "geen kop met velden.",
        )
    heavy = heavy_markdown(body)
    if heavy is not None:
        line, message, hint = heavy
        offset = None
        if line:
            offset = 0
            for _ in range(line - 1):
                offset = body.index("\n", offset) + 1
        add(offset, "markdown-te-zwaar", message, hint)
        return findings, []  # the rest would parse what the site refuses to render
    masked = mask_code(body)
    refs = item_links(masked, pos, add)
    for tag in html_tags(masked):
        if tag.unsafe:
            add(
                tag.start,
                "html-onveilig",
                f"Het verhaal bevat HTML die de website onveilig kan maken: '{tag.text[:40]}'.",
                "Haal deze HTML weg. Scripts, iframes, stijlen en on...= zijn nooit toegestaan.",
            )
        else:
            add(
                tag.start,
                "html",
                f"Het verhaal bevat HTML: '{tag.text[:40]}'.",
                "Gebruik gewone Markdown: '**vet**', '*schuin*', '- opsomming', '[tekst](https://...)'.",
            )
    check_links(body, masked, doc, files, kind, add)
    if kind != GUIDE_BODY:
        for what, offset, text in personal_data(body):
            add(
                offset,
                "persoonsgegevens",
                f"Het verhaal bevat een {what} ({text[:3]}…).",
                "Zet geen persoonsgegevens in het verhaal. Een contact hoort in het veld "
                "'contact', alleen met toestemming. Noem anders de organisatie.",
            )
        _sections(masked, add, ANSWER_SECTION_RULES if kind == ANSWER_BODY else CASE_SECTIONS)
    return findings, refs


def _sections(masked: str, add, rules: SectionRules) -> None:
    seen: list[tuple[str, int]] = []
    for match in _HEADING.finditer(masked):
        level = len(match.group(1))
        title = match.group(2).rstrip(" \t#").strip().rstrip(":")
        if level == 1:
            add(
                match.start(),
                "kop-niveau-1",
                f"Het kopje '# {title[:40]}' is een titel; de titel staat al in de kop.",
                "Gebruik ## voor de vaste kopjes en ### daaronder.",
                WARNING,
            )
        if level != 2:
            continue
        key = rules.exact.get(title) or normalise(title)
        if key not in rules.order:
            hint = did_you_mean(rules.suggester.close(title))
            add(
                match.start(),
                "sectie-onbekend",
                f"'## {title[:40]}' is geen vast kopje.",
                (hint + " " if hint else "")
                + "Vaste kopjes: "
                + ", ".join(name for name, _ in rules.sections)
                + ". Gebruik ### voor een tussenkopje.",
                WARNING,
            )
            continue
        if any(k == key for k, _ in seen):
            add(match.start(), "sectie-dubbel", f"'## {title}' staat er twee keer.", "", WARNING)
            continue
        if seen and rules.order[key] < rules.order[seen[-1][0]]:
            add(
                match.start(),
                "sectie-volgorde",
                f"'## {title}' staat niet op de goede plek.",
                "Volgorde: " + ", ".join(name for name, _ in rules.sections) + ".",
                WARNING,
            )
        seen.append((key, match.start()))
    present = {k for k, _ in seen}
    if len(present) == len(rules.sections):
        return
    for name, required in rules.sections:
        if rules.exact[name] in present:
            continue
        if required:
            add(
                None,
                "sectie-ontbreekt",
                f"Het kopje '## {name}' ontbreekt.",
                rules.required_hint,
            )
        elif rules.ask_optional:
            add(
                None,
                "sectie-aanbevolen",
                f"Het kopje '## {name}' ontbreekt.",
                "Weet u hier niets over? Schrijf dat dan eerlijk onder het kopje.",
                WARNING,
            )
