"""The ledger of published addresses (``content/gepubliceerd.yml``), part of enrich.

Helpdesk staff paste links into e-mails, so a published URL must keep working.
The ledger lists, per case or answer id, its first publication date and every URL it
ever had.
A build turns old URLs into redirects, fails when an address would disappear, and
refuses an id that comes back for a different case (an id is never reused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .enrich.corpus import Corpus
from .load import display_path, finding, load_yaml_file
from .model import Answer, Case, Finding
from .render.views import short_link


def _published(item: Case | Answer) -> str:
    return (item.date if isinstance(item, Answer) else item.published).isoformat()


LEDGER_FILE = "gepubliceerd.yml"
HEADER = """\
# Alle adressen die ooit op de website stonden, per casus en per helpdeskantwoord.
# Een adres mag nooit verdwijnen: kb build maakt van een oud adres een doorverwijzing.
# Is een casus verwijderd? Zet dan bij die casus: vervangen_door: <id van een andere casus>.
# Nieuwe casussen voegt u toe met: kb adressen --bijwerken
"""


@dataclass
class Entry:
    id: str
    published: str
    urls: list[str] = field(default_factory=list)
    replaced_by: str | None = None
    line: int | None = None


def load_ledger(content_dir: Path) -> tuple[dict[str, Entry], list[Finding]]:
    path = content_dir / LEDGER_FILE
    rel = display_path(path)
    if not path.is_file():
        return {}, []
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return {}, problems
    entries: dict[str, Entry] = {}
    findings: list[Finding] = []
    for case_id, value in (data or {}).items() if isinstance(data, dict) else []:
        line = lines.get((case_id,), (None, None))[0]
        if not isinstance(value, dict) or not isinstance(value.get("adressen"), list):
            findings.append(
                finding(
                    rel,
                    line,
                    "register-opbouw",
                    f"De regel voor {case_id} in {LEDGER_FILE} is onleesbaar.",
                    "Elke casus heeft 'gepubliceerd' en een lijst 'adressen'.",
                )
            )
            continue
        entries[str(case_id)] = Entry(
            id=str(case_id),
            published=str(value.get("gepubliceerd", "")),
            urls=[str(u) for u in value["adressen"]],
            replaced_by=value.get("vervangen_door"),
            line=line,
        )
    return entries, findings


def check_ledger(
    ledger: dict[str, Entry], corpus: Corpus, content_dir: Path
) -> tuple[dict[str, tuple[str, str]], list[Finding]]:
    """Redirects {old_url: (new_url, title)} for moved or replaced cases, and problems."""
    rel = display_path(content_dir / LEDGER_FILE)
    redirects: dict[str, tuple[str, str]] = {}
    findings: list[Finding] = []
    for entry in ledger.values():
        case = corpus.item(entry.id)
        if case is not None:
            if entry.published and entry.published != _published(case):
                findings.append(
                    finding(
                        case.path,
                        1,
                        "id-hergebruikt",
                        f"De id {entry.id} was al gepubliceerd op {entry.published} voor een "
                        "andere casus. Een id wordt nooit opnieuw gebruikt.",
                        "Geef deze casus een nieuw nummer. Is het dezelfde casus? Zet dan "
                        f"'gepubliceerd: {entry.published}' terug.",
                    )
                )
            for url in entry.urls:
                if url != corpus.urls[case.id]:
                    redirects[url] = (corpus.urls[case.id], case.title)
            continue
        target = corpus.item(entry.replaced_by or "")
        if target is not None:
            for url in [*entry.urls, short_link(entry.id)]:
                redirects[url] = (corpus.urls[target.id], target.title)
            continue
        findings.append(
            finding(
                rel,
                entry.line,
                "adres-verdwenen",
                f"{'Antwoord' if entry.id.startswith('hd-') else 'Casus'} {entry.id} is "
                "verdwenen, maar het adres "
                f"{entry.urls[0] if entry.urls else short_link(entry.id)} staat al online.",
                "Zet de casus terug, of zet bij deze casus in gepubliceerd.yml "
                "'vervangen_door: <id>' zodat lezers ergens uitkomen.",
            )
        )
    return redirects, findings


def review(
    content_dir: Path, corpus: Corpus
) -> tuple[dict[str, Entry], dict[str, tuple[str, str]], list[Finding]]:
    """Load and check the ledger: (entries, redirects for moved cases, problems)."""
    entries, problems = load_ledger(content_dir)
    redirects, more = check_ledger(entries, corpus, content_dir)
    return entries, redirects, problems + more


def missing(ledger: dict[str, Entry], corpus: Corpus) -> list[str]:
    """Case and answer ids whose current URL is not yet in the ledger."""
    return sorted(
        c.id
        for c in (*corpus.cases, *corpus.answers)
        if c.id not in ledger or corpus.urls[c.id] not in ledger[c.id].urls
    )


def updated(ledger: dict[str, Entry], corpus: Corpus) -> str:
    """The ledger text with every current URL added; nothing is ever removed."""
    entries = {k: Entry(v.id, v.published, list(v.urls), v.replaced_by) for k, v in ledger.items()}
    for case in (*corpus.cases, *corpus.answers):
        entry = entries.setdefault(case.id, Entry(case.id, _published(case)))
        if corpus.urls[case.id] not in entry.urls:
            entry.urls.append(corpus.urls[case.id])
    out = [HEADER]
    for case_id in sorted(entries):
        entry = entries[case_id]
        out.append(f"{case_id}:\n  gepubliceerd: {entry.published}\n")
        if entry.replaced_by:
            out.append(f"  vervangen_door: {entry.replaced_by}\n")
        out.append("  adressen:\n" + "".join(f"    - {u}\n" for u in entry.urls))
    return "".join(out)
