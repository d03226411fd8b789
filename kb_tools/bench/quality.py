"""Search quality for ``kb meten`` (issue 16): the evaluation set ``zoekvragen.yml``
(questions as residents and helpdesk staff type them, each with the cases and answers a
helpdesk worker accepts) asked of ``kb zoek`` and of the site's search page in Chromium,
scored as recall@5 and mean reciprocal rank. A measurement: the floor is in the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from kb_tools.bench.searchcost import browser_missing, launch_chromium

QUERY_FILE = "zoekvragen.yml"
#: The recurring helpdesk questions of the domain brief: the set must ask about each.
HELPDESK_TOPICS = (
    "rechtsvorm",
    "vpb",
    "anbi",
    "uitkering",
    "right-to-challenge",
    "dorpsondersteuner",
    "pgb",
    "na-de-pilot",
    "fondsen",
    "privacy",
    "wonen",
)
FORMS = ("vraag", "woorden", "afkorting", "typfout", "samenstelling", "parafrase")
TOP = 5  # recall@5: a right answer among the first five results
DEPTH = 10  # reciprocal rank: of the first right answer among the first ten
_SHORT = re.compile(r"/(?:c|a)/([a-z0-9-]+)/?$")


@dataclass(frozen=True)
class Query:
    text: str
    topic: str
    form: str
    accepted: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationSet:
    topics: dict[str, str]  # id -> Dutch description
    queries: tuple[Query, ...]


def load_set(text: str | None = None) -> EvaluationSet:
    """The evaluation set shipped in the package (or parsed from ``text``)."""
    if text is None:
        text = resources.files("kb_tools.bench").joinpath(QUERY_FILE).read_text("utf-8")
    data = yaml.safe_load(text) or {}
    queries = tuple(
        Query(
            text=str(entry["vraag"]),
            topic=str(entry.get("onderwerp", "")),
            form=str(entry.get("vorm", "")),
            accepted=tuple(str(i) for i in entry.get("goed") or ()),
        )
        for entry in data.get("vragen") or ()
    )
    return EvaluationSet(topics=dict(data.get("onderwerpen") or {}), queries=queries)


def score(rankings: Mapping[str, list[str]], queries: Iterable[Query]) -> dict[str, Any]:
    """Recall@5, MRR (first accepted id in the top ten) and the queries that missed the top
    five, with what came first instead. ``rankings`` maps a query's text to result ids."""
    queries = list(queries)
    found, reciprocal, failed = 0, 0.0, []
    for query in queries:
        ranked = rankings.get(query.text, [])
        rank = next((i for i, rid in enumerate(ranked[:DEPTH], 1) if rid in query.accepted), 0)
        if rank:
            reciprocal += 1 / rank
        if rank and rank <= TOP:
            found += 1
        else:
            failed.append(
                {
                    "vraag": query.text,
                    "onderwerp": query.topic,
                    "vorm": query.form,
                    "goed": list(query.accepted),
                    "rang": rank or None,  # in the top ten, or None
                    "top": ranked[:TOP],
                }
            )
    n = len(queries) or 1
    return {
        "queries": len(queries),
        "recall_at_5": round(found / n, 3),
        "mrr": round(reciprocal / n, 3),
        "failed": failed,
    }


# -- kb zoek -------------------------------------------------------------------------------


def zoek_rankings(content: Path, cache: Path, queries: Iterable[Query]) -> dict[str, list[str]]:
    """The ids ``kb zoek`` lists for each query, best first (its index in ``cache``)."""
    from kb_tools.index.helpdesk import SearchIndex

    index = SearchIndex(content, cache)
    index.update()
    return {q.text: [hit.id for hit in index.search(q.text, limit=DEPTH)] for q in queries}


# -- the search page -----------------------------------------------------------------------


def page_ids(content: Path) -> dict[str, str]:
    """Site path of each case and answer page (casussen/<netwerk>/<slug>/) -> its id."""
    from kb_tools.urls import item_url
    from kb_tools.validate import check_content

    result = check_content(content)
    return {item_url(item): item.id for item in [*result.cases, *result.answers]}


