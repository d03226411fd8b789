"""What one build publishes, part of enrich: the corpus and the redirects of the site.

A normal build publishes every network's cases and the helpdesk answers, and turns the
ledger's old addresses into redirects (``ledger``). ``kb bouw --netwerk <id>`` publishes
one network's cases only, as a site of its own: everything is validated as usual, links to
other networks' cases become plain text (``links.resolve_links``), and the ledger stays the
main site's (a network site has no old addresses). Both sites get the short, stable
addresses ``c/<id>/`` and ``a/<id>/``.

No site engine is involved: the MkDocs plugin calls ``published`` and turns a
``NetworkError`` into its own error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb_tools.enrich import ledger
from kb_tools.enrich.corpus import Corpus, build_corpus
from kb_tools.model import Answer, Case, Finding, Network, Registry
from kb_tools.urls import short_link

__all__ = [
    "NetworkError",
    "Published",
    "network",
    "network_corpus",
    "network_site_name",
    "published",
    "redirect_map",
]

#: Old or short site address -> (current site address, title), all site-relative.
Redirects = dict[str, tuple[str, str]]


class NetworkError(Exception):
    """A network site cannot be built; the message is for people (Dutch)."""


@dataclass(frozen=True)
class Published:
    """The corpus a build publishes, its redirects, and what stops the build."""

    corpus: Corpus
    redirects: Redirects
    problems: list[Finding]  # an address from the ledger would disappear


def network(registry: Registry, network_id: str) -> Network:
    """The network of ``kb bouw --netwerk``, or a ``NetworkError`` that lists the choices."""
    found = registry.networks.get(network_id)
    if found is None:
        raise NetworkError(
            f"Het netwerk '{network_id}' bestaat niet. Kies uit: {', '.join(registry.networks)}."
        )
    return found


def network_site_name(found: Network) -> str:
    """The title of a network's own site (not escaped: the caller escapes it for HTML)."""
    return f"Kennisbank {found.name}"


def network_corpus(registry: Registry, cases: list[Case], network_id: str) -> Corpus:
    """The corpus of one network's site: its cases only, the registry with only it."""
    only = dataclasses.replace(registry, networks={network_id: network(registry, network_id)})
    own = [c for c in cases if c.network == network_id]
    if not own:
        raise NetworkError(
            f"Het netwerk '{network_id}' heeft nog geen casussen. Er is geen website te bouwen."
        )
    return build_corpus(only, own, [])


def redirect_map(corpus: Corpus, moved: Redirects) -> Redirects:
    """Every redirect page of the site: the ledger's old addresses (``moved``) and the short
    address of every case and answer. A short address wins over an old one."""
    stable = {
        short_link(item.id): (corpus.urls[item.id], item.title)
        for item in (*corpus.cases, *corpus.answers)
    }
    return {**moved, **stable}


def published(
    content_dir: Path,
    registry: Registry,
    cases: list[Case],
    answers: list[Answer],
    network_id: str | None = None,
) -> Published:
    """The corpus and redirects of the whole site, or of one network's site."""
    if network_id:
        corpus = network_corpus(registry, cases, network_id)
        moved: Redirects = {}
        problems: list[Finding] = []
    else:
        corpus = build_corpus(registry, cases, answers)
        _, moved, problems = ledger.review(content_dir, corpus)
    return Published(corpus, redirect_map(corpus, moved), problems)


def network_named(value: Any, ids: Collection[str]) -> str:
    """The network id from the plugin option: !ENV reads KB_NETWERK as YAML, so an id such as
    '2024' or 'on' arrives as a number or a truth value; match it to the registry's ids."""
    if isinstance(value, str):
        return value
    for network_id in ids:
        read = yaml.safe_load(network_id)
        if type(read) is type(value) and read == value:
            return network_id
    return str(value)
