"""Stage 5, index (browser): the bare search documents that ``kb_tools.index.pagefind``
hands Pagefind, and the typo word list beside them. ``Documents.read`` reads each record's
words once; pruning, the documents, the hidden search words and the word list share them.

Pagefind stems Dutch words itself, but knows neither our synonyms nor compounds: "vpb"
does not find "vennootschapsbelasting" and "coöperatie" does not find "zorgcoöperatie".
So each document carries hidden words: the labels of its terms and the known parts of its
long words (``search_words``); the search page rewrites synonyms to labels
(``synonym_map``).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, repeat
from typing import Any

import numpy as np

from kb_tools.dutch import STOP_WORDS, Compounds, fold, stem
from kb_tools.index.plaintext import plain_chunks
from kb_tools.schema import SECTIONS

SECTION_HEADINGS = frozenset(name for name, _ in SECTIONS)
#: A word in more bodies than this is pruned from the others (``prune``). Pagefind spends
#: about 10 ns per page of the result times per page of all query words: 1,000 pages
#: keep a common word's body share of a query near 10 ms.
BODY_PAGES = 1000
#: Marks a pruned word in the text: a letter (so Pagefind keeps the word's place in the
#: excerpt) that no reader types. The search page removes it from excerpts.
MARK = "\u01c2"

_RAW_WORD = re.compile(r"[^\W_]+")
_WORD_PIECES = re.compile(r"([^\W_]+)")  # split: the words at the odd places


@dataclass(frozen=True, slots=True)
class RecordText:
    """The words of one record, read once by ``Documents.read``."""

    url: str
    paragraphs: tuple[str, ...]  # the body as plain paragraphs, section headings left out
    body_keys: dict[str, int]  # word key -> how often in the body, parts of long words too
    hidden: frozenset[str]  # search words no pruning takes away (labels, parts of head words)
    hidden_parts: tuple[tuple[str, str, str], ...]  # (part, key of its word, key of the part)


class _Memo(dict[str, Any]):
    """A dict that works out a missing value once, with ``function``."""

    def __init__(self, function: Callable[[str], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> Any:
        value = self[key] = self.function(key)
        return value


class Documents:
    """The search documents of one corpus. Texts are read by chunk, the text between two
    whitespace characters: 10,000 cases hold 4 million chunks but far fewer distinct ones,
    so each distinct chunk is split into words, lower-cased, stemmed and split into parts
    once, and a record only maps its chunks. Whitespace is no word letter, and Python's
    lower case of a letter never looks past whitespace (Σ is σ or ς by its neighbours), so
    a chunk's words, lower-cased alone, are those of the lower-cased text there."""

    def __init__(self, compounds: Compounds) -> None:
        self.compounds = compounds
        self._spelled: Counter[str] = Counter()  # chunks read, counted (word_list)
        self._pages: Counter[str] = Counter()  # listed words -> records that hold them
        self._listed_words = _Memo(
            lambda chunk: tuple(filter(None, map(_listed, _RAW_WORD.findall(chunk))))
        )
        self._lower = _Memo(lambda chunk: tuple(_RAW_WORD.findall(chunk.lower())))
        self._parts = _Memo(
            lambda word: _parts_as_spelled(word, compounds) if len(word) >= 8 else ()
        )
        self._body_keys = _Memo(self._keys_of)
        self._several: set[str] = set()  # chunks of more than one word ("e-mail")
        self._one_key = _Memo(self._one_key_of)
        self._escaped = _Memo(html.escape)
        self._all_marked = _Memo(lambda chunk: _WORD_PIECES.sub(MARK + r"\1", chunk))
        self._label_words = _Memo(
            lambda label: tuple(
                word
                for word in _RAW_WORD.findall(label.lower())
                if len(word) > 1 and word not in STOP_WORDS
            )
        )

    def _keys_of(self, chunk: str) -> tuple[str, ...]:
        """The keys a body chunk counts for: those of its lower-case words, and of the
        parts of its long words (as often as a word has the part)."""
        return tuple(
            key
            for word in self._lower[chunk]
            for key in (_key(word), *map(_key, self._parts[word]))
        )

    def read(self, record: dict[str, Any]) -> RecordText:
        """The words of one record (``records`` gives them) that ``prune``, ``document``
        and ``search_words`` use: the Markdown text for the words a reader may type, its
        plain paragraphs for the body that Pagefind indexes. The record's words are also
        counted for ``word_list``, which covers every record read."""
        # The fixed section headings are in every case: as search words they only cost.
        lines = [
            (paragraph, chunks)
            for chunks in plain_chunks(record["text"])
            if (paragraph := " ".join(chunks)) not in SECTION_HEADINGS
        ]
        body = chain.from_iterable(chunks for _, chunks in lines)
        body_keys = Counter(chain.from_iterable(map(self._body_keys.__getitem__, body)))
        chunks = record["text"].split()
        distinct = set(chunks)
        present = set(chain.from_iterable(map(self._lower.__getitem__, distinct)))
        head_words = set(_RAW_WORD.findall(f"{record['title']} {record['summary']}".lower()))
        present |= head_words
        hidden = set(chain.from_iterable(map(self._label_words.__getitem__, record["labels"])))
        hidden -= present
        parts = []
        for word in filter(self._parts.__getitem__, present):
            new = [part for part in self._parts[word] if part not in present]
            if word in head_words:
                hidden.update(new)
            else:
                parts += [(part, _key(word), _key(part)) for part in new]
        text = RecordText(
            url=record["url"],
            paragraphs=tuple(paragraph for paragraph, _ in lines),
            body_keys=dict(body_keys),
            hidden=frozenset(hidden),
            hidden_parts=tuple(parts),
        )
        # The word list counts title, summary, labels, text and the hidden words.
        head = f"{record['title']} {record['summary']} {' '.join(record['labels'])}".split()
        head += search_words(text).split()
        self._spelled.update(chunks)
        self._spelled.update(head)
        distinct.update(head)
        self._pages.update(set(chain.from_iterable(map(self._listed_words.__getitem__, distinct))))
        return text

    def document(
        self, record: dict[str, Any], text: RecordText, pruned: frozenset[str] = frozenset()
    ) -> str:
        """One bare HTML page for Pagefind. Filters, meta and sort sit in an ignored block:
        Pagefind reads them, but they are not part of the text or the excerpts. Words of the
        body whose key is ``pruned`` carry ``MARK``: the excerpt still shows them (the search
        page takes the mark away), but they are not found by what a reader types."""
        e = html.escape
        body = "\n".join(self._marked(text.paragraphs, pruned))
        # One line per paragraph (plain_text leaves none inside one), escaped at once.
        paragraphs = f"<p>{e(body).replace(chr(10), '</p><p>')}</p>" if body else ""
        tag = self._escaped.__getitem__  # filters and meta repeat across records
        tags = "".join(
            f'<span data-pagefind-filter="{tag(name)}">{tag(value)}</span>'
            for name, values in record["filters"].items()
            for value in values
        )
        tags += "".join(
            f'<span data-pagefind-meta="{tag(name)}">{tag(value)}</span>'
            for name, value in record["meta"].items()
            if value
        )
        if record["date"]:
            tags += f'<span data-pagefind-sort="datum">{e(record["date"])}</span>'
        hidden = search_words(text, pruned)
        return (
            '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>{e(record['title'])}</title></head><body><main data-pagefind-body>"
            f"<h1>{e(record['title'])}</h1><p>{e(record['summary'])}</p>{paragraphs}"
            f'<p data-pagefind-weight="0.5">{e(hidden)}</p>'
            f"<div data-pagefind-ignore>{tags}</div></main></body></html>"
        )

    def word_list(self) -> dict[str, dict[str, int]]:
        """The indexed words a typo is corrected to, as the texts read spell them most
        often, with the number of pages that hold them, in shards by first folded letter:
        the search page loads the shard of a word of 5 letters or more to see if it is
        indexed. Letters only, 4 letters or more, no stop words."""
        spellings: Counter[str] = Counter()
        for chunk, n in self._spelled.items():
            for word in _words_of(chunk):
                spellings[word] += n
        forms: dict[str, list[str]] = {}
        for raw in spellings:
            folded = _listed(raw)
            if folded is not None:
                forms.setdefault(folded, []).append(raw)
        shards: dict[str, dict[str, int]] = {}
        for folded in sorted(self._pages):
            spelled = max(forms[folded], key=lambda f: (spellings[f], f.islower(), f))
            letter = folded[0] if "a" <= folded[0] <= "z" else "_"
            shards.setdefault(letter, {})[spelled] = self._pages[folded]
        return shards

    def _one_key_of(self, chunk: str) -> str | None:
        """The key of a chunk's one word; None for a chunk of none or several."""
        words = _RAW_WORD.findall(chunk)
        if len(words) > 1:
            self._several.add(chunk)
        return _key(words[0]) if len(words) == 1 else None

    def _marked(self, paragraphs: tuple[str, ...], pruned: frozenset[str]) -> Sequence[str]:
        """The paragraphs with ``MARK`` before each word whose key is ``pruned``. Most
        chunks are one word: those are picked from the record's distinct chunks at once."""
        if not pruned:
            return paragraphs
        lines = [p.split(" ") for p in paragraphs]  # plain_text leaves one space between
        distinct = list(set(chain.from_iterable(lines)))
        keys = map(self._one_key.__getitem__, distinct)
        hits = list(compress(distinct, map(pruned.__contains__, keys)))
        marked = dict(zip(hits, map(self._all_marked.__getitem__, hits), strict=True))
        for chunk in self._several.intersection(distinct):
            marked[chunk] = _mark(chunk, pruned)
        return [" ".join(map(marked.get, line, line)) for line in lines]


