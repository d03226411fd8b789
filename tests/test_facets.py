"""The facet table is the one place a vocabulary is declared: a new row in
``facets.FACETS`` plus its YAML file, and nothing else, puts the vocabulary on the site, in
the search filters of both engines, the JSON Schema, the issue form and the open data."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_tools import facets, schema
from kb_tools.facets import FACETS, SEARCH_FILTERS
from kb_tools.load.registry import copy_registry
from kb_tools.load.vocabularies import REQUIRED_VOCABULARIES
from kb_tools.schema import FIELDS

from .conftest import CONTENT, FIXTURES, NETWORK, ROOT

NEW_ROW = """    Facet(
        "doelgroep",
        "Doelgroep",
        "Per doelgroep",
        "Voor wie is het initiatief?",
        "Voor wie het initiatief er is.",
        answers="Voor wie de vraag speelt.",
        weight=2.0,
        reason="zelfde doelgroep",
        search_filter=True,
        keyword=True,
        specificity=3,
    ),
"""
VOCABULARY = """naam: Doelgroepen
veld: doelgroep
beschrijving: Voor wie het initiatief er is.
termen:
  - id: mantelzorgers
    label: Mantelzorgers
    beschrijving: Mensen die zorgen voor een naaste.
    synoniemen: [mantelzorger, naastbetrokkenen]
  - id: jongeren
    label: Jongeren
    beschrijving: Jonge mensen tot 27 jaar.
"""


def run(args: list[str], cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the code with one facet row added, and a project with its YAML file and
    two cases, one of which uses the new vocabulary."""
    tmp = tmp_path_factory.mktemp("facet")
    code = tmp / "code"
    shutil.copytree(
        ROOT / "kb_tools", code / "kb_tools", ignore=shutil.ignore_patterns("__pycache__")
    )
    source = (code / "kb_tools" / "facets.py").read_text(encoding="utf-8")
    end = source.index("\n)\nFACETS_BY_NAME")
    (code / "kb_tools" / "facets.py").write_text(
        source[: end + 1] + NEW_ROW + source[end + 1 :], encoding="utf-8"
    )
    site = tmp / "project"
    content = site / "content"
    copy_registry(CONTENT, content)
    (content / "vocabulaires" / "doelgroep.yml").write_text(VOCABULARY, encoding="utf-8")
    folder = content / "casussen" / NETWORK
    folder.mkdir(parents=True)
    for case in sorted((FIXTURES / "basis").glob("*.md")):
        shutil.copy2(case, folder / case.name)
    first = folder / "ams-0900.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("\nthema:", "\ndoelgroep: [mantelzorgers]\nthema:", 1))
    shutil.copytree(ROOT / "overrides", site / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    run(["adressen", "--bijwerken"], site, code)
    run(["build", "--site", str(site / "site")], site, code)
    return code, site


def test_the_running_table_has_one_row_per_vocabulary() -> None:
    names = [f.name for f in FACETS]
    assert len(set(names)) == len(names)
    assert set(names) <= set(REQUIRED_VOCABULARIES)
    assert all(f.name in schema.FIELDS_BY_NAME for f in FACETS)
    assert [f.name for f in FIELDS if f.vocabulary in names] == names
    for facet in FACETS:
        vocabulary = (CONTENT / "vocabulaires" / f"{facet.name}.yml").read_text("utf-8")
        assert f"veld: {facet.name}\n" in vocabulary
        assert (f"- id: {facets.UNKNOWN}\n" in vocabulary) == facet.unknown, facet.name
    assert [name for name, _ in SEARCH_FILTERS][-1] == facets.NETWORK_FILTER


def test_a_new_facet_row_reaches_the_site(project: tuple[Path, Path]) -> None:
    _, site = project
    built = site / "site"
    overview = (built / "doelgroep" / "index.html").read_text(encoding="utf-8")
    assert "Per doelgroep" in overview and "Voor wie is het initiatief?" in overview
    term = (built / "doelgroep" / "mantelzorgers" / "index.html").read_text(encoding="utf-8")
    assert "Mantelzorgers" in term and "ams-0900" in term
    case = next(built.glob("casussen/*/*/index.html"), None)
    pages = [p.read_text(encoding="utf-8") for p in built.glob("casussen/**/index.html")]
    assert case is not None and any("Doelgroep" in p and "Mantelzorgers" in p for p in pages)
    home = (built / "bladeren" / "index.html").read_text(encoding="utf-8")
    assert 'href="../doelgroep/"' in home or "doelgroep/" in home


def test_a_new_facet_row_is_a_search_filter_on_the_site_and_in_kb_zoek(
    project: tuple[Path, Path],
) -> None:
    code, site = project
    page = (site / "site" / "zoeken" / "index.html").read_text(encoding="utf-8")
    assert 'name="doelgroep"' in page or '"doelgroep"' in page
    assert "Mantelzorgers" in page
    found = run(["zoek", "--json", "--doelgroep", "mantelzorgers", "burenhulp"], site, code)
    ids = [hit["id"] for hit in json.loads(found.stdout)["resultaten"]]
    assert ids == ["ams-0900"]


def test_a_new_facet_row_is_in_the_schema_the_form_and_the_open_data(
    project: tuple[Path, Path],
) -> None:
    code, site = project
    out = run(["schema"], site, code)
    prop = json.loads(out.stdout)["properties"]["doelgroep"]
    assert prop["items"]["enum"] == ["mantelzorgers", "jongeren"]
    run(["forms", "--out", str(site / "form")], site, code)
    form = (site / "form" / "nieuwe-casus.yml").read_text(encoding="utf-8")
    assert "id: doelgroep" in form and "Mantelzorgers" in form
    records = json.loads((site / "site" / "data" / "casussen.json").read_text("utf-8"))
    first = next(r for r in records["casussen"] if r["id"] == "ams-0900")
    assert first["doelgroep"] == ["mantelzorgers"]
    rows = list(
        csv.DictReader((site / "site" / "data" / "casussen.csv").open(encoding="utf-8-sig"))
    )
    assert next(r for r in rows if r["id"] == "ams-0900")["doelgroep"] == "mantelzorgers"
    vocabularies = json.loads((site / "site" / "data" / "vocabulaires.json").read_text("utf-8"))
    assert vocabularies["doelgroep"]["naam"] == "Doelgroepen"
