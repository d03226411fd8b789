"""The check of each kind of field (``schema.KINDS``): one function per kind in
``KIND_CHECKS``. A check adds findings to the run and stores the normalised value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from kb_tools.facets import UNKNOWN
from kb_tools.model import WARNING
from kb_tools.schema import (
    ACTIVE_VALUES,
    ANSWER_ID_PATTERN,
    CONTACT_KEYS,
    FIGURE_KEYS,
    ID_PATTERN,
    PERSONAL_CONTACT_KEYS,
    REVIEW_KEYS,
    SOURCE_KEYS,
    TEXT_MAX,
    Field,
)
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.textscan import personal_data
from kb_tools.urls import EMAIL_ADDRESS
from kb_tools.validate.run import VOCAB_FILE, Run, describe, number_text

# Linear: no start rescans another's run (each '[' stops at the next '[' or ']').
_MARKDOWN = re.compile(r"\*\*|__|\[[^\[\]]*\]\(|^#|`", re.M)
#: The largest figure without a 'maximum' of its own: more than any initiative counts.
MAX_FIGURE = 1_000_000_000

#: The check of one present field: the run, the field and its raw value.
KindCheck = Callable[[Run, Field, Any], None]


def check_text(run: Run, field: Field, value: Any) -> None:
    name = field.name
    key = (name,)
    text = run.text(key, value, name, field.max_length)
    for kind, _, found in personal_data(text or ""):
        run.add(
            key,
            "persoonsgegevens",
            f"'{name}' bevat een {kind} ({found[:3]}…).",
            "Zet geen persoonsgegevens in de kop. Noem de organisatie of een rol.",
        )
    if text is not None:
        if name == "samenvatting" and _MARKDOWN.search(text):
            run.add(
                key,
                "samenvatting-opmaak",
                "De samenvatting bevat opmaak (vet, links of kopjes).",
                "Schrijf de samenvatting als gewone tekst; opmaak hoort in het verhaal.",
                WARNING,
            )
        run.values[name] = text


def _id_check(pattern: re.Pattern[str], hint: str) -> KindCheck:
    """The check of an id that must match ``pattern``; ``hint`` shows the right form."""

    def check(run: Run, field: Field, value: Any) -> None:
        if not isinstance(value, str) or not pattern.match(value.strip()):
            run.add(
                (field.name,),
                "id-ongeldig",
                f"De id {describe(value)} heeft niet de goede vorm.",
                hint,
            )
        else:
            run.values[field.name] = value.strip()

    return check


check_id = _id_check(
    ID_PATTERN,
    "Schrijf het voorvoegsel van uw netwerk, een streepje en vier cijfers, bijvoorbeeld ams-0007.",
)
check_answer_id = _id_check(
    ANSWER_ID_PATTERN,
    "Een antwoord heeft hd-, een streepje en vier cijfers, bijvoorbeeld hd-0007.",
)


def check_network(run: Run, field: Field, value: Any) -> None:
    if isinstance(value, str) and value.strip() in run.v.registry.networks:
        run.values[field.name] = value.strip()
    else:
        hint = did_you_mean(run.v.network_suggester.close(str(value)))
        run.add(
            (field.name,),
            "netwerk-onbekend",
            f"Het netwerk {describe(value)} staat niet in het register.",
            (hint + " " if hint else "") + "Alle netwerken staan in content/netwerken.yml.",
        )


def check_term(run: Run, field: Field, value: Any) -> None:
    term = run.vocab_value((field.name,), value, field.vocabulary or "", field.name)
    if term:
        run.values[field.name] = term


def check_terms(run: Run, field: Field, value: Any) -> None:
    name = field.name
    items = run.as_list((name,), value, name)
    if items is None:
        return
    if field.required and not items:
        run.add(
            (name,),
            "veld-leeg",
            f"'{name}' moet minstens één waarde hebben.",
            f"Kies een of meer ids uit {VOCAB_FILE.format(field.vocabulary)}.",
        )
        return
    result: list[str] = []
    for index, item in enumerate(items):
        key = (name, index) if isinstance(value, list) else (name,)
        term = run.vocab_value(key, item, field.vocabulary or "", name)
        if term is None:
            continue
        if term in result:
            run.add(
                key,
                "waarde-dubbel",
                f"'{term}' staat twee keer in '{name}'.",
                "Laat de tweede weg.",
                WARNING,
            )
            continue
        result.append(term)
    if UNKNOWN in result and len(result) > 1:
        run.add(
            (name,),
            "onbekend-met-waarde",
            f"'{name}' heeft 'onbekend' én andere waarden.",
            "Haal 'onbekend' weg als u de waarde wel weet.",
            WARNING,
        )
    run.values[name] = result


def check_date(run: Run, field: Field, value: Any) -> None:
    parsed = run.date_value((field.name,), value, field.name)
    if parsed:
        run.values[field.name] = parsed


def check_active(run: Run, field: Field, value: Any) -> None:
    name = field.name
    if isinstance(value, bool):
        run.values[name] = "ja" if value else "nee"
    elif isinstance(value, str) and value.strip().lower() in ACTIVE_VALUES:
        run.values[name] = value.strip().lower()
    else:
        run.add(
            (name,),
            "waarde-onbekend",
            f"'{name}' moet ja, nee of onbekend zijn, niet {describe(value)}.",
            f"Schrijf '{name}: ja', '{name}: nee' of '{name}: onbekend'.",
        )


def check_case_ids(run: Run, field: Field, value: Any) -> None:
    name = field.name
    items = run.as_list((name,), value, name)
    if items is None:
        return
    result: list[str] = []
    for index, item in enumerate(items):
        key = (name, index)
        if not isinstance(item, str) or not ID_PATTERN.match(item.strip()):
            run.add(
                key,
                "id-ongeldig",
                f"{describe(item)} is geen casusnummer.",
                "Een casusnummer ziet eruit als ams-0007.",
            )
            continue
        if item.strip() not in result:
            result.append(item.strip())
    run.values[name] = result


def check_figures(run: Run, field: Field, value: Any) -> None:
    name = field.name
    items = run.as_list((name,), value, name)
    if items is None:
        return
    result = []
    today = run.v.today
    for index, item in enumerate(items):
        key = (name, index)
        entry = run.mapping(key, item, name, FIGURE_KEYS)
        if entry is None:
            continue
        ok = True
        for required in ("soort", "waarde", "jaar"):
            if required not in entry:
                ok = False
                run.add(
                    key,
                    "veld-ontbreekt",
                    f"Kengetal {index + 1} mist '{required}'.",
                    "Elk kengetal heeft soort, waarde en jaar.",
                )
        kind = run.vocab_value((*key, "soort"), entry.get("soort"), "kengetallen", "soort")
        amount = entry.get("waarde")
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            if "waarde" in entry:
                run.add(
                    (*key, "waarde"),
                    "veld-type",
                    f"De waarde van kengetal {index + 1} is geen getal ({describe(amount)}).",
                    "Schrijf alleen cijfers, zonder punt, spatie of euroteken: 147500.",
                )
            ok = False
        elif not _plausible(run, key, index, kind, amount):
            ok = False
        year = entry.get("jaar")
        if isinstance(year, bool) or not isinstance(year, int) or not (1900 <= year <= today.year):
            if "jaar" in entry:
                run.add(
                    (*key, "jaar"),
                    "veld-type",
                    f"Het jaar van kengetal {index + 1} is ongeldig ({describe(year)}).",
                    f"Schrijf een jaartal van vier cijfers, niet later dan {today.year}.",
                )
            ok = False
        note = None
        if "toelichting" in entry:
            note = run.text((*key, "toelichting"), entry["toelichting"], "toelichting", TEXT_MAX)
        if ok and kind:
            result.append({"soort": kind, "waarde": amount, "jaar": year, "toelichting": note})
    run.values[name] = result


def _plausible(run: Run, key: tuple, index: int, kind: str | None, amount: float) -> bool:
    """A figure is a finite number between 0 and the most its kind can be (the term's
    'maximum' in kengetallen.yml, else MAX_FIGURE): no .inf, .nan or 1e400."""
    term = run.v.registry.vocabularies.get("kengetallen")
    term = term.get(kind) if term and kind else None
    highest = term.extra.get("maximum") if term else None
    highest = highest if isinstance(highest, int | float) else MAX_FIGURE
    if math.isfinite(amount) and 0 <= amount <= highest:
        return True
    shown = "geen eindig getal" if not math.isfinite(amount) else describe(amount)
    run.add(
        (*key, "waarde"),
        "waarde-onmogelijk",
        f"De waarde van kengetal {index + 1} kan niet kloppen ({shown}).",
        f"Schrijf een getal van 0 tot en met {number_text(highest)}, alleen cijfers.",
    )
    return False


def check_sources(run: Run, field: Field, value: Any) -> None:
    name = field.name
    items = run.as_list((name,), value, name)
    if items is None:
        return
    sources = run.v.registry.sources
    result = []
    for index, item in enumerate(items):
        key = (name, index)
        entry = run.mapping(key, item, name, SOURCE_KEYS)
        if entry is None:
            continue
        source: dict[str, Any] = {}
        if "document" in entry:
            doc_id = entry["document"]
            if isinstance(doc_id, str) and doc_id in sources:
                source["document"] = doc_id
            else:
                hint = did_you_mean(Suggester({s: s for s in sources}).close(str(doc_id)))
                run.add(
                    (*key, "document"),
                    "bron-onbekend",
                    f"Het document {describe(doc_id)} staat niet in content/bronnen.yml.",
                    (hint + " " if hint else "") + "Voeg het document eerst toe aan bronnen.yml.",
                )
        elif "titel" not in entry:
            run.add(
                key,
                "veld-ontbreekt",
                f"Bron {index + 1} heeft geen 'document' en geen 'titel'.",
                "Noem een document uit content/bronnen.yml, of een titel met een url.",
            )
        for sub in ("deel", "titel"):
            if sub in entry:
                text = run.text((*key, sub), entry[sub], sub, TEXT_MAX)
                if text:
                    source[sub] = text
        if "url" in entry:
            url = run.url((*key, "url"), entry["url"], allow_mailto=False)
            if url:
                source["url"] = url
        result.append(source)
    run.values[name] = result


def check_contact(run: Run, field: Field, value: Any) -> None:
    name = field.name
    entry = run.mapping((name,), value, name, CONTACT_KEYS)
    if entry is None:
        return
    contact: dict[str, Any] = {}
    consent = None
    if "toestemming" in entry:
        consent = run.date_value((name, "toestemming"), entry["toestemming"], "toestemming")
        contact["toestemming"] = consent
    personal = [k for k in PERSONAL_CONTACT_KEYS if entry.get(k)]
    if personal and consent is None:
        run.add(
            (name,),
            "contact-toestemming",
            f"Het contact noemt {', '.join(personal)} zonder datum van toestemming.",
            "Vraag de persoon om toestemming en zet de datum bij 'toestemming', "
            "of haal de persoonsgegevens weg.",
        )
    for sub in ("organisatie", "naam", "telefoon"):
        if sub in entry:
            text = run.text((name, sub), entry[sub], sub, TEXT_MAX)
            if text:
                contact[sub] = text
    if "email" in entry:
        email = entry["email"]
        if not isinstance(email, str) or not EMAIL_ADDRESS.fullmatch(email.strip()):
            run.add(
                (name, "email"),
                "veld-type",
                f"{describe(email)} is geen geldig e-mailadres.",
                "Schrijf het als naam@voorbeeld.nl.",
            )
        else:
            contact["email"] = email.strip()
    if "website" in entry:
        url = run.url((name, "website"), entry["website"], allow_mailto=False)
        if url:
            contact["website"] = url
    run.values[name] = contact


def check_review(run: Run, field: Field, value: Any) -> None:
    name = field.name
    entry = run.mapping((name,), value, name, REVIEW_KEYS)
    if entry is None:
        return
    review: dict[str, Any] = {}
    for required in REVIEW_KEYS:
        if required not in entry:
            run.add(
                (name,),
                "veld-ontbreekt",
                f"'{name}' mist '{required}'.",
                "Noem wie de casus nakeek ('door') en wanneer ('datum').",
            )
    if "datum" in entry:
        review["datum"] = run.date_value((name, "datum"), entry["datum"], "datum")
    if "door" in entry:
        reviewer = entry["door"]
        network = run.v.registry.networks.get(str(run.meta.get("netwerk", "")))
        if not isinstance(reviewer, str) or not reviewer.strip():
            run.add((name, "door"), "veld-type", "'door' moet een naam zijn.", "")
        elif network and reviewer.strip() not in network.maintainers:
            run.add(
                (name, "door"),
                "controle-door",
                f"'{reviewer}' is geen beheerder van netwerk {network.name}.",
                f"Beheerders zijn: {', '.join(network.maintainers)}. "
                "Staat u er niet bij? Vraag het netwerk u toe te voegen in content/netwerken.yml.",
            )
        else:
            review["door"] = reviewer.strip()
    run.values[name] = review


#: One check per kind in ``schema.KINDS``; tests/test_kinds.py keeps the two in step.
KIND_CHECKS: dict[str, KindCheck] = {
    "text": check_text,
    "id": check_id,
    "answer_id": check_answer_id,
    "network": check_network,
    "term": check_term,
    "terms": check_terms,
    "date": check_date,
    "active": check_active,
    "case_ids": check_case_ids,
    "figures": check_figures,
    "sources": check_sources,
    "contact": check_contact,
    "review": check_review,
}
