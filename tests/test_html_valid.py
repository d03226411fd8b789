"""The built site is valid HTML: the Nu Html Checker (vnu, the W3C's checker) finds no
error on one page of each type. vnu comes from npm (`vnu-jar` in package.json, installed by
`make test` with `npm ci`) and runs on Debian's Java (`default-jre-headless`, also installed
by `make test` when `java` is missing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_tools.enrich import build_corpus
from kb_tools.urls import short_link, term_url
from kb_tools.validate import check_content

from .conftest import CONTENT, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: One page of each type, by site path; the case, answer, term and network come from the
#: content (the first of each), so the list follows the starter content.
FIXED_PAGES = {
    "home": "",
    "facet overview": "thema/",
    "network list": "netwerken/",
    "search": "zoeken/",
    "bladeren": "bladeren/",
    "begrippen": "begrippen/",
    "nieuw": "nieuw/",
    "open data": "open-data/",
    "guide": "handleiding/casusformaat/",
    "answer list": "antwoorden/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("valid-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(target)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def page_files(site: Path) -> dict[str, Path]:
    """Page type -> its built file."""
    checked = check_content(CONTENT)
    corpus = build_corpus(checked.registry, checked.cases, checked.answers)
    case, answer = corpus.cases[0], corpus.answers[0]
    network = next(iter(corpus.registry.networks))
    theme = corpus.terms_of(case, "thema")[0]
    paths = {
        **FIXED_PAGES,
        "case": corpus.urls[case.id],
        "answer": corpus.urls[answer.id],
        "term": term_url("thema", theme),
        "network": f"netwerken/{network}/",
        "short link (case)": short_link(case.id),
        "short link (answer)": short_link(answer.id),
    }
    files = {kind: site / path / "index.html" for kind, path in paths.items()}
    files["404"] = site / "404.html"
    missing = {kind: str(f) for kind, f in files.items() if not f.is_file()}
    assert not missing, f"pages not built: {missing}"
    return files


def vnu(files: list[Path]) -> list[dict]:
    """vnu's error messages for ``files``."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs default-jre-headless")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does)")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its report to stderr; exit 1 means "errors found".
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report = json.loads(result.stderr or result.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def test_one_page_of_each_type_is_valid_html(site: Path) -> None:
    files = page_files(site)
    errors = vnu(list(files.values()))
    by_file = {str(f.resolve()): kind for kind, f in files.items()}
    lines = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f":{m.get('lastLine', '?')}: {m.get('message')}  [{m.get('extract', '').strip()}]"
        for m in errors
    ]
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(lines)


def test_vnu_reports_errors(tmp_path: Path) -> None:
    """The check above can fail: vnu finds the errors the site used to have."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><form action=""></form><span aria-label="9 casussen">9</span>'
        '<input type="checkbox" autocomplete="off"></body></html>',
        encoding="utf-8",
    )
    assert len(vnu([page])) == 3
