"""Plain, immutable records passed between the pipeline stages.

Content problems are never exceptions: every stage returns ``Finding`` records,
and the caller decides whether they fail the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ERROR = "error"
WARNING = "warning"

#: A path into a parsed YAML document, e.g. ("thema", 1) or ("cijfers", 0, "jaar").
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, in words a volunteer editor understands."""

    file: str
    line: int | None
    column: int | None
    code: str
    severity: str
    message: str
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary."""

    id: str
    label: str
    description: str
    synonyms: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary, e.g. the themes; ``field`` is the case field that uses it."""

    id: str
    name: str
    field: str | None
    description: str
    terms: tuple[Term, ...]
    path: str = ""
    _index: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t.id: t for t in self.terms})

    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def get(self, term_id: str) -> Term | None:
        return self._index.get(term_id)


@dataclass(frozen=True)
class Network:
    """A regional network that publishes cases into its own folder, with its own id prefix."""

    id: str
    name: str
    prefix: str
    region: str
    provinces: tuple[str, ...]
    description: str
    maintainers: tuple[str, ...]
    source: NetworkSource | None = None  # an own git repository (kb bronnen bijwerken)
    website: str | None = None  # the network's own site, for readers
    email: str | None = None  # a public address of the network (not a person's)
    contact_page: str | None = None  # a page on its site where residents can ask


@dataclass(frozen=True)
class NetworkSource:
    """Where a network keeps its cases itself: a git repository, a ref and a folder in it."""

    url: str
    ref: str
    folder: str  # relative to the repository root; "" for the root itself


@dataclass(frozen=True)
class Source:
    """A document that cases cite as their source."""

    id: str
    title: str
    publisher: str
    year: int | None
    file: str | None
    description: str
    url: str | None


@dataclass(frozen=True)
class Registry:
    """Everything a case is checked against: vocabularies, networks and sources."""

    vocabularies: dict[str, Vocabulary]
    networks: dict[str, Network]
    sources: dict[str, Source]


@dataclass(frozen=True)
class Document:
    """A Markdown file split into frontmatter and body, with the file line of every key."""

    path: Path
    rel: str
    meta: dict[str, Any]
    lines: dict[KeyPath, tuple[int, int]]
    body: str
    body_line: int
    frontmatter_line: int = 1

    def line_of(self, *key: str | int) -> tuple[int, int]:
        """File line and column of a key path, falling back to its nearest parent."""
        path: KeyPath = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return (self.frontmatter_line, 1)


@dataclass(frozen=True)
class Case:
    """A validated case (casus): metadata with normalised values, and its Markdown body."""

    id: str
    title: str
    summary: str
    network: str
    path: str
    meta: dict[str, Any]
    body: str
    published: date
    updated: date | None
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A validated helpdesk answer (content/antwoorden/): a question, the answer in short,
    and a Markdown body that cites cases and other answers by id."""

    id: str
    title: str
    question: str
    summary: str
    path: str
    meta: dict[str, Any]
    body: str
    date: date
    updated: date | None
    links: tuple[str, ...] = ()  # the ids its body cites, in order
