"""kb uit-issue: an issue-form body becomes a case file that passes kb controleer, or Dutch
messages per field that can be posted as an issue comment."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.load.registry import load_registry
from kb_tools.tooling.casefile import next_id, slugify
from kb_tools.tooling.form_answers import clean_text, quote_user
from kb_tools.tooling.intake import markdown_message
from kb_tools.validate import check_content

from .conftest import FIXTURES

ISSUES = FIXTURES / "issues"
NETWORK = "omzien-naar-elkaar"
TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_VANDAAG", TODAY)


def from_issue(name: str, content: Path, capsys, *extra: str) -> tuple[int, dict]:
    code = main(["from-issue", str(ISSUES / name), "--content", str(content), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def files(content: Path) -> set[Path]:
    return {p for p in (content / "casussen").rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["schoon.md", "rommelig.md"])
def test_good_issues_become_cases_that_pass_kb_check(name: str, content: Path, capsys) -> None:
    code, data = from_issue(name, content, capsys, "--schrijf")
    assert code == 0 and data["ok"] and data["geschreven"]
    assert data["id"] == "utr-0001"
    path = Path(data["bestand"])
    assert path.parent == content / "casussen" / NETWORK and path.is_file()
    assert all(m["ernst"] == "waarschuwing" for m in data["meldingen"])
    result = check_content(content, today=date(2026, 11, 23))
    assert not result.errors, result.errors
    assert "utr-0001" in {c.id for c in result.cases}


def test_messy_text_is_cleaned(content: Path, capsys) -> None:
    raw = (ISSUES / "rommelig.md").read_bytes()
    assert b"\r\n" in raw and "\u201c".encode() in raw and "\u00a0".encode() in raw
    _, data = from_issue("rommelig.md", content, capsys, "--schrijf")
    text = Path(data["bestand"]).read_text(encoding="utf-8")
    for bad in ("\r", "\u201c", "\u201d", "\u2018", "\u2019", "\u00a0", "\u200b", "\u200d"):
        assert bad not in text, repr(bad)
    assert 'titel: Zorgcoöperatie "De Linde" helpt ouderen thuis' in text
    assert Path(data["bestand"]).name == "zorgcooperatie-de-linde-helpt-ouderen-thuis.md"
    # empty optional answers are left out, not written as '_No response_'
    assert "No response" not in text and "initiatief:" not in text and "## Tips" not in text


def test_clean_issue_maps_labels_to_ids(content: Path, capsys) -> None:
    _, data = from_issue("schoon.md", content, capsys, "--schrijf")
    text = Path(data["bestand"]).read_text(encoding="utf-8")
    assert "thema: [vervoer, ontmoeting]" in text
    assert "financiering: [gemeentelijke-subsidie, giften]" in text
    assert "omgeving: dorp" in text and "actief: ja" in text
    assert "waarde: 12500" in text  # '€ 12.500' from the form
    assert f"gepubliceerd: {TODAY}" in text


def test_bad_issue_gets_dutch_messages_per_field_and_writes_nothing(content: Path, capsys) -> None:
    before = files(content)
    code, data = from_issue("fout.md", content, capsys, "--schrijf")
    assert code == 1 and not data["ok"] and not data["geschreven"] and data["bestand"] is None
    assert files(content) == before
    errors = {m["veld"]: m["melding"] for m in data["meldingen"] if m["ernst"] == "fout"}
    assert "verplicht" in errors["Titel"]
    assert (
        "`Utrechtt` is geen keuze" in errors["Provincie"]
        and "Bedoelt u 'Utrecht'?" in errors["Provincie"]
    )
    assert "`Gezelligheid` is geen keuze" in errors["Thema"]
    assert "geen getal" in errors["Cijfers"]
    assert "Vink dit aan" in errors["Ik heb de tekst in eigen woorden geschreven"]


def test_text_output_is_an_issue_comment(content: Path, capsys) -> None:
    code = main(["from-issue", str(ISSUES / "fout.md"), "--content", str(content)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("De casus kan nog niet worden gemaakt.")
    assert "- **Titel**: Dit is verplicht. Vul dit in." in out


def test_without_schrijf_nothing_is_written(content: Path, capsys) -> None:
    before = files(content)
    code = main(["from-issue", str(ISSUES / "schoon.md"), "--content", str(content)])
    out = capsys.readouterr().out
    assert code == 0 and "gebruik --schrijf" in out and "utr-0001" in out
    assert files(content) == before


def test_netwerk_option_wins_and_ids_follow_the_folder(content: Path, capsys) -> None:
    code, data = from_issue("schoon.md", content, capsys, "--netwerk", "amsterdamse-stadsdorpen")
    assert code == 0 and data["id"] == "ams-0902"  # the fixtures hold ams-0900 and ams-0901


def test_ids_are_never_reused_and_file_names_stay_unique(content: Path, capsys) -> None:
    (content / "gepubliceerd.yml").write_text(
        "utr-0041:\n  gepubliceerd: 2026-01-01\n  adressen:\n    - casussen/x/weg/\n"
        "  vervangen_door: ams-0900\n",
        encoding="utf-8",
    )
    first = from_issue("schoon.md", content, capsys, "--schrijf")[1]
    second = from_issue("schoon.md", content, capsys, "--schrijf")[1]
    assert (first["id"], second["id"]) == ("utr-0042", "utr-0043")
    assert Path(second["bestand"]).name.endswith("-dokter-2.md")
    registry, _ = load_registry(content)
    assert next_id(content, registry.networks[NETWORK]) == "utr-0044"


def test_unknown_network_is_a_usage_error(content: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["from-issue", str(ISSUES / "schoon.md"), "--content", str(content), "--netwerk", "x"])
    assert exc.value.code == 2


def test_helpers() -> None:
    assert clean_text("a\u00a0b\u200b \u201cc\u201d\r\n") == 'a b "c"'
    assert slugify("Zorgcoöperatie “De Bron”: 100% samen!") == "zorgcooperatie-de-bron-100-samen"
    assert slugify("???") == "casus"
    assert len(slugify("woord " * 40)) <= 60


def outside_code(markdown: str) -> str:
    """The text of a Markdown comment with its inline code spans taken out."""
    return re.sub(r"`[^`\n]*`", "", markdown)


def test_hostile_answers_are_quoted_inert_and_short(content: Path, capsys) -> None:
    """Answers are echoed in the bot's comment: no mention, image, link or HTML may become
    active there, and a 10,000-character answer must not become a 10,000-character comment."""
    code = main(["from-issue", str(ISSUES / "vijandig.md"), "--content", str(content)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("De casus kan nog niet worden gemaakt.")
    text = outside_code(out)
    for bad in ("@everyone", "![", "](", "<script", "<img", "javascript:", "https://evil"):
        assert bad not in text, (bad, out)
    assert "AAAAAAAAAA" * 7 not in out  # cut to a short length
    assert len(out) < 5000, len(out)
    # every line is one message: no newlines or backticks from the answers break out
    assert all(line.startswith(("De casus", "- **", "- En nog")) for line in out.splitlines())
    assert out.count("`") % 2 == 0
    # the messages still say which answer is wrong, quoted
    assert (
        "- **Provincie**: `@everyone ![x](https://evil/x.png) [klik](javascript:alert(…` "
        "is geen keuze bij deze vraag." in out
    )
    assert "- **Thema**: En nog 497 meldingen bij deze vraag." in out
    # what kb controleer says about the answers is quoted the same way
    assert "kent het veld `@everyone ![x](https` niet." in out
    assert "Beheerders zijn: `@zorgzame-kennisbank/redactie-utrecht`." in out
    # a heading the user typed is never taken for the name of a question
    assert "- **Aanpak**: Let op: `## @everyone" in out


def test_quote_user() -> None:
    assert quote_user("Utrechtt") == "`Utrechtt`"
    assert quote_user("a`b``c") == "`a'b''c`"
    assert quote_user("een\nregel\r\tmet\x00stuurtekens\u202e") == "`een regel met stuurtekens`"
    assert quote_user("x" * 100) == "`" + "x" * 59 + "…`"
    assert quote_user("   ") == "(leeg)"


def test_markdown_message_quotes_values_and_falls_back_when_unsure() -> None:
    assert markdown_message("'Utrechtt' staat niet in de woordenlijst.") == (
        "`Utrechtt` staat niet in de woordenlijst."
    )
    assert markdown_message("Beheerders zijn: @org/team.") == "Beheerders zijn: `@org/team`."
    # a value with quotes in it leaves active Markdown outside the quotes: quote it all
    sneaky = "'a' @everyone ![x](https://evil/x.png) 'b' is geen beheerder."
    assert markdown_message(sneaky) == quote_user(sneaky, limit=300)
    assert markdown_message("x `@everyone` y") == "x `@everyone` y"  # the user's own quotes


def test_ids_taken_by_open_intake_pull_requests_are_skipped(
    content: Path, tmp_path: Path, capsys
) -> None:
    """Two issues turned into cases from the same main: the second must not get the id of
    the first, which is still in its own (open) pull request."""
    registry, _ = load_registry(content)
    network = registry.networks[NETWORK]
    assert next_id(content, network) == "utr-0001"
    assert next_id(content, network, {"utr-0001", "utr-0002", "ams-0003"}) == "utr-0003"
    _, data = from_issue("schoon.md", content, capsys, "--bezet", "utr-0001,utr-0002")
    assert data["id"] == "utr-0003"
    _, data = from_issue("schoon.md", content, capsys, "--bezet", "utr-0001", "--bezet", "utr-0002")
    assert data["id"] == "utr-0003"
    taken = tmp_path / "bezet.txt"
    taken.write_text("utr-0001\n\nutr-0003\n", encoding="utf-8")
    _, data = from_issue("schoon.md", content, capsys, "--bezet-bestand", str(taken))
    assert data["id"] == "utr-0002"  # a gap is fine: that id was never given out
    # the text output names the id too
    code = main(
        ["from-issue", str(ISSUES / "schoon.md"), "--content", str(content)]
        + ["--bezet-bestand", str(taken), "--bezet", "utr-0002"]
    )
    assert code == 0 and "De casus utr-0004 is in orde" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        (["--bezet", "utr-1"], "'utr-1' is geen nummer van een casus"),
        (["--bezet", "utr-0001,@everyone"], "'@everyone' is geen nummer van een casus"),
        (["--bezet-bestand", "bestaat-niet"], "'bestaat-niet' bestaat niet"),
    ],
)
def test_bad_reserved_ids_are_a_usage_error(
    content: Path, extra: list[str], why: str, capsys
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["from-issue", str(ISSUES / "schoon.md"), "--content", str(content), *extra])
    assert exc.value.code == 2
    assert why in capsys.readouterr().err
