"""The Rechecker (``kb bekijk`` after a save) gives what a full check gives, after any edit,
while reading only the files that changed."""

from __future__ import annotations

import os
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from kb_tools.bench.synthetic import generate
from kb_tools.validate import recheck
from kb_tools.validate.check import CheckResult, check_content
from kb_tools.validate.recheck import Rechecker

from .conftest import ROOT

TODAY = date(2026, 12, 2)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    generate(content, 40, source=ROOT / "content")
    for folder in ("antwoorden", "handleiding"):
        shutil.copytree(ROOT / "content" / folder, content / folder)
    return content


def assert_same(got: CheckResult, content: Path) -> CheckResult:
    """Field by field, so that a failure names what differs; then the whole result."""
    fresh = check_content(content, today=TODAY)
    assert [str(f) for f in got.findings] == [str(f) for f in fresh.findings]
    assert got.findings == fresh.findings
    assert [c.id for c in got.cases] == [c.id for c in fresh.cases]
    assert got.cases == fresh.cases
    assert got.answers == fresh.answers
    assert got.registry == fresh.registry
    assert got.inventory == fresh.inventory
    assert (got.files, got.valid, got.reported) == (fresh.files, fresh.valid, fresh.reported)
    assert got == fresh
    return fresh


def assert_changes(
    changes: recheck.Changes | None, before: CheckResult, after: CheckResult
) -> None:
    """What ``changes`` says matches what two full checks tell apart."""
    assert changes is not None
    for kind, was, now in (
        ("cases", before.cases, after.cases),
        ("answers", before.answers, after.answers),
    ):
        old, new = {c.id: c for c in was}, {c.id: c for c in now}
        assert getattr(changes, f"{kind}_added") == new.keys() - old.keys()
        assert getattr(changes, f"{kind}_removed") == old.keys() - new.keys()
        modified = {i for i in new.keys() & old.keys() if new[i] != old[i]}
        assert getattr(changes, f"{kind}_modified") == modified
    if before.registry != after.registry:
        assert changes.everything


def cases(content: Path) -> list[Path]:
    """The case files an editor may open (not links or folders named like one)."""
    return sorted(
        p for p in (content / "casussen").rglob("*.md") if p.is_file() and not p.is_symlink()
    )


