"""Bodies that the site's Markdown parser would take super-linear time on are refused.

Python-Markdown looks for the end of every "[", "](" and backtick run from where it
starts, splits and rescans a block at every heading or rule inside it, rebuilds a
paragraph for every inline element in it, and recurses into nested lists, quotes and
emphasis (deep enough, and the build stops with a RecursionError). Fifteen shapes of
input were measured (the closing note of issue 13 and BENCHMARKS.md have the figures);
these limits keep every body of up to 200 kB under about a second to render, while the
largest real case uses a tenth of each.

``heavy_markdown`` measures a body in one linear pass, before anything parses it. A
*block* is what Python-Markdown calls one: the lines between blank lines (a line of
only spaces or tabs is blank). Inline work is per paragraph, list item, cell or heading,
which always lies inside one block, so per-block limits are conservative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Each value is allowed; one more is refused. Real content (51 files) stays at or below
#: a tenth of each, except backticks per line (22 in the guide to the case format).
LIMITS: dict[str, int] = {
    # the whole body
    "max_lines": 5000,  # all lines, blank ones included: element count
    "max_headings": 200,  # lines starting with 1-6 '#', and setext underlines
    "max_markup": 10000,  # the characters [ ] ` * _ \ & | <  together: inline elements
    "max_case_links": 100,  # [[id]], which becomes [the title, escaped](its page)
    # one block (text between blank lines)
    "max_block_chars": 20000,
    "max_block_starts": 20,  # heading / rule / setext / reference-definition / '!!!' lines
    "max_bracket_depth": 3,  # '[' not yet closed by ']' at any point (unclosed ones count)
    "max_open_targets": 2,  # link targets '](' whose ')' has not come yet, at any point
    "max_quoted_targets": 2,  # link targets that contain a quote before their ')'
    "max_unmatched_ticks": 8,  # backtick runs with no later run of the same length
    "max_block_emphasis": 400,  # '*' and '_' characters in one block (emphasis nesting)
    # one line
    "max_line_ticks": 64,  # backtick runs on one line (tables pair them per row)
    "max_line_pipes": 64,  # '|' on one line (table columns)
    "max_indent": 16,  # leading columns (a tab counts 4): list and admonition nesting
    "max_line_markers": 4,  # list / quote markers that open one line ("> - 1. ")
}

#: What each limit means to an editor: (what there is too much of, where).
_DUTCH: dict[str, str] = {
    "lines": "regels",
    "headings": "kopjes",
    "markup": "opmaaktekens ([ ] ` * _ \\ & | <)",
    "case_links": "verwijzingen [[...]]",
    "block_chars": "tekens in één alinea",
    "block_starts": "kopjes, lijnen of definities binnen één alinea (zonder lege regel ertussen)",
    "bracket_depth": "blokhaken [ in elkaar (of [ zonder ])",
    "open_targets": "links die met ]( openen maar niet sluiten met )",
    "quoted_targets": "links met een aanhalingsteken in het adres",
    "unmatched_ticks": "losse backticks (`) zonder partner",
    "block_emphasis": "sterretjes en lage streepjes in één alinea",
    "line_ticks": "backticks (`) op één regel",
    "line_pipes": "tekens | op één regel",
    "indent": "spaties voor het begin van een regel",
    "line_markers": "opsommingstekens of > aan het begin van één regel",
}
HINT = (
    "Een verhaal is gewone tekst in alinea's, met een lege regel ertussen. Haal de lange reeks "
    "tekens weg, of verdeel de tekst over meer alinea's. Zie content/handleiding/meldingen.md."
)

_BLANK = re.compile(r"[ \t]*\Z")
# Lines that make Python-Markdown split a block and re-scan the rest of it.
_BLOCK_START = re.compile(
    r" {0,3}(?:#{1,6}(?:[ \t]|\Z)"  # ATX heading
    r"|!!!"  # admonition
    r"|\[[^\]\n]{0,999}\]:"  # reference definition (bounded, anchored)
    r"|(?:[-*_][ \t]*){3,}\Z"  # rule
    r"|=+[ \t]*\Z|-+[ \t]*\Z)"  # setext underline
)
_HEADING_LINE = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|\Z)|=+[ \t]*\Z|-+[ \t]*\Z)")
# The list and quote markers that open a line: "> - 1. text" has three.
_MARKERS = re.compile(r"(?:[ \t]*(?:[-*+](?=[ \t]|\Z)|[0-9]{1,9}[.)](?=[ \t]|\Z)|>))+")
_MARKER = re.compile(r"[-*+>]|[0-9]{1,9}[.)]")
_TOKEN = re.compile(r"`+|\]\(|[\[\]()\"']")
_MARKUP_CHARS = "[]`*_\\&|<"


@dataclass
class Metrics:
    lines: int = 0
    headings: int = 0
    markup: int = 0
    case_links: int = 0
    block_chars: int = 0
    block_starts: int = 0
    bracket_depth: int = 0
    open_targets: int = 0
    quoted_targets: int = 0
    unmatched_ticks: int = 0
    block_emphasis: int = 0
    line_ticks: int = 0
    line_pipes: int = 0
    indent: int = 0
    line_markers: int = 0
    where: dict[str, int] = field(default_factory=dict)  # metric -> first line of its maximum

    def bump(self, name: str, value: int, line: int) -> None:
        if value > getattr(self, name):
            setattr(self, name, value)
            self.where[name] = line


def _unmatched_ticks(runs: list[int]) -> int:
    """Backtick runs Python-Markdown cannot pair, counted conservatively: an opener pairs
    with the next run of the same length (everything between is code); an opener with
    none is unmatched (its search runs to the end of the text)."""
    nxt = [-1] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        nxt[i] = last.get(runs[i], -1)
        last[runs[i]] = i
    i, unmatched = 0, 0
    while i < len(runs):
        j = nxt[i]
        if j == -1:
            unmatched += 1
            i += 1
        else:
            i = j + 1
    return unmatched


def _block(m: Metrics, block: str, first_line: int) -> None:
    m.bump("block_chars", len(block), first_line)
    m.bump("block_emphasis", block.count("*") + block.count("_"), first_line)
    depth = 0
    # per open link target: [paren depth, first quote char or "", times seen, last char]
    targets: list[list] = []
    quoted = 0
    max_depth = max_open = 0
    runs: list[int] = []
    for tok in _TOKEN.finditer(block):
        t = tok.group()
        c = t[0]
        if c == "`":
            runs.append(len(t))
        elif t == "](":
            depth = max(0, depth - 1)
            targets.append([1, "", 0, ""])
            max_open = max(max_open, len(targets))
        elif c == "[":
            depth += 1
            max_depth = max(max_depth, depth)
        elif c == "]":
            depth = max(0, depth - 1)
        elif targets:
            top = targets[-1]
            if c == "(":
                top[0] += 1
            elif c == ")":
                # Python-Markdown ends a target with a title only at ')' right after the
                # closing quote ("t")); any other quote makes it scan to the end.
                i = tok.start() - 1
                while i >= 0 and block[i] == " ":  # only the spaces right before this ')'
                    i -= 1
                last = block[i] if i >= 0 else ""
                if top[1] and top[2] >= 2 and last == top[1]:
                    targets.pop()
                    continue
                top[0] -= 1
                if top[0] == 0:
                    if top[1]:
                        quoted += 1
                    targets.pop()
            else:  # a quote inside a link target
                if not top[1]:
                    top[1] = c
                if c == top[1]:
                    top[2] += 1
    quoted += sum(1 for t in targets if t[1])  # still open at the end of the block
    m.bump("bracket_depth", max_depth, first_line)
    m.bump("open_targets", max_open, first_line)
    m.bump("quoted_targets", quoted, first_line)
    m.bump("unmatched_ticks", _unmatched_ticks(runs), first_line)


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
_LEADING_BLANKS = re.compile(r"(?:[ \t]*\n)*")
_TRAILING_BLANKS = re.compile(r"(?:\n[ \t]*)+\Z")
_BLOCK_START_LINE = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|!!!|\[[^\]\n]{0,999}\]:|(?:[-*_][ \t]*){3,}$|=+[ \t]*$|-+[ \t]*$)",
    re.M,
)
_HEADING_LINES = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)", re.M)
_DEEP_INDENT = re.compile(r"^[ \t]{5,}(?=[^ \t\n])", re.M)  # fewer than 5 can't pass 16 columns
_MARKER_LINE = re.compile(r"^[ \t]*(?:[-*+>]|[0-9]{1,9}[.)])", re.M)
_MARKERS_AT = re.compile(r"(?:[ \t]*(?:[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)|>))+", re.M)
_TICK_RUNS = re.compile(r"`+")


class _Lines:
    """Line numbers of offsets asked for in increasing order, counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _per_line(m: Metrics, text: str, sign: str, metric: str, count) -> None:
    """``metric`` for every line that holds ``sign`` (lines without it score 0)."""
    lines = _Lines(text)
    pos = text.find(sign)
    while pos != -1:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        m.bump(metric, count(text[start:end]), lines.at(start))
        pos = text.find(sign, end)


