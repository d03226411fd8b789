"""Every kind of field in ``schema.KINDS`` has a check in the validator, an element in the
issue form and a JSON-Schema fragment, so a new kind without a handler fails here.
"""

from __future__ import annotations

import pytest

from kb_tools.load.registry import load_registry
from kb_tools.model import Registry
from kb_tools.schema import ANSWER_FIELDS, FIELDS, KINDS, Field
from kb_tools.tooling.forms import FORM_KINDS
from kb_tools.validate.values import KIND_CHECKS

from .conftest import CONTENT

ALL_FIELDS = (*FIELDS, *ANSWER_FIELDS)


@pytest.fixture(scope="module")
def registry() -> Registry:
    registry, findings = load_registry(CONTENT)
    assert not [f for f in findings if f.severity == "error"]
    return registry


def test_every_field_has_a_declared_kind() -> None:
    for field in ALL_FIELDS:
        assert field.kind in KINDS, field.name


def test_every_kind_is_used_by_a_field() -> None:
    assert set(KINDS) == {field.kind for field in ALL_FIELDS}


def test_kind_names_match_their_keys() -> None:
    assert all(name == kind.name for name, kind in KINDS.items())


def test_every_kind_has_a_check_in_the_validator() -> None:
    assert set(KIND_CHECKS) == set(KINDS)


def test_every_kind_has_an_element_in_the_issue_form() -> None:
    assert set(FORM_KINDS) == set(KINDS)


@pytest.mark.parametrize("field", ALL_FIELDS, ids=lambda f: f.name)
def test_every_field_has_a_json_schema_fragment(field: Field, registry: Registry) -> None:
    fragment = KINDS[field.kind].json_schema(field, registry)
    assert isinstance(fragment, dict) and ("type" in fragment or "enum" in fragment)
    # A fresh dict each call: json_schema adds the field's description to it.
    assert fragment is not KINDS[field.kind].json_schema(field, registry)
