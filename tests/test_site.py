"""The built site: every page is there, small, private, safe and reproducible, and
published addresses never break. Built with plain ``mkdocs build --strict``, so the
plugin must give the same site as ``kb bouw``.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from kb_tools.enrich import build_corpus
from kb_tools.load.registry import copy_registry
from kb_tools.render.shortlinks import short_page
from kb_tools.validate import check_content

from .conftest import CONTENT, FIXTURES, ROOT

MAX_CASE_PAGE = 60_000
# Files that may differ between two builds of the same commit (documented in README).
NOT_REPRODUCIBLE = {"sitemap.xml", "sitemap.xml.gz"}
# Pagefind writes its filter files in a different order each run, so their content hashes
# (file names) and the entry and meta files that name them differ. The word index and the
# page fragments are byte-identical; the test below checks those.
NOT_REPRODUCIBLE_DIRS = {"pagefind"}
PAGEFIND_STABLE = ("pagefind/index/", "pagefind/fragment/")


def build(site: Path, config: Path | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    if config:
        args += ["--config-file", str(config)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = build(target)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture(scope="module")
def cases():
    return check_content(CONTENT).cases


def test_every_page_is_built(site: Path, cases) -> None:
    for case in cases:
        rel = case.path.split("content/", 1)[1][: -len(".md")]
        assert (site / rel / "index.html").is_file(), rel
        assert (site / "c" / case.id / "index.html").is_file()
    for page in ("", "nieuw", "begrippen", "netwerken", "open-data", "thema", "wetgeving"):
        assert (site / page / "index.html").is_file(), page
    assert (site / "feed.xml").is_file() and (site / "sitemap.xml").is_file()
    assert (site / "handleiding" / "casusformaat" / "index.html").is_file()


def test_every_term_and_network_has_a_page(site: Path) -> None:
    registry = check_content(CONTENT).registry
    for facet in ("thema", "knelpunten", "financiering", "wetgeving", "rechtsvorm", "provincie"):
        for term in registry.vocabularies[facet].terms:
            page = site / facet / term.id / "index.html"
            assert page.is_file(), page
    for network in registry.networks:
        assert (site / "netwerken" / network / "index.html").is_file()
    empty = (site / "provincie" / "zeeland" / "index.html").read_text(encoding="utf-8")
    assert "nog geen casussen" in empty


def test_raw_content_files_are_not_published(site: Path) -> None:
    assert not list(site.rglob("*.yml")) and not list(site.rglob("*.md"))


def test_case_pages_stay_small(site: Path, cases) -> None:
    sizes = []
    for case in cases:
        rel = case.path.split("content/", 1)[1][: -len(".md")]
        sizes.append((site / rel / "index.html").stat().st_size)
    assert max(sizes) < MAX_CASE_PAGE, max(sizes)


def test_case_page_shows_card_links_and_json_ld(site: Path) -> None:
    html = (
        site / "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/index.html"
    ).read_text()
    # The h1 carries the skip link's target (id, tabindex) added by overrides/main.html.
    assert re.search(r"<h1[^>]*>Stadsdorp Elsrijk", html)
    assert 'href="../../../thema/welzijnswerk/"' in html
    assert "https://wetten.overheid.nl/BWBR0035362" in html
    assert 'href="../../../netwerken/amsterdamse-stadsdorpen/"' in html
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert data and json.loads(data.group(1))["identifier"] == "ams-0001"
    assert 'lang="nl"' in html


def test_case_links_in_bodies_become_page_links(site: Path) -> None:
    page = site / "casussen/omzien-naar-elkaar/vinkenoord-vinkeveen-zorgcentrum/index.html"
    text = page.read_text(encoding="utf-8")
    assert "[[" not in text
    assert 'href="../../lvkk/oud-worden-in-eigen-dorp-wonen-met-zorg/"' in text


def test_open_data(site: Path, cases) -> None:
    data = json.loads((site / "data" / "casussen.json").read_text(encoding="utf-8"))
    assert data["aantal"] == len(cases) == len(data["casussen"])
    first = data["casussen"][0]
    assert first["url"].endswith("/") and "/c/" in first["korte_link"]
    vocab = json.loads((site / "data" / "vocabulaires.json").read_text(encoding="utf-8"))
    assert {"thema", "wetgeving", "provincie"} <= vocab.keys()
    rows = list(csv.DictReader((site / "data" / "casussen.csv").open(encoding="utf-8-sig")))
    assert len(rows) == len(cases) and rows[0]["id"]
    assert (site / "data" / "casus.schema.json").is_file()


def test_feed_is_atom(site: Path) -> None:
    root = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) >= 30
    assert all(e.find("a:title", ns).text for e in entries)


def test_stable_links_are_the_case_page_itself(site: Path) -> None:
    long = "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/"
    page = (site / long / "index.html").read_text(encoding="utf-8")
    short = (site / "c" / "ams-0001" / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in short  # no redirect: the page itself, one request
    assert f'<base href="../../{long}">' in short
    assert short.count('rel="canonical"') == 1
    assert short == short_page(page, long, "c/ams-0001/", os.environ.get("KB_SITE_URL", ""))
    # The same page: only the head, links to its own parts and Material's root differ.
    body = short.split("</head>", 1)[1].replace('"base": "../.."', '"base": "../../.."')
    assert re.sub(r'href="[./]*c/ams-0001/#', 'href="#', body) == page.split("</head>", 1)[1]


EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed|object)\b[^>]*\bsrc=["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref=["']?(?:https?:)?//[^>]*>"""
)


