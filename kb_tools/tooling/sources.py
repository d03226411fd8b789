"""``kb bronnen bijwerken``: networks that keep their cases in their own git repository
(``bron:`` in netwerken.yml). Their files are checked like ``kb controleer`` and vendored into
``content/casussen/<netwerk>/``; ``gitfetch`` gets them."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath

import yaml

from kb_tools.enrich import build_corpus, ledger
from kb_tools.layout import (
    ANSWERS_DIR,
    CASES_DIR,
    FILE_NAME,
    FOLDER_NAME,
    IMAGE_SUFFIXES,
    MAX_FILE_BYTES,
    MAX_IMAGE_BYTES,
    RESERVED_STEMS,
    name_problem,
)
from kb_tools.load.files import display_path
from kb_tools.load.registry import copy_registry, load_registry
from kb_tools.model import ERROR, Finding, Network
from kb_tools.textscan import printable
from kb_tools.tooling.casefile import slugify
from kb_tools.tooling.gitfetch import SourceError, fetch, run_git
from kb_tools.validate import check_content

LOCK_FILE = "bronnen.lock.yml"
CACHE_DIR = Path(".cache") / "bronnen"
NAME_LIMIT = 160  # characters of a remote name that a message shows
MESSAGE_LIMIT = 1000  # characters of a finding on a remote file
MAX_TOTAL_BYTES = 50_000_000
MAX_FILES = 2_000
ALLOWED_SUFFIXES = frozenset({".md"}) | IMAGE_SUFFIXES
LOCK_HEADER = """\
# Welke versie van de eigen bron van een netwerk op de website staat.
# Niet met de hand aanpassen: 'kb bronnen bijwerken' schrijft dit bestand.
# De bestanden zelf staan in content/casussen/<netwerk>/.
"""

OK = "bijgewerkt"
UNCHANGED = "ongewijzigd"
FAILED = "mislukt"


@dataclass
class SourceResult:
    network: str
    status: str  # OK, UNCHANGED or FAILED
    commit: str | None = None
    message: str = ""
    findings: list[Finding] = field(default_factory=list)


def _remote_name(network: Network, commit: str, path: str) -> str:
    """How a finding names a remote file: network, repository, commit and path; the path
    is the network's text, so it is shown through ``printable``."""
    assert network.source is not None
    return f"{network.id}: {network.source.url} @ {commit[:12]} : {printable(path, NAME_LIMIT)}"


def _name_problem(rel: PurePosixPath) -> str:
    """Why a file name in a source is refused, in Dutch with a better name, or ''. Names
    become addresses on the website: lower-case slugs only (``dorp-een.md``)."""
    if rel.stem in RESERVED_STEMS and FILE_NAME.fullmatch(rel.name):
        return (
            f"de naam {rel.name} mag niet: die naam gebruikt de website zelf. Hernoem het "
            "bestand naar de titel van de casus, bijvoorbeeld 'buurtbus-wijk-bij-duurstede.md'."
        )
    folders_ok = all(FOLDER_NAME.fullmatch(part) for part in rel.parts[:-1])
    if name_problem(rel.name) is None and folders_ok:
        return ""
    better = "/".join([*(slugify(part) for part in rel.parts[:-1]), slugify(rel.stem)])
    better += rel.suffix.lower()
    what = "de naam" if folders_ok else "de naam of de map"
    return (
        f"{what} mag alleen kleine letters (a-z), cijfers en streepjes hebben. Hernoem het "
        f"bestand, bijvoorbeeld naar '{printable(better)}'."
    )


