"""Content from a hostile pull request: every class of attack ends in a Dutch finding from
`kb controleer`, and `kb bouw` refuses with the same finding, without a traceback. Nothing
from the build machine is read or published, no address reaches an href unless it is
http(s) or mailto, and no published address is lost.

Each test is one class of attack with several members; the guards are the shared ones
(load.scan_content, urls.web_url_problem, textscan.text_problems, ledger.load_ledger,
opendata.csv_cell), not a rule per field.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.validate import check_content

from .conftest import CONTENT, FIXTURES, NETWORK, ROOT, TODAY, case_folder

BASE = (FIXTURES / "basis" / "ams-0900.md").read_text(encoding="utf-8")
OTHER = (FIXTURES / "basis" / "ams-0901.md").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def findings(content: Path) -> list[tuple[str, str]]:
    """(file name, code) of every finding, for the whole content folder."""
    result = check_content(content, today=TODAY)
    return [(Path(f.file).name, f.code) for f in result.findings]


def project(tmp_path: Path, content: Path) -> Path:
    """A site project around a content folder, like the repository's."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.move(str(content), root / "content")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONTENT / "handleiding", root / "content" / "handleiding", dirs_exist_ok=True)
    return root


def kb_build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_VANDAAG": TODAY.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", "build", "--site", str(root / "site"), *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]


# -- 1. files from the build machine -------------------------------------------------------


