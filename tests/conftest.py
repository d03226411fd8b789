"""Shared test helpers: a throw-away content folder with the real registries."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kb_tools.corpus import copy_registry

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 1, 1)
NETWORK = "amsterdamse-stadsdorpen"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with the real vocabularies and registries and two valid cases."""
    target = tmp_path / "content"
    copy_registry(CONTENT, target)
    folder = target / "casussen" / NETWORK
    folder.mkdir(parents=True)
    for case in sorted((FIXTURES / "basis").glob("*.md")):
        shutil.copy2(case, folder / case.name)
    return target


def case_folder(content: Path) -> Path:
    return content / "casussen" / NETWORK