def _mark(chunk: str, pruned: frozenset[str]) -> str:
    return _RAW_WORD.sub(lambda m: MARK + m[0] if _key(m[0]) in pruned else m[0], chunk)


def search_words(text: RecordText, pruned: frozenset[str] = frozenset()) -> str:
    """The hidden words of one case that its text lacks: the words of its term labels
    (synonyms are rewritten to labels in the browser, see ``synonym_map``) and the known
    parts of its long words ("zorgcoöperatie" gives "coöperatie"). Pagefind ignores
    diacritics and matches word starts itself, so each word is added once, as the text
    spells it. Every word costs Pagefind memory (about 0.6 kB per word per page at 10,000
    cases), so nothing is added twice. A part of a body word is left out when the word or
    the part is ``pruned`` from this body (``prune``), as the body word itself is."""
    found = set(text.hidden)
    found.update(
        part
        for part, word_key, part_key in text.hidden_parts
        if word_key not in pruned and part_key not in pruned
    )
    return " ".join(sorted(found))


@lru_cache(maxsize=200_000)
def _parts_as_spelled(raw: str, compounds: Compounds) -> tuple[str, ...]:
    """The known parts of a word that Pagefind would not find by a word start, as the
    word spells them ("zorgcoöperatie" -> "coöperatie"). Words repeat across cases."""
    folded = fold(raw)
    out = []
    for part in compounds.split(folded):
        if folded.startswith(part):
            continue  # Pagefind finds "vervoer" in "vervoersdienst" by itself
        spelled = raw[-len(part) :] if len(raw) == len(folded) else part
        out.append(spelled if fold(spelled) == part else part)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    """What Pagefind files a word under, near enough: its Dutch stem, folded."""
    return stem(fold(word))


