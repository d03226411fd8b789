"""The case pages of the previous build, reused where a save changed nothing they show
(`kb bekijk`, kb_tools/mkdocs_plugin/serving.py).

A case page shows its own case, the registry's terms and networks, its similar cases, and
the cards of the cases and answers it lists ("Vergelijkbare oplossingen"). So after a save
its view is made again when the case itself changed, when its similar list changed, or when
it lists a case or answer that changed, was added or was removed; and every view is made again
when the registry changed or when this is the first build. What changed comes from the content
check (``validate.Rechecker``), not from comparing the cases again. Cards are reused the same way.
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

    similar: dict[str, list[Match]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    site_url: str | None = None

    def reuse(
        self,
        corpus: Corpus,
        similar: dict[str, list[Match]],
        site_url: str,
        changed: set[str] | None,
    ) -> Reuse | None:
        """What this build may reuse, given the ids of the cases and answers ``changed``
        (added, edited or removed) since the last build (None: unknown, or the registry
        changed); None when it must make every case page."""
        if changed is None or not self.views or self.site_url != site_url:
            return None
        touched = set(changed)
        touched.update(c.id for c in corpus.cases if self.similar.get(c.id) != similar.get(c.id))
        # Pages that listed a changed case or answer, and pages that list one now.
        for case_id, view in self.views.items():
            if any(item["id"] in changed for item in view.get("solutions", ())):
                touched.add(case_id)
        for case in corpus.cases:
            if any(r.id in changed for r in corpus.related.get(case.id, ())):
                touched.add(case.id)
            if any(a.id in changed for a in corpus.cited_by.get(case.id, ())):
                touched.add(case.id)
        return Reuse(self.views, self.cards, touched)

    def remember(
        self,
        similar: dict[str, list[Match]],
        site_url: str,
        views: dict[str, dict[str, Any]],
        cards: dict[str, dict[str, Any]],
    ) -> None:
        self.similar, self.site_url, self.views, self.cards = similar, site_url, views, cards

    def forget(self) -> None:
        self.views = {}
