"""The enriched corpus: cases with URLs, facets, networks and explicit relations."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..load import CASES_DIR
from ..model import Case, Network, Registry, Vocabulary

#: Vocabularies that readers browse by, in the order the site shows them.
FACETS = (
    "thema",
    "knelpunten",
    "financiering",
    "wetgeving",
    "rechtsvorm",
    "type",
    "provincie",
    "fase",
    "omgeving",
)


def case_src(case: Case) -> str:
    """Docs-relative source path of a case page: casussen/<netwerk>/<slug>.md."""
    path = case.path.replace("\\", "/")
    marker = f"{CASES_DIR}/"
    if path.startswith(marker):
        return path
    index = path.rfind(f"/{marker}")
    if index != -1:
        return path[index + 1 :]
    return f"{marker}{case.network}/{PurePosixPath(path).name}"


def case_url(case: Case) -> str:
    """Site-relative URL of a case page, with directory URLs: casussen/<netwerk>/<slug>/."""
    return case_src(case)[: -len(".md")] + "/"


@dataclass(frozen=True)
class Corpus:
    registry: Registry
    cases: tuple[Case, ...]  # newest first, then by id: the order of every list on the site
    by_id: dict[str, Case]
    urls: dict[str, str]
    facets: dict[str, dict[str, tuple[Case, ...]]]  # vocabulary -> term -> cases
    by_network: dict[str, tuple[Case, ...]]
    related: dict[str, tuple[Case, ...]] = field(default_factory=dict)

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
        target = case_src(self.by_id[case_id])
        return posixpath.relpath(target, posixpath.dirname(from_src) or ".")


def build_corpus(registry: Registry, cases: list[Case]) -> Corpus:
    ordered = tuple(sorted(cases, key=lambda c: (-c.published.toordinal(), c.id)))
    by_id = {c.id: c for c in ordered}
    facets: dict[str, dict[str, list[Case]]] = {}
    for facet in FACETS:
        vocab = registry.vocabularies.get(facet)
        if vocab is None:
            continue
        groups: dict[str, list[Case]] = {term.id: [] for term in vocab.terms}
        for case in ordered:
            value = case.meta.get(facet)
            for term in value if isinstance(value, list) else [value] if value else []:
                groups.setdefault(term, []).append(case)
        facets[facet] = groups
    by_network: dict[str, list[Case]] = {n: [] for n in registry.networks}
    for case in ordered:
        by_network.setdefault(case.network, []).append(case)
    related = {c.id: tuple(by_id[r] for r in c.links if r in by_id and r != c.id) for c in ordered}
    return Corpus(
        registry=registry,
        cases=ordered,
        by_id=by_id,
        urls={c.id: case_url(c) for c in ordered},
        facets={f: {t: tuple(cs) for t, cs in g.items()} for f, g in facets.items()},
        by_network={n: tuple(cs) for n, cs in by_network.items()},
        related=related,
    )
