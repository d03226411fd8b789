"""No input, however strange, produces a traceback: hypothesis feeds the loader and the
validator text, bytes and YAML-ish frontmatter and checks that only findings come back.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kb_tools.load.documents import parse_document
from kb_tools.load.registry import load_registry
from kb_tools.model import Finding
from kb_tools.validate.body import check_body
from kb_tools.validate.fields import CaseValidator

from .conftest import CONTENT, FIXTURES

REGISTRY, _ = load_registry(CONTENT)
VALIDATOR = CaseValidator(REGISTRY, date(2026, 1, 1))
BASE = (FIXTURES / "basis" / "ams-0900.md").read_text(encoding="utf-8")
PATH = CONTENT / "casussen" / "amsterdamse-stadsdorpen" / "fuzz.md"
FILES = frozenset({"casussen/amsterdamse-stadsdorpen/fuzz.md"})
YAMLISH = st.text(alphabet=string.printable + "ëö€\u200b&*!|>-[]{}:#'\"", max_size=400)


def run_all(text: str) -> list[Finding]:
    loaded = parse_document(PATH, "fuzz.md", text)
    findings = list(loaded.findings)
    if loaded.document is not None:
        _, problems = VALIDATOR.validate(loaded.document)
        body_findings, _ = check_body(loaded.document, FILES)
        findings += problems + body_findings
    for f in findings:
        assert isinstance(f, Finding) and f.message and f.code
    return findings


@given(st.text(max_size=2000))
def test_any_text_gives_findings_not_exceptions(text: str) -> None:
    run_all(text)


@given(YAMLISH)
def test_any_frontmatter_gives_findings_not_exceptions(frontmatter: str) -> None:
    run_all(f"---\n{frontmatter}\n---\n\n## Situatie\n\ntekst\n")


@given(st.sampled_from(BASE.split("\n")[1:37]), YAMLISH)
def test_any_field_value_gives_findings_not_exceptions(line: str, value: str) -> None:
    key = line.split(":")[0]
    run_all(BASE.replace(line, f"{key}: {value}", 1))


@given(st.text(alphabet=string.printable + "<>[]()!`~&#;:ëö\u202e", max_size=1500))
def test_any_body_gives_findings_not_exceptions(body: str) -> None:
    run_all(BASE.split("---\n", 2)[0] + "---\n" + BASE.split("---\n", 2)[1] + "---\n" + body)


@given(st.binary(max_size=1500))
def test_any_bytes_give_findings_not_exceptions(tmp_path_factory, data: bytes) -> None:
    from kb_tools.load.documents import load_document

    path: Path = tmp_path_factory.mktemp("fuzz") / "x.md"
    path.write_bytes(data)
    loaded = load_document(path, "x.md")
    if loaded.document is not None:
        VALIDATOR.validate(loaded.document)
        check_body(loaded.document, FILES)
