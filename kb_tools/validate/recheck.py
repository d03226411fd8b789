"""Validate, recheck: the content folder checked again after every save (``kb bekijk``).

The first run is ``check_content``. Later runs walk the folder again, but read and validate
only the files whose size, times or inode changed (or whose text changed while the clock
could not tell), reuse the other files' own results, and redo the corpus pass in full.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb_tools.layout import MAX_FILE_BYTES, NETWORKS_FILE, SOURCES_FILE, VOCAB_DIR
from kb_tools.load.files import (
    ANSWER,
    CASE,
    GUIDE,
    IMAGE,
    ContentFile,
    display_path,
    read_bytes,
    scan_content,
)
from kb_tools.load.registry import load_registry
from kb_tools.model import Answer, Case, Finding, Registry
from kb_tools.validate.check import (
    PARALLEL_FROM,
    CheckResult,
    FileResult,
    check_file,
    check_files,
    combine,
)
from kb_tools.validate.fields import CaseValidator

#: A file changed this recently (ns) may change again within one tick of the file system's
#: clock without its size or times showing it: its text is compared too ("racy" in git).
RACY_NS = 2_000_000_000

#: Why everything must be rebuilt.
FIRST_RUN, REGISTRY_CHANGED, DATE_CHANGED, FOLDER_MOVED, GUIDE_CHANGED = (
    "first run",
    "registry",
    "date",
    "folder",
    "guide",
)


@dataclass(frozen=True)
class Changes:
    """What changed since the previous run. ``everything``: the caller must rebuild all
    (the first run, a changed vocabulary, network or source file, guide page, date or
    working directory; ``reasons`` says which). Ids are those of valid cases and answers,
    as in ``CheckResult.cases``/``answers``; paths (``files_*``) are inside content/, with /,
    for cases, answers and guide pages."""

    everything: bool
    reasons: tuple[str, ...] = ()
    cases_added: frozenset[str] = frozenset()
    cases_modified: frozenset[str] = frozenset()
    cases_removed: frozenset[str] = frozenset()
    answers_added: frozenset[str] = frozenset()
    answers_modified: frozenset[str] = frozenset()
    answers_removed: frozenset[str] = frozenset()
    files_added: frozenset[str] = frozenset()
    #: Files whose size, times, inode or text changed (not those only read again because
    #: everything was, or because a file they link to appeared or disappeared).
    files_modified: frozenset[str] = frozenset()
    files_removed: frozenset[str] = frozenset()
    images_changed: bool = False  # an image was added or removed
    rechecked: int = 0  # files read and validated in this run

    @property
    def any(self) -> bool:
        """Did anything change that a build shows?"""
        return bool(
            self.everything
            or self.cases_added
            or self.cases_modified
            or self.cases_removed
            or self.answers_added
            or self.answers_modified
            or self.answers_removed
            or self.images_changed
        )


@dataclass(frozen=True)
class _Entry:
    """One file's result and what it takes to trust it again."""

    kind: str  # CASE, ANSWER or GUIDE
    stat: tuple[int, ...] | None  # None: never reused
    digest: bytes | None  # the text's hash, kept when the stat alone cannot be trusted
    result: FileResult
    asked: frozenset[str]  # the paths its links were looked up by


@dataclass
class _State:
    key: tuple
    registry: Registry
    registry_findings: list[Finding]
    validator: CaseValidator
    known: frozenset[str]
    images: frozenset[str]
    entries: dict[str, _Entry] = field(default_factory=dict)


