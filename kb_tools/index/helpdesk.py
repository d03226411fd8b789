"""Stage 5, index: the helpdesk search behind `kb zoek`, a whoosh index in a local cache.

Text is analysed by ``dutch`` (folding, Dutch stems, synonyms onto vocabulary
tokens, compound parts), so "cooperatie" finds "zorgcoöperatie" and "vpb" finds
vennootschapsbelasting, as in the browser. The query is analysed the same way and never
parsed as whoosh syntax: operators in a query are just text. The index is updated
incrementally: only files whose size or modification time changed are read again.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, Or, Term

from kb_tools.dutch import Analyzer, Compounds, analyse_word, fold
from kb_tools.facets import KIND_FILTER, SEARCH_FILTERS
from kb_tools.index import records
from kb_tools.load.documents import load_document
from kb_tools.load.files import ANSWER, CASE, display_path, scan_content
from kb_tools.load.registry import load_registry
from kb_tools.model import ERROR, Answer, Case, Registry
from kb_tools.urls import short_link
from kb_tools.validate.fields import CaseValidator

CACHE_DIR = Path(".cache") / "kb-zoek"
MANIFEST = "bestanden.json"
SCHEMA_VERSION = 6
MAX_QUERY_TOKENS = 30

_TOKENS = SpaceSeparatedTokenizer()
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    path=ID(stored=True),
    # One text field: a query is one AND of terms, which whoosh scores fastest (block-max
    # skipping). Title words are written three times and summary words twice, so they
    # weigh more than words in the body.
    text=TEXT(analyzer=_TOKENS),
    **{name: KEYWORD(commas=True) for name, _ in SEARCH_FILTERS},
    **{KIND_FILTER: KEYWORD(commas=True)},  # casus or antwoord (kb zoek --soort)
    title_key=ID(),  # the folded title, to put an exact title hit first
    data=STORED,
)


@dataclass
class Hit:
    rank: int
    id: str
    title: str
    network: str
    link: str
    snippet: str
    score: float


@dataclass
class SearchIndex:
    """A whoosh index of cases in ``cache``, kept in step with ``content``."""

    content: Path
    cache: Path = CACHE_DIR
    skipped: list[str] = field(default_factory=list)  # files with errors: not searchable

    def __post_init__(self) -> None:
        self.registry: Registry | None = None
        self.analyzer: Analyzer | None = None
        self.compounds: Compounds | None = None

    def _prepare(self) -> Registry:
        if self.registry is None:
            self.registry, _ = load_registry(self.content)
            self.analyzer = Analyzer(self.registry)
            self.compounds = Compounds(self.registry)
        return self.registry

    def analyse(self, text: str, parts: bool = True) -> list[str]:
        """Stems and vocabulary tokens, plus compound parts for indexing. A query gets no
        parts: "dorpshuis" must find dorpshuis, while "dorp" finds it through the index."""
        assert self.analyzer is not None and self.compounds is not None
        tokens = self.analyzer.tokens(text)
        if not parts:
            return tokens
        extra = []
        for word in re.findall(r"[^\W_]{8,}", fold(text)):
            for part in self.compounds.split(word):
                stemmed = analyse_word(part)
                if stemmed:
                    extra.append(stemmed)
        return tokens + extra

    def _parts(self, word: str) -> tuple[str, ...]:
        assert self.compounds is not None
        folded = fold(word)
        if len(folded) < 8:
            return ()
        return tuple(filter(None, (analyse_word(p) for p in self.compounds.split(folded))))

    def update(self) -> tuple[int, int]:
        """Bring the index up to date; returns (files read again, files removed)."""
        registry = self._prepare()
        self.cache.mkdir(parents=True, exist_ok=True)
        manifest_path = self.cache / MANIFEST
        manifest = {}
        if manifest_path.is_file() and whoosh_index.exists_in(str(self.cache)):
            try:
                stored = json.loads(manifest_path.read_text(encoding="utf-8"))
                if stored.get("versie") == SCHEMA_VERSION and stored.get("content") == str(
                    self.content.resolve()
                ):
                    manifest = stored["bestanden"]
            except (ValueError, KeyError, AttributeError):
                manifest = {}
        if not manifest:
            shutil.rmtree(self.cache, ignore_errors=True)
            self.cache.mkdir(parents=True, exist_ok=True)
            whoosh_index.create_in(str(self.cache), SCHEMA)
        current = {}
        kinds = {}
        for item in scan_content(self.content).of(CASE, ANSWER):
            stat = item.path.stat(follow_symlinks=False)
            current[str(item.path)] = [stat.st_mtime_ns, stat.st_size]
            kinds[str(item.path)] = item.kind
        changed = [p for p, sig in current.items() if manifest.get(p, {}).get("sig") != sig]
        removed = [p for p in manifest if p not in current]
        skipped = [p for p, entry in manifest.items() if p in current and entry.get("fout")]
        if changed or removed:
            validator = CaseValidator(registry, date.today())
            ix = whoosh_index.open_dir(str(self.cache))
            with ix.writer() as writer:
                for path in removed:
                    writer.delete_by_term("path", path)
                    manifest.pop(path, None)
                for path in changed:
                    writer.delete_by_term("path", path)
                    case = self._load(Path(path), validator, kinds[path] == ANSWER)
                    manifest[path] = {"sig": current[path], "fout": case is None}
                    if case is not None:
                        writer.add_document(**self._document(case, path))
            manifest_path.write_text(
                json.dumps(
                    {
                        "versie": SCHEMA_VERSION,
                        "content": str(self.content.resolve()),
                        "bestanden": manifest,
                    }
                ),
                encoding="utf-8",
            )
            skipped = [p for p, entry in manifest.items() if entry.get("fout")]
        self.skipped = [display_path(Path(p)) for p in sorted(skipped)]
        return len(changed), len(removed)

    def _load(self, path: Path, validator: CaseValidator, answer: bool) -> Case | Answer | None:
        loaded = load_document(path, display_path(path))
        if loaded.document is None:
            return None
        case, problems = validator.validate(loaded.document, answer)
        if case is None or any(f.severity == ERROR for f in problems):
            return None
        return case

    def _document(self, case: Case | Answer, path: str) -> dict:
        registry = self._prepare()
        labels = records.term_labels(case, registry, synonyms=True)
        by = records.byline(case, registry)
        if isinstance(case, Answer):
            # A helpdesk answer: the question counts like the summary; it has no network.
            summary = f"{case.summary} {case.question}"
        else:
            summary = case.summary
        return {
            "id": case.id,
            "path": path,
            "text": " ".join(
                [
                    *self.analyse(case.title) * 3,
                    *self.analyse(summary) * 2,
                    *self.analyse(" ".join(labels)),
                    *self.analyse(case.body),
                ]
            ),
            **{name: ",".join(values) for name, values in records.filters(case).items()},
            "title_key": " ".join(fold(case.title).split()),
            "data": {
                "title": case.title,
                "summary": case.summary,
                "body": case.body,
                "network": by,
            },
        }

    def _most_words(
        self, searcher, tokens: list[str], conditions: list, found: list, limit: int
    ) -> list[tuple[int, float]]:
        """Cases with some of the words, those with more of them first, then by score;
        never below half of the words for a long question (one stray word is no match)."""
        seen = {docnum for docnum, _ in found}
        results = searcher.search(
            _most_words_query(tokens, conditions), limit=max(50, limit * 5), terms=True
        )
        least = max(1, len(tokens) // 2)
        scored = []
        for hit in results:
            if hit.docnum in seen:
                continue
            matched = len({text for field, text in hit.matched_terms() if field == "text"})
            if matched >= least:
                scored.append((-matched, -hit.score, hit.docnum))
        scored.sort()
        return [(docnum, -score) for _, score, docnum in scored[: limit - len(found)]]

    def search(
        self, query: str, filters: dict[str, str] | None = None, limit: int = 10
    ) -> list[Hit]:
        self._prepare()
        tokens = list(dict.fromkeys(self.analyse(query[:2000], parts=False)))[:MAX_QUERY_TOKENS]
        conditions = [Term(name, value) for name, value in (filters or {}).items() if value]
        if not tokens and not conditions:
            return []
        ix = whoosh_index.open_dir(str(self.cache))
        if tokens:
            # Cases with every word come first (AND); when they are fewer than asked for,
            # cases with most of the words follow (see below), so a question of six words
            # never finds nothing because one word is not in the text.
            text_query = And([Term("text", t) for t in tokens])
            query_obj = And([text_query, *conditions]) if conditions else text_query
        else:
            query_obj = And(conditions)
        wanted = " ".join(fold(query).split())
        marks = set(tokens) | {
            analyse_word(w) for w in re.findall(r"[^\W_]+", query.lower()[:2000])
        }
        hits = []
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            exact = {d for d in searcher.document_numbers(title_key=wanted)} if wanted else set()
            results = searcher.search(query_obj, limit=limit + len(exact))
            # Exact title first, then by score; stored fields are read for shown hits only.
            ranked = sorted(results.items(), key=lambda item: (item[0] not in exact, -item[1]))
            if len(tokens) > 1 and len(ranked) < limit:
                ranked += self._most_words(searcher, tokens, conditions, ranked, limit)
            for rank, (docnum, score) in enumerate(ranked[:limit], 1):
                result = searcher.stored_fields(docnum)
                data = result["data"]
                hits.append(
                    Hit(
                        rank=rank,
                        id=result["id"],
                        title=data["title"],
                        network=data["network"],
                        link=short_link(result["id"]),
                        snippet=snippet(data, marks, self._parts),
                        score=round(score, 3),
                    )
                )
        return hits


def _most_words_query(tokens: list[str], conditions: list) -> Or | And:
    words = Or([Term("text", t) for t in tokens])
    return And([words, *conditions]) if conditions else words


def snippet(data: dict, wanted: set, parts=lambda word: (), width: int = 220) -> str:
    """The first sentence with a query word, the words marked with **…** (plain text).

    ``parts`` gives the stems of a word's compound parts, so "zorgcoöperatie" is marked
    for the query "coöperatie"."""

    def hit(word: str) -> bool:
        stemmed = analyse_word(word.lower())
        return stemmed in wanted or any(p in wanted for p in parts(word))

    sentences = re.split(r"(?<=[.!?])\s+|\n+", f"{data['summary']}\n{data['body']}")
    best = next(
        (
            s
            for s in sentences
            if not s.startswith("#")
            and any(analyse_word(w.lower()) in wanted for w in re.findall(r"[^\W_]+", s))
        ),
        data["summary"],
    )
    best = " ".join(best.split())
    if len(best) > width:
        best = best[: width - 1].rsplit(" ", 1)[0] + "…"

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        return f"**{word}**" if hit(word) else word

    return re.sub(r"[^\W_]+", mark, best)
