"""The enriched corpus: cases with URLs, facets, networks and explicit relations."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from kb_tools.enrich.privacy import public_case
from kb_tools.facets import ANSWER_FACETS, FACETS
from kb_tools.model import Answer, Case, Network, Registry, Vocabulary
from kb_tools.urls import item_src, item_url


@dataclass(frozen=True)
class Corpus:
    registry: Registry
    cases: tuple[Case, ...]  # newest first, then by id: the order of every list on the site
    by_id: dict[str, Case]
    urls: dict[str, str]
    facets: dict[str, dict[str, tuple[Case, ...]]]  # vocabulary -> term -> cases
    by_network: dict[str, tuple[Case, ...]]
    related: dict[str, tuple[Case, ...]] = field(default_factory=dict)
    answers: tuple[Answer, ...] = ()  # newest first, then by id
    answers_by_id: dict[str, Answer] = field(default_factory=dict)
    #: vocabulary (ANSWER_FACETS) -> term -> answers
    answer_facets: dict[str, dict[str, tuple[Answer, ...]]] = field(default_factory=dict)
    #: case or answer id -> the answers that cite it (backlinks)
    cited_by: dict[str, tuple[Answer, ...]] = field(default_factory=dict)

    def item(self, item_id: str) -> Case | Answer | None:
        """The case or answer with this id."""
        return self.by_id.get(item_id) or self.answers_by_id.get(item_id)

    def vocabulary(self, name: str) -> Vocabulary:
        return self.registry.vocabularies[name]

    def network(self, network_id: str) -> Network:
        return self.registry.networks[network_id]

    def terms_of(self, case: Case, facet: str) -> list[str]:
        value = case.meta.get(facet)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def relative(self, from_src: str, case_id: str) -> str:
        """A Markdown link target from one docs page to a case, as MkDocs resolves it."""
        item = self.item(case_id)
        assert item is not None, case_id
        target = item_src(item)
        return posixpath.relpath(target, posixpath.dirname(from_src) or ".")


def build_corpus(
    registry: Registry, cases: list[Case], answers: list[Answer] | tuple[Answer, ...] = ()
) -> Corpus:
    # Contact details are reduced to what may be published before anything reads them.
    public = (public_case(c) for c in cases)
    ordered = tuple(sorted(public, key=lambda c: (-c.published.toordinal(), c.id)))
    by_id = {c.id: c for c in ordered}
    facets: dict[str, dict[str, list[Case]]] = {
        facet.name: {term.id: [] for term in vocab.terms}
        for facet in FACETS
        if (vocab := registry.vocabularies.get(facet.name)) is not None
    }
    by_network: dict[str, list[Case]] = {n: [] for n in registry.networks}
    # One pass over the cases, each read once for all facets: at 10,000 cases a pass per
    # facet spent most of its time waiting for memory (each case's data is elsewhere).
    for case in ordered:
        meta = case.meta
        for name, groups in facets.items():
            value = meta.get(name)
            for term in value if isinstance(value, list) else [value] if value else []:
                groups.setdefault(term, []).append(case)
        by_network.setdefault(case.network, []).append(case)
    related = {c.id: tuple(by_id[r] for r in c.links if r in by_id and r != c.id) for c in ordered}
    answered = tuple(sorted(answers, key=lambda a: (-a.date.toordinal(), a.id)))
    answer_facets: dict[str, dict[str, tuple[Answer, ...]]] = {}
    for facet in ANSWER_FACETS:
        groups: dict[str, list[Answer]] = {}
        for answer in answered:
            for term in answer.meta.get(facet.name, []):
                groups.setdefault(term, []).append(answer)
        answer_facets[facet.name] = {k: tuple(v) for k, v in groups.items()}
    cited: dict[str, list[Answer]] = {}
    for answer in answered:
        for target in answer.links:
            cited.setdefault(target, []).append(answer)
    return Corpus(
        answers=answered,
        answers_by_id={a.id: a for a in answered},
        answer_facets=answer_facets,
        cited_by={k: tuple(v) for k, v in cited.items()},
        registry=registry,
        cases=ordered,
        by_id=by_id,
        urls={**{c.id: item_url(c) for c in ordered}, **{a.id: item_url(a) for a in answered}},
        facets={f: {t: tuple(cs) for t, cs in g.items()} for f, g in facets.items()},
        by_network={n: tuple(cs) for n, cs in by_network.items()},
        related=related,
    )