def rewrite(path: Path, change, rng: random.Random) -> None:
    """Like an editor: sometimes in place, sometimes a temporary file renamed over it."""
    text = change(path.read_text(encoding="utf-8"))
    if rng.random() < 0.5:
        path.write_text(text, encoding="utf-8")
    else:
        temp = path.with_name(f".{path.name}.swp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)


def edit(content: Path, rng: random.Random, step: int) -> str:
    """One random edit; returns its name for the failure message."""
    files = cases(content)
    path = rng.choice(files)
    kind = rng.choice(EDITS)
    if kind == "title":
        rewrite(
            path,
            lambda t: re.sub(r"^titel: .*$", f'titel: "Titel {step}"', t, count=1, flags=re.M),
            rng,
        )
    elif kind == "same-size":  # size and maybe mtime equal: only the text tells
        rewrite(path, lambda t: t.replace("ontmoeting", "ontmoetinx", 1), rng)
    elif kind == "facet":
        value = rng.choice(["vervoer", "ontmoeting", "geen-thema"])
        rewrite(
            path, lambda t: re.sub(r"^thema: .*$", f"thema: [{value}]", t, count=1, flags=re.M), rng
        )
    elif kind == "bad-yaml":
        rewrite(path, lambda t: t.replace("\ntitel:", "\ntitel: [open\ntitel2:", 1), rng)
    elif kind == "remove":
        path.unlink()
    elif kind == "add":
        text = path.read_text(encoding="utf-8")
        new_id = f"{text.split('id: ', 1)[1][:4]}{9000 + step}"
        target = path.with_name(f"nieuw-{step}.md")
        target.write_text(
            re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M), encoding="utf-8"
        )
    elif kind == "rename":
        path.rename(path.with_name(f"hernoemd-{step}.md"))
    elif kind == "duplicate-id":
        other = rng.choice(files).read_text(encoding="utf-8").split("id: ", 1)[1].split("\n")[0]
        rewrite(path, lambda t: re.sub(r"^id: .*$", f"id: {other}", t, count=1, flags=re.M), rng)
    elif kind == "reference":
        target = rng.choice([*files, path]).read_text(encoding="utf-8").split("id: ", 1)[1][:8]
        rewrite(path, lambda t: t.replace("gerelateerd: []", f"gerelateerd: [{target}]"), rng)
    elif kind == "image-link":
        rewrite(path, lambda t: t + "\n![Een foto](foto.png)\n", rng)
    elif kind == "image":
        image = rng.choice(files).with_name("foto.png")
        if image.exists():
            image.unlink()
        else:
            image.write_bytes(PNG)
    elif kind == "registry":
        vocab = content / "vocabulaires" / "thema.yml"
        text = vocab.read_text(encoding="utf-8")
        if "  - id: vervoer\n" in text:  # the cases that use it become invalid
            vocab.write_text(text.replace("  - id: vervoer\n", "  - id: vervoer-weg\n"), "utf-8")
        else:
            vocab.write_text(text.replace("  - id: vervoer-weg\n", "  - id: vervoer\n"), "utf-8")
    elif kind == "guide":
        guide = rng.choice(sorted((content / "handleiding").glob("*.md")))
        rewrite(
            guide,
            lambda t: t + f"\nZie [de casus](../casussen/{path.parent.name}/{path.name}).\n",
            rng,
        )
    elif kind == "symlink":
        link = path.with_name(f"link-{step}.md")
        link.symlink_to(path)
    elif kind == "directory":  # a file that becomes a folder
        text = path.read_text(encoding="utf-8")
        path.unlink()
        path.mkdir()
        (path / "binnen.md").write_text(text, encoding="utf-8")
    return f"{kind} {path.name}"