def test_the_site_makes_no_requests_to_other_hosts(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in EXTERNAL.finditer(text):
            tag = match.group(0)
            assert 'rel="canonical"' in tag or "rel=canonical" in tag, (page, tag)
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", text), sheet
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_two_builds_are_identical(site: Path, tmp_path: Path) -> None:
    second = tmp_path / "again"
    assert build(second).returncode == 0

    def files(root: Path) -> dict[str, bytes]:
        out = {}
        for p in root.rglob("*"):
            rel = p.relative_to(root).as_posix()
            if not p.is_file() or p.name in NOT_REPRODUCIBLE:
                continue
            if rel.split("/", 1)[0] in NOT_REPRODUCIBLE_DIRS and not rel.startswith(
                PAGEFIND_STABLE
            ):
                continue
            out[rel] = p.read_bytes()
        return out

    first, other = files(site), files(second)
    assert any(k.startswith(PAGEFIND_STABLE) for k in first), "no search index"
    assert first.keys() == other.keys()
    assert [k for k in first if first[k] != other[k]] == []


# -- content from many hands --------------------------------------------------


def make_project(tmp: Path, cases: dict[str, str]) -> Path:
    """A copy of the project config with its own content folder."""
    project = tmp / "project"
    content = project / "content"
    copy_registry(CONTENT, content)
    for name, text in cases.items():
        path = content / "casussen" / "amsterdamse-stadsdorpen" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


BASE = (FIXTURES / "basis" / "ams-0900.md").read_text(encoding="utf-8")
OTHER = (FIXTURES / "basis" / "ams-0901.md").read_text(encoding="utf-8")


def test_content_errors_stop_the_build_with_the_same_findings(tmp_path: Path) -> None:
    hostile = BASE.replace("Begin klein.", "Begin klein.<script>alert(1)</script>")
    project = make_project(tmp_path, {"ams-0900.md": hostile, "ams-0901.md": OTHER})
    result = build(project / "site", cwd=project)
    assert result.returncode != 0
    assert "html-onveilig" in result.stderr and "ams-0900.md:68" in result.stderr
    assert "niet gebouwd" in result.stderr
    assert not (project / "site" / "index.html").exists()


def test_tricky_but_valid_text_is_escaped(tmp_path: Path) -> None:
    tricky = (
        BASE.replace(
            "titel: Buren regelen samen vervoer naar de huisarts",
            "titel: 'Buren & \"vrienden\" <3 regelen vervoer'",
        )
        .replace("Een stadsdorp zet", 'Een "stadsdorp" zet" onmouseover="x')
        .replace("Begin klein.", "Begin klein. Schrijf nooit `<script>` of &lt;b&gt; zelf.")
    )
    project = make_project(tmp_path, {"ams-0900.md": tricky, "ams-0901.md": OTHER})
    result = build(project / "site", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "site/casussen/amsterdamse-stadsdorpen/ams-0900/index.html").read_text()
    assert (
        "Buren &amp; &#34;vrienden&#34; &lt;3" in html
        or "Buren &amp; &quot;vrienden&quot; &lt;3" in html
    )
    assert '" onmouseover="x' not in html
    assert "<script>alert" not in html and "<code>&lt;script&gt;</code>" in html


def test_a_moved_case_keeps_its_old_address(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"ams-0900.md": BASE, "ams-0901.md": OTHER})
    content = project / "content"
    (content / "gepubliceerd.yml").write_text(
        "ams-0900:\n  gepubliceerd: 2025-01-15\n  adressen:\n"
        "    - casussen/amsterdamse-stadsdorpen/oude-naam/\n"
        "ams-0901:\n  gepubliceerd: 2025-02-01\n  adressen:\n"
        "    - casussen/amsterdamse-stadsdorpen/ams-0901/\n",
        encoding="utf-8",
    )
    assert build(project / "site", cwd=project).returncode == 0
    old = project / "site/casussen/amsterdamse-stadsdorpen/oude-naam/index.html"
    assert 'url=../../../casussen/amsterdamse-stadsdorpen/ams-0900/"' in old.read_text()


