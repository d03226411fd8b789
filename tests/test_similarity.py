"""Similar solutions: a gold set from a domain expert's view, determinism, reasons, scale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_tools.bench.synthetic import generate
from kb_tools.cli import main
from kb_tools.enrich import build_corpus
from kb_tools.enrich.similarity import FACET_WEIGHTS, Similarity
from kb_tools.facets import FACETS
from kb_tools.load.yamlsafe import parse
from kb_tools.validate import check_content
from kb_tools.validate.duplicates import likely_duplicate_cases

from .conftest import CONTENT, FIXTURES, TODAY, case_folder

GOLD = parse((FIXTURES / "gold" / "vergelijkbaar.yml").read_text(encoding="utf-8")).value["paren"]


@pytest.fixture(scope="module")
def corpus():
    result = check_content(CONTENT)
    return build_corpus(result.registry, result.cases)


@pytest.fixture(scope="module")
def top(corpus):
    return Similarity(corpus).top()


def ids(matches, k=3):
    return [m.case_id for m in matches[:k]]


@pytest.mark.parametrize("pair", GOLD, ids=[f"{p['a']}-{p['b']}" for p in GOLD])
def test_gold_pairs_rank_in_each_others_top_3(top, pair) -> None:
    assert pair["b"] in ids(top[pair["a"]]), (pair["waarom"], top[pair["a"]][:3])
    if pair["wederzijds"] == "ja":
        assert pair["a"] in ids(top[pair["b"]]), (pair["waarom"], top[pair["b"]][:3])


@pytest.mark.parametrize("pair", GOLD, ids=[f"{p['a']}-{p['b']}" for p in GOLD])
def test_sharing_only_a_theme_does_not_outrank_a_gold_pair(corpus, top, pair) -> None:
    a = corpus.by_id[pair["a"]]
    gold_score = next(m.score for m in top[a.id] if m.case_id == pair["b"])
    strong = ("wetgeving", "financiering", "knelpunten", "rechtsvorm")
    for other in top[a.id]:
        case = corpus.by_id[other.case_id]
        shares_strong = any(
            t != "onbekend" and t in corpus.terms_of(case, f)
            for f in strong
            for t in corpus.terms_of(a, f)
        )
        if not shares_strong:
            assert other.score < gold_score, (other, gold_score)


def test_never_itself_and_deterministic(corpus, top) -> None:
    again = Similarity(corpus).top()
    assert again == top
    for case_id, matches in top.items():
        assert case_id not in ids(matches, 99)
        assert len(matches) <= 5
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)


def test_reasons_are_plain_dutch(corpus, top) -> None:
    reasons = [r for matches in top.values() for m in matches for r in m.reasons]
    assert any(r.startswith("zelfde wet: Wmo 2015") for r in reasons)
    assert any(r.startswith("zelfde financiering: Right to Challenge") for r in reasons)
    assert any(r.startswith("beide noemen: ") for r in reasons)
    # Every reason is a kind of trait and the labels of vocabulary terms: never a bare
    # stem of the text ("ook over: procent, welzijnsaanbieder").
    kinds = {f.reason for f in FACETS if f.reason} | {"beide noemen"}
    labels = {t.label for v in corpus.registry.vocabularies.values() for t in v.terms}
    for reason in reasons:
        kind, _, names = reason.partition(": ")
        assert kind in kinds, reason
        assert names and all(n in labels for n in names.split(", ")), reason


def test_ties_break_by_id(content: Path) -> None:
    folder = case_folder(content)
    base = (folder / "ams-0901.md").read_text(encoding="utf-8")
    for number in ("0903", "0902", "0904"):
        text = base.replace("ams-0901", f"ams-{number}").replace("[[ams-0900]]", "elders")
        (folder / f"ams-{number}.md").write_text(text, encoding="utf-8")
    result = check_content(content, today=TODAY)
    matches = Similarity(build_corpus(result.registry, result.cases)).similar("ams-0901", 3)
    assert [m.case_id for m in matches] == ["ams-0902", "ams-0903", "ams-0904"]


def test_other_networks_get_a_modest_preference(corpus) -> None:
    similarity = Similarity(corpus)
    row = similarity.index["utr-0101"]
    scores = similarity.scores(row, row + 1)[0]
    same = [j for j, c in enumerate(similarity.cases) if c.network == "omzien-naar-elkaar"]
    assert all(scores[j] <= 1.0 for j in same)
    assert FACET_WEIGHTS["wetgeving"] > FACET_WEIGHTS["thema"]


def test_similarity_scales_to_a_large_corpus(tmp_path: Path) -> None:
    generate(tmp_path / "c", 1500, source=CONTENT)
    result = check_content(tmp_path / "c")
    top = Similarity(build_corpus(result.registry, result.cases)).top()
    assert len(top) == 1500 and all(len(m) == 5 for m in top.values())


def test_kb_similar_cli(capsys) -> None:
    assert main(["similar", "utr-0101", "--content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lijkt op utr-0101") and "1. utr-0102" in out and "zelfde wet" in out
    assert main(["similar", "utr-0101", "--json", "--aantal", "2", "--content", str(CONTENT)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == ["utr-0102", "ams-0001"] and data[0]["redenen"]


def test_kb_similar_usage_errors(capsys) -> None:
    for args in (["similar"], ["similar", "xx-0000"], ["similar", "utr-0101", "--aantal", "0"]):
        with pytest.raises(SystemExit) as exit_info:
            main([*args, "--content", str(CONTENT)])
        assert exit_info.value.code == 2


def test_duplicates_across_networks_are_found_and_warned(content: Path, capsys) -> None:
    folder = case_folder(content)
    copy = (folder / "ams-0900.md").read_text(encoding="utf-8")
    copy = copy.replace("id: ams-0900", "id: utr-0900").replace(
        "netwerk: amsterdamse-stadsdorpen", "netwerk: omzien-naar-elkaar"
    )
    copy = copy.replace(
        'door: "@zorgzame-kennisbank/redactie-amsterdam"',
        'door: "@zorgzame-kennisbank/redactie-utrecht"',
    )
    other = content / "casussen" / "omzien-naar-elkaar"
    other.mkdir()
    (other / "zelfde.md").write_text(copy, encoding="utf-8")
    result = check_content(content, today=TODAY)
    warnings = [f for f in result.findings if f.code == "dubbel-mogelijk"]
    assert len(warnings) == 1 and warnings[0].file.endswith("zelfde.md")
    assert "ams-0900" in warnings[0].message and warnings[0].severity == "warning"
    pairs = likely_duplicate_cases(result.cases)
    assert [(p.first, p.second) for p in pairs] == [("ams-0900", "utr-0900")]
    assert main(["similar", "--pairs", "--content", str(content)]) == 0
    assert "ams-0900 en utr-0900" in capsys.readouterr().out


def test_case_pages_show_one_list_of_similar_solutions_with_reasons(tmp_path: Path) -> None:
    """Explicit relations, answers citing the case and similar cases are one list; a case
    that is both named and similar is listed once, with both reasons."""
    from .test_site import build

    site = tmp_path / "site"
    assert build(site).returncode == 0
    html = (site / "casussen/omzien-naar-elkaar/rhenen-right-to-challenge/index.html").read_text()
    assert html.count("Vergelijkbare oplossingen") == 1 and "Verwante casussen" not in html
    listed = html.split('id="kb-solutions-title"', 1)[1].split("</section>", 1)[0]
    assert "zelfde knelpunt" in listed
    named = listed.split("elsrijk-right-to-challenge/", 1)[1].split("</li>", 1)[0]
    assert "Genoemd in deze casus" in named
    assert listed.count("elsrijk-right-to-challenge/") == 1
    assert listed.count("<li") <= 8
