"""Dutch compound splitting on a word frequency list: "zorgverzekeraar" -> "zorg", "verzekeraar".

The words and their frequencies are wordfreq's Dutch list (``wordfreq.get_frequency_list``,
shipped inside the wheel: no network). A word is split when every part is a frequent enough
Dutch content word and the parts are together more frequent than the whole word (the
geometric mean of Koehn and Knight, "Empirical methods for compound splitting", 2003): so
"verzekeraar" stays whole although "verzeker" and "aar" are words. Between two parts may
stand a linking morpheme (vervoer-s-dienst, huiz-en-rij, kind-er-opvang); a part before the
last is given in its base form (vrijwilliger, huis, boodschap). Function words, particles and
suffixes are never parts. The list is read the first time a word is split, not at import
(about 0.5 s of CPU, mostly importing wordfreq).
"""

from __future__ import annotations

from functools import cache

from kb_tools.model import Registry
from kb_tools.textscan import fold

#: Zipf frequency (log10 of uses per billion words) a part needs, by its length: a short
#: word inside a longer one is often there by chance ("best-uur", "kant-oren"), a long one
#: rarely ("verzorgsters", 1.3, in "buurtverzorgsters"). Three letters also need
#: a neighbour of five or more.
MIN_ZIPF_LONG = 1.0  # 7 letters or more
MIN_ZIPF_LONG_HEAD = 2.0  # 7 letters or more, before another part ("ondersteuner-s-")
MIN_ZIPF = 2.5  # 4 to 6 letters
MIN_ZIPF_SHORT = 4.0  # 3 letters ("dag", "wet", "rij"), beside a part of 5 or more
SHORT_NEXT = 5
MIN_LENGTH = 3
#: A head of at most this many letters before an s is read as a word that ends in s when
#: that word is the more common one ("fonds-voorwaarden", not "fond-s-"; "dorp-s-" stays).
SHORT_S_HEAD = 5
LONG = 7
MAX_WORD = 40  # longer "words" are not split
MAX_PARTS = 5
MAX_SEGMENTS = 100_000
#: What each part past the second costs the mean Zipf of a split: "zorg-kantoren", not
#: "zorg-kant-oren".
EXTRA_PART = 1.0
#: Zipf given to a vocabulary word that the list lacks or has as rare.
VOCABULARY_ZIPF = 3.5
#: Function words, particles and prefixes: never a part of a compound ("onder-zoek",
#: "aan-vraag", "tegen-prestatie" and "ver-keer" stay whole).
FUNCTION_WORDS = frozenset(
    "aan af al alle alles als altijd andere achter ben bij binnen boven buiten daar dan dat "
    "de der deze die dit doch doen door dus een eens en er ge geen haar had heb hebben heeft "
    "hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me mee mede "
    "meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over "
    "reeds rond samen te tegen terug toch toe toen tot u uit uw van veel voor want waren was "
    "wat weg wel werd wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou ten ter den "
    "be ver her ont mis"
    # derivational suffixes that are also words: "verzeker-aar", "gemeen-schap", "tijd-e-lijk"
    " aar baar dom heid lijk lijke loos schap ster ling nis zaam ier erij eer ist ant ent"
    " ing ingen tje tjes ers ende ere eren allen eraf".split()
)
Segment = tuple[str, str, str]
Segments = tuple[Segment, ...]


@cache
def word_list() -> dict[str, float]:
    """Folded Dutch word -> Zipf frequency, for every word that can be a part or beat a
    split: 7 letters or more from ``MIN_ZIPF_LONG``, shorter ones from ``MIN_ZIPF``."""
    from wordfreq import get_frequency_list

    buckets = get_frequency_list("nl", "large")
    last = min(len(buckets), round((9 - MIN_ZIPF_LONG) * 100) + 1)
    zipf: dict[str, float] = {}
    for bucket in range(last - 1, -1, -1):  # rare first: a more frequent spelling wins
        value = 9 - bucket / 100  # bucket i holds the words of frequency 10 ** (-i / 100)
        size = 1 if value >= MIN_ZIPF else LONG
        zipf.update(
            (word if word.isascii() else fold(word), value)
            for word in buckets[bucket]
            if len(word) >= size and word.isalpha()
        )
    return zipf


