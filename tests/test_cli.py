"""The kb command: exit codes, output formats and Dutch help, as an editor meets them."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb_tools.cli import build_parser, main

from .conftest import CONTENT, ROOT, case_folder
from .conftest import run_kb as run


def test_clean_content_exits_0_with_a_dutch_summary(content: Path, capsys) -> None:
    code, out, _ = run(["check", "--content", str(content)], capsys)
    assert code == 0
    assert out.strip().startswith("Alles in orde")


def test_errors_exit_1_with_file_line_and_tip(content: Path, capsys) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(path.read_text().replace("thema: [vervoer", "thema: [vervoerr"))
    code, out, _ = run(["check", "--content", str(content)], capsys)
    assert code == 1
    assert "ams-0900.md:14:" in out and "[waarde-onbekend]" in out
    assert "Tip: Bedoelt u 'vervoer'?" in out
    assert "1 fout in 1 bestand" in out


def test_warnings_fail_only_with_strict(content: Path, capsys) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(path.read_text().replace("## Tips\n", "## Tipjes\n"))
    assert run(["check", "--content", str(content)], capsys)[0] == 0
    assert run(["check", "--strict", "--content", str(content)], capsys)[0] == 1


def test_usage_errors_exit_2(content: Path, capsys) -> None:
    assert run(["check", "--content", str(content), "bestaat/niet.md"], capsys)[0] == 2
    assert run(["check", "--content", "/bestaat/niet"], capsys)[0] == 2
    code, _, err = run(["check", "--kleur"], capsys)
    assert code == 2 and "de optie --kleur bestaat niet" in err
    assert run(["check", "--format", "xml"], capsys)[0] == 2


def test_check_never_modifies_files(content: Path, capsys) -> None:
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    path = case_folder(content) / "ams-0900.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before[path] = path.read_bytes()
    run(["check", "--content", str(content)], capsys)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_github_format_escapes_and_annotates(content: Path, capsys) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(path.read_text().replace("plaats: Proefwijk", "plaats: ''"))
    code, out, _ = run(["check", "--format", "github", "--content", str(content)], capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("::error "))
    assert "file=" in line and ",line=9," in line and "title=kb controleer [veld-leeg]" in line
    assert "%0ATip: " in line


def test_json_format_lists_objects(content: Path, capsys) -> None:
    code, out, _ = run(["check", "--json", "--content", str(content)], capsys)
    assert code == 0 and json.loads(out)["bevindingen"] == []


@pytest.mark.parametrize("command", [[], ["check"], ["schema"]])
def test_help_is_dutch_with_an_example(command: list[str], capsys) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert "Gebruik:" in out and "Opties:" in out and "Voorbeeld" in out
    assert "show this help" not in out and "usage:" not in out


def test_every_subcommand_has_dutch_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, subparser in sub.choices.items():
        assert subparser.description and subparser.epilog, name
        assert "Voorbeeld" in subparser.epilog, name


def test_schema_is_generated_and_committed_in_sync(capsys) -> None:
    code, out, _ = run(["schema", "--content", str(CONTENT)], capsys)
    assert code == 0
    schema = json.loads(out)
    assert "titel" in schema["properties"] and "id" in schema["required"]
    assert "vervoer" in schema["properties"]["thema"]["items"]["enum"]
    committed = (CONTENT / "casus.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == schema, "Run: kb schema --out content/casus.schema.json"


def test_the_installed_command_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_writes_all_findings_to_a_markdown_summary(content: Path, capsys, tmp_path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(path.read_text().replace("thema: [vervoer", "thema: [vervoerr|<b>"))
    summary = tmp_path / "summary.md"
    args = ["check", "--format", "github", "--samenvatting", str(summary)]
    code, out, _ = run([*args, "--content", str(content)], capsys)
    assert code == 1 and out.startswith("::error file=")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Controle van de inhoud (kb controleer)")
    assert "| Bestand | Regel | Soort | Melding | Tip |" in text
    row = next(line for line in text.splitlines() if "ams-0900.md" in line)
    assert "| 14 | fout |" in row and "<b>" not in row and "&lt;b&gt;" in row


def test_every_command_has_dutch_help_with_an_example(capsys) -> None:
    from kb_tools.cli import build_parser

    commands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    for name in commands:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        out = capsys.readouterr().out
        assert out.startswith(f"Gebruik: kb {name}"), out[:80]
        assert "Opties:" in out and "Voorbeeld" in out, name


def test_the_summary_counts_one_case_and_one_answer_in_the_singular() -> None:
    from kb_tools.validate.report import summary

    assert (
        summary([], 2, 1, 1)
        == "Alles in orde: 2 bestanden gecontroleerd, 1 casus en 1 antwoord goedgekeurd."
    )
    assert summary([], 1, 3) == "Alles in orde: 1 bestand gecontroleerd, 3 casussen goedgekeurd."


def test_check_refuses_a_file_that_is_no_content(content: Path, tmp_path: Path, capsys) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Over dit project\n\nGeen casus.\n", encoding="utf-8")
    for named in (
        [str(readme)],
        [str(case_folder(content)), str(readme)],
        [str(ROOT / "mkdocs.yml")],
    ):
        code, out, err = run(["check", "--content", str(content), *named], capsys)
        assert code == 2 and out == ""
        assert "is geen casus, antwoord of pagina van de handleiding" in err
        assert "casussen/<netwerk>/" in err
    draft = tmp_path / "concept.md"  # a draft of a case outside content/ is still checked
    draft.write_text((case_folder(content) / "ams-0900.md").read_text(), encoding="utf-8")
    code, out, _ = run(["check", "--content", str(content), str(draft)], capsys)
    assert "1 bestand gecontroleerd" in out


def test_check_never_reads_a_file_through_a_linked_folder(content: Path, tmp_path, capsys) -> None:
    # 'kb controleer content/casussen/link/geheim.md' with link -> a folder elsewhere read
    # that file as a case; a link named itself was reported twice.
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "geheim.md").write_text('---\ntitel: "wachtwoord hunter2\n---\n', encoding="utf-8")
    (content / "casussen" / "link").symlink_to(outside, target_is_directory=True)
    (content / "casussen" / "pw.md").symlink_to(outside / "geheim.md")
    for named in ("link/geheim.md", "pw.md"):
        path = content / "casussen" / named
        code, out, err = run(["controleer", "--content", str(content), str(path)], capsys)
        assert code == 1 and "hunter2" not in out + err, out
        assert out.count("[bestand-link]") == 1 and "yaml" not in out, out


def test_a_summary_file_that_cannot_be_written_is_a_dutch_error(content, tmp_path, capsys) -> None:
    # '--samenvatting /' (a folder) ended in an IsADirectoryError traceback.
    for target in (tmp_path, tmp_path / "geen-map" / "samenvatting.md"):
        code, _, err = run(
            ["controleer", "--content", str(content), "--samenvatting", str(target)], capsys
        )
        assert code == 2 and "Traceback" not in err and "kan niet worden geschreven" in err, err
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>\n", encoding="utf-8")
    code, _, err = run(["linkcontrole", str(site), "--samenvatting", str(tmp_path)], capsys)
    assert code == 2 and "kan niet worden geschreven" in err, err