def export(network: Network, cache_root: Path, commit: str, target: Path) -> int:
    """Write the commit's folder into ``target`` after checking every entry; return the
    number of files. Raises SourceError for anything that may not be published."""
    assert network.source is not None
    cache = cache_root / network.id
    folder = network.source.folder
    args = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]
    if folder:
        args += ["--", folder + "/"]
    done = run_git(args, cwd=cache)
    if done.returncode != 0:
        raise SourceError(
            f"De map '{folder}' in de bron van '{network.id}' kan niet worden gelezen."
        )
    entries = [e for e in done.stdout.decode("utf-8", "replace").split("\0") if e]
    if not entries:
        raise SourceError(
            f"De map '{folder or '/'}' in de bron van netwerk '{network.id}' is leeg of bestaat "
            f"niet (commit {commit[:12]})."
        )
    if len(entries) > MAX_FILES:
        raise SourceError(
            f"De bron van netwerk '{network.id}' heeft {len(entries)} bestanden; "
            f"hoogstens {MAX_FILES} mag."
        )
    problems: list[str] = []
    wanted: list[tuple[str, PurePosixPath, str]] = []
    total = 0
    for entry in entries:
        meta, _, path = entry.partition("\t")
        mode, kind, sha, size = meta.split()
        where = _remote_name(network, commit, path)
        rel = PurePosixPath(path)
        if folder:
            rel = rel.relative_to(folder)
        if mode == "120000":
            problems.append(f"{where}: een symbolische link (symlink) mag niet.")
            continue
        if kind != "blob" or mode not in ("100644", "100755"):
            problems.append(f"{where}: alleen gewone bestanden mogen (geen submodule).")
            continue
        if any(p in ("", ".", "..") or p.startswith(".") for p in rel.parts):
            problems.append(f"{where}: verborgen bestanden en '..' mogen niet.")
            continue
        if rel.suffix.lower() not in ALLOWED_SUFFIXES:
            problems.append(f"{where}: alleen .md, .png, .jpg en .webp mogen.")
            continue
        bad_name = _name_problem(rel)
        if bad_name:
            problems.append(f"{where}: {bad_name}")
            continue
        limit = MAX_FILE_BYTES if rel.suffix.lower() == ".md" else MAX_IMAGE_BYTES
        if int(size) > limit:
            problems.append(f"{where}: {int(size) // 1000} kB; hoogstens {limit // 1000} kB mag.")
            continue
        total += int(size)
        wanted.append((sha, rel, path))
    if total > MAX_TOTAL_BYTES:
        problems.append(
            f"{network.id}: de bron is samen {total // 1_000_000} MB; hoogstens "
            f"{MAX_TOTAL_BYTES // 1_000_000} MB mag."
        )
    if problems:
        raise SourceError("\n".join(problems))
    root = target.resolve()
    for sha, rel, _path in wanted:
        out = (target / Path(*rel.parts)).resolve()
        if root not in out.parents:  # belt and braces: never write outside the folder
            raise SourceError(f"{_remote_name(network, commit, str(rel))}: buiten de map.")
        out.parent.mkdir(parents=True, exist_ok=True)
        blob = run_git(["cat-file", "blob", sha], cwd=cache)
        if blob.returncode != 0:
            raise SourceError(f"{_remote_name(network, commit, str(rel))}: onleesbaar.")
        out.write_bytes(blob.stdout)
    return len(wanted)


def _staging_copy(content_dir: Path, target: Path, network_id: str) -> None:
    """A content folder like the real one, without the network's own folder."""
    copy_registry(content_dir, target)
    if (content_dir / ledger.LEDGER_FILE).is_file():
        shutil.copy2(content_dir / ledger.LEDGER_FILE, target / ledger.LEDGER_FILE)
    if (content_dir / ANSWERS_DIR).is_dir():
        shutil.copytree(content_dir / ANSWERS_DIR, target / ANSWERS_DIR)
    cases = content_dir / CASES_DIR
    (target / CASES_DIR).mkdir()
    for folder in sorted(cases.iterdir()) if cases.is_dir() else []:
        if folder.is_dir() and folder.name != network_id:
            shutil.copytree(folder, target / CASES_DIR / folder.name)


def validate(
    content_dir: Path, staged: Path, network: Network, commit: str, today: date | None
) -> list[Finding]:
    """Errors the real content would have with the staged files as the network's folder.
    Findings on the network's files name the network and the remote file."""
    folder = staged / CASES_DIR / network.id
    result = check_content(staged, today=today)
    errors = list(result.errors)
    if not errors:
        corpus = build_corpus(result.registry, result.cases, result.answers)
        errors = [f for f in ledger.review(staged, corpus)[2] if f.severity == ERROR]
    prefix = display_path(folder) + "/"
    assert network.source is not None
    remote_folder = network.source.folder + "/" if network.source.folder else ""
    named = []
    for f in errors:
        if f.file.startswith(prefix):
            f = replace(
                f,
                file=_remote_name(network, commit, remote_folder + f.file[len(prefix) :]),
                # the validator repeats values from the remote file
                message=printable(f.message, MESSAGE_LIMIT),
                hint=printable(f.hint, MESSAGE_LIMIT),
            )
        elif f.file.startswith(display_path(staged) + "/"):
            f = replace(f, file="content/" + f.file[len(display_path(staged)) + 1 :])
        named.append(f)
    return named


def read_lock(content_dir: Path) -> dict[str, dict]:
    path = content_dir / LOCK_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    networks = data.get("netwerken") if isinstance(data, dict) else None
    return networks if isinstance(networks, dict) else {}


def write_lock(content_dir: Path, lock: dict[str, dict]) -> None:
    text = yaml.safe_dump(
        {"netwerken": {k: lock[k] for k in sorted(lock)}},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
    )
    tmp = content_dir / (LOCK_FILE + ".tmp")
    tmp.write_text(LOCK_HEADER + text, encoding="utf-8")
    tmp.replace(content_dir / LOCK_FILE)


