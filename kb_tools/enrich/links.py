"""Resolve ``[[id]]`` and ``[[id|tekst]]`` into ordinary Markdown links between pages."""

from __future__ import annotations

import re

from kb_tools.enrich.corpus import Corpus
from kb_tools.validate.references import ITEM_LINK, mask_code

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!<>|])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally (titles come from contributors)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def resolve_links(markdown: str, from_src: str, corpus: Corpus) -> str:
    """Replace every [[id]] with a link to that case or answer, titled by its title unless
    text is given."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        case = corpus.item(target)
        if case is None:  # validation already failed the build for this; keep the text
            return escape_markdown(match.group(0))
        text = match.group(2).strip() if match.group(2) else case.title
        return f"[{escape_markdown(text)}]({corpus.relative(from_src, target)})"

    # Match on a copy with code blanked out, so [[id]] inside `code` stays as written.
    parts, last = [], 0
    for match in ITEM_LINK.finditer(mask_code(markdown)):
        original = ITEM_LINK.match(markdown, match.start())
        if original is None:
            continue
        parts.append(markdown[last : match.start()])
        parts.append(replace(original))
        last = original.end()
    parts.append(markdown[last:])
    return "".join(parts)
