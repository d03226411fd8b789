"""A line-by-line reference for validate.limits.measure, for the test that the fast
version finds every limit this one finds (same value and line where a limit is passed).

Written first, while the shapes were measured; the fast version skips what whole-text
counts show cannot pass a limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKUP_CHARS = "[]`*_\\&|<"
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


def measure_text(text: str, stop_lines: int = 10**9, stop_markup: int = 10**9) -> Metrics:
    m = Metrics()
    # Line ends as Python-Markdown's NormalizeWhitespace sees them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    m.lines = text.count("\n") + 1
    m.markup = sum(text.count(c) for c in _MARKUP_CHARS)
    m.case_links = text.count("[[")
    if m.lines > stop_lines or m.markup > stop_markup:
        return m  # refused already; the per-line and per-block passes are not needed
    lines = text.split("\n")
    block: list[str] = []
    block_line = 1
    starts = 0

    def close(upto: int) -> None:
        nonlocal block, starts
        if block:
            _block(m, "\n".join(block), block_line)
            m.bump("block_starts", starts, block_line)
        block, starts = [], 0

    for number, line in enumerate(lines, 1):
        if _BLANK.match(line):
            close(number)
            continue
        if not block:
            block_line = number
        block.append(line)
        if _BLOCK_START.match(line):
            starts += 1
        if _HEADING_LINE.match(line):
            m.headings += 1
        m.bump("line_ticks", len(re.findall(r"`+", line)), number)
        m.bump("line_pipes", line.count("|"), number)
        stripped = line.lstrip(" \t")
        lead = line[: len(line) - len(stripped)]
        m.bump("indent", len(lead.expandtabs(4)), number)
        markers = _MARKERS.match(line)
        if markers:
            m.bump("line_markers", len(_MARKER.findall(markers.group())), number)
    close(len(lines) + 1)
    return m
