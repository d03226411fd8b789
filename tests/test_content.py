"""The real starter content: clean, spread over networks, honest about its sources."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import frontmatter

from kb_tools.validate import check_content

from .conftest import CONTENT

RESULT = check_content(CONTENT)


def test_real_content_passes_kb_check_without_findings() -> None:
    assert RESULT.findings == [], "\n".join(
        f"{f.file}:{f.line} {f.code} {f.message}" for f in RESULT.findings
    )


def test_at_least_30_cases_over_at_least_6_networks() -> None:
    assert len(RESULT.cases) >= 30
    assert len({c.network for c in RESULT.cases}) >= 6


def test_every_case_cites_a_seed_document() -> None:
    for case in RESULT.cases:
        documents = [s.get("document") for s in case.meta.get("bronnen", [])]
        assert any(d in RESULT.registry.sources for d in documents), case.id


def test_every_network_is_registered_with_a_prefix_and_maintainers() -> None:
    networks = RESULT.registry.networks
    assert len(networks) >= 8
    assert len({n.prefix for n in networks.values()}) == len(networks)
    assert all(n.maintainers for n in networks.values())


def test_laws_link_to_the_official_text() -> None:
    laws = RESULT.registry.vocabularies["wetgeving"]
    linked = [t for t in laws.terms if t.extra.get("url")]
    assert len(linked) >= 10
    for term in linked:
        assert str(term.extra["url"]).startswith("https://wetten.overheid.nl/BWBR"), term.id
        assert term.extra.get("officiele_titel"), term.id


def test_vocabularies_have_descriptions_and_unknown_values() -> None:
    vocabularies = RESULT.registry.vocabularies
    for vocab in vocabularies.values():
        for term in vocab.terms:
            assert term.label and term.description, (vocab.id, term.id)
    for name in ("rechtsvorm", "financiering", "type", "fase", "omgeving"):
        assert vocabularies[name].get("onbekend"), name
    assert "informeel-collectief" in vocabularies["rechtsvorm"].ids()
    assert len(vocabularies["provincie"].terms) == 13


def test_python_frontmatter_reads_every_case_the_same_way() -> None:
    """Our loader and python-frontmatter agree on titles and bodies of the starter content."""
    for case in RESULT.cases:
        post = frontmatter.load(Path(case.path))
        assert post["titel"].strip() == case.title
        assert post.content.strip() == case.body.strip()


def test_ids_are_unique_and_spread() -> None:
    counts = Counter(c.id for c in RESULT.cases)
    assert max(counts.values()) == 1
