"""Helpdesk answers (content/antwoorden/): validation, backlinks and short links.
The pages and the copy button are tested in test_site.py and test_browser.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.enrich import build_corpus
from kb_tools.render.views import answer_view, case_view, short_link
from kb_tools.validate import check_content

from .conftest import CONTENT, TODAY

VALID = """---
id: hd-0001
titel: "Welke rechtsvorm past bij ons?"
vraag: >-
  Wij willen een coöperatie oprichten. Is dat verstandig?
samenvatting: Dat hangt af van wat u wilt doen.
datum: 2025-12-01
beantwoord_door: landelijke-helpdesk
thema: [burenhulp]
bronnen:
  - document: actieprogramma-2018
    deel: Deel 1
---

## Antwoord

Kijk naar [[ams-0900]] en [[ams-0901|dit voorbeeld]].
"""


def write(content: Path, text: str, name: str = "hd-0001-rechtsvorm.md") -> Path:
    folder = content / "antwoorden"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(content: Path) -> set[str]:
    return {f.code for f in check_content(content, today=TODAY).findings}


@pytest.fixture(scope="module")
def real():
    result = check_content(CONTENT)
    assert not result.errors, result.errors
    return result


def test_the_starter_answers_are_valid_and_cite_cases(real) -> None:
    assert len(real.answers) >= 10
    case_ids = {c.id for c in real.cases}
    for answer in real.answers:
        assert answer.id.startswith("hd-")
        assert set(answer.links) & case_ids, f"{answer.id} cites no case"
        assert answer.meta.get("bronnen"), f"{answer.id} cites no source"


def test_a_valid_answer_passes(content: Path) -> None:
    write(content, VALID)
    result = check_content(content, today=TODAY)
    assert not result.errors, result.errors
    assert [a.id for a in result.answers] == ["hd-0001"]
    assert result.answers[0].links == ("ams-0900", "ams-0901")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("[[ams-0900]]", "[[ams-9999]]"), "verwijzing-onbekend"),
        (("[[ams-0900]]", "[[hd-0002]]"), "verwijzing-onbekend"),
        (
            ("vraag: >-\n  Wij willen een coöperatie oprichten. Is dat verstandig?\n", ""),
            "veld-ontbreekt",
        ),
        (("Kijk naar", "<script>alert(1)</script> Kijk naar"), "html-onveilig"),
        (("Kijk naar", "Mail jan@example.nl of bel 06-12345678. Kijk naar"), "persoonsgegevens"),
        (("Is dat verstandig?", "Bel mij: 06-12345678."), "persoonsgegevens"),
        (("id: hd-0001", "id: ams-0001"), "id-ongeldig"),
        (("landelijke-helpdesk", "Jan Jansen"), "waarde-onbekend"),
        (("## Antwoord", "## Uitleg"), "sectie-ontbreekt"),
        (("thema: [burenhulp]\n", "thema: [burenhulp]\nnetwerk: lsa\n"), "veld-onbekend"),
        (("datum: 2025-12-01", "datum: 1 december"), "datum-ongeldig"),
    ],
    ids=[
        "unknown-case",
        "unknown-answer",
        "missing-question",
        "script",
        "personal-body",
        "personal-question",
        "case-id",
        "person-as-role",
        "no-answer-section",
        "case-field",
        "bad-date",
    ],
)
def test_bad_answers_get_the_right_finding(content: Path, change, code: str) -> None:
    old, new = change
    assert old in VALID
    write(content, VALID.replace(old, new))
    errors = {f.code for f in check_content(content, today=TODAY).errors}
    assert code in errors, errors  # an error: the site is not built with it


def test_an_answer_id_is_not_reused(content: Path) -> None:
    write(content, VALID)
    write(content, VALID, "hd-0001-nog-een.md")
    assert "id-dubbel" in codes(content)


def test_backlinks_and_cited_cases(real) -> None:
    corpus = build_corpus(real.registry, real.cases, real.answers)
    answer = corpus.answers_by_id["hd-0002"]
    assert "nlz-0201" in answer.links
    assert answer in corpus.cited_by["nlz-0201"]
    case_page = case_view(corpus.by_id["nlz-0201"], corpus, "https://kb.example/")
    listed = {s["title"]: s for s in case_page["solutions"]}
    assert listed[answer.title]["reasons"] == ["Helpdeskantwoord dat deze casus noemt"]
    page = answer_view(answer, corpus, "https://kb.example/", {})
    cited = {c["title"]: c["summary"] for c in page["cited"] if c["kind"] == "Casus"}
    assert cited[corpus.by_id["nlz-0201"].title] == corpus.by_id["nlz-0201"].summary
    assert page["short_link_absolute"] == "https://kb.example/a/hd-0002/"
    assert page["citation"].startswith(answer.title)


def test_short_links() -> None:
    assert short_link("ams-0001") == "c/ams-0001/"
    assert short_link("hd-0002") == "a/hd-0002/"


def test_kb_link_prints_the_link_and_a_citation(monkeypatch, capsys) -> None:
    monkeypatch.setenv("KB_SITE_URL", "https://kennisbank.example/")
    assert main(["link", "hd-0002", "--content", str(CONTENT)]) == 0
    link, line = capsys.readouterr().out.splitlines()
    assert link == "https://kennisbank.example/a/hd-0002/"
    assert line.endswith(link) and "Helpdeskantwoord" in line
    assert main(["link", "AMS-0001", "--content", str(CONTENT), "--json"]) == 0
    assert '"url": "https://kennisbank.example/c/ams-0001/"' in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["link", "hd-9999", "--content", str(CONTENT)])
    assert exit_info.value.code == 2


def test_no_network_may_take_the_answer_prefix(content: Path) -> None:
    networks = content / "netwerken.yml"
    text = networks.read_text(encoding="utf-8")
    assert "voorvoegsel: ams" in text
    networks.write_text(text.replace("voorvoegsel: ams", "voorvoegsel: hd"), encoding="utf-8")
    messages = [f.message for f in check_content(content, today=TODAY).errors]
    assert any("voor helpdeskantwoorden" in m for m in messages), messages


def test_kb_zoek_finds_answers_with_their_short_link(tmp_path: Path) -> None:
    from kb_tools.index.helpdesk import SearchIndex

    index = SearchIndex(CONTENT, tmp_path / "cache")
    index.update()
    hits = index.search("vennootschapsbelasting coöperatie")
    answer = next(h for h in hits if h.id == "hd-0002")
    assert answer.link == "a/hd-0002/"
    assert answer.network.startswith("Helpdeskantwoord")
    assert any(h.id.startswith("nlz-") for h in hits)  # cases too, in one list
