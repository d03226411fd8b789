"""enrich.publish without a site engine: the corpus of the whole site or of one network's site
(`kb bouw --netwerk`), and every redirect the site gets."""

from __future__ import annotations

import pytest

from kb_tools.enrich import build_corpus, ledger
from kb_tools.enrich import publish as published_site
from kb_tools.enrich.publish import NetworkError, network_corpus, published, redirect_map
from kb_tools.urls import short_link
from kb_tools.validate import check_content
from tests.conftest import CONTENT, NETWORK


@pytest.fixture(scope="module")
def checked():
    result = check_content(CONTENT)
    assert not result.errors
    return result


def test_network_corpus_has_only_that_network(checked) -> None:
    corpus = network_corpus(checked.registry, checked.cases, NETWORK)
    assert set(corpus.registry.networks) == {NETWORK}
    assert corpus.cases and {c.network for c in corpus.cases} == {NETWORK}
    assert len(corpus.cases) == sum(c.network == NETWORK for c in checked.cases)
    assert corpus.answers == ()  # the helpdesk belongs to the main site
    # The registry passed in is not changed: the main site still has every network.
    assert len(checked.registry.networks) > 1


def test_unknown_network_lists_the_choices(checked) -> None:
    with pytest.raises(NetworkError) as raised:
        network_corpus(checked.registry, checked.cases, "bestaat-niet")
    message = str(raised.value)
    assert "'bestaat-niet' bestaat niet" in message and NETWORK in message
    with pytest.raises(NetworkError):
        published_site.network(checked.registry, "bestaat-niet")


def test_network_without_cases_has_no_site(checked) -> None:
    empty = next(n for n in checked.registry.networks if all(c.network != n for c in checked.cases))
    with pytest.raises(NetworkError, match="nog geen casussen"):
        network_corpus(checked.registry, checked.cases, empty)


def test_network_site_name(checked) -> None:
    network = published_site.network(checked.registry, NETWORK)
    assert published_site.network_site_name(network) == "Kennisbank Amsterdamse Stadsdorpen"


def test_redirect_map_has_every_short_link_and_the_moved_addresses(checked) -> None:
    corpus = build_corpus(checked.registry, checked.cases, checked.answers)
    first = corpus.cases[0]
    moved = {
        "casussen/oud/adres/": (corpus.urls[first.id], first.title),
        short_link(first.id): ("elders/", "verkeerd"),  # a short link always wins
    }
    redirects = redirect_map(corpus, moved)
    for item in (*corpus.cases, *corpus.answers):
        assert redirects[short_link(item.id)] == (corpus.urls[item.id], item.title)
    assert redirects["casussen/oud/adres/"] == moved["casussen/oud/adres/"]
    assert len(redirects) == len(corpus.cases) + len(corpus.answers) + 1
    assert "casussen/oud/adres/" not in redirect_map(corpus, {})


def test_published_whole_site_uses_the_ledger(checked) -> None:
    site = published(CONTENT, checked.registry, checked.cases, checked.answers)
    corpus = build_corpus(checked.registry, checked.cases, checked.answers)
    _, moved, problems = ledger.review(CONTENT, corpus)
    assert site.problems == problems == []
    assert site.corpus.cases == corpus.cases and site.corpus.answers == corpus.answers
    assert site.redirects == redirect_map(corpus, moved)


def test_published_network_site_has_no_old_addresses(checked) -> None:
    site = published(CONTENT, checked.registry, checked.cases, checked.answers, NETWORK)
    assert set(site.corpus.registry.networks) == {NETWORK}
    assert site.problems == []
    assert site.redirects == {
        short_link(c.id): (site.corpus.urls[c.id], c.title) for c in site.corpus.cases
    }
