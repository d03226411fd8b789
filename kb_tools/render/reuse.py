"""The case pages of the previous build, reused where a save changed nothing they show
(`kb bekijk`, kb_tools/mkdocs_plugin/serving.py).

A case page shows its own case, the registry's terms and networks, its similar cases, and
the cards of the cases and answers it lists ("Vergelijkbare oplossingen"). So after a save
its view is made again when the case itself changed, when its similar list changed, or when
it lists a case or answer that changed, was added or was removed; and every view is made again
when the registry changed or when this is the first build. Cards are reused the same way.
Everything else on the site (lists, term and network pages, home) is made again every time:
it costs little. tests/test_serve_incremental.py holds the result to a fresh build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.similarity import Match


@dataclass
class Reuse:
    """What ``build_pages`` may take over: the view and card of every case not ``touched``."""

    views: dict[str, dict[str, Any]]
    cards: dict[str, dict[str, Any]]
    touched: set[str]


@dataclass
class Memory:
    """What the last build was made from, to tell what the next one touched."""

    cases: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    similar: dict[str, list[Match]] = field(default_factory=dict)
    registry: Any = None
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    site_url: str | None = None

    def reuse(self, corpus: Corpus, similar: dict[str, list[Match]], site_url: str) -> Reuse | None:
        """What this build may reuse; None when it must make every case page."""
        if not self.views or self.site_url != site_url or self.registry != corpus.registry:
            return None
        cases = {c.id: c for c in corpus.cases}
        answers = {a.id: a for a in corpus.answers}
        changed = _changed(self.cases, cases) | _changed(self.answers, answers)
        touched = set(changed)
        touched.update(i for i in cases if self.similar.get(i) != similar.get(i))
        # Pages that listed a changed case or answer, and pages that list one now.
        for case_id, view in self.views.items():
            if any(item["id"] in changed for item in view.get("solutions", ())):
                touched.add(case_id)
        for case_id in cases:
            if any(r.id in changed for r in corpus.related.get(case_id, ())):
                touched.add(case_id)
            if any(a.id in changed for a in corpus.cited_by.get(case_id, ())):
                touched.add(case_id)
        return Reuse(self.views, self.cards, touched)

    def remember(
        self,
        corpus: Corpus,
        similar: dict[str, list[Match]],
        site_url: str,
        views: dict[str, dict[str, Any]],
        cards: dict[str, dict[str, Any]],
    ) -> None:
        self.cases = {c.id: c for c in corpus.cases}
        self.answers = {a.id: a for a in corpus.answers}
        self.similar, self.registry, self.site_url = similar, corpus.registry, site_url
        self.views, self.cards = views, cards

    def forget(self) -> None:
        self.views = {}


def _changed(before: dict[str, Any], now: dict[str, Any]) -> set[str]:
    """Ids added, removed, or with a different record."""
    return {i for i in before.keys() | now.keys() if before.get(i) != now.get(i)}
