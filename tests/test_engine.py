"""`kb bouw` and `kb bekijk` run ProperDocs or MkDocs, whichever is installed: engine
selection as a unit, and a real build in a venv that has ProperDocs and no MkDocs,
compared page by page with a build by MkDocs.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb_tools.cli import engine, main

from .conftest import ROOT

# -- choosing the engine -----------------------------------------------------------------


def only(monkeypatch: pytest.MonkeyPatch, *present: str) -> None:
    """Pretend that only the modules ``present`` are installed."""
    monkeypatch.setattr(engine, "find_spec", lambda name: object() if name in present else None)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (("properdocs", "mkdocs"), "properdocs"),
        (("mkdocs",), "mkdocs"),
        (("properdocs",), "properdocs"),
    ],
)
def test_properdocs_is_preferred_then_mkdocs(monkeypatch, present, expected) -> None:
    only(monkeypatch, *present)
    assert engine.select_engine({}) == expected
    assert engine.select_engine({"KB_ENGINE": "  "}) == expected


@pytest.mark.parametrize("value", ["mkdocs", "MkDocs", " mkdocs "])
def test_kb_engine_overrides_the_choice(monkeypatch, value) -> None:
    only(monkeypatch, "properdocs", "mkdocs")
    assert engine.select_engine({"KB_ENGINE": value}) == "mkdocs"
    assert engine.select_engine({"KB_ENGINE": "properdocs"}) == "properdocs"


def test_a_chosen_engine_that_is_missing_is_an_error_with_the_fix(monkeypatch) -> None:
    only(monkeypatch, "properdocs")
    with pytest.raises(engine.EngineError) as error:
        engine.select_engine({"KB_ENGINE": "mkdocs"})
    assert "MkDocs is niet geïnstalleerd" in str(error.value)
    assert "-m pip install mkdocs" in str(error.value) and "haal KB_ENGINE weg" in str(error.value)


def test_an_unknown_engine_is_an_error(monkeypatch) -> None:
    only(monkeypatch, "properdocs", "mkdocs")
    with pytest.raises(engine.EngineError, match="KB_ENGINE='sphinx' kent kb niet"):
        engine.select_engine({"KB_ENGINE": "sphinx"})


def test_a_broken_install_counts_as_missing(monkeypatch) -> None:
    def broken(name: str) -> object:
        raise ValueError(f"{name}.__spec__ is None")

    monkeypatch.setattr(engine, "find_spec", broken)
    with pytest.raises(engine.EngineError):
        engine.select_engine({})


@pytest.mark.parametrize("command", [["build"], ["serve"]])
def test_without_an_engine_kb_says_how_to_fix_it_and_exits_2(
    monkeypatch, capsys, command: list[str]
) -> None:
    only(monkeypatch)
    monkeypatch.delenv("KB_ENGINE", raising=False)
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: pytest.fail("no engine to run"))
    code = main([*command, "--config", str(ROOT / "mkdocs.yml")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("kb: fout: ProperDocs en MkDocs zijn allebei niet geïnstalleerd.")
    assert "-m pip install properdocs" in err


class FakeEngine:
    """Stands in for the engine's process: records its command and environment, and
    makes the folder it was told to build in."""

    calls: list[tuple[list[str], dict[str, str]]] = []

    def __init__(self, command: list[str], env: dict[str, str], **kwargs: object) -> None:
        FakeEngine.calls.append((command, env))
        if "--site-dir" in command:
            Path(command[command.index("--site-dir") + 1]).mkdir(parents=True)
        self.pid, self.stdout = os.getpid(), iter(())

    def wait(self) -> int:
        return 0


def test_build_runs_the_chosen_engine_quietly(monkeypatch, capsys, tmp_path: Path) -> None:
    only(monkeypatch, "properdocs", "mkdocs")
    monkeypatch.delenv("KB_ENGINE", raising=False)
    monkeypatch.setenv("KB_NETWERK", "left-over")
    monkeypatch.setattr(subprocess, "Popen", FakeEngine)
    monkeypatch.setattr(engine, "_signal_group", lambda process, sig: None)
    FakeEngine.calls = []
    config = str(ROOT / "mkdocs.yml")
    site = tmp_path / "site"
    assert main(["build", "--config", config, "--site", str(site)]) == 0
    command, env = FakeEngine.calls[0]
    # Built beside the site and swapped in (kb_tools.cli.site).
    assert command == [sys.executable, "-m", "properdocs", "build", "--clean", "--quiet"] + [
        "--config-file",
        config,
        "--site-dir",
        str(tmp_path / f"site.kb-nieuw-{os.getpid()}"),
    ]
    assert site.is_dir() and [p.name for p in tmp_path.iterdir()] == ["site"]
    assert "KB_NETWERK" not in env and env["KB_PROGRESS"] == "1"
    assert env["NO_MKDOCS_2_WARNING"] and env["DISABLE_MKDOCS_2_WARNING"] == "true"
    monkeypatch.setenv("KB_ENGINE", "mkdocs")
    with socket.socket() as probe:  # a port that is free now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--config", config, "--poort", str(port)]) == 0
    assert FakeEngine.calls[1][0][:4] == [sys.executable, "-m", "mkdocs", "serve"]
    assert FakeEngine.calls[1][0][-2:] == ["--dev-addr", f"127.0.0.1:{port}"]
    capsys.readouterr()


# -- a real build with ProperDocs alone ------------------------------------------------------

PROPERDOCS_VENV = ROOT / ".venv-properdocs"
# What may differ between the two builds: the generator tag names the engine and its version;
# sitemap.xml carries the build date; Pagefind names its filter files differently each run
# (see README, "Reproducibility"), so only its word index and fragments are compared.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
SKIPPED = {"sitemap.xml", "sitemap.xml.gz"}
PAGEFIND_STABLE = ("pagefind/index/", "pagefind/fragment/")
SAMPLE = (
    "index.html",
    "casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge/index.html",
    "zoeken/index.html",
    "thema/burenhulp/index.html",
    "wetgeving/vennootschapsbelasting/index.html",
)


def kb_build(kb: list[str], site: Path, engine_name: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KB_ENGINE", "KB_NETWERK")}
    if engine_name:
        env["KB_ENGINE"] = engine_name
    return subprocess.run(
        [*kb, "build", "--site", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def assert_only_kb_speaks(result: subprocess.CompletedProcess) -> None:
    """kb's own messages, nothing from the engine (no log lines, no banners); the theme
    is named once, in kb's own line on its end of life."""
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.count(engine.END_OF_LIFE) == 1
    out = result.stdout + result.stderr.replace(engine.END_OF_LIFE, "")
    assert result.stdout.startswith("De website wordt gebouwd.") and "Klaar:" in result.stdout
    for word in ("INFO", "WARNING", "Traceback", "mkdocs", "properdocs", "material"):
        assert word.lower() not in out.lower(), out


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    kb = PROPERDOCS_VENV / "bin" / "kb"
    if not kb.is_file():
        pytest.fail(
            f"{PROPERDOCS_VENV.name}/ is missing: `make test` creates it (ProperDocs, no MkDocs)."
        )
    with_properdocs = tmp_path_factory.mktemp("engine-pd")
    with_mkdocs = tmp_path_factory.mktemp("engine-mk")
    assert_only_kb_speaks(kb_build([str(kb)], with_properdocs, None))
    main_venv = [sys.executable, "-m", "kb_tools.cli"]
    assert_only_kb_speaks(kb_build(main_venv, with_mkdocs, "mkdocs"))
    return with_properdocs, with_mkdocs