class Rechecker:
    """Keep one for a whole ``kb bekijk`` session and call ``run`` after every save: its
    result equals ``check_content(content, today=today)``; ``changes`` says what changed
    since the previous run. ``today``: fixed, or (None) the date of each run.

        checker = Rechecker()
        result = checker.run(content)  # as check_content(content)
        if checker.changes.everything: ...  # rebuild all
        else: ...  # checker.changes.cases_modified, .cases_added, .cases_removed, ...

    The result's cases and answers are the same objects as in the previous result when
    their files did not change; do not change them in place.
    """

    def __init__(self, today: date | None = None) -> None:
        self.today = today
        self.changes: Changes | None = None
        self.result: CheckResult | None = None
        self._state: _State | None = None

    def run(self, content: Path, progress: Callable[[int, int], None] | None = None) -> CheckResult:
        content = Path(content)
        started = time.time_ns()
        today = self.today or date.today()
        inventory = scan_content(content)
        # Read before the registry, so that a change while it loads shows next time.
        key = (display_path(content), os.path.abspath(content), today, _registry_key(content))
        old = self._state
        reasons = _reasons(old, key)
        if old is None or reasons:
            registry, registry_findings = load_registry(content)
            state = _State(
                key,
                registry,
                registry_findings,
                CaseValidator(registry, today),
                frozenset(),
                frozenset(),
            )
            previous: dict[str, _Entry] = {}
        else:
            state = _State(
                key, old.registry, old.registry_findings, old.validator, frozenset(), frozenset()
            )
            previous = old.entries
        result = CheckResult(
            state.registry, findings=list(state.registry_findings), inventory=inventory
        )
        files = inventory.of(CASE, ANSWER, GUIDE)
        state.known = frozenset(f.uri for f in inventory.of(CASE, ANSWER, GUIDE, IMAGE))
        state.images = frozenset(f.uri for f in inventory.of(IMAGE))
        # Rebuilt from a tuple: a set left over from ^ keeps its big table, slow to scan.
        moved = frozenset(tuple(state.known ^ old.known)) if old is not None else frozenset()
        stale: list[tuple[ContentFile, tuple[int, ...] | None]] = []
        for item in files:
            stat = _stat(item)
            entry = previous.get(item.uri)
            if entry is not None and _still(entry, item, stat, moved):
                state.entries[item.uri] = entry
            else:
                stale.append((item, stat))
        checked = _check([s[0] for s in stale], state, progress)
        edited = set()
        for (item, stat), (res, asked, digest) in zip(stale, checked, strict=True):
            if old is not None and _edited(old.entries.get(item.uri), stat, digest):
                edited.add(item.uri)
            if not _racy(stat, started):
                digest = None  # its stat will tell
            elif digest is None:
                stat = None  # unreadable now: read it again next time
            state.entries[item.uri] = _Entry(item.kind, stat, digest, res, asked)
        result.findings.extend(inventory.findings)
        results = [state.entries[f.uri].result for f in files]
        result.files = len(results)
        combine(result, results)
        self.changes = _changes(reasons, old, state, edited, len(stale), self.result, result)
        self._state, self.result = state, result
        return result


def _reasons(old: _State | None, key: tuple) -> tuple[str, ...]:
    if old is None:
        return (FIRST_RUN,)
    names = (FOLDER_MOVED, FOLDER_MOVED, DATE_CHANGED, REGISTRY_CHANGED)
    return tuple(dict.fromkeys(n for n, a, b in zip(names, old.key, key, strict=True) if a != b))


def _registry_key(content: Path) -> tuple:
    """Everything ``load_registry`` reads, as bytes (or why it could not be read)."""
    vocab_dir = content / VOCAB_DIR
    parts: list[object] = [vocab_dir.is_symlink(), vocab_dir.is_dir()]
    names: list[str] = []
    if not parts[0] and parts[1]:
        try:
            with os.scandir(vocab_dir) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(".yml"))
        except OSError as exc:
            parts.append(str(exc))
    for path in [vocab_dir / n for n in names] + [content / NETWORKS_FILE, content / SOURCES_FILE]:
        try:
            parts.append((path.name, path.is_file(), path.read_bytes()))
        except OSError as exc:
            parts.append((path.name, exc.errno))
    return tuple(parts)


def _stat(item: ContentFile) -> tuple[int, ...] | None:
    try:
        s = os.lstat(item.path)
    except OSError:
        return None
    return (s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev)


def _racy(stat: tuple[int, ...] | None, started: int) -> bool:
    return stat is not None and max(stat[2], stat[3]) >= started - RACY_NS


