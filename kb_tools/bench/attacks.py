"""Hostile case bodies of up to 200 kB, for the tests and ``kb meten``.

``REFUSED`` are the shapes that made Python-Markdown or our own scanners take minutes
(or crash with a RecursionError) before the limits in ``validate.limits``: ``kb controleer``
must refuse each with ``markdown-te-zwaar``. ``ACCEPTED`` are the costliest bodies that
still pass every limit, each costly construct exactly at its limit and repeated as often
as the other limits allow: ``kb meten`` measures what each one costs ``kb controleer`` and the
build. Never used for the published site.
"""

from __future__ import annotations

from collections.abc import Callable

from kb_tools.validate.limits import LIMITS

MAX_BYTES = 200_000
_WORDS = (
    "zorg dorp bewoners vrijwilligers gemeente hulp buurt ouderen samen koffie vervoer "
    "boodschappen wijk plan geld avond taak steun"
).split()


def prose(size: int, seed: int = 0) -> str:
    """Plain Dutch-looking words without markup characters, about ``size`` characters."""
    out, total, i = [], 0, seed
    while total < size:
        word = _WORDS[(i * 7 + i // 3) % len(_WORDS)]
        out.append(word)
        total += len(word) + 1
        i += 1
    return " ".join(out)[:size].rstrip()


def _blocks(block: str, markup_each: int) -> str:
    """As many copies of ``block`` (separated by blank lines) as 200 kB and the markup
    and line limits allow, then plain paragraphs up to 200 kB."""
    count = MAX_BYTES // (len(block.encode()) + 2)
    if markup_each:
        count = min(count, LIMITS["max_markup"] // markup_each)
    count = max(1, min(count, LIMITS["max_lines"] // (block.count("\n") + 2)))
    text = "\n\n".join([block] * count)
    lines = text.count("\n") + 1
    while len(text.encode()) + 2002 <= MAX_BYTES and lines + 2 <= LIMITS["max_lines"]:
        text += "\n\n" + prose(2000, lines)
        lines += 2
    return text


def _full(head: str, markup_each: int) -> str:
    """``head`` at the start of a block of the largest allowed size, repeated."""
    block = head + " " + prose(LIMITS["max_block_chars"] - len(head) - 1)
    return _blocks(block, markup_each)


def _combined() -> str:
    """Every per-block limit at its maximum in every block: the true worst case."""
    d, t, q = LIMITS["max_bracket_depth"], LIMITS["max_open_targets"], LIMITS["max_quoted_targets"]
    u, k, e = (
        LIMITS["max_unmatched_ticks"],
        LIMITS["max_block_starts"],
        LIMITS["max_block_emphasis"],
    )
    ticks = " ".join("`" * i for i in range(1, u + 1))
    emphasis = "*a* " * max(0, (e - 3 * k) // 2)
    head = "\n".join(["a", "***"] * k) + "\n"
    head += '[a](https://x.nl "c) ' * q + "[x](" * t + "[" * d + " " + ticks + " " + emphasis
    return _full(head, d + 2 * q + 2 * t + u * (u + 1) // 2 + e)


#: Shapes that were super-linear or crashed; each is now a finding.
REFUSED: dict[str, Callable[[], str]] = {
    "15 kB '['": lambda: "[" * 15_000,
    "'[x](' x 45.000": lambda: "[x](" * 45_000,
    "backticks van groeiende lengte": lambda: " ".join("`" * k for k in range(1, 620)),
    "'# ' x 95.000": lambda: "# " * 95_000,
    "'a' x 190.000 en '@'": lambda: "a" * 190_000 + "@",
    "kop met 100.000 spaties": lambda: "# a" + " " * 100_000 + "b",
    "lijst 300 niveaus diep": lambda: "\n".join("    " * i + "- x" for i in range(300)),
    "'- ' x 500 op een regel": lambda: "- " * 500 + "x",
    "nadruk 2.000 diep": lambda: "*" * 1967 + "a" + "*" * 1967,
    "'# a' x 16.000 in een alinea": lambda: "# a\n" * 16_000,
    "tabel met '`|' x 30.000": lambda: "a|b\n-|-\n" + "`|" * 30_000,
    "[[id]] x 500": lambda: "[[ams-0901]] " * 500,
    "99.000 regels": lambda: "a\n" * 99_000,
}

#: The costliest bodies that pass every limit.
ACCEPTED: dict[str, Callable[[], str]] = {
    "alles op de grens": _combined,
    "haken op de grens": lambda: _full("[" * LIMITS["max_bracket_depth"], 3),
    "open links op de grens": lambda: _full("[x](" * LIMITS["max_open_targets"], 4),
    "kopjes in alinea's": lambda: _full("\n".join(["a", "***"] * LIMITS["max_block_starts"]), 0),
    "tabel op de grens": lambda: (
        "a|b\n-|-\n" + "\n".join(["|" + "`|" * 63] * (LIMITS["max_markup"] // 127 - 2))
    ),
    "lange woorden en @": lambda: "\n\n".join(
        ("a" * 6000 + "@ ") * 3 for _ in range(MAX_BYTES // 18_010)
    ),
}
