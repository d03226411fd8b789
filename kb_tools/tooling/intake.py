"""New cases without Git: answers from the GitHub issue form (``kb from-issue``) or from the
terminal (``kb nieuw``) become a case file that passes ``kb check``.

The questions come from ``forms.form_elements`` (so from ``schema.FIELDS`` and the
vocabularies); the rules are the validator's: a draft is written to a temporary
``casussen/<netwerk>/`` folder and checked with ``check_content`` next to the real content.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import yaml

from kb_tools.enrich import ledger
from kb_tools.load.documents import parse_document
from kb_tools.load.files import CASES_DIR, display_path
from kb_tools.model import ERROR, Finding, Network, Registry
from kb_tools.schema import FIELDS, SECTIONS
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.tooling.forms import Element, form_elements
from kb_tools.validate import check_content

NO_RESPONSE = "_No response_"
_WORD_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([a-z]{2,5})-([0-9]{4})['\"]?[ \t]*$", re.M)
_CHECKED = re.compile(r"^- \[[xX]\] ", re.M)
QUOTE_LIMIT = 60  # characters of an answer that a message repeats
MESSAGES_PER_FIELD = 3  # a comment shows at most this many messages per question...
MESSAGES_IN_ALL = 30  # ...and this many in all


def quote_user(text: str, limit: int = QUOTE_LIMIT) -> str:
    """What the user typed, for a message that may be posted as a Markdown comment: one
    line (control characters, newlines, bidi and zero-width characters out), at most
    ``limit`` characters with '…', as an inline code span with no backticks inside. In a
    code span GitHub makes no mention, image, link or HTML active."""
    plain = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in str(text)
        if unicodedata.category(ch) != "Cf"
    )
    plain = " ".join(plain.replace("`", "'").split())
    if not plain:
        return "(leeg)"
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return f"`{plain}`"


_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_QUOTED = re.compile(r"'([^'\n]*)'")
_HANDLE = re.compile(r"@[\w-]+(?:/[\w-]+)?")
#: Markdown that GitHub makes active: mentions, raw HTML, images, links, autolinks, code.
_ACTIVE = re.compile(r"@|<[a-zA-Z/!?]|!\[|\]\(|\]\[|`|://|www\.", re.I)


def markdown_message(message: str) -> str:
    """A message of ``kb check`` (our words around values in '...') for a Markdown comment:
    each quoted value goes through ``quote_user``, and so do team handles. If anything that
    Markdown makes active is still outside code (a value with ' in it, HTML the validator
    names without quotes), the whole message is quoted instead. The validator writes no
    backticks, so any backtick in ``message`` is the user's."""
    text = _QUOTED.sub(lambda m: quote_user(m[1]), message.replace("`", "'"))
    parts = _CODE_SPAN.split(text)  # plain, code, plain, code, ..., plain
    parts[::2] = [_HANDLE.sub(lambda m: quote_user(m[0]), part) for part in parts[::2]]
    text = "".join(parts)
    outside = "".join(_CODE_SPAN.split(text)[::2])
    if _ACTIVE.search(outside) or any(unicodedata.category(ch)[0] == "C" for ch in outside):
        return quote_user(message, limit=300)
    return text


def clean_text(text: str) -> str:
    """Text pasted from Word or a browser: straight quotes, plain spaces, no invisible
    characters, Unix line endings, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_WORD_CHARS)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def slugify(title: str, limit: int = 60) -> str:
    """'Zorgcoöperatie “De Bron”' -> 'zorgcooperatie-de-bron'."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "casus"


def unique_path(folder: Path, slug: str) -> Path:
    path, number = folder / f"{slug}.md", 2
    while path.exists():
        path, number = folder / f"{slug}-{number}.md", number + 1
    return path


CASE_ID = re.compile(r"[a-z]{2,5}-\d{4}")


