"""The reader's ways in: the template data of the home page (obstacles grouped by their
main theme, topics, the province map), the entries per facet, and a network's facts with
its public contact.

A term without cases is never a link here: a reader who follows a link finds cases.
"""

from __future__ import annotations

from typing import Any

from kb_tools.enrich.corpus import Corpus
from kb_tools.facets import FACETS, UNKNOWN
from kb_tools.model import Network
from kb_tools.render import nl_map
from kb_tools.urls import safe_href, term_url

#: The vocabulary whose terms group the obstacles; a term of ``knelpunten`` names its
#: group in ``hoofdthema``.
OBSTACLES = "knelpunten"
OBSTACLE_GROUPS = "knelpuntthema"
TOPICS = "thema"
#: How many of the newest cases the home page shows.
HOME_NEWEST = 4


def term_links(corpus: Corpus, facet: str) -> list[dict[str, Any]]:
    """The terms of a facet that have cases, in the vocabulary's order, with their count."""
    if facet not in corpus.facets:
        return []
    found = corpus.facets[facet]
    return [
        {
            "id": t.id,
            "label": t.label,
            "count": len(found.get(t.id, ())),
            "url": term_url(facet, t.id),
            "group": t.extra.get("hoofdthema") or "",
        }
        for t in corpus.vocabulary(facet).terms
        if t.id != UNKNOWN and found.get(t.id)
    ]


def obstacle_groups(corpus: Corpus) -> list[dict[str, Any]]:
    """The obstacles with cases, grouped by their main theme (in that vocabulary's order);
    one untitled group when the obstacles name no main theme."""
    terms = term_links(corpus, OBSTACLES)
    groups_vocab = corpus.registry.vocabularies.get(OBSTACLE_GROUPS)
    if groups_vocab is None or not any(t["group"] for t in terms):
        return [{"label": "", "terms": terms}] if terms else []
    groups = [
        {"label": g.label, "terms": [t for t in terms if t["group"] == g.id]}
        for g in groups_vocab.terms
    ]
    known = {g.id for g in groups_vocab.terms}
    rest = [t for t in terms if t["group"] not in known]
    if rest:
        groups.append({"label": "Overig", "terms": rest})
    return [g for g in groups if g["terms"]]


def province_map(corpus: Corpus) -> dict[str, Any]:
    """The provinces on the map: outline, label position, count, shade; a link only when
    the province has cases."""
    counts = {t: len(cs) for t, cs in corpus.facets.get("provincie", {}).items()}
    highest = max(counts.values(), default=0) or 1
    provinces = []
    for pid, path in nl_map.PROVINCES.items():
        term = corpus.vocabulary("provincie").get(pid)
        count = counts.get(pid, 0)
        provinces.append(
            {
                "id": pid,
                "label": term.label if term else pid,
                "path": path,
                "x": nl_map.LABELS[pid][0],
                "y": nl_map.LABELS[pid][1],
                "count": count,
                "level": 0 if count == 0 else 1 + min(3, (4 * count - 1) // highest),
                "url": term_url("provincie", pid) if count else "",
            }
        )
    national = counts.get("landelijk", 0)
    return {
        "viewbox": nl_map.VIEWBOX,
        "provinces": provinces,
        "national": national,
        "national_url": term_url("provincie", "landelijk") if national else "",
    }


def home_data(corpus: Corpus, cards: dict[str, dict]) -> dict[str, Any]:
    return {
        "counts": {
            "cases": len(corpus.cases),
            "networks": sum(1 for cs in corpus.by_network.values() if cs),
            "places": len({c.meta.get("plaats") for c in corpus.cases}),
        },
        "obstacles": obstacle_groups(corpus),
        "topics": term_links(corpus, TOPICS),
        "newest": [cards[c.id] for c in corpus.cases[:HOME_NEWEST]],
        "facets": facet_entries(corpus),
        "map": province_map(corpus),
    }


def facet_entries(corpus: Corpus) -> list[dict[str, Any]]:
    """The entry points per facet, for the home page and the Bladeren hub."""
    return [
        {
            "url": f"{facet.name}/",
            "title": facet.title,
            "question": facet.question,
            "used": sum(1 for cases in corpus.facets[facet.name].values() if cases),
            "terms": len(corpus.facets[facet.name]),
        }
        for facet in FACETS
        if facet.name in corpus.facets
    ]


def network_contact(network: Network) -> dict[str, str]:
    """The network's public contact as links; an address that may not be a link is left
    out (validation reported it already)."""
    email = safe_href(f"mailto:{network.email}") if network.email else ""
    return {
        "website": safe_href(network.website),
        "email": network.email if email else "",
        "email_href": email,
        "page": safe_href(network.contact_page),
    }


def network_info(corpus: Corpus, network: Network, count: int) -> dict[str, Any]:
    """A network's facts for its page and the list of networks."""
    found = corpus.facets.get("provincie", {})
    provinces = [
        {
            "label": p.label,
            "url": term_url("provincie", p.id) if found.get(p.id) else "",
        }
        for p in (corpus.vocabulary("provincie").get(pid) for pid in network.provinces)
        if p is not None
    ]
    return {
        "id": network.id,
        "name": network.name,
        "region": network.region,
        "description": network.description,
        "prefix": network.prefix,
        "maintainers": list(network.maintainers),
        "provinces": provinces,
        "count": count,
        "url": f"netwerken/{network.id}/",
        "contact": network_contact(network),
    }
