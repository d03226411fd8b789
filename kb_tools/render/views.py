"""Template data: plain dicts with every label and URL resolved, so templates stay dumb.

URLs are site-relative ("thema/vervoer/"); templates pass them through MkDocs' ``url``
filter, which makes them relative to the page being rendered.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from kb_tools.enrich.corpus import Corpus
from kb_tools.facets import ANSWER_FACETS, FACETS, UNKNOWN
from kb_tools.model import Answer, Case, Network
from kb_tools.urls import (
    absolute,
    network_url,
    safe_href,
    scheme_of,
    short_link,
    term_url,
)

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

#: Only what the source says: "onbekend" is left out of the facts (and named once as
#: what the source does not tell).
ACTIVE_LABEL = {"ja": "Ja, nog actief", "nee": "Nee, gestopt"}
#: How many items the one list "Vergelijkbare oplossingen" of a case page holds at most.
SOLUTIONS = 8
#: How many shared traits each similar case names: the most telling ones.
REASONS = 2


def dutch_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def citation(title: str, by: str) -> str:
    """One line to cite a page in an e-mail, before its link: "Titel. Netwerk."."""
    end = "" if title.rstrip().endswith((".", "?", "!")) else "."
    return f"{title.rstrip()}{end} {by}."


def number(value: float) -> str:
    """Dutch thousands separator: 147500 -> 147.500."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.2f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def card(case: Case, corpus: Corpus) -> dict[str, Any]:
    """The short form of a case used in lists: title, place, network, summary."""
    network = corpus.registry.networks.get(case.network)
    province = corpus.vocabulary("provincie").get(case.meta.get("provincie", ""))
    return {
        "id": case.id,
        "title": case.title,
        "url": corpus.urls[case.id],
        "summary": case.summary,
        "place": case.meta.get("plaats", ""),
        "province": province.label if province else "",
        "network": network.name if network else case.network,
        "published": dutch_date(case.published),
        "published_iso": case.published.isoformat(),
    }


def case_view(
    case: Case,
    corpus: Corpus,
    site_url: str,
    cards: dict[str, dict] | None = None,
    similar: list | None = None,
    top: int = SOLUTIONS,
) -> dict[str, Any]:
    """Everything the case page template shows; ``cards`` reuses precomputed case cards,
    ``similar`` are similarity matches. Explicit relations, helpdesk answers that cite the
    case and similar cases make one list (``solutions``)."""
    cards = cards if cards is not None else {}
    meta = case.meta
    facets, missing = [], []
    for facet in FACETS:
        if not facet.on_card:
            continue
        field = facet.name
        vocab = corpus.registry.vocabularies.get(field)
        terms = corpus.terms_of(case, field)
        if vocab is None:
            continue
        if facet.unknown and not facet.stated(terms):
            missing.append(facet.heading.lower())  # said once, in words, not as a chip
        items = [_term(field, vocab.get(t)) for t in facet.stated(terms) if vocab.get(t)]
        if items:
            facets.append({"field": field, "heading": facet.heading, "terms": items})
    if meta.get("actief", UNKNOWN) not in ACTIVE_LABEL:
        missing.append("of het initiatief nog actief is")
    network = corpus.network(case.network)
    province = corpus.vocabulary("provincie").get(meta["provincie"])
    figures = []
    units = corpus.registry.vocabularies.get("kengetallen")
    for figure in meta.get("cijfers", []):
        term = units.get(figure["soort"]) if units else None
        euro = bool(term and term.extra.get("eenheid") == "euro")
        figures.append(
            {
                "label": term.label if term else figure["soort"],
                "value": ("€ " if euro else "") + number(figure["waarde"]),
                "year": figure["jaar"],
                "note": figure.get("toelichting") or "",
            }
        )
    review = meta.get("controle")
    contact = meta.get("contact") or {}  # already public (enrich.privacy)
    base = cards.get(case.id) or card(case, corpus)
    by_field = {f["field"]: f for f in facets}
    kind = by_field.get("type")
    return {
        **base,
        "initiative": meta.get("initiatief", ""),
        "network_url": network_url(network.id),
        "province_url": term_url("provincie", meta["provincie"]),
        "province": province.label if province else meta["provincie"],
        "facets": facets,
        "kind": kind["terms"][0]["label"] if kind else "",
        "themes": [t["label"] for t in by_field.get("thema", {"terms": []})["terms"]],
        "missing": dutch_list(missing),
        "active": ACTIVE_LABEL.get(meta.get("actief", ""), ""),
        "updated": dutch_date(case.updated),
        "last_changed": dutch_date(case.updated or case.published),
        "last_changed_iso": (case.updated or case.published).isoformat(),
        "figures": figures,
        "sources": source_views(meta, corpus),
        "solutions": case_solutions(case, corpus, cards, similar or [], top),
        "review": {
            "by": reviewer(review.get("door", ""), network.name),
            "date": dutch_date(review.get("datum")),
            "date_iso": review["datum"].isoformat() if review.get("datum") else "",
        }
        if review
        else None,
        "contact": {k: safe_href(v) if k == "website" else v for k, v in contact.items()},
        "contact_mailto": safe_href(f"mailto:{contact['email']}") if contact.get("email") else "",
        "network_contact": network_contact(network),
        "short_link": short_link(case.id),
        "short_link_absolute": absolute(site_url, short_link(case.id)),
        "citation": citation(case.title, network.name),
        "jsonld": json_ld(case, corpus, site_url),
    }


