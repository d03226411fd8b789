"""A case's text as similarity sees it (``similarity``): the search analysis's tokens, the
parts of compounds, and, for ``Similarity.update`` during a serve session, each text
analysed once and every token's column kept."""

from __future__ import annotations

from collections import Counter

import numpy as np

from kb_tools.dutch import Analyzer, Compounds, analyse_word, fold
from kb_tools.facets import FACETS
from kb_tools.validate.references import ITEM_LINK

#: The facets that make two cases alike, with their declared weight (``similarity``).
FACET_WEIGHTS = {f.name: f.weight for f in FACETS if f.weight}
#: Words this long are split into their parts, as the search index does (``index.helpdesk``).
MIN_COMPOUND = 8


class TextWords:
    """A case's text as the search index sees it: the Analyzer's stems and vocabulary
    tokens (``counts``), and per distinct token the parts of its compound ("zorgverzekeraar":
    zorg, verzekeraar), each part as the vocabulary token it names, if any (``parts``)."""

    def __init__(self, analyzer: Analyzer, compounds: Compounds) -> None:
        self.analyzer = analyzer
        self.compounds = compounds
        self._parts: dict[str, tuple[str, ...] | None] = {}
        self.part_forms: dict[str, str] = {}  # stem of a part -> the part as written
        # Kept across builds of one serve session (``Similarity.update``): every token seen
        # gets a column for good, and each text is analysed once.
        self.columns: dict[str, int] = {}
        self.seen: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def column_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The columns of a text's tokens and how often it uses each (``counts``)."""
        found = self.seen.get(text)
        if found is None:
            counts = self.counts(text)
            columns = [self.columns.setdefault(t, len(self.columns)) for t in counts]
            found = self.seen[text] = (
                np.array(columns, dtype=np.int64),
                np.array(list(counts.values()), dtype=np.float32),
            )
        return found

    def counts(self, text: str) -> Counter[str]:
        if "[[" in text:  # [[ams-0001]] names another case, not a topic
            text = ITEM_LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
        return Counter(self.analyzer.tokens(text))

    def parts(self, token: str) -> tuple[str, ...] | None:
        """The parts of a token, or None when it is no topic at all: a number, year or id,
        or a term of a vocabulary that makes no likeness (province, units of figures)."""
        if token not in self._parts:
            self._parts[token] = self._split(token)
        return self._parts[token]

    def _split(self, token: str) -> tuple[str, ...] | None:
        if ":" in token:
            return () if token.split(":", 1)[0] in FACET_WEIGHTS else None
        if not token.isalpha():
            return None
        form = self.analyzer.forms.get(token)
        if form is None or len(form) < MIN_COMPOUND:
            return ()
        single = self.analyzer.single
        found = set()
        for part in self.compounds.split(fold(form)):
            stemmed = analyse_word(part)
            if stemmed:
                found.add(single.get(stemmed, stemmed))
                self.part_forms.setdefault(stemmed, part)
        found.discard(token)
        return tuple(sorted(found))

    def form(self, token: str) -> str:
        """The written form of a stem: as a text writes it, or as a compound's part."""
        return self.analyzer.forms.get(token) or self.part_forms.get(token, token)
