"""Documentation is checked against the code: every field and every finding code is
explained to editors, and every rule has at least one fixture that triggers it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from kb_tools.schema import ANSWER_FIELDS, FIELDS

from .conftest import CONTENT, FIXTURES, ROOT

FORMAT_DOC = (CONTENT / "handleiding" / "casusformaat.md").read_text(encoding="utf-8")
CODES_DOC = (CONTENT / "handleiding" / "meldingen.md").read_text(encoding="utf-8")

# Which positional argument holds the finding code, per function that makes findings.
CODE_ARGUMENT = {
    "add": 1,
    "error": 1,
    "finding": 2,
    "Finding": 3,
    "YamlProblem": 0,
    "refuse": 1,
}


def codes_in_source() -> set[str]:
    codes = set()
    for path in (ROOT / "kb_tools").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            index = CODE_ARGUMENT.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            candidates = [arg]
            if isinstance(arg, ast.IfExp):
                candidates = [arg.body, arg.orelse]
            for c in candidates:
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", c.value):
                        codes.add(c.value)
    return codes


def documented_codes() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", CODES_DOC, re.M))


def test_every_field_is_documented() -> None:
    for field in FIELDS:
        assert f"| `{field.name}` |" in FORMAT_DOC, field.name


def test_every_answer_field_is_documented() -> None:
    guide = (CONTENT / "handleiding" / "antwoordformaat.md").read_text(encoding="utf-8")
    for field in ANSWER_FIELDS:
        assert f"| `{field.name}` |" in guide, field.name


def test_every_finding_code_is_documented() -> None:
    codes = codes_in_source()
    assert len(codes) > 40
    assert codes <= documented_codes(), sorted(codes - documented_codes())


def test_no_stale_codes_in_the_docs() -> None:
    assert documented_codes() <= codes_in_source(), sorted(documented_codes() - codes_in_source())


def test_fixtures_cover_the_main_rules() -> None:
    covered = set()
    for path in (FIXTURES / "fouten").glob("*.json"):
        covered |= {e["code"] for e in json.loads(path.read_text())["verwacht"]}
    must = {
        "yaml-syntax",
        "kop-geen-mapping",
        "bestand-leeg",
        "veld-onbekend",
        "veld-ontbreekt",
        "veld-type",
        "waarde-onbekend",
        "id-dubbel",
        "id-voorvoegsel",
        "netwerk-map",
        "datum-ongeldig",
        "datum-toekomst",
        "te-lang",
        "verwijzing-onbekend",
        "html-onveilig",
        "link-onveilig",
        "afbeelding-ontbreekt",
        "yaml-alias",
        "persoonsgegevens",
    }
    assert must <= covered, sorted(must - covered)


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    commands = [line.strip() for block in blocks[:2] for line in block.splitlines() if line.strip()]
    assert commands[:2] == ["make serve", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_fixture_descriptions_are_present() -> None:
    for path in sorted((FIXTURES / "fouten").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["beschrijving"] and data["verwacht"], path.name
        assert Path(path.with_suffix(".md")).is_file()
