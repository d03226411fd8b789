"""Every generated page of the site as a ``PageSpec``: where it lives, its title, the
template that draws it, its Markdown body and its template data.

Lists are paginated so that no page grows with the corpus; case pages are kept out
of the navigation, so a case page stays the same size however many cases exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kb_tools import facets
from kb_tools.dutch import QUERY_FILLER, STOP_WORDS, fold, synonym_map
from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.links import resolve_links
from kb_tools.enrich.similarity import Match
from kb_tools.facets import ANSWER_FACETS, FACETS, NETWORK_FILTER, SEARCH_FILTERS, UNKNOWN
from kb_tools.render.home import facet_entries, home_data, network_info
from kb_tools.render.reuse import Reuse
from kb_tools.render.views import answer_card, answer_view, card, case_view, dutch_date
from kb_tools.urls import item_src, safe_href, term_url

PER_PAGE = 50
NEWEST = 20
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})  # kb bekijk, mkdocs.yml's default


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    template: str
    markdown: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def url_of(src_uri: str) -> str:
    """The directory URL MkDocs gives a source path: a/b.md -> a/b/, a/index.md -> a/."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _page_suffix(pager: dict) -> str:
    return f" (pagina {pager['number']})" if pager["number"] > 1 else ""


def _paginate(base_src: str, items: list[Any]) -> Iterator[tuple[str, list[Any], dict]]:
    """(src_uri, items on this page, pager data) for a list split in pages of PER_PAGE."""
    total = max(1, -(-len(items) // PER_PAGE))
    base_url = url_of(base_src)
    for number in range(1, total + 1):
        src = base_src if number == 1 else f"{base_src[: -len('.md')]}/{number}.md"

        def page_url(n: int) -> str:
            return base_url if n == 1 else f"{base_url}{n}/"

        pager = {
            "number": number,
            "total": total,
            "previous": page_url(number - 1) if number > 1 else "",
            "next": page_url(number + 1) if number < total else "",
        }
        yield src, items[(number - 1) * PER_PAGE : number * PER_PAGE], pager


def case_markdown(corpus: Corpus) -> dict[str, str]:
    """The body of every case and answer page: its Markdown with [[id]] links made page
    links."""
    return {
        item.id: resolve_links(item.body, item_src(item), corpus)
        for item in (*corpus.cases, *corpus.answers)
    }


def case_cards(corpus: Corpus, reuse: Reuse | None = None) -> dict[str, dict[str, Any]]:
    """One card per case, shared by every list it appears in (a case is in ~10 lists)."""
    if reuse is None:
        return {c.id: card(c, corpus) for c in corpus.cases}
    old, touched = reuse.cards, reuse.touched
    return {
        c.id: old[c.id] if c.id in old and c.id not in touched else card(c, corpus)
        for c in corpus.cases
    }


def build_pages(
    corpus: Corpus,
    site_url: str = "",
    similar: dict[str, list[Match]] | None = None,
    markdown: dict[str, str] | None = None,
    cards: dict[str, dict[str, Any]] | None = None,
    reuse: Reuse | None = None,
) -> list[PageSpec]:
    """Every generated page. ``markdown``: case id -> body with links resolved, and
    ``cards`` (``case_cards``), when the caller has them already; ``reuse``: the case views
    of the previous build that a save did not touch (render.reuse)."""
    markdown = markdown if markdown is not None else case_markdown(corpus)
    cards = cards if cards is not None else case_cards(corpus, reuse)
    views, touched = (reuse.views, reuse.touched) if reuse else ({}, set())
    pages: list[PageSpec] = []
    for case in corpus.cases:
        src = item_src(case)
        view = views.get(case.id) if case.id not in touched else None
        pages.append(
            PageSpec(
                src_uri=src,
                title=case.title,
                template="casus.html",
                markdown=markdown[case.id],
                data={
                    "case": view
                    or case_view(case, corpus, site_url, cards, (similar or {}).get(case.id)),
                    "hide": ["toc"],  # the facts take the side column (casus.html)
                },
                description=case.summary,
            )
        )
    for answer in corpus.answers:
        pages.append(
            PageSpec(
                src_uri=item_src(answer),
                title=answer.title,
                template="antwoord.html",
                markdown=markdown[answer.id],
                data={
                    "answer": answer_view(answer, corpus, site_url, cards),
                    "hide": ["toc"],  # the facts take the side column (antwoord.html)
                },
                description=answer.summary,
            )
        )
    pages.append(_answers(corpus))
    pages.extend(_facet_pages(corpus, cards))
    pages.extend(_network_pages(corpus, cards))
    pages.append(_home(corpus, cards))
    pages.append(_browse(corpus))
    pages.append(_newest(corpus, cards))
    pages.append(_glossary(corpus))
    pages.append(_search(corpus, site_url))
    pages.append(
        PageSpec(
            src_uri="open-data.md",
            title="Open data",
            template="opendata.html",
            description="Alle casussen als JSON en CSV, de woordenlijsten en de nieuwsfeed.",
        )
    )
    return pages


def _facet_pages(corpus: Corpus, cards: dict[str, dict]) -> Iterator[PageSpec]:
    for spec in FACETS:
        facet = spec.name
        if facet not in corpus.facets:
            continue
        vocab = corpus.vocabulary(facet)
        title, question = spec.title, spec.question
        terms = [
            {
                "id": term.id,
                "label": term.label,
                "description": term.description,
                "count": len(corpus.facets[facet].get(term.id, ())),
                "url": term_url(facet, term.id),
            }
            for term in vocab.terms
        ]
        yield PageSpec(
            src_uri=f"{facet}/index.md",
            title=title,
            template="facet.html",
            data={"facet": facet, "question": question, "terms": terms, "vocabulary": vocab.name},
            description=f"{question} Alle casussen per {vocab.name.lower()}.",
        )
        for term in vocab.terms:
            cases = [cards[c.id] for c in corpus.facets[facet].get(term.id, ())]
            answers = [
                answer_card(a, corpus) for a in corpus.answer_facets.get(facet, {}).get(term.id, ())
            ]
            for src, items, pager in _paginate(f"{facet}/{term.id}.md", cases):
                yield PageSpec(
                    src_uri=src,
                    title=f"{term.label}" + _page_suffix(pager),
                    template="term.html",
                    data={
                        "facet": facet,
                        "facet_title": title,
                        "facet_url": f"{facet}/",
                        "browse_url": "bladeren/",
                        "term": {
                            "label": term.label,
                            "description": term.description,
                            "synonyms": list(term.synonyms),
                            "official": safe_href(term.extra.get("url")),
                            "official_title": term.extra.get("officiele_titel") or "",
                        },
                        "count": len(cases),
                        "cases": items,
                        "pager": pager,
                        # Helpdesk answers on this term, above the cases, on the first page.
                        "answers": answers if pager["number"] == 1 else [],
                    },
                    description=term.description,
                )


def _network_pages(corpus: Corpus, cards: dict[str, dict]) -> Iterator[PageSpec]:
    networks = []
    for network in corpus.registry.networks.values():
        cases = [cards[c.id] for c in corpus.by_network.get(network.id, ())]
        info = network_info(corpus, network, len(cases))
        networks.append(info)
        for src, items, pager in _paginate(f"netwerken/{network.id}.md", cases):
            yield PageSpec(
                src_uri=src,
                title=network.name + _page_suffix(pager),
                template="netwerk.html",
                data={"network": info, "cases": items, "pager": pager},
                description=network.description,
            )
    yield PageSpec(
        src_uri="netwerken/index.md",
        title="Netwerken",
        template="netwerken.html",
        data={"networks": networks},
        description="De regionale netwerken die casussen publiceren.",
    )


def _home(corpus: Corpus, cards: dict[str, dict]) -> PageSpec:
    """The home page starts from the reader's question: the obstacles, then the topics."""
    return PageSpec(
        src_uri="index.md",
        title="Praktijkvoorbeelden van zorgzame gemeenschappen",
        template="home.html",
        data=home_data(corpus, cards),
        description="Praktijkvoorbeelden van zorgcoöperaties, stadsdorpen en zorgzame dorpen: "
        "hoe zij problemen oplosten, wat werkte en wat niet.",
    )


def _facet_entries(corpus: Corpus) -> list[dict[str, Any]]:
    """The entry points per facet, for the home page and the Bladeren hub."""
    return facet_entries(corpus)


def _browse(corpus: Corpus) -> PageSpec:
    """One hub page for all facets: a short menu is cheaper on every page and easier to read."""
    return PageSpec(
        src_uri="bladeren.md",
        title="Bladeren",
        template="bladeren.html",
        data={"facets": _facet_entries(corpus)},
        description="Bekijk de casussen per thema, knelpunt, financiering, wet, rechtsvorm en meer.",
    )


def _newest(corpus: Corpus, cards: dict[str, dict]) -> PageSpec:
    return PageSpec(
        src_uri="nieuw.md",
        title="Nieuw",
        template="nieuw.html",
        data={
            "cases": [cards[c.id] for c in corpus.cases[:NEWEST]],
            "updated": dutch_date(corpus.cases[0].published) if corpus.cases else "",
        },
        description="De nieuwste casussen in de kennisbank.",
    )


def _glossary(corpus: Corpus) -> PageSpec:
    entries = []
    for vocab in corpus.registry.vocabularies.values():
        facet = vocab.id if vocab.id in corpus.facets else None
        for term in vocab.terms:
            if term.id == UNKNOWN:
                continue  # "not stated" needs no explanation
            entries.append(
                {
                    "label": term.label,
                    "description": term.description,
                    "synonyms": list(term.synonyms),
                    "vocabulary": vocab.name,
                    "url": term_url(facet, term.id) if facet else "",
                    "official": safe_href(term.extra.get("url")),
                    "official_title": term.extra.get("officiele_titel") or "",
                }
            )
    entries.sort(key=lambda e: e["label"].lower())
    letters: dict[str, list[dict]] = {}
    for entry in entries:
        letters.setdefault(entry["label"][:1].upper(), []).append(entry)
    return PageSpec(
        src_uri="begrippen.md",
        title="Begrippenlijst",
        template="begrippen.html",
        data={"letters": [{"letter": k, "entries": v} for k, v in letters.items()]},
        description="Uitleg van de woorden die in de kennisbank worden gebruikt.",
    )


def _search(corpus: Corpus, site_url: str = "") -> PageSpec:
    """The one search page: the browser asks the Pagefind index that the build wrote.
    The page carries the label of every filter value (the index holds term ids, which
    keep a sent link working when a label is reworded). With answers, a first filter
    "soort" narrows to cases or to answers (one choice, so radio buttons)."""
    registry = corpus.registry
    filters = [{"name": name, "heading": heading} for name, heading in SEARCH_FILTERS]
    kind, counts = facets.KIND_FILTER, (len(corpus.cases), len(corpus.answers))
    labels = {kind: dict(facets.KINDS)}
    totals = {kind: dict(zip(labels[kind], counts, strict=True))}
    if corpus.answers and corpus.cases:
        filters.insert(0, {"name": kind, "heading": "Casussen of helpdeskantwoorden", "one": True})
    for name, _ in SEARCH_FILTERS:
        if name == NETWORK_FILTER:
            labels[name] = {n.id: n.name for n in registry.networks.values()}
            totals[name] = {k: len(v) for k, v in corpus.by_network.items()}
        else:
            labels[name] = {t.id: t.label for t in registry.vocabularies[name].terms}
            totals[name] = {k: len(v) for k, v in corpus.facets.get(name, {}).items()}
    return PageSpec(
        src_uri="zoeken.md",
        title="Zoeken",
        template="zoeken.html",
        data={
            "filters": filters,
            "labels": labels,
            "totals": {k: {t: n for t, n in v.items() if n} for k, v in totals.items()},
            "synonyms": synonym_map(registry),
            # Words that never count against a case: the page leaves them out of a query.
            "ignore": sorted(QUERY_FILLER | {fold(w) for w in STOP_WORDS}),
            "cases": len(corpus.cases),
            "answers": len(corpus.answers),
            # "Kopieer link" in the results: the published address, never a loopback one.
            "site_url": "" if urlsplit(site_url).hostname in LOOPBACK else site_url,
            "hide": ["navigation", "toc"],
        },
        description="Zoek in alle casussen op woord, thema, rechtsvorm, financiering, wet, "
        "provincie en netwerk.",
    )


def not_found(corpus: Corpus) -> dict[str, Any]:
    """The data of the 404 page (MkDocs renders it without a page): the newest cases and
    the ways to browse."""
    return {"newest": [card(c, corpus) for c in corpus.cases[:5]], "facets": _facet_entries(corpus)}


def _answers(corpus: Corpus) -> PageSpec:
    """All helpdesk answers, newest first, and grouped by theme and by law."""
    groups = []
    for spec in ANSWER_FACETS:
        facet = spec.name
        vocab = corpus.vocabulary(facet)
        title = spec.title
        terms = [
            {
                "label": term.label,
                "url": term_url(facet, term.id),
                "answers": [answer_card(a, corpus) for a in corpus.answer_facets[facet][term.id]],
            }
            for term in vocab.terms
            if corpus.answer_facets.get(facet, {}).get(term.id)
        ]
        groups.append({"facet": facet, "title": title, "terms": terms})
    return PageSpec(
        src_uri="antwoorden/index.md",
        title="Helpdeskantwoorden",
        template="antwoorden.html",
        data={
            "answers": [answer_card(a, corpus) for a in corpus.answers],
            "groups": groups,
            "hide": ["toc"],
        },
        description="Antwoorden van helpdesks op vragen die initiatieven vaak stellen, met de "
        "casussen waar ze op steunen.",
    )
