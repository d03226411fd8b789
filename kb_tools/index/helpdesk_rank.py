"""Index, helpdesk ranking: which cases ``kb zoek`` shows first. Cases with every concept
of the question come first, then cases with most of them; within a tier by BM25, with
whoosh's formula and statistics, over whoosh's postings read in bulk.

Whoosh's own matcher tree costs some 50 µs per matching case, which is seconds when
nearly every case has every word (the 10,000 synthetic cases: "gemeente" is in 99 %);
reading the postings of a term and summing in dicts costs about 2 µs per posting.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from kb_tools.index.helpdesk_words import Concept

FIELD = "text"
K1, B = 1.2, 0.75  # whoosh's BM25F defaults
_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def rank(
    searcher: Searcher,
    concepts: list[Concept],
    allowed: set[int] | None,
    exact: set[int],
    limit: int,
) -> tuple[list[tuple[int, float]], int]:
    """(docnum, score) best first, at most ``limit``, and how many cases have every
    concept. ``allowed``: only these cases (the filters), None for all; ``exact``:
    cases whose title is the question, first when they have every concept.

    Below the cases with every concept come those with most of them, not below half of
    them for a long question (one stray word is no match), unless no case has that
    many: then those with the most. A question with a matching word never finds nothing.
    """
    average = searcher.field_length(FIELD) / max(1, searcher.doc_count_all()) or 1.0
    norms = [K1 * (1 - B + B * length / average) for length in _lengths(searcher)]
    found = [_concept_scores(searcher, c, norms) for c in concepts]
    if allowed is not None:
        found = [{d: s for d, s in scores.items() if d in allowed} for scores in found]
    matched = Counter(chain.from_iterable(found))
    if not matched:
        return [], 0
    totals = dict(found[0])
    for scores in found[1:]:
        for docnum, value in scores.items():
            totals[docnum] = totals.get(docnum, 0.0) + value
    every = [d for d, count in matched.items() if count == len(found)]
    # Exact title first, then by score; ties by docnum, so the order is stable.
    best = heapq.nlargest(limit, every, key=lambda d: (d in exact, totals[d], -d))
    out = [(d, totals[d]) for d in best]
    if len(out) < limit and len(found) > 1:
        most = max((count for count in matched.values() if count < len(found)), default=0)
        least = min(max(1, len(found) // 2), most)
        rest = [d for d, count in matched.items() if least <= count < len(found)]
        tail = heapq.nlargest(limit - len(out), rest, key=lambda d: (matched[d], totals[d], -d))
        out += [(d, totals[d]) for d in tail]
    return out, len(every)


def _concept_scores(searcher: Searcher, concept: Concept, norms: list[float]) -> dict[int, float]:
    """docnum -> BM25 of the concept: the sum over its terms the case has (the word, a
    synonym's token, a typo's nearest words). A phrase is its term's token, which the
    index writes wherever the phrase's words stand together."""
    if len(concept.terms) == 1:
        return _term_scores(searcher, concept.terms[0], norms)
    scores: dict[int, float] = {}
    for term in concept.terms:
        for docnum, value in _term_scores(searcher, term, norms).items():
            scores[docnum] = scores.get(docnum, 0.0) + value
    return scores


def _term_scores(searcher: Searcher, term: str, norms: list[float]) -> dict[int, float]:
    if not searcher.doc_frequency(FIELD, term):
        return {}
    scale = searcher.idf(FIELD, term) * (K1 + 1)
    out: dict[int, float] = {}
    for ids, frequencies in _blocks(searcher, term):
        for docnum, tf in zip(ids, frequencies, strict=True):
            out[docnum] = scale * tf / (tf + norms[docnum])
    return out


def _blocks(searcher: Searcher, term: str) -> Iterable[tuple[Sequence[int], Sequence[float]]]:
    """(docnums, frequencies) of a term, deleted cases left out, a block of postings at a
    time from whoosh 2.7's W3 codec (its generic matcher costs 6 µs per posting)."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (FIELD, term) not in reader:
            continue
        matcher = reader.postings(FIELD, term)
        deleted: frozenset[int] = frozenset()
        if isinstance(matcher, FilterMatcher):
            deleted, matcher = reader.deleted_docs_set, matcher.child
        if not all(hasattr(matcher, a) for a in _BLOCKS):
            pairs = [(d, w) for d, w in matcher.items_as("weight") if d not in deleted]
            yield [d + offset for d, _ in pairs], [w for _, w in pairs]
            continue
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids, weights = matcher._ids, matcher._weights
            if offset or deleted:
                kept = [i for i, d in enumerate(ids) if d not in deleted]
                ids, weights = [ids[i] + offset for i in kept], [weights[i] for i in kept]
            yield ids, weights
            matcher._next_block()


_BLOCKS = ("_read_ids", "_read_weights", "_ids", "_weights", "_next_block")


def _lengths(searcher: Searcher) -> list[int]:
    """The length of the text field of every case, by docnum, read once per search:
    whoosh's per-case lookup costs more than the scoring itself."""
    out: list[int] = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        out.extend([1] * (offset + count - len(out)))
        values = _length_bytes(reader, count)
        if values is None:
            values = [sub.doc_field_length(d, FIELD, 1) for d in range(count)]
        else:
            values = [_LENGTH_OF_BYTE[b] or 1 for b in values]
        out[offset : offset + count] = values
    return out


def _length_bytes(reader, count: int) -> list[int] | None:
    """The stored length bytes of one segment in one read (whoosh 2.7's W3 codec), or
    None when the reader keeps them elsewhere."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(FIELD), LENGTHS_COLUMN)
    except (AttributeError, ImportError):
        return None
    if column is None:
        return [0] * count
    if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
        raw = column._dbfile.get(column._basepos, column._count)  # one byte per case
        return [*raw, *[column._default or 0] * (count - len(raw))]
    values = list(column)
    return values if len(values) == count else None
