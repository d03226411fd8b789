"""Similar solutions: a gold set from the seed documents, rarity, the search analysis,
reasons a resident understands, determinism, scale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb_tools.bench.synthetic import generate
from kb_tools.cli import main
from kb_tools.enrich import build_corpus
from kb_tools.enrich.reasons import TEXT_REASON
from kb_tools.enrich.similarity import FACET_WEIGHTS, TOP, Similarity
from kb_tools.facets import FACETS
from kb_tools.load.yamlsafe import parse
from kb_tools.mkdocs_plugin import MAX_EXPLICIT
from kb_tools.validate import check_content
from kb_tools.validate.duplicates import likely_duplicate_cases

from .conftest import CONTENT, TODAY, case_folder

DATA = Path(__file__).resolve().parent / "data"
GOLD = parse((DATA / "vergelijkbaar.yml").read_text(encoding="utf-8")).value["paren"]
SEEDS = {
    s["bestand"]
    for s in parse((CONTENT / "bronnen.yml").read_text(encoding="utf-8")).value["bronnen"]
}


@pytest.fixture(scope="module")
def corpus():
    result = check_content(CONTENT)
    return build_corpus(result.registry, result.cases)


@pytest.fixture(scope="module")
def similarity(corpus):
    return Similarity(corpus)


@pytest.fixture(scope="module")
def top(similarity):
    return similarity.top()


def ids(matches, k=TOP):
    return [m.case_id for m in matches[:k]]


def test_gold_set_is_data_from_the_seeds(corpus) -> None:
    assert len(GOLD) >= 15
    pairs = {tuple(sorted((p["a"], p["b"]))) for p in GOLD}
    assert len(pairs) == len(GOLD), "a pair is listed twice"
    for pair in GOLD:
        assert pair["a"] in corpus.by_id and pair["b"] in corpus.by_id, pair
        assert pair["waarom"].strip() and pair["zinnen"], pair
        for quote in pair["zinnen"]:
            assert quote["bron"] in SEEDS, quote
            assert len(quote["zin"].split()) >= 5, quote


@pytest.mark.parametrize("pair", GOLD, ids=[f"{p['a']}-{p['b']}" for p in GOLD])
def test_gold_pairs_are_in_each_others_top_five(top, pair) -> None:
    assert pair["b"] in ids(top[pair["a"]]), (pair["waarom"], top[pair["a"]])
    assert pair["a"] in ids(top[pair["b"]]), (pair["waarom"], top[pair["b"]])


def _variant(folder: Path, base: str, number: str, thema: str, knelpunten: str) -> None:
    text = base.replace("ams-0901", f"ams-{number}").replace("[[ams-0900]]", "elders")
    text = text.replace(
        "thema: [eten-en-maaltijden]", f"thema: [{thema}]\nknelpunten: [{knelpunten}]"
    )
    (folder / f"ams-{number}.md").write_text(text.replace("knelpunten: []\n", ""), encoding="utf-8")


def test_a_shared_rare_theme_counts_more_than_a_shared_common_obstacle(content: Path) -> None:
    """A lists a rare theme and a common obstacle; B shares only the theme, eight cases
    share only the obstacle: B comes first, and the obstacle's fixed facet weight (higher
    than the theme's) does not decide."""
    folder = case_folder(content)
    base = (folder / "ams-0901.md").read_text(encoding="utf-8")
    (folder / "ams-0901.md").unlink()
    (folder / "ams-0900.md").unlink()
    _variant(folder, base, "0001", "klussen", "geen-structurele-financiering")
    _variant(folder, base, "0002", "klussen", "")
    for n in range(3, 11):
        _variant(folder, base, f"{n:04d}", "ontmoeting", "geen-structurele-financiering")
    for n in range(11, 15):
        _variant(folder, base, f"{n:04d}", "ontmoeting", "")
    result = check_content(content, today=TODAY)
    assert not [f for f in result.findings if f.severity == "error"]
    matches = Similarity(build_corpus(result.registry, result.cases)).similar("ams-0001", 3)
    assert FACET_WEIGHTS["knelpunten"] > FACET_WEIGHTS["thema"]
    assert matches[0].case_id == "ams-0002"
    assert matches[0].reasons[0] == "zelfde thema: Klussendienst"
    assert matches[1].score < matches[0].score


def test_compounds_and_synonyms_feed_similarity(content: Path) -> None:
    """The text is analysed as search analyses it: a compound meets its part
    ("bijstandsuitkering" and "uitkering"), a synonym its term ("vpb" and
    "vennootschapsbelasting")."""
    folder = case_folder(content)
    base = (folder / "ams-0901.md").read_text(encoding="utf-8")
    bodies = {
        "0001": "Vrijwilligers met een bijstandsuitkering. De bijstandsuitkering bleef.",
        "0002": "Zij hadden een uitkering. Die uitkering bleef.",
        "0003": "Over de vpb sprak het bestuur lang. De vpb bleef.",
        "0004": "De vennootschapsbelasting kwam ter sprake. Vennootschapsbelasting bleef.",
        "0005": "Buren kookten samen. Het koken bleef.",
    }
    for number, body in bodies.items():
        text = base.replace("ams-0901", f"ams-{number}").replace("[[ams-0900]]", "elders")
        text = text.replace("Buren kenden elkaar niet.", body)
        (folder / f"ams-{number}.md").write_text(text, encoding="utf-8")
    result = check_content(content, today=TODAY)
    similarity = Similarity(build_corpus(result.registry, result.cases))
    assert similarity.similar("ams-0001", 1)[0].case_id == "ams-0002"
    assert similarity.similar("ams-0003", 1)[0].case_id == "ams-0004"


