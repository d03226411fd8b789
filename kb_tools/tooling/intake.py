"""New cases without Git: ``kb uit-issue`` (an issue-form body) and ``kb nieuw`` (questions in
the terminal) turn answers (``form_answers``) into a case file (``casefile``) that passes
``kb controleer``, and report what to fix in Dutch, ready for a GitHub comment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from kb_tools.load.files import CASES_DIR, display_path
from kb_tools.model import ERROR, Registry
from kb_tools.tooling.casefile import (
    check_text,
    field_label,
    labels_by_line,
    next_id,
    render,
    slugify,
    unique_path,
)
from kb_tools.tooling.form_answers import Draft, answer, clean_text, quote_user, split_issue
from kb_tools.tooling.forms import Element, form_elements

MESSAGES_PER_FIELD = 3  # a comment shows at most this many messages per question...
MESSAGES_IN_ALL = 30  # ...and this many in all


_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_QUOTED = re.compile(r"'([^'\n]*)'")
_HANDLE = re.compile(r"@[\w-]+(?:/[\w-]+)?")
#: Markdown that GitHub makes active: mentions, raw HTML, images, links, autolinks, code.
_ACTIVE = re.compile(r"@|<[a-zA-Z/!?]|!\[|\]\(|\]\[|`|://|www\.", re.I)


def markdown_message(message: str) -> str:
    """A message of ``kb controleer`` (our words around values in '...') for a Markdown comment:
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


@dataclass
class Outcome:
    ok: bool
    path: Path | None
    case_id: str | None
    text: str
    messages: list[dict[str, str]]  # veld, ernst, bericht


def draft_from_issue(text: str, registry: Registry) -> Draft:
    elements = form_elements(registry)
    answers = split_issue(text, {e.label for e in elements})
    draft = Draft()
    for element in elements:
        answer(element, answers.get(element.label, ""), registry, draft)
    return draft


def build(
    content_dir: Path,
    registry: Registry,
    draft: Draft,
    network_id: str | None,
    today: date,
    reserved: Iterable[str] = (),
) -> Outcome:
    """Fill in id, network and date, render the file and check it like ``kb controleer``.
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
    starts = labels_by_line(text)
    for finding in check_text(content_dir, network.id, path.name, text, today):
        label = field_label(starts, finding)
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