def plant_machine_files(content: Path, outside: Path) -> None:
    """Links to files and folders outside content/, a device-like file, and files a
    browser would run, in every folder where content lives."""
    folder = case_folder(content)
    secret = outside / "secret.txt"
    secret.write_text("SECRET=hunter2", encoding="utf-8")
    (outside / "map").mkdir()
    (outside / "map" / "x.md").write_text(BASE, encoding="utf-8")
    (folder / "foto.png").symlink_to("/etc/passwd")
    (folder / "env.png").symlink_to("/proc/self/environ")
    (folder / "verhaal.md").symlink_to(secret)
    (content / "handleiding").mkdir(exist_ok=True)
    (content / "handleiding" / "extra.md").symlink_to(secret)
    (content / "casussen" / "gelinkt").symlink_to(outside / "map", target_is_directory=True)
    (content / "vocabulaires" / "geheim.yml").symlink_to(secret)
    os.mkfifo(folder / "pijp.md")
    (folder / "pagina.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (content / "handleiding" / "stijl.css").write_text("body{}", encoding="utf-8")
    (content / "antwoorden").mkdir(exist_ok=True)
    (content / "antwoorden" / "code.js").write_text("alert(1)", encoding="utf-8")
    (folder / "nep.png").write_bytes(b"<html><script>alert(1)</script></html>")
    (folder / "groot.webp").write_bytes(b"RIFF\0\0\0\0WEBP" + b"\0" * 1_000_001)


def test_links_devices_and_active_files_are_refused(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "buiten"
    outside.mkdir()
    plant_machine_files(content, outside)
    found = findings(content)
    for name in ("foto.png", "env.png", "verhaal.md", "extra.md", "gelinkt", "geheim.yml"):
        assert (name, "bestand-link") in found, (name, found)
    assert ("pijp.md", "bestand-soort") in found
    for name in ("pagina.html", "stijl.css", "code.js"):
        assert (name, "bestand-verboden") in found
    assert ("nep.png", "afbeelding-inhoud") in found
    assert ("groot.webp", "afbeelding-te-groot") in found
    # Nothing behind a link is read: the outside case is not checked or counted.
    result = check_content(content, today=TODAY)
    assert not any("buiten" in f.file for f in result.findings)
    assert sorted(c.id for c in result.cases) == ["ams-0900", "ams-0901"]


def test_the_build_refuses_and_publishes_nothing_from_the_machine(
    content: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "buiten"
    outside.mkdir()
    plant_machine_files(content, outside)
    root = project(tmp_path, content)
    result = kb_build(root)
    no_traceback(result)
    assert result.returncode != 0
    for code in ("bestand-link", "bestand-verboden", "bestand-soort", "afbeelding-inhoud"):
        assert code in result.stdout + result.stderr, code
    site = root / "site"
    copied = [p for p in site.rglob("*")] if site.exists() else []
    assert not any("SECRET" in p.read_text(errors="ignore") for p in copied if p.is_file())
    assert not any(p.name in ("foto.png", "env.png", "pagina.html", "code.js") for p in copied)


def test_the_plugin_publishes_only_checked_guides_and_images(content: Path, tmp_path: Path) -> None:
    """Without any error, the site still holds no other file from content/."""
    (case_folder(content) / "foto.png").write_bytes(PNG)
    (case_folder(content) / "notities.txt").write_text("los", encoding="utf-8")
    (content / "los.md").write_text("# Een pagina die niemand heeft gevraagd\n", encoding="utf-8")
    root = project(tmp_path, content)
    result = kb_build(root)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert (site / "casussen" / NETWORK / "foto.png").read_bytes() == PNG
    assert not list(site.rglob("notities.txt")) and not (site / "los" / "index.html").exists()
    assert not list(site.rglob("*.yml"))
    assert [p.relative_to(site).as_posix() for p in site.rglob("*.json") if "schema" in p.name] == [
        "data/casus.schema.json"
    ]


# -- 2. javascript: and other addresses from any registry ----------------------------------

ADDRESSES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x", "data:text/html,x",
             "vbscript:x", "//evil.example/x", "https://", "https://user@evil.example/",
             "mailto:x@y.nl\nBcc:z", "ftp://example.org/x", " javascript:x"]  # fmt: skip


@pytest.mark.parametrize("url", ADDRESSES)
def test_only_http_and_mailto_addresses_pass_the_one_url_rule(url: str) -> None:
    from kb_tools.urls import web_url_problem

    assert web_url_problem(url, allow_mailto=True) is not None


def edit_registry(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


REGISTRY_ADDRESSES = [
    ("vocabulaires/wetgeving.yml", "url: https://wetten.overheid.nl/BWBR0035362", "url: {}"),
    ("bronnen.yml", "url: https://www.nlzorgtvoorelkaar.nl", "url: {}"),
    ("netwerken.yml", "    voorvoegsel: ams\n", "    voorvoegsel: ams\n    website: {}\n"),
    ("netwerken.yml", "    voorvoegsel: ams\n", "    voorvoegsel: ams\n    contactpagina: {}\n"),
]


@pytest.mark.parametrize(("name", "old", "new"), REGISTRY_ADDRESSES)
def test_a_javascript_address_in_any_registry_is_a_finding(
    content: Path, name: str, old: str, new: str
) -> None:
    edit_registry(content, name, old, new.format('"javascript:alert(1)"'))
    assert (Path(name).name, "link-onveilig") in findings(content)


def test_case_contact_and_source_addresses_use_the_same_rule(content: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    text = BASE.replace("website: https://example.org", "website: 'java\tscript:alert(1)'")
    text = text.replace("url: https://example.org/jaarverslag", "url: //evil.example/x")
    path.write_text(text, encoding="utf-8")
    assert [c for n, c in findings(content) if n == "ams-0900.md"] == ["link-onveilig"] * 2


def test_a_javascript_registry_address_never_reaches_the_site(
    content: Path, tmp_path: Path
) -> None:
    edit_registry(
        content, "bronnen.yml", "url: https://www.nlzorgtvoorelkaar.nl", "url: javascript:x"
    )
    root = project(tmp_path, content)
    result = kb_build(root)
    no_traceback(result)
    assert result.returncode != 0 and "link-onveilig" in result.stdout + result.stderr


# -- 3. text that becomes configuration or markup ------------------------------------------

REGISTRY_TEXTS = [
    ("netwerken.yml", "naam: Amsterdamse Stadsdorpen", "naam: Stadsdorpen <script>alert(1)</script>"),
    ("netwerken.yml", "regio: Amsterdam en Amstelveen", "regio: \"Amsterdam\u200b\""),
    ("vocabulaires/thema.yml", "label: Vervoer", "label: \"Vervoer<img src=x onerror=alert(1)>\""),
    ("vocabulaires/wetgeving.yml", "officiele_titel: Wet maatschappelijke ondersteuning 2015",
     "officiele_titel: \"Wmo\u202e2015\""),
    ("bronnen.yml", "titel: Actieprogramma Zorgzame Gemeenschappen", "titel: <b>Actie</b>"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new"), REGISTRY_TEXTS)
def test_registry_texts_follow_the_text_rule_of_cases(
    content: Path, name: str, old: str, new: str
) -> None:
    edit_registry(content, name, old, new)
    codes = {c for n, c in findings(content) if n == Path(name).name}
    assert codes & {"html", "html-onveilig", "tekst-onzichtbaar"}, codes


def test_maintainers_cannot_inject_codeowners_lines(content: Path) -> None:
    edit_registry(
        content,
        "netwerken.yml",
        'beheerders: ["@zorgzame-kennisbank/redactie-amsterdam"]',
        'beheerders: ["@a\\n* @aanvaller", "iemand zonder apenstaart"]',
    )
    assert findings(content).count(("netwerken.yml", "register-beheerder")) == 2


def test_a_network_site_escapes_its_name(tmp_path: Path) -> None:
    """`kb bouw --netwerk` puts the name in the theme's header, which prints site_name
    unescaped: a name with & and quotes (valid) comes out escaped."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    edit_registry(
        content, "netwerken.yml", "naam: Amsterdamse Stadsdorpen", 'naam: Stadsdorpen & "Buren"'
    )
    root = project(tmp_path, content)
    result = kb_build(root, "--netwerk", NETWORK)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Kennisbank Stadsdorpen &amp; &#34;Buren&#34;" in page or (
        "Kennisbank Stadsdorpen &amp; &quot;Buren&quot;" in page
    )
    assert 'Stadsdorpen & "Buren"' not in page


# -- 6. the ledger ---------------------------------------------------------------------------

LEDGER_ENTRY = "ams-0900:\n  gepubliceerd: 2025-01-15\n  adressen:\n    - {}\n"
BAD_LEDGERS = {
    "buiten de site": LEDGER_ENTRY.format("../../../x/"),
    "door een bestand": LEDGER_ENTRY.format("feed.xml/oud/"),
    "absoluut": LEDGER_ENTRY.format("/etc/x/"),
    "geen pad": LEDGER_ENTRY.format("casussen/ams/x"),
    "lijst als vervanger": LEDGER_ENTRY.format("casussen/amsterdamse-stadsdorpen/ams-0900/")
    + "  vervangen_door: [ams-0901]\n",
    "een lijst": "- ams-0900\n- ams-0901\n",
    "dubbele sleutel": LEDGER_ENTRY.format("casussen/amsterdamse-stadsdorpen/ams-0900/")
    + LEDGER_ENTRY.format("casussen/amsterdamse-stadsdorpen/ams-0900/"),
    "geen id": "'../x':\n  gepubliceerd: 2025-01-15\n  adressen: [casussen/a/b/]\n",
    "onbekend veld": LEDGER_ENTRY.format("casussen/amsterdamse-stadsdorpen/ams-0900/")
    + "  verborgen: ja\n",
    "geen datum": "ams-0900:\n  gepubliceerd: gisteren\n  adressen: [casussen/a/b/]\n",
}


@pytest.mark.parametrize("kind", sorted(BAD_LEDGERS))
def test_a_bad_ledger_is_a_finding_in_kb_check(content: Path, kind: str, capsys) -> None:
    (content / "gepubliceerd.yml").write_text(BAD_LEDGERS[kind], encoding="utf-8")
    code = main(["check", "--content", str(content), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    codes = {f["code"] for f in out["bevindingen"] if f["bestand"].endswith("gepubliceerd.yml")}
    assert codes & {"adressen-ongeldig", "register-dubbel"}, out


def test_a_bad_ledger_stops_the_build_and_writes_nothing_outside(content: Path, tmp_path) -> None:
    (content / "gepubliceerd.yml").write_text(
        BAD_LEDGERS["buiten de site"]
        + BAD_LEDGERS["door een bestand"].replace("ams-0900", "ams-0901"),
        encoding="utf-8",
    )
    root = project(tmp_path, content)
    result = kb_build(root)
    no_traceback(result)
    assert result.returncode != 0 and "adressen-ongeldig" in result.stdout + result.stderr
    assert not (tmp_path / "x").exists() and not (root / "x").exists()


def test_an_address_that_now_shows_another_case_is_refused(content: Path, capsys) -> None:
    (content / "gepubliceerd.yml").write_text(
        LEDGER_ENTRY.format("casussen/amsterdamse-stadsdorpen/ams-0901/").replace(
            "2025-01-15", "2025-01-15"
        ),
        encoding="utf-8",
    )
    assert main(["check", "--content", str(content), "--json"]) == 1
    assert "adres-hergebruikt" in capsys.readouterr().out


def test_deleting_a_case_and_its_ledger_entry_is_caught_against_the_previous_commit(
    content: Path, tmp_path: Path, capsys
) -> None:
    previous = tmp_path / "vorige.json"
    assert main(["adressen", "--content", str(content), "--export", str(previous)]) == 0
    capsys.readouterr()
    # The pull request deletes a case and leaves no trace of it (no ledger at all).
    (case_folder(content) / "ams-0900.md").unlink()
    other = case_folder(content) / "ams-0901.md"
    other.write_text(other.read_text().replace("[[ams-0900]]", "ons"), encoding="utf-8")
    assert main(["check", "--content", str(content), "--vorige", str(previous)]) == 1
    out = capsys.readouterr().out
    assert "adres-verwijderd" in out and "ams-0900" in out


def test_kb_adressen_writes_the_ledger_with_a_yaml_library(content: Path, capsys) -> None:
    assert main(["adressen", "--content", str(content), "--bijwerken"]) == 0
    capsys.readouterr()
    assert main(["check", "--content", str(content)]) == 0
    text = (content / "gepubliceerd.yml").read_text(encoding="utf-8")
    assert "casussen/amsterdamse-stadsdorpen/ams-0900/" in text


# -- 7 and 8. numbers, open data and spreadsheets ------------------------------------------


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cells_never_start_a_formula(value: str) -> None:
    from kb_tools.render.opendata import csv_cell

    assert csv_cell(value).startswith("'")
    assert csv_cell("gewone tekst") == "gewone tekst" and csv_cell(40) == 40


def test_the_built_csv_and_json_are_safe(content: Path, tmp_path: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(BASE.replace("plaats: Proefwijk", "plaats: \"=cmd|' /C calc'!A0\""))
    root = project(tmp_path, content)
    result = kb_build(root)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((root / "site/data/casussen.csv").read_text()[1:])))
    assert {r["plaats"] for r in rows} >= {"'=cmd|' /C calc'!A0"}
    json.loads(
        (root / "site/data/casussen.json").read_text(),
        parse_constant=lambda name: pytest.fail(f"{name} in JSON"),
    )


# -- 9. file names ---------------------------------------------------------------------------

BAD_NAMES = ["index.md", "README.md", "HOOFD.MD", "met spatie.md", "hash#tag.md", "a: b.md",
             "nieuw\nregel.md", "Hoofdletter.md", "onder_streep.md", "\u202egpj.md", "-streep.md",
             "x" * 90 + ".md", "readme.md", "Foto.PNG"]  # fmt: skip


@pytest.mark.parametrize("name", BAD_NAMES, ids=range(len(BAD_NAMES)))
def test_case_and_image_file_names_follow_one_pattern(content: Path, name: str) -> None:
    data = PNG if name.lower().endswith(".png") else BASE.replace("ams-0900", "ams-0950").encode()
    (case_folder(content) / name).write_bytes(data)
    result = check_content(content, today=TODAY)
    named = [f for f in result.findings if f.code == "bestandsnaam"]
    assert len(named) == 1, result.findings
    assert "\n" not in named[0].file and "\u202e" not in named[0].file


def test_answer_and_guide_names_follow_the_same_pattern(content: Path) -> None:
    (content / "antwoorden").mkdir()
    (content / "antwoorden" / "HD 1.md").write_text("x", encoding="utf-8")
    (content / "handleiding").mkdir()
    (content / "handleiding" / "Index.md").write_text("# x\n", encoding="utf-8")
    names = {n for n, c in findings(content) if c == "bestandsnaam"}
    assert names == {"HD 1.md", "Index.md"}


# -- 4. bodies the site's Markdown parser would take minutes on -----------------------------

try:  # the shapes live with the limits they test (absent before the limits existed)
    from kb_tools.bench.attacks import ACCEPTED, REFUSED
except ImportError:  # pragma: no cover
    ACCEPTED, REFUSED = {}, {}


def hostile_case(content: Path, body: str) -> list[str]:
    head = BASE.split("\n## Situatie", 1)[0]
    (case_folder(content) / "ams-0900.md").write_text(head + "\n" + body, encoding="utf-8")
    return [c for n, c in findings(content) if n == "ams-0900.md"]


@pytest.mark.parametrize("shape", sorted(REFUSED))
def test_bodies_that_would_render_for_minutes_are_refused(content: Path, shape: str) -> None:
    assert "markdown-te-zwaar" in hostile_case(content, REFUSED[shape]())


@pytest.mark.parametrize("shape", sorted(ACCEPTED))
def test_the_costliest_bodies_under_the_limits_pass_the_guard(content: Path, shape: str) -> None:
    """kb meten measures these in kb controleer and the build (BENCHMARKS.md)."""
    assert "markdown-te-zwaar" not in hostile_case(content, ACCEPTED[shape]())


def test_the_starter_content_is_far_from_every_limit() -> None:
    from kb_tools.validate.limits import LIMITS, measure

    for path in sorted(CONTENT.rglob("*.md")):
        metrics = measure(path.read_text(encoding="utf-8"))
        for name, limit in LIMITS.items():
            used = getattr(metrics, name[4:])
            # small limits (nesting depths) may be reached; counts stay far below theirs,
            # except backticks per line: the guide to the case format shows code examples
            margin = 1 if limit < 20 else 2 if name == "max_line_ticks" else 4
            assert used <= limit // margin, (path, name, used)


def test_the_fast_limits_find_what_a_line_by_line_measure_finds() -> None:
    """validate.limits skips what whole-text counts rule out; on any text it must find
    every limit a plain line-by-line measure finds, with the same value and line."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kb_tools.validate.limits import LIMITS, measure

    from .reference_limits import measure_text

    pieces = st.sampled_from(
        list("[]()`*_\\&|<> \t\n-#=!:\"'ax1.")
        + ["\n\n", "    ", "## ", "***", "[a](b) ", "1. ", "> ", "!!! note", "[r]: x", "\n  \n"]
        + ["`` ", "](", "    - ", "\n# a\n", "\n=\n", "\t\t\t\t\t", "\n     ", '[a](b "c) ']
    )

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=2500).map("".join))
    def agree(text: str) -> None:
        fast, slow = measure(text), measure_text(text)
        if fast.lines > LIMITS["max_lines"] or fast.markup > LIMITS["max_markup"]:
            return  # refused for the whole text; the rest is not measured
        for name, limit in LIMITS.items():
            metric = name[4:]
            if metric == "case_links":
                continue
            a, b = getattr(slow, metric), getattr(fast, metric)
            assert (a > limit) == (b > limit), (metric, a, b)
            if a > limit:
                assert (a, slow.where.get(metric)) == (b, fast.where.get(metric)), metric

    agree()


# -- found by a red-team pass: page settings, numbers, escapes, linked folders, sizes ------


GUIDE_SETTINGS = {
    "yaml": '---\nstatus: "x\\x22\\x3e\\x3cscript\\x3ealert(7)\\x3c/script\\x3e"\n---\n\n# Meedoen\n',
    "multimarkdown": "template: casus.html\nhide: 5\n\n# Meedoen\n",
}


@pytest.mark.parametrize("kind", sorted(GUIDE_SETTINGS))
def test_guide_pages_cannot_bring_page_settings(content: Path, kind: str) -> None:
    """MkDocs reads settings from the top of a page and Material prints some unescaped."""
    (content / "handleiding").mkdir()
    (content / "handleiding" / "meedoen.md").write_text(GUIDE_SETTINGS[kind], encoding="utf-8")
    assert ("meedoen.md", "handleiding-kop") in findings(content)


def test_generated_pages_ignore_settings_in_a_story_and_guide_titles_are_escaped(
    content: Path, tmp_path: Path
) -> None:
    story = '---\nauthor: "\\x22\\x3e\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"\nhide: 5\n---\n'
    text = BASE.replace("\n## Situatie", "\n" + story + "\n## Situatie", 1)
    (case_folder(content) / "ams-0900.md").write_text(text, encoding="utf-8")
    root = project(tmp_path, content)
    (root / "content" / "handleiding" / "extra.md").write_text(
        "# Extra &lt;/title&gt;&lt;img src=x onerror=alert(3)&gt;\n\nTekst.\n", encoding="utf-8"
    )
    result = kb_build(root)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site/casussen/amsterdamse-stadsdorpen/ams-0900/index.html").read_text()
    assert "<script>alert(1)" not in page and 'name="author"' not in page
    guide = (root / "site/handleiding/extra/index.html").read_text()
    assert "<img src=x" not in guide and "onerror=alert(3)>" not in guide


HUGE_NUMBERS = {
    "400 cijfers": ("waarde: 40\n", "waarde: 1" + "0" * 400 + "\n"),
    "hexadecimaal": ("plaats: Proefwijk", "plaats: 0x" + "f" * 4000),
}


@pytest.mark.parametrize("kind", sorted(HUGE_NUMBERS))
def test_numbers_too_long_for_python_are_findings(content: Path, kind: str) -> None:
    old, new = HUGE_NUMBERS[kind]
    (case_folder(content) / "ams-0900.md").write_text(BASE.replace(old, new, 1), "utf-8")
    assert ("ams-0900.md", "yaml-syntax") in findings(content)


def test_numbers_too_long_for_python_in_registries_and_the_ledger(content: Path, capsys) -> None:
    edit_registry(
        content, "netwerken.yml", "naam: Amsterdamse Stadsdorpen", "naam: 0x" + "f" * 5000
    )
    (content / "gepubliceerd.yml").write_text(LEDGER_ENTRY.format("0x" + "f" * 5000))
    code = main(["check", "--content", str(content), "--json"])
    out = capsys.readouterr().out
    assert code == 1 and "Traceback" not in out
    found = {(Path(f["bestand"]).name, f["code"]) for f in json.loads(out)["bevindingen"]}
    assert {("netwerken.yml", "yaml-syntax"), ("gepubliceerd.yml", "yaml-syntax")} <= found


def test_backslash_addresses_that_browsers_read_as_another_host(content: Path) -> None:
    text = BASE.replace(
        "Begin klein.",
        "Zie [het verslag](\\\\\\\\evil.example/../../../netwerken.yml) en "
        "![Foto van de buurt](\\\\\\\\tracker.example/../pixel.png).",
    )
    (case_folder(content) / "ams-0900.md").write_text(text, encoding="utf-8")
    codes = [c for n, c in findings(content) if n == "ams-0900.md"]
    assert codes.count("link-onveilig") == 2, codes


def test_a_linked_vocabulary_folder_is_not_read(content: Path, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "geheim"
    shutil.move(str(content / "vocabulaires"), outside)
    (outside / "secrets.yml").write_text("github_token: ghp_abc\npassword: hunter2\n")
    (content / "vocabulaires").symlink_to(outside, target_is_directory=True)
    main(["check", "--content", str(content)])
    out = capsys.readouterr().out
    assert "bestand-link" in out
    assert "github_token" not in out and "password" not in out and "secrets" not in out


def test_registries_are_bounded(content: Path) -> None:
    """One vocabulary feeds the analysis of every case: its size is bounded."""
    synonyms = ", ".join(f"woord{i:04d}" for i in range(40))
    terms = "".join(
        f"  - id: term-{i}\n    label: Term {i}\n    beschrijving: Een term.\n"
        f"    synoniemen: [{synonyms}]\n"
        for i in range(320)
    )
    path = content / "vocabulaires" / "thema.yml"
    path.write_text(path.read_text(encoding="utf-8") + terms, encoding="utf-8")
    assert ("thema.yml", "register-te-groot") in findings(content)


def test_invisible_characters_that_python_calls_printable(content: Path) -> None:
    title = "titel: \u3164\u115f\u034f\ufe0f\u17b4\u180b\u2800 Buren regelen samen vervoer"
    text = BASE.replace("titel: Buren regelen samen vervoer", title)
    (case_folder(content) / "ams-0900.md").write_text(text, encoding="utf-8")
    edit_registry(content, "vocabulaires/thema.yml", "label: Vervoer", 'label: "Vervoer\u3164"')
    found = findings(content)
    assert ("ams-0900.md", "tekst-onzichtbaar") in found
    assert ("thema.yml", "tekst-onzichtbaar") in found


@pytest.mark.parametrize("name", ["thema.yml", "netwerken.yml"])
def test_registry_ids_the_site_uses_itself(content: Path, name: str) -> None:
    if name == "thema.yml":
        edit_registry(content, "vocabulaires/thema.yml", "- id: vervoer", "- id: index")
    else:
        edit_registry(content, name, "- id: amsterdamse-stadsdorpen", "- id: index")
    assert (name, "register-id") in findings(content)


def test_a_deleted_guide_page_is_caught_against_the_previous_commit(
    content: Path, tmp_path: Path, capsys
) -> None:
    (content / "handleiding").mkdir()
    (content / "handleiding" / "meedoen.md").write_text("# Meedoen\n\nZo doet u mee.\n")
    previous = tmp_path / "vorige.json"
    assert main(["adressen", "--content", str(content), "--export", str(previous)]) == 0
    (content / "handleiding" / "meedoen.md").unlink()
    capsys.readouterr()
    assert main(["check", "--content", str(content), "--vorige", str(previous)]) == 1
    assert "handleiding/meedoen/" in capsys.readouterr().out


def test_a_link_to_a_registry_file_is_a_dead_link(content: Path) -> None:
    text = BASE.replace("Begin klein.", "Zie [de netwerken](../../netwerken.yml).")
    (case_folder(content) / "ams-0900.md").write_text(text, encoding="utf-8")
    assert ("ams-0900.md", "link-relatief") in findings(content)


def test_comments_full_of_dashes_do_not_make_yaml_slow_or_refused(content: Path) -> None:
    path = content / "vocabulaires" / "thema.yml"
    path.write_text("# " + "- " * 300 + "\n" + path.read_text(encoding="utf-8"))
    assert findings(content) == []
