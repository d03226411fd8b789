"""The MkDocs plugin's typed options (fed from environment variables by mkdocs.yml), and
the overrides that wrap Material's templates instead of copying them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import material
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from kb_tools.enrich.publish import network_named as _network_id
from kb_tools.mkdocs_plugin import KbPlugin, insert_before
from tests.conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"


def options(monkeypatch: pytest.MonkeyPatch, **env: str):
    """The kb plugin's options as MkDocs reads them from the project's mkdocs.yml."""
    for name in ("KB_NETWERK", "KB_PROGRESS", "KB_TIMINGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config(str(ROOT / "mkdocs.yml"))
    return config.plugins["kb"].config


def test_options_default_to_off(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = options(monkeypatch)
    assert kb.network is None and kb.timings is None and kb.progress is False


def test_options_come_from_the_environment_variables_kb_sets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The names `kb bouw` and `kb meten` set (cli.py, bench/run.py) stay the same."""
    timings = str(tmp_path / "timings.json")
    kb = options(
        monkeypatch,
        KB_NETWERK="amsterdamse-stadsdorpen",
        KB_PROGRESS="1",
        KB_TIMINGS=timings,
    )
    assert kb.network == "amsterdamse-stadsdorpen"
    assert kb.progress is True
    assert kb.timings == timings
    assert options(monkeypatch, KB_NETWERK="").network is None
    assert options(monkeypatch, KB_PROGRESS="0").progress is False


def test_unknown_option_is_an_error() -> None:
    errors, warnings = KbPlugin().load_config({"netwerk": "lsa"})
    assert [key for key, _ in errors] == ["netwerk"] and not warnings
    message = str(errors[0][1])
    assert "kent de optie 'netwerk' niet" in message and "network" in message


def test_unknown_option_stops_mkdocs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Also without strict: true, where MkDocs itself only warns about unknown options."""
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (
        ("  - kb:\n", "  - kb:\n      netwerk: lsa\n"),
        ("docs_dir: content", f"docs_dir: {ROOT / 'content'}"),
        ("custom_dir: overrides", f"custom_dir: {OVERRIDES}"),
        ("strict: true", "strict: false"),
    ):
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(Abort):
        load_config(str(config))
    assert "kent de optie 'netwerk' niet" in caplog.text


def test_wrong_values_are_errors() -> None:
    errors, _ = KbPlugin().load_config({"progress": "misschien"})
    assert [key for key, _ in errors] == ["progress"]
    assert "aan of uit" in str(errors[0][1])
    errors, _ = KbPlugin().load_config({"network": ["lsa", "lvkk"]})
    assert [key for key, _ in errors] == ["network"]


def test_network_ids_that_yaml_reads_as_something_else() -> None:
    """!ENV reads KB_NETWERK as YAML: '2024' arrives as 2024, 'on' as True."""
    ids = ["lsa", "2024", "on", "1"]
    assert _network_id("lsa", ids) == "lsa"
    assert _network_id(2024, ids) == "2024"
    assert _network_id(True, ids) == "on"
    assert _network_id(1, ids) == "1"  # not 'on': True == 1 in Python, the types differ
    assert _network_id(7, ids) == "7"  # unknown: the plugin names it in its error


def test_insert_before_fails_loudly_when_the_theme_changed() -> None:
    assert insert_before("<nav>a</nav><nav>b</nav>", "</nav>", "X") == "<nav>aX</nav><nav>b</nav>"
    with pytest.raises(PluginError, match="overrides/partials"):
        insert_before("<div></div>", "</nav>", "X")


def _lines(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}


def test_overrides_copy_no_theme_template() -> None:
    """An override with a theme template's name wraps the theme's own file ("theme/...")
    or extends it; it holds none of its lines, so a new Material cannot drift from it."""
    same_name = [
        p for p in OVERRIDES.rglob("*.html") if (MATERIAL / p.relative_to(OVERRIDES)).is_file()
    ]
    assert same_name, "overrides/ has no file with a Material template's name"
    base = MATERIAL / "base.html"
    for override in same_name:
        theirs = _lines(MATERIAL / override.relative_to(OVERRIDES)) | _lines(base)
        shared = {
            line
            for line in _lines(override) & theirs
            if len(line) > 25 and ("{%" in line or "<" in line)
        }
        assert not shared, f"{override.relative_to(ROOT)} copies from Material: {sorted(shared)}"


def test_header_wraps_material_and_adds_the_search_form(base_url: str) -> None:
    with urllib.request.urlopen(base_url + "nieuw/") as answer:
        page = answer.read().decode("utf-8")
    header = re.search(r"<header .*?</header>", page, re.S)
    assert header is not None
    bar = re.search(r'<nav class="md-header__inner.*?</nav>', header.group(0), re.S)
    assert bar is not None and 'class="kb-header-search"' in bar.group(0)
    assert 'data-md-component="logo"' in bar.group(0)  # Material's own header around it
    assert page.count('id="kb-header-q"') == 1


def test_cached_menu_is_material_menu(base_url: str) -> None:
    """Two case pages at the same depth: the second gets the menu the first rendered."""
    with urllib.request.urlopen(base_url + "data/casussen.json") as answer:
        urls = [case["url"] for case in json.loads(answer.read())["casussen"]][:2]
    menus = []
    for url in urls:
        path = url.split("://", 1)[-1].split("/", 1)[1]
        with urllib.request.urlopen(base_url + path) as answer:
            page = answer.read().decode("utf-8")
        menu = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>\s*</div>', page, re.S)
        assert menu is not None, path
        menus.append(menu.group(0))
    assert menus[0] == menus[1]


def test_network_variable_without_the_option_is_an_error(tmp_path: Path) -> None:
    """A mkdocs.yml without `network: !ENV KB_NETWERK` must not quietly build every network."""
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start = text.index("  - kb:\n")
    end = text.index("\n\n", start)
    text = text[:start] + "  - kb\n" + text[end + 1 :]
    text = text.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {OVERRIDES}")
    config.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(config),
            "-d",
            str(tmp_path / "s"),
        ],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_NETWERK": "lsa"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "network: !ENV KB_NETWERK" in done.stderr


def test_every_section_of_the_stylesheet_is_at_top_level() -> None:
    """kb.css grows a section per area; a block left open swallows the sections after it
    (all of it still parses, so no validator notices): at every section heading, and at
    the end, no block may be open."""
    css = (ROOT / "overrides" / "assets" / "kb" / "kb.css").read_text(encoding="utf-8")
    depth = 0
    for piece in re.split(r"(/\*.*?\*/)", css, flags=re.S):
        if piece.startswith("/*"):
            assert depth == 0 or "==" not in piece, f"a block is still open at {piece[:60]}"
            continue
        depth += piece.count("{") - piece.count("}")
        assert depth >= 0
    assert depth == 0