def next_id(content_dir: Path, network: Network, reserved: Iterable[str] = ()) -> str:
    """Highest number of the network in its folder and in the ledger, plus one: an id that
    was ever published is never given out again. ``reserved`` ids (taken by intake pull
    requests that are still open) are skipped."""
    numbers = [0]
    folder = content_dir / CASES_DIR / network.id
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        for prefix, number in _ID_LINE.findall(path.read_text(encoding="utf-8", errors="replace")):
            if prefix == network.prefix:
                numbers.append(int(number))
    entries, _ = ledger.load_ledger(content_dir)
    for case_id in entries:
        prefix, _, number = case_id.partition("-")
        if prefix == network.prefix and number.isdigit():
            numbers.append(int(number))
    taken = set(reserved)
    number = max(numbers) + 1
    while f"{network.prefix}-{number:04d}" in taken:
        number += 1
    return f"{network.prefix}-{number:04d}"


@dataclass
class Draft:
    """Answers mapped to the case format: field values, story sections, and problems that
    the validator cannot see (a missing answer, a choice that is not in the list)."""

    values: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (element key, message)


@dataclass
class Outcome:
    ok: bool
    path: Path | None
    case_id: str | None
    text: str
    messages: list[dict[str, str]]  # veld, ernst, bericht


# -- answers to values ---------------------------------------------------------------------


def _number(text: str) -> int | float | str:
    """'€ 147.500' -> 147500, '2,5' -> 2.5; anything else stays text for the validator."""
    raw = text.replace("€", "").replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return text


def _lines(raw: str) -> list[str]:
    return [line.strip().lstrip("-* ").strip() for line in raw.split("\n") if line.strip()]


def parse_structured(key: str, raw: str, registry: Registry, draft: Draft) -> Any:
    """The text-box format of cijfers, bronnen, gerelateerd, contact and controle."""
    if key == "gerelateerd":
        return [part.lower() for part in re.split(r"[,;\s]+", raw) if part]
    if key in ("contact", "controle"):
        result: dict[str, str] = {}
        for number, line in enumerate(_lines(raw), 1):
            name, colon, value = line.partition(":")
            if not colon or not value.strip():
                draft.problems.append(
                    (key, f"Regel {number} ({quote_user(line)}) heeft niet de vorm 'naam: waarde'.")
                )
            else:
                result[name.strip().lower()] = value.strip()
        return result
    if key == "cijfers":
        vocab = registry.vocabularies.get("kengetallen")
        names = Suggester({t.label: t.id for t in vocab.terms} | {t: t for t in vocab.ids()})
        figures = []
        for number, line in enumerate(_lines(raw), 1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) < 3:
                draft.problems.append(
                    (
                        key,
                        f"Regel {number} ({quote_user(line)}) heeft niet de vorm soort; waarde; jaar.",
                    )
                )
                continue
            figure: dict[str, Any] = {
                "soort": names.exact(parts[0]) or parts[0],
                "waarde": _number(parts[1]),
                "jaar": _number(parts[2]),
            }
            if len(parts) > 3 and parts[3]:
                figure["toelichting"] = "; ".join(parts[3:])
            figures.append(figure)
        return figures
    if key == "bronnen":
        sources = []
        for line in _lines(raw):
            parts = [p.strip() for p in line.split(";") if p.strip()]
            if len(parts) > 1 and parts[1].lower().startswith("http"):
                sources.append({"titel": parts[0], "url": parts[1]})
            elif parts[0] in registry.sources:
                sources.append({"document": parts[0], **({"deel": parts[1]} if parts[1:] else {})})
            elif parts[0].lower().startswith("http"):
                sources.append({"titel": parts[0], "url": parts[0]})
            else:
                sources.append({"titel": "; ".join(parts)})
        return sources
    if key == "samenvatting":
        return " ".join(raw.split())
    return raw