def _vendor(staged_folder: Path, content_dir: Path, network_id: str) -> None:
    """Replace content/casussen/<netwerk>/ wholesale by the checked files."""
    cases = content_dir / CASES_DIR
    cases.mkdir(parents=True, exist_ok=True)
    final = cases / network_id
    incoming = cases / f".{network_id}.nieuw"
    outgoing = cases / f".{network_id}.oud"
    for leftover in (incoming, outgoing):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(staged_folder, incoming)
    if final.exists():
        final.rename(outgoing)
    incoming.rename(final)
    if outgoing.exists():
        shutil.rmtree(outgoing)


def update_network(
    content_dir: Path,
    network: Network,
    cache_root: Path,
    lock: dict[str, dict],
    today: date,
) -> SourceResult:
    """Fetch, check and vendor one network's source. Never raises for source problems.

    1. fetch only the ref's newest commit (``git fetch --depth 1``) into a cache
       (``.cache/bronnen/<netwerk>``, a bare repository) and resolve it to one commit. While git
       runs, the cache's growth is watched: past ``MAX_DOWNLOAD_BYTES`` git is stopped and the
       cache removed; the same after ``GIT_TIMEOUT`` seconds;
    2. list that commit's folder with ``git ls-tree`` and refuse anything that is not a plain
       file (symlinks, submodules), lies outside the folder, is a dotfile, has a suffix other
       than .md/.png/.jpg/.jpeg/.webp, is too large, or whose name is not a lower-case slug
       (``dorp-een.md``; not ``index.md``). Remote names are only ever shown through
       ``printable``, which escapes control, bidi and zero-width characters;
    3. write the files into a copy of the content folder, in place of the network's own folder,
       and run the same validation as ``kb controleer`` (``check_content``) plus the ledger of
       published addresses. The case rules already demand that every id carries the network's
       prefix and that the file's folder is the network's folder; an id that another network
       already uses is ``id-dubbel``;
    4. only when all of that passes: replace ``content/casussen/<netwerk>/`` wholesale by the
       new files (vendoring) and record the commit in ``content/bronnen.lock.yml``.

    On any failure the vendored folder and the lock stay as they were: the site keeps that
    network's last good content, and every other network is unaffected. The build itself
    (``kb bouw``) only reads the vendored files, so it needs no network and is reproducible
    from the repository alone.
    """
    assert network.source is not None
    source = network.source
    try:
        commit = fetch(network, cache_root)
    except SourceError as error:
        return SourceResult(network.id, FAILED, message=str(error))
    old = lock.get(network.id) or {}
    same_source = (old.get("url"), old.get("ref"), old.get("map", "")) == (
        source.url,
        source.ref,
        source.folder,
    )
    if (
        old.get("commit") == commit
        and same_source
        and (content_dir / CASES_DIR / network.id).is_dir()
    ):
        return SourceResult(network.id, UNCHANGED, commit)
    with tempfile.TemporaryDirectory(prefix="kb-bron-") as tmp:
        staged = Path(tmp) / "content"
        _staging_copy(content_dir, staged, network.id)
        folder = staged / CASES_DIR / network.id
        folder.mkdir()
        try:
            count = export(network, cache_root, commit, folder)
        except SourceError as error:
            return SourceResult(network.id, FAILED, commit, str(error))
        errors = validate(content_dir, staged, network, commit, today)
        if errors:
            return SourceResult(
                network.id,
                FAILED,
                commit,
                f"Commit {commit[:12]} van netwerk '{network.id}' heeft "
                f"{len(errors)} {'fout' if len(errors) == 1 else 'fouten'}.",
                errors,
            )
        _vendor(folder, content_dir, network.id)
    # New vendored cases enter the ledger in the same change as the lock bump, so deleting
    # them at the source later cannot remove a published address silently.
    added, problems = ledger.record(content_dir, today)
    lock[network.id] = {
        "url": source.url,
        "ref": source.ref,
        "map": source.folder,
        "commit": commit,
        "datum": today.isoformat(),
        "bestanden": count,
    }
    write_lock(content_dir, lock)
    if problems:
        return SourceResult(
            network.id,
            OK,
            commit,
            "De casussen staan erin, maar content/gepubliceerd.yml is niet bijgewerkt: "
            + "; ".join(printable(f.message, 200) for f in problems[:3]),
        )
    return SourceResult(
        network.id, OK, commit, f"{added} nieuwe adressen vastgelegd." if added else ""
    )


def update(
    content_dir: Path,
    cache_root: Path = CACHE_DIR,
    only: str | None = None,
    today: date | None = None,
) -> list[SourceResult]:
    """Update every network with a source (or only one); the lock is written per success."""
    content_dir = Path(content_dir)
    registry, findings = load_registry(content_dir)
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise SourceError(
            "De registers hebben fouten; los die eerst op ('kb controleer').\n"
            + "\n".join(f"{f.file}:{f.line}: {f.message}" for f in errors)
        )
    lock = read_lock(content_dir)
    results = []
    for network in registry.networks.values():
        if network.source is None or (only and network.id != only):
            continue
        results.append(
            update_network(content_dir, network, Path(cache_root), lock, today or date.today())
        )
    return results
