"""kb nieuw: a case made by answering questions in the terminal, with scripted answers."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.load.registry import load_registry
from kb_tools.tooling.forms import form_elements
from kb_tools.tooling.intake import Stop, interview
from kb_tools.validate import check_content

TODAY = date(2026, 11, 23)
LONG = "Te lange samenvatting. " * 30


def number(content: Path, key: str, *ids: str) -> str:
    """The menu numbers of these ids, as a volunteer would type them."""
    registry, _ = load_registry(content)
    element = next(e for e in form_elements(registry) if e.key == key)
    values = [value for _, value in element.options]
    return ", ".join(str(values.index(i) + 1) for i in ids)


def script(content: Path, *, ask_network: bool) -> list[str]:
    """One line per prompt; an empty line skips an optional question or ends a text."""
    lines = [
        "",  # titel is required: asked again
        "Samen koken in Lunetten",
        LONG,  # samenvatting: accepted now, refused by the validator at the end
        "",
    ]
    if ask_network:
        lines.append(number(content, "netwerk", "omzien-naar-elkaar"))
    lines += [
        "",  # initiatief
        "Utrecht",  # plaats
        "",  # actief
        number(content, "thema", "eten-en-maaltijden", "ontmoeting"),
        "",  # knelpunten
        number(content, "financiering", "vrijwillige-inzet"),
        "",  # wetgeving
        number(content, "rechtsvorm", "informeel-collectief"),
        "",  # type
        "99",  # provincie: not in the list, asked again
        number(content, "provincie", "utrecht"),
        "",  # fase
        "",  # omgeving
        "Vrijwilligers; 12; 2025",  # cijfers
        "",
        "",  # bronnen
        "",  # gerelateerd
        "",  # contact
        "",  # controle
        "Ouderen in de wijk aten vaak alleen.",  # Situatie
        "",
        "Buren koken om de beurt in het buurthuis.",  # Aanpak
        "",
        "",  # Wat werkte
        "",  # Wat werkte niet
        "Elke week eten twintig buren samen.",  # Resultaat
        "",
        "",  # Tips
        "ja",  # toestemming
        "Buren koken elke week samen in Lunetten.",  # samenvatting, asked again
        "",
    ]
    return lines


def test_interview_asks_until_the_case_passes_kb_check(content: Path) -> None:
    registry, _ = load_registry(content)
    out = io.StringIO()
    answers = io.StringIO("\n".join(script(content, ask_network=True)) + "\n")
    outcome = interview(content, registry, None, TODAY, answers, out)
    text = out.getvalue()
    assert outcome.ok and outcome.case_id == "utr-0001"
    assert "Het nummer van de casus wordt utr-0001." in text
    assert text.count("Titel (verplicht)") == 2 and "Dit is verplicht. Vul dit in." in text
    assert "`99` is geen keuze" in text
    assert " 1. Amsterdamse Stadsdorpen" in text  # choices as a numbered list
    assert "Er klopt nog iets niet:" in text and "- Samenvatting:" in text
    assert "thema: [eten-en-maaltijden, ontmoeting]" in outcome.text
    assert "samenvatting: Buren koken elke week samen in Lunetten." in outcome.text


def test_kb_nieuw_writes_a_case_that_passes_kb_check(
    content: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_VANDAAG", TODAY.isoformat())
    answers = "\n".join(script(content, ask_network=False)) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    code = main(["nieuw", "--netwerk", "omzien-naar-elkaar", "--content", str(content)])
    out = capsys.readouterr().out
    assert code == 0
    path = content / "casussen" / "omzien-naar-elkaar" / "samen-koken-in-lunetten.md"
    assert path.is_file() and str(path) in out
    result = check_content(content, today=TODAY)
    assert not result.errors, result.errors
    assert "utr-0001" in {c.id for c in result.cases}


def test_input_that_ends_early_writes_nothing(
    content: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted((content / "casussen").rglob("*"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("Alleen een titel\n"))
    assert main(["nieuw", "--content", str(content)]) == 1
    assert "Gestopt" in capsys.readouterr().err
    assert sorted((content / "casussen").rglob("*")) == before


def test_stop_is_raised_at_end_of_input(content: Path) -> None:
    registry, _ = load_registry(content)
    with pytest.raises(Stop):
        interview(content, registry, None, TODAY, io.StringIO(""), io.StringIO())