def _term(field: str, term: Any) -> dict[str, Any]:
    return {
        "label": term.label,
        "url": term_url(field, term.id),
        "official": safe_href(term.extra.get("url")),
        "official_title": term.extra.get("officiele_titel") or "",
    }


def dutch_list(items: list[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def reviewer(handle: str, network: str) -> str:
    """Who checked a case, as a resident reads it: a GitHub team of the network is its
    editors ("de redactie van Amsterdamse Stadsdorpen"), an account its name."""
    handle = handle.strip()
    if handle.startswith("@") and "/" in handle:
        return f"de redactie van {network}"
    return f"{handle.lstrip('@')} ({network})" if handle else f"het netwerk {network}"


def network_contact(network: Network) -> dict[str, str]:
    """The network's public ways to reach it; only addresses that may be links."""
    email = safe_href(f"mailto:{network.email}") if network.email else ""
    return {
        "name": network.name,
        "url": network_url(network.id),
        "website": safe_href(network.website),
        "email": network.email.strip() if email and network.email else "",
        "mailto": email,
        "contact_page": safe_href(network.contact_page),
    }


#: A page of this site as the helpdesk's page: "antwoorden/" (no scheme, no "..").
_SITE_PATH = re.compile(r"(?:[a-z0-9][a-z0-9-]*/)+", re.ASCII)


def helpdesk_view(config: Any) -> dict[str, str] | None:
    """The helpdesk of ``mkdocs.yml`` (``extra: helpdesk: naam, email, pagina``) as the
    pages show it: ``page`` an http(s) address, or ``path`` a page of this site
    ("antwoorden/", through the ``url`` filter); an e-mail only when it is one. None
    when the site has no helpdesk to point to."""
    if not isinstance(config, dict):
        return None
    name = str(config.get("naam") or "").strip()
    page = str(config.get("pagina") or "").strip()
    email = str(config.get("email") or "").strip()
    mailto = safe_href(f"mailto:{email}") if email else ""
    view = {
        "name": name or "de helpdesk",
        "page": safe_href(page) if scheme_of(page) else "",
        "path": page if _SITE_PATH.fullmatch(page) else "",
        "email": email if mailto else "",
        "mailto": mailto,
    }
    return view if view["page"] or view["path"] or view["mailto"] else None


def _solution(base: dict[str, Any], kind: str, reasons: list[str]) -> dict[str, Any]:
    return {
        "id": base["id"],
        "title": base["title"],
        "url": base["url"],
        "kind": kind,
        "where": " · ".join(p for p in (base["place"], base["network"]) if p),
        "summary": base["summary"],
        "reasons": reasons,
    }


def case_solutions(
    case: Case, corpus: Corpus, cards: dict[str, dict], similar: list, top: int = SOLUTIONS
) -> list[dict[str, Any]]:
    """One list "Vergelijkbare oplossingen": the cases this case names, the helpdesk
    answers that name it and similar cases, each once, with why it is listed. At most
    ``top``: a few of each kind first, then the rest in that order."""
    matches = {m.case_id: m for m in similar if m.case_id in corpus.by_id}

    def case_item(other: Case, why: list[str]) -> dict[str, Any]:
        base = cards.get(other.id) or card(other, corpus)
        shared = list(matches[other.id].reasons[:REASONS]) if other.id in matches else []
        return _solution(base, "Casus", why + shared)

    named = [case_item(r, ["Genoemd in deze casus"]) for r in corpus.related.get(case.id, ())]
    answers = [
        _solution(
            answer_card(a, corpus), "Helpdeskantwoord", ["Helpdeskantwoord dat deze casus noemt"]
        )
        for a in corpus.cited_by.get(case.id, ())
    ]
    seen = {item["id"] for item in named}
    alike = [
        case_item(corpus.by_id[i], [])
        for i, m in matches.items()
        if i not in seen and i != case.id and m.reasons
    ]
    return _with_reason(_take(top, (named, 4), (answers, 2), (alike, top)))


def _with_reason(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item's reasons as one sentence: "Genoemd in deze casus; zelfde wet: Wmo 2015"."""
    for item in items:
        text = "; ".join(item["reasons"])
        item["reason"] = text[:1].upper() + text[1:]
    return items


def _take(top: int, *groups: tuple[list, int]) -> list:
    """Up to ``top`` items: at most ``quota`` of each group first, then the rest in order."""
    first = [item for items, quota in groups for item in items[:quota]]
    rest = [item for items, quota in groups for item in items[quota:]]
    ordered = first[:top] + rest[: max(top - len(first), 0)]
    # Keep the kinds together, in the order of the groups.
    position = {id(item): i for i, item in enumerate(x for items, _ in groups for x in items)}
    return sorted(ordered, key=lambda item: position[id(item)])


def source_views(meta: dict[str, Any], corpus: Corpus) -> list[dict[str, Any]]:
    """The 'bronnen' of a case or answer, with the registered documents filled in; parts
    of one document are one entry ("Delen: 2.1 ...; Bijlage ...")."""
    sources: dict[tuple, dict[str, Any]] = {}
    for source in meta.get("bronnen", []):
        document = corpus.registry.sources.get(source.get("document", ""))
        view = {
            "title": document.title if document else source.get("titel", ""),
            "publisher": document.publisher if document else "",
            "year": document.year if document else None,
            "url": safe_href((document.url if document else None) or source.get("url", "")),
            "file": document.file if document else "",
        }
        entry = sources.setdefault(tuple(view.values()), {**view, "parts": []})
        if source.get("deel") and source["deel"] not in entry["parts"]:
            entry["parts"].append(source["deel"])
    return [
        {**entry, "part": "; ".join(entry["parts"]), "many": len(entry["parts"]) > 1}
        for entry in sources.values()
    ]


def answer_card(answer: Answer, corpus: Corpus) -> dict[str, Any]:
    """An answer in a list: the card macro shows who answered and when."""
    role = corpus.registry.vocabularies.get("rol")
    term = role.get(answer.meta["beantwoord_door"]) if role else None
    return {
        "id": answer.id,
        "title": answer.title,
        "url": corpus.urls[answer.id],
        "summary": answer.summary,
        "place": term.label if term else answer.meta["beantwoord_door"],
        "province": "",
        "network": dutch_date(answer.date),
    }


def answer_view(answer: Answer, corpus: Corpus, site_url: str, cards: dict[str, dict]) -> dict:
    """Everything the answer page shows: the question, the answer in short, its terms,
    and one list of the cases and answers it cites and the answers that cite it (an answer
    that does both is listed once)."""
    facets = []
    for facet in ANSWER_FACETS:
        field = facet.name
        vocab = corpus.registry.vocabularies.get(field)
        terms = [vocab.get(t) for t in answer.meta.get(field, [])] if vocab else []
        items = [_term(field, term) for term in terms if term is not None]
        if items:
            facets.append({"field": field, "heading": facet.heading, "terms": items})
    base = answer_card(answer, corpus)
    by_field = {f["field"]: f for f in facets}
    return {
        **base,
        "role": base["place"],
        "date": dutch_date(answer.date),
        "date_iso": answer.date.isoformat(),
        "updated": dutch_date(answer.updated),
        "last_changed": dutch_date(answer.updated or answer.date),
        "last_changed_iso": (answer.updated or answer.date).isoformat(),
        "question": answer.question,
        "facets": facets,
        "themes": [t["label"] for t in by_field.get("thema", {"terms": []})["terms"]],
        "cited": answer_cited(answer, corpus, cards),
        "sources": source_views(answer.meta, corpus),
        "short_link": short_link(answer.id),
        "short_link_absolute": absolute(site_url, short_link(answer.id)),
        "citation": citation(
            answer.title, f"Helpdeskantwoord van {base['place']}, {base['network']}"
        ),
    }


def answer_cited(answer: Answer, corpus: Corpus, cards: dict[str, dict]) -> list[dict]:
    """The cases and answers an answer names, then the answers that name it; an answer
    that is both is one item with both reasons."""
    items: dict[str, dict[str, Any]] = {}
    for i in answer.links:
        if i in corpus.by_id and i not in items:
            base = cards.get(i) or card(corpus.by_id[i], corpus)
            items[i] = _solution(base, "Casus", ["Genoemd in dit antwoord"])
        elif i in corpus.answers_by_id and i not in items and i != answer.id:
            other = answer_card(corpus.answers_by_id[i], corpus)
            items[i] = _solution(other, "Helpdeskantwoord", ["Genoemd in dit antwoord"])
    for citing in corpus.cited_by.get(answer.id, ()):
        if citing.id == answer.id:
            continue
        if citing.id in items:
            items[citing.id]["reasons"].append("noemt dit antwoord ook")
        else:
            other = answer_card(citing, corpus)
            items[citing.id] = _solution(other, "Helpdeskantwoord", ["Noemt dit antwoord"])
    # Cases first: they are what the answer rests on.
    return _with_reason(sorted(items.values(), key=lambda item: item["kind"] != "Casus"))


def json_ld(case: Case, corpus: Corpus, site_url: str) -> str:
    """schema.org Article data, safe to place inside a <script> element."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    network = corpus.network(case.network)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "identifier": case.id,
        "headline": case.title,
        "description": case.summary,
        "inLanguage": "nl",
        "datePublished": case.published.isoformat(),
        "publisher": {"@type": "Organization", "name": network.name},
        "contentLocation": {"@type": "Place", "name": case.meta.get("plaats", "")},
        "keywords": [
            t.label
            for facet in FACETS
            if facet.keyword
            for t in (
                corpus.vocabulary(facet.name).get(i)
                for i in facet.stated(corpus.terms_of(case, facet.name))
            )
            if t is not None
        ],
    }
    if case.updated:
        data["dateModified"] = case.updated.isoformat()
    if base:
        data["url"] = base + corpus.urls[case.id]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Inside <script>, "</script>" or "<!--" in a title would end or change the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
