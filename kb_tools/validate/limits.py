"""Bodies that the site's Markdown parser would take quadratic time on are refused.

Python-Markdown looks for the end of every "[", "(", "`", "<" and heading from where it
starts, so a paragraph made of thousands of them costs minutes to render. Real stories
never come near these limits; an attack under 200 kB does. The guard is one linear pass
over the body, per paragraph (text between blank lines), before anything parses it.
"""

from __future__ import annotations

import re

#: No line of a story is this long; a line of 10,000 "#" or "a@" characters is an attack.
MAX_LINE = 5_000
#: Per paragraph: brackets, parentheses, backtick runs and "<" that Markdown would try
#: to pair, each a search to the end of the paragraph.
MAX_OPEN = 400
#: Blockquotes and lists nest by ">" and indentation; each level parses the text again.
MAX_DEPTH = 12

_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
_QUOTE_DEPTH = re.compile(r"^[ \t]*((?:>[ \t]*){" + str(MAX_DEPTH + 1) + r"})", re.M)
_BACKTICK_RUN = re.compile(r"`+")

HINT = (
    "Een verhaal is gewone tekst in alinea's. Haal de lange reeks tekens weg, of zet er lege "
    "regels tussen."
)


def heavy_markdown(body: str) -> tuple[int, str, str] | None:
    """(offset, message, hint) for the first place that would make rendering slow, or None."""
    start = 0
    for line in body.split("\n"):
        if len(line) > MAX_LINE:
            return (
                start,
                f"Een regel van het verhaal is {len(line)} tekens lang; hoogstens {MAX_LINE} mag.",
                "Zet lege regels tussen de alinea's. " + HINT,
            )
        start += len(line) + 1
    quote = _QUOTE_DEPTH.search(body)
    if quote:
        return (
            quote.start(),
            f"Het verhaal zet meer dan {MAX_DEPTH} citaten (>) in elkaar.",
            HINT,
        )
    if not any(c in body for c in "[(`<"):
        return None
    for paragraph in _PARAGRAPH.finditer(body):
        text = paragraph.group(0)
        counts = {
            "[": text.count("["),
            "(": text.count("("),
            "<": text.count("<"),
            "`": sum(1 for _ in _BACKTICK_RUN.finditer(text)) if "`" in text else 0,
        }
        sign, count = max(counts.items(), key=lambda item: item[1])
        if count > MAX_OPEN:
            return (
                paragraph.start(),
                f"Een alinea van het verhaal heeft {count} keer het teken '{sign}'; "
                f"hoogstens {MAX_OPEN} mag per alinea.",
                HINT,
            )
    return None
