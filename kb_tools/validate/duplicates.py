"""Likely duplicates: the same initiative published twice, usually by two networks.

Cheap enough for every ``kb controleer``: each case becomes a small fingerprint (its
initiative name, title and place, and a bottom-k sketch of its paragraphs), made where
the file is read; only cases that share a name, title or place are compared. Paragraphs,
not word pairs: a duplicate is pasted text, and hashing ~15 paragraphs per case is cheap.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from kb_tools.dutch import words
from kb_tools.model import Case

SKETCH = 64  # paragraphs kept per case: enough to tell "the same story" from "a different one"
SAME_NAME = 0.25  # same initiative or title and a quarter of the text in common
SAME_PLACE = 0.5  # only a shared place: half of the text must be the same
MAX_GROUP = 200  # a name or place shared by more cases is no evidence on its own


@dataclass(frozen=True)
class Fingerprint:
    id: str
    network: str
    initiative: str
    title: str
    place: str
    #: The sketch of the paragraphs, or the body it is made of when first needed: most
    #: cases share no name, title or place with another and are never compared.
    text: frozenset[int] | str = frozenset()

    @property
    def sketch(self) -> frozenset[int]:
        if isinstance(self.text, str):
            object.__setattr__(self, "text", sketch_of(self.text))
        return self.text  # type: ignore[return-value]

    def keys(self) -> list[tuple[str, str]]:
        """What two cases must share to be compared at all."""
        found = (("initiative", self.initiative), ("title", self.title), ("place", self.place))
        return [(kind, value) for kind, value in found if value]


@dataclass(frozen=True)
class Duplicate:
    first: str
    second: str
    overlap: float
    reason: str


def key(text: str) -> str:
    return " ".join(words(text))


def fingerprint(case: Case) -> Fingerprint:
    return Fingerprint(
        id=case.id,
        network=case.network,
        initiative=key(case.meta.get("initiatief") or ""),
        title=key(case.title),
        place=key(case.meta.get("plaats") or ""),
        text=sketch_of(case.body),
    )


def sketch_of(body: str) -> frozenset[int]:
    paragraphs = (" ".join(p.split()) for p in body.lower().split("\n\n"))
    hashes = sorted({zlib.crc32(p.encode()) for p in paragraphs if len(p) > 40})
    return frozenset(hashes[:SKETCH])


def _overlap(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of paragraphs in common (bottom-k estimate of the Jaccard index)."""
    union = sorted(a.sketch | b.sketch)[:SKETCH]
    if not union:
        return 0.0
    return sum(1 for h in union if h in a.sketch and h in b.sketch) / len(union)


def likely_duplicates(prints: list[Fingerprint]) -> list[Duplicate]:
    groups: dict[tuple[str, str], list[Fingerprint]] = defaultdict(list)
    for fp in prints:
        for shared in fp.keys():
            groups[shared].append(fp)
    found: dict[tuple[str, str], Duplicate] = {}
    for (kind, _), members in sorted(groups.items()):
        if len(members) < 2 or len(members) > MAX_GROUP:
            continue  # a very common place or name is no evidence on its own
        for a, b in combinations(sorted(members, key=lambda f: f.id), 2):
            if a.network == b.network or (a.id, b.id) in found:
                continue
            overlap = _overlap(a, b)
            if overlap >= (SAME_PLACE if kind == "place" else SAME_NAME):
                reason = {
                    "title": "zelfde titel",
                    "initiative": "zelfde initiatief",
                    "place": "zelfde plaats en bijna dezelfde tekst",
                }[kind]
                found[(a.id, b.id)] = Duplicate(a.id, b.id, round(overlap, 2), reason)
    return sorted(found.values(), key=lambda d: (-d.overlap, d.first, d.second))


def likely_duplicate_cases(cases: list[Case]) -> list[Duplicate]:
    return likely_duplicates([fingerprint(c) for c in cases])
