"""File-level input that fixtures cannot hold as text: encodings, sizes, images, places."""

from __future__ import annotations

from pathlib import Path

from kb_tools.layout import MAX_IMAGE_BYTES
from kb_tools.load.files import MAX_FILE_BYTES
from kb_tools.validate import check_content

from .conftest import FIXTURES, TODAY, case_folder

BASE = (FIXTURES / "basis" / "ams-0900.md").read_text(encoding="utf-8")


def codes_for(content: Path, name: str) -> list[tuple[str, int | None]]:
    result = check_content(content, today=TODAY)
    return [(f.code, f.line) for f in result.findings if f.file.endswith(name)]


def test_bom_and_crlf_are_accepted(content: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode("utf-8"))
    result = check_content(content, today=TODAY)
    assert result.findings == []
    case = next(c for c in result.cases if c.id == "ams-0900")
    assert "\r" not in case.body and case.title.startswith("Buren")


def test_old_mac_line_endings_are_accepted(content: Path) -> None:
    (case_folder(content) / "ams-0900.md").write_bytes(BASE.replace("\n", "\r").encode())
    assert codes_for(content, "ams-0900.md") == []


def test_non_utf8_bytes_name_the_line(content: Path) -> None:
    text = BASE.replace("Proefwijk\nprovincie", "Proefwijk caf\xe9\nprovincie")
    (case_folder(content) / "ams-0900.md").write_bytes(text.encode("latin-1"))
    assert codes_for(content, "ams-0900.md") == [("codering", 9)]


def test_nul_bytes_are_refused(content: Path) -> None:
    (case_folder(content) / "ams-0900.md").write_bytes(BASE.encode() + b"\x00\x01binary")
    assert [c for c, _ in codes_for(content, "ams-0900.md")] == ["codering"]


def test_a_huge_file_is_refused_without_reading_it(content: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(BASE + ("Lange tekst. " * (MAX_FILE_BYTES // 10)), encoding="utf-8")
    assert codes_for(content, "ams-0900.md") == [("bestand-te-groot", None)]


def test_a_huge_frontmatter_is_refused(content: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(BASE.replace("plaats: Proefwijk", "plaats: " + "x" * 40_000), encoding="utf-8")
    assert codes_for(content, "ams-0900.md") == [("yaml-te-groot", 1)]


def test_deep_nesting_does_not_crash_the_parser(content: Path) -> None:
    path = case_folder(content) / "ams-0900.md"
    path.write_text(BASE.replace("plaats: Proefwijk", "plaats: " + "[" * 20_000), encoding="utf-8")
    assert [c for c, _ in codes_for(content, "ams-0900.md")] in (["yaml-te-groot"], ["yaml-syntax"])


def test_images_next_to_the_case_are_checked(content: Path) -> None:
    folder = case_folder(content)
    (folder / "klein.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    (folder / "groot.jpg").write_bytes(b"\xff\xd8" + b"0" * (MAX_IMAGE_BYTES + 1))
    text = BASE.replace(
        "Begin klein.", "![Vrijwilligers](klein.png)\n![Bus](groot.jpg)\n![](klein.png)"
    )
    (folder / "ams-0900.md").write_text(text, encoding="utf-8")
    assert sorted(codes_for(content, "ams-0900.md")) == [("afbeelding-beschrijving", 70)]
    # An image is checked as a file, whether a case shows it or not.
    assert codes_for(content, "groot.jpg") == [("afbeelding-te-groot", None)]


def test_unknown_files_are_reported_not_skipped(content: Path) -> None:
    (case_folder(content) / "notities.txt").write_text("los briefje", encoding="utf-8")
    assert codes_for(content, "notities.txt") == [("bestand-onbekend", None)]


def test_a_case_outside_a_network_folder(content: Path) -> None:
    (case_folder(content) / "ams-0900.md").rename(content / "casussen" / "ams-0900.md")
    assert codes_for(content, "ams-0900.md") == [("map-onjuist", 1)]


def test_checking_one_file_reports_only_that_file(content: Path) -> None:
    folder = case_folder(content)
    (folder / "kapot.md").write_text("geen kop", encoding="utf-8")
    result = check_content(content, [folder / "ams-0901.md"], today=TODAY)
    assert result.findings == []
    result = check_content(content, [folder / "kapot.md"], today=TODAY)
    assert [f.code for f in result.findings] == ["kop-ontbreekt"]


def test_a_broken_vocabulary_is_reported_with_its_line(content: Path) -> None:
    path = content / "vocabulaires" / "thema.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: vervoer\n    label: Dubbel\n")
    result = check_content(content, today=TODAY)
    assert [f.code for f in result.findings] == ["register-id-dubbel"]
    assert result.findings[0].file.endswith("thema.yml") and result.findings[0].line


def test_a_missing_vocabulary_is_an_error(content: Path) -> None:
    (content / "vocabulaires" / "fase.yml").unlink()
    result = check_content(content, today=TODAY)
    assert "woordenlijst-ontbreekt" in [f.code for f in result.findings]
