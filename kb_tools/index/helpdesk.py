"""Stage 5, index: the helpdesk search behind `kb zoek`, a whoosh index in a local cache.

Text is analysed by ``helpdesk_words`` on top of ``dutch`` (folding, Dutch stems, compound
parts, and a vocabulary term's token beside its synonyms), so "cooperatie" finds
"zorgcoöperatie" and "vpb" finds vennootschapsbelasting, as in the browser. A question
is analysed the same way, without its question words, and never parsed as whoosh
syntax: operators in a query are just text. ``helpdesk_rank`` orders the cases; a word
no case has is searched as the nearest indexed words too ("Ook gezocht op: Austerlitz").
The index is updated incrementally: only files whose size or mtime changed are read again.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, Term
from whoosh.support.levenshtein import distance
from whoosh.system import pack_uint

from kb_tools.dutch import Analyzer, Compounds, fold
from kb_tools.facets import KIND_FILTER, SEARCH_FILTERS
from kb_tools.index import helpdesk_rank, records
from kb_tools.index.helpdesk_words import Concept, Words, typo_edits
from kb_tools.load.documents import load_document
from kb_tools.load.files import ANSWER, CASE, display_path, scan_content
from kb_tools.load.registry import load_registry
from kb_tools.model import ERROR, Answer, Case, Registry
from kb_tools.urls import short_link
from kb_tools.validate.fields import CaseValidator

CACHE_DIR = Path(".cache") / "kb-zoek"
MANIFEST = "bestanden.json"
FORMS = "woorden.json"  # stem -> the words as the texts write them, to show corrections
SCHEMA_VERSION = 8
MAX_QUERY_TOKENS = 30
#: Fewer cases than this with every word as typed: words the index does not have are
#: looked up as typos (the nearest indexed words are searched too).
FEW_RESULTS = 3
MAX_CORRECTIONS = 2  # nearest words searched per typo
MAX_TYPOS = 5  # words of one question looked up as typos
WRITER_MB = 1024  # whoosh estimate; real peak ~390 MB at 10,000 cases, with no sorted runs on disk
PARALLEL_FROM = 2000  # files from which two child processes read and analyse them
PROGRESS_EVERY = 500  # files between two progress reports


class CountedText(TEXT):
    """A text field given its terms already counted ({term: count}): the analysis is
    ``helpdesk_words`` (memoised per word), and no positions are kept, as a query is
    terms, never a phrase. Whoosh's own analysis and positions were most of the build."""

    def __init__(self) -> None:
        super().__init__(phrase=False)

    def index(self, value, **kwargs):  # noqa: ARG002 - whoosh's signature
        for term, freq in value.items():
            yield term.encode("utf-8"), freq, float(freq), pack_uint(freq)


SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    path=ID(stored=True),
    # One text field: a query is one AND of terms, which whoosh scores fastest (block-max
    # skipping). Title words count three times and summary words twice, so they weigh
    # more than words in the body.
    text=CountedText(),
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


class Hits(list):
    """The hits of one search, best first, and the words searched as well because the
    question had a typo (``also``: as the texts write them, "Austerlitz")."""

    def __init__(self, hits: list[Hit] = (), also: list[str] = ()) -> None:
        super().__init__(hits)
        self.also = list(also)


