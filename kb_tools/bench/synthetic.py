"""Deterministic synthetic corpora for benchmarks and scale tests.

``generate(content_dir, n)`` writes ``n`` valid cases that look like real ones:
Dutch text of typical length, the real vocabularies, a skewed spread of themes
and networks (a few are common, most are rare), and some cross references.
Never used for the published site; generated corpora stay out of the repository.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from kb_tools.facets import FACETS, UNKNOWN
from kb_tools.load.registry import copy_registry, load_registry
from kb_tools.model import Registry

_PLACES = (
    "Austerlitz Elsrijk Vinkeveen Lierop Ulft Rhenen Bilthoven Onderdijk Lunetten Overvecht "
    "Slotervaart Vleuten Hengelo Borne Winterswijk Dokkum Stadskanaal Emmen Venray Gulpen "
    "Mierlo Asten Zeist Baarn Soest Woerden Franeker Delfzijl Coevorden Tubbergen"
).split()
_SUBJECTS = (
    "de zorgcoöperatie",
    "het stadsdorp",
    "de buurtcoöperatie",
    "het dorp",
    "de werkgroep",
    "de vrijwilligers",
    "de bewoners",
    "het bestuur",
    "de dorpsondersteuner",
    "de vereniging",
)
_VERBS = (
    "organiseert",
    "regelt",
    "bespreekt",
    "onderzoekt",
    "zoekt",
    "start",
    "betaalt",
    "ondersteunt",
    "verbindt",
    "bouwt",
    "vraagt",
    "deelt",
)
_OBJECTS = (
    "een wekelijkse eettafel",
    "vervoer naar de huisarts",
    "een klussendienst",
    "huisbezoeken bij ouderen",
    "een informatiepunt in het dorpshuis",
    "steun voor mantelzorgers",
    "een subsidie van de gemeente",
    "een gesprek met de zorgverzekeraar",
    "een opdracht via Right to Challenge",
    "zorgwoningen voor ouderen",
    "een boodschappenbus",
    "een fonds voor de opstart",
    "afspraken over de Wmo",
    "de inzet van het pgb",
    "de contributie van leden",
    "een plek voor ontmoeting",
    "een cursus digitale vaardigheden",
)
_TAILS = (
    "samen met de gemeente",
    "zonder betaalde krachten",
    "na het einde van de pilot",
    "in overleg met de huisarts",
    "voor inwoners die alleen wonen",
    "met hulp van een fonds",
    "omdat de regels dat lastig maken",
    "in de eigen buurt",
    "met vrijwilligers uit het dorp",
)
_SECTIONS = ("Situatie", "Aanpak", "Wat werkte", "Wat werkte niet", "Resultaat", "Tips")


def _zipf_choice(rng: random.Random, items: Sequence[str], skew: float = 1.1) -> str:
    weights = [1 / (rank + 1) ** skew for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=1)[0]


def _sentence(rng: random.Random) -> str:
    text = (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
    )
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def generate(target: Path, n: int, source: Path = Path("content"), seed: int = 2018) -> Registry:
    """Write ``n`` synthetic cases into ``target`` (a content folder) and return its registry."""
    copy_registry(source, target)
    registry, _ = load_registry(target)
    rng = random.Random(seed)
    voc = {k: list(v.ids()) for k, v in registry.vocabularies.items()}
    for facet in FACETS:
        if facet.unknown:  # "not stated" is rare: last in the Zipf order
            voc[facet.name] = facet.stated(voc[facet.name]) + [UNKNOWN]
    networks = list(registry.networks.values())
    counters = {n.id: 0 for n in networks}
    written: list[str] = []
    for index in range(n):
        network = _zipf_choice(rng, networks, 0.8)  # type: ignore[arg-type]
        counters[network.id] += 1
        case_id = f"{network.prefix}-{counters[network.id]:04d}"
        place = rng.choice(_PLACES)
        themes = sorted({_zipf_choice(rng, voc["thema"]) for _ in range(rng.randint(1, 3))})
        money = sorted({_zipf_choice(rng, voc["financiering"]) for _ in range(rng.randint(1, 2))})
        if len(money) > 1 and UNKNOWN in money:
            money.remove(UNKNOWN)
        laws = sorted({_zipf_choice(rng, voc["wetgeving"]) for _ in range(rng.randint(0, 2))})
        obstacles = sorted({_zipf_choice(rng, voc["knelpunten"]) for _ in range(rng.randint(0, 2))})
        phase = _zipf_choice(rng, voc["fase"])
        province = network.provinces[0] if network.provinces else "landelijk"
        related = rng.sample(written, k=min(len(written), rng.choice((0, 0, 1, 2))))
        title = f"{_sentence(rng)[:-1]} in {place}"[:120]
        summary = _paragraph(rng, 2)[:400]
        body = []
        for section in _SECTIONS:
            body.append(f"## {section}\n\n{_paragraph(rng, rng.randint(3, 6))}\n")
            if related and section == "Aanpak":
                body.append(f"Zie ook [[{related[0]}]].\n")
        day = 1 + index % 28
        text = (
            "---\n"
            f"id: {case_id}\n"
            f'titel: "{title}"\n'
            f'samenvatting: "{summary}"\n'
            f"netwerk: {network.id}\n"
            f"initiatief: Initiatief {place} {index}\n"
            f"type: {_zipf_choice(rng, voc['type'])}\n"
            f"plaats: {place}\n"
            f"provincie: {province}\n"
            f"omgeving: {_zipf_choice(rng, voc['omgeving'])}\n"
            f"fase: {phase}\n"
            f"actief: {'nee' if phase == 'gestopt' else 'ja'}\n"
            f"thema: [{', '.join(themes)}]\n"
            f"knelpunten: [{', '.join(obstacles)}]\n"
            f"rechtsvorm: {_zipf_choice(rng, voc['rechtsvorm'])}\n"
            f"financiering: [{', '.join(money)}]\n"
            f"wetgeving: [{', '.join(laws)}]\n"
            "cijfers:\n"
            f"  - soort: vrijwilligers\n    waarde: {rng.randint(5, 200)}\n    jaar: 2024\n"
            f"gepubliceerd: 2025-{1 + index % 12:02d}-{day:02d}\n"
            "bronnen:\n  - document: actieprogramma-2018\n    deel: Synthetische casus\n"
            f"gerelateerd: [{', '.join(related)}]\n"
            "---\n\n" + "\n".join(body)
        )
        folder = target / "casussen" / network.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"casus-{index:05d}.md").write_text(text, encoding="utf-8")
        written.append(case_id)
    return registry
