"""Every bad input in tests/fixtures/fouten gives exactly the findings beside it.

Each fixture is a copy of the valid case tests/fixtures/basis/ams-0900.md with one kind
of problem written in; its .json file lists the expected codes and lines. Adding a
rule is adding two files.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.validate import check_content

from .conftest import FIXTURES, TODAY, case_folder

BAD = sorted((FIXTURES / "fouten").glob("*.md"))


def test_the_valid_base_cases_are_clean(content: Path) -> None:
    result = check_content(content, today=TODAY)
    assert result.findings == []
    assert sorted(c.id for c in result.cases) == ["ams-0900", "ams-0901"]


@pytest.mark.parametrize("fixture", BAD, ids=[p.stem for p in BAD])
def test_bad_input_gives_the_expected_findings(content: Path, fixture: Path) -> None:
    target = case_folder(content) / fixture.name
    (case_folder(content) / "ams-0900.md").unlink()
    shutil.copy2(fixture, target)
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))["verwacht"]

    result = check_content(content, today=TODAY)
    own = [f for f in result.findings if f.file.endswith(fixture.name)]
    assert Counter((f.code, f.line) for f in own) == Counter(
        (e["code"], e["line"]) for e in expected
    ), own
    for f in own:
        assert f.message and f.hint is not None
        assert f.severity in {"error", "warning"}
    if any(f.severity == "error" for f in own):
        assert not any(c.path.endswith(fixture.name) for c in result.cases)


@pytest.mark.parametrize("fixture", BAD, ids=[p.stem for p in BAD])
def test_kb_check_json_exits_1_with_a_finding_for_the_file(
    content: Path, fixture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (case_folder(content) / "ams-0900.md").unlink()
    shutil.copy2(fixture, case_folder(content) / fixture.name)
    code = main(["check", "--format", "json", "--content", str(content)])
    out = capsys.readouterr().out
    findings = json.loads(out)["bevindingen"]
    assert code == 1
    assert any(f["bestand"].endswith(fixture.name) and f["ernst"] == "fout" for f in findings)
    for f in findings:
        assert {"bestand", "regel", "code", "ernst", "melding", "tip"} <= f.keys()
    assert "Traceback" not in out