def result_id(href: str, short: str | None, by_path: Mapping[str, str]) -> str:
    """The id of one result: from its short link (c/<id>/, a/<id>/) or its page address;
    an address that is neither is kept as it is, so it still takes its place in the ranking."""
    for address in (short, href):
        if address:
            match = _SHORT.search(urlsplit(address).path)
            if match:
                return match.group(1)
    path = unquote(urlsplit(href).path).lstrip("/")
    for known, item_id in by_path.items():
        if path == known or path.endswith("/" + known):
            return item_id
    return path or href


def page_rankings(
    base_url: str, queries: Iterable[Query], by_path: Mapping[str, str], browser: Any = None
) -> dict[str, list[str]]:
    """The ids the search page at ``base_url`` shows for each query, in order: typed into
    #kb-q, Enter, and read when the form says ``data-state=klaar``. One page for all
    queries; before each, the form's state is set to a value the page never uses, so the
    answer read is the answer to this query. ``browser``: a Playwright browser to reuse."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = launch_chromium(p)
            try:
                return page_rankings(base_url, queries, by_path, own)
            finally:
                own.close()
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(base_url.rstrip("/") + "/zoeken/")
        page.locator("#kb-search[data-index=klaar]").wait_for()
        page.locator("#kb-search[data-state=klaar]").wait_for()
        rankings = {}
        for query in queries:
            page.fill("#kb-q", query.text)
            page.evaluate("document.getElementById('kb-search').dataset.state = 'meting'")
            page.press("#kb-q", "Enter")
            page.locator("#kb-search[data-state=klaar]").wait_for()
            more = page.locator("#kb-more")
            while page.locator("#kb-results > li").count() < DEPTH and more.is_visible():
                shown = page.locator("#kb-results > li").count()
                more.click()
                page.wait_for_function(
                    f"document.querySelectorAll('#kb-results > li').length > {shown}"
                )
            results = page.eval_on_selector_all(
                "#kb-results > li",
                """items => items.map(li => {
                    const a = li.querySelector('a');
                    const copy = li.querySelector('.kb-copy__button');
                    return [a ? a.href : '', copy ? copy.dataset.href : null];
                })""",
            )
            rankings[query.text] = [result_id(h, s, by_path) for h, s in results[:DEPTH]]
        return rankings
    finally:
        context.close()


def build_site(root: Path, work: Path) -> Path:
    """The site of the starter content, built in a copy of the project under ``work``."""
    from kb_tools.bench.measure import our_project

    project = work / "project"
    shutil.copytree(root / "content", project / "content")
    our_project(project / "content", project, root)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project / "site"


def measure(root: Path, say: Callable[[str], None], site: Path | None = None) -> dict[str, Any]:
    """Recall@5 and MRR of ``kb zoek`` and of the search page on the starter content in
    ``root`` (the page of ``site`` when given, else of a site built in a temporary copy).
    Without Chromium the page part says why in Dutch (``fout``); kb zoek is measured anyway."""
    from kb_tools.bench.static import serve

    evaluation = load_set()
    content = root / "content"
    report: dict[str, Any] = {"queries": len(evaluation.queries)}
    with tempfile.TemporaryDirectory(prefix="kb-bench-kwaliteit-") as tmp:
        work = Path(tmp)
        say("[kwaliteit] kb zoek: de zoekvragen van de evaluatieset…")
        report["zoek"] = score(
            zoek_rankings(content, work / "kb-zoek", evaluation.queries), evaluation.queries
        )
        missing = browser_missing()
        if missing:
            report["page"] = {"fout": f"De zoekpagina is niet gemeten. {missing}"}
            return report
        if site is None:
            say("[kwaliteit] De website van de startinhoud bouwen…")
            site = build_site(root, work)
        say("[kwaliteit] Zoekpagina: de zoekvragen in Chromium…")
        from playwright.sync_api import Error as PlaywrightError

        try:
            with serve(site) as served:
                rankings = page_rankings(served.url, evaluation.queries, page_ids(content))
        except PlaywrightError as error:  # Chromium that does not start or crashes
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            report["page"] = {
                "fout": f"De zoekpagina is niet gemeten: Chromium werkte niet ({first})."
            }
            return report
        report["page"] = score(rankings, evaluation.queries)
    return report
