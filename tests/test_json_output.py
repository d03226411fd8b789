"""Every ``--json`` output of kb against its table in content/handleiding/json-uitvoer.md:
the keys found at every level are the documented keys (both ways), each value has the
documented type, and the JSON keeps Unicode as it is."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from kb_tools.cli import content as content_cli
from kb_tools.cli import github as github_cli
from kb_tools.cli import main
from kb_tools.cli import search as search_cli
from kb_tools.validate import report

from .conftest import CONTENT, FIXTURES, ROOT, case_folder
from .test_links import make_site, server  # noqa: F401 - server is a fixture

GUIDES = (CONTENT / "handleiding" / "json-uitvoer.md", CONTENT / "handleiding" / "json-meten.md")
BENCH = "kb meten --json"

#: The documented types: a check per word in the guide's "type" column.
TYPES: dict[str, Callable[[Any], bool]] = {
    "tekst": lambda v: isinstance(v, str),
    "tekst of null": lambda v: v is None or isinstance(v, str),
    "geheel getal": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "geheel getal of null": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "getal": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "ja/nee": lambda v: isinstance(v, bool),
    "lijst van tekst": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "lijst van objecten": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    "object": lambda v: isinstance(v, dict),
    "object of null": lambda v: v is None or isinstance(v, dict),
    "object met nummers": lambda v: (
        isinstance(v, dict) and all(re.fullmatch(r"[a-z]+-[0-9]{4}", k) for k in v)
    ),
    "object met namen": lambda v: isinstance(v, dict) and all(isinstance(k, str) for k in v),
    "getal of null": lambda v: (
        v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
    ),
}


def guide_tables() -> dict[str, dict[str, str]]:
    """Per section heading (its command, in backticks): documented key -> type."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    lines = [line for guide in GUIDES for line in guide.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        heading = re.match(r"## `([^`]+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        row = re.match(r"\| `([^`]+)` \| ([^|]+?) \|", line)
        if row and current is not None:
            current[row.group(1)] = row.group(2).strip()
    return tables


def found_keys(value: Any, documented: dict[str, str], prefix: str = "") -> dict[str, list]:
    """Every key path in ``value`` ("a.b", "a[].b"; "a.*" for the values of an object
    whose keys are data, such as case numbers) with the values seen at it."""
    found: dict[str, list] = {}
    if not isinstance(value, dict):
        return found
    data_keys = documented.get(prefix, "").startswith("object met ")
    for key, item in value.items():
        name = "*" if data_keys else key
        path = f"{prefix}.{name}" if prefix else name
        found.setdefault(path, []).append(item)
        children = item if isinstance(item, list) else [item]
        for child in children:
            below = f"{path}[]" if isinstance(item, list) else path
            for sub, values in found_keys(child, documented, below).items():
                found.setdefault(sub, []).extend(values)
    return found


def compare(section: str, outputs: list[Any]) -> None:
    """The keys of ``outputs`` are the keys of the guide's table for ``section``, both ways,
    and every value has the documented type."""
    documented = guide_tables()[section]
    assert documented, f"{section}: no table"
    unknown_types = {t for t in documented.values() if t not in TYPES}
    assert not unknown_types, f"{section}: types the guide does not explain: {unknown_types}"
    seen: dict[str, list] = {}
    for output in outputs:
        assert isinstance(output, dict), f"{section}: the top level is an object"
        for path, values in found_keys(output, documented).items():
            seen.setdefault(path, []).extend(values)
    assert set(seen) - set(documented) == set(), f"{section}: undocumented keys"
    assert set(documented) - set(seen) == set(), f"{section}: documented, never seen"
    for path, values in seen.items():
        check = TYPES[documented[path]]
        bad = [v for v in values if not check(v)]
        assert not bad, f"{section}: {path} is not '{documented[path]}': {bad[:2]}"


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    main(args)
    out = capsys.readouterr().out
    assert "\\u00" not in out, "ensure_ascii=False: Unicode as it is"
    return json.loads(out)


