"""`kb bouw` and `kb bekijk` at their edges: a usage error before the engine starts, content
errors in kb controleer's form, Ctrl-C that keeps the previous site and leaves no temp folders,
a port in use, and no English from the engine in what the user reads.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kb_tools.cli import engine, main

from .conftest import ROOT

KB = [sys.executable, "-m", "kb_tools.cli"]
#: Words the engine and its theme print; kb's own output has none of them (kb names the
#: theme once, in engine.END_OF_LIFE).
ENGINE_WORDS = ("ERROR", "WARNING", "INFO", "Aborted", "BuildError", "Traceback", "mkdocs")


def env_for(tmp: Path, **extra: str) -> dict[str, str]:
    """The test's environment: its own temp folder, no left-over kb settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("KB_NETWERK", "KB_ENGINE", "CI")}
    return {**env, "TMPDIR": str(tmp), **extra}


def assert_no_engine_words(text: str) -> None:
    plain = text.replace(engine.END_OF_LIFE, "")
    for word in ENGINE_WORDS:
        assert word.lower() not in plain.lower(), text


def project(tmp_path: Path) -> Path:
    """A copy of the repository's site project, to break."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def old_site(folder: Path) -> dict[str, bytes]:
    """A previous site, as files and bytes, to compare after a build."""
    (folder / "casussen").mkdir(parents=True)
    (folder / "index.html").write_bytes(b"<!doctype html><title>vorige</title>\n")
    (folder / "casussen" / "oud.html").write_bytes(bytes(range(256)))
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- before the engine starts --------------------------------------------------------------


def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("the engine started"))


def test_an_unknown_network_is_a_usage_error_with_a_suggestion(monkeypatch, capsys) -> None:
    no_engine(monkeypatch)
    config = str(ROOT / "mkdocs.yml")
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--config", config, "--netwerk", "amsterdamse-stadsdorpn"])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == ""
    assert "het netwerk 'amsterdamse-stadsdorpn' bestaat niet" in err
    assert "Bedoelt u 'amsterdamse-stadsdorpen'?" in err and "Kies uit: " in err
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--config", config, "--netwerk", "onzin"])
    assert stopped.value.code == 2
    assert "het netwerk 'onzin' bestaat niet" in capsys.readouterr().err


def test_an_unknown_network_from_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*KB, "bouw", "--netwerk", "onzin", "--site", str(tmp_path / "s")],
        cwd=ROOT,
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "bestaat niet" in done.stderr
    assert_no_engine_words(done.stdout + done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_config_is_a_usage_error(monkeypatch, capsys, tmp_path: Path) -> None:
    no_engine(monkeypatch)
    for command in ("bouw", "bekijk"):
        with pytest.raises(SystemExit) as stopped:
            main([command, "--config", str(tmp_path / "geen.yml")])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert "geen.yml' bestaat niet" in err
        assert_no_engine_words(err)


@pytest.mark.parametrize("site", [".", "content", ".."])
def test_kb_build_never_builds_over_the_knowledge_base(monkeypatch, capsys, site: str) -> None:
    no_engine(monkeypatch)
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--site", site])
    assert stopped.value.code == 2
    assert "staat de kennisbank zelf" in capsys.readouterr().err


def test_kb_build_never_replaces_a_file_by_the_site(monkeypatch, capsys, tmp_path) -> None:
    no_engine(monkeypatch)
    (tmp_path / "notities.txt").write_text("van iemand\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "bouw",
                "--config",
                str(ROOT / "mkdocs.yml"),
                "--site",
                str(tmp_path / "notities.txt"),
            ]
        )
    assert stopped.value.code == 2 and "is een bestand, geen map" in capsys.readouterr().err
    assert (tmp_path / "notities.txt").read_text(encoding="utf-8") == "van iemand\n"


def test_kb_build_never_replaces_a_folder_that_is_no_website(monkeypatch, capsys, tmp_path) -> None:
    # A mistyped --site (a folder of documents) must not be swapped out and removed.
    no_engine(monkeypatch)
    papers = tmp_path / "documenten"
    papers.mkdir()
    (papers / "brief.txt").write_text("van iemand\n", encoding="utf-8")
    config = str(ROOT / "mkdocs.yml")
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--config", config, "--site", str(papers)])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "geen website" in err, err
    assert (papers / "brief.txt").read_text(encoding="utf-8") == "van iemand\n"


# -- content errors --------------------------------------------------------------------------


def break_a_case(root: Path) -> Path:
    case = sorted((root / "content" / "casussen").glob("*/*.md"))[0]
    text = case.read_text(encoding="utf-8")
    start = text.index("\ntitel:")
    end = text.index("\n", start + 1)
    case.write_text(text[:start] + text[end:], encoding="utf-8")
    return case


def test_content_errors_read_as_in_kb_check_and_the_old_site_stays(tmp_path: Path) -> None:
    root = project(tmp_path)
    break_a_case(root)
    before = old_site(root / "site")
    temp = tmp_path / "tmp"
    temp.mkdir()
    checked = subprocess.run(
        [*KB, "controleer"],
        cwd=root,
        env=env_for(temp),
        capture_output=True,
        text=True,
        check=False,
    )
    built = subprocess.run(
        [*KB, "bouw"], cwd=root, env=env_for(temp), capture_output=True, text=True, check=False
    )
    assert checked.returncode == 1 and built.returncode == 1
    finding = next(line for line in checked.stdout.splitlines() if "[veld-ontbreekt]" in line)
    tip = checked.stdout.splitlines()[checked.stdout.splitlines().index(finding) + 1]
    assert tip.startswith("    Tip: ")
    lines = built.stderr.splitlines()
    assert finding in lines and lines[lines.index(finding) + 1] == tip
    assert "De website is niet gebouwd: 1 fout in de inhoud." in built.stderr
    assert "De vorige website is niet veranderd." in built.stderr
    assert_no_engine_words(built.stdout + built.stderr)
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml", "overrides", "site"]
    assert list(temp.iterdir()) == []
    # Plain MkDocs, without kb, still fails with the finding in its log.
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "s")],
        cwd=root,
        env=env_for(temp, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert plain.returncode != 0
    assert finding in plain.stderr and "De website is niet gebouwd" in plain.stderr


# -- a whole build, piped ---------------------------------------------------------------------


def dead_pid() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def test_a_build_replaces_the_site_and_reports_plain_stages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    old_site(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    # What a kb bouw killed with kill -9 left: swept by the next build.
    pid = dead_pid()
    (tmp_path / f"site.kb-nieuw-{pid}" / "pagefind").mkdir(parents=True)
    (temp / f"kb-{pid}-abc123" / "kb-zoekindex-def456").mkdir(parents=True)
    (temp / "kb-zoekindex-van-iemand-anders").mkdir()  # not kb bouw's: left alone
    done = subprocess.run(
        [*KB, "bouw", "--site", str(site)],
        cwd=ROOT,
        env=env_for(temp),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (site / "casussen" / "oud.html").exists()
    assert (site / "index.html").is_file() and (site / "pagefind" / "pagefind.js").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tmp"]
    assert [p.name for p in temp.iterdir()] == ["kb-zoekindex-van-iemand-anders"]
    # Piped: one plain line per stage, nothing redrawn, progress never on stdout.
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    stages = done.stderr.splitlines()
    for stage in ("Inhoud lezen en controleren", "Pagina's voorbereiden", "Zoekindex afmaken"):
        assert stage in stages
    assert any(line.startswith("Pagina's maken (") for line in stages)
    assert stages.count(engine.END_OF_LIFE) == 1
    out = done.stdout.splitlines()
    assert out[0] == "De website wordt gebouwd. Dit kan even duren." and len(out) == 2
    assert out[1].startswith("Klaar: de website (34 casussen, ") and f"in {site}/ (" in out[1]
    assert_no_engine_words(done.stdout + done.stderr)


# -- Ctrl-C ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sig", "whole_group"),
    [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["sigint", "ctrl-c-in-a-terminal", "sigterm"],
)
def test_stopping_a_build_keeps_the_old_site_and_no_temp_folders(
    tmp_path: Path, sig: int, whole_group: bool
) -> None:
    site = tmp_path / "site"
    before = old_site(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    # A terminal sends Ctrl-C to kb's whole process group: kb runs in its own here.
    kb = subprocess.Popen(
        [*KB, "bouw", "--site", str(site)],
        cwd=ROOT,
        env=env_for(temp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        seen = []
        assert kb.stderr is not None
        for line in kb.stderr:  # wait until the pages are being made, mid-build
            seen.append(line)
            if line.startswith("Pagina's lezen"):
                break
        assert any(temp.glob("kb-*/kb-zoekindex-*")), seen  # the search index is under way
        if whole_group:
            os.killpg(kb.pid, sig)
        else:
            kb.send_signal(sig)
        out, err = kb.communicate(timeout=60)
    finally:
        if kb.poll() is None:
            kb.kill()
    err = "".join(seen) + err
    assert kb.returncode == engine.INTERRUPTED, err
    assert "Afgebroken: de website is niet gebouwd. De vorige website is niet veranderd." in err
    assert "Klaar" not in out and "KeyboardInterrupt" not in err
    assert_no_engine_words(out + err)
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tmp"]
    assert list(temp.iterdir()) == []


# -- kb bekijk ---------------------------------------------------------------------------------


def test_serve_on_a_port_in_use_says_which_and_how_to_choose(monkeypatch, capsys) -> None:
    no_engine(monkeypatch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["bekijk", "--config", str(ROOT / "mkdocs.yml"), "--poort", str(port)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert f"kb: fout: poort {port} is al in gebruik" in err
    assert "Kies een andere poort, bijvoorbeeld: kb bekijk --poort " in err
    assert_no_engine_words(err)


@pytest.mark.parametrize("port", ["0", "70000", "-1"])
def test_serve_on_a_port_that_does_not_exist_is_a_usage_error(monkeypatch, capsys, port) -> None:
    no_engine(monkeypatch)
    with pytest.raises(SystemExit) as stopped:
        main(["bekijk", "--config", str(ROOT / "mkdocs.yml"), "--poort", port])
    assert stopped.value.code == 2
    assert "Kies een getal van 1 tot en met 65535" in capsys.readouterr().err


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_speaks_dutch_serves_and_stops_cleanly(tmp_path: Path) -> None:
    """A real kb bekijk: ready, a content error while it runs (in kb controleer's form, and in
    Dutch what that means for the browser), Ctrl-C, and no temp folder left."""
    root = project(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    kb = subprocess.Popen(
        [*KB, "bekijk", "--poort", str(port)],
        cwd=root,
        env=env_for(temp),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []

    def read_until(start: str) -> None:
        assert kb.stdout is not None
        for line in kb.stdout:
            seen.append(line)
            if line.startswith(start):
                return
        pytest.fail("".join(seen))

    try:
        read_until(f"De website staat klaar op http://127.0.0.1:{port}/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b"Kennisbank" in page.read()
        assert any(temp.glob("kb-*/*")), "the engine serves from kb's temp folder"
        break_a_case(root)
        read_until("De website in uw browser blijft zoals hij was")
        kb.send_signal(signal.SIGINT)
        out, _ = kb.communicate(timeout=30)
    finally:
        if kb.poll() is None:
            kb.kill()
    text = "".join(seen) + out
    assert kb.returncode == 0, text
    assert "fout [veld-ontbreekt] Het verplichte veld 'titel' ontbreekt." in text
    assert text.endswith("De webserver is gestopt.\n")
    assert_no_engine_words(text)
    assert "error" not in text.lower() and "server will" not in text
    deadline = time.monotonic() + 5
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(temp.iterdir()) == []


def test_a_broken_settings_file_names_the_setting_without_engine_noise(tmp_path: Path) -> None:
    root = project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - kb:\n", "  - kb:\n      onzin: 1\n"),
        encoding="utf-8",
    )
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = subprocess.run(
        [*KB, "bouw"], cwd=root, env=env_for(temp), capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "In het instellingenbestand, bij 'plugins'" in done.stderr
    assert "De plugin kb kent de optie 'onzin' niet." in done.stderr
    assert "De website is niet gebouwd." in done.stderr
    for word in ("Aborted", "Traceback", "ERROR", "Config value"):
        assert word not in done.stderr
    assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml", "overrides"]
    assert list(temp.iterdir()) == []


def test_the_engines_lines_kb_already_said_are_left_out() -> None:
    outcome = engine.Outcome(failed="De website is niet gebouwd: 1 fout in de inhoud.")
    assert (
        outcome.worth_showing("ERROR    -  De website is niet gebouwd: 1 fout in de inhoud.")
        is None
    )
    assert outcome.worth_showing("Aborted with a BuildError!") is None
    assert outcome.worth_showing("") is None
    rebuild = "[06:21:12] An error happened during the rebuild. The server will appear stuck."
    assert outcome.worth_showing(rebuild).startswith("De website in uw browser blijft")
    assert outcome.worth_showing("WARNING  -  Iets anders") == "Iets anders"


def test_the_end_of_life_line_names_a_readme_section_that_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"\n### {engine.END_OF_LIFE_SECTION}\n" in readme
    assert "5 May 2027" in readme and "5 mei 2027" in engine.END_OF_LIFE


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_engine_ends_when_kb_is_killed_outright(tmp_path: Path) -> None:
    """kill -9 gives kb no chance to stop its engine; the engine ends by itself."""
    port = free_port()
    kb = subprocess.Popen(
        [*KB, "bekijk", "--poort", str(port)],
        cwd=ROOT,
        env=env_for(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert kb.stdout is not None
        for line in kb.stdout:
            if line.startswith("De website staat klaar"):
                break
        engines = children(kb.pid)
        assert engines, "kb runs its engine as a child process"
        kb.kill()
        kb.wait(timeout=10)
        deadline = time.monotonic() + 20
        while any(running(pid) for pid in engines):
            assert time.monotonic() < deadline, "the engine outlived kb"
            time.sleep(0.2)
    finally:
        if kb.poll() is None:
            kb.kill()


def test_kb_build_never_builds_into_a_folder_of_the_content(monkeypatch, capsys, tmp_path) -> None:
    # 'kb bouw --site content/handleiding' passed the knowledge-base check (only parents
    # of content/ were refused) and the swap would have removed the guide.
    no_engine(monkeypatch)
    root = project(tmp_path)
    monkeypatch.chdir(root)
    before = snapshot(root / "content" / "handleiding")
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--site", "content/handleiding"])
    assert stopped.value.code == 2 and "staat de kennisbank zelf" in capsys.readouterr().err
    assert snapshot(root / "content" / "handleiding") == before
    (root / "content" / "leeg").mkdir()  # an empty folder in content/ is no place either
    with pytest.raises(SystemExit) as stopped:
        main(["bouw", "--site", "content/leeg"])
    assert stopped.value.code == 2 and "staat de kennisbank zelf" in capsys.readouterr().err


def test_two_builds_into_one_site_swap_one_after_the_other(tmp_path: Path) -> None:
    """While one kb bouw swaps its site in (it holds the lock on the folder of the site), a
    second waits instead of meeting a half-swapped folder (before: an OSError traceback)."""
    import fcntl
    import threading

    from kb_tools.cli import site as site_cli

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("oud", encoding="utf-8")
    new = tmp_path / "site.kb-nieuw-1"
    new.mkdir()
    (new / "index.html").write_text("nieuw", encoding="utf-8")
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another kb bouw is swapping
    try:
        swapper = threading.Thread(target=site_cli._swap, args=(new, site))
        swapper.start()
        swapper.join(timeout=0.5)
        assert swapper.is_alive(), "the swap did not wait for the other build's swap"
        assert (site / "index.html").read_text(encoding="utf-8") == "oud"
    finally:
        os.close(fd)
    swapper.join(timeout=10)
    assert not swapper.is_alive()
    assert (site / "index.html").read_text(encoding="utf-8") == "nieuw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
