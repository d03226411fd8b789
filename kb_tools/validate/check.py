"""Run every rule over a content folder: registries, each case, then the corpus.

This is what ``kb check`` and the MkDocs plugin call. Each file is read once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..load import classify, display_path, iter_case_files, load_document, unexpected_file
from ..model import ERROR, WARNING, Case, Finding, Registry
from ..registry import load_registry
from .body import check_body
from .fields import CaseValidator


@dataclass
class CheckResult:
    registry: Registry
    cases: list[Case] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


def check_content(
    content_dir: Path, paths: Iterable[Path] | None = None, today: date | None = None
) -> CheckResult:
    """Validate all content; with ``paths``, report only on those files (and the registries)."""
    content_dir = Path(content_dir)
    registry, findings = load_registry(content_dir)
    result = CheckResult(registry, findings=list(findings))
    validator = CaseValidator(registry, today or date.today())

    files = list(iter_case_files(content_dir))
    selected: set[Path] | None = None
    if paths is not None:
        selected = {p.resolve() for p in paths}
        known = {p.resolve() for p in files}
        files.extend(p for p in sorted(selected) if p not in known)

    ids: dict[str, str] = {}
    refs: list[tuple[str, str, int, int, str]] = []  # file, id of source, line, column, target
    per_file: list[tuple[Path, list[Finding]]] = []
    for path in files:
        rel = display_path(path)
        kind = classify(path)
        if kind == "asset":
            continue
        if kind == "other":
            per_file.append((path, [unexpected_file(rel, path)]))
            continue
        loaded = load_document(path, rel)
        file_findings = list(loaded.findings)
        doc = loaded.document
        if doc is not None:
            case, problems = validator.validate(doc)
            file_findings.extend(problems)
            body_findings, body_refs = check_body(doc, content_dir)
            file_findings.extend(body_findings)
            case_id = doc.meta.get("id")
            if isinstance(case_id, str):
                case_id = case_id.strip()
                if case_id in ids:
                    line, column = doc.line_of("id")
                    file_findings.append(
                        Finding(
                            rel,
                            line,
                            column,
                            "id-dubbel",
                            ERROR,
                            f"De id {case_id} wordt al gebruikt door {ids[case_id]}.",
                            "Geef deze casus het volgende vrije nummer van uw netwerk.",
                        )
                    )
                    case = None
                else:
                    ids[case_id] = rel
            related = doc.meta.get("gerelateerd")
            for index, target in enumerate(related if isinstance(related, list) else []):
                if isinstance(target, str):
                    line, column = doc.line_of("gerelateerd", index)
                    refs.append((rel, str(case_id), line, column, target.strip()))
            refs.extend((rel, str(case_id), r.line, r.column, r.target) for r in body_refs)
            if case is not None and not any(f.severity == ERROR for f in file_findings):
                result.cases.append(case)
        per_file.append((path, file_findings))
        result.files += 1

    ref_findings = _reference_findings(refs, ids)
    for path, file_findings in per_file:
        if selected is None or path.resolve() in selected:
            result.findings.extend(file_findings)
    selected_rels = {display_path(p) for p in selected} if selected is not None else None
    result.findings.extend(
        f for f in ref_findings if selected_rels is None or f.file in selected_rels
    )
    result.findings.sort(key=lambda f: (f.file, f.line or 0, f.column or 0, f.code))
    return result


def _reference_findings(refs: list[tuple[str, str, int, int, str]], ids: dict) -> list[Finding]:
    findings = []
    for rel, source_id, line, column, target in refs:
        if target == source_id:
            findings.append(
                Finding(
                    rel,
                    line,
                    column,
                    "verwijzing-zelf",
                    WARNING,
                    f"De casus verwijst naar zichzelf ({target}).",
                    "Haal deze verwijzing weg.",
                )
            )
        elif target not in ids:
            findings.append(
                Finding(
                    rel,
                    line,
                    column,
                    "verwijzing-onbekend",
                    ERROR,
                    f"De casus {target} bestaat niet.",
                    "Controleer het nummer. Alle casussen staan in content/casussen/.",
                )
            )
    return findings