def choose(element: Element, raw: str, draft: Draft) -> Any:
    """Dropdown labels (or ids) back to ids; unknown choices become problems."""
    lookup = {label: value for label, value in element.options}
    exact = Suggester(lookup | {v: v for v in lookup.values()})
    choices = [c.strip() for c in raw.split(", ")] if element.multiple else [raw.strip()]
    ids = []
    for choice in choices:
        value = lookup.get(choice) or exact.exact(choice)
        if value:
            ids.append(value)
            continue
        hint = did_you_mean(Suggester({label: label for label in lookup}).close(choice))
        draft.problems.append(
            (element.key, f"{quote_user(choice)} is geen keuze bij deze vraag. {hint}".strip())
        )
    if element.multiple:
        return ids
    return ids[0] if ids else None


def answer(element: Element, raw: str, registry: Registry, draft: Draft) -> None:
    """Store one answer (already cleaned; empty means not answered) in the draft."""
    if not raw:
        if element.required:
            what = "Vink dit aan." if element.kind == "checkboxes" else "Vul dit in."
            draft.problems.append((element.key, f"Dit is verplicht. {what}"))
        return
    if element.kind == "checkboxes":
        if element.required and not _CHECKED.search(raw):
            draft.problems.append((element.key, "Dit is verplicht. Vink dit aan."))
    elif element.kind == "dropdown":
        value = choose(element, raw, draft)
        if value:
            draft.values[element.key] = value
    elif element.key.startswith("sectie:"):
        draft.sections[element.label] = raw
    else:
        draft.values[element.key] = parse_structured(element.key, raw, registry, draft)


def split_issue(text: str, labels: set[str]) -> dict[str, str]:
    """An issue-form body: '### <label>' headings, each followed by its answer."""
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in clean_text(text).split("\n"):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading in labels:
            current = answers.setdefault(heading, [])
        elif current is not None:
            current.append(line)
    result = {}
    for label, lines in answers.items():
        value = "\n".join(lines).strip()
        result[label] = "" if value == NO_RESPONSE else value
    return result


def draft_from_issue(text: str, registry: Registry) -> Draft:
    elements = form_elements(registry)
    answers = split_issue(text, {e.label for e in elements})
    draft = Draft()
    for element in elements:
        answer(element, answers.get(element.label, ""), registry, draft)
    return draft


# -- draft to checked case file ------------------------------------------------------------


def render(values: dict[str, Any], sections: dict[str, str]) -> str:
    """Frontmatter in the order of the case format, then the story under its headings."""
    lines = ["---"]
    for spec in FIELDS:
        value = values.get(spec.name)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
            lines.append(f"{spec.name}: {flow.strip()}")
        else:
            dumped = yaml.safe_dump(
                {spec.name: value}, allow_unicode=True, sort_keys=False, width=100
            )
            lines.append(dumped.rstrip("\n"))
    lines.append("---")
    for title, _ in SECTIONS:
        if sections.get(title, "").strip():
            lines += ["", f"## {title}", "", sections[title].strip()]
    return "\n".join(lines) + "\n"


FIELD_NAMES = {f.name for f in FIELDS}


def _labels_by_line(text: str) -> dict[int, str]:
    """File line → the field or story heading it belongs to, to name it in messages."""
    doc = parse_document(Path("casus.md"), "casus.md", text).document
    starts: dict[int, str] = {}
    if doc is not None:
        for key, (line, _) in doc.lines.items():
            if len(key) == 1:
                starts.setdefault(line, str(key[0]).capitalize())
    titles = {title for title, _ in SECTIONS}
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("## ") and line[3:].strip() in titles:
            starts[number] = line[3:].strip()
    return starts


def _field_label(starts: dict[int, str], finding: Finding) -> str:
    section = re.search(r"'## (.+?)'", finding.message)
    if finding.code.startswith("sectie") and section and section[1] in dict(SECTIONS):
        return section[1]
    line = finding.line
    before = [n for n in starts if line is not None and n <= line]
    if before and starts[max(before)] not in ("Id", "Algemeen"):
        return starts[max(before)]
    named = [n for n in re.findall(r"'([a-z]+)'", finding.message) if n in FIELD_NAMES]
    return named[0].capitalize() if named else "Algemeen"


