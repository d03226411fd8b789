"""``kb controleer <folder>`` reads the other files only for their ids and fingerprints, and
still reports on its files exactly what a check of everything reports on them: reused ids,
links to cases elsewhere, likely duplicates in another network."""

from __future__ import annotations

from pathlib import Path

from kb_tools.validate import check_content

from .conftest import TODAY, case_folder


def plant(content: Path) -> list[Path]:
    """A second network with a copy of ams-0900 (folded title), a reused id and a link."""
    folder = case_folder(content)
    base = (folder / "ams-0900.md").read_text(encoding="utf-8")
    other = content / "casussen" / "omzien-naar-elkaar"
    other.mkdir()
    copy = base.replace("id: ams-0900", "id: utr-0900").replace(
        "netwerk: amsterdamse-stadsdorpen", "netwerk: omzien-naar-elkaar"
    )
    copy = copy.replace("redactie-amsterdam", "redactie-utrecht")
    title = copy.split("\ntitel: ", 1)[1].split("\n", 1)[0]
    copy = copy.replace(f"\ntitel: {title}\n", f"\ntitel: >-\n  {title}\n")
    (other / "zelfde.md").write_text(copy, encoding="utf-8")
    reused = copy.replace("id: utr-0900", "id: ams-0901").replace("Proefwijk", "Elders")
    (other / "hergebruikt.md").write_text(reused, encoding="utf-8")
    linking = (folder / "ams-0901.md").read_text(encoding="utf-8")
    linking = linking.replace(
        "## Situatie\n", "## Situatie\n\nZie [[utr-0900]] en [[utr-0999]].\n", 1
    )
    (folder / "ams-0901.md").write_text(linking, encoding="utf-8")
    return [folder, other]


def test_a_folder_check_reports_what_the_whole_check_reports_on_it(content: Path) -> None:
    folders = plant(content)
    everything = check_content(content, today=TODAY).findings
    codes = {f.code for f in everything}
    assert {"dubbel-mogelijk", "id-dubbel", "verwijzing-onbekend"} <= codes, codes
    for folder in folders:
        mine = {str(p) for p in folder.glob("*.md")}
        own = [f for f in everything if any(f.file.endswith(Path(m).name) for m in mine)]
        own = [f for f in own if f.file.split("/")[-2] == folder.name]
        alone = check_content(content, [folder / p.name for p in folder.glob("*.md")], TODAY)
        assert alone.findings == own, folder.name
