"""Networks with their own git repository: `kb bronnen bijwerken` and `kb bouw --netwerk`.

Every source is a bare git repository made here, reached through a file:// URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb_tools.cli import main
from kb_tools.load.registry import load_registry
from kb_tools.tooling import gitfetch, sources

from .conftest import FIXTURES, ROOT, TODAY

NETWORK = "zorgzame-dorpen"  # prefix zzd, no cases in the fixture content


@pytest.fixture(autouse=True)
def local_sources(monkeypatch) -> None:
    """The sources here are repositories on this machine (file://), which netwerken.yml
    may only name when KB_BRONNEN_LOKAAL is set."""
    monkeypatch.setenv("KB_BRONNEN_LOKAAL", "1")


GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
GIT += ["-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"]


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def case_text(number: int, prefix: str = "zzd", network: str = NETWORK) -> str:
    text = (FIXTURES / "basis" / "ams-0900.md").read_text(encoding="utf-8")
    text = text.replace("id: ams-0900", f"id: {prefix}-{number:04d}")
    text = text.replace("netwerk: amsterdamse-stadsdorpen", f"netwerk: {network}")
    text = text.replace("provincie: noord-holland", "provincie: groningen")
    team = {NETWORK: "redactie-noord", "knooppunt-limburg": "redactie-limburg"}
    text = text.replace("redactie-amsterdam", team.get(network, "redactie-amsterdam"))
    return text.replace("Stadsdorp Proefwijk", f"Dorp Proef {number}")


class Remote:
    """A bare repository plus a working clone to commit into."""

    def __init__(self, root: Path) -> None:
        self.bare = root / "bron.git"
        self.work = root / "werk"
        root.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", "--bare", str(self.bare), cwd=root)
        git("init", "--quiet", str(self.work), cwd=root)
        git("remote", "add", "origin", self.bare.as_uri(), cwd=self.work)

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def commit(self, files: dict[str, str | None], message: str = "update") -> str:
        for name, text in files.items():
            path = self.work / name
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git("add", "-A", cwd=self.work)
        git("commit", "--quiet", "-m", message, cwd=self.work)
        git("push", "--quiet", "origin", "HEAD:refs/heads/main", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    return Remote(tmp_path / "remote")


@pytest.fixture
def sourced(content: Path, remote: Remote) -> Path:
    """The fixture content with a 'bron' for zorgzame-dorpen pointing at `remote`."""
    registry = content / "netwerken.yml"
    text = registry.read_text(encoding="utf-8")
    entry = f"  - id: {NETWORK}\n"
    assert entry in text
    text = text.replace(
        entry, entry + f"    bron: {{url: '{remote.url}', ref: main, map: casussen}}\n"
    )
    registry.write_text(text, encoding="utf-8")
    return content


def update(content: Path, tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "bronnen",
            "bijwerken",
            "--content",
            str(content),
            "--cache",
            str(tmp_path / "cache"),
            *extra,
        ]
    )


def lock(content: Path) -> dict:
    return yaml.safe_load((content / sources.LOCK_FILE).read_text(encoding="utf-8"))["netwerken"]


def vendored(content: Path) -> list[str]:
    return sorted(p.name for p in (content / "casussen" / NETWORK).iterdir())


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kb_tools.cli.shared.today", lambda: TODAY)


def test_registry_reads_bron(sourced: Path, remote: Remote) -> None:
    registry, findings = load_registry(sourced)
    assert not [f for f in findings if f.severity == "error"]
    source = registry.networks[NETWORK].source
    assert source is not None
    assert (source.url, source.ref, source.folder) == (remote.url, "main", "casussen")


def test_a_local_source_needs_the_local_switch(content: Path, monkeypatch) -> None:
    """A pull request cannot point `kb bronnen bijwerken` at a folder of the build machine."""
    monkeypatch.delenv("KB_BRONNEN_LOKAAL")
    registry = content / "netwerken.yml"
    text = registry.read_text(encoding="utf-8").replace(
        "    voorvoegsel: zzd\n", "    voorvoegsel: zzd\n    bron: {url: /home/runner/.ssh}\n"
    )
    registry.write_text(text, encoding="utf-8")
    _, findings = load_registry(content)
    assert [f.code for f in findings] == ["register-bron"]


def test_registry_refuses_bad_bron(content: Path) -> None:
    registry = content / "netwerken.yml"
    text = registry.read_text(encoding="utf-8").replace(
        f"  - id: {NETWORK}\n", f"  - id: {NETWORK}\n    bron: {{url: x, map: ../andere}}\n"
    )
    registry.write_text(text, encoding="utf-8")
    _, findings = load_registry(content)
    messages = [f.message for f in findings if f.code == "register-bron"]
    assert any("geen git-adres" in m for m in messages)
    assert any("../andere" in m for m in messages)


def test_healthy_source_is_vendored_and_locked(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    commit = remote.commit(
        {
            "casussen/dorp-een.md": case_text(1),
            "casussen/dorp-twee.md": case_text(2),
            "README.md": "# niet gepubliceerd: buiten de map",
        }
    )
    assert update(sourced, tmp_path, "--strict") == 0
    assert vendored(sourced) == ["dorp-een.md", "dorp-twee.md"]
    entry = lock(sourced)[NETWORK]
    assert entry["commit"] == commit
    assert (entry["url"], entry["ref"], entry["map"]) == (remote.url, "main", "casussen")
    assert entry["bestanden"] == 2 and entry["datum"] == TODAY.isoformat()
    assert "Bijgewerkt" in capsys.readouterr().out
    # The vendored content passes kb controleer like any other content.
    assert main(["check", "--content", str(sourced)]) == 0
    # Running again without a new commit changes nothing.
    assert update(sourced, tmp_path, "--strict") == 0
    assert "Ongewijzigd" in capsys.readouterr().out


def test_vendored_cases_enter_the_ledger_in_the_same_change(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    """A case that arrives through a source is published: its address is recorded, so
    deleting it at the source later is caught (adres-verdwenen), not silent."""
    remote.commit({"casussen/dorp-een.md": case_text(1)})
    assert update(sourced, tmp_path, "--strict") == 0
    assert "nieuwe adressen vastgelegd" in capsys.readouterr().out
    ledger = yaml.safe_load((sourced / "gepubliceerd.yml").read_text(encoding="utf-8"))
    assert ledger["zzd-0001"]["adressen"] == [f"casussen/{NETWORK}/dorp-een/"]
    remote.commit({"casussen/dorp-een.md": None, "casussen/dorp-twee.md": case_text(2)})
    assert update(sourced, tmp_path) == 0
    out = capsys.readouterr()
    assert "adres-verdwenen" in out.err and "zzd-0001" in out.err
    assert vendored(sourced) == ["dorp-een.md"]  # the last good content stays


def test_lock_bump_picks_up_new_valid_commit(sourced: Path, remote: Remote, tmp_path: Path) -> None:
    first = remote.commit({"casussen/dorp-een.md": case_text(1)})
    assert update(sourced, tmp_path) == 0
    assert lock(sourced)[NETWORK]["commit"] == first
    # The network adds a case and removes nothing: only a bump brings it to the site.
    second = remote.commit({"casussen/dorp-twee.md": case_text(2)})
    assert vendored(sourced) == ["dorp-een.md"]
    assert update(sourced, tmp_path, "--strict") == 0
    assert lock(sourced)[NETWORK]["commit"] == second
    assert vendored(sourced) == ["dorp-een.md", "dorp-twee.md"]


def test_unreachable_source_keeps_last_good_content(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    good = remote.commit({"casussen/dorp-een.md": case_text(1)})
    assert update(sourced, tmp_path) == 0
    capsys.readouterr()
    shutil.rmtree(remote.bare)  # the network's server is gone
    # Also an empty cache, as on a fresh CI runner.
    shutil.rmtree(tmp_path / "cache")
    assert update(sourced, tmp_path) == 0
    err = capsys.readouterr().err
    assert f"LET OP: netwerk {NETWORK} is NIET bijgewerkt" in err
    assert "niet bereikbaar" in err
    assert lock(sourced)[NETWORK]["commit"] == good
    assert vendored(sourced) == ["dorp-een.md"]
    assert update(sourced, tmp_path, "--strict") == 1
    # The content that stays is complete: kb controleer passes without the network.
    assert main(["check", "--content", str(sourced)]) == 0


def test_invalid_new_commit_keeps_old_commit(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    good = remote.commit({"casussen/dorp-een.md": case_text(1)})
    assert update(sourced, tmp_path) == 0
    capsys.readouterr()
    broken = case_text(2).replace("fase: stabiel", "fase: bestaat-niet")
    bad = remote.commit({"casussen/dorp-twee.md": broken, "casussen/dorp-een.md": None})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    # The finding names the network and the remote file.
    assert f"{NETWORK}: {remote.url} @ {bad[:12]} : casussen/dorp-twee.md" in err
    assert lock(sourced)[NETWORK]["commit"] == good
    assert vendored(sourced) == ["dorp-een.md"]


def test_other_networks_prefix_is_refused(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    remote.commit(
        {
            "casussen/dorp-een.md": case_text(1),
            # Claims to be an Amsterdam case, and shadows one that exists.
            "casussen/kaping.md": case_text(900, prefix="ams", network="amsterdamse-stadsdorpen"),
            # Our network, but another network's prefix.
            "casussen/vreemd.md": case_text(3, prefix="utr"),
        }
    )
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "casussen/kaping.md" in err and "casussen/vreemd.md" in err
    assert "zzd" in err
    assert not (sourced / "casussen" / NETWORK).exists()
    assert not (sourced / sources.LOCK_FILE).exists()


def test_symlink_out_of_folder_is_refused(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    remote.commit({"casussen/dorp-een.md": case_text(1), "geheim.md": "geheim"})
    os.symlink("../geheim.md", remote.work / "casussen" / "link.md")
    remote.commit({})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "casussen/link.md" in err and "symlink" in err
    assert not (sourced / "casussen" / NETWORK).exists()


def test_disallowed_and_oversized_files_are_refused(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    remote.commit(
        {
            "casussen/dorp-een.md": case_text(1),
            "casussen/script.js": "alert(1)",
            "casussen/groot.md": case_text(2) + "x" * 300_000,
        }
    )
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "casussen/script.js" in err and "casussen/groot.md" in err
    assert not (sourced / "casussen" / NETWORK).exists()


def test_one_failing_source_does_not_stop_another(
    sourced: Path, remote: Remote, tmp_path: Path
) -> None:
    other = Remote(tmp_path / "limburg")
    registry = sourced / "netwerken.yml"
    entry = "  - id: knooppunt-limburg\n"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            entry, entry + f"    bron: {{url: '{other.url}'}}\n"
        ),
        encoding="utf-8",
    )
    lim = case_text(1, prefix="lim", network="knooppunt-limburg").replace(
        "provincie: groningen", "provincie: limburg"
    )
    other.commit({"lim.md": lim})  # map: the repository root
    remote.commit({"casussen/dorp-een.md": "geen kop"})
    assert update(sourced, tmp_path) == 0
    assert set(lock(sourced)) == {"knooppunt-limburg"}
    assert sorted(p.name for p in (sourced / "casussen" / "knooppunt-limburg").iterdir()) == [
        "lim.md"
    ]


def test_build_one_network(tmp_path: Path) -> None:
    """`kb bouw --netwerk` on the real content: only that network's cases, its own title."""
    site = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kb_tools.cli",
            "build",
            "--netwerk",
            "amsterdamse-stadsdorpen",
            "--site",
            str(site),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "KB_NETWERK"},
    )
    assert done.returncode == 0, done.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Kennisbank Amsterdamse Stadsdorpen" in index
    folders = sorted(p.name for p in (site / "casussen").iterdir() if p.is_dir())
    assert folders == ["amsterdamse-stadsdorpen"]
    assert not (site / "casussen" / "omzien-naar-elkaar").exists()


