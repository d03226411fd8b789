"""Index, records: what one case or helpdesk answer contributes to search, said once for
both engines (the site's Pagefind index and the whoosh index behind ``kb zoek``).

Term labels become search words, the search filters come from ``facets.SEARCH_FILTERS``
(plus ``facets.KIND_FILTER``: case or answer), and the byline says who published the item.
"""

from __future__ import annotations

from kb_tools.facets import FACETS, KIND_FILTER, KINDS, NETWORK_FILTER, SEARCH_FILTERS
from kb_tools.model import Answer, Case, Registry

KIND_CASE, KIND_ANSWER = (value for value, _ in KINDS)


def _terms(item: Case | Answer, name: str) -> list[str]:
    value = item.meta.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def term_labels(item: Case | Answer, registry: Registry, synonyms: bool = False) -> list[str]:
    """The labels of the item's terms, facet by facet ("not stated" left out), each with
    its synonyms when ``synonyms`` is set."""
    labels = []
    for facet in FACETS:
        vocab = registry.vocabularies.get(facet.name)
        for term_id in facet.stated(_terms(item, facet.name)) if vocab else ():
            term = vocab.get(term_id)
            if term is not None:
                labels.append(" ".join((term.label, *term.synonyms)) if synonyms else term.label)
    return labels


def filters(item: Case | Answer) -> dict[str, list[str]]:
    """Filter name -> the item's values. An answer has no network: it is found under its
    themes and laws, never under a network filter. Each item says its kind (``soort``:
    casus or antwoord), so a search can ask for only one of the two."""
    out = {name: _terms(item, name) for name, _ in SEARCH_FILTERS if name != NETWORK_FILTER}
    if isinstance(item, Answer):
        out[KIND_FILTER] = [KIND_ANSWER]
        return out
    out[NETWORK_FILTER] = [item.network]
    out[KIND_FILTER] = [KIND_CASE]
    return out


def byline(item: Case | Answer, registry: Registry) -> str:
    """Who published it: the network's name, or "Helpdeskantwoord (<role>)"."""
    if isinstance(item, Answer):
        role = registry.vocabularies.get("rol")
        answered_by = item.meta["beantwoord_door"]
        term = role.get(answered_by) if role else None
        return f"Helpdeskantwoord ({term.label if term else answered_by})"
    network = registry.networks.get(item.network)
    return network.name if network else item.network