@dataclass
class SearchIndex:
    """A whoosh index of cases in ``cache``, kept in step with ``content``."""

    content: Path
    cache: Path = CACHE_DIR
    skipped: list[str] = field(default_factory=list)  # files with errors: not searchable

    def __post_init__(self) -> None:
        self.registry: Registry | None = None
        self.words: Words | None = None
        self._forms: dict[str, list[str]] | None = None

    def _prepare(self) -> Words:
        if self.words is None:
            self.registry, _ = load_registry(self.content)
            self.words = Words(self.registry, Analyzer(self.registry), Compounds(self.registry))
        return self.words

    def update(self, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Bring the index up to date; returns (files read again, files removed).
        ``progress(done, total)`` is told every PROGRESS_EVERY files read, and once
        when all are read, before whoosh writes the index."""
        words = self._prepare()
        registry = self.registry
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
            if manifest:
                words.import_forms(self._read_forms())
            validator = CaseValidator(registry, date.today())
            ix = whoosh_index.open_dir(str(self.cache))
            with ix.writer(limitmb=WRITER_MB) as writer:
                for path in removed:
                    writer.delete_by_term("path", path)
                    manifest.pop(path, None)
                if manifest:
                    for path in changed:
                        writer.delete_by_term("path", path)
                for done, (path, document) in enumerate(self._read(changed, kinds, validator), 1):
                    manifest[path] = {"sig": current[path], "fout": document is None}
                    if document is not None:
                        writer.add_document(**document)
                    if progress and done % PROGRESS_EVERY == 0 and done < len(changed):
                        progress(done, len(changed))
                if progress and len(changed) >= PROGRESS_EVERY:
                    progress(len(changed), len(changed))  # the index is written next
            (self.cache / FORMS).write_text(
                json.dumps(words.export_forms(), ensure_ascii=False), encoding="utf-8"
            )
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

    def _read(
        self, paths: list[str], kinds: dict[str, str], validator: CaseValidator
    ) -> Iterator[tuple[str, dict | None]]:
        """(path, whoosh document or None for a file with errors), in order. Many files
        are read and analysed by two child processes while this one feeds whoosh: the
        reading was half of a first build at 10,000 cases."""
        words = self._prepare()
        if len(paths) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            _WORKER[:] = [self, validator, kinds]  # inherited by the forked children
            try:
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(2, mp_context=context) as pool:
                    for path, document, forms in pool.map(_read_one, paths, chunksize=100):
                        words.add_forms(forms)
                        yield path, document
                return
            finally:
                _WORKER.clear()
        for path in paths:
            yield path, self._read_one(path, validator, kinds[path] == ANSWER)

    def _read_one(self, path: str, validator: CaseValidator, answer: bool) -> dict | None:
        case = self._load(Path(path), validator, answer)
        return None if case is None else self._document(case, path)

    def _read_forms(self) -> dict[str, list[str]]:
        try:
            forms = json.loads((self.cache / FORMS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return forms if isinstance(forms, dict) else {}

    def _load(self, path: Path, validator: CaseValidator, answer: bool) -> Case | Answer | None:
        loaded = load_document(path, display_path(path))
        if loaded.document is None:
            return None
        case, problems = validator.validate(loaded.document, answer)
        if case is None or any(f.severity == ERROR for f in problems):
            return None
        return case

    def _document(self, case: Case | Answer, path: str) -> dict:
        words = self._prepare()
        labels = records.term_labels(case, self.registry)
        # A term's synonyms give its token, not their words ("geld" must not find every
        # case without money); it counts like the summary: the case is about that term.
        synonyms = records.term_labels(case, self.registry, synonyms=True)
        by = records.byline(case, self.registry)
        if isinstance(case, Answer):
            # A helpdesk answer: the question counts like the summary; it has no network.
            summary = f"{case.summary} {case.question}"
        else:
            summary = case.summary
        terms = [
            *words.terms(case.title) * 3,
            *words.terms(summary) * 2,
            *words.terms(" ".join(labels)),
            *[t for t in set(words.terms(" ".join(synonyms))) if ":" in t] * 2,
            *words.terms(case.body),
        ]
        return {
            "id": case.id,
            "path": path,
            "text": Counter(terms),
            **{name: ",".join(values) for name, values in records.filters(case).items()},
            "title_key": " ".join(fold(case.title).split()),
            "data": {
                "title": case.title,
                "summary": case.summary,
                "body": case.body,
                "network": by,
            },
        }

    def search(self, query: str, filters: dict[str, str] | None = None, limit: int = 10) -> Hits:
        """Cases with every concept of the question first (an exact title before all),
        then cases with most of them; words the index lacks are looked up as typos."""
        words = self._prepare()
        concepts = words.concepts(query[:2000], MAX_QUERY_TOKENS)
        conditions = [Term(name, value) for name, value in (filters or {}).items() if value]
        if not concepts and not conditions:
            return Hits()
        ix = whoosh_index.open_dir(str(self.cache))
        wanted = " ".join(fold(query).split())
        hits = []
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            exact = {d for d in searcher.document_numbers(title_key=wanted)} if wanted else set()
            reader = searcher.reader()
            words.split_unknown(concepts, lambda term: reader.doc_frequency("text", term) > 0)
            ranked, every = self._rank(searcher, concepts, conditions, exact, limit)
            if every < FEW_RESULTS and self._correct(searcher, concepts):
                ranked, every = self._rank(searcher, concepts, conditions, exact, limit)
            marks = words.marks(concepts)
            synonyms = {t for c in concepts for t in c.terms if ":" in t}
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
                        snippet=snippet(data, words, marks, synonyms),
                        score=round(score, 3),
                    )
                )
        return Hits(hits, [form for c in concepts for form in c.corrected])

    def _rank(
        self, searcher, concepts: list[Concept], conditions: list, exact: set, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """(docnum, score) best first, and how many cases have every concept."""
        if not concepts:  # filters only: whoosh's own order
            results = searcher.search(And(conditions), limit=limit)
            return list(results.items()), results.scored_length()
        allowed = set(searcher.docs_for_query(And(conditions))) if conditions else None
        return helpdesk_rank.rank(searcher, concepts, allowed, exact, limit)

    def _correct(self, searcher, concepts: list[Concept]) -> bool:
        """Add the nearest indexed words to each word the index does not have (one edit
        for 5+ letters, two for 8+); a word the index has is never corrected."""
        reader = searcher.reader()
        added = False
        unknown = [
            c
            for c in concepts
            if typo_edits(c.word)
            and not c.phrase
            and not any(reader.doc_frequency("text", t) for t in c.terms)
        ]
        for concept in unknown[:MAX_TYPOS]:  # a pasted text is no question with typos
            edits = typo_edits(concept.word)
            near = []
            for stemmed in reader.terms_within("text", concept.terms[0], edits, prefix=1):
                if ":" in stemmed:  # a vocabulary token, no word
                    continue
                written, edited = self._written(stemmed, concept.word)
                if edited <= edits:  # the rule holds for the word as written, not the stem
                    near.append((edited, -reader.doc_frequency("text", stemmed), stemmed, written))
            near.sort()
            for _, _, stemmed, written in [n for n in near if n[0] == near[0][0]][:MAX_CORRECTIONS]:
                concept.terms.append(stemmed)
                concept.corrected.append(written)
                added = True
        return added

    def _written(self, stemmed: str, typed: str) -> tuple[str, int]:
        """The indexed word as the texts write it, the form nearest to what was typed,
        and how many edits it is from it."""
        if self._forms is None:
            self._forms = self._read_forms()
        forms = [f for f in self._forms.get(stemmed, ()) if isinstance(f, str)] or [stemmed]
        return min(((f, distance(fold(f.lower()), typed)) for f in forms), key=lambda x: x[::-1])


_WORKER: list = []  # (index, validator, kinds) in a child process of SearchIndex._read


def _read_one(path: str) -> tuple[str, dict | None, list[tuple[str, str]]]:
    index, validator, kinds = _WORKER
    document = index._read_one(path, validator, kinds[path] == ANSWER)
    return path, document, index.words.take_forms()


def snippet(
    data: dict, words: Words, wanted: set, synonyms: set = frozenset(), width: int = 220
) -> str:
    """The sentence with most words of the question (the first of those), the words
    marked with **…** (plain text). A compound counts by its parts ("zorgcoöperatie" for "coöperatie").
    Without such a sentence, the first with a synonym of the question ("vennootschaps-
    belasting" for "vpb"), marked as well; without that, the summary."""

    terms = words.word_terms
    sentences = [
        " ".join(_EMPHASIS.sub("", s).split())  # the text's own **…** would look marked
        for s in re.split(r"(?<=[.!?])\s+|\n+", f"{data['summary']}\n{data['body']}")
        if s.strip() and not s.lstrip().startswith("#")
    ]
    best, marked = None, wanted
    for marked in (wanted, wanted | synonyms) if synonyms else (wanted,):
        best = _most_marked(sentences, marked, terms)
        if best is not None:
            break
    if best is None:
        best, marked = " ".join(_EMPHASIS.sub("", data["summary"]).split()), wanted
    if len(best) > width:
        best = best[: width - 1].rsplit(" ", 1)[0] + "…"

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        return f"**{word}**" if marked.intersection(terms(word)) else word

    return _RAW_WORD.sub(mark, best)


def _most_marked(sentences: list[str], marked: set, terms) -> str | None:
    best, most = None, 0
    for sentence in sentences:
        found = set()
        for word in _RAW_WORD.findall(sentence):
            found.update(marked.intersection(terms(word)))
        if len(found) > most:
            best, most = sentence, len(found)
            if most == len(marked):
                break
    return best


_RAW_WORD = re.compile(r"[^\W_]+")
_EMPHASIS = re.compile(r"\*+|`")
