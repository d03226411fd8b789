"""YAML mistakes editors make, in a case's kop and in a registry file: each gives one
finding in B1 Dutch that names the file and the line where the mistake is, never
PyYAML's English. Fixtures: tests/fixtures/yaml/<name>.md (a case) or .yml (the
vocabulary omgeving.yml), with <name>.json beside it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kb_tools.cli import main
from kb_tools.load import yamlerrors, yamlsafe
from kb_tools.validate import check_content

from .conftest import FIXTURES, TODAY, case_folder

FIXTURE_DIR = FIXTURES / "yaml"
CASES = sorted([*FIXTURE_DIR.glob("*.md"), *FIXTURE_DIR.glob("*.yml")])

#: Words of PyYAML's messages that no Dutch message of kb has.
ENGLISH = re.compile(
    r"\b(found|expected|while|scanning|parsing|mapping|allowed|token|character|stream|"
    r"could|determine|constructor|indicator|block|scalar|flow)\b",
    re.IGNORECASE,
)


def place(content: Path, fixture: Path) -> Path:
    if fixture.suffix == ".md":
        (case_folder(content) / "ams-0900.md").unlink()
        target = case_folder(content) / fixture.name
    else:
        target = content / "vocabulaires" / "omgeving.yml"
    shutil.copy2(fixture, target)
    return target


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_a_yaml_mistake_is_one_dutch_finding_at_its_line(content: Path, fixture: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    target = place(content, fixture)
    result = check_content(content, today=TODAY)
    own = [f for f in result.findings if f.file.endswith(target.name)]
    # A broken vocabulary is also missing for the rest of the check; that finding has no line.
    located = [f for f in own if f.line is not None]
    assert [(f.code, f.line) for f in located] == [(expected["code"], expected["regel"])], own
    finding = located[0]
    assert finding.severity == "error"
    assert expected["woord"] in finding.message, finding.message
    assert finding.hint, "every YAML finding says how to fix it"
    for f in own:
        assert not ENGLISH.search(f.message + f.hint), f


@pytest.mark.parametrize("fixture", CASES[:3], ids=[p.stem for p in CASES[:3]])
def test_kb_check_names_file_and_line(content: Path, fixture: Path, capsys) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    target = place(content, fixture)
    assert main(["check", "--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"{re.escape(target.name)}:{expected['regel']}:\d+: fout ", out), out


# Errors the fixtures do not reach: every one still gets Dutch (the libyaml words and the
# pure-Python loader's, which differ), and an unknown error a general Dutch text.
MORE = [
    "a:\n  b: 1\n c: 2\n",
    "a: b\n- c\n",
    "- a\nb: c\n",
    "titel: %foo\n",
    'titel: "a\\qb"\n',
    "a: *x\n",
    "a: !x!y b\n",
    "a: 1\n---\nb: 2\n",
    "a: b\x07\n",
    'a: "b" c\n',
    "a: &x 1\nb: &x 2\n",
    "a: b\n'c'\n",
    "a: |\n b\nc\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "a: &\n",
    "a: ]\n",
    "a: >x\n",
    "x: {a: 1\ny: 2\n",
    "a: b\n... \nc: d\n",
]


@pytest.mark.parametrize("text", MORE)
@pytest.mark.parametrize("loader", ["libyaml", "python"])
def test_every_pyyaml_error_is_dutch(text: str, loader: str, monkeypatch) -> None:
    if loader == "python":  # PyYAML without libyaml: the same loader on the Python base
        own = {k: v for k, v in vars(yamlsafe._Loader).items() if not k.startswith("__")}
        monkeypatch.setattr(yamlsafe, "_Loader", type("PyLoader", (yaml.SafeLoader,), own))
    problem = yamlsafe.parse(text)
    assert isinstance(problem, yamlsafe.YamlProblem), text
    assert problem.message.startswith("De kop is geen geldige YAML: ") or problem.code != (
        "yaml-syntax"
    )
    assert not ENGLISH.search(problem.message + problem.hint), problem
    assert problem.message != f"De kop is geen geldige YAML: {yamlerrors.GENERIC[0]}.", problem


def test_an_unknown_pyyaml_error_gets_general_dutch() -> None:
    error = yaml.MarkedYAMLError(problem="some new libyaml problem", problem_mark=None)
    what, hint, _ = yamlerrors.explain(error, "a: b\n")
    assert (what, hint) == yamlerrors.GENERIC
    assert not ENGLISH.search(what + hint)


def test_a_registry_message_does_not_speak_of_a_kop(content: Path) -> None:
    place(content, FIXTURE_DIR / "register-tab.yml")
    result = check_content(content, today=TODAY)
    own = [f for f in result.findings if f.file.endswith("omgeving.yml") and f.line]
    assert own and own[0].message.startswith("Dit bestand is geen geldige YAML")