def _base_forms(written: str, link: str) -> tuple[str, ...]:
    """The base forms of a part written before a linking morpheme: huiz-en -> huis,
    boodschapp-en -> boodschap, verhal-en -> verhaal, bur-en -> buur."""
    if link not in ("en", "er") or len(written) < 2:
        return (written,)
    forms = [written]
    last, before = written[-1], written[-2]
    if last == "z":
        forms.append(written[:-1] + "s")
    elif last == "v":
        forms.append(written[:-1] + "f")
    if last == before and last not in "aeiou":
        forms.append(written[:-1])
    if (
        before in "aeou"
        and last not in "aeiou"
        and (len(written) < 3 or written[-3] not in "aeiou")
    ):
        forms.append(written[:-1] + before + last)
    return tuple(forms)


def _inflection(head: str, part: str) -> bool:
    """True for a part that is the inflection of the letters before it with a doubled
    consonant: "gesprek-ken", "trek-kers", "boodschap-pen"."""
    return part[0] == head[-1] and part[0] not in "aeiou" and part[1:] in _ENDINGS


_ENDINGS = frozenset(("en", "er", "ers", "ing", "ingen", "e", "es"))


class Compounds:
    """Splits Dutch compounds on the words of wordfreq's Dutch list and the vocabularies."""

    def __init__(self, registry: Registry | None = None, parts: list[str] | None = None) -> None:
        """Extra known parts from the vocabularies of ``registry``, or exactly ``parts`` (as
        ``.parts`` of another instance: a child process gets the list instead of the
        registry, and builds the same splitter). The word list is read on the first split."""
        if parts is None:
            from kb_tools.dutch import words  # dutch re-exports this class

            known: set[str] = set()
            if registry is not None:
                for vocab in registry.vocabularies.values():
                    for term in vocab.terms:
                        for phrase in (term.label, *term.synonyms):
                            known.update(w for w in words(phrase) if len(w) >= 5 and w.isalpha())
            parts = sorted(known, key=lambda p: (-len(p), p))
        self.parts = list(parts)
        self._zipf: dict[str, float] | None = None
        self._memo: dict[str, tuple[str, ...]] = {}
        self._segments: dict[str, dict[int, tuple[float, Segments]]] = {}

    def _lexicon(self) -> dict[str, float]:
        if self._zipf is None:
            extra = {p: max(word_list().get(p, 0.0), VOCABULARY_ZIPF) for p in self.parts}
            self._zipf = word_list() | extra if extra else word_list()
        return self._zipf

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a folded word, longest first, without the word itself; () when it
        is no compound. A part that is a compound itself gives its parts too
        ("zorgverzekeringswet" -> "zorgverzekering", "verzekering", "zorg", "wet")."""
        found = self._memo.get(word)
        if found is None:
            found = ()
            if MIN_LENGTH * 2 <= len(word) <= MAX_WORD and word.isalpha():
                found = self._split(word)
            self._memo[word] = found
            if len(self._segments) > MAX_SEGMENTS:  # suffixes of words already split
                self._segments.clear()
        return found

    def _split(self, word: str) -> tuple[str, ...]:
        best: Segments = ()
        # The whole word, or its singular (kantoren -> kantoor: "kant-oren" is no split), as
        # often as the list has it: a vocabulary word ("restitutiepolis") is split too.
        listed = word_list()
        whole = max(listed.get(w, 0.0) for w in (word, *self._singulars(word)))
        best_score = whole
        for count, (total, segments) in self._best(word).items():
            score = total / count - EXTRA_PART * max(0, count - 2)
            if count > 1 and score > best_score:
                best, best_score = segments, score
        found = {base for _, _, base in best} | self._inner(best)
        for part in list(found):
            found.update(self.split(part))
        found.discard(word)
        return tuple(sorted(found, key=lambda p: (-len(p), p)))

    @staticmethod
    def _singulars(word: str) -> tuple[str, ...]:
        if word.endswith("en") and len(word) > 4:
            return _base_forms(word[:-2], "en")
        if word.endswith("s") and len(word) > 4:
            return (word[:-1],)
        return ()

    def _inner(self, parts: Segments) -> set[str]:
        """The compounds inside a split of three or more parts, cut at the last linking
        morpheme (dorp-s-ondersteuner-s-overleg gives "dorpsondersteuner"), else where one
        side is a word of its own."""
        count = len(parts)
        if count < 3:
            return set()
        zipf = self._lexicon()

        def joined(run: Segments) -> str:
            return "".join(w + link for w, link, _ in run[:-1]) + run[-1][0]

        linked = [i + 1 for i in range(count - 1) if parts[i][1]]
        if linked:
            cut = linked[-1]
        elif joined(parts[:-1]) in zipf:
            cut = count - 1
        elif joined(parts[1:]) in zipf:
            cut = 1
        else:
            return set()
        found = set()
        for side, run in enumerate((parts[:cut], parts[cut:])):
            if len(run) > 1 and ((side == 0 and linked) or joined(run) in zipf):
                found.add(joined(run))
                found |= self._inner(run)
        return found

    def _part(self, base: str, last: bool = True) -> bool:
        """A content word common enough for its length to be a part; a rare long word only
        as the last part ("zorg-verlener", not "functio-nering")."""
        value = self._lexicon().get(base)
        size = len(base)
        if value is None or size < MIN_LENGTH or base in FUNCTION_WORDS:
            return False
        if size >= LONG:
            return value >= (MIN_ZIPF_LONG if last else MIN_ZIPF_LONG_HEAD)
        if size == MIN_LENGTH:  # not the end of an inflected word: gesprek-ken, boodschap-pen
            return value >= MIN_ZIPF_SHORT and base[1:] != "en"
        if size == 4 and base.endswith("ing"):  # beste-ding, vervals-ing
            return False
        return value >= MIN_ZIPF

    def _head(self, head: str) -> Segment | None:
        """A part before others, as (written, linking morpheme, base form): the form
        without a linking s or en when that is a word (vrijwilliger-s, dorp-s, huiz-en),
        else the head as written. A linking er only where the plural in -eren is more
        common than the word in -er (kind-er-opvang, not burg-er-initiatief). No linking e: it
        went out of the spelling in 1995 ("pannenkoek"), and "tijd-e-lijk" is no compound."""
        if head in FUNCTION_WORDS:  # "samen-werken" is not "sam-en-werken"
            return None
        zipf = self._lexicon()
        for link in ("en", "s", "er", ""):
            if not head.endswith(link):
                continue
            written = head[: len(head) - len(link)]
            if link == "er" and zipf.get(written + "eren", 0.0) <= zipf.get(head, 0.0):
                continue
            for base in reversed(_base_forms(written, link)):
                if self._part(base, last=False):
                    if (  # a short word that ends in s itself: fonds-, casus-, lees-, nieuws-
                        link == "s"
                        and len(written) <= SHORT_S_HEAD
                        and zipf.get(head, 0.0) > zipf[base]
                        and self._part(head, last=False)
                    ):
                        return head, "", head
                    return written, link, base
        return None

    def _best(self, word: str) -> dict[int, tuple[float, Segments]]:
        """For each number of parts, the way to write ``word`` as that many parts with the
        highest sum of Zipf frequencies, so the highest mean (Koehn and Knight). A part of
        three letters needs neighbours of five or more ("wet-tekst", not "net-werk")."""
        cached = self._segments.get(word)
        if cached is not None:
            return cached
        zipf = self._lexicon()
        out: dict[int, tuple[float, Segments]] = {}
        if self._part(word):
            out[1] = (zipf[word], ((word, "", word),))
        for end in range(MIN_LENGTH, len(word) - MIN_LENGTH + 1):
            head = self._head(word[:end])
            if head is None:
                continue
            for count, (total, tail) in self._best(word[end:]).items():
                first = tail[0]
                if (
                    count >= MAX_PARTS
                    or _inflection(head[0] + head[1], first[0])
                    or (
                        (len(head[2]) == MIN_LENGTH and len(first[0]) + len(first[1]) < SHORT_NEXT)
                        or (len(first[2]) == MIN_LENGTH and end < SHORT_NEXT)
                    )
                ):
                    continue
                score = total + zipf[head[2]]
                if score > out.get(count + 1, (-1.0,))[0]:
                    out[count + 1] = (score, (head, *tail))
        self._segments[word] = out
        return out