def test_build_unknown_network_fails(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", "build", "--netwerk", "bestaat-niet"]
        + ["--site", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "bestaat-niet" in done.stderr


def write_random(remote: Remote, name: str, size: int) -> None:
    """A file git cannot compress, so it costs its full size to download."""
    path = remote.work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))


def test_deep_history_is_fetched_shallow(
    sourced: Path, remote: Remote, tmp_path: Path, monkeypatch
) -> None:
    """Five commits of 100 kB each outside the folder: only the newest is downloaded, so a
    download limit of 300 kB is enough."""
    monkeypatch.setattr(gitfetch, "MAX_DOWNLOAD_BYTES", 300_000)
    for number in range(1, 6):
        write_random(remote, "archief/oud.bin", 100_000)
        head = remote.commit({"casussen/dorp-een.md": case_text(1) + f"\nVersie {number}.\n"})
    assert update(sourced, tmp_path, "--strict") == 0
    assert lock(sourced)[NETWORK]["commit"] == head
    cache = tmp_path / "cache" / NETWORK
    assert git("rev-list", "--count", "FETCH_HEAD", cwd=cache) == "1"
    assert git("rev-parse", "--is-shallow-repository", cwd=cache) == "true"
    # a new commit is fetched shallow too
    write_random(remote, "archief/oud.bin", 100_000)
    newer = remote.commit({"casussen/dorp-twee.md": case_text(2)})
    assert update(sourced, tmp_path, "--strict") == 0
    assert lock(sourced)[NETWORK]["commit"] == newer
    assert git("rev-list", "--count", "FETCH_HEAD", cwd=cache) == "1"


