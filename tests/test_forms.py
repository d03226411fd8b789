"""The GitHub issue form for a new case: generated from the case format, committed, and
never offering a value that kb controleer would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb_tools.cli import main
from kb_tools.load.registry import load_registry
from kb_tools.schema import ACTIVE_VALUES, FIELDS, FIELDS_BY_NAME, SECTIONS
from kb_tools.tooling import forms
from kb_tools.tooling.form_answers import Draft, choose

from .conftest import CONTENT, ROOT

FORM_DIR = ROOT / forms.FORM_DIR


@pytest.fixture(scope="module")
def registry():
    registry, findings = load_registry(CONTENT)
    assert not [f for f in findings if f.severity == "error"]
    return registry


def test_committed_form_is_what_kb_forms_generates(registry) -> None:
    for name, text in forms.generate(registry).items():
        committed = (FORM_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is outdated: run 'kb formulieren' and commit the result"


def test_kb_forms_writes_both_files(tmp_path: Path, capsys) -> None:
    assert main(["forms", "--out", str(tmp_path), "--content", str(CONTENT)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml", "nieuwe-casus.yml"]
    assert (tmp_path / "nieuwe-casus.yml").read_text() == (
        FORM_DIR / "nieuwe-casus.yml"
    ).read_text()


def test_form_has_every_field_and_section_once() -> None:
    form = yaml.safe_load((FORM_DIR / "nieuwe-casus.yml").read_text(encoding="utf-8"))
    assert form["labels"] == ["casus"]
    questions = [item for item in form["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in questions]
    labels = [item["attributes"]["label"] for item in questions]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
    for field in FIELDS:
        assert field.name in ids or field.name in forms.AUTOMATIC, field.name
    for title, _ in SECTIONS:
        assert title in labels
    for item in questions:
        required = item.get("validations", {}).get("required", False)
        if item["id"] in FIELDS_BY_NAME:
            assert required == FIELDS_BY_NAME[item["id"]].required, item["id"]
        if item["type"] == "dropdown":
            assert item["attributes"]["multiple"] == (FIELDS_BY_NAME[item["id"]].kind == "terms")


def test_every_dropdown_option_maps_to_a_valid_id(registry) -> None:
    form = yaml.safe_load((FORM_DIR / "nieuwe-casus.yml").read_text(encoding="utf-8"))
    elements = {e.id: e for e in forms.form_elements(registry)}
    dropdowns = [item for item in form["body"] if item["type"] == "dropdown"]
    assert len(dropdowns) >= 10
    for item in dropdowns:
        field = FIELDS_BY_NAME[item["id"]]
        if field.kind == "network":
            valid = set(registry.networks)
        elif field.kind == "active":
            valid = set(ACTIVE_VALUES)
        else:
            valid = set(registry.vocabularies[field.vocabulary].ids())
        options = item["attributes"]["options"]
        assert len(set(options)) == len(options), field.name
        assert set(options) != {"None"}, "GitHub reserves the option 'None'"
        for label in options:
            # ', ' separates the choices of a multiple dropdown in the issue body
            assert ", " not in label, label
            draft = Draft()
            value = choose(elements[item["id"]], label, draft)
            assert not draft.problems, (field.name, label)
            values = value if isinstance(value, list) else [value]
            assert len(values) == 1 and values[0] in valid, (field.name, label)
        assert len(options) == len(valid), field.name


def test_config_allows_blank_issues() -> None:
    config = yaml.safe_load((FORM_DIR / "config.yml").read_text(encoding="utf-8"))
    assert config == {"blank_issues_enabled": True}