def prune(texts: Sequence[RecordText], keep: int = BODY_PAGES) -> list[frozenset[str]]:
    """Static index pruning: per record, the word keys its body leaves out of the index.
    Pagefind scores every page that holds a word, against every page of every word of
    the query (time grows with the square of the pages): a word in the bodies of more
    than ``keep`` pages stays in the ``keep`` bodies where it is densest (the largest
    share of the body's keys; on a tie, the first URL). Titles, summaries and term
    labels are never pruned, so a page with the word there is always found; below
    ``keep`` pages nothing changes."""
    counts = [text.body_keys for text in texts]
    common = [key for key, n in Counter(chain.from_iterable(counts)).items() if n > keep]
    if not common:
        return [frozenset()] * len(texts)
    # One row per (record, common key) of all records, sorted by key, density and URL.
    column = {key: i for i, key in enumerate(common)}
    keys = list(chain.from_iterable(counts))
    cols = np.fromiter(map(column.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
    rows = np.repeat(np.arange(len(texts)), [len(c) for c in counts])
    found = np.fromiter(chain.from_iterable(c.values() for c in counts), np.int64, len(keys))
    totals = np.array([sum(c.values()) for c in counts], dtype=np.int64)
    common_rows = cols >= 0
    cols, rows, found = cols[common_rows], rows[common_rows], found[common_rows]
    url_rank = np.empty(len(texts), dtype=np.int64)
    url_rank[sorted(range(len(texts)), key=lambda i: texts[i].url)] = np.arange(len(texts))
    order = np.lexsort((rows, url_rank[rows], -found / totals[rows], cols))
    cols, rows = cols[order], rows[order]
    place = np.arange(len(cols)) - np.searchsorted(cols, cols)  # within its key's rows
    cut = place >= keep
    cols, rows = cols[cut], rows[cut]
    by_row = np.argsort(rows, kind="stable")
    cols, rows = cols[by_row], rows[by_row]
    bounds = np.searchsorted(rows, np.arange(len(texts) + 1)).tolist()
    names = cols.tolist()
    return [
        frozenset(map(common.__getitem__, names[start:end]))
        for start, end in zip(bounds, bounds[1:], strict=False)
    ]


@lru_cache(maxsize=200_000)
def _words_of(chunk: str) -> tuple[str, ...]:
    return tuple(_RAW_WORD.findall(chunk))


@lru_cache(maxsize=200_000)
def _listed(raw: str) -> str | None:
    """The folded word under which the word list counts ``raw``; None if it lists it not."""
    folded = fold(raw)
    if len(folded) < 4 or not folded.isalpha() or folded in STOP_WORDS:
        return None
    return folded