@pytest.fixture
def outputs(
    content: Path,
    tmp_path: Path,
    server: str,  # noqa: F811 - the fixture of test_links
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, list[Any]]:
    """Each documented command run on the starter content or a fixture, so that every
    documented key can appear (a finding, a pair, a dead link, a message on a form)."""
    monkeypatch.setenv("KB_VANDAAG", "2026-11-23")
    real = ["--content", str(CONTENT)]
    broken = case_folder(content) / "ams-0900.md"
    twin = content / "casussen" / "omzien-naar-elkaar" / "ams-0900-dubbel.md"
    twin.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(broken, twin)
    twin.write_text(
        twin.read_text()
        .replace("id: ams-0900", "id: utr-0900")
        .replace("netwerk: amsterdamse-stadsdorpen", "netwerk: omzien-naar-elkaar")
        .replace("redactie-amsterdam", "redactie-utrecht")
    )
    work = ["--content", str(content)]
    runs: dict[str, list[list[str]]] = {
        "kb zoek --json": [
            ["zoek", "pgb", "--json", *real, "--cache", str(tmp_path / "z")],
            ["zoek", "Austerliz", "--json", *real, "--cache", str(tmp_path / "z")],
        ],
        "kb vergelijkbaar --json": [["similar", "ams-0001", "--json", *real]],
        "kb vergelijkbaar --pairs --json": [["similar", "--pairs", "--json", *work]],
        "kb webadres --json": [["link", "ams-0001", "--json", *real]],
        "kb adressen --json": [["adressen", "--json", *work]],
        "kb uit-issue --json": [
            ["from-issue", str(FIXTURES / "issues" / name), "--json", *work]
            for name in ("schoon.md", "fout.md")
        ],
    }
    found: dict[str, list[Any]] = {}
    for section, commands in runs.items():
        found[section] = [run_json(args, capsys) for args in commands]
    main(["adressen", "--export", str(tmp_path / "vorige.json"), *work])
    capsys.readouterr()
    found["kb adressen --export BESTAND"] = [json.loads((tmp_path / "vorige.json").read_text())]

    (content / "gepubliceerd.yml").write_text("- ams-0900\n", encoding="utf-8")
    found["kb adressen --json"].append(run_json(["adressen", "--json", *work], capsys))
    broken.write_text(broken.read_text().replace("thema: [vervoer", "thema: [vervoerr"))
    found["kb controleer --json"] = [run_json(["check", "--json", *work], capsys)]
    site = make_site(tmp_path, server)
    found["kb linkcontrole --json"] = [run_json(["links", str(site), "--json"], capsys)]
    return found


def test_every_output_has_exactly_the_documented_keys_and_types(outputs) -> None:
    assert set(outputs) | {BENCH} == set(guide_tables()), "a section without a test, or back"
    for section, found in outputs.items():
        compare(section, found)


def test_the_declared_shapes_are_the_documented_ones() -> None:
    """The TypedDict beside each handler names the same top-level keys as the guide."""
    tables = guide_tables()
    shapes = {
        "kb controleer --json": report.CheckJson,
        "kb zoek --json": search_cli.SearchJson,
        "kb webadres --json": search_cli.LinkJson,
        "kb vergelijkbaar --json": search_cli.SimilarJson,
        "kb vergelijkbaar --pairs --json": search_cli.PairsJson,
        "kb uit-issue --json": github_cli.FromIssueJson,
        "kb adressen --json": content_cli.AddressesJson,
        "kb linkcontrole --json": github_cli.LinksJson,
    }
    for section, shape in shapes.items():
        top = {key for key in tables[section] if "." not in key and "[" not in key}
        assert set(get_type_hints(shape)) == top, section


def test_links_are_site_paths_or_full_addresses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    cache = ["--cache", str(tmp_path / "z")]
    found = run_json(["zoek", "vervoer", "--json", "--content", str(CONTENT), *cache], capsys)
    assert found["resultaten"]
    for hit in found["resultaten"]:
        assert re.fullmatch(r"/[ac]/[a-z]+-[0-9]{4}/", hit["url"]), hit["url"]
        assert "**" not in hit["fragment"] and "*" not in hit["titel"]
        assert all(w.lower() in hit["fragment"].lower() for w in hit["gevonden_woorden"])
    similar = run_json(["similar", "ams-0001", "--json", "--content", str(CONTENT)], capsys)
    assert all(r["url"].startswith("/casussen/") for r in similar["resultaten"])
    link = run_json(["link", "ams-0001", "--json", "--content", str(CONTENT)], capsys)
    assert link["url"] == "/c/ams-0001/" and link["lokaal"] is True

    monkeypatch.setenv("KB_SITE_URL", "https://kennisbank.example/")
    link = run_json(["link", "ams-0001", "--json", "--content", str(CONTENT)], capsys)
    assert link["url"] == "https://kennisbank.example/c/ams-0001/" and link["lokaal"] is False
    found = run_json(["zoek", "vervoer", "--json", "--content", str(CONTENT), *cache], capsys)
    assert all(h["url"].startswith("https://kennisbank.example/") for h in found["resultaten"])


