"""Body rules for one Markdown document: sections, raw HTML, links, images, personal data.

HTML and links inside code are shown as text on the site, so code is masked before
those checks; personal data is looked for everywhere.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from ..load import is_answer
from ..model import ERROR, WARNING, Document, Finding
from ..schema import ANSWER_SECTIONS, ID_PATTERN, SECTIONS
from ..suggest import Suggester, did_you_mean, normalise
from .text import AUTOLINK, html_tags, personal_data, unsafe_url

MAX_IMAGE_BYTES = 1_000_000
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
#: [[ams-0007]] or [[ams-0007|eigen tekst]]: the documented way to link to a case or answer.
CASE_LINK = re.compile(r"\[\[([^\[\]|\n]{1,80}?)(?:\|([^\[\]\n]{0,200}))?\]\]")
_INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^)\s]*)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*(\S+)", re.M)
_HEADING = re.compile(r"^(#{1,6})[ \t]+([^\n]*?)[ \t#]*$", re.M)


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


@dataclass(frozen=True)
class CaseRef:
    """A [[id]] link in a body, to be resolved once all documents are known."""

    target: str
    line: int
    column: int


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and code spans, keeping offsets and newlines."""
    if "`" not in text and "~~~" not in text:
        return text
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    pos = 0
    while True:
        match = _FENCE_OPEN.search(text, pos)
        if not match:
            break
        fence = match.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = text.find("\n", match.end())
        close = closing.search(text, line_end + 1) if line_end != -1 else None
        end = close.end() if close else len(text)
        blank(match.start(), end)
        pos = end
    masked = "".join(chars)
    for match in _CODE_SPAN.finditer(masked):
        blank(match.start(), match.end())
    return "".join(chars)


class _Positions:
    """Offset to (file line, column); computed only when a finding needs it."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.starts: list[int] = []

    def at(self, offset: int) -> tuple[int, int]:
        if not self.starts:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


def check_body(
    doc: Document, content_dir: Path, sections: bool = True
) -> tuple[list[Finding], list[CaseRef]]:
    """All body findings of one document, plus its [[id]] links for the corpus check."""
    body = doc.body
    pos = _Positions(body, doc.body_line)
    findings: list[Finding] = []

    def add(offset: int | None, code: str, message: str, hint: str, severity: str = ERROR) -> None:
        line, column = pos.at(offset) if offset is not None else (doc.body_line, None)
        findings.append(Finding(doc.rel, line, column, code, severity, message, hint))

    masked = mask_code(body)
    refs = _case_links(masked, pos, add)
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
    _links(masked, doc, content_dir, add)
    for kind, offset, text in personal_data(body):
        add(
            offset,
            "persoonsgegevens",
            f"Het verhaal bevat een {kind} ({text[:3]}…).",
            "Zet geen persoonsgegevens in het verhaal. Een contact hoort in het veld 'contact', "
            "alleen met toestemming. Noem anders de organisatie.",
        )
    if sections:
        _sections(masked, add, ANSWER_SECTION_RULES if is_answer(doc.rel) else CASE_SECTIONS)
    return findings, refs


def _case_links(masked: str, pos: _Positions, add) -> list[CaseRef]:
    refs = []
    for match in CASE_LINK.finditer(masked):
        target = match.group(1).strip()
        if ID_PATTERN.match(target):
            line, column = pos.at(match.start())
            refs.append(CaseRef(target, line, column))
        else:
            add(
                match.start(),
                "verwijzing-ongeldig",
                f"[[{target[:40]}]] is geen geldig casusnummer.",
                "Schrijf een nummer tussen dubbele blokhaken, bijvoorbeeld [[ams-0007]].",
            )
    return refs


def _links(masked: str, doc: Document, content_dir: Path, add) -> None:
    if "](" not in masked and "]:" not in masked and "<" not in masked:
        return
    found: list[tuple[int, str, bool, str]] = []
    for match in _INLINE_LINK.finditer(masked):
        url = match.group(3).strip("<>")
        found.append((match.start(3), url, match.group(1) == "!", match.group(2)))
    for match in _REF_DEF.finditer(masked):
        found.append((match.start(1), match.group(1).strip("<>"), False, ""))
    for match in AUTOLINK.finditer(masked):
        found.append((match.start(1), match.group(1), False, ""))
    for offset, url, is_image, alt in found:
        scheme = unsafe_url(url)
        if scheme:
            add(
                offset,
                "link-onveilig",
                f"De link gebruikt '{scheme}', dat is niet toegestaan: {url[:60]}",
                "Gebruik alleen links die beginnen met https://, http:// of mailto:.",
            )
        elif is_image:
            _image(offset, url, alt, doc, content_dir, add)
        elif url and not re.match(r"^(?:https?://|mailto:|#)", url, re.I):
            add(
                offset,
                "link-relatief",
                f"De link '{url[:60]}' wijst naar een bestand, dat werkt niet op de website.",
                "Verwijs naar een casus met [[ams-0007]], of gebruik een volledig webadres.",
                WARNING,
            )


def _image(offset: int, url: str, alt: str, doc: Document, content_dir: Path, add) -> None:
    if re.match(r"^(?:https?:)?//", url, re.I):
        add(
            offset,
            "afbeelding-extern",
            "De afbeelding komt van een andere website.",
            "Lezers mogen niet gevolgd worden door andere websites. Zet de afbeelding naast de "
            "casus en verwijs ernaar met '![beschrijving](naam.jpg)'.",
        )
        return
    if not alt.strip():
        add(
            offset,
            "afbeelding-beschrijving",
            "De afbeelding heeft geen beschrijving.",
            "Schrijf tussen de blokhaken wat er te zien is, voor wie niet goed ziet: ![...](...).",
            WARNING,
        )
    if not url.lower().endswith(IMAGE_SUFFIXES):
        add(
            offset,
            "afbeelding-soort",
            f"'{url[:60]}' is geen png-, jpg- of webp-afbeelding.",
            "Sla de afbeelding op als png, jpg of webp.",
        )
        return
    target = (doc.path.parent / url.split("#")[0].split("?")[0]).resolve()
    root = content_dir.resolve()
    if root not in target.parents:
        add(
            offset,
            "afbeelding-pad",
            f"De afbeelding '{url[:60]}' ligt buiten de map content/.",
            "Zet de afbeelding in dezelfde map als de casus.",
        )
    elif not target.is_file():
        add(
            offset,
            "afbeelding-ontbreekt",
            f"De afbeelding '{url[:60]}' bestaat niet.",
            "Controleer de bestandsnaam (hoofdletters tellen mee) en of het bestand is toegevoegd.",
        )
    elif target.stat().st_size > MAX_IMAGE_BYTES:
        size = target.stat().st_size // 1000
        add(
            offset,
            "afbeelding-te-groot",
            f"De afbeelding '{url[:60]}' is {size} kB. Hoogstens {MAX_IMAGE_BYTES // 1000} kB mag.",
            "Maak de afbeelding kleiner, bijvoorbeeld 1200 pixels breed, als jpg of webp.",
        )


def _sections(masked: str, add, rules: SectionRules) -> None:
    seen: list[tuple[str, int]] = []
    for match in _HEADING.finditer(masked):
        level = len(match.group(1))
        title = match.group(2).strip().rstrip(":")
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