def _blocks(m: Metrics, text: str, lines: _Lines, brackets: bool, ticks: bool) -> None:
    """The per-block metrics, block by block (the text between runs of blank lines)."""
    start = 0
    for gap in [*_BLANK_RUN.finditer(text), None]:
        end = gap.start() if gap else len(text)
        block = text[start:end]
        lead = _LEADING_BLANKS.match(block).end()  # type: ignore[union-attr]
        trail = _TRAILING_BLANKS.search(block, lead)
        block = block[lead : trail.start() if trail else len(block)]
        if block.strip(" \t"):
            first = lines.at(start + lead)
            m.bump("block_chars", len(block), first)
            m.bump("block_emphasis", block.count("*") + block.count("_"), first)
            m.bump("block_starts", len(_BLOCK_START_LINE.findall(block)), first)
            if brackets and ("[" in block or "](" in block):
                _block(m, block, first)
            elif ticks and "`" in block:
                runs = [len(r) for r in _TICK_RUNS.findall(block)]
                m.bump("unmatched_ticks", _unmatched_ticks(runs), first)
        if gap:
            start = gap.end()


def measure(text: str) -> Metrics:
    """Every metric of ``text`` that could pass its limit, in a few linear passes that
    mostly run in C: whole-text counts and multi-line patterns, and the token walk only in
    blocks with a '['. A metric that whole-text counts show cannot pass its limit is not
    measured and stays 0: a story of a few kB costs a few counts."""
    m = Metrics()
    if "\r" in text:  # line ends as Python-Markdown's NormalizeWhitespace sees them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    m.lines = text.count("\n") + 1
    m.markup = sum(text.count(c) for c in _MARKUP_CHARS)
    m.case_links = text.count("[[")
    if m.lines > LIMITS["max_lines"] or m.markup > LIMITS["max_markup"]:
        return m  # refused already; the per-line and per-block passes are not needed
    lines = _Lines(text)
    # Every heading line holds a '#', '=' or '-': fewer of those than the limit, fewer
    # headings (not counted then, as below for every metric that cannot pass its limit).
    if text.count("#") + text.count("=") + text.count("-") > LIMITS["max_headings"]:
        m.headings = len(_HEADING_LINES.findall(text))
    # The per-block metrics can only pass their limits where the whole text does: a story
    # of a few kB is measured without looking at its blocks one by one.
    starts = len(_BLOCK_START_LINE.findall(text))
    emphasis = text.count("*") + text.count("_")
    brackets = text.count("[") > LIMITS["max_bracket_depth"] or text.count("](") > min(
        LIMITS["max_open_targets"], LIMITS["max_quoted_targets"]
    )
    ticks = text.count("`") > LIMITS["max_unmatched_ticks"]
    if (
        len(text) > LIMITS["max_block_chars"]
        or emphasis > LIMITS["max_block_emphasis"]
        or starts > LIMITS["max_block_starts"]
        or brackets
        or ticks
    ):
        _blocks(m, text, lines, brackets, ticks)
    if "`" in text:
        _per_line(m, text, "`", "line_ticks", lambda line: len(_TICK_RUNS.findall(line)))
    if text.count("|") > LIMITS["max_line_pipes"]:
        _per_line(m, text, "|", "line_pipes", lambda line: line.count("|"))
    lines = _Lines(text)
    for deep in _DEEP_INDENT.finditer(text) if "     " in text or "\t" in text else ():
        m.bump("indent", len(deep.group(0).expandtabs(4)), lines.at(deep.start()))
    lines = _Lines(text)
    for marker in _MARKER_LINE.finditer(text):
        found = _MARKERS_AT.match(text, marker.start())
        if found:
            count = len(_MARKER.findall(found.group(0)))
            m.bump("line_markers", count, lines.at(marker.start()))
    return m


def heavy_markdown(body: str) -> tuple[int | None, str, str] | None:
    """(line within the body, message, hint) for the first limit the body exceeds, or
    None. The line is 1-based, None for the body as a whole."""
    m = measure(body)
    for name, limit in LIMITS.items():
        metric = name[4:]
        value = getattr(m, metric)
        if value > limit:
            line = m.where.get(metric)
            return (
                line,
                f"Het verhaal heeft te veel {_DUTCH[metric]}: {value}, hoogstens {limit}. Zo'n "
                "tekst kan de website niet snel genoeg maken.",
                HINT,
            )
    return None