def _digest(path: Path) -> bytes | None:
    data = read_bytes(path, MAX_FILE_BYTES)
    return None if isinstance(data, tuple) else hashlib.blake2b(data, digest_size=16).digest()


def _edited(entry: _Entry | None, stat: tuple[int, ...] | None, digest: bytes | None) -> bool:
    """Was a file read again because it changed (not because everything is checked again)?"""
    if entry is None:
        return False  # added
    if entry.stat is None or entry.stat != stat:
        return True
    return entry.digest is not None and entry.digest != digest


def _still(entry: _Entry, item: ContentFile, stat: tuple[int, ...] | None, moved) -> bool:
    """May the file's previous result be used again?"""
    if stat is None or entry.stat != stat or entry.result.rel != item.rel:
        return False
    if entry.kind != item.kind or (moved and not entry.asked.isdisjoint(moved)):
        return False
    return entry.digest is None or _digest(item.path) == entry.digest


class _Probe(Collection[str]):
    """The known paths, noting each path looked up: a file's link findings depend only on
    those, so the file is checked again only when one of them appears or disappears."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self.asked: set[str] = set()

    def __contains__(self, path: object) -> bool:
        self.asked.add(str(path))
        return path in self.known

    def __iter__(self) -> Iterator[str]:
        self.asked.update(self.known)  # someone read all of them: any change counts
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _probed(
    item: ContentFile, validator: CaseValidator, known: frozenset[str] | None, keep: bool
) -> tuple[FileResult, frozenset[str], bytes | None]:
    """``check_file``, with the paths its links looked up and the hash of the text as it was
    before the check read it (a change after that shows as a different hash next time)."""
    digest = _digest(item.path)
    probe = _Probe(known or frozenset())
    result = check_file(item, validator, probe, keep)
    return result, frozenset(probe.asked), digest


def _check(
    items: list[ContentFile], state: _State, progress: Callable | None
) -> list[tuple[FileResult, frozenset[str], bytes | None]]:
    """A few files in this process; many (the first run) on all cores, as check_content."""
    if len(items) < PARALLEL_FROM:
        return [_probed(item, state.validator, state.known, True) for item in items]
    return check_files(items, state.validator, state.known, True, progress, _probed)


def _changes(
    reasons: tuple[str, ...],
    old: _State | None,
    state: _State,
    edited: set[str],
    rechecked: int,
    before: CheckResult | None,
    after: CheckResult,
) -> Changes:
    old_entries = old.entries if old is not None else {}
    added = frozenset(state.entries) - frozenset(old_entries)
    removed = frozenset(old_entries) - frozenset(state.entries)
    modified = frozenset(edited)
    guides = {u for u in added | removed | modified if _kind(u, state, old) == GUIDE}
    if guides and not reasons:
        reasons = (GUIDE_CHANGED,)
    ids: dict[str, frozenset[str]] = {}
    for kind, items_of in ((CASE, _cases), (ANSWER, _answers)):
        was = items_of(before) if before is not None else {}
        now = items_of(after)
        ids[f"{kind}_added"] = frozenset(now) - frozenset(was)
        ids[f"{kind}_removed"] = frozenset(was) - frozenset(now)
        ids[f"{kind}_modified"] = frozenset(
            i for i in frozenset(now) & frozenset(was) if now[i] is not was[i] and now[i] != was[i]
        )
    return Changes(
        bool(reasons),
        reasons,
        ids[f"{CASE}_added"],
        ids[f"{CASE}_modified"],
        ids[f"{CASE}_removed"],
        ids[f"{ANSWER}_added"],
        ids[f"{ANSWER}_modified"],
        ids[f"{ANSWER}_removed"],
        added,
        modified,
        removed,
        old is not None and state.images != old.images,
        rechecked,
    )


def _kind(uri: str, state: _State, old: _State | None) -> str:
    for entries in (state.entries, old.entries if old is not None else {}):
        if uri in entries:
            return entries[uri].kind
    return ""


def _cases(result: CheckResult) -> dict[str, Case]:
    return {c.id: c for c in result.cases}


def _answers(result: CheckResult) -> dict[str, Answer]:
    return {a.id: a for a in result.answers}
