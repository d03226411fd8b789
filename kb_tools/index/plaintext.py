"""Markdown of a case as the plain paragraphs the site's search index reads
(``kb_tools.index.pagefind``): link targets, marks and heading signs gone."""

from __future__ import annotations

import re

_MD_LINE_START = re.compile(r"^[ \t]*(?:#{1,6}|[-*+>]|\d+\.)[ \t]+", re.M)
_MD_MARKS = re.compile(r"[*_`|]+")


def strip_md_links(text: str) -> str:
    """Each [text](target) and ![text](target) as its text, in one pass: what the regex
    ``!?\\[([^\\]]*)\\]\\([^)]*\\)`` substitutes, without its quadratic rescans. A '['
    at i matches iff the first ']' after it is followed by '(' and some ')' comes later."""
    out: list[str] = []
    last = pos = search = 0  # copied up to; the next match may start at; look from
    while True:
        j = text.find("](", search)
        if j == -1:
            break
        i = text.find("[", max(pos, text.rfind("]", pos, j) + 1), j)
        if i == -1:
            search = j + 1
            continue
        k = text.find(")", j + 2)
        if k == -1:  # no ')' after this '](', so none after any later one either
            break
        start = i - 1 if i - 1 >= pos and text[i - 1] == "!" else i
        out += [text[last:start], text[i + 1 : j]]
        last = pos = search = k + 1
    out.append(text[last:])
    return "".join(out)


def plain_text(markdown: str) -> list[str]:
    """Paragraphs of Markdown as plain text: link targets, marks and heading signs gone."""
    return [" ".join(chunks) for chunks in plain_chunks(markdown)]


def plain_chunks(markdown: str) -> list[list[str]]:
    """The paragraphs of ``plain_text``, each as its chunks: the text between two spaces."""
    text = _MD_LINE_START.sub("", strip_md_links(markdown))
    if any(mark in text for mark in "*_`|"):  # a quick look saves the pass when there are none
        text = _MD_MARKS.sub("", text)
    return [chunks for p in re.split(r"\n\s*\n", text) if (chunks := p.split())]
