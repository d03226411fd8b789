"""A draft as a case file: the next free id, a file name from the title, frontmatter and
story in the order of the case format, and the findings of ``kb controleer`` on that text. Used
by ``intake``; the checks are the validator's own.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb_tools.enrich import ledger
from kb_tools.load.documents import parse_document
from kb_tools.load.files import CASES_DIR, display_path
from kb_tools.model import Finding, Network
from kb_tools.schema import FIELDS, SECTIONS
from kb_tools.textscan import fold
from kb_tools.validate import check_content

_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([a-z]{2,5})-([0-9]{4})['\"]?[ \t]*$", re.M)


def slugify(title: str, limit: int = 60) -> str:
    """'Zorgcoöperatie “De Bron”' -> 'zorgcooperatie-de-bron'."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "casus"


def unique_path(folder: Path, slug: str) -> Path:
    path, number = folder / f"{slug}.md", 2
    while path.exists():
        path, number = folder / f"{slug}-{number}.md", number + 1
    return path


CASE_ID = re.compile(r"[a-z]{2,5}-\d{4}")


def next_id(content_dir: Path, network: Network, reserved: Iterable[str] = ()) -> str:
    """Highest number of the network in its folder and in the ledger, plus one: an id that
    was ever published is never given out again. ``reserved`` ids (taken by intake pull
    requests that are still open) are skipped."""
    numbers = [0]
    folder = content_dir / CASES_DIR / network.id
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        for prefix, number in _ID_LINE.findall(path.read_text(encoding="utf-8", errors="replace")):
            if prefix == network.prefix:
                numbers.append(int(number))
    entries, _ = ledger.load_ledger(content_dir)
    for case_id in entries:
        prefix, _, number = case_id.partition("-")
        if prefix == network.prefix and number.isdigit():
            numbers.append(int(number))
    taken = set(reserved)
    number = max(numbers) + 1
    while f"{network.prefix}-{number:04d}" in taken:
        number += 1
    return f"{network.prefix}-{number:04d}"


def render(values: dict[str, Any], sections: dict[str, str]) -> str:
    """Frontmatter in the order of the case format, then the story under its headings."""
    lines = ["---"]
    for spec in FIELDS:
        value = values.get(spec.name)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
            lines.append(f"{spec.name}: {flow.strip()}")
        else:
            dumped = yaml.safe_dump(
                {spec.name: value}, allow_unicode=True, sort_keys=False, width=100
            )
            lines.append(dumped.rstrip("\n"))
    lines.append("---")
    for title, _ in SECTIONS:
        if sections.get(title, "").strip():
            lines += ["", f"## {title}", "", sections[title].strip()]
    return "\n".join(lines) + "\n"


FIELD_NAMES = {f.name for f in FIELDS}


def labels_by_line(text: str) -> dict[int, str]:
    """File line → the field or story heading it belongs to, to name it in messages."""
    doc = parse_document(Path("casus.md"), "casus.md", text).document
    starts: dict[int, str] = {}
    if doc is not None:
        for key, (line, _) in doc.lines.items():
            if len(key) == 1:
                starts.setdefault(line, str(key[0]).capitalize())
    titles = {title for title, _ in SECTIONS}
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("## ") and line[3:].strip() in titles:
            starts[number] = line[3:].strip()
    return starts


def field_label(starts: dict[int, str], finding: Finding) -> str:
    section = re.search(r"'## (.+?)'", finding.message)
    if finding.code.startswith("sectie") and section and section[1] in dict(SECTIONS):
        return section[1]
    line = finding.line
    before = [n for n in starts if line is not None and n <= line]
    if before and starts[max(before)] not in ("Id", "Algemeen"):
        return starts[max(before)]
    named = [n for n in re.findall(r"'([a-z]+)'", finding.message) if n in FIELD_NAMES]
    return named[0].capitalize() if named else "Algemeen"


def check_text(content_dir: Path, network: str, name: str, text: str, today: date) -> list[Finding]:
    """All findings of ``kb controleer`` for this text as ``casussen/<network>/<name>``, checked
    together with the real content (ids, references, likely duplicates)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CASES_DIR / network / name
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        result = check_content(content_dir, [path], today)
        rel = display_path(path)
        return [f for f in result.findings if f.file == rel]
