"""Run every rule over a content folder: registries, each file, then the corpus.

This is what ``kb check`` and the MkDocs plugin call. Each file is read once. Files
are independent until the corpus pass, so large corpora are checked on all cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..enrich.duplicates import Fingerprint, fingerprint, likely_duplicates
from ..load import classify, display_path, iter_case_files, load_document, unexpected_file
from ..model import ERROR, WARNING, Answer, Case, Finding, Registry
from ..registry import load_registry
from .body import check_body
from .fields import CaseValidator

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
    case: Case | Answer | None = None
    valid: bool = False
    case_id: str | None = None
    id_position: tuple[int, int] = (1, 1)
    refs: tuple[tuple[int, int, str], ...] = ()  # line, column, target id
    fingerprint: Fingerprint | None = None  # for likely duplicates across networks


def check_file(
    path: Path, validator: CaseValidator, content_dir: Path, keep_case: bool = True
) -> FileResult:
    """All single-file rules for one path. Pure: safe to run in a worker process.

    ``keep_case=False`` drops the parsed case from the result: ``kb check`` only needs the
    findings, and sending 10,000 parsed cases between processes costs seconds.
    """
    rel = display_path(path)
    if classify(path) == "other":
        return FileResult(path, rel, (unexpected_file(rel, path),))
    loaded = load_document(path, rel)
    doc = loaded.document
    if doc is None:
        return FileResult(path, rel, loaded.findings)
    case, problems = validator.validate(doc)
    body_findings, body_refs = check_body(doc, content_dir)
    findings = (*loaded.findings, *problems, *body_findings)
    case_id = doc.meta.get("id")
    case_id = case_id.strip() if isinstance(case_id, str) else None
    refs = []
    related = doc.meta.get("gerelateerd")
    for index, target in enumerate(related if isinstance(related, list) else []):
        if isinstance(target, str):
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
    )


_worker: tuple[CaseValidator, Path, bool] | None = None


def _init_worker(validator: CaseValidator, content_dir: Path, keep_case: bool) -> None:
    global _worker
    _worker = (validator, content_dir, keep_case)


def _check_chunk(paths: list[Path]) -> list[FileResult]:
    assert _worker is not None
    return [check_file(p, *_worker) for p in paths]


def _check_files(
    files: list[Path],
    validator: CaseValidator,
    content_dir: Path,
    keep_cases: bool,
    progress: Callable | None,
) -> list[FileResult]:
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        results = []
        for index, path in enumerate(files, 1):
            results.append(check_file(path, validator, content_dir, keep_cases))
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
        initargs=(validator, content_dir, keep_cases),
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
) -> CheckResult:
    """Validate all content; with ``paths``, report only on those files (and the registries).

    With ``keep_cases=False`` only findings and counts come back (``result.cases`` is empty).
    """
    content_dir = Path(content_dir)
    registry, findings = load_registry(content_dir)
    result = CheckResult(registry, findings=list(findings))
    validator = CaseValidator(registry, today or date.today())

    files = [p for p in iter_case_files(content_dir) if classify(p) != "asset"]
    selected: set[Path] | None = None
    if paths is not None:
        selected = {p.resolve() for p in paths}
        known = {p.resolve() for p in files}
        files.extend(p for p in sorted(selected) if p not in known and classify(p) != "asset")

    results = _check_files(files, validator, content_dir, keep_cases, progress)
    result.files = len(results)
    ids: dict[str, str] = {}
    report: list[Finding] = []
    for res in results:
        own = list(res.findings)
        if res.case_id:
            if res.case_id in ids:
                line, column = res.id_position
                own.append(
                    Finding(
                        res.rel,
                        line,
                        column,
                        "id-dubbel",
                        ERROR,
                        f"De id {res.case_id} wordt al gebruikt door {ids[res.case_id]}.",
                        "Geef dit bestand het volgende vrije nummer: van uw netwerk voor een "
                        "casus, van hd- voor een antwoord.",
                    )
                )
            else:
                ids[res.case_id] = res.rel
                if res.valid:
                    result.valid += 1
                if isinstance(res.case, Case):
                    result.cases.append(res.case)
                elif isinstance(res.case, Answer):
                    result.answers.append(res.case)
        if selected is None or res.path.resolve() in selected:
            report.extend(own)
    for res in results:
        if selected is None or res.path.resolve() in selected:
            report.extend(_reference_findings(res, ids))
    report.extend(_duplicate_findings(results, selected))
    result.findings.extend(report)
    result.findings.sort(key=lambda f: (f.file, f.line or 0, f.column or 0, f.code))
    return result


def _duplicate_findings(results: list[FileResult], selected: set[Path] | None) -> list[Finding]:
    by_id = {r.case_id: r for r in results if r.fingerprint is not None}
    findings = []
    for dup in likely_duplicates([r.fingerprint for r in by_id.values()]):
        first, second = by_id[dup.first], by_id[dup.second]
        if selected is not None and second.path.resolve() not in selected:
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
        if target == res.case_id:
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