def test_a_download_over_the_limit_is_refused_and_cleaned_up(
    sourced: Path, remote: Remote, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(gitfetch, "MAX_DOWNLOAD_BYTES", 200_000)
    write_random(remote, "archief/groot.bin", 600_000)
    remote.commit({"casussen/dorp-een.md": case_text(1)})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert f"LET OP: netwerk {NETWORK} is NIET bijgewerkt" in err
    assert f"De bron van netwerk '{NETWORK}' is groter dan 0,2 MB" in err
    # git was stopped and what it downloaded is gone
    assert not (tmp_path / "cache" / NETWORK).exists()
    assert not (sourced / "casussen" / NETWORK).exists()
    assert not (sourced / sources.LOCK_FILE).exists()


def test_the_download_limit_stops_git_while_it_runs(tmp_path: Path, monkeypatch) -> None:
    """The limit is watched while git runs, not only afterwards: a command that keeps
    writing into the cache is stopped."""
    monkeypatch.setattr(gitfetch, "POLL_SECONDS", 0.05)
    cache = tmp_path / "cache"
    cache.mkdir()
    writer = (
        "import pathlib, time\n"
        f"p = pathlib.Path({str(cache / 'groei.pack')!r})\n"
        "with p.open('ab') as f:\n"
        "    for _ in range(10_000):\n"
        "        f.write(b'x' * 10_000); f.flush(); time.sleep(0.01)\n"
    )
    with pytest.raises(gitfetch.TooLarge):
        gitfetch._run_watched([sys.executable, "-c", writer], cache, limit=100_000)
    # stopped soon after the limit: nowhere near the 100 MB it would have written
    assert (cache / "groei.pack").stat().st_size < 5_000_000


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("casussen/kwaad\n\u202edm.gpj.md", "casussen/kwaad\\n\\u202edm.gpj.md"),
        ("casussen/onzicht\u200bbaar.md", "casussen/onzicht\\u200bbaar.md"),
        ("casussen/Dorp Een.md", "casussen/Dorp Een.md"),
        ("casussen/index.md", "casussen/index.md"),
        ("casussen/FOTO.JPG", "casussen/FOTO.JPG"),
        ("casussen/dorp_een.md", "casussen/dorp_een.md"),
        ("casussen/Mijn Map/dorp-drie.md", "casussen/Mijn Map/dorp-drie.md"),
    ],
)
def test_remote_file_names_must_be_lower_case_slugs(
    sourced: Path, remote: Remote, tmp_path: Path, capsys, name: str, shown: str
) -> None:
    remote.commit({"casussen/dorp-een.md": case_text(1), name: case_text(2)})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    # the name is shown escaped: no raw newline, bidi or zero-width character
    assert "\u202e" not in err and "\u200b" not in err
    assert all(line.startswith(("LET OP", "  ", "1 van de")) for line in err.splitlines()), err
    assert f"{NETWORK}: {remote.url} @ " in err and f" : {shown}: " in err
    assert "Hernoem het bestand" in err or "index.md" in err
    assert not (sourced / "casussen" / NETWORK).exists()