def test_kb_link_without_a_site_address_says_it_is_local(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    assert main(["link", "ams-0001", "--content", str(CONTENT)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("http://127.0.0.1:8000/c/ams-0001/")
    assert "op deze computer" in captured.err and "KB_SITE_URL" in captured.err
    monkeypatch.setenv("KB_SITE_URL", "https://kennisbank.example/")
    assert main(["link", "ams-0001", "--content", str(CONTENT)]) == 0
    assert capsys.readouterr().err == ""


def test_check_summary_counts_match_the_findings(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(path.read_text().replace("## Tips\n", "## Tipjes\n"))
    data = run_json(["check", "--json", "--content", str(content)], capsys)
    summary, findings = data["samenvatting"], data["bevindingen"]
    assert summary["fouten"] == sum(f["ernst"] == "fout" for f in findings) == 0
    assert summary["waarschuwingen"] == len(findings) >= 1 and summary["in_orde"]
    assert summary["casussen"] == 2 and summary["bestanden"] >= 2


EVALUATION = """
vragen:
  - vraag: pgb via de zorgcoöperatie
    onderwerp: pgb
    vorm: woorden
    goed: [hd-0006]
  - vraag: pgb via de zorgcoöperatie
    onderwerp: pgb
    vorm: woorden
    goed: [ams-0001]
"""


def test_kb_meten_json_has_the_documented_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """kb meten at its smallest, once with Chromium and once without (then the browser's
    figures say why they are missing); one hostile shape of each kind."""
    from kb_tools.bench import attacks, quality, savetime

    real_load_set = quality.load_set

    monkeypatch.chdir(ROOT)
    for table in (attacks.REFUSED, attacks.ACCEPTED):
        for name in list(table)[1:]:
            monkeypatch.delitem(table, name)
    # Two questions of the evaluation set: one that search finds, one whose right answer
    # it cannot find (so that the missed questions are reported too).
    monkeypatch.setattr(quality, "load_set", lambda: real_load_set(EVALUATION))
    monkeypatch.setattr(savetime, "SAVES", 1)  # one save per way of saving
    found = [run_json(["bench", "--cases", "12", "--json"], capsys)]
    monkeypatch.setenv("KB_CHROMIUM", str(tmp_path / "geen-chromium"))
    found.append(run_json(["bench", "--cases", "12", "24", "--zonder-vijandig", "--json"], capsys))
    compare(BENCH, found)


def test_every_key_kb_meten_declares_is_documented() -> None:
    from kb_tools.bench import jsonkeys as bench_report

    named = {part.removesuffix("[]") for path in guide_tables()[BENCH] for part in path.split(".")}
    declared = set(bench_report.KEYS.values()) | set(bench_report.IN_CONTEXT.values())
    assert declared - named == set(), "kb_tools/bench/jsonkeys.py names keys the guide does not"


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "kennisbank.example",
        "https://kennisbank.example/?a=1#f",
        "https://kennis\x1b[2Jbank.example/",
        "https://",
        "ftp://kennisbank.example/",
    ],
)
def test_a_hostile_site_address_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # KB_SITE_URL went as it was into every url field and onto the terminal.
    monkeypatch.setenv("KB_SITE_URL", value)
    with pytest.raises(SystemExit) as stopped:
        main(["webadres", "ams-0001", "--json", "--content", str(CONTENT)])
    captured = capsys.readouterr()
    assert stopped.value.code == 2 and captured.out == ""
    assert "KB_SITE_URL" in captured.err and "\x1b" not in captured.err, captured.err
    monkeypatch.setenv("KB_SITE_URL", " https://kennisbank.example  ")
    link = run_json(["webadres", "ams-0001", "--json", "--content", str(CONTENT)], capsys)
    assert link["url"] == "https://kennisbank.example/c/ams-0001/"
