"""`kb bekijk` after a save (kb_tools/mkdocs_plugin/serving.py): only the pages whose content
changed are made again, and the site is then the same, file for file, as a fresh build of
the same content. Each edit is one an editor makes: a title, a theme, a new case, a removed
case, a helpdesk answer, a guide page, a broken head and its repair, a template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import CONTENT, ROOT

SITE_URL = "http://127.0.0.1:8000/"
CASE = "casussen/amsterdamse-stadsdorpen/elsrijk-buurtjes-en-burenhulp.md"


def fresh(project: Path, site: Path) -> None:
    """A whole build of the project, as `kb bouw` makes it, in its own process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_SITE_URL": SITE_URL}
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def site_files(root: Path) -> dict[str, bytes]:
    """Every file but the sitemap (dates) and the search index (its file names differ per
    run: tests/test_site.py; test_the_search_index_follows_the_page checks it)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
        and not p.name.startswith("sitemap.xml")
        and p.relative_to(root).parts[0] != "pagefind"
    }


class Session:
    """One `kb bekijk` session, in this process: the engine's own dirty serve builds."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        self.plugin = None
        self.made: list[int] = []

    def build(self) -> None:
        cwd = os.getcwd()
        os.chdir(self.project)  # kb bekijk runs the engine in the project folder
        try:
            # As the engine's serve does: the first build reads the file its command line
            # opened (``--config-file mkdocs.yml``, a relative name), later ones by path.
            if self.plugin is None:
                with open("mkdocs.yml", "rb") as opened:
                    config = load_config(opened, site_dir=str(self.site))
            else:
                config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
            config.site_url = SITE_URL
            plugin = config.plugins["kb"]
            if self.plugin is None:
                config.plugins.on_startup(command="serve", dirty=True)
                self.plugin = plugin
            assert plugin is self.plugin, "the engine keeps one plugin object per session"
            build(config, serve_url=SITE_URL, dirty=True)
        finally:
            os.chdir(cwd)
        self.made.append(plugin.rendered)
        plugin.live.wait()  # open data and the search index follow the pages

    def close(self) -> None:
        if self.plugin is not None:
            self.plugin.on_shutdown()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(CONTENT, project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    # As editors write: a new file renamed over the old one.
    temp = path.with_name(path.name + ".tmp~")
    temp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(temp, path)


def test_each_save_makes_only_what_changed_and_the_site_equals_a_fresh_build(
    project: Path, tmp_path: Path
) -> None:
    content = project / "content"
    case = content / CASE
    session = Session(project, tmp_path / "live")
    new_case = content / "casussen/amsterdamse-stadsdorpen/ams-0900-nieuw-voorbeeld.md"

    def same_as_fresh(step: str) -> None:
        reference = tmp_path / f"fresh-{len(session.made)}"
        fresh(project, reference)
        ours, theirs = site_files(session.site), site_files(reference)
        assert sorted(set(ours) ^ set(theirs)) == [], step
        assert [k for k in ours if ours[k] != theirs[k]] == [], step

    try:
        session.build()
        everything = session.made[-1]
        assert everything > 150
        same_as_fresh("first build")

        edit(case, "titel: Buurtjes in Elsrijk", "titel: Buurtjes in Elsrijk, bewerkt,")
        session.build()
        assert 0 < session.made[-1] < everything / 4, "a title edit remakes a few pages"
        same_as_fresh("title")

        edit(case, "huisbezoeken, ontmoeting,", "huisbezoeken,")
        session.build()
        same_as_fresh("theme")

        new_case.write_text(
            case.read_text(encoding="utf-8")
            .replace("id: ams-0002", "id: ams-0900")
            .replace("Buurtjes in Elsrijk, bewerkt,", "Een nieuw voorbeeld"),
            encoding="utf-8",
        )
        session.build()
        same_as_fresh("new case")

        new_case.unlink()
        session.build()
        assert not (
            session.site / "casussen/amsterdamse-stadsdorpen/ams-0900-nieuw-voorbeeld"
        ).exists()
        assert not (session.site / "c/ams-0900").exists()
        same_as_fresh("removed case")

        answer = content / "antwoorden/hd-0001-welke-rechtsvorm.md"
        edit(answer, 'titel: "Welke rechtsvorm', 'titel: "Bewerkt: welke rechtsvorm')
        session.build()
        same_as_fresh("helpdesk answer")  # the case pages that list it show its new title

        guide = content / "handleiding/casusformaat.md"
        edit(guide, "# ", "# Bewerkt: ")
        session.build()
        same_as_fresh("guide page")

        edit(case, "id: ams-0002", "id: [kapot")  # a broken head: the build stops
        with pytest.raises(Exception):  # noqa: B017 - the engine's own Abort or PluginError
            session.build()
        # Saved while the build is stopped: it must still show once the head is mended.
        other = content / "casussen/amsterdamse-stadsdorpen/elsrijk-bestuur-toezicht-supervisie.md"
        edit(other, "titel: Stadsdorp als opdrachtgever", "titel: Stadsdorp, opdrachtgever")
        with pytest.raises(Exception):  # noqa: B017
            session.build()
        edit(case, "id: [kapot", "id: ams-0002")
        session.build()
        assert session.made[-1] < everything / 4, "a content error leaves the site as it was"
        same_as_fresh("after a failed build")

        footer = project / "overrides/main.html"
        footer.write_text(footer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        session.build()
        assert session.made[-1] == everything, "a template change remakes every page"
        same_as_fresh("template")
    finally:
        session.close()


def test_no_save_remakes_only_the_menu_pages(project: Path, tmp_path: Path) -> None:
    session = Session(project, tmp_path / "live")
    try:
        session.build()
        session.build()
        # Only the pages in the menu: the engine knows a title only of a page it read.
        assert 0 < session.made[-1] <= 20
    finally:
        session.close()


def test_the_search_index_follows_the_page(project: Path, tmp_path: Path) -> None:
    """The page is on screen first; the search index of the new text follows in the
    background, and a newer save stops an older index before it is done."""
    session = Session(project, tmp_path / "live")
    case = project / "content" / CASE
    try:
        session.build()
        edit(case, "titel: Buurtjes in Elsrijk", "titel: Buurtjes in Elsrijk Zoekwoordtest")
        session.build()
        index = session.site / "pagefind"
        assert (index / "pagefind-entry.json").is_file()
        words = (index / "woorden").rglob("*.json")
        assert any("Zoekwoordtest" in p.read_text(encoding="utf-8") for p in words)
    finally:
        session.close()