def test_a_deleted_case_fails_the_build_until_it_is_replaced(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"ams-0901.md": OTHER.replace("[[ams-0900]]", "ons")})
    ledger = project / "content" / "gepubliceerd.yml"
    ledger.write_text(
        "ams-0900:\n  gepubliceerd: 2025-01-15\n  adressen:\n"
        "    - casussen/amsterdamse-stadsdorpen/ams-0900/\n",
        encoding="utf-8",
    )
    result = build(project / "site", cwd=project)
    assert result.returncode != 0 and "adres-verdwenen" in result.stderr
    ledger.write_text(ledger.read_text() + "  vervangen_door: ams-0901\n", encoding="utf-8")
    assert build(project / "site", cwd=project).returncode == 0
    moved = project / "site/casussen/amsterdamse-stadsdorpen/ams-0900/index.html"
    assert "ams-0901/" in moved.read_text()
    assert "ams-0901/" in (project / "site/c/ams-0900/index.html").read_text()


def test_a_reused_id_fails_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"ams-0900.md": BASE, "ams-0901.md": OTHER})
    (project / "content" / "gepubliceerd.yml").write_text(
        "ams-0900:\n  gepubliceerd: 2020-05-05\n  adressen:\n"
        "    - casussen/amsterdamse-stadsdorpen/ams-0900/\n",
        encoding="utf-8",
    )
    result = build(project / "site", cwd=project)
    assert result.returncode != 0 and "id-hergebruikt" in result.stderr


def test_the_committed_ledger_has_every_published_address(capsys) -> None:
    from kb_tools.cli import main

    assert main(["adressen", "--content", str(CONTENT)]) == 0, capsys.readouterr().out


def test_case_links_inside_code_stay_as_written(site: Path) -> None:
    html = (site / "handleiding" / "casusformaat" / "index.html").read_text(encoding="utf-8")
    assert "<code>[[ams-0001]]</code>" in html


def test_content_warnings_do_not_stop_the_build_and_stray_files_stay_unpublished(
    tmp_path: Path,
) -> None:
    without_tips = BASE.replace("## Tips\n\nBegin klein.\n", "")
    project = make_project(tmp_path, {"ams-0900.md": without_tips, "ams-0901.md": OTHER})
    (project / "content/casussen/amsterdamse-stadsdorpen/notities.txt").write_text("privé")
    result = build(project / "site", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "sectie-aanbevolen" in result.stderr and "bestand-onbekend" in result.stderr
    assert not list((project / "site").rglob("notities.txt"))


def test_answer_pages_backlinks_and_short_links(site: Path) -> None:
    result = check_content(CONTENT)
    corpus = build_corpus(result.registry, result.cases, result.answers)
    answer = corpus.answers_by_id["hd-0002"]
    page = (site / corpus.urls[answer.id] / "index.html").read_text(encoding="utf-8")
    assert "De vraag" in page and "Casussen en antwoorden bij deze vraag" in page
    cited = corpus.by_id["nlz-0201"]
    assert html.escape(cited.summary, quote=False) in page  # cited cases with summaries
    assert "[[" not in page  # every [[id]] became a link
    case_page = (site / corpus.urls[cited.id] / "index.html").read_text(encoding="utf-8")
    assert "Helpdeskantwoord dat deze casus noemt" in case_page
    assert html.escape(answer.title, quote=False) in case_page
    assert 'class="kb-copy"' in case_page and 'class="kb-copy"' in page
    redirect = (site / "a" / "hd-0002" / "index.html").read_text(encoding="utf-8")
    assert corpus.urls[answer.id].rstrip("/") in redirect
    listing = (site / "antwoorden" / "index.html").read_text(encoding="utf-8")
    for item in corpus.answers:
        assert html.escape(item.title, quote=False) in listing


def test_term_pages_show_the_answers_on_that_term(site: Path) -> None:
    page = (site / "wetgeving" / "vennootschapsbelasting" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Helpdeskantwoorden" in page
    assert "Moet een zorgco" in page  # hd-0002, about vennootschapsbelasting


_TAB = re.compile(r'href="([^"]*)" class="md-tabs__link')


def test_every_page_links_the_menu_to_the_same_pages(site: Path) -> None:
    """Pages outside the menu share a rendered menu (overrides/main.html, partials/nav.html);
    a tab or menu link written relative to one page ("../" inside netwerken/) must never
    reach another page where it means something else (antwoorden/x/ beside netwerken/x/)."""

    def targets(page: Path) -> list[str]:
        text = page.read_text(encoding="utf-8")
        if "<base href=" in text[:3000]:
            return []  # a short-address copy resolves against its long page (test_links)
        url = "https://kb.test/" + page.parent.relative_to(site).as_posix() + "/"
        return [urljoin(url, href) for href in _TAB.findall(text)]

    home_tabs = targets(site / "index.html")
    assert len(home_tabs) >= 8
    wrong = {}
    for page in site.rglob("index.html"):
        tabs = targets(page)
        if tabs and tabs != home_tabs:
            wrong[page.relative_to(site).as_posix()] = tabs
    assert wrong == {}, f"{len(wrong)} pages link their tabs elsewhere: {sorted(wrong)[:5]}"