def test_never_itself_and_deterministic(corpus, top) -> None:
    again = Similarity(corpus).top()
    assert again == top
    for case_id, matches in top.items():
        assert case_id not in ids(matches, 99)
        assert len(matches) <= 5
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.lower()))


def test_reasons_are_labels_or_words_both_cases_write(corpus, similarity) -> None:
    """Every reason on the starter site (the matches the build asks for) is a kind of trait
    and names: term labels, or words that both cases write as such. Never a stem such as
    "vrijwillig", never a fragment such as "formele"."""
    kinds = {f.reason for f in FACETS if f.reason} | {TEXT_REASON}
    labels = {t.label for v in corpus.registry.vocabularies.values() for t in v.terms}
    seen = set()
    for case_id, matches in similarity.top(TOP + MAX_EXPLICIT).items():
        case = corpus.by_id[case_id]
        for m in matches:
            other = corpus.by_id[m.case_id]
            written = [_words(f"{c.title} {c.summary} {c.body}") for c in (case, other)]
            for reason in m.reasons:
                kind, _, names = reason.partition(": ")
                assert kind in kinds, reason
                seen.add(kind)
                for name in names.split(", "):
                    if kind != TEXT_REASON or name in labels:
                        assert name in labels, reason
                    else:
                        assert all(_words(name) <= w for w in written), (case_id, m, name)
                        assert name.lower() not in {"formele", "vrijwillig", "vrijwillige"}
    assert {"zelfde thema", "zelfde knelpunt", "zelfde wet", TEXT_REASON} <= seen


def test_reasons_of_the_issue_read_as_words(similarity, top) -> None:
    """Slotervaart aan de slag: the theme it shares with De Vrije Uitloop is named, and no
    reason of its list is a bare stem or fragment ("ook over: formele")."""
    matches = {m.case_id: m for m in top["ams-0008"]}
    assert "zelfde thema: Werk en meedoen" in matches["kzn-0201"].reasons
    text = " ".join(r for m in matches.values() for r in m.reasons)
    assert "formele" not in text and "ook over" not in text


def test_ties_break_by_id(content: Path) -> None:
    folder = case_folder(content)
    base = (folder / "ams-0901.md").read_text(encoding="utf-8")
    for number in ("0903", "0902", "0904"):
        text = base.replace("ams-0901", f"ams-{number}").replace("[[ams-0900]]", "elders")
        (folder / f"ams-{number}.md").write_text(text, encoding="utf-8")
    result = check_content(content, today=TODAY)
    matches = Similarity(build_corpus(result.registry, result.cases)).similar("ams-0901", 3)
    assert [m.case_id for m in matches] == ["ams-0902", "ams-0903", "ams-0904"]


def test_other_networks_get_a_modest_preference(similarity) -> None:
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


def test_kb_similar_cli(capsys, similarity) -> None:
    assert main(["similar", "utr-0101", "--content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    first = similarity.similar("utr-0101", 1)[0].case_id
    assert out.startswith("Lijkt op utr-0101") and f"1. {first}" in out and "zelfde wet" in out
    assert "ams-0001" in out  # its gold pair
    assert main(["similar", "utr-0101", "--json", "--aantal", "2", "--content", str(CONTENT)]) == 0
    data = json.loads(capsys.readouterr().out)["resultaten"]
    expected = similarity.similar("utr-0101", 2)
    assert [d["id"] for d in data] == [m.case_id for m in expected]
    assert [d["redenen"] for d in data] == [list(m.reasons) for m in expected] and data[0][
        "redenen"
    ]


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


def test_verbs_in_the_third_person_meet_their_other_forms() -> None:
    """Snowball leaves "koppelt" alone; it is the verb of "koppelen" and "koppel". A noun
    that ends in -t keeps its stem ("sport" is no "sporen", "start" no "staren")."""
    from kb_tools.dutch import stem

    assert stem("koppelt") == stem("koppelen") == stem("koppel")
    assert stem("maakt") == stem("maken") and stem("vindt") == stem("vinden")
    assert stem("sport") != stem("sporen") and stem("start") != stem("staren")
    assert stem("recht") == "recht" and stem("kracht") == "kracht"


def test_a_synonym_cut_down_by_stop_words_names_no_term(similarity) -> None:
    """ "goed doel" (ANBI) loses its stop word "goed"; "doel" alone names no ANBI, nor
    "geld" (from "geen geld") the term "Alleen vrijwillige inzet"."""
    tokens = similarity.analyzer.tokens("Ons doel is geld inzamelen voor een goede zaak.")
    assert not [t for t in tokens if ":" in t], tokens
    assert "wetgeving:anbi-sbbi" in similarity.analyzer.tokens("De ANBI-status hielp.")
