"""Findings as text for people, JSON for machines and annotations for GitHub."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Literal, TypedDict

from kb_tools.model import ERROR, Finding

SEVERITY_NL = {"error": "fout", "warning": "waarschuwing"}


def format_finding(f: Finding) -> str:
    """One finding as `kb controleer` prints it: file:line:column, severity, code, message, tip."""
    where = f.file
    if f.line:
        where += f":{f.line}"
        if f.column:
            where += f":{f.column}"
    text = f"{where}: {SEVERITY_NL.get(f.severity, f.severity)} [{f.code}] {f.message}"
    return f"{text}\n    Tip: {f.hint}" if f.hint else text


def as_text(findings: Sequence[Finding], files: int, cases: int, answers: int = 0) -> str:
    return "\n".join(
        [*(format_finding(f) for f in findings), summary(findings, files, cases, answers)]
    )


def summary(findings: Sequence[Finding], files: int, cases: int, answers: int = 0) -> str:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    bad_files = len({f.file for f in findings if f.severity == ERROR})
    checked = f"{files} {'bestand' if files == 1 else 'bestanden'} gecontroleerd"
    if not findings:
        approved = f"{cases} {'casus' if cases == 1 else 'casussen'}"
        if answers:
            approved += f" en {answers} {'antwoord' if answers == 1 else 'antwoorden'}"
        return f"Alles in orde: {checked}, {approved} goedgekeurd."
    parts = []
    if errors:
        parts.append(
            f"{errors} {'fout' if errors == 1 else 'fouten'} in {bad_files} "
            f"{'bestand' if bad_files == 1 else 'bestanden'}"
        )
    if warnings:
        parts.append(f"{warnings} {'waarschuwing' if warnings == 1 else 'waarschuwingen'}")
    verdict = "Los de fouten op en controleer opnieuw." if errors else "Geen fouten."
    return f"{checked}: {' en '.join(parts)}. {verdict}"


class FindingJson(TypedDict):
    """One finding in every ``--json`` output (``kb controleer``, ``kb adressen``)."""

    bestand: str
    regel: int | None
    kolom: int | None
    code: str
    ernst: Literal["fout", "waarschuwing"]
    melding: str
    tip: str


class CheckSummaryJson(TypedDict):
    bestanden: int
    casussen: int
    antwoorden: int
    fouten: int
    waarschuwingen: int
    bestanden_met_fouten: int
    in_orde: bool


class CheckJson(TypedDict):
    """``kb controleer --json``."""

    samenvatting: CheckSummaryJson
    bevindingen: list[FindingJson]


def finding_json(f: Finding) -> FindingJson:
    return FindingJson(
        bestand=f.file,
        regel=f.line,
        kolom=f.column,
        code=f.code,
        ernst="fout" if f.severity == ERROR else "waarschuwing",
        melding=f.message,
        tip=f.hint,
    )


def check_json(findings: Sequence[Finding], files: int, cases: int, answers: int = 0) -> CheckJson:
    """The findings and the counts of ``summary``, for programs."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return CheckJson(
        samenvatting=CheckSummaryJson(
            bestanden=files,
            casussen=cases,
            antwoorden=answers,
            fouten=errors,
            waarschuwingen=len(findings) - errors,
            bestanden_met_fouten=len({f.file for f in findings if f.severity == ERROR}),
            in_orde=errors == 0,
        ),
        bevindingen=[finding_json(f) for f in findings],
    )


def as_json(findings: Sequence[Finding], files: int, cases: int, answers: int = 0) -> str:
    return json.dumps(check_json(findings, files, cases, answers), ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Sequence[Finding], files: int, cases: int) -> str:
    """GitHub workflow commands; the summary line goes to the log as well."""
    lines = []
    for f in findings:
        command = "error" if f.severity == ERROR else "warning"
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property('kb controleer [' + f.code + ']')}")
        message = f.message + (f"\nTip: {f.hint}" if f.hint else "")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    lines.append(summary(findings, files, cases))
    return "\n".join(lines)


_MARKDOWN_SIGNS = re.compile(r"([\\`*_~\[\]()!#|])")


def _cell(text: str, limit: int = 300) -> str:
    """Text from content for one Markdown table cell: no HTML, no table break, and no
    mention, link, image or emphasis that GitHub would make of it."""
    text = " ".join(text.split())[:limit]
    text = _MARKDOWN_SIGNS.sub(r"\\\1", html.escape(text, quote=False))
    return text.replace("@", "@\u200b").replace("://", ":/\u200b/")


def as_markdown(findings: Sequence[Finding], files: int, cases: int) -> str:
    """All findings as a Markdown table, for a GitHub job summary (annotations stop at 10)."""
    lines = ["## Controle van de inhoud (kb controleer)", "", summary(findings, files, cases)]
    if findings:
        lines += [
            "",
            "| Bestand | Regel | Soort | Melding | Tip |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in findings:
            lines.append(
                f"| {_cell(f.file)} | {f.line or ''} | {SEVERITY_NL.get(f.severity, f.severity)} "
                f"| {_cell(f.message)} `{f.code}` | {_cell(f.hint)} |"
            )
    return "\n".join(lines) + "\n"