EDITS = (
    "title",
    "same-size",
    "facet",
    "bad-yaml",
    "remove",
    "add",
    "rename",
    "duplicate-id",
    "reference",
    "image-link",
    "image",
    "registry",
    "guide",
    "symlink",
    "directory",
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_any_edit_the_result_is_that_of_a_full_check(corpus: Path, seed: int) -> None:
    rng = random.Random(seed)
    checker = Rechecker(TODAY)
    before = assert_same(checker.run(corpus), corpus)
    done = []
    for step in range(30):
        done.append(edit(corpus, rng, step))
        try:
            after = assert_same(checker.run(corpus), corpus)
            assert_changes(checker.changes, before, after)
        except AssertionError as exc:
            raise AssertionError(f"after {done}") from exc
        before = after


@pytest.mark.parametrize("seed", [4, 5])
def test_without_text_comparison_size_and_times_tell_every_edit(
    corpus: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file counts as just written: only the stat decides (each edit gets its own mtime,
    as a real clock gives it)."""
    monkeypatch.setattr(recheck, "RACY_NS", -(10**18))
    rng = random.Random(seed)
    checker = Rechecker(TODAY)
    checker.run(corpus)
    for step in range(25):
        edit(corpus, rng, step)
        stamp = 1_700_000_000_000_000_000 + step * 1_000_000_000
        for path in corpus.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime_ns > stamp:
                os.utime(path, ns=(stamp, stamp))
        assert_same(checker.run(corpus), corpus)


def test_one_saved_case_is_the_only_file_read_again(corpus: Path) -> None:
    checker = Rechecker(TODAY)
    checker.run(corpus)
    assert checker.changes is not None and checker.changes.everything
    checker.run(corpus)
    assert checker.changes.rechecked <= 1 and not checker.changes.any  # nothing changed
    path = cases(corpus)[3]
    case_id = path.read_text(encoding="utf-8").split("id: ", 1)[1].split("\n")[0]
    rewrite(
        path,
        lambda t: re.sub(r"^titel: .*$", 'titel: "Een nieuwe titel"', t, count=1, flags=re.M),
        random.Random(0),
    )
    checker.run(corpus)
    changes = checker.changes
    assert changes.rechecked == 1 and not changes.everything
    assert changes.cases_modified == {case_id}
    assert not changes.cases_added and not changes.cases_removed
    assert changes.files_modified == {path.relative_to(corpus).as_posix()}
    path.unlink()
    checker.run(corpus)
    assert checker.changes.cases_removed == {case_id} and checker.changes.rechecked == 0
    assert checker.changes.files_removed == {path.relative_to(corpus).as_posix()}


def test_a_registry_or_guide_change_means_everything_again(corpus: Path) -> None:
    checker = Rechecker(TODAY)
    checker.run(corpus)
    sources = corpus / "bronnen.yml"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    checker.run(corpus)
    assert checker.changes.everything and checker.changes.reasons == (recheck.REGISTRY_CHANGED,)
    assert not checker.changes.files_modified  # all read again, none edited
    guide = corpus / "handleiding" / "casusformaat.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nMeer tekst.\n", encoding="utf-8")
    checker.run(corpus)
    assert checker.changes.everything and checker.changes.reasons == (recheck.GUIDE_CHANGED,)
    assert checker.changes.rechecked == 1  # the guide itself; the cases are not read again
    assert checker.changes.files_modified == {"handleiding/casusformaat.md"}


def test_a_file_deleted_between_listing_and_reading(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same Dutch finding as a full check in the same race, and no traceback."""
    checker = Rechecker(TODAY)
    checker.run(corpus)
    victim = cases(corpus)[5]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")

    def racing(scan):
        def scan_then_delete(folder: Path):
            inventory = scan(folder)
            if victim.exists():
                victim.unlink()
            return inventory

        return scan_then_delete

    from kb_tools.validate import check

    monkeypatch.setattr(recheck, "scan_content", racing(recheck.scan_content))
    got = checker.run(corpus)
    victim.write_text("x", encoding="utf-8")  # the full check loses the same race
    monkeypatch.setattr(check, "scan_content", racing(check.scan_content))
    fresh = check_content(corpus, today=TODAY)
    assert got == fresh
    rel = victim.relative_to(corpus.parent).as_posix()
    assert [f.code for f in got.findings if f.file.endswith(rel)] == ["bestand-onleesbaar"]
    monkeypatch.undo()
    assert_same(checker.run(corpus), corpus)  # and the next run forgets it


def test_a_same_size_edit_in_one_clock_tick_is_seen_by_its_text(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coarse file-system clock (FAT: 2 s) gives an edit the same size and times: a file
    written just before the run is compared by its text."""
    real = recheck._stat

    def coarse(item):
        found = real(item)
        return None if found is None else (*found[:2], 0, 0, *found[4:])

    monkeypatch.setattr(recheck, "_stat", coarse)
    monkeypatch.setattr(recheck, "_racy", lambda stat, started: stat is not None)
    checker = Rechecker(TODAY)
    checker.run(corpus)
    path = cases(corpus)[2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("thema: [", "thema: [x", 1).replace("\n\n", "\n", 1), "utf-8")
    assert path.stat().st_size == len(text.encode())
    assert_same(checker.run(corpus), corpus)
    assert checker.changes.rechecked == 1


def test_the_first_run_on_all_cores_gives_the_same(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many files go to worker processes, as in check_content (here: every run)."""
    from kb_tools.validate import check

    monkeypatch.setattr(recheck, "PARALLEL_FROM", 1)
    monkeypatch.setattr(check, "PARALLEL_FROM", 1)
    rng = random.Random(6)
    checker = Rechecker(TODAY)
    assert_same(checker.run(corpus), corpus)
    for step in range(4):
        edit(corpus, rng, step)
        assert_same(checker.run(corpus), corpus)