def test_the_properdocs_venv_has_no_mkdocs() -> None:
    python = PROPERDOCS_VENV / "bin" / "python"
    if not python.is_file():
        pytest.fail(f"{PROPERDOCS_VENV.name}/ is missing: `make test` creates it.")
    probe = (
        "import importlib.metadata as m\n"
        "m.distribution('properdocs')\n"
        "try:\n    m.distribution('mkdocs')\n    print('mkdocs installed')\n"
        "except m.PackageNotFoundError:\n    pass\n"
        "try:\n    import mkdocs\n    print('import mkdocs ->', mkdocs.__name__)\n"
        "except ImportError:\n    print('import mkdocs fails')\n"
    )
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    assert "mkdocs installed" not in done.stdout
    assert done.stdout.strip() in ("import mkdocs fails", "import mkdocs -> properdocs")


def test_each_build_used_its_own_engine(two_sites: tuple[Path, Path]) -> None:
    with_properdocs, with_mkdocs = two_sites
    assert b"ProperDocs 1." in GENERATOR.search((with_properdocs / "index.html").read_bytes())[0]
    assert b'"mkdocs-1.' in GENERATOR.search((with_mkdocs / "index.html").read_bytes())[0]


def site_files(root: Path) -> dict[str, bytes]:
    """Every file that should be the same whatever the engine, generator tag removed."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel in SKIPPED:
            continue
        if rel.startswith("pagefind/") and not rel.startswith(PAGEFIND_STABLE):
            continue
        data = path.read_bytes()
        files[rel] = GENERATOR.sub(b"", data) if rel.endswith(".html") else data
    return files


class _Text(HTMLParser):
    """The text a reader sees, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser API
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_properdocs_builds_the_same_pages_as_mkdocs(two_sites: tuple[Path, Path]) -> None:
    with_properdocs, with_mkdocs = two_sites
    pages = {p.relative_to(with_mkdocs).as_posix() for p in with_mkdocs.rglob("*.html")}
    assert {p.relative_to(with_properdocs).as_posix() for p in with_properdocs.rglob("*.html")} == (
        pages
    )
    assert len(pages) > 100
    for rel in SAMPLE:
        assert rel in pages, rel
        text = page_text(with_mkdocs / rel)
        assert len(text) > 200, rel
        assert page_text(with_properdocs / rel) == text, rel
    # Not only the sample: every file, byte for byte, except what legitimately differs.
    first, second = site_files(with_properdocs), site_files(with_mkdocs)
    assert first.keys() == second.keys()
    assert any(k.startswith(PAGEFIND_STABLE) for k in first), "no search index"
    assert [k for k in first if first[k] != second[k]] == []
