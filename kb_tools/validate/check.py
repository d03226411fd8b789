"""Run every rule over a content folder: registries, each file, then the corpus.

This is what ``kb controleer`` and the MkDocs plugin call. Each file is read once. Files
are independent until the corpus pass, so large corpora are checked on all cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb_tools.load.documents import load_document, read_text
from kb_tools.load.files import (
    ANSWER,
    CASE,
    GUIDE,
    IMAGE,
    ContentFile,
    Inventory,
    display_path,
    scan_content,
    scan_path,
)
from kb_tools.load.registry import load_registry
from kb_tools.machine import cores
from kb_tools.model import ERROR, WARNING, Answer, Case, Document, Finding, Registry
from kb_tools.schema import ID_PATTERN
from kb_tools.validate.body import ANSWER_BODY, CASE_BODY, GUIDE_BODY, check_body
from kb_tools.validate.duplicates import (
    MAX_GROUP,
    Fingerprint,
    fingerprint,
    likely_duplicates,
)
from kb_tools.validate.fields import CaseValidator
from kb_tools.validate.neighbours import neighbour

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 800
CHUNK = 250


@dataclass
class CheckResult:
    registry: Registry
    cases: list[Case] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    valid: int = 0  # files that became a case or an answer without errors
    #: valid cases and answers among the files reported on (all, or the ``paths``)
    reported: Counter = field(default_factory=Counter)
    inventory: Inventory = field(default_factory=Inventory)  # every file, for the build

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


@dataclass(frozen=True)
class FileResult:
    """What one file contributes: its own findings, its case, its id and outgoing links."""

    path: Path
    rel: str
    findings: tuple[Finding, ...]
    item: Case | Answer | None = None  # a case or an answer
    valid: bool = False
    item_id: str | None = None
    id_position: tuple[int, int] = (1, 1)
    refs: tuple[tuple[int, int, str], ...] = ()  # line, column, target id
    fingerprint: Fingerprint | None = None  # for likely duplicates across networks
    kind: str = ""  # CASE, ANSWER or GUIDE


def check_file(
    item: ContentFile,
    validator: CaseValidator,
    files: Collection[str] | None,
    keep_case: bool = True,
) -> FileResult:
    """All single-file rules for one case, answer or guide page. Pure: safe to run in a
    worker process. ``files``: every path inside content/, for links to files.

    ``keep_case=False`` drops the parsed case from the result: ``kb controleer`` only needs the
    findings, and sending 10,000 parsed cases between processes costs seconds.
    """
    path, rel = item.path, item.rel
    if item.kind == GUIDE:
        text, problems = read_text(path, rel)
        if text is None:
            return FileResult(path, rel, tuple(problems))
        guide = Document(path, rel, {}, {}, text, 1)
        body_findings, body_refs = check_body(guide, files, GUIDE_BODY)
        refs = tuple((r.line, r.column, r.target) for r in body_refs)
        return FileResult(path, rel, tuple(body_findings), refs=refs)
    loaded = load_document(path, rel)
    doc = loaded.document
    if doc is None:
        return FileResult(path, rel, loaded.findings)
    answer = item.kind == ANSWER
    case, problems = validator.validate(doc, answer)
    body_findings, body_refs = check_body(doc, files, ANSWER_BODY if answer else CASE_BODY)
    findings = (*loaded.findings, *problems, *body_findings)
    case_id = doc.meta.get("id")
    case_id = case_id.strip() if isinstance(case_id, str) else None
    refs = []
    related = doc.meta.get("gerelateerd")
    for index, target in enumerate(related if isinstance(related, list) else []):
        if isinstance(target, str) and ID_PATTERN.match(target.strip()):  # else id-ongeldig
            refs.append((*doc.line_of("gerelateerd", index), target.strip()))
    refs.extend((r.line, r.column, r.target) for r in body_refs)
    valid = case is not None and not any(f.severity == ERROR for f in findings)
    return FileResult(
        path,
        rel,
        findings,
        case if valid and keep_case else None,
        valid,
        case_id,
        doc.line_of("id"),
        tuple(refs),
        fingerprint(case) if valid and isinstance(case, Case) else None,
        item.kind,
    )


def _neighbour(item: ContentFile, wanted: set[tuple[str, str]]) -> FileResult:
    item_id, position, print_ = neighbour(item, wanted)
    return FileResult(item.path, item.rel, (), None, True, item_id, position, (), print_)


#: What each worker process checks with: the task (``check_file`` or a wrapper of it with
#: the same arguments) and its arguments after the file.
_worker: tuple[Callable, CaseValidator, frozenset[str] | None, bool] | None = None


def _init_worker(
    task: Callable, validator: CaseValidator, known: frozenset[str] | None, keep_case: bool
) -> None:
    global _worker
    _worker = (task, validator, known, keep_case)


def _check_chunk(items: list[ContentFile]) -> list:
    assert _worker is not None
    task, *args = _worker
    return [task(item, *args) for item in items]


def check_files(
    files: list[ContentFile],
    validator: CaseValidator,
    known: frozenset[str] | None,
    keep_cases: bool,
    progress: Callable | None,
    task: Callable = check_file,
) -> list:
    """``task`` (by default ``check_file``) of every file, in order: on all cores when there
    are many files. A ``task`` other than ``check_file`` must be a module-level function."""
    workers = min(cores(), 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        results = []
        for index, path in enumerate(files, 1):
            results.append(task(path, validator, known, keep_cases))
            if progress and index % CHUNK == 0:
                progress(index, len(files))
        return results
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    results = []
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(task, validator, known, keep_cases),
    ) as pool:
        for chunk_results in pool.map(_check_chunk, chunks):
            results.extend(chunk_results)
            if progress:
                progress(len(results), len(files))
    return results


def check_content(
    content_dir: Path,
    paths: Iterable[Path] | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_cases: bool = True,
    full_neighbours: bool = False,
) -> CheckResult:
    """Validate all content; with ``paths``, report only on those files (and the registries).

    With ``paths``, the other files give only their ids and fingerprints (``neighbours``),
    unless ``full_neighbours`` (the ledger check needs every case). With
    ``keep_cases=False`` only findings and counts come back (``result.cases`` is empty).
    """
    content_dir = Path(content_dir)
    inventory = scan_content(content_dir)
    registry, findings = load_registry(content_dir)
    result = CheckResult(registry, findings=list(findings), inventory=inventory)
    validator = CaseValidator(registry, today or date.today())

    files = inventory.of(CASE, ANSWER, GUIDE)
    # What a link may point at: what the site publishes (pages and images), not the
    # registries, which are read but never published.
    known = frozenset(f.uri for f in inventory.of(CASE, ANSWER, GUIDE, IMAGE))
    selected: set[str] | None = None
    own_findings = list(inventory.findings)
    if paths is not None:
        by_rel = {f.rel: f for f in inventory.files}
        flagged = {f.file for f in inventory.findings}  # a link in content/ is named there
        selected = set()
        for path in paths:
            rel = display_path(Path(path))
            selected.add(rel)
            if rel in by_rel or rel in flagged:
                continue
            extra = scan_path(Path(path), content_dir)  # a draft or a file outside content/
            if isinstance(extra, Finding):
                own_findings.append(extra)
            elif extra.kind in (CASE, ANSWER, GUIDE):
                files.append(extra)
    result.findings.extend(f for f in own_findings if selected is None or f.file in selected)
    # Links inside content/ are checked against what is there; a draft outside content/
    # (the intake's) has no neighbours to link to.
    if selected is not None and not full_neighbours:
        mine = [f for f in files if f.rel in selected]
        checked = iter(check_files(mine, validator, known, keep_cases, progress))
        own = {f.rel: next(checked) for f in mine}
        shared = Counter(k for r in own.values() if r.fingerprint for k in r.fingerprint.keys())
        wanted = {k for k, n in shared.items() if n < MAX_GROUP}  # else never compared
        # In the order of the whole check: the first of two files with one id keeps it.
        results = [
            own[f.rel] if f.rel in own else _neighbour(f, wanted)
            for f in files
            if f.rel in own or f.kind != GUIDE
        ]
        result.files = len(mine)
    else:
        results = check_files(files, validator, known, keep_cases, progress)
        result.files = len(results)
    return combine(result, results, selected)


def combine(
    result: CheckResult, results: list[FileResult], selected: set[str] | None = None
) -> CheckResult:
    """The corpus pass: ids, references and likely duplicates across ``results`` (every file's
    own result, in the order of the inventory), added to ``result``, which holds the
    registry's and the inventory's findings. With ``selected``, report only on those files."""
    ids: dict[str, str] = {}
    report: list[Finding] = []
    for res in results:
        own = list(res.findings)
        if res.item_id:
            if res.item_id in ids:
                line, column = res.id_position
                own.append(
                    Finding(
                        res.rel,
                        line,
                        column,
                        "id-dubbel",
                        ERROR,
                        f"De id {res.item_id} wordt al gebruikt door {ids[res.item_id]}.",
                        "Geef dit bestand het volgende vrije nummer: van uw netwerk voor een "
                        "casus, van hd- voor een antwoord.",
                    )
                )
            else:
                ids[res.item_id] = res.rel
                if res.valid:
                    result.valid += 1
                    if selected is None or res.rel in selected:
                        result.reported[res.kind] += 1
                if isinstance(res.item, Case):
                    result.cases.append(res.item)
                elif isinstance(res.item, Answer):
                    result.answers.append(res.item)
        if selected is None or res.rel in selected:
            report.extend(own)
    for res in results:
        if selected is None or res.rel in selected:
            report.extend(_reference_findings(res, ids))
    report.extend(_duplicate_findings(results, selected))
    result.findings.extend(report)
    result.findings.sort(key=lambda f: (f.file, f.line or 0, f.column or 0, f.code))
    return result


def _duplicate_findings(results: list[FileResult], selected: set[str] | None) -> list[Finding]:
    by_id = {r.item_id: r for r in results if r.fingerprint is not None}
    findings = []
    for dup in likely_duplicates([r.fingerprint for r in by_id.values()]):
        first, second = by_id[dup.first], by_id[dup.second]
        if selected is not None and second.rel not in selected:
            continue
        line, column = second.id_position
        findings.append(
            Finding(
                second.rel,
                line,
                column,
                "dubbel-mogelijk",
                WARNING,
                f"Deze casus lijkt op {dup.first} ({first.rel}): {dup.reason}, "
                f"{round(dup.overlap * 100)}% van de tekst is gelijk.",
                "Gaat het om hetzelfde initiatief? Spreek met het andere netwerk af wie de casus "
                "publiceert, en verwijs naar elkaar met 'gerelateerd'.",
            )
        )
    return findings


def _reference_findings(res: FileResult, ids: dict[str, str]) -> list[Finding]:
    findings = []
    for line, column, target in res.refs:
        if target == res.item_id:
            findings.append(
                Finding(
                    res.rel,
                    line,
                    column,
                    "verwijzing-zelf",
                    WARNING,
                    f"Het bestand verwijst naar zichzelf ({target}).",
                    "Haal deze verwijzing weg.",
                )
            )
        elif target not in ids:
            findings.append(
                Finding(
                    res.rel,
                    line,
                    column,
                    "verwijzing-onbekend",
                    ERROR,
                    f"De casus of het antwoord {target} bestaat niet.",
                    "Controleer het nummer. De casussen staan in content/casussen/, de "
                    "antwoorden in content/antwoorden/.",
                )
            )
    return findings