def check_text(content_dir: Path, network: str, name: str, text: str, today: date) -> list[Finding]:
    """All findings of ``kb check`` for this text as ``casussen/<network>/<name>``, checked
    together with the real content (ids, references, likely duplicates)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CASES_DIR / network / name
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        result = check_content(content_dir, [path], today)
        rel = display_path(path)
        return [f for f in result.findings if f.file == rel]


def build(
    content_dir: Path,
    registry: Registry,
    draft: Draft,
    network_id: str | None,
    today: date,
    reserved: Iterable[str] = (),
) -> Outcome:
    """Fill in id, network and date, render the file and check it like ``kb check``.
    ``reserved``: ids that ``next_id`` must skip."""
    labels = {e.key: e.label for e in form_elements(registry)}
    messages = [
        {"veld": labels.get(key, key), "ernst": "fout", "bericht": message}
        for key, message in draft.problems
    ]
    network_id = network_id or draft.values.get("netwerk")
    network = registry.networks.get(network_id or "")
    if network is None:
        if not any(key == "netwerk" for key, _ in draft.problems):
            messages.append(
                {"veld": "Netwerk", "ernst": "fout", "bericht": "Kies het netwerk van de casus."}
            )
        return Outcome(False, None, None, "", messages)
    case_id = next_id(content_dir, network, reserved)
    values = {**draft.values, "id": case_id, "netwerk": network.id, "gepubliceerd": today}
    text = render(values, draft.sections)
    folder = content_dir / CASES_DIR / network.id
    path = unique_path(folder, slugify(str(values.get("titel") or "casus")))
    reported = {labels.get(key, key) for key, _ in draft.problems}
    starts = _labels_by_line(text)
    for finding in check_text(content_dir, network.id, path.name, text, today):
        label = _field_label(starts, finding)
        if label in reported:
            continue  # already explained in the words of the form
        messages.append(
            {
                "veld": label,
                "ernst": "fout" if finding.severity == ERROR else "waarschuwing",
                "bericht": markdown_message(f"{finding.message} {finding.hint}".strip()),
                "code": finding.code,
            }
        )
    ok = not any(m["ernst"] == "fout" for m in messages)
    return Outcome(ok, path, case_id, text, messages)


def report(outcome: Outcome, written: bool) -> str:
    """Dutch text for the terminal or a GitHub comment (Markdown)."""
    lines = []
    if outcome.ok:
        state = "is gemaakt" if written else "is in orde (nog niet opgeslagen: gebruik --schrijf)"
        lines.append(f"De casus {outcome.case_id} {state}: `{display_path(outcome.path)}`.")
    else:
        lines.append(
            "De casus kan nog niet worden gemaakt. Pas het volgende aan (bewerk het formulier):"
        )
    items: list[str] = []
    per_field: dict[str, int] = {}
    more: dict[str, list[str]] = {}  # field -> the line that counts the messages left out
    for message in outcome.messages:
        name = message["veld"]
        per_field[name] = per_field.get(name, 0) + 1
        if per_field[name] <= MESSAGES_PER_FIELD:
            prefix = "" if message["ernst"] == "fout" else "Let op: "
            items.append(f"- **{name}**: {prefix}{message['bericht']}")
        elif name not in more:
            more[name] = [""]
            items.append(more[name])  # type: ignore[arg-type] - filled in below
    for name, slot in more.items():
        slot[0] = (
            f"- **{name}**: En nog {per_field[name] - MESSAGES_PER_FIELD} meldingen bij deze vraag."
        )
    items = [item[0] if isinstance(item, list) else item for item in items]
    if len(items) > MESSAGES_IN_ALL:
        rest = len(items) - MESSAGES_IN_ALL
        items = items[:MESSAGES_IN_ALL]
        items.append(f"- En nog {rest} andere meldingen. Pas eerst de meldingen hierboven aan.")
    return "\n".join(lines + items)


# -- the terminal ----------------------------------------------------------------------------


class Stop(Exception):
    """The input ended before the case was complete."""


class Prompter:
    """Asks the questions of the form in a terminal; streams are injected for tests."""

    def __init__(self, registry: Registry, stdin: TextIO, stdout: TextIO) -> None:
        self.registry = registry
        self.stdin = stdin
        self.stdout = stdout

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def read(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise Stop
        return clean_text(line)

    def read_block(self) -> str:
        lines = []
        while True:
            line = self.read("  | " if lines else "> ")
            if not line:
                return "\n".join(lines)
            lines.append(line)

    def raw_answer(self, element: Element) -> str:
        """One answer as the issue form would give it: labels, text or a ticked box."""
        star = " (verplicht)" if element.required else " (Enter = overslaan)"
        self.say()
        self.say(f"{element.label}{star}")
        if element.description:
            self.say(f"  {element.description.replace(chr(10), chr(10) + '  ')}")
        if element.kind == "checkboxes":
            reply = self.read(f"  {element.options[0][0]}\n  Klopt dit? (ja/nee) ")
            return f"- [X] {element.options[0][0]}" if reply.lower() in ("j", "ja") else ""
        if element.kind == "dropdown":
            for number, (label, _) in enumerate(element.options, 1):
                self.say(f"  {number:>2}. {label}")
            several = "Nummers met komma's ertussen" if element.multiple else "Nummer"
            reply = self.read(f"{several}: ")
            labels = []
            for part in re.split(r"[,\s]+", reply) if reply else []:
                index = int(part) - 1 if part.isdigit() else -1
                labels.append(
                    element.options[index][0] if 0 <= index < len(element.options) else part
                )
            return ", ".join(labels)
        if element.kind == "textarea":
            self.say("  Typ de tekst. Een lege regel betekent: klaar.")
            return self.read_block()
        return self.read("> ")

    def ask(self, element: Element, draft: Draft) -> None:
        """Ask until the answer itself is usable; the validator checks the rest."""
        while True:
            attempt = Draft()
            answer(element, self.raw_answer(element), self.registry, attempt)
            if not attempt.problems:
                draft.values.update(attempt.values)
                draft.sections.update(attempt.sections)
                return
            for _, message in attempt.problems:
                self.say(f"  {message}")


def interview(
    content_dir: Path,
    registry: Registry,
    network_id: str | None,
    today: date,
    stdin: TextIO,
    stdout: TextIO,
) -> Outcome:
    """Ask every question, then ask again for the answers the validator rejects."""
    prompter = Prompter(registry, stdin, stdout)
    elements = form_elements(registry)
    draft = Draft()
    if network_id:
        draft.values["netwerk"] = network_id
    prompter.say("Een nieuwe casus. Stoppen: Ctrl+C.")
    for element in elements:
        if element.key == "netwerk" and network_id:
            continue
        prompter.ask(element, draft)
        if element.key == "netwerk":
            network = registry.networks[draft.values["netwerk"]]
            prompter.say(f"  Het nummer van de casus wordt {next_id(content_dir, network)}.")
    by_label = {e.label: e for e in elements}
    while True:
        outcome = build(content_dir, registry, draft, network_id, today)
        errors = [m for m in outcome.messages if m["ernst"] == "fout"]
        if not errors:
            return outcome
        prompter.say()
        prompter.say("Er klopt nog iets niet:")
        for message in errors:
            prompter.say(f"- {message['veld']}: {message['bericht']}")
        again = [by_label[m["veld"]] for m in errors if m["veld"] in by_label]
        if not again:
            return outcome
        for element in dict.fromkeys(again):
            draft.values.pop(element.key, None)
            draft.sections.pop(element.label, None)
            prompter.ask(element, draft)
