"""Template data: plain dicts with every label and URL resolved, so templates stay dumb.

URLs are site-relative ("thema/vervoer/"); templates pass them through MkDocs' ``url``
filter, which makes them relative to the page being rendered.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kb_tools.enrich.corpus import Corpus
from kb_tools.facets import ANSWER_FACETS, FACETS, UNKNOWN
from kb_tools.model import Answer, Case
from kb_tools.urls import absolute, network_url, safe_href, short_link, term_url

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

ACTIVE_LABEL = {"ja": "Ja, nog actief", "nee": "Nee, gestopt", UNKNOWN: "Onbekend"}


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
    top: int = 5,
) -> dict[str, Any]:
    """Everything the case page template shows; ``cards`` reuses precomputed case cards,
    ``similar`` are similarity matches, of which explicit relations are left out."""
    cards = cards if cards is not None else {}
    related_ids = {r.id for r in corpus.related.get(case.id, ())}
    similar_view = []
    for match in similar or []:
        if match.case_id in related_ids or match.case_id not in corpus.by_id:
            continue
        base = cards.get(match.case_id) or card(corpus.by_id[match.case_id], corpus)
        similar_view.append(
            {
                "title": base["title"],
                "url": base["url"],
                "place": base["place"],
                "network": base["network"],
                "reason": match.reason_text(),
            }
        )
        if len(similar_view) == top:
            break
    meta = case.meta
    facets = []
    for facet in FACETS:
        if not facet.on_card:
            continue
        field = facet.name
        terms = corpus.terms_of(case, field)
        vocab = corpus.registry.vocabularies.get(field)
        if not terms or vocab is None:
            continue
        items = []
        for term_id in terms:
            term = vocab.get(term_id)
            if term is None:
                continue
            items.append(
                {
                    "label": term.label,
                    "url": term_url(field, term_id),
                    "official": safe_href(term.extra.get("url")),
                    "official_title": term.extra.get("officiele_titel") or "",
                    "unknown": not facet.stated([term_id]),
                }
            )
        facets.append({"field": field, "heading": facet.heading, "terms": items})
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
    sources = source_views(meta, corpus)
    review = meta.get("controle")
    contact = meta.get("contact") or {}  # already public (enrich.privacy)
    return {
        **(cards.get(case.id) or card(case, corpus)),
        "initiative": meta.get("initiatief", ""),
        "network_url": network_url(network.id),
        "province_url": term_url("provincie", meta["provincie"]),
        "province": province.label if province else meta["provincie"],
        "facets": facets,
        "active": ACTIVE_LABEL.get(meta.get("actief", ""), ""),
        "updated": dutch_date(case.updated),
        "figures": figures,
        "sources": sources,
        "related": [cards.get(r.id) or card(r, corpus) for r in corpus.related.get(case.id, ())],
        "similar": similar_view,
        "review": {
            "by": review.get("door", ""),
            "date": dutch_date(review.get("datum")),
        }
        if review
        else None,
        "contact": {k: safe_href(v) if k == "website" else v for k, v in contact.items()},
        "short_link": short_link(case.id),
        "short_link_absolute": absolute(site_url, short_link(case.id)),
        "citation": citation(case.title, network.name),
        "answers": [answer_card(a, corpus) for a in corpus.cited_by.get(case.id, ())],
        "jsonld": json_ld(case, corpus, site_url),
    }


def source_views(meta: dict[str, Any], corpus: Corpus) -> list[dict[str, Any]]:
    """The 'bronnen' of a case or answer, with the registered documents filled in."""
    sources = []
    for source in meta.get("bronnen", []):
        document = corpus.registry.sources.get(source.get("document", ""))
        sources.append(
            {
                "title": document.title if document else source.get("titel", ""),
                "publisher": document.publisher if document else "",
                "year": document.year if document else None,
                "part": source.get("deel", ""),
                "url": safe_href((document.url if document else None) or source.get("url", "")),
                "file": document.file if document else "",
            }
        )
    return sources


def answer_card(answer: Answer, corpus: Corpus) -> dict[str, Any]:
    """An answer in a list: the card macro shows who answered and when."""
    role = corpus.registry.vocabularies.get("rol")
    term = role.get(answer.meta["beantwoord_door"]) if role else None
    return {
        "title": answer.title,
        "url": corpus.urls[answer.id],
        "summary": answer.summary,
        "place": term.label if term else answer.meta["beantwoord_door"],
        "province": "",
        "network": dutch_date(answer.date),
    }


def answer_view(answer: Answer, corpus: Corpus, site_url: str, cards: dict[str, dict]) -> dict:
    """Everything the answer page shows: the question, the answer in short, its terms,
    the cases and answers it cites (with their summaries) and those that cite it."""
    facets = []
    for facet in ANSWER_FACETS:
        field = facet.name
        vocab = corpus.registry.vocabularies.get(field)
        terms = [vocab.get(t) for t in answer.meta.get(field, [])] if vocab else []
        items = [
            {
                "label": term.label,
                "url": term_url(field, term.id),
                "official": safe_href(term.extra.get("url")),
                "official_title": term.extra.get("officiele_titel") or "",
            }
            for term in terms
            if term is not None
        ]
        if items:
            facets.append({"field": field, "heading": facet.heading, "terms": items})
    cited_cases = [
        cards.get(i) or card(corpus.by_id[i], corpus) for i in answer.links if i in corpus.by_id
    ]
    cited_answers = [
        answer_card(corpus.answers_by_id[i], corpus)
        for i in answer.links
        if i in corpus.answers_by_id
    ]
    base = answer_card(answer, corpus)
    return {
        **base,
        "role": base["place"],
        "date": dutch_date(answer.date),
        "date_iso": answer.date.isoformat(),
        "updated": dutch_date(answer.updated),
        "question": answer.question,
        "facets": facets,
        "cases": cited_cases,
        "answers": cited_answers,
        "cited_by": [answer_card(a, corpus) for a in corpus.cited_by.get(answer.id, ())],
        "sources": source_views(answer.meta, corpus),
        "short_link": short_link(answer.id),
        "short_link_absolute": absolute(site_url, short_link(answer.id)),
        "citation": citation(
            answer.title, f"Helpdeskantwoord van {base['place']}, {base['network']}"
        ),
    }


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