def test_rename_hints_name_a_good_file_name(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    remote.commit(
        {
            "casussen/dorp-een.md": case_text(1),
            "casussen/Zorg Coöperatie.md": case_text(2),
            "casussen/index.md": case_text(3),
        }
    )
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "Hernoem het bestand, bijvoorbeeld naar 'zorg-cooperatie.md'" in err
    assert "index.md" in err and "die naam gebruikt de website zelf" in err


def test_long_remote_names_are_cut(sourced: Path, remote: Remote, tmp_path: Path, capsys) -> None:
    remote.commit({"casussen/dorp-een.md": case_text(1), "casussen/" + "A" * 240 + ".md": "x"})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if "AAAA" in line and "Hernoem" in line]
    name = line.split(" : ", 1)[1].split(": de naam", 1)[0]
    assert name.startswith("casussen/AAAA") and name.endswith("…")
    assert len(name) == sources.NAME_LIMIT
    assert "'" + "a" * 60 + ".md'" in line  # the suggested name is a short slug


def test_printable() -> None:
    assert sources.printable("a\nb\tc\x1b[31m\u202e\u2066\ufeff\\") == (
        "a\\nb\\tc\\x1b[31m\\u202e\\u2066\\ufeff\\\\"
    )
    assert sources.printable("zorgcoöperatie.md") == "zorgcoöperatie.md"
    assert sources.printable("x" * 500, limit=20) == "x" * 19 + "…"


def test_remote_values_in_findings_are_escaped(
    sourced: Path, remote: Remote, tmp_path: Path, capsys
) -> None:
    """A finding on a network's file repeats its values: no terminal escape or bidi
    character from a remote file reaches the terminal or the CI log."""
    text = case_text(1)
    assert "\nthema:" in text
    text = text.replace("\nthema:", '\nthema: ["\\e[2J\\e[31mrood\\u202e"]\noud_thema:', 1)
    remote.commit({"casussen/dorp-een.md": text})
    assert update(sourced, tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "x1b[2J" in err and "rood" in err  # shown escaped (kb controleer escapes it first)
